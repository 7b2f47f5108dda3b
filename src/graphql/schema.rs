//! Assembles the schema: roots merged per domain, limits, and the SDL printed sorted.
use async_graphql::{EmptySubscription, MergedObject, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use super::admin::AdminQuery;
use super::eligibility::EligibilityQueryRoot;
use super::limits::{MAX_TEXT_NESTING, RequestLimits};
use super::mutation::MutationRoot;
use super::query::CatalogueQuery;
use crate::config::Settings;

/// The query root, merged from one object per domain; named `Query` as GitHub's and
/// Shopify's roots are, so that clients need no cache configuration for it.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(CatalogueQuery, EligibilityQueryRoot, AdminQuery);

pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema with its limits; the database pool is shared, DataLoaders are added per request.
pub fn build_schema(db: Option<DatabaseConnection>, settings: &Settings) -> AppSchema {
    // Depth, cost and root fields are checked by `RequestLimits` against the caller's budget,
    // with their own codes; the engine's own recursion limit stays as a backstop.
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot, EmptySubscription)
        .extension(RequestLimits {
            budgets: settings.budgets(),
        })
        .limit_recursive_depth(MAX_TEXT_NESTING)
        .limit_directives(16)
        .data(settings.freshness);
    if !settings.introspection {
        builder = builder.disable_introspection();
    }
    if let Some(db) = db {
        builder = builder.data(db);
    }
    builder.finish()
}

/// The SDL with fields, arguments and enum values sorted, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, &Settings::default()).sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items(),
    )
}
