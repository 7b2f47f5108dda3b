//! Exchange formats: what the catalogue imports from and gives back in the formats its
//! partners read.
pub mod bundle;
pub mod data_inclusion;
pub mod hsds;
pub mod json_stream;
pub mod lheo;
pub mod report;
