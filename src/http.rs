//! The axum router: `/graphql` (POST, GET = GraphiQL), `/health`, `/metrics`, `/exports/…`, `/hsds/…`, with tracing, request ids and CORS.
mod caller;
mod cors;
mod exports;
mod graphiql;
mod graphql_endpoint;
mod hsds;
mod lheo_export;
pub mod limiter;
mod parsed_documents;
pub mod persisted_queries;
mod probes;
pub mod response_cache;
pub mod server;

use std::sync::Arc;
use std::time::Duration;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, Request as AxumRequest, State};
use axum::http::{HeaderName, Request};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::graphql::Schemas;
use crate::metrics::Metrics;
use graphql_endpoint::{JSON, response_media_type};
use limiter::RateLimits;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach: one allocation, shared (axum clones the state for every
/// request; cloning each field was 2 % of a request's time under load).
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl AppState {
    pub fn new(shared: SharedState) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// The state behind `AppState`.
pub struct SharedState {
    pub db: DatabaseConnection,
    /// The schema of each budget (the cost limit is a schema setting).
    pub schemas: Schemas,
    pub metrics: Arc<Metrics>,
    pub max_body_bytes: usize,
    pub body_read_timeout: Duration,
    pub rate_limits: Arc<RateLimits>,
    pub trust_forwarded_for: bool,
    pub public_cors_origins: Vec<String>,
    pub persisted_queries: Arc<persisted_queries::PersistedQueries>,
    pub response_cache: Arc<response_cache::ResponseCache>,
    /// The documents of the query texts seen last, parsed once.
    pub parsed_documents: Arc<parsed_documents::ParsedDocuments>,
    /// The data·inclusion `source` name of the exports.
    pub catalogue_source: String,
}

/// Longest any request may take, whatever it does (the GraphQL budget is shorter).
const REQUEST_DEADLINE: Duration = Duration::from_secs(60);

/// A deadline for every route, answered with a coded error rather than an empty 408.
async fn deadline(request: AxumRequest, next: Next) -> Response {
    let media_type = response_media_type(request.headers());
    match tokio::time::timeout(REQUEST_DEADLINE, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout {
            budget_ms: REQUEST_DEADLINE.as_millis() as u64,
        }
        .into_response(media_type),
    }
}

async fn route_not_found(request: AxumRequest) -> Response {
    AppError::RouteNotFound(format!(
        "no such path: {} (the API is at /graphql)",
        request.uri().path()
    ))
    .into_response(response_media_type(request.headers()))
}

async fn method_not_allowed(request: AxumRequest) -> Response {
    AppError::MethodNotAllowed(format!(
        "{} is not allowed on {}",
        request.method(),
        request.uri().path()
    ))
    .into_response(response_media_type(request.headers()))
}

pub fn router(state: AppState, graphiql_enabled: bool) -> Router {
    // GET serves GraphiQL to browsers that ask for a page, and runs queries for the others.
    let graphql_route = get(
        move |state: State<AppState>,
              query: Query<HashMap<String, String>>,
              request: AxumRequest| async move {
            let accepts_html = request
                .headers()
                .get(axum::http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"));
            if graphiql_enabled && accepts_html && !query.contains_key("query") {
                return graphiql::page().await.into_response();
            }
            graphql_endpoint::graphql_get(state, query, request).await
        },
    )
    .post(graphql_endpoint::graphql_post);
    let mut router = Router::new()
        .route("/graphql", graphql_route)
        .route("/health", get(probes::health))
        .route("/health/live", get(probes::live))
        .route("/metrics", get(probes::metrics))
        .route(
            "/exports/data-inclusion/structures",
            get(exports::data_inclusion_structures),
        )
        .route(
            "/exports/data-inclusion/services",
            get(exports::data_inclusion_services),
        )
        .route("/exports/lheo", get(lheo_export::lheo))
        .route("/hsds", get(hsds::about))
        .route("/hsds/", get(hsds::about))
        .route("/hsds/services", get(hsds::services))
        .route("/hsds/services/{id}", get(hsds::service))
        .route("/hsds/organizations", get(hsds::organizations))
        .route("/hsds/organizations/{id}", get(hsds::organization))
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    if graphiql_enabled {
        router = router.route("/graphiql/{file}", get(graphiql::asset));
    }
    let cors = cors::layer(state.db.clone(), state.public_cors_origins.clone());
    router
        .with_state(state)
        .layer(cors)
        // gzip or br when the client accepts them; small answers are left as they are.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(deadline))
        .layer(CatchPanicLayer::custom(|_panic| {
            AppError::Internal("a request handler panicked".into()).into_response(JSON)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let request_id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
