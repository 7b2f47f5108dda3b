//! The GraphQL API: schema assembly, roots, output and input types, per-request loaders.
pub mod admin;
pub mod context;
pub mod cost;
pub mod eligibility;
pub mod enums;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod mutation_inputs;
pub mod offer_list;
pub mod prefetch;
pub mod query;
pub mod referentials;
pub mod scalars;
pub mod schema;
pub mod types;

pub use schema::{AppSchema, Schemas, build_schema, sdl};
