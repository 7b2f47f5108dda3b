//! Housekeeping run from the command line (and cron): suspending offers nobody has verified
//! for too long, so that partners stop showing what is probably out of date.
use chrono::{DateTime, Utc};
use entity::enums::OfferStatus;
use entity::offer;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

use super::actor::Actor;
use super::audit::{AuditEntry, record};
use super::freshness::{months_before, reference_expr};
use super::transaction::write_transaction;
use crate::error::AppResult;

/// An offer the run suspended (or, in a dry run, would suspend).
#[derive(Debug, Clone, PartialEq)]
pub struct StaleOffer {
    pub id: i32,
    pub organisation_id: i32,
    pub title: String,
    /// Its last verification, or its creation when it was never verified.
    pub verified_or_created_at: DateTime<Utc>,
}

/// Suspends every published offer not verified (nor created) in the last `months` months,
/// each in its own transaction with an audit entry by `maintenance`.
///
/// Safe to run on several instances at once: each suspension is one guarded `UPDATE … WHERE
/// id = ? AND status = 'PUBLISHED' AND <still stale>`, and only the run whose update changed
/// the row writes the audit entry and lists the offer; an offer verified in the meantime is
/// left alone.
pub async fn suspend_stale_offers(
    db: &DatabaseConnection,
    months: u32,
    now: DateTime<Utc>,
    dry_run: bool,
) -> AppResult<Vec<StaleOffer>> {
    let bound = months_before(now, months);
    let still_stale = || {
        Expr::col((Alias::new("offers"), Alias::new("status")))
            .eq(OfferStatus::Published.code())
            .and(reference_expr("offers").lt(bound))
    };
    let select = Query::select()
        .columns([
            (Alias::new("offers"), Alias::new("id")),
            (Alias::new("offers"), Alias::new("organisation_id")),
            (Alias::new("offers"), Alias::new("title")),
        ])
        .expr_as(reference_expr("offers"), "reference")
        .from("offers")
        .and_where(still_stale())
        .order_by(
            (Alias::new("offers"), Alias::new("id")),
            sea_orm::sea_query::Order::Asc,
        )
        .take();
    let mut candidates = Vec::new();
    for row in db.query_all(&select).await? {
        candidates.push(StaleOffer {
            id: row.try_get("", "id")?,
            organisation_id: row.try_get("", "organisation_id")?,
            title: row.try_get("", "title")?,
            verified_or_created_at: row.try_get("", "reference")?,
        });
    }
    if dry_run {
        return Ok(candidates);
    }
    let actor = Actor::operator("maintenance");
    let mut suspended = Vec::new();
    for candidate in candidates {
        let txn = write_transaction(db).await?;
        let changed = offer::Entity::update_many()
            .col_expr(
                offer::Column::Status,
                Expr::value(OfferStatus::Suspended.code()),
            )
            .col_expr(
                offer::Column::Version,
                Expr::col(offer::Column::Version).add(1),
            )
            .col_expr(offer::Column::UpdatedAt, Expr::value(now))
            .filter(offer::Column::Id.eq(candidate.id))
            .filter(still_stale())
            .exec(&txn)
            .await?;
        if changed.rows_affected == 1 {
            let entry = AuditEntry::new("Offer", candidate.id, "suspend")
                .change(
                    "status",
                    Some(json!(OfferStatus::Published.code())),
                    Some(json!(OfferStatus::Suspended.code())),
                )
                .change(
                    "reason",
                    None,
                    Some(json!(format!(
                        "not verified since {} ({months} months or more)",
                        candidate.verified_or_created_at.format("%Y-%m-%d")
                    ))),
                );
            record(&txn, &actor, entry).await?;
            txn.commit().await?;
            suspended.push(candidate);
        } else {
            txn.rollback().await?;
        }
    }
    Ok(suspended)
}
