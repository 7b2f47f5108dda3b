//! GraphQL output types, kept apart from the entity models they are built from.
pub mod change;
pub mod condition;
pub mod connection;
pub mod duplicate;
pub mod facets;
pub mod location;
pub mod offer;
pub mod organisation;
pub mod provenance;
pub mod quality;
pub mod slot;
pub mod testimonial;
