//! The insertion-offer catalogue: builds the app (database, schema, router) so `main` and tests start the same thing.
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod db;
pub mod eligibility;
pub mod error;
pub mod exchange;
pub mod geo_codes;
pub mod graphql;
pub mod http;
pub mod loadgen;
pub mod metrics;
pub mod native_heap;
pub mod seed;
pub mod startup;
pub mod telemetry;
