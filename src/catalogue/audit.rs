//! The audit trail: one row per change, written in the transaction of the change, and its listing.
use chrono::Utc;
use entity::audit_entry;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value, json};

use super::actor::Actor;
use crate::error::AppResult;

/// A change about to be recorded.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    entity_type: &'static str,
    entity_id: i32,
    action: &'static str,
    changes: Map<String, Value>,
}

impl AuditEntry {
    pub fn new(entity_type: &'static str, entity_id: i32, action: &'static str) -> Self {
        Self {
            entity_type,
            entity_id,
            action,
            changes: Map::new(),
        }
    }

    /// Records `field` going from `before` to `after` (only when they differ).
    pub fn change(mut self, field: &str, before: Option<Value>, after: Option<Value>) -> Self {
        let before = before.unwrap_or(Value::Null);
        let after = after.unwrap_or(Value::Null);
        if before != after {
            self.changes
                .insert(field.to_owned(), json!([before, after]));
        }
        self
    }

    /// Records every differing field of two JSON objects (e.g. a row before and after).
    pub fn diff(mut self, before: &Value, after: &Value) -> Self {
        if let (Value::Object(old), Value::Object(new)) = (before, after) {
            for (field, value) in new {
                let previous = old.get(field).cloned().unwrap_or(Value::Null);
                if &previous != value
                    && field != "version"
                    && field != "updated_at"
                    && field != "search_text"
                {
                    self.changes.insert(field.clone(), json!([previous, value]));
                }
            }
        }
        self
    }
}

/// Writes the entry with the actor and the time.
pub async fn record(db: &impl ConnectionTrait, actor: &Actor, entry: AuditEntry) -> AppResult<()> {
    audit_entry::ActiveModel {
        client_id: Set(actor.client_id),
        client_name: Set(actor.name.clone()),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action.to_owned()),
        changes: Set(Value::Object(entry.changes).to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Entries about one entity, newest first, after the entry id `after`.
pub async fn entries(
    db: &impl ConnectionTrait,
    entity_type: &str,
    entity_id: i32,
    first: u64,
    after: Option<i32>,
) -> AppResult<Vec<audit_entry::Model>> {
    let mut query = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq(entity_type))
        .filter(audit_entry::Column::EntityId.eq(entity_id));
    if let Some(after) = after {
        query = query.filter(audit_entry::Column::Id.lt(after));
    }
    Ok(query
        .order_by_desc(audit_entry::Column::Id)
        .limit(first)
        .all(db)
        .await?)
}
