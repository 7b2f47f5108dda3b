//! Resolves an offer connection (top-level `offers` and `Organisation.offers`) through the domain search.
use std::collections::HashMap;

use async_graphql::Context;

use super::context;
use super::inputs::{OfferFilterInput, OfferOrderInput};
use super::loaders::{OfferKey, OrganisationOffersKey};
use super::prefetch::{Fetch, prefetch_offer_fields};
use super::types::connection::PageInfo;
use super::types::offer::{Highlights, Offer, OfferConnection, OfferEdge};
use crate::catalogue::facets;
use crate::catalogue::keyset::page_size;
use crate::catalogue::offer_search::{OfferFilter, OfferIdPage, offers_by_ids, search_offer_ids};
use crate::error::AppError;

/// Arguments of an offers connection.
pub struct OfferListArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub filter: Option<OfferFilterInput>,
    pub order_by: Option<OfferOrderInput>,
    /// Set by `Organisation.offers`.
    pub organisation_id: Option<i32>,
}

pub async fn list_offers(
    ctx: &Context<'_>,
    args: OfferListArgs,
) -> Result<OfferConnection, AppError> {
    let first = page_size(args.first)?;
    let today = context::today(ctx)?;
    let mut filter = args
        .filter
        .unwrap_or_default()
        .into_domain(context::quality_clock(ctx)?)?;
    filter.organisation_id = args.organisation_id;
    let db = context::db(ctx)?;
    filter.validate(db).await?;
    let order =
        OfferOrderInput::into_domain(args.order_by, filter.text.is_some(), filter.near.is_some());
    let visibility = context::actor(ctx)?.visibility();
    let page = facets::PageRequest {
        order,
        rows: first + 1,
        after: args.after.as_deref(),
    };
    let index = context::facet_index(ctx)?;
    facets::narrow(db, index, &mut filter, &visibility, today, page).await?;
    let count_all = ctx.look_ahead().field("totalCount").exists();
    let ranked =
        facets::ranked_page(db, index, &filter, &visibility, today, page, count_all).await?;
    let known_total = ranked.as_ref().and_then(|ranked| ranked.total);
    let page = match ranked {
        Some(ranked) => OfferIdPage {
            has_next_page: ranked.rows.len() as u64 > first,
            ids: ranked
                .rows
                .into_iter()
                .take(first as usize)
                .map(|(id, cursor)| (id, cursor.encode()))
                .collect(),
            verdicts: HashMap::new(),
        },
        None => {
            search_offer_ids(
                db,
                &filter,
                &visibility,
                order,
                first,
                args.after.as_deref(),
                today,
            )
            .await?
        }
    };
    let ids: Vec<i32> = page.ids.iter().map(|(id, _)| *id).collect();
    let fetched = offers_by_ids(db, &ids).await?;
    prefetch_offer_fields(ctx, &fetched, Fetch::Now).await?;
    // An offer deleted between the two statements is simply left out of the page.
    let mut models: HashMap<i32, _> = fetched.into_iter().map(|model| (model.id, model)).collect();
    let edges: Vec<OfferEdge> = page
        .ids
        .into_iter()
        .filter_map(|(id, cursor)| {
            models.remove(&id).map(|model| OfferEdge {
                cursor,
                eligibility: page.verdicts.get(&id).copied().map(Into::into),
                highlights: filter
                    .text_search
                    .as_ref()
                    .map(|search| Highlights::of(&model, &search.query)),
                node: Offer {
                    model,
                    near: filter.near,
                },
            })
        })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|edge| edge.cursor.clone()).collect();
    Ok(OfferConnection {
        edges,
        page_info: PageInfo::new(&cursors, page.has_next_page, args.after.as_deref()),
        filter,
        visibility,
        count_by_organisation: None,
        known_total,
    })
}

/// The first page of an organisation's offers by title, without filter: batched across the
/// organisations of a list (one statement for the pages, one for the offers, one for the
/// counts), where `list_offers` would run per organisation.
pub async fn organisation_first_page(
    ctx: &Context<'_>,
    organisation_id: i32,
    first: Option<i32>,
) -> Result<OfferConnection, AppError> {
    let first = page_size(first)?;
    let loader = context::loader(ctx)?;
    let mut page = loader
        .load_one(OrganisationOffersKey(organisation_id, first))
        .await?
        .unwrap_or_default();
    let has_next_page = page.len() as u64 > first;
    page.truncate(first as usize);
    let mut models = loader
        .load_many(page.iter().map(|(id, _)| OfferKey(*id)))
        .await?;
    let fetched: Vec<_> = page
        .iter()
        .filter_map(|(id, _)| models.get(&OfferKey(*id)).cloned())
        .collect();
    prefetch_offer_fields(ctx, &fetched, Fetch::Cached).await?;
    let edges: Vec<OfferEdge> = page
        .into_iter()
        .filter_map(|(id, cursor)| {
            models.remove(&OfferKey(id)).map(|model| OfferEdge {
                cursor,
                eligibility: None,
                highlights: None,
                node: Offer { model, near: None },
            })
        })
        .collect();
    let cursors: Vec<String> = edges.iter().map(|edge| edge.cursor.clone()).collect();
    Ok(OfferConnection {
        edges,
        page_info: PageInfo::new(&cursors, has_next_page, None),
        filter: OfferFilter {
            organisation_id: Some(organisation_id),
            ..OfferFilter::default()
        },
        visibility: context::actor(ctx)?.visibility(),
        count_by_organisation: Some(organisation_id),
        known_total: None,
    })
}
