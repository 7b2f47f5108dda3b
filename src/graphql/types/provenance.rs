//! `Provenance`: where an organisation or an offer comes from, as data·inclusion and HSDS say it.
use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};

/// The source of a record: `manual` when it was typed in here, else the source it was
/// imported from (e.g. `data-inclusion:dora`, `lheo:carif-oref-hdf`) with its id there.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Provenance {
    pub source: String,
    /// The record's id in its source; null for a record typed in here.
    pub external_id: Option<String>,
    /// The record's page in its source (data·inclusion `lien_source`).
    pub url: Option<String>,
    /// When an import last brought it (null for a record typed in here).
    pub imported_at: Option<DateTime<Utc>>,
}

impl Provenance {
    pub fn new(
        source: &str,
        external_id: Option<&str>,
        url: Option<&str>,
        imported_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            source: source.to_owned(),
            external_id: external_id.map(str::to_owned),
            url: url.map(str::to_owned),
            imported_at,
        }
    }
}
