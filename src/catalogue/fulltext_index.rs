//! Full-text search where the engines differ, and only here. Offers carry their stems in four
//! columns written from Rust (`fulltext`): title, summary, body (description, organisation,
//! town), written with the offer's own text, and approved testimonials, written by
//! moderation. SQLite indexes them in an FTS5 table kept by triggers, PostgreSQL in a
//! generated `tsvector` weighted A to D with a GIN index (migration `m20261206_402`) and, for
//! ranked searches, in rows of (stem, best place, offer) (`offer_stems`, migration
//! `m20261207_405`, kept by triggers) and the same packed by blocks of offer ids
//! (`offer_stem_blocks`, migration `m20261207_406`, kept by `stem_blocks`); queries become an FTS5 `MATCH`, a `tsquery` or key
//! lookups over the same stems, so both engines find the same offers. A vocabulary table of
//! every stem written serves typo tolerance with index lookups.
use std::collections::BTreeSet;

use futures_util::{StreamExt, TryStreamExt};

use entity::enums::TestimonialStatus;
use entity::{offer, testimonial};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, Statement,
};

use super::fulltext::{Clause, TextQuery, index_text, is_vocabulary_word};

/// An offer's own text as search reads it (its testimonials are indexed apart, as
/// moderation changes them).
pub struct OfferText<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub organisation: &'a str,
    pub city: &'a str,
}

/// The stem columns of an offer's own text, in the order of `OfferText::stems`.
pub const RECORD_COLUMNS: [&str; 3] = ["fts_title", "fts_summary", "fts_body"];

/// The stem column of an offer's approved testimonials.
pub const TESTIMONIALS_COLUMN: &str = "fts_testimonials";

impl<'a> OfferText<'a> {
    /// The text of `offer`, held by the organisation named `organisation`.
    pub fn of(offer: &'a offer::Model, organisation: &'a str) -> Self {
        Self {
            title: &offer.title,
            summary: &offer.summary,
            description: &offer.description,
            organisation,
            city: offer.city.as_deref().unwrap_or_default(),
        }
    }

    /// The values of `RECORD_COLUMNS`: title, summary, and the body (description,
    /// organisation, town).
    pub fn stems(&self) -> [String; 3] {
        [
            index_text(self.title),
            index_text(self.summary),
            index_text(&format!(
                "{} {} {}",
                self.description, self.organisation, self.city
            )),
        ]
    }

    /// True when search reads something else in `other` (then the stems are written again).
    pub fn differs_from(&self, other: &OfferText<'_>) -> bool {
        (
            self.title,
            self.summary,
            self.description,
            self.organisation,
            self.city,
        ) != (
            other.title,
            other.summary,
            other.description,
            other.organisation,
            other.city,
        )
    }
}

/// The value of `TESTIMONIALS_COLUMN`: the stems of approved testimonials' bodies and video
/// transcripts.
pub fn testimonial_stems<'a>(
    approved: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> String {
    let mut text = String::new();
    for (body, transcript) in approved {
        text.push_str(body);
        text.push(' ');
        if let Some(transcript) = transcript {
            text.push_str(transcript);
            text.push(' ');
        }
    }
    index_text(&text)
}

/// Adds the stems of these column values to the vocabulary (each stem once; numbers are no
/// words to misspell).
pub async fn remember<'a>(
    db: &impl ConnectionTrait,
    values: impl IntoIterator<Item = &'a String>,
) -> Result<(), DbErr> {
    for insert in remember_statements(values) {
        db.execute(&insert).await?;
    }
    Ok(())
}

/// The statements `remember` runs.
pub fn remember_statements<'a>(
    values: impl IntoIterator<Item = &'a String>,
) -> Vec<sea_orm::sea_query::InsertStatement> {
    let terms: BTreeSet<&str> = values
        .into_iter()
        .flat_map(|value| value.split(' '))
        .filter(|term| is_vocabulary_word(term))
        .collect();
    let terms: Vec<&str> = terms.into_iter().collect();
    terms
        .chunks(500)
        .map(|chunk| {
            let mut insert = Query::insert();
            insert.into_table("search_terms").columns(["term"]);
            for term in chunk {
                insert.values_panic([(*term).into()]);
            }
            insert.on_conflict(
                OnConflict::column(Alias::new("term"))
                    .do_nothing()
                    .to_owned(),
            );
            insert
        })
        .collect()
}

/// Writes the stems of offer `id`'s own text.
pub async fn write_record(
    db: &impl ConnectionTrait,
    id: i32,
    text: &OfferText<'_>,
) -> Result<(), DbErr> {
    let stems = text.stems();
    let mut update = Query::update();
    update.table("offers").and_where(Expr::col("id").eq(id));
    for (name, value) in RECORD_COLUMNS.iter().zip(&stems) {
        update.value(*name, value.clone());
    }
    db.execute(&update).await?;
    remember(db, &stems).await
}

/// Writes the stems of offer `id`'s approved testimonials.
pub async fn write_testimonials<'a>(
    db: &impl ConnectionTrait,
    id: i32,
    approved: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), DbErr> {
    let stems = testimonial_stems(approved);
    db.execute(
        &Query::update()
            .table("offers")
            .value(TESTIMONIALS_COLUMN, stems.clone())
            .and_where(Expr::col("id").eq(id))
            .take(),
    )
    .await?;
    remember(db, [&stems]).await
}

/// Writes again the stems of these offers' own text from what they hold now (after their
/// organisation was renamed or moved, or for offers never indexed): one read for them all.
pub async fn refresh(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    for chunk in ids.chunks(500) {
        let select = offers_with_organisation()
            .expr_as(column("o", "title"), "title")
            .expr_as(column("o", "summary"), "summary")
            .expr_as(column("o", "description"), "description")
            .expr_as(column("o", "city"), "city")
            .and_where(column("o", "id").is_in(chunk.to_vec()))
            .take();
        for row in db.query_all(&select).await? {
            let city: Option<String> = row.try_get("", "city")?;
            let text = OfferText {
                title: &row.try_get::<String>("", "title")?,
                summary: &row.try_get::<String>("", "summary")?,
                description: &row.try_get::<String>("", "description")?,
                organisation: &row.try_get::<String>("", "organisation")?,
                city: city.as_deref().unwrap_or_default(),
            };
            write_record(db, row.try_get("", "id")?, &text).await?;
        }
    }
    Ok(())
}

/// Indexes the offers never indexed (written before this index existed: their stem columns
/// are NULL), in batches; the number indexed. Run by `migrate`, so at every start: one probe
/// of a partial index, which holds nothing once done.
pub async fn backfill(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let mut total = 0;
    loop {
        let select = Query::select()
            .column("id")
            .from("offers")
            .and_where(Expr::col("fts_title").is_null())
            .order_by("id", sea_orm::sea_query::Order::Asc)
            .limit(500)
            .take();
        let ids: Vec<i32> = db
            .query_all(&select)
            .await?
            .iter()
            .map(|row| row.try_get("", "id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            if total > 0 {
                // What searches answer changed: answers cached on any instance must go.
                super::version::bump(db).await?;
            }
            return Ok(total);
        }
        let approved = testimonial::Entity::find()
            .filter(testimonial::Column::OfferId.is_in(ids.clone()))
            .filter(testimonial::Column::Status.eq(TestimonialStatus::Approved))
            .order_by_asc(testimonial::Column::Id)
            .all(db)
            .await?;
        for &id in &ids {
            let of_offer = approved.iter().filter(|t| t.offer_id == id);
            write_testimonials(
                db,
                id,
                of_offer.map(|t| (t.body.as_str(), t.transcript.as_deref())),
            )
            .await?;
        }
        refresh(db, &ids).await?;
        total += ids.len();
    }
}

fn column(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// `SELECT o.id, g.name AS organisation … FROM offers o JOIN organisations g`: offers with
/// their organisation's name, for the reads that need both (the duplicate detection too).
pub fn offers_with_organisation() -> SelectStatement {
    Query::select()
        .expr_as(column("o", "id"), "id")
        .expr_as(column("g", "name"), "organisation")
        .from_as("offers", "o")
        .join_as(
            JoinType::InnerJoin,
            Alias::new("organisations"),
            Alias::new("g"),
            column("g", "id").equals((Alias::new("o"), Alias::new("organisation_id"))),
        )
        .take()
}

/// A text search ready to run: the parsed query (widened to the near spellings the index
/// knows) and the engine it runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSearch {
    pub query: TextQuery,
    backend: DbBackend,
}

impl TextSearch {
    /// Parses `text` and widens its long words that the index does not know to the indexed
    /// spellings one edit away (one statement, index lookups only).
    pub async fn prepare(db: &impl ConnectionTrait, text: &str) -> Result<Self, DbErr> {
        let mut query = TextQuery::parse(text);
        let candidates = query.typo_candidates();
        if !candidates.is_empty() {
            let mut wanted: BTreeSet<&str> = BTreeSet::new();
            for (own, near) in &candidates {
                wanted.insert(own);
                wanted.extend(near.iter().map(String::as_str));
            }
            let select = Query::select()
                .column("term")
                .from("search_terms")
                .and_where(Expr::col("term").is_in(wanted.into_iter().collect::<Vec<_>>()))
                .take();
            let known: BTreeSet<String> = db
                .query_all(&select)
                .await?
                .iter()
                .map(|row| row.try_get("", "term"))
                .collect::<Result<_, _>>()?;
            for (own, near) in candidates {
                if known.contains(&own) {
                    continue;
                }
                let found: Vec<String> = near.into_iter().filter(|n| known.contains(n)).collect();
                query.add_near_spellings(&own, &found);
            }
        }
        Ok(Self {
            query,
            backend: db.get_database_backend(),
        })
    }

    /// The offers that match every word and phrase. A query of stop words only matches all.
    pub fn condition(&self) -> Expr {
        if self.query.is_empty() {
            return Expr::cust("1 = 1");
        }
        self.matching(Scope::All)
    }

    fn matching(&self, scope: Scope) -> Expr {
        match self.backend {
            // The narrower scopes test only the title and summary (`fts_head`, small and
            // kept in the row), on rows the whole vector's GIN index already found.
            DbBackend::Postgres => self.with_one(
                if scope == Scope::All {
                    "offers.fts_vector @@ to_tsquery('simple', {})"
                } else {
                    "offers.fts_head @@ to_tsquery('simple', {})"
                },
                Expr::val(tsquery(&self.query, scope)),
            ),
            _ => self.with_one(
                "offers.id IN (SELECT rowid FROM offers_fts WHERE offers_fts MATCH {})",
                Expr::val(fts5_query(&self.query, scope)),
            ),
        }
    }

    /// The RELEVANCE sort key, smallest first: minus (3 when every word is in the title, 2 in
    /// the title and summary, else 1 (description, organisation, town, testimonials), times
    /// 10^10, plus the freshness (last verification, else creation) in seconds). One number,
    /// so that keyset cursors work as for any other ordering; `relevance_key` computes the
    /// same number from a tier and a freshness.
    pub fn relevance(&self) -> Expr {
        let freshness = freshness_seconds(self.backend);
        let tier = if self.query.is_empty() {
            Expr::val(1)
        } else {
            Expr::case(self.matching(Scope::Title), Expr::val(3))
                .case(self.matching(Scope::TitleAndSummary), Expr::val(2))
                .finally(Expr::val(1))
                .into()
        };
        let real = match self.backend {
            DbBackend::Postgres => "DOUBLE PRECISION",
            _ => "REAL",
        };
        self.with_one(
            &format!("CAST(-(({{}}) * 10000000000 + {freshness}) AS {real})"),
            tier,
        )
    }

    /// The offers of the best relevance tier (every word in the title) read as an id list
    /// from the full-text index (SQLite) or the rows of stems (PostgreSQL's `offer_stems`,
    /// migration 405); None for a query of stop words only, which matches
    /// every offer. The wider tiers are left to `widen`: a common word's lists are most of
    /// the catalogue (at a million offers "accompagnement" is in 70,195 titles, 420,558 titles
    /// or summaries), and a first page rarely needs them. A phrase needs the words'
    /// positions, which `offer_stems` does not keep: on PostgreSQL it reads every tier in one
    /// pass over the matching offers' rows.
    pub async fn best_matches(
        &self,
        db: &impl ConnectionTrait,
        within: Option<(f64, f64, f64, f64)>,
    ) -> Result<Option<TierMatches>, DbErr> {
        if self.query.is_empty() {
            return Ok(None);
        }
        if !self.reads_rows() {
            return Ok(Some(TierMatches {
                title: self.index_matches(db, Scope::Title).await?,
                head: None,
                all: None,
            }));
        }
        // The GIN index cannot tell the weights without reading each row, so one pass over
        // the rows it finds lists every tier, the full list included; the narrower scopes test
        // the small title-and-summary vector kept in the row. The queries are made once (a
        // CTE): written inline, `to_tsquery` ran for every row (55 ms against 18 ms for
        // "menuiserie"'s 7,835 matches at 100,000 offers). Reading the two best tiers apart
        // first made PostgreSQL read the rows twice (42 against 27 ms for "menuiserie").
        // With a circle, only the rows in its box: PostgreSQL then combines the text index
        // with the coordinates' (text + near at 100,000 offers listed every "formation" offer
        // before memory kept those of the circle).
        let mut values: Vec<sea_orm::Value> = [Scope::Title, Scope::TitleAndSummary, Scope::All]
            .map(|scope| tsquery(&self.query, scope).into())
            .into();
        let mut sql = "WITH q AS MATERIALIZED (SELECT to_tsquery('simple', $1) AS title, \
                to_tsquery('simple', $2) AS head, to_tsquery('simple', $3) AS every) \
         SELECT string_agg(o.id::text, ',') FILTER (WHERE o.fts_head @@ q.title), \
                string_agg(o.id::text, ',') FILTER (WHERE o.fts_head @@ q.head), \
                string_agg(o.id::text, ',') \
         FROM q, offers o WHERE o.fts_vector @@ q.every"
            .to_owned();
        if let Some((min_lat, max_lat, min_lon, max_lon)) = within {
            sql.push_str(" AND o.latitude BETWEEN $4 AND $5 AND o.longitude BETWEEN $6 AND $7");
            values.extend([min_lat, max_lat, min_lon, max_lon].map(Into::into));
        }
        let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
        // An aggregate always has its row; without one, nothing matches, in every tier
        // (`widen` has no other tier to read).
        let Some(row) = db.query_one_raw(statement).await? else {
            let none = roaring::RoaringBitmap::new();
            return Ok(Some(TierMatches {
                title: none.clone(),
                head: Some(none.clone()),
                all: Some(none),
            }));
        };
        let set = |index| -> Result<roaring::RoaringBitmap, DbErr> {
            super::facet_index::parse_ids(row.try_get_by_index(index)?)
        };
        Ok(Some(TierMatches {
            title: set(0)?,
            head: Some(set(1)?),
            all: Some(set(2)?),
        }))
    }

    /// Reads the next tier `tiers` lacks (the title-and-summary matches, then every match);
    /// false when it holds them all already.
    pub async fn widen(
        &self,
        db: &impl ConnectionTrait,
        tiers: &mut TierMatches,
    ) -> Result<bool, DbErr> {
        if tiers.head.is_none() {
            tiers.head = Some(self.index_matches(db, Scope::TitleAndSummary).await?);
            return Ok(true);
        }
        if tiers.all.is_none() {
            tiers.all = Some(self.index_matches(db, Scope::All).await?);
            return Ok(true);
        }
        Ok(false)
    }

    /// True when the tiers are read from the offers' rows: a phrase on PostgreSQL, whose
    /// word positions only the rows hold (`offer_stems` keeps no order).
    fn reads_rows(&self) -> bool {
        self.backend == DbBackend::Postgres
            && self
                .query
                .clauses
                .iter()
                .any(|clause| matches!(clause, Clause::Phrase(_)))
    }

    /// The offers whose `scope` matches, as an id list: from the index alone (FTS5's tables
    /// on SQLite, `offer_stems` on PostgreSQL), or from the rows when `reads_rows`.
    async fn index_matches(
        &self,
        db: &impl ConnectionTrait,
        scope: Scope,
    ) -> Result<roaring::RoaringBitmap, DbErr> {
        match self.backend {
            DbBackend::Postgres if self.reads_rows() => {
                let mut select = Query::select();
                select.from("offers").and_where(self.matching(scope));
                super::facet_index::offer_ids(db, select).await
            }
            DbBackend::Postgres => self.stem_matches(db, scope).await,
            _ => self.fts5_matches(db, scope).await,
        }
    }

    /// The offers whose every word is in the title, in the title or summary, or anywhere
    /// (by `scope`), from PostgreSQL's word lists (`word_list`: the packed blocks, and
    /// `offer_stems`'s rows where a write marked them): one id list per word (its stems, and
    /// its prefix as a range of the key), intersected here. Not for phrases, whose order the
    /// tables do not keep.
    ///
    /// Each word's list is a statement of its own, and they run two at a time on the pool's
    /// connections (`WORD_LISTS_AT_ONCE`): a scan costs 0.1–0.2 µs a row, and two common
    /// words at a million offers ("atelier vélo": 126,895 and 67,835 title rows) took 39 ms
    /// one after the other in one statement, 23 ms side by side, read from the rows (the
    /// packed blocks later made each list about 1 ms). Each list is read in its own
    /// snapshot, as the tiers already are.
    async fn stem_matches(
        &self,
        db: &impl ConnectionTrait,
        scope: Scope,
    ) -> Result<roaring::RoaringBitmap, DbErr> {
        let least_tier = match scope {
            Scope::Title => 3,
            Scope::TitleAndSummary => 2,
            Scope::All => 1,
        };
        let statements: Vec<Statement> = self
            .query
            .clauses
            .iter()
            .filter_map(|clause| match clause {
                Clause::Word { stems, prefix, .. } => {
                    Some(word_list(stems, prefix.as_deref(), least_tier))
                }
                Clause::Phrase(_) => None,
            })
            .collect();
        let matching = futures_util::stream::iter(statements)
            .map(|statement| listed_ids(db, statement))
            .buffer_unordered(WORD_LISTS_AT_ONCE)
            .try_fold(None, |so_far: Option<roaring::RoaringBitmap>, ids| {
                futures_util::future::ready(Ok(Some(match so_far {
                    Some(so_far) => so_far & ids,
                    None => ids,
                })))
            })
            .await?;
        Ok(matching.unwrap_or_default())
    }

    /// The offers whose `scope` matches, from the FTS5 table alone (its rowids are the
    /// offers' ids, its column lists tell the scopes apart): SQLite only.
    async fn fts5_matches(
        &self,
        db: &impl ConnectionTrait,
        scope: Scope,
    ) -> Result<roaring::RoaringBitmap, DbErr> {
        // The title tier from the titles' own table (migration 404): its doclists hold the
        // title matches only, where `offers_fts` would walk every offer with the word.
        let sql = match scope {
            Scope::Title => {
                "SELECT group_concat(rowid, ',') FROM offers_fts_title WHERE offers_fts_title MATCH ?"
            }
            _ => "SELECT group_concat(rowid, ',') FROM offers_fts WHERE offers_fts MATCH ?",
        };
        let statement = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [fts5_query(&self.query, scope).into()],
        );
        match db.query_one_raw(statement).await? {
            Some(row) => super::facet_index::parse_ids(row.try_get_by_index(0)?),
            None => Ok(roaring::RoaringBitmap::new()),
        }
    }

    /// Custom SQL with one expression where `{}` stands: sea-query reads the engine's own
    /// placeholder in custom SQL (`$1` on PostgreSQL, `?` on SQLite), so the template says it.
    fn with_one(&self, template: &str, expr: Expr) -> Expr {
        let placeholder = match self.backend {
            DbBackend::Postgres => "$1",
            _ => "?",
        };
        Expr::cust_with_exprs(template.replace("{}", placeholder), [expr])
    }
}

/// The freshness of an offer in whole seconds as the RELEVANCE key reads it (last
/// verification, else creation), in the engine's own SQL: the engines round apart
/// (SQLite's `strftime('%s')` truncates, PostgreSQL's cast rounds), so memory reads it here.
pub fn freshness_seconds(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "CAST(EXTRACT(EPOCH FROM COALESCE(offers.verified_at, offers.created_at)) AS BIGINT)"
        }
        _ => "CAST(strftime('%s', COALESCE(offers.verified_at, offers.created_at)) AS INTEGER)",
    }
}

/// The RELEVANCE key of an offer of `tier` (3 title, 2 title and summary, 1 elsewhere) and
/// freshness `seconds`: the very number `TextSearch::relevance` computes (integers below
/// 2^53, so the cast to a double is exact on both sides).
pub fn relevance_key(tier: i64, seconds: i64) -> f64 {
    -((tier * 10_000_000_000 + seconds) as f64)
}

/// The offers whose every word is in the title, in the title or summary, and anywhere (the
/// wider ones None until read; `all` is read after `head`).
#[derive(Debug, Clone, Default)]
pub struct TierMatches {
    pub title: roaring::RoaringBitmap,
    pub head: Option<roaring::RoaringBitmap>,
    pub all: Option<roaring::RoaringBitmap>,
}

/// Which columns a match must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Title,
    TitleAndSummary,
}

/// An FTS5 query: stems quoted (they hold letters and digits only), a word's alternatives
/// OR-ed, clauses AND-ed, a column filter for the narrower scopes.
fn fts5_query(query: &TextQuery, scope: Scope) -> String {
    let clauses: Vec<String> = query
        .clauses
        .iter()
        .map(|clause| match clause {
            Clause::Word { stems, prefix, .. } => {
                let mut alternatives: Vec<String> =
                    stems.iter().map(|stem| format!("\"{stem}\"")).collect();
                if let Some(prefix) = prefix {
                    alternatives.push(format!("\"{prefix}\"*"));
                }
                format!("({})", alternatives.join(" OR "))
            }
            Clause::Phrase(words) => format!("\"{}\"", words.join(" ")),
        })
        .collect();
    let all = clauses.join(" AND ");
    match scope {
        Scope::All => all,
        Scope::Title => format!("{{fts_title}} : ({all})"),
        Scope::TitleAndSummary => format!("{{fts_title fts_summary}} : ({all})"),
    }
}

/// A PostgreSQL `tsquery` over the 'simple' configuration (the stems are already made), with
/// weight labels for the narrower scopes (A: title, B: summary).
fn tsquery(query: &TextQuery, scope: Scope) -> String {
    let weights = match scope {
        Scope::All => "",
        Scope::Title => "A",
        Scope::TitleAndSummary => "AB",
    };
    let label = |star: &str| {
        if star.is_empty() && weights.is_empty() {
            String::new()
        } else {
            format!(":{star}{weights}")
        }
    };
    let clauses: Vec<String> = query
        .clauses
        .iter()
        .map(|clause| match clause {
            Clause::Word { stems, prefix, .. } => {
                let mut alternatives: Vec<String> = stems
                    .iter()
                    .map(|stem| format!("'{stem}'{}", label("")))
                    .collect();
                if let Some(prefix) = prefix {
                    alternatives.push(format!("'{prefix}'{}", label("*")));
                }
                format!("({})", alternatives.join(" | "))
            }
            Clause::Phrase(words) => {
                let words: Vec<String> = words
                    .iter()
                    .map(|word| format!("'{word}'{}", label("")))
                    .collect();
                format!("({})", words.join(" <-> "))
            }
        })
        .collect();
    clauses.join(" & ")
}

/// The ids a `word_list` statement lists.
async fn listed_ids(
    db: &impl ConnectionTrait,
    statement: Statement,
) -> Result<roaring::RoaringBitmap, DbErr> {
    let row = db.query_one_raw(statement).await?;
    let bytes = row
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .flatten();
    super::facet_index::parse_id_bytes(bytes)
}

/// Word lists one search reads at once: two words side by side, and a text of many words
/// (200 characters may hold dozens) never takes the whole pool from other requests.
const WORD_LISTS_AT_ONCE: usize = 2;

/// The statement that lists, as four bytes an id, the offers holding a word (one of `stems`,
/// or a stem that starts with `prefix`) at `least_tier` or better: from the packed blocks of
/// `offer_stem_blocks` (migration 406), except the blocks a write marked since their last
/// compaction, which come from the rows of `offer_stems`. One statement, one snapshot: a
/// block is either packed and unmarked or read from its rows, never both.
fn word_list(stems: &BTreeSet<String>, prefix: Option<&str>, least_tier: i16) -> Statement {
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let mut placeholder = |value: String| {
        values.push(value.into());
        format!("${}", values.len())
    };
    let mut alternatives = Vec::new();
    // A stem the prefix's range holds is read there: listed too, its ids were read twice
    // ("vélo" typed last: the 40,353 title rows of "velo" in both, at a million offers).
    let listed: Vec<String> = stems
        .iter()
        .filter(|stem| prefix.is_none_or(|prefix| !stem.starts_with(prefix)))
        .cloned()
        .map(&mut placeholder)
        .collect();
    if !listed.is_empty() {
        alternatives.push(format!("stem IN ({})", listed.join(", ")));
    }
    if let Some(prefix) = prefix {
        // Every stem that starts with the prefix sorts between it and it followed by the
        // last character (bytewise, the "C" collation).
        let from = placeholder(prefix.to_owned());
        let to = placeholder(format!("{prefix}\u{10FFFF}"));
        alternatives.push(format!("(stem >= {from} AND stem < {to})"));
    }
    let word = format!("({}) AND tier >= {least_tier}", alternatives.join(" OR "));
    let sql = format!(
        "SELECT string_agg(part, ''::bytea) FROM (\
         SELECT k.ids AS part FROM offer_stem_blocks k WHERE {word} \
         AND NOT EXISTS (SELECT 1 FROM offer_stem_changes c \
         WHERE c.stem = k.stem AND c.tier = k.tier AND c.block = k.block) \
         UNION ALL \
         SELECT int4send(s.offer_id) FROM (\
         SELECT DISTINCT stem, tier, block FROM offer_stem_changes WHERE {word}) AS marked \
         JOIN offer_stems s ON s.stem = marked.stem AND s.tier = marked.tier \
         AND s.offer_id BETWEEN marked.block << 12 AND (marked.block << 12) + 4095\
         ) AS found"
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_stems_and_narrow_by_column_or_weight() {
        let query = TextQuery::parse("vélos \"atelier bois\" menuis");
        assert_eq!(
            fts5_query(&query, Scope::All),
            "(\"bicyclet\" OR \"cycl\" OR \"velo\") AND \"ateli boi\" AND (\"menui\" OR \"menuis\"*)"
        );
        assert!(fts5_query(&query, Scope::Title).starts_with("{fts_title} : ("));
        assert_eq!(
            tsquery(&query, Scope::TitleAndSummary),
            "('bicyclet':AB | 'cycl':AB | 'velo':AB) & ('ateli':AB <-> 'boi':AB) & ('menui':AB | 'menuis':*AB)"
        );
        assert_eq!(
            tsquery(&TextQuery::parse("vélo "), Scope::All),
            "('bicyclet' | 'cycl' | 'velo')"
        );
    }
}

#[cfg(test)]
mod sql_tests {
    use super::*;

    /// Values are bound parameters on both engines (a custom SQL text with `?` is not
    /// rewritten for PostgreSQL's `$n`).
    #[test]
    fn the_query_text_is_bound_on_both_engines() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let search = TextSearch {
                query: TextQuery::parse("titre changé"),
                backend,
            };
            let select = Query::select()
                .expr(search.relevance())
                .from("offers")
                .and_where(search.condition())
                .take();
            let (sql, values) = match backend {
                DbBackend::Postgres => select.build(sea_orm::sea_query::PostgresQueryBuilder),
                _ => select.build(sea_orm::sea_query::SqliteQueryBuilder),
            };
            let strings = values
                .iter()
                .filter(|v| matches!(v, sea_orm::Value::String(_)))
                .count();
            assert_eq!(strings, 3, "{sql}");
            let placeholders = match backend {
                DbBackend::Postgres => (1..=values.0.len())
                    .filter(|n| sql.contains(&format!("${n}")))
                    .count(),
                _ => sql.matches('?').count(),
            };
            assert_eq!(placeholders, values.0.len(), "{sql}");
        }
    }
}
