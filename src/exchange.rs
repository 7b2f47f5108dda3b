//! Exchange formats: the catalogue given back in the national formats its partners read.
pub mod data_inclusion;
