//! `audit_log`: who changed what and when, with the changed fields before and after.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// None for changes made from the command line.
    pub client_id: Option<i32>,
    pub client_name: String,
    /// "Offer", "Organisation", "TrainingSlot", "Testimonial", "ApiClient".
    pub entity_type: String,
    pub entity_id: i32,
    /// "create", "update", "publish", "approve"…
    pub action: String,
    /// JSON object: field → [before, after].
    pub changes: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
