//! Prefetch of the nested fields a page of offers asks for, so each is one batch whatever the timing.
//!
//! DataLoader batches what is requested within its delay; a large list is resolved in
//! several polls (futures yield every 32 items), so under load one field's keys could be
//! split over two batches. Looking ahead at the selection and loading every key of the
//! page in one `load_many` per field makes the statement count depend only on the query.
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Lookahead, Value};
use entity::offer;

use super::context;
use super::loaders::{
    CatalogueLoader, CodesKey, ConditionsKey, FacetsKey, OfferKey, OrganisationKey,
    OrganisationOfferCountKey, OrganisationOffersKey, QualityKey, RequestLoader, SectorKey,
    SlotsKey, TestimonialsKey,
};
use crate::catalogue::nested::SlotSelection;
use crate::catalogue::quality::Subject;
use crate::error::AppError;

/// What the query selects below an offer.
#[derive(Default)]
struct Wanted {
    organisation: bool,
    sector: bool,
    facets: bool,
    conditions: bool,
    slots: HashSet<SlotSelection>,
    testimonials: HashSet<u64>,
    codes: bool,
    quality: bool,
    organisation_quality: bool,
}

fn argument<'a>(arguments: &'a [(async_graphql::Name, Value)], name: &str) -> Option<&'a Value> {
    arguments
        .iter()
        .find(|(n, _)| n.as_str() == name)
        .map(|(_, v)| v)
}

/// A page-size argument, or `default`; invalid values are left to the field's own validation.
fn first_argument(arguments: &[(async_graphql::Name, Value)], default: u64) -> Option<u64> {
    match argument(arguments, "first") {
        None => Some(default),
        Some(Value::Number(n)) => n.as_u64().filter(|n| *n <= 100),
        Some(_) => None,
    }
}

/// What is selected below the offers of a connection field seen through `connection`.
fn wanted(connection: &Lookahead<'_>) -> Wanted {
    let mut wanted = Wanted::default();
    let nodes = [
        connection.field("edges").field("node"),
        connection.field("nodes"),
    ];
    for node in nodes.iter().flat_map(|n| n.selection_fields()) {
        for field in node.selection_set() {
            let arguments = field.arguments().unwrap_or_default();
            match field.name() {
                "organisation" => {
                    wanted.organisation = true;
                    wanted.organisation_quality |=
                        field.selection_set().any(|below| below.name() == "quality");
                }
                "sector" => wanted.sector = true,
                "publics" | "barriers" | "themes" => wanted.facets = true,
                "eligibilityConditions" => wanted.conditions = true,
                "romeCodes" | "appellationCodes" | "formacodes" => wanted.codes = true,
                "quality" => wanted.quality = true,
                "nextSlot" => {
                    wanted.slots.insert(SlotSelection::NEXT);
                }
                "slots" => {
                    let upcoming_only = match argument(&arguments, "upcomingOnly") {
                        Some(Value::Boolean(b)) => *b,
                        _ => true,
                    };
                    if let Some(first) = first_argument(&arguments, 10) {
                        wanted
                            .slots
                            .insert(SlotSelection::listed(upcoming_only, first));
                    }
                }
                "testimonials" => {
                    if let Some(first) = first_argument(&arguments, 10) {
                        wanted.testimonials.insert(first);
                    }
                }
                _ => {}
            }
        }
    }
    wanted
}

/// How a prefetch reads its keys.
///
/// The DataLoader's own batching (a task spawned after a 1 ms timer, answering through
/// channels) is for keys that arrive one by one; a prefetch has them all, so a first read
/// loads them now, in this task, and puts their values in the request's cache, where the
/// resolvers find them: that took a timer, two task hand-offs and their wake-ups off every
/// request.
#[derive(Clone, Copy)]
pub enum Fetch {
    /// At once, whatever the cache holds: the keys were never asked in this request.
    Now,
    /// Through the DataLoader, which answers from its cache when it holds every key (an
    /// organisation's page whose offers the organisations' prefetch loaded).
    Cached,
}

/// The values of `keys`, read as `how` says.
async fn fetch<K>(
    loader: &RequestLoader,
    keys: impl IntoIterator<Item = K>,
    how: Fetch,
) -> Result<HashMap<K, <CatalogueLoader as Loader<K>>::Value>, AppError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    CatalogueLoader: Loader<K, Error = AppError>,
{
    if let Fetch::Cached = how {
        return loader.load_many(keys).await;
    }
    let keys: Vec<K> = keys
        .into_iter()
        .collect::<HashSet<K>>()
        .into_iter()
        .collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let values = loader.loader().load(&keys).await?;
    loader
        .feed_many(
            values
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        )
        .await;
    Ok(values)
}

/// Loads, in one batch per field, what the selection needs for `offers`.
pub async fn prefetch_offer_fields(
    ctx: &Context<'_>,
    offers: &[offer::Model],
    how: Fetch,
) -> Result<(), AppError> {
    prefetch_below(ctx, &ctx.look_ahead(), offers, how).await
}

/// Prefetches what `connection` (an offers connection field) selects below its offers.
async fn prefetch_below(
    ctx: &Context<'_>,
    connection: &Lookahead<'_>,
    offers: &[offer::Model],
    how: Fetch,
) -> Result<(), AppError> {
    if offers.is_empty() {
        return Ok(());
    }
    let wanted = wanted(connection);
    let loader = context::loader(ctx)?;
    let ids: Vec<i32> = offers.iter().map(|o| o.id).collect();
    let organisations = async {
        if wanted.organisation {
            fetch(
                loader,
                offers.iter().map(|o| OrganisationKey(o.organisation_id)),
                how,
            )
            .await?;
        }
        Ok::<_, AppError>(())
    };
    let sectors = async {
        if wanted.sector {
            fetch(
                loader,
                offers.iter().map(|o| SectorKey(o.sector_code.clone())),
                how,
            )
            .await?;
        }
        Ok(())
    };
    let facets = async {
        if wanted.facets {
            fetch(loader, ids.iter().map(|id| FacetsKey(*id)), how).await?;
        }
        Ok(())
    };
    let conditions = async {
        if wanted.conditions {
            fetch(loader, ids.iter().map(|id| ConditionsKey(*id)), how).await?;
        }
        Ok(())
    };
    let slots = async {
        let keys: Vec<SlotsKey> = wanted
            .slots
            .iter()
            .flat_map(|selection| ids.iter().map(|id| SlotsKey(*id, *selection)))
            .collect();
        if !keys.is_empty() {
            fetch(loader, keys, how).await?;
        }
        Ok(())
    };
    let testimonials = async {
        let keys: Vec<TestimonialsKey> = wanted
            .testimonials
            .iter()
            .flat_map(|first| ids.iter().map(|id| TestimonialsKey(*id, *first)))
            .collect();
        if !keys.is_empty() {
            fetch(loader, keys, how).await?;
        }
        Ok(())
    };
    let codes = async {
        if wanted.codes {
            fetch(loader, ids.iter().map(|id| CodesKey(*id)), how).await?;
        }
        Ok(())
    };
    let quality = async {
        if wanted.quality || wanted.organisation_quality {
            let clock = context::quality_clock(ctx)?;
            let offers_keys = ids
                .iter()
                .filter(|_| wanted.quality)
                .map(|id| QualityKey(Subject::Offer, *id, clock));
            let organisation_keys = offers
                .iter()
                .filter(|_| wanted.organisation_quality)
                .map(|o| QualityKey(Subject::Organisation, o.organisation_id, clock));
            fetch(loader, offers_keys.chain(organisation_keys), how).await?;
        }
        Ok(())
    };
    futures_util::try_join!(
        organisations,
        sectors,
        facets,
        conditions,
        slots,
        testimonials,
        codes,
        quality
    )?;
    Ok(())
}

/// For a page of organisations: loads, in one batch each, the first page of offers of every
/// organisation (for each unfiltered `offers` field selected), those offers, and what is
/// selected below them.
pub async fn prefetch_organisation_offers(
    ctx: &Context<'_>,
    organisation_ids: &[i32],
) -> Result<(), AppError> {
    if organisation_ids.is_empty() {
        return Ok(());
    }
    let loader = context::loader(ctx)?;
    let offers_fields = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("offers");
    for field in offers_fields.selection_fields() {
        let arguments = field.arguments().unwrap_or_default();
        if ["after", "filter", "orderBy"]
            .iter()
            .any(|name| argument(&arguments, name).is_some_and(|v| *v != Value::Null))
        {
            continue;
        }
        let Some(first) = first_argument(&arguments, 20) else {
            continue;
        };
        let pages = fetch(
            loader,
            organisation_ids
                .iter()
                .map(|id| OrganisationOffersKey(*id, first)),
            Fetch::Now,
        )
        .await?;
        let offer_ids: Vec<OfferKey> = pages
            .values()
            .flat_map(|page| {
                page.iter()
                    .take(first as usize)
                    .map(|(id, _)| OfferKey(*id))
            })
            .collect();
        let models: Vec<offer::Model> = fetch(loader, offer_ids, Fetch::Now)
            .await?
            .into_values()
            .collect();
        if field
            .selection_set()
            .any(|child| child.name() == "totalCount")
        {
            fetch(
                loader,
                organisation_ids
                    .iter()
                    .map(|id| OrganisationOfferCountKey(*id)),
                Fetch::Now,
            )
            .await?;
        }
        // The selection below this very `offers` field, whatever alias it has.
        let connection = Lookahead::from(field);
        prefetch_below(ctx, &connection, &models, Fetch::Now).await?;
    }
    Ok(())
}
