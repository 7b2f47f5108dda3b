//! Per-offer summaries of its sessions, kept in the offer's row in the transaction of every
//! session write, so that "has an upcoming session" and "has seats left" are index range
//! scans instead of a probe of the sessions of every candidate offer.
//!
//! Both are dates that do not depend on today: the start of the offer's last session that is
//! not cancelled, and of its last such session with seats left. A session with seats left is
//! one that recruits (`recruitment` OPEN) and has fewer seats taken than it has, or an
//! unknown number of seats (an LHÉO session says only whether it recruits). An offer has an upcoming
//! session exactly when the first is today or later (the last session is the latest one);
//! likewise for seats.
use chrono::NaiveDate;
use entity::enums::Recruitment;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, UpdateStatement};

use crate::error::AppResult;

/// `(SELECT MAX(starts_on) FROM training_slots s WHERE s.offer_id = offers.id AND s.cancelled_at IS NULL [AND seats left])`.
fn last_start(with_seats_left: bool) -> Expr {
    let slots = |name: &'static str| Expr::col((Alias::new("s"), Alias::new(name)));
    let mut query = Query::select();
    query
        .expr(Func::max(slots("starts_on")))
        .from_as("training_slots", "s")
        .and_where(slots("offer_id").equals((Alias::new("offers"), Alias::new("id"))))
        .and_where(slots("cancelled_at").is_null());
    if with_seats_left {
        query
            .and_where(slots("recruitment").eq(Recruitment::Open.code()))
            .cond_where(
                Condition::any()
                    .add(slots("seats_total").is_null())
                    .add(slots("seats_taken").lt(slots("seats_total"))),
            );
    }
    Expr::SubQuery(None, Box::new(query.take().into()))
}

/// The UPDATE that recomputes the summaries of the offers `which` selects.
pub fn refresh_statement(which: Condition) -> UpdateStatement {
    Query::update()
        .table("offers")
        .value("last_slot_on", last_start(false))
        .value("last_open_slot_on", last_start(true))
        .cond_where(which)
        .take()
}

/// Recomputes the summaries of offers `from..=to` (after a bulk load).
pub async fn refresh_range(db: &impl ConnectionTrait, from: i32, to: i32) -> AppResult<()> {
    db.execute(&refresh_statement(Condition::all().add(
        Expr::col((Alias::new("offers"), Alias::new("id"))).between(from, to),
    )))
    .await?;
    Ok(())
}

/// Offers with (or, `wanted = false`, without) a session that is not cancelled starting
/// today or later; with `seats_left`, one that also has seats left.
pub fn upcoming(today: NaiveDate, seats_left: bool, wanted: bool) -> Condition {
    let column = Expr::col((
        Alias::new("offers"),
        Alias::new(if seats_left {
            "last_open_slot_on"
        } else {
            "last_slot_on"
        }),
    ));
    if wanted {
        Condition::all().add(column.gte(today))
    } else {
        Condition::any()
            .add(column.clone().is_null())
            .add(column.lt(today))
    }
}
