//! Facet counts of an offer search: for the current filter, how many offers have each value of
//! a facet, with that facet's own filter left out (disjunctive faceting, as Algolia and
//! Meilisearch count), so that a search page can offer the other values of a filter too.
//! The eight facets are counted from the in-memory bitmaps of `facet_index`, which also decide
//! the session conditions (`hasUpcomingSlot`, `hasSeatsLeft`); SQL only finds the offers the
//! rest of the filter keeps, when there is a rest.
use chrono::NaiveDate;
use entity::offer;
use roaring::RoaringBitmap;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect};

use super::facet_index::{
    Conditions, FacetIndex, Postings, SessionConditions, offer_ids, offers_with_a_session_between,
};
use super::fulltext_index::TierMatches;
use super::keyset::{Cursor, SortKey};
use super::offer_search::{OfferFilter, OfferOrder, OfferSortField, Visibility};
use crate::error::{AppError, AppResult};

/// A facet of offers, each matching one filter of `OfferFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Kinds,
    Sectors,
    Publics,
    Barriers,
    OrganisationKinds,
    Departements,
    Themes,
    DeliveryModes,
    /// Provenance sources: not counted for callers, but kept in the bitmaps so that the
    /// `sources` filter narrows a search as the facets do.
    Sources,
    /// Occupation codes (ROME fiches, appellations, Formacodes), kept for their filters as
    /// the sources are: an offer has the codes `offer_codes` gives it.
    RomeCodes,
    AppellationCodes,
    Formacodes,
}

impl Facet {
    pub const ALL: [Facet; 12] = [
        Self::Kinds,
        Self::Sectors,
        Self::Publics,
        Self::Barriers,
        Self::OrganisationKinds,
        Self::Departements,
        Self::Themes,
        Self::DeliveryModes,
        Self::Sources,
        Self::RomeCodes,
        Self::AppellationCodes,
        Self::Formacodes,
    ];

    /// Whether callers see this facet's counts (the others only narrow searches).
    pub fn counted(self) -> bool {
        !matches!(
            self,
            Self::Sources | Self::RomeCodes | Self::AppellationCodes | Self::Formacodes
        )
    }

    /// Where this facet sits in `ALL` (and in arrays of per-facet results).
    pub fn position(self) -> usize {
        self as usize
    }

    /// The stored codes this facet's own filter keeps; None when it does not filter.
    fn wanted(self, filter: &OfferFilter) -> Option<Vec<String>> {
        fn codes<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<String> {
            values.iter().map(|v| code(*v).to_owned()).collect()
        }
        let codes = match self {
            Self::Kinds => codes(&filter.kinds, |k| k.code()),
            Self::Sectors => filter.sectors.clone(),
            Self::Publics => codes(&filter.publics, |p| p.code()),
            Self::Barriers => codes(&filter.barriers, |b| b.code()),
            Self::OrganisationKinds => codes(&filter.organisation_kinds, |k| k.code()),
            Self::Departements => filter
                .departement
                .iter()
                .map(|d| d.to_uppercase())
                .collect(),
            Self::Themes => filter.themes.clone(),
            Self::DeliveryModes => codes(&filter.delivery_modes, |m| m.code()),
            Self::Sources => filter.sources.clone(),
            Self::RomeCodes => filter.rome_codes.clone(),
            Self::AppellationCodes => filter.appellation_codes.clone(),
            Self::Formacodes => filter.formacodes.clone(),
        };
        (!codes.is_empty()).then_some(codes)
    }
}

/// The filter without the conditions the bitmaps decide (the facets', the sessions', the
/// circle, the last update, the duplicates): what SQL has to decide.
fn beyond_facets(filter: &OfferFilter) -> OfferFilter {
    OfferFilter {
        has_upcoming_slot: None,
        has_seats_left: None,
        near: None,
        kinds: Vec::new(),
        sectors: Vec::new(),
        publics: Vec::new(),
        barriers: Vec::new(),
        organisation_kinds: Vec::new(),
        departement: None,
        themes: Vec::new(),
        delivery_modes: Vec::new(),
        sources: Vec::new(),
        rome_codes: Vec::new(),
        appellation_codes: Vec::new(),
        formacodes: Vec::new(),
        updated_since: None,
        exclude_duplicates: false,
        within_ids: None,
        within_ids_lead: false,
        ..filter.clone()
    }
}

/// The conditions of `filter` the bitmaps decide, sessions as of `today`.
fn conditions(filter: &OfferFilter, today: NaiveDate) -> Conditions {
    Conditions {
        facets: Facet::ALL.map(|facet| facet.wanted(filter)),
        sessions: SessionConditions {
            upcoming: filter.has_upcoming_slot,
            seats_left: filter.has_seats_left,
            today,
        },
        near: filter.near,
        updated_since: filter.updated_since.map(|since| since.timestamp_micros()),
        exclude_duplicates: filter.exclude_duplicates,
    }
}

/// One value of a facet (its stored code) and how many offers have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub code: String,
    pub count: u64,
}

/// The counts of every facet, in the order of `Facet::ALL`.
pub type FacetCounts = [Vec<FacetCount>; Facet::ALL.len()];

/// The values of every facet among the offers `filter` keeps (each facet's own condition
/// left out), most frequent first, then by code.
///
/// With `eligible_for` the rule engine, not SQL, decides which offers match, so no count can
/// agree with `totalCount`: that combination is refused rather than answered wrongly.
pub async fn facet_counts(
    db: &DatabaseConnection,
    index: &FacetIndex,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
) -> AppResult<FacetCounts> {
    if filter.eligible_for.is_some() {
        return Err(AppError::validation(
            "filter.eligibleFor",
            "facets cannot be counted with eligibleFor (the rule engine decides each offer): ask for them without it",
        ));
    }
    let conditions = conditions(filter, today);
    // The public's search with no condition beyond the bitmaps' is every published offer:
    // no SQL at all.
    // SQL's offers are those the caller may see; the others are narrowed to the published.
    let (kept, published_only) = match rest_of(db, filter, visibility).await? {
        Rest::Nothing => (None, true),
        Rest::PublishedWithin(ids) => (Some(ids), true),
        Rest::Sql(rest) => (Some(kept_by(db, &rest, visibility, today).await?), false),
    };
    Ok(index
        .read(db, |postings| {
            let base = match kept {
                None => postings.published().clone(),
                Some(ids) if published_only => ids & postings.published(),
                Some(ids) => ids,
            };
            postings.count(&postings.meeting(base, &conditions), &conditions.facets)
        })
        .await?)
}

/// What decides, beyond the bitmaps, which offers a search keeps.
enum Rest {
    /// Nothing: the public's search, the bitmaps decide it all.
    Nothing,
    /// The public's search whose only other condition is `slotStartsBetween`: the published
    /// offers among these (one id list from the sessions' index).
    PublishedWithin(RoaringBitmap),
    /// SQL, over the offers: this filter (without the bitmaps' conditions), and who may see
    /// which offers.
    Sql(Box<OfferFilter>),
}

/// What decides, beyond the bitmaps, which offers `filter` keeps for `visibility`.
async fn rest_of(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
) -> AppResult<Rest> {
    let rest = beyond_facets(filter);
    if *visibility != Visibility::Published {
        return Ok(Rest::Sql(Box::new(rest)));
    }
    if rest == OfferFilter::default() {
        return Ok(Rest::Nothing);
    }
    let sessions_alone = OfferFilter {
        slot_starts_between: None,
        ..rest.clone()
    } == OfferFilter::default();
    if let Some(range) = rest.slot_starts_between
        && sessions_alone
    {
        let ids = offers_with_a_session_between(db, range).await?;
        return Ok(Rest::PublishedWithin(ids));
    }
    Ok(Rest::Sql(Box::new(rest)))
}

/// At most this many offers are handed to SQL by id (`OfferFilter::within_ids`). Beyond, the
/// facet conditions keep so many offers that the database's own plan finds a page at once.
const NARROW_AT_MOST: u64 = 2_000;

/// A page a search is about to read: its order, its length (with the row that tells whether
/// there is a next page) and the cursor it resumes after.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    pub order: OfferOrder,
    pub rows: u64,
    pub after: Option<&'a str>,
}

/// Narrows `filter` to the offers its facet, session and circle conditions keep when the
/// bitmaps find few of them (or none), so that a rare combination costs a few row lookups
/// instead of a walk through the ordering index that rejects almost every row. A public
/// search by distance that has no other condition is narrowed to the offers its page may
/// hold, however many the circle has. No statement without such a condition.
pub async fn narrow(
    db: &DatabaseConnection,
    index: &FacetIndex,
    filter: &mut OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
    page: PageRequest<'_>,
) -> AppResult<()> {
    let conditions = conditions(filter, today);
    // A search `ranked_page` ranks in memory applies the conditions itself, to its matches
    // only: narrowing first would measure a circle over every offer for nothing.
    if !conditions.any() || ranked_in_memory(filter, visibility, page) {
        return Ok(());
    }
    let public = visibility == &Visibility::Published;
    // The offers by distance can be chosen here only when nothing but the postings (and the
    // rule engine, which judges what SQL hands it) decides which offers match, and every
    // offer they keep is visible. For the rule engine, the nearest `NARROW_AT_MOST` lead its
    // scan; a plain search gets its page.
    let decided_here = beyond_facets(&OfferFilter {
        eligible_for: None,
        ..filter.clone()
    }) == OfferFilter::default();
    let nearest = match (&conditions.near, page.order.field, page.order.descending) {
        (Some(near), OfferSortField::Distance, false) if public && decided_here => {
            page_after(page).map(|after| (*near, after))
        }
        _ => None,
    };
    let lead = if filter.eligible_for.is_some() {
        NARROW_AT_MOST
    } else {
        page.rows
    };
    // A plain public search by title gets its page here too, whatever the conditions keep.
    let by_title = match page.order.field {
        OfferSortField::Title if public && decided_here && filter.eligible_for.is_none() => {
            title_after(db, page).await?
        }
        _ => None,
    };
    // The offers chosen, and whether they are the page itself (in order, up to its rows)
    // rather than every offer the conditions keep.
    let chosen = index
        .read_if_current(db, |postings| {
            if let (Some(after), Some(titles)) = (by_title, postings.titles()) {
                let kept = postings.published_kept_by(&conditions);
                let after = match after {
                    // Its offer left the published ones since: SQL answers from the cursor.
                    Some(id) => Some(titles.rank(id)?),
                    None => None,
                };
                let rows = usize::try_from(page.rows).unwrap_or(usize::MAX);
                let page = titles.page(&kept, after, page.order.descending, rows);
                return Some((page.into_iter().collect(), true));
            }
            if let Some((near, after)) = nearest {
                // The circle is left to `nearest`, which measures only the cells it needs.
                let kept = postings.published_kept_by(&conditions.without_near());
                let lead = usize::try_from(lead).unwrap_or(usize::MAX);
                return Some((postings.places().nearest(&near, &kept, lead, after), true));
            }
            let kept = postings.kept_by(&conditions, public)?;
            (kept.len() <= NARROW_AT_MOST).then_some((kept, false))
        })
        .await?
        .flatten();
    if let Some((chosen, in_order)) = chosen {
        // Fewer than asked are every offer left: a superset of the matches like any other.
        filter.within_ids_lead = in_order && chosen.len() == lead;
        filter.within_ids = Some(
            chosen
                .iter()
                .filter_map(|id| i32::try_from(id).ok())
                .collect(),
        );
    }
    Ok(())
}

/// A page of a text search ranked in memory, with how many offers match in all when every
/// match was read.
#[derive(Debug, Clone)]
pub struct RankedPage {
    /// Up to `PageRequest::rows` offers, best first, with their cursors.
    pub rows: Vec<(i32, Cursor)>,
    pub total: Option<u64>,
}

/// The page of a public text search by RELEVANCE whose other conditions the postings decide
/// (facets, sessions, circle): the full-text index lists the offers of the relevance tiers
/// and memory orders them (`ranking`), so no matching row is read. The two best tiers are
/// read first; every match only when they do not fill the page or `count_all` asks for the
/// total. None when the search is not of that kind, its query is all stop words, or the
/// postings are catching up: SQL answers then.
pub async fn ranked_page(
    db: &DatabaseConnection,
    index: &FacetIndex,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
    page: PageRequest<'_>,
    count_all: bool,
) -> AppResult<Option<RankedPage>> {
    let Some(search) = &filter.text_search else {
        return Ok(None);
    };
    if !ranked_in_memory(filter, visibility, page) {
        return Ok(None);
    }
    let Some(after) = page_after(page) else {
        return Ok(None);
    };
    let within = filter.near.map(|near| near.bounding_box());
    let Some(mut tiers) = search.best_matches(db, within).await? else {
        return Ok(None);
    };
    // The total is every match.
    if count_all {
        while search.widen(db, &mut tiers).await? {}
    }
    let conditions = conditions(filter, today);
    let rows = usize::try_from(page.rows).unwrap_or(usize::MAX);
    let signature = page.order.signature();
    loop {
        let ranked = index
            .read_if_current(db, |postings| {
                rank(postings, &conditions, &tiers, after, rows, &signature)
            })
            .await?;
        // A short page needs the next tier, if one is left to read.
        match ranked {
            Some(ranked) if ranked.rows.len() < rows && search.widen(db, &mut tiers).await? => {}
            ranked => return Ok(ranked),
        }
    }
}

/// Whether `ranked_page` ranks this search in memory: a public text search by RELEVANCE
/// whose other conditions the postings decide, with no rule engine to judge the offers.
fn ranked_in_memory(filter: &OfferFilter, visibility: &Visibility, page: PageRequest<'_>) -> bool {
    let rest = OfferFilter {
        text: None,
        text_search: None,
        ..beyond_facets(filter)
    };
    filter
        .text_search
        .as_ref()
        .is_some_and(|search| !search.query.is_empty())
        && *visibility == Visibility::Published
        && page.order.field == OfferSortField::Relevance
        && !page.order.descending
        && filter.eligible_for.is_none()
        && rest == OfferFilter::default()
}

/// One ranking of `tiers` among the offers the conditions keep.
fn rank(
    postings: &Postings,
    conditions: &Conditions,
    tiers: &TierMatches,
    after: Option<(f64, u32)>,
    rows: usize,
    signature: &str,
) -> RankedPage {
    let kept = postings.published_kept_by(&conditions.without_near());
    // The matches first, then the circle: only the matches in its cells are measured.
    let matching = kept
        & tiers
            .all
            .as_ref()
            .or(tiers.head.as_ref())
            .unwrap_or(&tiers.title);
    let kept = postings.in_circle(matching, conditions.near.as_ref());
    RankedPage {
        total: tiers.all.is_some().then(|| kept.len()),
        rows: super::ranking::page(postings, &kept, tiers, after, rows)
            .into_iter()
            .filter_map(|(key, id)| {
                let id = i32::try_from(id).ok()?;
                Some((
                    id,
                    Cursor {
                        ordering: signature.to_owned(),
                        key: SortKey::Number(key),
                        id,
                    },
                ))
            })
            .collect(),
    }
}

/// The offer a page by title resumes after (None inside: the first page), when its cursor
/// still names it by its current title; the outer None when it does not (the offer was
/// renamed, unpublished or deleted since) or cannot be read: SQL answers then, from the
/// title the cursor holds.
async fn title_after(
    db: &DatabaseConnection,
    page: PageRequest<'_>,
) -> AppResult<Option<Option<u32>>> {
    let Some(raw) = page.after else {
        return Ok(Some(None));
    };
    let Ok(cursor) = Cursor::decode(raw, &page.order.signature(), page.order.key_kind()) else {
        return Ok(None);
    };
    let (SortKey::Text(title), Ok(id)) = (&cursor.key, u32::try_from(cursor.id)) else {
        return Ok(None);
    };
    let current: Option<String> = offer::Entity::find_by_id(cursor.id)
        .select_only()
        .column(offer::Column::Title)
        .into_tuple()
        .one(db)
        .await?;
    Ok((current.as_ref() == Some(title)).then_some(Some(id)))
}

/// The key of a page's cursor when it is a number (a distance or a relevance) and its id
/// (None inside: the first page); the outer None when the cursor cannot be read, which the
/// search then refuses.
fn page_after(page: PageRequest<'_>) -> Option<Option<(f64, u32)>> {
    let Some(raw) = page.after else {
        return Some(None);
    };
    let cursor = Cursor::decode(raw, &page.order.signature(), page.order.key_kind()).ok()?;
    match cursor.key {
        SortKey::Number(squared) => Some(Some((squared, u32::try_from(cursor.id).ok()?))),
        _ => None,
    }
}

/// How many offers `filter` keeps, when the bitmaps alone can tell: the public's search with
/// no condition but the facets' (sources included) and the sessions'. None otherwise (SQL
/// counts).
pub async fn count_from_index(
    db: &DatabaseConnection,
    index: &FacetIndex,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
) -> AppResult<Option<u64>> {
    if filter.eligible_for.is_some() {
        return Ok(None);
    }
    let within = match rest_of(db, filter, visibility).await? {
        Rest::Nothing => None,
        Rest::PublishedWithin(ids) => Some(ids),
        Rest::Sql(_) => return Ok(None),
    };
    let conditions = conditions(filter, today);
    Ok(Some(
        index
            .read(db, |postings| {
                let kept = postings.published_kept_by(&conditions);
                match within {
                    Some(ids) => kept.intersection_len(&ids),
                    None => kept.len(),
                }
            })
            .await?,
    ))
}

/// The ids of the offers `filter` keeps.
async fn kept_by(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
) -> AppResult<RoaringBitmap> {
    let mut select = Query::select();
    select
        .from("offers")
        .cond_where(filter.condition(visibility, today));
    Ok(offer_ids(db, select).await?)
}
