//! Per-client rate limits with fixed one-minute windows counted in the database, so that
//! every API instance behind a load balancer shares the same counters.
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::error::{AppError, AppResult};

const WINDOW_SECONDS: i64 = 60;

/// Deletes the counters of past windows (run every minute by the server, off the request path).
pub async fn purge_old_windows(db: &DatabaseConnection) -> AppResult<u64> {
    let now = Utc::now().timestamp();
    let stale = Query::delete()
        .from_table("rate_limit_windows")
        .and_where(
            Expr::col("window_start").lt(now - now.rem_euclid(WINDOW_SECONDS) - WINDOW_SECONDS),
        )
        .take();
    Ok(db.execute(&stale).await?.rows_affected())
}

/// Counts one request of `bucket` ("client:12", "ip:203.0.113.7") and refuses it past `limit`.
pub async fn hit(db: &DatabaseConnection, bucket: &str, limit: u32) -> AppResult<()> {
    let now = Utc::now().timestamp();
    let window_start = now - now.rem_euclid(WINDOW_SECONDS);
    let mut insert = Query::insert();
    insert
        .into_table("rate_limit_windows")
        .columns(["bucket", "window_start", "hits"])
        .values([bucket.into(), window_start.into(), 1.into()])
        .map_err(|error| AppError::Internal(format!("rate-limit insert: {error}")))?;
    let insert = insert
        .on_conflict(
            OnConflict::columns(["bucket", "window_start"])
                .value("hits", Expr::col(("rate_limit_windows", "hits")).add(1))
                .to_owned(),
        )
        .returning_col("hits")
        .take();
    let hits: i32 = match db.query_one(&insert).await? {
        Some(row) => row.try_get("", "hits")?,
        None => 1,
    };
    if i64::from(hits) > i64::from(limit) {
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max(
                u64::try_from(window_start + WINDOW_SECONDS - now).unwrap_or(1),
                1,
            ),
        });
    }
    Ok(())
}
