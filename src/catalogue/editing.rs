//! Commands that change the catalogue: each checks the actor's rights in the domain,
//! validates, runs in one write transaction, bumps versions and writes the audit trail.
pub mod conditions;
pub mod offers;
pub mod organisations;
pub mod slots;
pub mod testimonials;
pub mod validate;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// The JSON of a row, for audit diffs.
pub fn snapshot<T: serde::Serialize>(model: &T) -> Value {
    serde_json::to_value(model).unwrap_or(Value::Null)
}

/// Refuses a stale `expected` version with CONFLICT and the current one.
pub fn check_version(entity: &str, expected: i32, current: i32) -> AppResult<()> {
    if expected == current {
        Ok(())
    } else {
        Err(AppError::Conflict {
            message: format!(
                "this {entity} changed since you read it (you sent version {expected}, it is now {current}): reload it and apply your change again"
            ),
            current_version: Some(current),
        })
    }
}

/// Loads a row for change, or NOT_FOUND.
pub async fn load<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: i32,
    what: &str,
) -> AppResult<E::Model>
where
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(what.to_owned()))
}

/// Writes `row` only if the stored version is still `expected` (the caller has set the new
/// version and `updated_at` on it): no lost update, even between two instances. Returns the
/// saved row, or CONFLICT with the version another writer left.
pub async fn update_if_version<E>(
    db: &impl ConnectionTrait,
    what: &str,
    (id_column, version_column): (E::Column, E::Column),
    id: i32,
    expected: i32,
    row: E::ActiveModel,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    E::Model: ModelTrait<Entity = E>,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    let result = E::update_many()
        .set(row)
        .filter(id_column.eq(id))
        .filter(version_column.eq(expected))
        .exec(db)
        .await?;
    let saved = load::<E>(db, id, what).await?;
    if result.rows_affected == 0 {
        let current = match saved.get(version_column) {
            sea_orm::Value::Int(Some(version)) => version,
            _ => expected + 1,
        };
        check_version(what, expected, current)?;
    }
    Ok(saved)
}
