//! The offer search: filters, orderings and keyset pages, all evaluated in SQL.
use super::row_decode;
use chrono::{NaiveDate, Utc};
use entity::enums::{
    Barrier, Country, DeliveryMode, DisabledWorkerFit, OccupationSystem, OfferKind, OfferStatus,
    OrganisationKind, Public,
};
use entity::{offer, sector};
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, Order, Query, SelectStatement, UnionType,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use std::collections::HashMap;

use super::eligibility_match::{EligibilityQuery, verdicts};
use super::freshness::{Freshness, FreshnessPolicy};
use super::fulltext_index::TextSearch;
use super::geo::Near;
use super::keyset::{Cursor, KeyKind, KeysetOrder, SortKey};
use super::occupations::has_any_code;
use super::quality::{QualityClock, Subject};
use super::reference;
use super::slot_summary;
use crate::eligibility::Verdict;
use crate::error::{AppError, AppResult};
use crate::geo_codes::{is_commune_code, is_departement_code};

/// Inclusive date range on slot start dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a caller may see of offers' statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Published offers only (anonymous callers and partners).
    Published,
    /// Published offers, and every offer of these organisations (their editors).
    PublishedOr(Vec<i32>),
    /// Everything (admins).
    Everything,
}

impl Visibility {
    /// Whether an offer of this status and organisation is visible.
    pub fn allows(&self, status: OfferStatus, organisation_id: i32) -> bool {
        match self {
            Self::Published => status == OfferStatus::Published,
            Self::PublishedOr(ids) => {
                status == OfferStatus::Published || ids.contains(&organisation_id)
            }
            Self::Everything => true,
        }
    }
}

/// Filters on offers: combined with AND; the values of one list with OR; an empty list does not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferFilter {
    pub kinds: Vec<OfferKind>,
    /// Statuses to keep, within what the caller may see (editors and admins see drafts).
    pub statuses: Vec<OfferStatus>,
    pub sectors: Vec<String>,
    pub publics: Vec<Public>,
    pub barriers: Vec<Barrier>,
    pub themes: Vec<String>,
    pub organisation_kinds: Vec<OrganisationKind>,
    pub organisation_id: Option<i32>,
    pub country: Option<Country>,
    pub departement: Option<String>,
    pub commune_code: Option<String>,
    pub near: Option<Near>,
    /// Words and "phrases", matched in French (see `fulltext`).
    pub text: Option<String>,
    /// `text`, parsed for the engine by `validate` (which every search runs first).
    pub text_search: Option<TextSearch>,
    pub has_upcoming_slot: Option<bool>,
    pub slot_starts_between: Option<DateRange>,
    pub has_seats_left: Option<bool>,
    pub updated_since: Option<chrono::DateTime<Utc>>,
    /// Keep only offers whose mandatory conditions are not NOT_MET for this profile.
    pub eligible_for: Option<EligibilityQuery>,
    /// ROME fiche codes (normalised, as `occupations::parse_codes` leaves them).
    pub rome_codes: Vec<String>,
    pub appellation_codes: Vec<String>,
    pub formacodes: Vec<String>,
    /// SIRET or BCE numbers (digits): of the host company, or of the organisation.
    pub company_numbers: Vec<String>,
    pub fit_for_disabled_workers: Vec<DisabledWorkerFit>,
    pub delivery_modes: Vec<DeliveryMode>,
    pub freshness: Option<FreshnessFilter>,
    pub min_quality: Option<QualityFilter>,
    /// Provenance sources (`manual`, `data-inclusion:dora`…).
    pub sources: Vec<String>,
    /// Leave out the second offer (higher id) of every pair of duplicates not dismissed.
    pub exclude_duplicates: bool,
    /// The only offers that can match, when the facet bitmaps found few (`facets::narrow`):
    /// SQL then looks these rows up instead of walking an index in search of rare matches.
    pub within_ids: Option<Vec<i32>>,
    /// `within_ids` are exactly the rows of the page (the nearest offers, chosen in memory),
    /// not a superset: SQL finding fewer of them means a write landed in between.
    pub within_ids_lead: bool,
}

impl OfferFilter {
    /// This filter without the offers chosen in memory to lead a search (`within_ids_lead`);
    /// None when it has none.
    pub fn without_lead(&self) -> Option<OfferFilter> {
        (self.within_ids_lead && self.within_ids.is_some()).then(|| OfferFilter {
            within_ids: None,
            within_ids_lead: false,
            ..self.clone()
        })
    }
}

/// Offers whose freshness is one of `wanted`, judged at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct FreshnessFilter {
    pub wanted: Vec<Freshness>,
    pub policy: FreshnessPolicy,
    pub now: chrono::DateTime<Utc>,
}

/// Offers whose quality score is at least `min`.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityFilter {
    pub min: f64,
    pub clock: QualityClock,
}

/// Sort fields of `OfferOrder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferSortField {
    Title,
    UpdatedAt,
    NextSlot,
    Distance,
    /// Last publication; offers never published (drafts) come last.
    PublishedAt,
    /// Where the text matched (title, then summary, then the rest), then freshness.
    Relevance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferOrder {
    pub field: OfferSortField,
    pub descending: bool,
}

impl OfferOrder {
    /// The kind of sort key of this ordering, checked on every cursor.
    pub fn key_kind(&self) -> KeyKind {
        match self.field {
            OfferSortField::Title => KeyKind::Text,
            OfferSortField::UpdatedAt => KeyKind::Time,
            OfferSortField::NextSlot => KeyKind::OptionalDate,
            OfferSortField::Distance => KeyKind::Number,
            OfferSortField::PublishedAt => KeyKind::OptionalTime,
            OfferSortField::Relevance => KeyKind::Number,
        }
    }

    /// Name of the ordering, written into cursors so one ordering's cursor is refused by another.
    pub fn signature(&self) -> String {
        format!(
            "offers:{:?}:{}",
            self.field,
            if self.descending { "DESC" } else { "ASC" }
        )
    }
}

/// One page of offer ids in order, with their cursors.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferIdPage {
    pub ids: Vec<(i32, String)>,
    pub has_next_page: bool,
    /// The verdict of each offer of the page, when the filter had `eligible_for`.
    pub verdicts: HashMap<i32, Verdict>,
}

/// Rows scanned per round when the eligibility engine filters after SQL.
const ELIGIBILITY_SCAN_BATCH: u64 = 200;

impl OfferFilter {
    /// Checks values the schema cannot: known sectors and themes, well-formed codes and ranges;
    /// and prepares the text search for the engine.
    pub async fn validate(&mut self, db: &impl ConnectionTrait) -> AppResult<()> {
        if let Some(code) = self.themes.iter().find(|code| !reference::is_theme(code)) {
            return Err(AppError::validation(
                "filter.themes",
                format!("unknown theme {code:?} (see referentials.themes)"),
            ));
        }
        if let Some(departement) = &self.departement
            && !is_departement_code(&departement.to_uppercase())
        {
            return Err(AppError::validation(
                "filter.departement",
                "a département code is 2 characters (\"59\", \"2A\") or 3 digits overseas (\"974\")",
            ));
        }
        if let Some(commune) = &self.commune_code
            && !is_commune_code(&commune.to_uppercase())
        {
            return Err(AppError::validation(
                "filter.communeCode",
                "a commune code is 5 characters (INSEE \"59350\", \"2A004\"; Belgian INS \"62063\")",
            ));
        }
        if let Some(range) = self.slot_starts_between
            && range.from > range.to
        {
            return Err(AppError::validation(
                "filter.slotStartsBetween.to",
                "`to` must not be before `from`",
            ));
        }
        if !self.sectors.is_empty() {
            let known = sector::Entity::find()
                .filter(sector::Column::Code.is_in(self.sectors.clone()))
                .all(db)
                .await?;
            if let Some(unknown) = self
                .sectors
                .iter()
                .find(|code| !known.iter().any(|s| &s.code == *code))
            {
                return Err(AppError::validation(
                    "filter.sectors",
                    format!("unknown sector {unknown:?} (see referentials.sectors)"),
                ));
            }
        }
        // Last: a refused filter costs no vocabulary lookup.
        self.text_search = match &self.text {
            Some(text) => Some(TextSearch::prepare(db, text).await?),
            None => None,
        };
        Ok(())
    }

    /// The WHERE condition over the `offers` table, for a given `today` (slot filters).
    pub(crate) fn condition(&self, visibility: &Visibility, today: NaiveDate) -> Condition {
        let col = |name: &'static str| Expr::col((Alias::new("offers"), Alias::new(name)));
        let mut cond = Condition::all();
        cond = match visibility {
            Visibility::Published => cond.add(col("status").eq(OfferStatus::Published.code())),
            Visibility::PublishedOr(ids) => cond.add(
                Condition::any()
                    .add(col("status").eq(OfferStatus::Published.code()))
                    .add(col("organisation_id").is_in(ids.clone())),
            ),
            Visibility::Everything => cond,
        };
        if !self.statuses.is_empty() {
            cond = cond.add(col("status").is_in(self.statuses.iter().map(|s| s.code())));
        }
        if !self.kinds.is_empty() {
            cond = cond.add(col("kind").is_in(self.kinds.iter().map(|k| k.code())));
        }
        if !self.sectors.is_empty() {
            cond = cond.add(col("sector_code").is_in(self.sectors.clone()));
        }
        if !self.publics.is_empty() {
            let codes: Vec<&str> = self.publics.iter().map(|p| p.code()).collect();
            cond = cond.add(exists_for_offer("offer_publics", |q| {
                q.and_where(Expr::col("public").is_in(codes));
            }));
        }
        if !self.barriers.is_empty() {
            let codes: Vec<&str> = self.barriers.iter().map(|b| b.code()).collect();
            cond = cond.add(exists_for_offer("offer_barriers", |q| {
                q.and_where(Expr::col("barrier").is_in(codes));
            }));
        }
        if !self.themes.is_empty() {
            let codes = self.themes.clone();
            cond = cond.add(exists_for_offer("offer_themes", |q| {
                q.and_where(Expr::col("theme").is_in(codes));
            }));
        }
        if !self.organisation_kinds.is_empty() {
            let kinds: Vec<&str> = self.organisation_kinds.iter().map(|k| k.code()).collect();
            cond = cond.add(
                col("organisation_id").in_subquery(
                    Query::select()
                        .column("id")
                        .from("organisations")
                        .and_where(Expr::col("kind").is_in(kinds))
                        .take(),
                ),
            );
        }
        if let Some(organisation_id) = self.organisation_id {
            cond = cond.add(col("organisation_id").eq(organisation_id));
        }
        if let Some(country) = self.country {
            cond = cond.add(col("country").eq(country.code()));
        }
        if let Some(departement) = &self.departement {
            cond = cond.add(col("departement").eq(departement.to_uppercase()));
        }
        if let Some(commune) = &self.commune_code {
            cond = cond.add(col("commune_code").eq(commune.to_uppercase()));
        }
        if let Some(near) = &self.near {
            cond = cond.add(match self.within_ids {
                // With the ids handed, the rows come by their key and the circle is only
                // checked on them: `column + 0` (the same value) keeps a planner off the
                // coordinates' index, which a PostgreSQL generic plan (chosen after five runs
                // of a prepared statement, blind to the few ids) walked instead: near Lille
                // at 100,000 offers, 66-85 ms against 2.3 ms.
                Some(_) => near.filter_expr(col("latitude").add(0.0), col("longitude").add(0.0)),
                None => near.filter_expr(col("latitude"), col("longitude")),
            });
        }
        match (&self.text, &self.text_search) {
            // The offer's own text, its organisation and town, and what its approved
            // testimonials say (video transcripts included).
            (_, Some(search)) => cond = cond.add(search.condition()),
            // Not prepared (a caller that skipped `validate`): match nothing rather than all.
            (Some(_), None) => cond = cond.add(Expr::cust("1 = 0")),
            (None, None) => {}
        }
        if let Some(wanted) = self.has_upcoming_slot {
            cond = cond.add(slot_summary::upcoming(today, false, wanted));
        }
        if let Some(wanted) = self.has_seats_left {
            cond = cond.add(slot_summary::upcoming(today, true, wanted));
        }
        if let Some(range) = self.slot_starts_between {
            cond = cond.add(exists_for_offer("training_slots", |q| {
                q.and_where(Expr::col("starts_on").between(range.from, range.to))
                    .and_where(Expr::col("cancelled_at").is_null());
            }));
        }
        if let Some(since) = self.updated_since {
            cond = cond.add(col("updated_at").gte(since));
        }
        if let Some(eligibility) = &self.eligible_for {
            cond = cond.add(eligibility.sql_prefilter());
        }
        for (system, codes) in [
            (OccupationSystem::Rome, &self.rome_codes),
            (OccupationSystem::Appellation, &self.appellation_codes),
            (OccupationSystem::Formacode, &self.formacodes),
        ] {
            if !codes.is_empty() {
                cond = cond.add(has_any_code(system, codes.clone()));
            }
        }
        if !self.company_numbers.is_empty() {
            let numbers = self.company_numbers.clone();
            cond = cond.add(
                Condition::any()
                    .add(col("host_company_number").is_in(numbers.clone()))
                    .add(
                        col("organisation_id").in_subquery(
                            Query::select()
                                .column("id")
                                .from("organisations")
                                .and_where(Expr::col("company_number").is_in(numbers))
                                .take(),
                        ),
                    ),
            );
        }
        if !self.sources.is_empty() {
            cond = cond.add(col("source").is_in(self.sources.clone()));
        }
        if self.exclude_duplicates {
            cond = cond.add(col("id").in_subquery(outranked_duplicates()).not());
        }
        if !self.fit_for_disabled_workers.is_empty() {
            cond = cond.add(
                col("fit_for_disabled_workers")
                    .is_in(self.fit_for_disabled_workers.iter().map(|f| f.code())),
            );
        }
        if !self.delivery_modes.is_empty() {
            cond =
                cond.add(col("delivery_mode").is_in(self.delivery_modes.iter().map(|m| m.code())));
        }
        if let Some(freshness) = &self.freshness {
            cond = cond.add(freshness.policy.condition(&freshness.wanted, freshness.now));
        }
        if let Some(quality) = &self.min_quality {
            cond = cond.add(quality.clock.at_least(Subject::Offer, quality.min));
        }
        if let Some(ids) = &self.within_ids {
            cond = cond.add(col("id").is_in(ids.iter().copied()));
        }
        cond
    }
}

/// `EXISTS (SELECT 1 FROM <table> WHERE <table>.offer_id = offers.id AND …)`.
///
/// A correlated probe of the child table's (offer_id, …) index that stops at the first
/// match: with a LIMIT and an ordering served by an index, the database checks only the
/// rows it is about to return, where `id IN (subquery)` would first build the whole set
/// (SQLite materialises it; PostgreSQL plans both as a semi-join).
pub fn exists_for_offer(table: &'static str, refine: impl FnOnce(&mut SelectStatement)) -> Expr {
    let mut query = rows_for_offer(table);
    refine(&mut query);
    Expr::exists(query)
}

/// True (as SQL) when `table` has a row for the offer, for use *inside* an expression (a
/// score's sum): a scalar subquery that stops at its first row. There PostgreSQL may plan an
/// `EXISTS` as a hashed subplan, which reads the whole child table before the first row is
/// judged (a `minQuality` page at 100,000 offers: 48 ms p50 to hash 176,695 audience rows,
/// against a fraction of a millisecond for the probes); it never hashes a scalar subquery.
/// A condition of the filter itself keeps `exists_for_offer`: there it is a semi-join.
pub fn has_row_for_offer(table: &'static str) -> Expr {
    let first_row = rows_for_offer(table).limit(1).take();
    Expr::SubQuery(None, Box::new(first_row.into())).is_not_null()
}

/// `SELECT 1 FROM <table> WHERE <table>.offer_id = offers.id`: the offer's rows of a child
/// table, probed by its (offer_id, …) index.
fn rows_for_offer(table: &'static str) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(table)
        .and_where(
            Expr::col((Alias::new(table), Alias::new("offer_id")))
                .equals((Alias::new("offers"), Alias::new("id"))),
        )
        .take()
}

/// The start date of an offer's next upcoming, not-cancelled slot (NULL if none).
pub fn next_slot_expr(today: NaiveDate) -> Expr {
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .expr(Func::min(Expr::col((
                    Alias::new("s"),
                    Alias::new("starts_on"),
                ))))
                .from_as("training_slots", "s")
                .and_where(
                    Expr::col((Alias::new("s"), Alias::new("offer_id")))
                        .equals((Alias::new("offers"), Alias::new("id"))),
                )
                .and_where(Expr::col((Alias::new("s"), Alias::new("starts_on"))).gte(today))
                .and_where(Expr::col((Alias::new("s"), Alias::new("cancelled_at"))).is_null())
                .take()
                .into(),
        ),
    )
}

/// The sort key expression of an ordering, and whether it may be NULL.
fn sort_expr(order: OfferOrder, filter: &OfferFilter, today: NaiveDate) -> AppResult<(Expr, bool)> {
    let col = |name: &'static str| Expr::col((Alias::new("offers"), Alias::new(name)));
    let near = filter.near.as_ref();
    Ok(match order.field {
        OfferSortField::Relevance => {
            let search = filter.text_search.as_ref().ok_or_else(|| {
                AppError::validation(
                    "orderBy.field",
                    "ordering by RELEVANCE needs filter.text (words to rank by)",
                )
            })?;
            (search.relevance(), false)
        }
        OfferSortField::Title => (col("title"), false),
        OfferSortField::UpdatedAt => (col("updated_at"), false),
        OfferSortField::NextSlot => (next_slot_expr(today), true),
        OfferSortField::PublishedAt => (col("published_at"), true),
        OfferSortField::Distance => {
            let near = near.ok_or_else(|| {
                AppError::validation(
                    "orderBy.field",
                    "ordering by DISTANCE needs filter.near (a centre to measure from)",
                )
            })?;
            (
                near.squared_km_expr(col("latitude"), col("longitude")),
                false,
            )
        }
    })
}

/// A sorted page of candidate rows from SQL: (id, cursor), at most `limit`.
async fn fetch_rows(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    order: OfferOrder,
    limit: u64,
    after: Option<&Cursor>,
    today: NaiveDate,
) -> AppResult<Vec<(i32, Cursor)>> {
    let (key, nullable) = sort_expr(order, filter, today)?;
    let signature = order.signature();
    let keyset = KeysetOrder {
        key: key.clone(),
        id: Expr::col((Alias::new("offers"), Alias::new("id"))),
        direction: if order.descending {
            Order::Desc
        } else {
            Order::Asc
        },
        nullable,
    };
    let mut rows = Vec::new();
    for stretch in keyset.stretches(after) {
        let wanted = limit - rows.len() as u64;
        if wanted == 0 {
            break;
        }
        let mut select = Query::select();
        select
            .expr_as(Expr::col((Alias::new("offers"), Alias::new("id"))), "id")
            .expr_as(key.clone(), "sort_key")
            .from("offers")
            .cond_where(filter.condition(visibility, today))
            .limit(wanted);
        keyset.apply(&mut select, after, *stretch);
        rows.extend(db.query_all(&select).await?);
    }
    let mut page = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i32 = row.try_get("", "id")?;
        let key = match order.field {
            OfferSortField::Title => SortKey::Text(row.try_get("", "sort_key")?),
            OfferSortField::UpdatedAt => SortKey::Time(row.try_get("", "sort_key")?),
            OfferSortField::NextSlot => row
                .try_get::<Option<NaiveDate>>("", "sort_key")?
                .map_or(SortKey::Missing, SortKey::Date),
            OfferSortField::Distance | OfferSortField::Relevance => {
                SortKey::Number(row.try_get("", "sort_key")?)
            }
            OfferSortField::PublishedAt => row
                .try_get::<Option<chrono::DateTime<Utc>>>("", "sort_key")?
                .map_or(SortKey::Missing, SortKey::Time),
        };
        page.push((
            id,
            Cursor {
                ordering: signature.clone(),
                key,
                id,
            },
        ));
    }
    Ok(page)
}

/// One page of matching offer ids, `first` long, resuming after the `after` cursor.
///
/// With `eligible_for`, SQL drops what it can and the engine judges the rest in batches,
/// scanning on until the page is full; cursors stay keyset cursors over the same order.
#[tracing::instrument(skip_all, fields(first, ordering = ?order))]
pub async fn search_offer_ids(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    order: OfferOrder,
    first: u64,
    after: Option<&str>,
    today: NaiveDate,
) -> AppResult<OfferIdPage> {
    sort_expr(order, filter, today)?;
    let mut cursor = after
        .map(|raw| Cursor::decode(raw, &order.signature(), order.key_kind()))
        .transpose()?;
    let mut page = OfferIdPage {
        ids: Vec::new(),
        has_next_page: false,
        verdicts: HashMap::new(),
    };
    if first == 0 {
        return Ok(page);
    }
    let Some(eligibility) = &filter.eligible_for else {
        let fetch = |filter| {
            fetch_rows(
                db,
                filter,
                visibility,
                order,
                first + 1,
                cursor.as_ref(),
                today,
            )
        };
        let mut rows = fetch(filter).await?;
        if let (Some(chosen), Some(alone)) = (&filter.within_ids, filter.without_lead())
            && rows.len() < chosen.len().min(first as usize + 1)
        {
            // An offer chosen in memory left the search in between (a write moved it): the
            // page would be short and end the walk early. SQL alone answers this one.
            rows = fetch(&alone).await?;
        }
        page.has_next_page = rows.len() as u64 > first;
        page.ids = rows
            .into_iter()
            .take(first as usize)
            .map(|(id, c)| (id, c.encode()))
            .collect();
        return Ok(page);
    };
    let batch = Ord::max(ELIGIBILITY_SCAN_BATCH, first + 1);
    // Once the offers chosen in memory are spent, SQL alone goes on from the last row.
    let mut alone: Option<OfferFilter> = None;
    loop {
        let current = alone.as_ref().unwrap_or(filter);
        let rows = fetch_rows(
            db,
            current,
            visibility,
            order,
            batch,
            cursor.as_ref(),
            today,
        )
        .await?;
        let mut exhausted = (rows.len() as u64) < batch;
        if exhausted && alone.is_none() {
            alone = filter.without_lead();
            exhausted = alone.is_none();
        }
        let ids: Vec<i32> = rows.iter().map(|(id, _)| *id).collect();
        let verdicts = verdicts(db, &ids, eligibility).await?;
        for (id, row_cursor) in &rows {
            let verdict = verdicts.get(id).copied().unwrap_or(Verdict::Unknown);
            if verdict == Verdict::NotEligible {
                continue;
            }
            if page.ids.len() as u64 == first {
                page.has_next_page = true;
                return Ok(page);
            }
            page.ids.push((*id, row_cursor.encode()));
            page.verdicts.insert(*id, verdict);
        }
        match rows.last() {
            _ if exhausted => return Ok(page),
            Some((_, last)) => cursor = Some(last.clone()),
            // The lead gave nothing more: SQL alone, from the same row.
            None => {}
        }
    }
}

/// How many offers match (for `totalCount`).
#[tracing::instrument(skip_all)]
pub async fn count_offers(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    today: NaiveDate,
) -> AppResult<u64> {
    // Offers chosen in memory for a page are not all the matches.
    let alone = filter.without_lead();
    let filter = alone.as_ref().unwrap_or(filter);
    if let Some(eligibility) = &filter.eligible_for {
        return count_eligible(db, filter, visibility, eligibility, today).await;
    }
    let select = Query::select()
        .expr_as(
            Func::count(Expr::col((Alias::new("offers"), Alias::new("id")))),
            "n",
        )
        .from("offers")
        .cond_where(filter.condition(visibility, today))
        .take();
    let row = db.query_one(&select).await?;
    let count: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or_default())
}

/// The default ordering of a connection: by title, A to Z.
pub const BY_TITLE: OfferOrder = OfferOrder {
    field: OfferSortField::Title,
    descending: false,
};

/// The first `first + 1` offers by title of each organisation, with their cursors, in one
/// statement (a window per organisation): what `organisations { offers }` shows.
pub async fn first_offers_by_organisation(
    db: &impl ConnectionTrait,
    organisation_ids: &[i32],
    visibility: &Visibility,
    first: u64,
    today: NaiveDate,
) -> AppResult<HashMap<i32, Vec<(i32, String)>>> {
    let mut inner = Query::select();
    inner
        .expr_as(Expr::col((Alias::new("offers"), Alias::new("id"))), "id")
        .expr_as(
            Expr::col((Alias::new("offers"), Alias::new("organisation_id"))),
            "organisation_id",
        )
        .expr_as(
            Expr::col((Alias::new("offers"), Alias::new("title"))),
            "title",
        )
        .expr_as(
            Expr::cust("ROW_NUMBER() OVER (PARTITION BY organisation_id ORDER BY title, id)"),
            "row_rank",
        )
        .from("offers")
        .cond_where(
            OfferFilter::default().condition(visibility, today).add(
                Expr::col((Alias::new("offers"), Alias::new("organisation_id")))
                    .is_in(organisation_ids.to_vec()),
            ),
        );
    let select = Query::select()
        .columns([
            Alias::new("id"),
            Alias::new("organisation_id"),
            Alias::new("title"),
        ])
        .from_subquery(inner.take(), "ranked")
        .and_where(Expr::col((Alias::new("ranked"), Alias::new("row_rank"))).lte(first + 1))
        .order_by(
            (Alias::new("ranked"), Alias::new("organisation_id")),
            Order::Asc,
        )
        .order_by((Alias::new("ranked"), Alias::new("row_rank")), Order::Asc)
        .take();
    let signature = BY_TITLE.signature();
    let mut pages: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    for row in db.query_all(&select).await? {
        let id: i32 = row.try_get("", "id")?;
        let organisation_id: i32 = row.try_get("", "organisation_id")?;
        let cursor = Cursor {
            ordering: signature.clone(),
            key: SortKey::Text(row.try_get("", "title")?),
            id,
        };
        pages
            .entry(organisation_id)
            .or_default()
            .push((id, cursor.encode()));
    }
    Ok(pages)
}

/// How many visible offers each organisation has, in one statement.
pub async fn count_offers_by_organisation(
    db: &impl ConnectionTrait,
    organisation_ids: &[i32],
    visibility: &Visibility,
    today: NaiveDate,
) -> AppResult<HashMap<i32, u64>> {
    let select = Query::select()
        .expr_as(
            Expr::col((Alias::new("offers"), Alias::new("organisation_id"))),
            "organisation_id",
        )
        .expr_as(
            Func::count(Expr::col((Alias::new("offers"), Alias::new("id")))),
            "n",
        )
        .from("offers")
        .cond_where(
            OfferFilter::default().condition(visibility, today).add(
                Expr::col((Alias::new("offers"), Alias::new("organisation_id")))
                    .is_in(organisation_ids.to_vec()),
            ),
        )
        .group_by_col((Alias::new("offers"), Alias::new("organisation_id")))
        .take();
    let mut counts = HashMap::new();
    for row in db.query_all(&select).await? {
        let organisation_id: i32 = row.try_get("", "organisation_id")?;
        let n: i64 = row.try_get("", "n")?;
        counts.insert(organisation_id, u64::try_from(n).unwrap_or_default());
    }
    Ok(counts)
}

/// Counts the offers the engine does not judge NOT_ELIGIBLE, scanning the SQL candidates in batches.
async fn count_eligible(
    db: &impl ConnectionTrait,
    filter: &OfferFilter,
    visibility: &Visibility,
    eligibility: &EligibilityQuery,
    today: NaiveDate,
) -> AppResult<u64> {
    let order = OfferOrder {
        field: OfferSortField::Title,
        descending: false,
    };
    let batch = 1_000;
    let mut cursor = None;
    let mut count = 0;
    loop {
        let rows = fetch_rows(db, filter, visibility, order, batch, cursor.as_ref(), today).await?;
        let ids: Vec<i32> = rows.iter().map(|(id, _)| *id).collect();
        let verdicts = verdicts(db, &ids, eligibility).await?;
        count += verdicts
            .values()
            .filter(|v| **v != Verdict::NotEligible)
            .count() as u64;
        match rows.last() {
            Some((_, last)) if rows.len() as u64 == batch => cursor = Some(last.clone()),
            _ => return Ok(count),
        }
    }
}

/// Offers by id, in the order of `ids` (missing ones skipped).
pub async fn offers_by_ids(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<Vec<offer::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    use sea_orm::QueryTrait;
    let select = offer::Entity::find()
        .filter(offer::Column::Id.is_in(ids.to_vec()))
        .into_query();
    let mut found: HashMap<i32, offer::Model> = row_decode::offers(&db.query_all(&select).await?)?
        .into_iter()
        .map(|model| (model.id, model))
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The ids (column `id`) of the offers that a pair not dismissed links to a published offer
/// verified more recently (never verified ranks last; ties go to the lower id): the offers
/// that `excludeDuplicates` leaves out. Each offer of a group is compared with its partners,
/// so the one verified last of every group stays. The set is computed once per statement
/// from the pairs (a few per thousand offers), not probed for every row; the in-memory
/// postings read it at every catch-up (`facet_index`).
pub fn outranked_duplicates() -> SelectStatement {
    // `winner` outranks `loser`, both rows of `offers`.
    let outranks = |winner: &str, loser: &str| {
        Expr::cust(format!(
            "({winner}.verified_at > {loser}.verified_at \
             OR ({winner}.verified_at IS NOT NULL AND {loser}.verified_at IS NULL) \
             OR (({winner}.verified_at = {loser}.verified_at \
                  OR ({winner}.verified_at IS NULL AND {loser}.verified_at IS NULL)) \
                 AND {winner}.id < {loser}.id))"
        ))
    };
    // The offers of pairs not dismissed whose partner is published and outranks them. The
    // pairs drive (a planner that started from `offers` would read every offer), the two
    // offers of each are found by their key.
    let losers = |loser_column: &str, winner: &str, loser: &str| {
        let column = |table: &str, name: &str| Expr::col((Alias::new(table), Alias::new(name)));
        let pair_of_offers = Query::select()
            .expr(Expr::val(1))
            .from_as("offers", "a")
            .from_as("offers", "b")
            .and_where(column("a", "id").equals((Alias::new("d"), Alias::new("offer_id"))))
            .and_where(column("b", "id").equals((Alias::new("d"), Alias::new("duplicate_id"))))
            .and_where(column(winner, "status").eq(OfferStatus::Published.code()))
            .and_where(outranks(winner, loser))
            .take();
        Query::select()
            .expr_as(column("d", loser_column), Alias::new("id"))
            .from_as("offer_duplicates", "d")
            .and_where(column("d", "status").ne(entity::enums::DuplicateStatus::Dismissed.code()))
            .and_where(Expr::exists(pair_of_offers))
            .take()
    };
    let mut hidden = losers("duplicate_id", "a", "b");
    hidden.union(UnionType::All, losers("offer_id", "b", "a"));
    hidden
}
