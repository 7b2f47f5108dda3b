//! Reads HSDS records out of the catalogue: numbered pages (HSDS's `page`/`per_page`, with
//! their totals), a record by id, and every record in keyset pages for `format=ndjson`.
//!
//! What is read is what an anonymous reader sees: published offers of organisations that
//! are not archived, and those organisations. With `modified_after`, offers that were
//! published once and are no longer come too, as `inactive`/`defunct` stubs, so that a
//! harvester takes them down.
use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::OfferStatus;
use entity::{offer, organisation};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Serialize;

use super::mapping::{self, Organization, Related, Service};
use crate::catalogue::nested::{
    SlotSelection, conditions_by_offer, facets_by_offer, organisations_by_ids, slots_by_offer,
};
use crate::catalogue::offer_search::offers_by_ids;
use crate::error::AppResult;

/// Sessions listed in a fully nested service: the next ones, not cancelled.
const SCHEDULES_PER_SERVICE: u64 = 50;
/// Services listed in a fully nested organization (`/services?organization_id=` has all).
pub const SERVICES_PER_ORGANIZATION: u64 = 500;

/// Which records, and how much of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub modified_after: Option<DateTime<Utc>>,
    /// Services of this organisation only.
    pub organisation: Option<i32>,
    /// Fully nested services (HSDS `full=true`).
    pub full: bool,
}

/// HSDS's `Page`: the totals of the selection and one page of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub total_items: u64,
    pub total_pages: u64,
    pub page_number: u64,
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    fn new(total_items: u64, page_number: u64, per_page: u64, contents: Vec<T>) -> Self {
        let total_pages = total_items.div_ceil(per_page);
        Self {
            total_items,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page: page_number == 1,
            last_page: page_number >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

fn active_organisations() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(organisation::Column::Id)
        .from(organisation::Entity)
        .and_where(organisation::Column::ArchivedAt.is_null())
        .take()
}

fn services_selected(selection: &Selection) -> Select<offer::Entity> {
    let mut select = offer::Entity::find()
        .filter(offer::Column::OrganisationId.in_subquery(active_organisations()));
    select = match selection.modified_after {
        None => select.filter(offer::Column::Status.eq(OfferStatus::Published)),
        Some(after) => select.filter(offer::Column::UpdatedAt.gte(after)).filter(
            Condition::any()
                .add(offer::Column::Status.eq(OfferStatus::Published))
                .add(offer::Column::PublishedAt.is_not_null()),
        ),
    };
    if let Some(organisation) = selection.organisation {
        select = select.filter(offer::Column::OrganisationId.eq(organisation));
    }
    select
}

fn organizations_selected(selection: &Selection) -> Select<organisation::Entity> {
    let with_published_offers = Query::select()
        .column(offer::Column::OrganisationId)
        .from(offer::Entity)
        .and_where(offer::Column::Status.eq(OfferStatus::Published))
        .take();
    let mut select = organisation::Entity::find()
        .filter(organisation::Column::ArchivedAt.is_null())
        .filter(organisation::Column::Id.in_subquery(with_published_offers));
    if let Some(after) = selection.modified_after {
        select = select.filter(organisation::Column::UpdatedAt.gte(after));
    }
    select
}

/// Page `page_number` (from 1) of `per_page` services, in id order.
pub async fn services_page(
    db: &impl ConnectionTrait,
    source: &str,
    selection: &Selection,
    (page_number, per_page): (u64, u64),
    today: NaiveDate,
) -> AppResult<Page<Service>> {
    let total = services_selected(selection).count(db).await?;
    let ids: Vec<i32> = services_selected(selection)
        .select_only()
        .column(offer::Column::Id)
        .order_by_asc(offer::Column::Id)
        .offset((page_number - 1) * per_page)
        .limit(per_page)
        .into_tuple()
        .all(db)
        .await?;
    let contents = services(db, source, &ids, selection.full, today).await?;
    Ok(Page::new(total, page_number, per_page, contents))
}

/// The services after id `after` (keyset), at most `limit`; the last id read.
pub async fn services_after(
    db: &impl ConnectionTrait,
    source: &str,
    selection: &Selection,
    (after, limit): (i32, u64),
    today: NaiveDate,
) -> AppResult<(Vec<Service>, Option<i32>)> {
    let ids: Vec<i32> = services_selected(selection)
        .select_only()
        .column(offer::Column::Id)
        .filter(offer::Column::Id.gt(after))
        .order_by_asc(offer::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let last = ids.last().copied();
    Ok((
        services(db, source, &ids, selection.full, today).await?,
        last,
    ))
}

/// One service as anyone may see it (published, its organisation not archived), nested.
pub async fn service_by_id(
    db: &impl ConnectionTrait,
    source: &str,
    id: i32,
    today: NaiveDate,
) -> AppResult<Option<Service>> {
    let selection = Selection {
        full: true,
        ..Selection::default()
    };
    let found: Option<i32> = services_selected(&selection)
        .select_only()
        .column(offer::Column::Id)
        .filter(offer::Column::Id.eq(id))
        .into_tuple()
        .one(db)
        .await?;
    let Some(id) = found else {
        return Ok(None);
    };
    Ok(services(db, source, &[id], true, today).await?.pop())
}

/// The records of offers `ids`, in that order: a handful of statements for the whole list.
async fn services(
    db: &impl ConnectionTrait,
    source: &str,
    ids: &[i32],
    full: bool,
    today: NaiveDate,
) -> AppResult<Vec<Service>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let offers = offers_by_ids(db, ids).await?;
    let conditions = conditions_by_offer(db, ids).await?;
    let conditions_of = |id: i32| conditions.get(&id).map(Vec::as_slice).unwrap_or_default();
    if !full {
        return Ok(offers
            .iter()
            .map(|o| match o.status {
                OfferStatus::Published => mapping::service(source, o, conditions_of(o.id)),
                _ => mapping::withdrawn_service(source, o),
            })
            .collect());
    }
    let mut organisation_ids: Vec<i32> = offers.iter().map(|o| o.organisation_id).collect();
    organisation_ids.sort_unstable();
    organisation_ids.dedup();
    let organisations = organisations_by_ids(db, &organisation_ids).await?;
    let slot_selection = SlotSelection {
        upcoming_only: true,
        include_cancelled: false,
        first: SCHEDULES_PER_SERVICE,
    };
    let slots = slots_by_offer(db, ids, slot_selection, today).await?;
    let facets = facets_by_offer(db, ids).await?;
    Ok(offers
        .iter()
        .filter_map(|o| {
            if o.status != OfferStatus::Published {
                return Some(mapping::withdrawn_service(source, o));
            }
            let related = Related {
                organisation: organisations.get(&o.organisation_id)?,
                conditions: conditions_of(o.id),
                slots: slots.get(&o.id).map(Vec::as_slice).unwrap_or_default(),
                facets: &facets.get(&o.id).cloned().unwrap_or_default(),
            };
            Some(mapping::full_service(source, o, related))
        })
        .collect())
}

/// Page `page_number` (from 1) of `per_page` organizations, in id order.
pub async fn organizations_page(
    db: &impl ConnectionTrait,
    source: &str,
    selection: &Selection,
    (page_number, per_page): (u64, u64),
) -> AppResult<Page<Organization>> {
    let total = organizations_selected(selection).count(db).await?;
    let rows = organizations_selected(selection)
        .order_by_asc(organisation::Column::Id)
        .offset((page_number - 1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    let contents = rows
        .iter()
        .map(|o| mapping::organization(source, o))
        .collect();
    Ok(Page::new(total, page_number, per_page, contents))
}

/// The organizations after id `after` (keyset), at most `limit`; the last id read.
pub async fn organizations_after(
    db: &impl ConnectionTrait,
    source: &str,
    selection: &Selection,
    (after, limit): (i32, u64),
) -> AppResult<(Vec<Organization>, Option<i32>)> {
    let rows = organizations_selected(selection)
        .filter(organisation::Column::Id.gt(after))
        .order_by_asc(organisation::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|o| o.id);
    Ok((
        rows.iter()
            .map(|o| mapping::organization(source, o))
            .collect(),
        last,
    ))
}

/// One organization with its identifiers, address and (list-level) services.
pub async fn organization_by_id(
    db: &impl ConnectionTrait,
    source: &str,
    id: i32,
    today: NaiveDate,
) -> AppResult<Option<Organization>> {
    let Some(row) = organizations_selected(&Selection::default())
        .filter(organisation::Column::Id.eq(id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let selection = Selection {
        organisation: Some(id),
        ..Selection::default()
    };
    let (services, _) = services_after(
        db,
        source,
        &selection,
        (0, SERVICES_PER_ORGANIZATION),
        today,
    )
    .await?;
    Ok(Some(mapping::full_organization(source, &row, services)))
}
