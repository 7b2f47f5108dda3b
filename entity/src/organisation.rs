//! `organisations`: the structures that run offers.
use crate::enums::{Country, OrganisationKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub kind: OrganisationKind,
    pub country: Country,
    pub company_number: Option<String>,
    pub departement: Option<String>,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub accessibility_url: Option<String>,
    /// JSON array of data·inclusion network codes.
    pub networks: String,
    /// Lower-cased, accent-free name for text search.
    pub search_text: String,
    pub verified_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Where the record comes from: `manual` when typed in here, else e.g. `data-inclusion:dora`.
    pub source: String,
    /// Its id in that source; `(source, external_id)` is unique.
    pub external_id: Option<String>,
    /// Its page in that source (data·inclusion `lien_source`).
    pub source_url: Option<String>,
    pub imported_at: Option<DateTimeUtc>,
    /// Digest of the record as last imported: tells a changed source from a local edit.
    pub imported_digest: Option<String>,
    /// Catalogue version of the record's last change (the change feed's order).
    pub change_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
