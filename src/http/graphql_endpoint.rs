//! `POST /graphql`: body limits, caller, content negotiation (GraphQL over HTTP), per-request
//! loaders, the time budget, and the HTTP status of each answer.
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{ErrorExtensionValues, Response as GraphQLResponse, ServerError, Value};
use axum::body::{Body, Bytes, to_bytes};
use std::collections::HashMap;

use async_graphql::parser::types::OperationType;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::parsed_documents::ParsedDocuments;
use super::response_cache::{Cached, cache_key};
use super::{AppState, caller, server};
use crate::catalogue::actor::{Actor, Role};
use crate::catalogue::offer_search::Visibility;
use crate::error::AppError;
use crate::graphql::AppSchema;
use crate::graphql::context::RequestInfo;
use crate::graphql::limits::{self, Budget};
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

/// A request answered with an error alone, counted as a failed GraphQL request.
fn refusal(
    metrics: &crate::metrics::Metrics,
    error: AppError,
    media_type: &'static str,
) -> Response {
    metrics.record_graphql_request(true);
    error.into_response(media_type)
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
    let refuse = |error: AppError| refusal(&state.metrics, error, media_type);
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
    run(&state, actor, request, media_type, headers, false).await
}

/// `GET /graphql?query=…&variables=…&operationName=…&extensions=…`: queries only (a
/// mutation is 405), so that anonymous answers can be cached by browsers, CDNs and proxies
/// (`ETag`, 304). A persisted query comes as `extensions` alone.
pub async fn graphql_get(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let (parts, _body) = request.into_parts();
    let headers = &parts.headers;
    let media_type = response_media_type(headers);
    let refuse = |error: AppError| refusal(&state.metrics, error, media_type);
    let actor = match caller::identify(&state, headers, server::peer(&parts)).await {
        Ok(actor) => actor,
        Err(error) => return refuse(error),
    };
    let query = params
        .get("query")
        .filter(|query| !query.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    let mut request = async_graphql::Request::new(query);
    if let Some(raw) = params.get("variables") {
        match serde_json::from_str(raw) {
            Ok(variables) => request.variables = variables,
            Err(error) => {
                return refuse(AppError::BadRequest(format!(
                    "?variables is not a JSON object: {error}"
                )));
            }
        }
    }
    if let Some(raw) = params.get("extensions") {
        match serde_json::from_str(raw) {
            Ok(extensions) => request.extensions = extensions,
            Err(error) => {
                return refuse(AppError::BadRequest(format!(
                    "?extensions is not a JSON object: {error}"
                )));
            }
        }
    }
    if request.query.is_empty() && !request.extensions.contains_key("persistedQuery") {
        return refuse(AppError::BadRequest(
            "a GET request carries its query in ?query= (and ?variables= as JSON), or a persisted query's hash in ?extensions="
                .into(),
        ));
    }
    if let Some(name) = params.get("operationName").filter(|name| !name.is_empty()) {
        request = request.operation_name(name.clone());
    }
    run(&state, actor, request, media_type, headers, true).await
}

/// What the endpoint learns of a request whose text is not nested too deep to parse (the
/// caller checks that first, since the parser recurses once per level): the type of the
/// operation it selects (`None` when it selects nothing: the engine answers that, with its
/// code), or the error that refuses it: a parse error, fields nested too deep or too many
/// root fields. The document is parsed once, or taken from the documents seen last; the
/// engine reuses it.
fn check_before_execution(
    documents: &ParsedDocuments,
    request: &mut async_graphql::Request,
    budget: &Budget,
) -> Result<Option<OperationType>, ServerError> {
    let operation_name = request.operation_name.clone();
    let document = documents.parse(request).map_err(|mut error| {
        set_code(&mut error, "GRAPHQL_PARSE_FAILED");
        error
    })?;
    limits::check_document(document, budget).map_err(server_error)?;
    let mut selected =
        document
            .operations
            .iter()
            .filter(|(name, _)| match (&operation_name, name) {
                (Some(wanted), Some(name)) => wanted == name.as_str(),
                (Some(_), None) => false,
                (None, _) => true,
            });
    let Some((_, operation)) = selected.next() else {
        return Ok(None);
    };
    // Several operations and no name: the engine refuses it.
    if selected.next().is_some() {
        return Ok(None);
    }
    Ok(Some(operation.node.ty))
}

/// An error of ours as a GraphQL error, with its code.
fn server_error(error: AppError) -> ServerError {
    let error: async_graphql::Error = error.into();
    let mut server_error = ServerError::new(error.message, None);
    server_error.extensions = error.extensions;
    server_error
}

/// From a parsed request to its answer: persisted queries, the GET rules, the response
/// cache, execution, and what to remember afterwards.
async fn run(
    state: &AppState,
    actor: Actor,
    mut request: async_graphql::Request,
    media_type: &'static str,
    headers: &HeaderMap,
    via_get: bool,
) -> Response {
    // A refusal over GET is never for caches to keep: a persisted query's miss, above all,
    // must not be served again once the client has sent its text.
    let refuse = |error: AppError| {
        let mut answer = refusal(&state.metrics, error, media_type);
        if via_get {
            let headers = answer.headers_mut();
            headers.insert(header::VARY, vary());
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        answer
    };
    let trusted = matches!(actor.role, Role::Editor | Role::Admin);
    let registration = match state.persisted_queries.resolve(&mut request, trusted).await {
        Ok(registration) => registration,
        Err(error) => return refuse(error),
    };
    let (schema, budget) = state.schemas.for_actor(Some(&actor));
    let checked = match limits::check_text(&request.query) {
        Err(error) if via_get => return refuse(error),
        Err(error) => Err(server_error(error)),
        Ok(()) => check_before_execution(&state.parsed_documents, &mut request, &budget),
    };
    let operation = checked.as_ref().ok().copied().flatten();
    if via_get
        && matches!(
            operation,
            Some(OperationType::Mutation | OperationType::Subscription)
        )
    {
        let mut answer = refuse(AppError::MethodNotAllowed(
            "mutations are sent with POST; GET runs queries only".into(),
        ));
        answer
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return answer;
    }
    let now = Utc::now();
    let today = now.date_naive();
    let anonymous = actor.client_id.is_none();
    // Published data only: a caller who may see drafts never reads or fills the cache.
    let cache_key = (state.response_cache.enabled()
        && operation == Some(OperationType::Query)
        && actor.visibility() == Visibility::Published)
        .then(|| {
            cache_key(
                actor.client_id,
                today,
                &request.query,
                &serde_json::to_string(&request.variables).unwrap_or_default(),
                request.operation_name.as_deref(),
            )
        });
    let public = via_get && anonymous;
    if let Some(key) = &cache_key
        && let Some(cached) = state.response_cache.get(key)
    {
        state.metrics.record_graphql_request(false);
        return answer(
            Rendered {
                status: StatusCode::OK,
                retry_after: None,
                body: cached.body,
                etag: public.then_some(cached.etag),
            },
            media_type,
            headers,
            via_get,
        );
    }
    let version = state.response_cache.version();
    let response = match checked {
        Err(refused) => {
            state.metrics.record_graphql_request(true);
            GraphQLResponse::from_errors(vec![refused])
        }
        Ok(_) => match execute(state, (schema, budget), actor, now, request).await {
            Ok(response) => response,
            Err(error) => return refuse(error),
        },
    };
    let ran = !failed_before_execution(&response);
    let had_errors = response.is_err();
    let rendered = render(&response, media_type, public || cache_key.is_some());
    if let Some(registration) = registration.filter(|_| ran) {
        state.persisted_queries.register(registration).await;
    }
    if operation == Some(OperationType::Mutation) && ran {
        // Read-your-writes on this instance: its cache learns of the write before answering.
        state.response_cache.refresh().await;
    }
    if let (Some(key), Some(etag)) = (cache_key, &rendered.etag)
        && rendered.status == StatusCode::OK
        && !had_errors
    {
        state.response_cache.put(
            key,
            version,
            Cached {
                body: rendered.body.clone(),
                etag: etag.clone(),
            },
        );
    }
    let rendered = Rendered {
        etag: rendered.etag.filter(|_| public && !had_errors),
        ..rendered
    };
    answer(rendered, media_type, headers, via_get)
}

/// Runs a GraphQL request for `actor` on the schema of its budget, within its time (past
/// it: `TIMEOUT`).
async fn execute(
    state: &AppState,
    (schema, budget): (&AppSchema, Budget),
    actor: Actor,
    now: chrono::DateTime<Utc>,
    request: async_graphql::Request,
) -> Result<GraphQLResponse, AppError> {
    let today = now.date_naive();
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
    let request = request
        .data(loader)
        .data(RequestInfo { today, now })
        .data(actor);
    // Past its budget the execution is dropped: its statements stop being awaited and
    // PostgreSQL's statement_timeout ends any that would still run.
    let Ok(mut response) = tokio::time::timeout(budget.time, schema.execute(request)).await else {
        tracing::warn!(
            budget_ms = budget.time.as_millis() as u64,
            "request cancelled at its time budget"
        );
        return Err(AppError::Timeout {
            budget_ms: u64::try_from(budget.time.as_millis()).unwrap_or(u64::MAX),
        });
    };
    limits::explain_cost_refusal(&mut response.errors, &budget);
    add_missing_codes(&mut response);
    state.metrics.record_graphql_request(response.is_err());
    Ok(response)
}

/// An answer before its caching headers.
struct Rendered {
    status: StatusCode,
    retry_after: Option<u64>,
    body: Bytes,
    /// A strong validator of exactly these bytes (before compression, which varies by
    /// Accept-Encoding), for answers that caches may keep.
    etag: Option<HeaderValue>,
}

fn render(response: &GraphQLResponse, media_type: &'static str, with_etag: bool) -> Rendered {
    let (status, retry_after) = status_of(response, media_type);
    // GraphQL over HTTP: a request that failed before execution (parse, validation,
    // limits) has no `data` entry at all with the new media type.
    let without_data = media_type == GRAPHQL_RESPONSE_JSON && failed_before_execution(response);
    let body = if without_data {
        serde_json::to_value(response).map(|mut value| {
            if let Some(object) = value.as_object_mut() {
                object.remove("data");
            }
            value.to_string().into_bytes()
        })
    } else {
        // Straight to bytes: no intermediate JSON tree for the usual answer.
        serde_json::to_vec(response)
    }
    .unwrap_or_else(|_| {
        AppError::Internal("response serialisation".into())
            .body()
            .to_string()
            .into_bytes()
    });
    let etag = (with_etag && status == StatusCode::OK && !response.is_err()).then(|| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&body);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&format!("\"{hex}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("\"\""))
    });
    Rendered {
        status,
        retry_after,
        body: Bytes::from(body),
        etag,
    }
}

/// How long shared caches may keep an anonymous GET answer, and serve it stale meanwhile.
pub(super) const PUBLIC_MAX_AGE_SECS: u64 = 10;
pub(super) const STALE_WHILE_REVALIDATE_SECS: u64 = 30;

/// The HTTP answer. Over GET (`cacheable`), an answer with an `ETag` (anonymous, without
/// errors) is public, and 304 for a matching `If-None-Match`; any other GET answer is
/// `private, no-store`.
fn answer(
    rendered: Rendered,
    media_type: &'static str,
    headers: &HeaderMap,
    cacheable: bool,
) -> Response {
    let mut answer = (
        rendered.status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))],
        rendered.body,
    )
        .into_response();
    if let Some(seconds) = rendered.retry_after {
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if !cacheable {
        return answer;
    }
    let Some(etag) = rendered.etag else {
        answer.headers_mut().insert(header::VARY, vary());
        answer.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return answer;
    };
    let sent = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok());
    let unchanged = sent.is_some_and(|sent| {
        sent.split(',')
            .any(|tag| tag.trim() == etag.to_str().unwrap_or_default() || tag.trim() == "*")
    });
    if unchanged {
        answer = StatusCode::NOT_MODIFIED.into_response();
    }
    let cache_control = HeaderValue::from_str(&format!(
        "public, max-age={PUBLIC_MAX_AGE_SECS}, stale-while-revalidate={STALE_WHILE_REVALIDATE_SECS}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("no-store"));
    let answer_headers = answer.headers_mut();
    answer_headers.insert(header::VARY, vary());
    answer_headers.insert(header::ETAG, etag);
    answer_headers.insert(header::CACHE_CONTROL, cache_control);
    answer
}

/// What a cached GET answer depends on besides its URL.
fn vary() -> HeaderValue {
    HeaderValue::from_static("Accept, Accept-Encoding, Authorization, Origin")
}
