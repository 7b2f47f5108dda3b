//! Batch reads of what hangs off offers (organisation, facets, conditions, slots, testimonials):
//! one statement per batch of parents, whatever their number, so DataLoaders stay N+1 free.
use super::row_decode;
use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Barrier, Public, TestimonialStatus};
use entity::{
    eligibility_condition, offer_barrier, offer_public, offer_theme, organisation, sector,
    testimonial, training_slot,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppResult;

/// Which slots of an offer a field asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlotSelection {
    /// Only slots starting today or later.
    pub upcoming_only: bool,
    /// Include cancelled slots (shown in lists, never as the next slot).
    pub include_cancelled: bool,
    /// At most this many per offer, earliest first.
    pub first: u64,
}

impl SlotSelection {
    /// What `nextSlot` asks for: the first upcoming session that is not cancelled.
    pub const NEXT: Self = Self {
        upcoming_only: true,
        include_cancelled: false,
        first: 1,
    };

    /// What `slots(upcomingOnly, first)` asks for: cancelled sessions are listed too.
    pub fn listed(upcoming_only: bool, first: u64) -> Self {
        Self {
            upcoming_only,
            include_cancelled: true,
            first,
        }
    }
}

/// The many-valued facets of offers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferFacets {
    pub publics: Vec<Public>,
    pub barriers: Vec<Barrier>,
    pub themes: Vec<String>,
}

pub async fn organisations_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> AppResult<HashMap<i32, organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|model| (model.id, model))
        .collect())
}

pub async fn sectors_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> AppResult<HashMap<String, sector::Model>> {
    Ok(sector::Entity::find()
        .filter(sector::Column::Code.is_in(codes.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|model| (model.code.clone(), model))
        .collect())
}

/// Publics, barriers and themes of each offer: three statements for the whole batch.
pub async fn facets_by_offer(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
) -> AppResult<HashMap<i32, OfferFacets>> {
    let mut facets: HashMap<i32, OfferFacets> = offer_ids
        .iter()
        .map(|id| (*id, OfferFacets::default()))
        .collect();
    for row in offer_public::Entity::find()
        .filter(offer_public::Column::OfferId.is_in(offer_ids.to_vec()))
        .order_by_asc(offer_public::Column::Public)
        .all(db)
        .await?
    {
        facets
            .entry(row.offer_id)
            .or_default()
            .publics
            .push(row.public);
    }
    for row in offer_barrier::Entity::find()
        .filter(offer_barrier::Column::OfferId.is_in(offer_ids.to_vec()))
        .order_by_asc(offer_barrier::Column::Barrier)
        .all(db)
        .await?
    {
        facets
            .entry(row.offer_id)
            .or_default()
            .barriers
            .push(row.barrier);
    }
    for row in offer_theme::Entity::find()
        .filter(offer_theme::Column::OfferId.is_in(offer_ids.to_vec()))
        .order_by_asc(offer_theme::Column::Theme)
        .all(db)
        .await?
    {
        facets
            .entry(row.offer_id)
            .or_default()
            .themes
            .push(row.theme);
    }
    Ok(facets)
}

pub async fn conditions_by_offer(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<eligibility_condition::Model>>> {
    let mut grouped: HashMap<i32, Vec<_>> = HashMap::new();
    for row in eligibility_condition::Entity::find()
        .filter(eligibility_condition::Column::OfferId.is_in(offer_ids.to_vec()))
        .order_by_asc(eligibility_condition::Column::OfferId)
        .order_by_asc(eligibility_condition::Column::Position)
        .order_by_asc(eligibility_condition::Column::Id)
        .all(db)
        .await?
    {
        grouped.entry(row.offer_id).or_default().push(row);
    }
    Ok(grouped)
}

/// The first `limit` rows per offer of `inner` (which must select `offer_id`), ranked by `order_sql`.
///
/// `ROW_NUMBER() OVER (PARTITION BY offer_id …)` runs on SQLite ≥ 3.25 and PostgreSQL alike.
fn top_per_offer(
    mut inner: SelectStatement,
    order_sql: &'static str,
    limit: u64,
) -> SelectStatement {
    inner.expr_as(
        Expr::cust(format!(
            "ROW_NUMBER() OVER (PARTITION BY offer_id ORDER BY {order_sql})"
        )),
        "row_rank",
    );
    Query::select()
        .column(sea_orm::sea_query::Asterisk)
        .from_subquery(inner, "ranked")
        .and_where(Expr::col((Alias::new("ranked"), Alias::new("row_rank"))).lte(limit))
        .order_by(
            (Alias::new("ranked"), Alias::new("offer_id")),
            sea_orm::sea_query::Order::Asc,
        )
        .order_by(
            (Alias::new("ranked"), Alias::new("row_rank")),
            sea_orm::sea_query::Order::Asc,
        )
        .take()
}

pub async fn slots_by_offer(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
    selection: SlotSelection,
    today: NaiveDate,
) -> AppResult<HashMap<i32, Vec<training_slot::Model>>> {
    let mut inner = Query::select();
    inner
        .column(sea_orm::sea_query::Asterisk)
        .from("training_slots")
        .and_where(Expr::col("offer_id").is_in(offer_ids.to_vec()));
    if selection.upcoming_only {
        inner.and_where(Expr::col("starts_on").gte(today));
    }
    if !selection.include_cancelled {
        inner.and_where(Expr::col("cancelled_at").is_null());
    }
    let select = top_per_offer(inner.take(), "starts_on, id", selection.first);
    let mut grouped: HashMap<i32, Vec<_>> = HashMap::new();
    for slot in row_decode::training_slots(&db.query_all(&select).await?)? {
        grouped.entry(slot.offer_id).or_default().push(slot);
    }
    Ok(grouped)
}

/// Approved testimonials per offer, newest first.
pub async fn approved_testimonials_by_offer(
    db: &impl ConnectionTrait,
    offer_ids: &[i32],
    first: u64,
) -> AppResult<HashMap<i32, Vec<testimonial::Model>>> {
    let inner = Query::select()
        .column(sea_orm::sea_query::Asterisk)
        .from("testimonials")
        .and_where(Expr::col("offer_id").is_in(offer_ids.to_vec()))
        .and_where(Expr::col("status").eq(TestimonialStatus::Approved.code()))
        .take();
    let select = top_per_offer(inner, "created_at DESC, id DESC", first);
    let mut grouped: HashMap<i32, Vec<_>> = HashMap::new();
    for testimonial in row_decode::testimonials(&db.query_all(&select).await?)? {
        grouped
            .entry(testimonial.offer_id)
            .or_default()
            .push(testimonial);
    }
    Ok(grouped)
}
