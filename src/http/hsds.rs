//! `GET /hsds/…`: the Open Referral HSDS 3.0 API over the published catalogue —
//! `/hsds/` (about this API), `/hsds/services`, `/hsds/services/{id}`,
//! `/hsds/organizations`, `/hsds/organizations/{id}`, with `page`, `per_page`,
//! `modified_after`, `organization_id`, `full` and `format=ndjson` (every record, streamed).
use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::{StreamExt, stream};
use serde::Serialize;

use super::exports::{NDJSON, public_cache_control};
use super::graphql_endpoint::response_media_type;
use super::{AppState, caller, server};
use crate::error::{AppError, AppResult};
use crate::exchange::hsds::ids::{self, Kind};
use crate::exchange::hsds::mapping::HSDS_VERSION;
use crate::exchange::hsds::read::{self, Selection};

/// Records per page when the client does not say, and the most it may ask for.
const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 500;
/// Records read per statement batch of an ndjson stream.
const STREAM_BATCH: u64 = 500;

/// The parameters HSDS defines that this API does not serve: refused rather than ignored,
/// since ignoring a filter answers with records the client did not ask for.
const UNSUPPORTED: &[&str] = &[
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "postcode",
    "proximity",
    "minimal",
];

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::BadRequestField {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// What a list request asks for, checked.
#[derive(Debug, Clone, PartialEq)]
struct ListRequest {
    page: u64,
    per_page: u64,
    ndjson: bool,
    selection: Selection,
}

fn positive(
    params: &HashMap<String, String>,
    name: &str,
    default: u64,
    max: u64,
) -> AppResult<u64> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad(
                name,
                format!("{name} is a whole number from 1 to {max}, not {text:?}"),
            )),
        },
    }
}

fn modified_after(text: &str) -> AppResult<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
        .ok_or_else(|| {
            bad(
                "modified_after",
                format!(
                    "modified_after is an RFC 3339 date-time or a date (2026-12-01), not {text:?}"
                ),
            )
        })
}

fn boolean(params: &HashMap<String, String>, name: &str) -> AppResult<bool> {
    match params.get(name).map(|v| v.trim()) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(bad(name, format!("{name} is true or false, not {other:?}"))),
    }
}

fn list_request(
    source: &str,
    params: &HashMap<String, String>,
    allowed: &[&str],
) -> AppResult<ListRequest> {
    if let Some(name) = UNSUPPORTED.iter().find(|name| params.contains_key(**name)) {
        return Err(bad(
            name,
            format!("{name} is not supported by this HSDS API"),
        ));
    }
    if let Some(name) = params.keys().find(|name| !allowed.contains(&name.as_str())) {
        return Err(bad(
            name,
            format!("unknown parameter {name:?} (known: {})", allowed.join(", ")),
        ));
    }
    let ndjson = match params.get("format").map(|f| f.trim()) {
        None | Some("json") => false,
        Some("ndjson") => true,
        Some(other) => {
            return Err(bad(
                "format",
                format!("format is json or ndjson, not {other:?}"),
            ));
        }
    };
    let organisation = params
        .get("organization_id")
        .map(|text| {
            ids::parse(source, Kind::Organization, text.trim()).ok_or_else(|| {
                bad(
                    "organization_id",
                    format!("no organization has the id {text:?}"),
                )
            })
        })
        .transpose()?;
    Ok(ListRequest {
        page: positive(params, "page", 1, u64::from(u32::MAX))?,
        per_page: positive(params, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        ndjson,
        selection: Selection {
            modified_after: params
                .get("modified_after")
                .map(|t| modified_after(t))
                .transpose()?,
            organisation,
            full: boolean(params, "full")?,
        },
    })
}

const SERVICE_PARAMETERS: &[&str] = &[
    "page",
    "per_page",
    "format",
    "modified_after",
    "organization_id",
    "full",
];
const ORGANIZATION_PARAMETERS: &[&str] = &["page", "per_page", "format", "modified_after"];

/// Identifies the caller (published data for everyone; a wrong key is refused and the
/// caller counts against its rate limit, as on every route), or the refusal to send.
async fn admit(state: &AppState, request: Request) -> Result<&'static str, Response> {
    let (parts, _body) = request.into_parts();
    let media_type = response_media_type(&parts.headers);
    match caller::identify(state, &parts.headers, server::peer(&parts)).await {
        Ok(_) => Ok(media_type),
        Err(error) => Err(error.into_response(media_type)),
    }
}

fn json(value: &impl Serialize) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, public_cache_control()),
            (
                header::VARY,
                HeaderValue::from_static("Accept-Encoding, Origin"),
            ),
        ],
        serde_json::to_string(value).unwrap_or_default(),
    )
        .into_response()
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `GET /hsds/`: what this API is (HSDS's required root endpoint).
pub async fn about(State(state): State<AppState>, request: Request) -> Response {
    if let Err(refusal) = admit(&state, request).await {
        return refusal;
    }
    json(&serde_json::json!({
        "version": HSDS_VERSION,
        "description": "Catalogue of insertion offers (training courses, work placements, supported jobs) as Open Referral HSDS 3.0: published offers are services, the structures that run them organizations.",
        "publisher": { "name": state.catalogue_source },
    }))
}

pub async fn services(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let media_type = match admit(&state, request).await {
        Ok(media_type) => media_type,
        Err(refusal) => return refusal,
    };
    let list = match list_request(&state.catalogue_source, &params, SERVICE_PARAMETERS) {
        Ok(list) => list,
        Err(error) => return error.into_response(media_type),
    };
    let (db, source) = (state.db.clone(), state.catalogue_source.clone());
    if list.ndjson {
        let batches = stream::try_unfold(Some(0), move |after| {
            let (db, source, selection) = (db.clone(), source.clone(), list.selection.clone());
            async move {
                let Some(after) = after else {
                    return Ok(None);
                };
                let (records, last) =
                    read::services_after(&db, &source, &selection, (after, STREAM_BATCH), today())
                        .await?;
                let next = last.filter(|_| records.len() as u64 == STREAM_BATCH);
                Ok::<_, AppError>(Some((records, next)))
            }
        });
        return ndjson(media_type, batches).await;
    }
    match read::services_page(
        &db,
        &source,
        &list.selection,
        (list.page, list.per_page),
        today(),
    )
    .await
    {
        Ok(page) => json(&page),
        Err(error) => error.into_response(media_type),
    }
}

pub async fn organizations(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let media_type = match admit(&state, request).await {
        Ok(media_type) => media_type,
        Err(refusal) => return refusal,
    };
    let list = match list_request(&state.catalogue_source, &params, ORGANIZATION_PARAMETERS) {
        Ok(list) => list,
        Err(error) => return error.into_response(media_type),
    };
    let (db, source) = (state.db.clone(), state.catalogue_source.clone());
    if list.ndjson {
        let batches = stream::try_unfold(Some(0), move |after| {
            let (db, source, selection) = (db.clone(), source.clone(), list.selection.clone());
            async move {
                let Some(after) = after else {
                    return Ok(None);
                };
                let (records, last) =
                    read::organizations_after(&db, &source, &selection, (after, STREAM_BATCH))
                        .await?;
                let next = last.filter(|_| records.len() as u64 == STREAM_BATCH);
                Ok::<_, AppError>(Some((records, next)))
            }
        });
        return ndjson(media_type, batches).await;
    }
    match read::organizations_page(&db, &source, &list.selection, (list.page, list.per_page)).await
    {
        Ok(page) => json(&page),
        Err(error) => error.into_response(media_type),
    }
}

pub async fn service(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let media_type = match admit(&state, request).await {
        Ok(media_type) => media_type,
        Err(refusal) => return refusal,
    };
    let found = match ids::parse(&state.catalogue_source, Kind::Service, &id) {
        Some(row) => read::service_by_id(&state.db, &state.catalogue_source, row, today()).await,
        None => Ok(None),
    };
    one(found, "service", &id, media_type)
}

pub async fn organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let media_type = match admit(&state, request).await {
        Ok(media_type) => media_type,
        Err(refusal) => return refusal,
    };
    let found = match ids::parse(&state.catalogue_source, Kind::Organization, &id) {
        Some(row) => {
            read::organization_by_id(&state.db, &state.catalogue_source, row, today()).await
        }
        None => Ok(None),
    };
    one(found, "organization", &id, media_type)
}

fn one(
    found: AppResult<Option<impl Serialize>>,
    what: &str,
    id: &str,
    media_type: &'static str,
) -> Response {
    match found {
        Ok(Some(record)) => json(&record),
        Ok(None) => AppError::NotFound(format!("no published {what} has the id {id:?}"))
            .into_response(media_type),
        Err(error) => error.into_response(media_type),
    }
}

/// Streams records as JSON lines. The first batch is read before answering, so that a
/// database that cannot be reached gets its coded error rather than a cut stream.
async fn ndjson<T: Serialize + Send + 'static>(
    media_type: &'static str,
    batches: impl futures_util::Stream<Item = AppResult<Vec<T>>> + Send + 'static,
) -> Response {
    let mut batches = Box::pin(batches);
    let first = match batches.next().await {
        Some(Ok(first)) => first,
        Some(Err(error)) => return error.into_response(media_type),
        None => Vec::new(),
    };
    let lines = |records: Vec<T>| {
        let mut out = Vec::new();
        for record in &records {
            if serde_json::to_writer(&mut out, record).is_ok() {
                out.push(b'\n');
            }
        }
        Bytes::from(out)
    };
    let body = stream::once(async move { Ok(first) })
        .chain(batches)
        .map(move |batch| {
            batch.map(lines).map_err(|error| {
                // Headers are gone: the client sees a stream cut short (no last newline).
                tracing::error!(%error, "HSDS stream failed mid-way");
                std::io::Error::other(error.to_string())
            })
        });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(NDJSON)),
            (header::CACHE_CONTROL, public_cache_control()),
            (
                header::VARY,
                HeaderValue::from_static("Accept-Encoding, Origin"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
