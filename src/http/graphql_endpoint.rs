//! `POST /graphql`: body limits, caller, content negotiation (GraphQL over HTTP), per-request
//! loaders, the time budget, and the HTTP status of each answer.
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{ErrorExtensionValues, Response as GraphQLResponse, ServerError, Value};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::{AppState, caller, server};
use crate::error::AppError;
use crate::graphql::context::RequestInfo;
use crate::graphql::loaders::{CatalogueLoader, RequestLoader};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

/// The media type to answer with: the GraphQL-over-HTTP type when the client accepts it.
pub fn response_media_type(headers: &HeaderMap) -> &'static str {
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

/// Reads the whole body, bounded in size and in time. Reading it before any refusal keeps
/// the connection usable: a response sent over an unread body makes the server close it.
async fn read_body(
    headers: &HeaderMap,
    body: Body,
    max_bytes: usize,
    timeout: Duration,
) -> Result<Bytes, AppError> {
    let too_large =
        || AppError::PayloadTooLarge(format!("the request body is larger than {max_bytes} bytes"));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_bytes as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(timeout, to_bytes(body, max_bytes)).await {
        Err(_) => Err(AppError::RequestTimeout(format!(
            "the request body did not arrive within {} s",
            timeout.as_secs()
        ))),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => {
            let over_limit = error
                .into_inner()
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            Err(if over_limit {
                too_large()
            } else {
                AppError::BadRequest(
                    "the request body could not be read (malformed chunked encoding or an interrupted upload)"
                        .into(),
                )
            })
        }
    }
}

/// Gives every error a stable `extensions.code`: ours and the limits' already have one;
/// anything else from the GraphQL engine is a request error.
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
        set_code(
            error,
            if request_failed {
                "GRAPHQL_VALIDATION_FAILED"
            } else {
                "BAD_REQUEST"
            },
        );
    }
}

fn set_code(error: &mut ServerError, code: &str) {
    error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
}

fn error_code(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.as_str()),
        _ => None,
    }
}

/// The HTTP status of an executed request: 503 when the database was unreachable (retry
/// later); with the GraphQL-over-HTTP media type, 400 for a request that could not execute;
/// otherwise 200.
fn status_of(response: &GraphQLResponse, media_type: &str) -> (StatusCode, Option<u64>) {
    if response
        .errors
        .iter()
        .any(|error| error_code(error) == Some("UNAVAILABLE"))
    {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Some(crate::error::UNAVAILABLE_RETRY_AFTER_SECS),
        );
    }
    if media_type == GRAPHQL_RESPONSE_JSON
        && matches!(response.data, Value::Null)
        && response.is_err()
    {
        return (StatusCode::BAD_REQUEST, None);
    }
    (StatusCode::OK, None)
}

/// No data and no error tied to a field: the request never reached execution.
fn failed_before_execution(response: &GraphQLResponse) -> bool {
    matches!(response.data, Value::Null)
        && response.is_err()
        && response.errors.iter().all(|error| error.path.is_empty())
}

pub async fn graphql_post(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let media_type = response_media_type(headers);
    let refuse = |error: AppError| {
        state.metrics.record_graphql_request(true);
        error.into_response(media_type)
    };
    let bytes = match read_body(headers, body, state.max_body_bytes, state.body_read_timeout).await
    {
        Ok(bytes) => bytes,
        Err(error) => return refuse(error),
    };
    // Every request counts against the caller's limit, well-formed or not.
    let actor = match caller::identify(&state, headers, server::peer(&parts)).await {
        Ok(actor) => actor,
        Err(error) => return refuse(error),
    };
    if !is_json_content_type(headers) {
        return refuse(AppError::UnsupportedMediaType(
            "send the request as Content-Type: application/json".into(),
        ));
    }
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(error) => {
            return refuse(AppError::BadRequest(format!(
                "the body is not a GraphQL request in JSON: {error}"
            )));
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
    let budget = state.budgets.for_actor(Some(&actor));
    let request = request.data(loader).data(RequestInfo { today }).data(actor);
    // Past its budget the execution is dropped: its statements stop being awaited and
    // PostgreSQL's statement_timeout ends any that would still run.
    let Ok(mut response) = tokio::time::timeout(budget.time, state.schema.execute(request)).await
    else {
        tracing::warn!(
            budget_ms = budget.time.as_millis() as u64,
            "request cancelled at its time budget"
        );
        return refuse(AppError::Timeout {
            budget_ms: u64::try_from(budget.time.as_millis()).unwrap_or(u64::MAX),
        });
    };
    add_missing_codes(&mut response);
    state.metrics.record_graphql_request(response.is_err());

    let (status, retry_after) = status_of(&response, media_type);
    let body = match serde_json::to_value(&response) {
        Ok(mut value) => {
            // GraphQL over HTTP: a request that failed before execution (parse, validation,
            // limits) has no `data` entry at all with the new media type.
            if media_type == GRAPHQL_RESPONSE_JSON
                && failed_before_execution(&response)
                && let Some(object) = value.as_object_mut()
            {
                object.remove("data");
            }
            value.to_string()
        }
        Err(_) => AppError::Internal("response serialisation".into())
            .body()
            .to_string(),
    };
    let mut answer = (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
        body,
    )
        .into_response();
    if let Some(seconds) = retry_after {
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    answer
}
