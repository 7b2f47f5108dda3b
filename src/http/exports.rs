//! `GET /exports/data-inclusion/{structures,services}`: the published catalogue as
//! data·inclusion v1 JSON lines, streamed page by page (never held whole in memory).
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};

use super::graphql_endpoint::{
    PUBLIC_MAX_AGE_SECS, STALE_WHILE_REVALIDATE_SECS, response_media_type,
};
use super::{AppState, caller, server};
use crate::exchange::data_inclusion::Dataset;
use crate::exchange::data_inclusion::export::Export;

pub const NDJSON: &str = "application/x-ndjson";

/// `Cache-Control` of the exports: public data, cached briefly like anonymous GET queries.
pub fn public_cache_control() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "public, max-age={PUBLIC_MAX_AGE_SECS}, stale-while-revalidate={STALE_WHILE_REVALIDATE_SECS}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("no-store"))
}

pub async fn data_inclusion_structures(state: State<AppState>, request: Request) -> Response {
    data_inclusion(state, request, Dataset::Structures).await
}

pub async fn data_inclusion_services(state: State<AppState>, request: Request) -> Response {
    data_inclusion(state, request, Dataset::Services).await
}

async fn data_inclusion(
    State(state): State<AppState>,
    request: Request,
    dataset: Dataset,
) -> Response {
    let (parts, _body) = request.into_parts();
    // A refusal has the GraphQL error body that every other refusal of the server has.
    let media_type = response_media_type(&parts.headers);
    // Published data only, whoever calls; the caller still counts against its rate limit,
    // and a wrong key is refused as everywhere else.
    if let Err(error) = caller::identify(&state, &parts.headers, server::peer(&parts)).await {
        return error.into_response(media_type);
    }
    let mut export = Export::new(state.db.clone(), dataset, state.catalogue_source.clone());
    // The first page is read before answering, so that a database that cannot be reached
    // gets its coded error (503 UNAVAILABLE) rather than a stream cut at once.
    let first = match export.next_page().await {
        Ok(first) => first.unwrap_or_default(),
        Err(error) => return error.into_response(media_type),
    };
    let name = dataset.name();
    let pages = stream::once(async move { Ok(first) })
        .chain(export.into_stream())
        .map(move |page| {
            page.map(Bytes::from).map_err(|error| {
                // Headers are gone: all that is left is to cut the body, so the client sees a
                // truncated stream (no last newline), and to say why in the log.
                tracing::error!(%error, dataset = name, "data·inclusion export failed mid-stream");
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
        Body::from_stream(pages),
    )
        .into_response()
}
