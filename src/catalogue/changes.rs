//! The change feed: every write stamps the organisations and offers it changed with the
//! catalogue version of its transaction; the feed lists them by that stamp, each once, at
//! its latest change, visible or not (so that partners also learn of removals).
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, UpdateStatement};
use sea_orm::{ConnectionTrait, DbErr};

use super::version;

/// What a write changed of the offers it stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The records themselves (or their organisation, conditions, testimonials).
    Records,
    /// Only sessions of the offers: the feed says SLOT_CHANGED when nothing else changed.
    Sessions,
}

/// Bumps the catalogue version and stamps these offers and organisations (and the offers of
/// these organisations, which show their organisation) with it. Call it as the last write
/// of the transaction, as `version::bump`.
pub async fn bump_and_stamp(
    db: &impl ConnectionTrait,
    offers: &[i32],
    organisations: &[i32],
) -> Result<i64, DbErr> {
    bump_and_stamp_for(db, offers, organisations, Cause::Records).await
}

async fn bump_and_stamp_for(
    db: &impl ConnectionTrait,
    offers: &[i32],
    organisations: &[i32],
    cause: Cause,
) -> Result<i64, DbErr> {
    // Lock the rows first (a no-op write), then bump: the version row is the last lock the
    // transaction takes, as `version::bump` requires (else two writers could deadlock).
    stamp(db, offers, organisations, None).await?;
    let seq = version::bump(db).await?;
    stamp(db, offers, organisations, Some((seq, cause))).await?;
    Ok(seq)
}

/// Bumps the catalogue version and stamps the offers `first..=last` with it, in one pass
/// over their rows: what a bulk load that holds the only write lock (SQLite) does after its
/// inserts, range by range.
pub async fn bump_and_stamp_offer_range(
    db: &impl ConnectionTrait,
    first: i32,
    last: i32,
) -> Result<i64, DbErr> {
    let seq = version::bump(db).await?;
    let mut update = Query::update();
    update
        .table("offers")
        .and_where(Expr::col("id").between(first, last));
    offer_stamp(&mut update, Some((seq, Cause::Records)));
    db.execute(&update).await?;
    Ok(seq)
}

/// Sets the stamp columns of an offer UPDATE to `seq` (or, with None, rewrites the stamp as
/// it is, to lock the rows). An offer stamped while published and not at its previous
/// stamp entered the catalogue now.
fn offer_stamp(update: &mut UpdateStatement, seq: Option<(i64, Cause)>) {
    let Some((seq, cause)) = seq else {
        update.value("change_seq", Expr::col("change_seq"));
        return;
    };
    let published = Expr::col("status").eq("PUBLISHED");
    update
        .value("change_seq", seq)
        .value(
            "published_seq",
            Expr::case(
                published.clone().and(Expr::col("listed").eq(0)),
                Expr::val(seq),
            )
            .finally(Expr::col("published_seq")),
        )
        .value(
            "listed",
            Expr::case(published, Expr::val(1)).finally(Expr::val(0)),
        );
    if cause == Cause::Records {
        update.value("content_seq", seq);
    }
}

/// Stamps with `seq` (or, with None, rewrites the stamp as it is, to lock the rows).
async fn stamp(
    db: &impl ConnectionTrait,
    offers: &[i32],
    organisations: &[i32],
    seq: Option<(i64, Cause)>,
) -> Result<(), DbErr> {
    let stamp_offers_where = |condition: Condition, cause: Cause| {
        let mut update = Query::update();
        update.table("offers").cond_where(condition);
        offer_stamp(&mut update, seq.map(|(seq, _)| (seq, cause)));
        update
    };
    let cause = seq.map_or(Cause::Records, |(_, cause)| cause);
    // In slices: SQLite binds at most 32,766 parameters per statement.
    for ids in offers.chunks(10_000) {
        let update = stamp_offers_where(
            Condition::all().add(Expr::col("id").is_in(ids.to_vec())),
            cause,
        );
        db.execute(&update).await?;
    }
    for ids in organisations.chunks(10_000) {
        let value = match seq {
            Some((seq, _)) => Expr::value(seq),
            None => Expr::col("change_seq"),
        };
        db.execute(
            &Query::update()
                .table("organisations")
                .value("change_seq", value)
                .and_where(Expr::col("id").is_in(ids.to_vec()))
                .take(),
        )
        .await?;
        let update = stamp_offers_where(
            Condition::all().add(Expr::col("organisation_id").is_in(ids.to_vec())),
            Cause::Records,
        );
        db.execute(&update).await?;
    }
    Ok(())
}

/// What an audited change touched, for the feed: the offer of a session or testimonial.
pub async fn bump_for_audited(
    db: &impl ConnectionTrait,
    entity_type: &str,
    entity_id: i32,
) -> Result<i64, DbErr> {
    let offer_of = |table: &'static str| {
        Query::select()
            .column("offer_id")
            .from(table)
            .and_where(Expr::col("id").eq(entity_id))
            .take()
    };
    let offer_id = match entity_type {
        "Offer" => Some(entity_id),
        "TrainingSlot" => offer_id(db, offer_of("training_slots")).await?,
        "Testimonial" => offer_id(db, offer_of("testimonials")).await?,
        _ => None,
    };
    match (entity_type, offer_id) {
        ("Organisation", _) => bump_and_stamp(db, &[], &[entity_id]).await,
        ("TrainingSlot", Some(offer)) => {
            bump_and_stamp_for(db, &[offer], &[], Cause::Sessions).await
        }
        (_, Some(offer)) => bump_and_stamp(db, &[offer], &[]).await,
        _ => version::bump(db).await,
    }
}

async fn offer_id(
    db: &impl ConnectionTrait,
    select: sea_orm::sea_query::SelectStatement,
) -> Result<Option<i32>, DbErr> {
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "offer_id")?)),
        None => Ok(None),
    }
}

/// A position in the feed: after the record `(seq, subject, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub seq: i64,
    /// Organisations come before offers at one sequence (offers name their organisation).
    pub subject: Subject,
    pub id: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Organisation,
    Offer,
}

/// One entry of the feed: a record at its latest change, and whether the public sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub position: Position,
    pub visible: bool,
    /// Offers: when it last entered the published catalogue, and when its own record (not
    /// only its sessions) last changed.
    pub published_seq: Option<i64>,
    pub content_seq: Option<i64>,
}

/// What happened to an offer since a partner's copy of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferChange {
    /// Not published in that copy, published now.
    Published,
    /// Published then and now, and its record changed.
    Updated,
    /// Published then and now, and only its sessions changed.
    SessionsChanged,
    /// Not published now.
    Unpublished,
}

impl Change {
    /// What happened to this offer since `known`: the feed position up to which the partner
    /// is known to hold every record (None: it holds nothing). Any doubt answers Updated or
    /// Published, never SessionsChanged: a partner that upserts loses nothing.
    pub fn offer_change(&self, known: Option<i64>) -> OfferChange {
        let after = |seq: Option<i64>| match (seq, known) {
            (_, None) | (None, _) => true,
            (Some(seq), Some(known)) => seq > known,
        };
        if !self.visible {
            OfferChange::Unpublished
        } else if after(self.published_seq) {
            OfferChange::Published
        } else if after(self.content_seq) {
            OfferChange::Updated
        } else {
            OfferChange::SessionsChanged
        }
    }
}

/// Records of `subject` after `after`, at most `limit`, in feed order.
async fn page_of(
    db: &impl ConnectionTrait,
    subject: Subject,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    let (table, visible) = match subject {
        Subject::Organisation => ("organisations", Expr::col("archived_at").is_null()),
        Subject::Offer => ("offers", Expr::col("status").eq("PUBLISHED")),
    };
    let mut select = Query::select();
    match subject {
        Subject::Organisation => select
            .expr_as(Expr::cust("NULL"), "published_seq")
            .expr_as(Expr::cust("NULL"), "content_seq"),
        Subject::Offer => select.column("published_seq").column("content_seq"),
    };
    select
        .column("id")
        .column("change_seq")
        .expr_as(
            Expr::case(visible, Expr::val(1)).finally(Expr::val(0)),
            "visible",
        )
        .from(table)
        .order_by("change_seq", sea_orm::sea_query::Order::Asc)
        .order_by("id", sea_orm::sea_query::Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        let later = Expr::col("change_seq").gt(after.seq);
        let same = Expr::col("change_seq").eq(after.seq);
        let cond = match subject.cmp(&after.subject) {
            std::cmp::Ordering::Equal => later.or(same.and(Expr::col("id").gt(after.id))),
            // This subject comes after the cursor's at its sequence: all of that sequence.
            std::cmp::Ordering::Greater => Expr::col("change_seq").gte(after.seq),
            std::cmp::Ordering::Less => later,
        };
        select.and_where(cond);
    }
    let rows = db.query_all(&select).await?;
    rows.iter()
        .map(|row| {
            Ok(Change {
                position: Position {
                    seq: row.try_get("", "change_seq")?,
                    subject,
                    id: row.try_get("", "id")?,
                },
                visible: row.try_get::<i32>("", "visible")? == 1,
                published_seq: row.try_get("", "published_seq")?,
                content_seq: row.try_get("", "content_seq")?,
            })
        })
        .collect()
}

/// The next `limit` entries of the feed after `after` (from the start when none); one
/// more than asked tells whether there is a next page.
pub async fn changes_after(
    db: &impl ConnectionTrait,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    let mut all = page_of(db, Subject::Organisation, after, limit).await?;
    all.extend(page_of(db, Subject::Offer, after, limit).await?);
    all.sort_by_key(|change| change.position);
    all.truncate(limit as usize);
    Ok(all)
}
