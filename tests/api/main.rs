//! API tests: the real server over HTTP, one fresh database per test.
mod cli;
mod concurrency;
mod editing;
mod eligibility;
mod enum_columns;
mod errors;
mod filters;
mod fixture;
mod hardening;
mod helpers;
mod nodes;
mod pagination;
mod privacy;
mod probes;
mod schema;
mod statements;
mod world;
