//! The records of a bundle file, one JSON object per line, as they are written and read.
//!
//! Codes are the stored codes of `entity::enums` (the public codes of data·inclusion where it
//! has one), kept as text here so that a bad code is reported with its field rather than
//! failing the whole line. Ids are not part of a bundle: records are known by their
//! provenance, `(source, external_id)`, which stays the same wherever the bundle goes.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Name written in the header of every bundle.
pub const FORMAT_NAME: &str = "insertion-catalogue-bundle";
/// Version of the format; a reader refuses a newer one.
pub const FORMAT_VERSION: u32 = 1;

/// One line of a bundle: the header first, organisations before the offers that name them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    Header(Header),
    Organisation(Box<Organisation>),
    Offer(Box<Offer>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// When the bundle was written: the demo catalogue moves its dates by the time since.
    pub exported_at: DateTime<Utc>,
}

/// How a record is known across catalogues: serde's `flatten` cannot be combined with
/// `deny_unknown_fields`, so records spell the two fields out and give their `Key` by `key()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    pub source: String,
    pub external_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// With `external_id`, how the record is known across catalogues (see `Key`).
    pub source: String,
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    pub name: String,
    pub kind: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_number: Option<String>,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A postal place with coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyMethod {
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub system: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub kind: String,
    pub mandatory: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_months_registered: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_diploma_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zone_codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_opens_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_closes_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_session_on: Option<NaiveDate>,
    /// Unknown (absent) for a session of a source without seat counts (LHÉO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats_total: Option<i32>,
    #[serde(default)]
    pub seats_taken: i32,
    /// A code of `entity::enums::Recruitment`; left out when OPEN, as in every bundle written
    /// before sessions had it.
    #[serde(default = "open", skip_serializing_if = "is_open")]
    pub recruitment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default)]
    pub remote: bool,
    /// The session's own place, when it is not the offer's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Testimonial {
    pub author_name: String,
    pub author_role: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    pub consent_given_at: DateTime<Utc>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// With `external_id`, how the record is known across catalogues (see `Key`).
    pub source: String,
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The organisation that runs it, by its key (in this bundle or already in the catalogue).
    pub organisation: Key,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    pub kind: String,
    pub sector: String,
    pub status: String,
    pub delivery_mode: String,
    /// At its organisation's address (and following it when the organisation moves).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_organisation: bool,
    /// The offer's own place, when not `at_organisation`; neither: nowhere (remote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_weeks: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_positions: Option<i32>,
    pub fees: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publics_details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub barriers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub how_to_apply: Vec<ApplyMethod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mobilisable_par: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_company_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit_for_disabled_workers: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<Slot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub testimonials: Vec<Testimonial>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn open() -> String {
    entity::enums::Recruitment::Open.code().to_owned()
}

fn is_open(code: &str) -> bool {
    code == entity::enums::Recruitment::Open.code()
}

impl Organisation {
    pub fn key(&self) -> Key {
        Key {
            source: self.source.clone(),
            external_id: self.external_id.clone(),
        }
    }
}

impl Offer {
    pub fn key(&self) -> Key {
        Key {
            source: self.source.clone(),
            external_id: self.external_id.clone(),
        }
    }
}
