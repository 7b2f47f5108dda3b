//! Offers listed twice: two sources announcing one course. The detection pairs offers of
//! different sources and the same kind, held in the same town or by organisations with the
//! same company number (SIRET/BCE), whose folded titles are nearly the same and whose
//! organisations are the same one or alike by name; admins confirm (one offer, twice) or
//! dismiss (two offers) each pair.
//!
//! A pair is stored once, its lower id first; readers who ask for the catalogue without
//! duplicates (`excludeDuplicates`) see, of each pair not dismissed, the offer verified most
//! recently (see `offer_search`).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::DuplicateStatus;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::actor::Actor;
use super::audit::{AuditEntry, record};
use super::fulltext_index::offers_with_organisation;
use super::text::fold;
use super::transaction::write_transaction;
use super::version;
use crate::error::{AppError, AppResult};

/// Titles at least this similar (Sørensen–Dice on letter pairs of the folded titles) are
/// suggested as duplicates: "Atelier vélo solidaire" and "Atelier  Vélo solidaire !" are,
/// "Atelier vélo" and "Atelier bois" are not.
pub const SIMILARITY: f64 = 0.85;

/// Organisations of two different company numbers (or without one) must have names at least
/// this alike: "Les Rayons Solidaires de Lens" and "Association Les Rayons Solidaires" are,
/// two neighbours "Réemploi Bâti de Lens" and "Les Rayons Solidaires de Lens" are not.
pub const ORGANISATION_SIMILARITY: f64 = 0.5;

/// Pairs written per statement.
const BATCH: usize = 500;

/// Which pairs a detection run looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every pair of the catalogue (`maintenance duplicates`).
    Everything,
    /// Pairs with at least one offer imported or changed since this instant (after an
    /// import: its records against the whole catalogue, not the catalogue against itself).
    ChangedSince(DateTime<Utc>),
}

/// An offer as the detection sees it.
struct Candidate {
    id: i32,
    source: String,
    /// Folded title.
    title: String,
    /// Folded name of its organisation.
    organisation: String,
    company_number: Option<String>,
    /// In the scope of the run (always, for `Scope::Everything`).
    in_scope: bool,
}

impl Candidate {
    /// How sure we are that `self` and `other` are one offer (0 to 1), or None when they are
    /// not a pair: the mean of the titles' and the organisations' similarities (one company
    /// number counts as the same organisation).
    fn confidence(&self, other: &Candidate) -> Option<f64> {
        if self.source == other.source || !(self.in_scope || other.in_scope) {
            return None;
        }
        let title = similarity(&self.title, &other.title);
        if title < SIMILARITY {
            return None;
        }
        let organisation = match (&self.company_number, &other.company_number) {
            (Some(a), Some(b)) if a == b => 1.0,
            _ => similarity(&self.organisation, &other.organisation),
        };
        (organisation >= ORGANISATION_SIMILARITY).then_some((title + organisation) / 2.0)
    }
}

/// What a detection run found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detected {
    /// Pairs found (new and already known).
    pub pairs: usize,
    /// Pairs new to the catalogue (written unless a dry run).
    pub new: usize,
}

/// How alike two folded texts are, 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::sorensen_dice(a, b)
}

/// Finds the pairs in `scope` among offers not archived (of organisations not archived)
/// and records the new ones as SUGGESTED; pairs already known keep their status (a dismissed
/// pair stays dismissed). Safe to run at once on several instances: each pair is an insert
/// that does nothing when the pair exists.
pub async fn detect(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    scope: Scope,
    dry_run: bool,
) -> AppResult<Detected> {
    let column = |table: &str, name: &str| Expr::col((Alias::new(table), Alias::new(name)));
    let select = offers_with_organisation()
        .expr_as(column("o", "source"), "source")
        .expr_as(column("o", "kind"), "kind")
        .expr_as(
            Expr::cust("COALESCE(o.commune_code, g.commune_code)"),
            "commune",
        )
        .expr_as(column("o", "title"), "title")
        .expr_as(column("o", "updated_at"), "updated_at")
        .expr_as(column("o", "imported_at"), "imported_at")
        .expr_as(column("g", "company_number"), "company_number")
        .and_where(column("o", "status").ne("ARCHIVED"))
        .and_where(column("g", "archived_at").is_null())
        .take();
    // Blocks of offers that may be one: same kind and town, or same kind and company number.
    let mut candidates = Vec::new();
    let mut blocks: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for row in db.query_all(&select).await? {
        let kind: String = row.try_get("", "kind")?;
        let commune: Option<String> = row.try_get("", "commune")?;
        let company_number: Option<String> = row.try_get("", "company_number")?;
        let in_scope = match scope {
            Scope::Everything => true,
            Scope::ChangedSince(since) => {
                let updated: DateTime<Utc> = row.try_get("", "updated_at")?;
                let imported: Option<DateTime<Utc>> = row.try_get("", "imported_at")?;
                updated >= since || imported.is_some_and(|t| t >= since)
            }
        };
        let index = candidates.len();
        if let Some(commune) = commune {
            blocks
                .entry((kind.clone(), format!("commune {commune}")))
                .or_default()
                .push(index);
        }
        if let Some(number) = &company_number {
            blocks
                .entry((kind, format!("company {number}")))
                .or_default()
                .push(index);
        }
        let title: String = row.try_get("", "title")?;
        let organisation: String = row.try_get("", "organisation")?;
        candidates.push(Candidate {
            id: row.try_get("", "id")?,
            source: row.try_get("", "source")?,
            title: fold(&title),
            organisation: fold(&organisation),
            company_number,
            in_scope,
        });
    }
    // A pair found in two blocks (same town and same company) is kept once.
    let mut found: HashMap<(i32, i32), f64> = HashMap::new();
    for block in blocks.values() {
        for (i, &a) in block.iter().enumerate() {
            for &b in &block[i + 1..] {
                let (a, b) = (&candidates[a], &candidates[b]);
                if let Some(score) = a.confidence(b) {
                    found.insert((Ord::min(a.id, b.id), Ord::max(a.id, b.id)), score);
                }
            }
        }
    }
    let mut pairs: Vec<(i32, i32, f64)> = found.into_iter().map(|((a, b), s)| (a, b, s)).collect();
    pairs.sort_by_key(|(a, b, _)| (*a, *b));
    let mut detected = Detected {
        pairs: pairs.len(),
        new: 0,
    };
    for batch in pairs.chunks(BATCH) {
        if dry_run {
            let known = known_pairs(db, batch).await?;
            detected.new += batch.len() - known;
            continue;
        }
        let mut insert = Query::insert();
        insert.into_table("offer_duplicates").columns([
            "offer_id",
            "duplicate_id",
            "score",
            "status",
            "created_at",
        ]);
        for (a, b, score) in batch {
            insert.values_panic([
                (*a).into(),
                (*b).into(),
                (*score).into(),
                DuplicateStatus::Suggested.code().into(),
                now.into(),
            ]);
        }
        insert.on_conflict(
            OnConflict::columns([Alias::new("offer_id"), Alias::new("duplicate_id")])
                .do_nothing()
                .to_owned(),
        );
        // New pairs change what `excludeDuplicates` lists: they bump the catalogue version in
        // their transaction, as every write does, so that cached answers and the in-memory
        // postings of every instance follow.
        let txn = write_transaction(db).await?;
        let new = txn.execute(&insert).await?.rows_affected() as usize;
        if new > 0 {
            version::bump(&txn).await?;
        }
        txn.commit().await?;
        detected.new += new;
    }
    Ok(detected)
}

async fn known_pairs(db: &DatabaseConnection, batch: &[(i32, i32, f64)]) -> AppResult<usize> {
    let mut count = 0;
    for (a, b, _) in batch {
        let select = Query::select()
            .expr(Expr::val(1))
            .from("offer_duplicates")
            .and_where(Expr::col("offer_id").eq(*a))
            .and_where(Expr::col("duplicate_id").eq(*b))
            .take();
        count += usize::from(db.query_one(&select).await?.is_some());
    }
    Ok(count)
}

/// Confirms or dismisses the pair of offers `a` and `b` (in any order), as `actor`, with an
/// audit entry on the lower id. One guarded UPDATE: of two admins deciding at once, each
/// decision that changes the status is applied and audited in turn; deciding what is already
/// decided changes nothing. A pair the detection never suggested is NOT_FOUND.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    (a, b): (i32, i32),
    status: DuplicateStatus,
    now: DateTime<Utc>,
) -> AppResult<DuplicateStatus> {
    let (low, high) = (Ord::min(a, b), Ord::max(a, b));
    let txn = write_transaction(db).await?;
    let pair = |query: &mut sea_orm::sea_query::UpdateStatement| {
        query
            .and_where(Expr::col("offer_id").eq(low))
            .and_where(Expr::col("duplicate_id").eq(high))
            .to_owned()
    };
    let current = txn
        .query_one(
            &Query::select()
                .column("status")
                .from("offer_duplicates")
                .and_where(Expr::col("offer_id").eq(low))
                .and_where(Expr::col("duplicate_id").eq(high))
                .take(),
        )
        .await?
        .map(|row| row.try_get::<String>("", "status"))
        .transpose()?;
    let Some(before) = current.as_deref().and_then(DuplicateStatus::from_code) else {
        return Err(AppError::NotFound(format!(
            "offers {a} and {b} are not a suggested pair of duplicates"
        )));
    };
    let changed = txn
        .execute(&pair(
            Query::update()
                .table("offer_duplicates")
                .value("status", status.code())
                .value("decided_by", actor.name.clone())
                .value("decided_at", now)
                .and_where(Expr::col("status").ne(status.code())),
        ))
        .await?
        .rows_affected();
    if changed == 1 {
        record(
            &txn,
            actor,
            AuditEntry::new("Offer", low, "decide_duplicate").change(
                &format!("duplicates.{high}"),
                Some(before.code().into()),
                Some(status.code().into()),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(status)
}
