//! Exchange formats: what the catalogue imports from and exports to.
pub mod bundle;
pub mod report;
