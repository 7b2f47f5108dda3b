//! The catalogue domain: searches and batch reads over offers, organisations, slots and testimonials.
pub mod actor;
pub mod apply;
pub mod audit;
pub mod clients;
pub mod editing;
pub mod eligibility_match;
pub mod geo;
pub mod instances;
pub mod keyset;
pub mod lookup;
pub mod nested;
pub mod offer_search;
pub mod organisation_search;
pub mod reference;
pub mod slot_status;
pub mod text;
pub mod transaction;
