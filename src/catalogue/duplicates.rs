//! Offers listed twice: two sources announcing one course in one town. The detection pairs
//! offers of different sources, of the same kind and town, whose folded titles are nearly
//! the same; admins confirm (one offer, twice) or dismiss (two offers) each pair.
//!
//! A pair is stored once, its lower id first; readers who ask for the catalogue without
//! duplicates (`excludeDuplicates`) see the lower id of every pair not dismissed.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::enums::DuplicateStatus;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::actor::Actor;
use super::audit::{AuditEntry, record};
use super::text::fold;
use super::transaction::write_transaction;
use crate::error::{AppError, AppResult};

/// Titles at least this similar (Sørensen–Dice on letter pairs of the folded titles) are
/// suggested as duplicates: "Atelier vélo solidaire" and "Atelier  Vélo solidaire !" are,
/// "Atelier vélo" and "Atelier bois" are not.
pub const SIMILARITY: f64 = 0.85;

/// Pairs written per statement.
const BATCH: usize = 500;

/// An offer as the detection sees it.
struct Candidate {
    id: i32,
    source: String,
    title: String,
}

/// What a detection run found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detected {
    /// Pairs found (new and already known).
    pub pairs: usize,
    /// Pairs new to the catalogue (written unless a dry run).
    pub new: usize,
}

/// How alike two folded titles are, 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::sorensen_dice(a, b)
}

/// Finds the pairs among offers not archived (of organisations not archived) and records
/// the new ones as SUGGESTED; pairs already known keep their status (a dismissed pair stays
/// dismissed). Safe to run at once on several instances: each pair is an insert that does
/// nothing when the pair exists.
pub async fn detect(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    dry_run: bool,
) -> AppResult<Detected> {
    let select = Query::select()
        .expr_as(Expr::col((Alias::new("o"), Alias::new("id"))), "id")
        .expr_as(Expr::col((Alias::new("o"), Alias::new("source"))), "source")
        .expr_as(Expr::col((Alias::new("o"), Alias::new("kind"))), "kind")
        .expr_as(
            Expr::cust("COALESCE(o.commune_code, g.commune_code)"),
            "commune",
        )
        .expr_as(Expr::col((Alias::new("o"), Alias::new("title"))), "title")
        .from_as("offers", "o")
        .join_as(
            JoinType::InnerJoin,
            Alias::new("organisations"),
            Alias::new("g"),
            Expr::col((Alias::new("g"), Alias::new("id")))
                .equals((Alias::new("o"), Alias::new("organisation_id"))),
        )
        .and_where(Expr::col((Alias::new("o"), Alias::new("status"))).ne("ARCHIVED"))
        .and_where(Expr::col((Alias::new("g"), Alias::new("archived_at"))).is_null())
        .take();
    let mut blocks: HashMap<(String, String), Vec<Candidate>> = HashMap::new();
    for row in db.query_all(&select).await? {
        let commune: Option<String> = row.try_get("", "commune")?;
        let Some(commune) = commune else { continue };
        let kind: String = row.try_get("", "kind")?;
        let title: String = row.try_get("", "title")?;
        blocks.entry((kind, commune)).or_default().push(Candidate {
            id: row.try_get("", "id")?,
            source: row.try_get("", "source")?,
            title: fold(&title),
        });
    }
    let mut pairs = Vec::new();
    for block in blocks.values() {
        for (i, a) in block.iter().enumerate() {
            for b in &block[i + 1..] {
                if a.source == b.source {
                    continue;
                }
                let score = similarity(&a.title, &b.title);
                if score >= SIMILARITY {
                    pairs.push((Ord::min(a.id, b.id), Ord::max(a.id, b.id), score));
                }
            }
        }
    }
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
        detected.new += db.execute(&insert).await?.rows_affected() as usize;
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
