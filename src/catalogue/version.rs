//! The catalogue version: a one-row counter bumped in the transaction of every catalogue
//! write (`audit::record` and the seed loaders), read by every instance to tell when the
//! answers it cached went stale.
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

const TABLE: &str = "catalogue_version";

/// Bumps the version, inside the caller's write transaction, and returns it. On PostgreSQL this locks the
/// row until the commit: call it as the transaction's last write, so that no transaction
/// waits for another row lock while holding this one (no deadlock can form).
pub async fn bump(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let update = Query::update()
        .table(TABLE)
        .value("version", Expr::col("version").add(1))
        .and_where(Expr::col("id").eq(1))
        .take();
    db.execute(&update).await?;
    // The transaction sees its own bump: the version this change is known by (the change
    // feed's sequence; the row stays locked until the commit, so versions follow commits).
    current(db).await
}

/// The version now (committed writes only).
pub async fn current(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let select = Query::select()
        .column("version")
        .from(TABLE)
        .and_where(Expr::col("id").eq(1))
        .take();
    match db.query_one(&select).await? {
        Some(row) => row.try_get("", "version"),
        None => Err(DbErr::RecordNotFound(
            "the catalogue_version row (migration m20261202_102)".into(),
        )),
    }
}
