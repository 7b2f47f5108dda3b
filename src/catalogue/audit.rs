//! The audit trail: one row per change, written in the transaction of the change, and its listing.
use chrono::Utc;
use entity::{audit_entry, offer, testimonial, training_slot};
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
                // Derived columns are not changes anyone made.
                if &previous != value
                    && !matches!(
                        field.as_str(),
                        "version"
                            | "updated_at"
                            | "search_text"
                            | "last_slot_on"
                            | "last_open_slot_on"
                            | "imported_digest"
                    )
                {
                    self.changes.insert(field.clone(), json!([previous, value]));
                }
            }
        }
        self
    }
}

/// Writes the entry with the actor and the time, and bumps the catalogue version in the same
/// transaction (the one place every audited write passes: cached answers go stale with it).
/// Call it as the last write of the transaction (see `version::bump`).
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
    super::changes::bump_for_audited(db, entry.entity_type, entry.entity_id).await?;
    Ok(())
}

/// An object whose changes are audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audited {
    Offer(i32),
    Organisation(i32),
    TrainingSlot(i32),
    Testimonial(i32),
}

impl Audited {
    fn key(self) -> (&'static str, i32) {
        match self {
            Self::Offer(id) => ("Offer", id),
            Self::Organisation(id) => ("Organisation", id),
            Self::TrainingSlot(id) => ("TrainingSlot", id),
            Self::Testimonial(id) => ("Testimonial", id),
        }
    }

    /// The organisation whose editors may read the object's history.
    async fn organisation(self, db: &impl ConnectionTrait) -> AppResult<Option<i32>> {
        let offer_id = match self {
            Self::Organisation(id) => return Ok(Some(id)),
            Self::Offer(id) => Some(id),
            Self::TrainingSlot(id) => training_slot::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|s| s.offer_id),
            Self::Testimonial(id) => testimonial::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|t| t.offer_id),
        };
        let Some(offer_id) = offer_id else {
            return Ok(None);
        };
        Ok(offer::Entity::find_by_id(offer_id)
            .one(db)
            .await?
            .map(|o| o.organisation_id))
    }
}

/// The history of an object, newest first, after the entry id `after`: for admins and the
/// editors of the object's organisation.
pub async fn entries(
    db: &impl ConnectionTrait,
    actor: &Actor,
    audited: Audited,
    first: u64,
    after: Option<i32>,
) -> AppResult<Vec<audit_entry::Model>> {
    if !actor.is_admin() {
        match audited.organisation(db).await? {
            Some(organisation_id) if actor.can_edit(organisation_id) => {}
            _ => actor.require_admin("read this audit log")?,
        }
    }
    let (entity_type, entity_id) = audited.key();
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
