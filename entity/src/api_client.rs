//! `api_clients`: the front-ends and people calling the API, with hashed keys.
use crate::enums::ClientRole;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_clients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub role: ClientRole,
    /// SHA-256 of the key, hex; the key itself is never stored.
    pub key_hash: String,
    /// The first characters of the key, to recognise it in lists.
    pub key_prefix: String,
    /// JSON array of browser origins allowed to call with this key.
    pub allowed_origins: String,
    pub rate_limit_per_minute: i32,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
