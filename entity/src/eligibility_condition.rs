//! `eligibility_conditions`: typed, machine-checkable conditions of an offer.
use crate::enums::{ConditionKind, ZoneKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "eligibility_conditions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub offer_id: i32,
    /// Display order within the offer.
    pub position: i32,
    pub kind: ConditionKind,
    pub mandatory: bool,
    pub description: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub min_months_registered: Option<i32>,
    pub max_diploma_level: Option<i32>,
    pub zone_kind: Option<ZoneKind>,
    /// JSON array of commune or département codes.
    pub zone_codes: String,
    pub language_level: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
