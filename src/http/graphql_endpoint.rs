//! `POST /graphql`: body limit, content negotiation (GraphQL over HTTP), per-request loaders, error codes.
use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{ErrorExtensionValues, Response as GraphQLResponse, ServerError, Value};
use axum::body::to_bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

use super::{AppState, caller};
use crate::error::AppError;
use crate::graphql::context::RequestInfo;
use crate::graphql::loaders::{CatalogueLoader, RequestLoader};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// A request-level error answered before execution, in the GraphQL error shape.
fn request_error(
    status: StatusCode,
    code: &str,
    message: &str,
    media_type: &'static str,
) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
        body.to_string(),
    )
        .into_response()
}

/// The media type to answer with: the GraphQL-over-HTTP type when the client accepts it.
fn response_media_type(headers: &HeaderMap) -> &'static str {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if accept.contains(GRAPHQL_RESPONSE_JSON) {
        GRAPHQL_RESPONSE_JSON
    } else {
        JSON
    }
}

fn is_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|media| media == JSON || media == "application/graphql+json")
}

/// Gives every error a stable `extensions.code`: ours already have one; async-graphql's
/// request errors (syntax, unknown field, limits) get one here.
fn add_missing_codes(response: &mut GraphQLResponse) {
    let request_failed = matches!(response.data, Value::Null);
    for error in &mut response.errors {
        if error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some())
        {
            continue;
        }
        let code = if error.message.contains("nested too deep") {
            "QUERY_TOO_DEEP"
        } else if error.message.contains("too complex") {
            "QUERY_TOO_COMPLEX"
        } else if request_failed {
            "GRAPHQL_VALIDATION_FAILED"
        } else {
            "BAD_REQUEST"
        };
        set_code(error, code);
    }
}

fn set_code(error: &mut ServerError, code: &str) {
    error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
}

/// Answers a refusal before execution (bad key, origin, rate limit) with its HTTP status.
fn refusal(error: AppError, media_type: &'static str) -> Response {
    let status = match &error {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Validation { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = error.to_string();
    let code = error.code();
    let retry_after = match &error {
        AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    };
    error.log_if_internal();
    let mut response = request_error(status, code, &message, media_type);
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub async fn graphql_post(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let media_type = response_media_type(&headers);
    // Every request counts against the caller's limit, well-formed or not.
    let actor = match caller::identify(&state, &headers, peer).await {
        Ok(actor) => actor,
        Err(error) => return refusal(error, media_type),
    };
    if !is_json_content_type(&headers) {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "send the request as Content-Type: application/json",
            media_type,
        );
    }
    let bytes = match to_bytes(body, state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                &format!(
                    "the request body is larger than {} bytes",
                    state.max_body_bytes
                ),
                media_type,
            );
        }
    };
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(error) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the body is not a GraphQL request in JSON: {error}"),
                media_type,
            );
        }
    };
    let today = Utc::now().date_naive();
    // Per request, with a per-request cache: nothing loaded for one caller serves another.
    let loader: RequestLoader = DataLoader::with_cache(
        CatalogueLoader {
            db: state.db.clone(),
            today,
            visibility: actor.visibility(),
        },
        tokio::spawn,
        HashMapCache::default(),
    );
    let request = request.data(loader).data(RequestInfo { today }).data(actor);
    let mut response = state.schema.execute(request).await;
    add_missing_codes(&mut response);
    state.metrics.record_graphql_request(response.is_err());

    // GraphQL over HTTP: with the new media type, a request that could not execute is a 4xx.
    let status = if media_type == GRAPHQL_RESPONSE_JSON
        && matches!(response.data, Value::Null)
        && response.is_err()
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = serde_json::to_string(&response).unwrap_or_else(|_| {
        json!({ "errors": [{ "message": "internal error", "extensions": { "code": "INTERNAL" } }] })
            .to_string()
    });
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
        body,
    )
        .into_response()
}
