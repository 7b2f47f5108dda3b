//! What the API instances sharing one database must agree on: how many of them are alive
//! (each takes its share of every rate limit) and the secret that signs cursors.
use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::error::{AppError, AppResult};

/// An instance that has not announced itself for this long is taken for gone.
pub const ALIVE_WITHIN_SECS: i64 = 30;

/// Records that `instance` is alive and returns how many instances are (itself included).
/// One small write per instance every few seconds, never one per request.
pub async fn heartbeat(db: &DatabaseConnection, instance: &str) -> AppResult<u32> {
    let now = Utc::now().timestamp();
    let mut upsert = Query::insert();
    upsert
        .into_table("api_instances")
        .columns(["id", "last_seen"])
        .values([instance.into(), now.into()])
        .map_err(|error| AppError::Internal(format!("instance heartbeat: {error}")))?;
    upsert.on_conflict(
        OnConflict::column("id")
            .update_column("last_seen")
            .to_owned(),
    );
    db.execute(&upsert).await?;
    let forget = Query::delete()
        .from_table("api_instances")
        .and_where(Expr::col("last_seen").lt(now - 10 * ALIVE_WITHIN_SECS))
        .take();
    db.execute(&forget).await?;
    let count = Query::select()
        .expr_as(Func::count(Expr::col("id")), Alias::new("alive"))
        .from("api_instances")
        .and_where(Expr::col("last_seen").gte(now - ALIVE_WITHIN_SECS))
        .take();
    let alive: i64 = match db.query_one(&count).await? {
        Some(row) => row.try_get("", "alive")?,
        None => 1,
    };
    Ok(u32::try_from(Ord::max(alive, 1)).unwrap_or(u32::MAX))
}

/// Removes `instance` at shutdown so the others take over its share at once.
pub async fn leave(db: &DatabaseConnection, instance: &str) -> AppResult<()> {
    let delete = Query::delete()
        .from_table("api_instances")
        .and_where(Expr::col("id").eq(instance))
        .take();
    db.execute(&delete).await?;
    Ok(())
}

/// The secret named `name`, created at random by the first instance that asks for it; every
/// later instance reads the same one.
pub async fn shared_secret(db: &impl ConnectionTrait, name: &str) -> AppResult<Vec<u8>> {
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    let hex: String = fresh.iter().map(|byte| format!("{byte:02x}")).collect();
    let mut insert = Query::insert();
    insert
        .into_table("server_secrets")
        .columns(["name", "value"])
        .values([name.into(), hex.into()])
        .map_err(|error| AppError::Internal(format!("secret insert: {error}")))?;
    insert.on_conflict(OnConflict::column("name").do_nothing().to_owned());
    db.execute(&insert).await?;
    let select = Query::select()
        .column("value")
        .from("server_secrets")
        .and_where(Expr::col("name").eq(name))
        .take();
    let stored: String = db
        .query_one(&select)
        .await?
        .ok_or_else(|| AppError::Internal(format!("secret {name} missing after insert")))?
        .try_get("", "value")?;
    Ok(stored.into_bytes())
}
