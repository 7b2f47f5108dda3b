//! LHÉO 2.3 (and 2.2) training offers, the Carif-Oref exchange format: `formation` → `action`
//! → `session` as our training offers and their sessions, the `organisme-formateur` (or the
//! `organisme-formation-responsable`) as their organisation.
//!
//! `xml` reads one element and its subtree at a time; `read` walks a file one `formation` at
//! a time and hands records to the bundle importer; `mapping` is where LHÉO's elements meet
//! our fields, both ways; `export` writes the published training offers as LHÉO 2.3.
pub mod export;
pub mod mapping;
pub mod read;
pub mod xml;

/// The namespace of LHÉO 2.3, which the export writes.
pub const NAMESPACE_2_3: &str = "http://lheo.gouv.fr/2.3";
/// The namespace of LHÉO 2.2, whose files still circulate and are read alike.
pub const NAMESPACE_2_2: &str = "http://lheo.gouv.fr/2.2";

/// The prefix of the provenance of every imported record.
pub const SOURCE_PREFIX: &str = "lheo:";
