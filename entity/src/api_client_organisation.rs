//! `api_client_organisations`: the organisations an editor client may edit.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_client_organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
