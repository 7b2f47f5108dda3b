//! Assembles the schema: roots merged per domain, limits, and the SDL printed sorted.
use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use super::admin::AdminQuery;
use super::eligibility::EligibilityQueryRoot;
use super::limits::{Budget, Budgets, MAX_TEXT_NESTING};
use super::mutation::MutationRoot;
use super::query::CatalogueQuery;
use crate::catalogue::actor::Actor;
use crate::catalogue::facet_index::FacetIndex;
use crate::config::Settings;

/// The query root, merged from one object per domain; named `Query` as GitHub's and
/// Shopify's roots are, so that clients need no cache configuration for it.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(CatalogueQuery, EligibilityQueryRoot, AdminQuery);

pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema; the database pool is shared, DataLoaders are added per request. No extension:
/// any extension makes the engine wrap every field (see `limits::check_document`).
pub fn build_schema(db: Option<DatabaseConnection>, settings: &Settings) -> AppSchema {
    build_limited(db, settings, None, Arc::default())
}

/// One schema per budget, the cost limit being a schema setting: the public's and that of
/// editors and admins. Depth and root fields are checked by the endpoint on the parsed
/// document (`limits::check_document`), with their own codes.
pub struct Schemas {
    public: AppSchema,
    trusted: AppSchema,
    budgets: Budgets,
}

impl Schemas {
    /// `facets`: the instance's facet index, shared by both schemas.
    pub fn build(db: DatabaseConnection, settings: &Settings, facets: Arc<FacetIndex>) -> Self {
        let budgets = settings.budgets();
        Self {
            public: build_limited(
                Some(db.clone()),
                settings,
                Some(budgets.public.complexity),
                facets.clone(),
            ),
            trusted: build_limited(Some(db), settings, Some(budgets.trusted.complexity), facets),
            budgets,
        }
    }

    /// The caller's budget and the schema that enforces its cost limit.
    pub fn for_actor(&self, actor: Option<&Actor>) -> (&AppSchema, Budget) {
        if Budgets::trusts(actor) {
            (&self.trusted, self.budgets.trusted)
        } else {
            (&self.public, self.budgets.public)
        }
    }
}

fn build_limited(
    db: Option<DatabaseConnection>,
    settings: &Settings,
    complexity: Option<usize>,
    facets: Arc<FacetIndex>,
) -> AppSchema {
    // The engine's own recursion limit stays as a backstop behind the text check.
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot, EmptySubscription)
        .limit_recursive_depth(MAX_TEXT_NESTING)
        .limit_directives(16)
        .data(settings.freshness)
        .data(facets);
    if let Some(complexity) = complexity {
        builder = builder.limit_complexity(complexity);
    }
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
