//! Commands that change the catalogue: each checks the actor's rights in the domain,
//! validates, runs in one write transaction, bumps versions and writes the audit trail.
//!
//! A version or a state read earlier only refuses early: what decides is one guarded
//! `UPDATE … WHERE id = ? AND version = ?` and the number of rows it changed. Under
//! PostgreSQL's READ COMMITTED a second writer waits on the first one's row lock, then finds
//! the version moved and changes nothing; SQLite's IMMEDIATE write transactions are serial.
pub mod conditions;
pub mod offers;
pub mod organisations;
pub mod slots;
pub mod testimonials;
pub mod validate;

use chrono::Utc;
use entity::{offer, organisation, testimonial, training_slot};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// The JSON of a row, for audit diffs.
pub fn snapshot<T: serde::Serialize>(model: &T) -> Value {
    serde_json::to_value(model).unwrap_or(Value::Null)
}

/// CONFLICT: the `entity` is at version `current`, not at the `expected` one.
fn conflict(entity: &str, expected: i32, current: i32) -> AppError {
    AppError::Conflict {
        message: format!(
            "this {entity} changed since you read it (you sent version {expected}, it is now {current}): reload it and apply your change again"
        ),
        current_version: Some(current),
    }
}

/// Refuses a stale `expected` version with CONFLICT and the current one.
pub fn check_version(entity: &str, expected: i32, current: i32) -> AppResult<()> {
    if expected == current {
        Ok(())
    } else {
        Err(conflict(entity, expected, current))
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

/// A table edited with optimistic concurrency: every change moves `version` by one and
/// `updated_at` to now, and only from the version the editor read.
pub trait Versioned: EntityTrait {
    /// What errors call a row ("training slot").
    const NAME: &'static str;
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

macro_rules! versioned {
    ($($module:ident: $name:literal),+ $(,)?) => {$(
        impl Versioned for $module::Entity {
            const NAME: &'static str = $name;
            const ID: $module::Column = $module::Column::Id;
            const VERSION: $module::Column = $module::Column::Version;
            const UPDATED_AT: $module::Column = $module::Column::UpdatedAt;
        }
    )+};
}

versioned!(
    offer: "offer",
    organisation: "organisation",
    training_slot: "training slot",
    testimonial: "testimonial",
);

/// Writes the columns set in `changes` (only those: columns left unchanged or not set keep
/// what others wrote), with the version moved from `expected` to `expected + 1` and
/// `updated_at` to now, in one `UPDATE … WHERE id = ? AND version = ?`. Of two writers on
/// one version exactly one changes a row; the other gets CONFLICT with the version the
/// first left. Returns the saved row.
pub async fn update_if_version<E>(
    db: &impl ConnectionTrait,
    id: i32,
    expected: i32,
    changes: E::ActiveModel,
) -> AppResult<E::Model>
where
    E: Versioned,
    E::Model: ModelTrait<Entity = E>,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    let result = E::update_many()
        .set(changes)
        .col_expr(E::VERSION, Expr::value(expected + 1))
        .col_expr(E::UPDATED_AT, Expr::value(Utc::now()))
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(expected))
        .exec(db)
        .await?;
    let saved = load::<E>(db, id, E::NAME).await?;
    if result.rows_affected == 0 {
        let current = match saved.get(E::VERSION) {
            sea_orm::Value::Int(Some(version)) => version,
            _ => expected + 1,
        };
        return Err(conflict(E::NAME, expected, current));
    }
    Ok(saved)
}
