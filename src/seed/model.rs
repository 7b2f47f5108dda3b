//! Plain records a catalogue is seeded from: what the demo catalogue and the generator produce before insertion.
//!
//! Dates are relative to the day of seeding (`*_days` fields), so a demo database loaded
//! any day shows sessions spread over the coming months.

use entity::enums::{
    ApplyChannel, Barrier, ContractType, Country, DeliveryMode, Fees, OfferKind, OrganisationKind,
    Public, TestimonialRole, TestimonialStatus,
};

/// A postal place with its official commune code (INSEE in France, INS/NIS in Belgium).
#[derive(Debug, Clone, PartialEq)]
pub struct SeedPlace {
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub country: Country,
    /// SIRET (14 digits) in France, BCE/KBO number (10 digits) in Belgium.
    pub company_number: String,
    pub place: SeedPlace,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// OpenStreetMap `opening_hours` syntax, e.g. "Mo-Fr 09:00-12:30,13:30-17:00".
    pub opening_hours: Option<String>,
    pub accessibility_url: Option<String>,
    /// data·inclusion `ReseauPorteur` codes.
    pub networks: Vec<String>,
    pub verified_days_ago: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedApply {
    pub channel: ApplyChannel,
    /// The URL, e-mail address or phone number the channel needs, if any.
    pub value: Option<String>,
    pub instructions: Option<String>,
}

/// A condition as seeded: the same fields an editor gives through `setEligibilityConditions`.
pub use crate::catalogue::editing::conditions::ConditionFields as SeedCondition;

#[derive(Debug, Clone, PartialEq)]
pub struct SeedSlot {
    pub starts_in_days: i64,
    pub length_days: i64,
    pub registration_opens_days_before: Option<i64>,
    pub registration_closes_days_before: Option<i64>,
    pub info_session_days_before: Option<i64>,
    pub seats_total: i32,
    pub seats_taken: i32,
    pub cancelled: bool,
    pub schedule: Option<String>,
    pub remote: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedTestimonial {
    pub author_name: String,
    pub role: TestimonialRole,
    pub body: String,
    /// Month of the cohort, "YYYY-MM".
    pub cohort: String,
    pub status: TestimonialStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedOffer {
    /// Index of the organisation in the list it was produced with.
    pub organisation: usize,
    pub title: String,
    /// At most 280 characters.
    pub summary: String,
    pub description: String,
    pub kind: OfferKind,
    /// Code of a row of the `sectors` table (see `SECTOR_CODES`).
    pub sector: &'static str,
    pub publics: Vec<Public>,
    pub barriers: Vec<Barrier>,
    /// data·inclusion `Thematique` codes.
    pub themes: Vec<&'static str>,
    pub delivery_mode: DeliveryMode,
    /// `None`: the offer takes place at its organisation's address.
    pub place: Option<SeedPlace>,
    pub weekly_hours: Option<f64>,
    pub duration_weeks: Option<i32>,
    pub contract_type: Option<ContractType>,
    pub open_positions: Option<i32>,
    pub fees: Fees,
    pub how_to_apply: Vec<SeedApply>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub conditions: Vec<SeedCondition>,
    pub slots: Vec<SeedSlot>,
    pub testimonials: Vec<SeedTestimonial>,
    pub verified_days_ago: Option<u32>,
    pub updated_days_ago: u32,
}

/// Sector codes created by the migrations; an admin may add more.
pub const SECTOR_CODES: &[&str] = &[
    "BIKE_REPAIR",
    "DECONSTRUCTION",
    "WEEE",
    "CARPENTRY",
    "GREEN_SPACES",
    "CLEANING",
    "CATERING",
    "LOGISTICS",
    "CONSTRUCTION",
    "PERSONAL_SERVICES",
    "RECYCLING_TEXTILES",
    "AGRICULTURE",
    "DIGITAL",
];
