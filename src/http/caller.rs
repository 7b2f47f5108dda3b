//! Who is calling: the API key (`Authorization: Bearer …`), its allowed origins, and the rate limit.
use std::net::SocketAddr;

use axum::http::{HeaderMap, header};

use super::AppState;
use crate::catalogue::actor::Actor;
use crate::catalogue::{clients, rate_limit};
use crate::error::AppError;

/// The bearer key, if any; a malformed Authorization header is an error, not anonymity.
fn bearer_key(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| AppError::Unauthenticated("unreadable Authorization header".into()))?;
    match value.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") && !key.trim().is_empty() => {
            Ok(Some(key.trim()))
        }
        _ => Err(AppError::Unauthenticated(
            "use Authorization: Bearer <key>".into(),
        )),
    }
}

fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if state.trust_forwarded_for
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_owned();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Resolves the caller, checks its browser origin, and counts the request against its limit.
pub async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Result<Actor, AppError> {
    let actor = match bearer_key(headers)? {
        Some(key) => clients::authenticate(&state.db, key).await?,
        None => Actor::anonymous(),
    };
    if let (Some(_), Some(origin)) = (actor.client_id, headers.get(header::ORIGIN)) {
        let origin = origin.to_str().unwrap_or_default();
        if !actor.allowed_origins.iter().any(|o| o == origin) {
            return Err(AppError::Forbidden(format!(
                "this API key may not be used from {origin}: add it to the client's allowed origins"
            )));
        }
    }
    let (bucket, limit) = match actor.client_id {
        Some(id) => (
            format!("client:{id}"),
            actor.rate_limit_per_minute.unwrap_or(1),
        ),
        None => (
            format!("ip:{}", client_ip(state, headers, peer)),
            state.anonymous_rate_limit,
        ),
    };
    rate_limit::hit(&state.db, &bucket, limit).await?;
    Ok(actor)
}
