//! sea-orm entities of the catalogue, one module per table; no GraphQL here.
pub mod api_client;
pub mod api_client_organisation;
pub mod audit_entry;
pub mod eligibility_condition;
pub mod enums;
pub mod offer;
pub mod offer_barrier;
pub mod offer_code;
pub mod offer_duplicate;
pub mod offer_public;
pub mod offer_theme;
pub mod organisation;
pub mod sector;
pub mod testimonial;
pub mod training_slot;
