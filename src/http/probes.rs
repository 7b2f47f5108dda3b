//! `GET /health` (ready: checks the database within a second), `GET /health/live` (the
//! process answers; no database), and `GET /metrics` (Prometheus text).
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::AppState;

/// The readiness answer is due within a second, even when the database hangs: half of it
/// for the database, the rest is margin for a loaded machine.
const HEALTH_TIMEOUT: Duration = Duration::from_millis(500);

pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let unavailable = |why: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                header::RETRY_AFTER,
                crate::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
            )],
            Json(json!({ "status": "unavailable", "database": why })),
        )
    };
    match tokio::time::timeout(HEALTH_TIMEOUT, state.db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store".to_owned())],
            Json(json!({ "status": "ok", "database": "ok" })),
        ),
        Ok(Err(error)) => {
            tracing::error!(%error, "health check: database unreachable");
            unavailable("unreachable")
        }
        Err(_) => {
            tracing::error!("health check: the database did not answer in time");
            unavailable("timeout")
        }
    }
}

/// Liveness: the process serves requests. It does not touch the database, so that an
/// orchestrator does not restart healthy instances during a database outage.
pub async fn live() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
