//! data·inclusion schema v1 (v1.0.8): our organisations as `structures`, our offers as `services`.
//!
//! `mapping` is the one place where our fields meet theirs; `schema` holds the official JSON
//! Schemas (`reference/data-inclusion-schema-v1/`) and makes each record fit them; `export`
//! walks the published catalogue by keyset pages and writes JSON lines; `import` reads a dump
//! back into the catalogue through the bundle importer.
pub mod export;
pub mod import;
pub mod mapping;
pub mod schema;

/// The two record types of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Structures,
    Services,
}

impl Dataset {
    /// The schema's name for it, as in its file names and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Structures => "structures",
            Self::Services => "services",
        }
    }
}
