//! `offers`: what a job seeker can join.
use crate::enums::{
    ContractType, Country, DeliveryMode, DisabledWorkerFit, Fees, OfferKind, OfferStatus,
};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub kind: OfferKind,
    pub sector_code: String,
    pub status: OfferStatus,
    pub delivery_mode: DeliveryMode,
    pub country: Country,
    pub departement: Option<String>,
    /// The place is a copy of the organisation's (kept in step when it moves).
    pub location_from_organisation: bool,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub commune_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub weekly_hours: Option<f64>,
    pub duration_weeks: Option<i32>,
    pub contract_type: Option<ContractType>,
    pub open_positions: Option<i32>,
    pub fees: Fees,
    /// JSON array of `{channel, value, instructions}`.
    pub how_to_apply: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
    /// The API client (or operator) who last marked the offer verified.
    pub verified_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When the offer was last published (set by each publication).
    pub published_at: Option<DateTimeUtc>,
    /// SIRET or BCE number of the host company of a work placement or job, when it is not
    /// the organisation itself.
    pub host_company_number: Option<String>,
    pub fit_for_disabled_workers: Option<DisabledWorkerFit>,
    /// JSON array of data·inclusion `PersonneMobilisatrice` codes: who may refer someone.
    pub mobilisable_par: String,
    /// data·inclusion `publics_precisions`.
    pub publics_details: Option<String>,
    /// data·inclusion `frais_precisions`.
    pub fees_details: Option<String>,
    /// Start of the last session that is not cancelled (kept by every session write).
    pub last_slot_on: Option<Date>,
    /// Start of the last session that is not cancelled and has seats left.
    pub last_open_slot_on: Option<Date>,
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
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
