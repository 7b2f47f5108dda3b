//! Helpers to reach the per-request data a resolver needs (loader, database, today's date).
use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::loaders::RequestLoader;
use crate::catalogue::freshness::FreshnessPolicy;
use crate::catalogue::quality::QualityClock;
use crate::error::AppError;

/// Data attached to each request by the HTTP handler.
#[derive(Debug, Clone, Copy)]
pub struct RequestInfo {
    /// The date the whole request is evaluated at, so every field agrees on "upcoming".
    pub today: NaiveDate,
    /// The instant the request is evaluated at (freshness, quality).
    pub now: DateTime<Utc>,
}

fn missing(what: &str) -> AppError {
    AppError::Internal(format!("{what} missing from the request context"))
}

pub fn loader<'a>(ctx: &Context<'a>) -> Result<&'a RequestLoader, AppError> {
    ctx.data::<RequestLoader>()
        .map_err(|_| missing("DataLoader"))
}

pub fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection, AppError> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| missing("database"))
}

/// This instance's facet bitmaps (shared by every request).
pub fn facet_index<'a>(
    ctx: &Context<'a>,
) -> Result<&'a crate::catalogue::facet_index::FacetIndex, AppError> {
    ctx.data::<std::sync::Arc<crate::catalogue::facet_index::FacetIndex>>()
        .map(|index| &**index)
        .map_err(|_| missing("facet index"))
}

pub fn today(ctx: &Context<'_>) -> Result<NaiveDate, AppError> {
    ctx.data::<RequestInfo>()
        .map(|info| info.today)
        .map_err(|_| missing("request info"))
}

/// The instant the request is evaluated at.
pub fn now(ctx: &Context<'_>) -> Result<DateTime<Utc>, AppError> {
    ctx.data::<RequestInfo>()
        .map(|info| info.now)
        .map_err(|_| missing("request info"))
}

/// The freshness thresholds of the server's configuration.
pub fn freshness(ctx: &Context<'_>) -> FreshnessPolicy {
    ctx.data::<FreshnessPolicy>().copied().unwrap_or_default()
}

/// The clock quality is judged with in this request.
pub fn quality_clock(ctx: &Context<'_>) -> Result<QualityClock, AppError> {
    Ok(QualityClock {
        now: now(ctx)?,
        today: today(ctx)?,
        freshness: freshness(ctx),
    })
}

/// The caller; requests built outside the HTTP handler (SDL export) count as anonymous.
pub fn actor<'a>(ctx: &Context<'a>) -> Result<&'a crate::catalogue::actor::Actor, AppError> {
    ctx.data::<crate::catalogue::actor::Actor>()
        .map_err(|_| missing("caller"))
}
