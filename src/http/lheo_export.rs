//! `GET /exports/lheo`: the published training offers as LHÉO 2.3 XML, streamed a page of
//! offers at a time (never held whole in memory), as `export lheo` writes them.
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};

use super::graphql_endpoint::{
    PUBLIC_MAX_AGE_SECS, STALE_WHILE_REVALIDATE_SECS, response_media_type,
};
use super::{AppState, caller, server};
use crate::exchange::lheo::export::Export;

pub async fn lheo(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    let media_type = response_media_type(&parts.headers);
    // Published data only, whoever calls; the caller still counts against its rate limit,
    // and a wrong key is refused as everywhere else.
    if let Err(error) = caller::identify(&state, &parts.headers, server::peer(&parts)).await {
        return error.into_response(media_type);
    }
    let mut export = Export::new(state.db.clone(), state.catalogue_source.clone());
    // The first page is read before answering, so that a database that cannot be reached
    // gets its coded error (503 UNAVAILABLE) rather than a stream cut at once.
    let first = match export.next_page().await {
        Ok(first) => first.unwrap_or_default(),
        Err(error) => return error.into_response(media_type),
    };
    let pages = stream::once(async move { Ok(first) })
        .chain(export.into_stream())
        .map(|page| {
            page.map(Bytes::from).map_err(|error| {
                // Headers are gone: the client sees a file without its closing `</lheo>`.
                tracing::error!(%error, "LHÉO export failed mid-stream");
                std::io::Error::other(error.to_string())
            })
        });
    let cache_control = format!(
        "public, max-age={PUBLIC_MAX_AGE_SECS}, stale-while-revalidate={STALE_WHILE_REVALIDATE_SECS}"
    );
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_str(&cache_control)
                    .unwrap_or_else(|_| HeaderValue::from_static("no-store")),
            ),
            (
                header::VARY,
                HeaderValue::from_static("Accept-Encoding, Origin"),
            ),
        ],
        Body::from_stream(pages),
    )
        .into_response()
}
