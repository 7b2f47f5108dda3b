//! `training_slots`: dated sessions of an offer, with their seats when known and whether they recruit.
use sea_orm::entity::prelude::*;

use crate::enums::Recruitment;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_slots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub offer_id: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub registration_opens_on: Option<Date>,
    pub registration_closes_on: Option<Date>,
    pub info_session_on: Option<Date>,
    /// Unknown for sessions imported from a format without seats (LHÉO).
    pub seats_total: Option<i32>,
    pub seats_taken: i32,
    pub recruitment: Recruitment,
    pub cancelled_at: Option<DateTimeUtc>,
    pub schedule: Option<String>,
    pub remote: bool,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub commune_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
