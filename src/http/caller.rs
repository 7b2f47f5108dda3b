//! Who is calling: the API key (`Authorization: Bearer …`), its allowed origins, and the rate limit.
use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, header};

use super::AppState;
use super::limiter::Bucket;
use crate::catalogue::actor::Actor;
use crate::catalogue::clients;
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

fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    if state.trust_forwarded_for
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(Ok(ip)) = forwarded
            .split(',')
            .next()
            .map(|first| first.trim().parse())
    {
        return ip;
    }
    peer.map_or(IpAddr::from([0, 0, 0, 0]), |p| p.ip())
}

/// Resolves the caller, checks its browser origin, and counts the request against its limit.
/// A refused key counts against the caller's IP, like an anonymous request: guessing keys
/// is rate-limited, and an IP over its limit is refused before any database lookup.
pub async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Result<Actor, AppError> {
    let ip = client_ip(state, headers, peer);
    let key = match bearer_key(headers) {
        Ok(key) => key,
        Err(refused) => {
            state.rate_limits.refused_key(ip)?;
            return Err(refused);
        }
    };
    let actor = match key {
        Some(key) => {
            state.rate_limits.refuse_if_blocked(ip)?;
            match clients::authenticate(&state.db, key).await {
                Ok(actor) => actor,
                Err(refused @ AppError::Unauthenticated(_)) => {
                    state.rate_limits.refused_key(ip)?;
                    return Err(refused);
                }
                Err(other) => return Err(other),
            }
        }
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
    match actor.client_id {
        Some(id) => state
            .rate_limits
            .check(Bucket::Client(id), actor.rate_limit_per_minute.unwrap_or(1))?,
        None => state.rate_limits.check_ip(ip)?,
    }
    Ok(actor)
}
