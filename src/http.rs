//! The axum router: `/graphql` (POST, GET = GraphiQL), `/health`, `/metrics`, with tracing, request ids and CORS.
mod caller;
mod cors;
mod graphiql;
mod graphql_endpoint;
mod probes;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::graphql::AppSchema;
use crate::metrics::Metrics;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub metrics: Arc<Metrics>,
    pub max_body_bytes: usize,
    pub anonymous_rate_limit: u32,
    pub trust_forwarded_for: bool,
    pub public_cors_origins: Vec<String>,
}

pub fn router(state: AppState, graphiql_enabled: bool) -> Router {
    let graphql_route = if graphiql_enabled {
        get(graphiql::page).post(graphql_endpoint::graphql_post)
    } else {
        axum::routing::post(graphql_endpoint::graphql_post)
    };
    let mut router = Router::new()
        .route("/graphql", graphql_route)
        .route("/health", get(probes::health))
        .route("/metrics", get(probes::metrics));
    if graphiql_enabled {
        router = router.route("/graphiql/{file}", get(graphiql::asset));
    }
    let cors = cors::layer(state.db.clone(), state.public_cors_origins.clone());
    router
        .with_state(state)
        .layer(cors)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
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
