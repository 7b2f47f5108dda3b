//! API tests: the real server over HTTP, one fresh database per test.
mod errors;
mod filters;
mod fixture;
mod helpers;
mod nodes;
mod pagination;
mod probes;
mod schema;
mod statements;
