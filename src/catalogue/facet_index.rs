//! The offers of each facet value as a bitmap of offer ids (roaring, as Meilisearch keeps its
//! facets), held in memory by each instance and brought up to date from the change feed, so
//! that counting a search's facets intersects bitmaps instead of grouping offer rows.
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use entity::enums::{OccupationSystem, OfferStatus};
use roaring::{MultiOps, RoaringBitmap};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use tokio::sync::RwLock;
use tokio::task::JoinHandle;

use super::facets::{Facet, FacetCount};
use super::fulltext_index::freshness_seconds;
use super::geo::Near;
use super::offer_search::{DateRange, outranked_duplicates};
use super::places::Places;
use super::title_order::TitleOrder;
use super::version;

/// A per-offer summary of its sessions (`slot_summary`): the start of its last session that
/// is not cancelled, or of its last such session with seats left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSummary {
    LastSlot,
    LastOpenSlot,
}

impl SessionSummary {
    const ALL: [SessionSummary; 2] = [Self::LastSlot, Self::LastOpenSlot];

    fn column(self) -> &'static str {
        match self {
            Self::LastSlot => "last_slot_on",
            Self::LastOpenSlot => "last_open_slot_on",
        }
    }
}

/// The session conditions of a search that the summaries decide: with (`Some(true)`) or
/// without (`Some(false)`) an upcoming session, and one with seats left, as of `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConditions {
    pub upcoming: Option<bool>,
    pub seats_left: Option<bool>,
    pub today: NaiveDate,
}

impl SessionConditions {
    fn each(&self) -> impl Iterator<Item = (SessionSummary, bool)> {
        [
            (SessionSummary::LastSlot, self.upcoming),
            (SessionSummary::LastOpenSlot, self.seats_left),
        ]
        .into_iter()
        .filter_map(|(summary, wanted)| wanted.map(|wanted| (summary, wanted)))
    }

    /// Whether any condition is set.
    pub fn any(&self) -> bool {
        self.each().next().is_some()
    }
}

/// The codes each facet's filter keeps (None for a facet that does not filter), in the order
/// of `Facet::ALL`.
pub type Wanted = [Option<Vec<String>>; Facet::ALL.len()];

/// The conditions of a search that the postings decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    pub facets: Wanted,
    pub sessions: SessionConditions,
    pub near: Option<Near>,
    /// Offers last updated at or after this instant, in microseconds since the epoch (the
    /// precision both engines store).
    pub updated_since: Option<i64>,
    /// Leave out the offers a pair of duplicates shows to be the other one's copy.
    pub exclude_duplicates: bool,
}

impl Conditions {
    /// The same conditions without the circle.
    pub fn without_near(&self) -> Self {
        Self {
            near: None,
            ..self.clone()
        }
    }

    /// Whether any condition is set.
    pub fn any(&self) -> bool {
        self.facets.iter().any(Option::is_some) || self.beyond_facets()
    }

    /// Whether a condition other than the facets' is set (those `Postings::meeting` checks).
    fn beyond_facets(&self) -> bool {
        self.sessions.any()
            || self.near.is_some()
            || self.updated_since.is_some()
            || self.exclude_duplicates
    }
}

/// For each facet, the offers (all statuses) that have each of its values; for each session
/// summary, the offers by its date (those without one are in none); and where offers are.
#[derive(Debug, Default, Clone)]
pub struct Postings {
    by_facet: [BTreeMap<String, RoaringBitmap>; Facet::ALL.len()],
    by_summary: [BTreeMap<NaiveDate, RoaringBitmap>; SessionSummary::ALL.len()],
    /// For each session summary, the offers dated from a day on (the union of `by_summary`'s
    /// later days, which at a million offers reads every dated offer: 0.85 ms), kept for the
    /// day last asked; emptied whenever `by_summary` changes (`summary_mut`, `remove`).
    dated_from: DatedFrom,
    places: Places,
    /// By offer id, its freshness in seconds as the RELEVANCE key reads it
    /// (`fulltext_index::freshness_seconds`); `i64::MIN` for an id without an offer.
    freshness: Vec<i64>,
    /// By offer id, its `updated_at` in microseconds since the epoch; `i64::MIN` for an id
    /// without an offer.
    updated: Vec<i64>,
    /// The offers by the UTC day of their `updated_at` (days since the epoch), so that
    /// `updatedSince` reads the days after its own and tests the offers of that day only.
    updated_by_day: BTreeMap<i64, RoaringBitmap>,
    /// The offers `excludeDuplicates` leaves out (`offer_search::outranked_duplicates`),
    /// read again at every catch-up: a pair's winner may change without its loser.
    outranked: RoaringBitmap,
    published: RoaringBitmap,
    /// The published offers in title order: read with the rest on a first build, in a task
    /// of its own after a catch-up that met a changed record (None until it is done).
    titles: Option<Arc<TitleOrder>>,
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The union of a session summary's days from a given day on, one per summary, for the last
/// day asked. Readers share the postings, so it fills behind a lock; a copy of the postings
/// starts without it.
#[derive(Debug, Default)]
struct DatedFrom {
    unions: std::sync::Mutex<[Option<DatedUnion>; SessionSummary::ALL.len()]>,
}

/// The offers dated from a day on, and that day.
type DatedUnion = (NaiveDate, Arc<RoaringBitmap>);

impl Clone for DatedFrom {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl DatedFrom {
    /// The union for `summary` from `day` on, made by `union` when not kept for that day.
    fn get_or_make(
        &self,
        summary: SessionSummary,
        day: NaiveDate,
        union: impl FnOnce() -> RoaringBitmap,
    ) -> Arc<RoaringBitmap> {
        let kept = |unions: &[Option<DatedUnion>]| {
            unions[summary as usize]
                .as_ref()
                .filter(|(from, _)| *from == day)
                .map(|(_, offers)| offers.clone())
        };
        // A poisoned lock only means a reader panicked while holding it: the unions are
        // whole values, so they are still right (or absent).
        if let Some(offers) = kept(&*self.unions.lock().unwrap_or_else(|e| e.into_inner())) {
            return offers;
        }
        let offers = Arc::new(union());
        self.unions.lock().unwrap_or_else(|e| e.into_inner())[summary as usize] =
            Some((day, offers.clone()));
        offers
    }

    fn clear(&mut self) {
        *self.unions.get_mut().unwrap_or_else(|e| e.into_inner()) = Default::default();
    }
}

/// Sets the time of offer `id` in a vector by offer id (`i64::MIN` where no offer is).
fn set_time(times: &mut Vec<i64>, id: u32, time: i64) {
    let index = id as usize;
    if times.len() <= index {
        times.resize(index + 1, i64::MIN);
    }
    times[index] = time;
}

impl Postings {
    /// Records that offer `id` has `code` in `facet` (the catch-up adds whole bitmaps).
    #[cfg(test)]
    fn add(&mut self, facet: Facet, code: String, id: u32) {
        self.by_facet[facet.position()]
            .entry(code)
            .or_default()
            .insert(id);
    }

    /// Records that offer `id` is published.
    #[cfg(test)]
    fn add_published(&mut self, id: u32) {
        self.published.insert(id);
    }

    /// Records that offer `id`'s `summary` date is `on`.
    #[cfg(test)]
    fn add_summary(&mut self, summary: SessionSummary, on: NaiveDate, id: u32) {
        self.summary_mut(summary).entry(on).or_default().insert(id);
    }

    /// Forgets everything about these offers (before they are added again as they are now).
    pub fn remove(&mut self, ids: &RoaringBitmap) {
        fn forget<K: Ord>(values: &mut BTreeMap<K, RoaringBitmap>, ids: &RoaringBitmap) {
            values.retain(|_, offers| {
                *offers -= ids;
                !offers.is_empty()
            });
        }
        self.by_facet.iter_mut().for_each(|v| forget(v, ids));
        self.by_summary.iter_mut().for_each(|v| forget(v, ids));
        self.dated_from.clear();
        forget(&mut self.updated_by_day, ids);
        self.places.remove(ids);
        for id in ids {
            for times in [&mut self.freshness, &mut self.updated] {
                if let Some(time) = times.get_mut(id as usize) {
                    *time = i64::MIN;
                }
            }
        }
        self.published -= ids;
    }

    /// How many offers the postings know (every offer has a kind).
    fn offers(&self) -> u64 {
        self.by_facet[Facet::Kinds.position()]
            .values()
            .map(RoaringBitmap::len)
            .sum()
    }

    /// Every offer the postings know.
    fn every_offer(&self) -> RoaringBitmap {
        self.by_facet[Facet::Kinds.position()].values().union()
    }

    /// The offers of each value of `facet`.
    fn facet_mut(&mut self, facet: Facet) -> &mut BTreeMap<String, RoaringBitmap> {
        &mut self.by_facet[facet.position()]
    }

    /// The offers of `summary` by date, to change: the unions kept from them are let go.
    fn summary_mut(&mut self, summary: SessionSummary) -> &mut BTreeMap<NaiveDate, RoaringBitmap> {
        self.dated_from.clear();
        &mut self.by_summary[summary as usize]
    }

    /// The title order, when it reflects every record the postings do.
    pub fn titles(&self) -> Option<&TitleOrder> {
        self.titles.as_deref()
    }

    /// Where the offers are.
    pub fn places(&self) -> &Places {
        &self.places
    }

    /// Offer `id`'s freshness in seconds, as the RELEVANCE key reads it.
    pub fn freshness(&self, id: u32) -> Option<i64> {
        self.freshness
            .get(id as usize)
            .copied()
            .filter(|seconds| *seconds != i64::MIN)
    }

    /// Sets offer `id`'s freshness (the catch-up reads it from SQL).
    #[cfg(test)]
    pub fn set_freshness_for_test(&mut self, id: u32, seconds: i64) {
        self.set_freshness(id, seconds);
    }

    fn set_freshness(&mut self, id: u32, seconds: i64) {
        set_time(&mut self.freshness, id, seconds);
    }

    /// Sets offer `id`'s last update, in microseconds since the epoch (the catch-up reads it
    /// from SQL, after `remove` forgot the previous one).
    fn set_updated(&mut self, id: u32, micros: i64) {
        set_time(&mut self.updated, id, micros);
        self.updated_by_day
            .entry(micros.div_euclid(MICROS_PER_DAY))
            .or_default()
            .insert(id);
    }

    #[cfg(test)]
    pub fn set_updated_for_test(&mut self, id: u32, micros: i64) {
        self.set_updated(id, micros);
    }

    /// Keeps of `offers` those that meet the session conditions, are not outranked
    /// duplicates when asked, were updated since the instant asked, and lie in the circle.
    pub fn meeting(&self, offers: RoaringBitmap, conditions: &Conditions) -> RoaringBitmap {
        let mut offers = self.meeting_sessions(offers, &conditions.sessions);
        if conditions.exclude_duplicates {
            offers -= &self.outranked;
        }
        let offers = self.updated_since(offers, conditions.updated_since);
        self.in_circle(offers, conditions.near.as_ref())
    }

    /// Keeps of `offers` those updated at or after `since` (microseconds), if asked.
    fn updated_since(&self, offers: RoaringBitmap, since: Option<i64>) -> RoaringBitmap {
        let Some(since) = since.filter(|_| !offers.is_empty()) else {
            return offers;
        };
        let day = since.div_euclid(MICROS_PER_DAY);
        let later_days = self
            .updated_by_day
            .range(day.saturating_add(1)..)
            .map(|(_, offers)| offers)
            .union();
        let recent = |id: &u32| {
            self.updated
                .get(*id as usize)
                .is_some_and(|updated| *updated >= since)
        };
        let that_day = self
            .updated_by_day
            .get(&day)
            .map(|offers| bitmap_of(offers.iter().filter(recent).collect()))
            .unwrap_or_default();
        offers & (later_days | that_day)
    }

    /// Keeps of `offers` those in the circle, if there is one.
    pub fn in_circle(&self, offers: RoaringBitmap, near: Option<&Near>) -> RoaringBitmap {
        let Some(near) = near else {
            return offers;
        };
        // The cells give their offers cell by cell, out of order.
        bitmap_of(
            self.places
                .within(near, &offers)
                .into_iter()
                .map(|(_, id)| id)
                .collect(),
        )
    }

    /// Keeps of `offers` those that meet the session conditions.
    fn meeting_sessions(
        &self,
        mut offers: RoaringBitmap,
        sessions: &SessionConditions,
    ) -> RoaringBitmap {
        for (summary, wanted) in sessions.each() {
            // Nothing left to keep: the union below would read every dated offer (a facet
            // combination that matches nothing cost a pass over the catalogue's sessions).
            if offers.is_empty() {
                break;
            }
            let dated_from_today = self.dated_from.get_or_make(summary, sessions.today, || {
                self.by_summary[summary as usize]
                    .range(sessions.today..)
                    .map(|(_, offers)| offers)
                    .union()
            });
            if wanted {
                offers &= &*dated_from_today;
            } else {
                offers -= &*dated_from_today;
            }
        }
        offers
    }

    /// The published offers.
    pub fn published(&self) -> &RoaringBitmap {
        &self.published
    }

    /// The offers that have one of `codes` in `facet`.
    fn any_of(&self, facet: Facet, codes: &[String]) -> RoaringBitmap {
        let values = &self.by_facet[facet.position()];
        codes
            .iter()
            .filter_map(|code| values.get(code))
            .fold(RoaringBitmap::new(), |all, offers| all | offers)
    }

    /// The offers that have one of the wanted codes of every facet that has some, meet the
    /// session conditions, lie in the circle, and are published with `published_only`; None
    /// when nothing restricts them (every offer).
    pub fn kept_by(&self, conditions: &Conditions, published_only: bool) -> Option<RoaringBitmap> {
        if published_only {
            return Some(self.published_kept_by(conditions));
        }
        let kept = self
            .with_wanted_codes(conditions)
            .reduce(|kept, offers| kept & offers);
        if conditions.beyond_facets() {
            let kept = kept.unwrap_or_else(|| self.every_offer());
            return Some(self.meeting(kept, conditions));
        }
        kept
    }

    /// The published offers the conditions keep (`kept_by` for the public).
    pub fn published_kept_by(&self, conditions: &Conditions) -> RoaringBitmap {
        let kept = self
            .with_wanted_codes(conditions)
            .fold(self.published.clone(), |kept, offers| kept & offers);
        self.meeting(kept, conditions)
    }

    /// For each facet that has wanted codes, the offers that have one of them.
    fn with_wanted_codes<'a>(
        &'a self,
        conditions: &'a Conditions,
    ) -> impl Iterator<Item = RoaringBitmap> + 'a {
        Facet::ALL.into_iter().filter_map(|facet| {
            let codes = conditions.facets[facet.position()].as_ref()?;
            Some(self.any_of(facet, codes))
        })
    }

    /// Disjunctive counts of every facet among `base` (the offers the rest of the search
    /// keeps): a facet's values are counted among the offers every other facet's `wanted`
    /// codes keep, its own left out. Most frequent first, then by code; values no offer has
    /// are left out.
    pub fn count(
        &self,
        base: &RoaringBitmap,
        wanted: &Wanted,
    ) -> [Vec<FacetCount>; Facet::ALL.len()] {
        let kept: Vec<Option<RoaringBitmap>> = Facet::ALL
            .iter()
            .map(|facet| {
                wanted[facet.position()]
                    .as_ref()
                    .map(|codes| self.any_of(*facet, codes))
            })
            .collect();
        Facet::ALL.map(|facet| {
            let mut among = base.clone();
            for (other, offers) in kept.iter().enumerate() {
                if let (true, Some(offers)) = (other != facet.position(), offers) {
                    among &= offers;
                }
            }
            if !facet.counted() {
                return Vec::new();
            }
            let mut counts: Vec<FacetCount> = self.by_facet[facet.position()]
                .iter()
                .map(|(code, offers)| FacetCount {
                    code: code.clone(),
                    count: among.intersection_len(offers),
                })
                .filter(|count| count.count > 0)
                .collect();
            counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
            counts
        })
    }
}

/// One instance's postings and the catalogue version they reflect.
#[derive(Debug, Default)]
struct State {
    /// None until the first build.
    version: Option<i64>,
    postings: Postings,
    /// A task is reading the title order (`read_titles`).
    titles_reading: bool,
}

/// How long the title order's reader waits before reading again an order that a catch-up
/// may have made stale while it read: under a stream of edits, at most one read a second.
const TITLES_AGAIN_AFTER: Duration = Duration::from_secs(1);

/// How long a search waits for a catch-up before it asks SQL instead.
const SHORT_WAIT: Duration = Duration::from_millis(100);

/// The postings of this instance, brought up to the catalogue's version before each use.
#[derive(Debug, Default)]
pub struct FacetIndex {
    state: Arc<RwLock<State>>,
}

/// Offers changed after `since` (every offer on the first build).
fn changed_after(select: &mut SelectStatement, since: Option<i64>) {
    if let Some(since) = since {
        select.and_where(Expr::col((Alias::new("offers"), Alias::new("change_seq"))).gt(since));
    }
}

/// `column`'s values of the rows of a statement, as one text value (NULL for none).
fn id_list(db: &impl ConnectionTrait, column: &str) -> Expr {
    Expr::cust(id_list_sql(db, column))
}

fn id_list_sql(db: &impl ConnectionTrait, column: &str) -> String {
    match db.get_database_backend() {
        DbBackend::Postgres => format!("string_agg({column}::text, ',')"),
        _ => format!("group_concat({column}, ',')"),
    }
}

/// `id_list` of the offers' ids, of the rows that meet `condition` only.
fn offer_id_list_where(db: &impl ConnectionTrait, condition: Expr) -> Expr {
    let placeholder = match db.get_database_backend() {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    Expr::cust_with_exprs(
        format!(
            "{} FILTER (WHERE {placeholder})",
            id_list_sql(db, "offers.id")
        ),
        [condition],
    )
}

/// The ids of an `id_list` value.
pub fn parse_ids(list: Option<String>) -> Result<RoaringBitmap, DbErr> {
    let ids = list
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| {
            id.parse()
                .map_err(|_| DbErr::Type(format!("offer id {id:?} is not a positive number")))
        })
        .collect::<Result<Vec<u32>, _>>()?;
    Ok(bitmap_of(ids))
}

/// An id list aggregated as bytes (PostgreSQL's `string_agg(int4send(id), ''::bytea)`: four
/// bytes each, big-endian), in any order, as a bitmap. Cheaper than the text of
/// `parse_ids` for long lists: at a million offers the 126,895 titles with "atelier" took
/// 16 ms aggregated so against 20–34 ms as text, and half the bytes.
pub fn parse_id_bytes(list: Option<Vec<u8>>) -> Result<RoaringBitmap, DbErr> {
    let bytes = list.unwrap_or_default();
    if !bytes.len().is_multiple_of(4) {
        return Err(DbErr::Type(format!(
            "an id list of {} bytes is not of four-byte ids",
            bytes.len()
        )));
    }
    let ids = bytes
        .chunks_exact(4)
        .map(|id| {
            let id = i32::from_be_bytes([id[0], id[1], id[2], id[3]]);
            u32::try_from(id)
                .map_err(|_| DbErr::Type(format!("offer id {id} is not a positive number")))
        })
        .collect::<Result<Vec<u32>, _>>()?;
    Ok(bitmap_of(ids))
}

/// The bitmap of `ids`, in any order. Built from sorted ids at once, which is several times
/// faster than inserting (or pushing) them one by one; the lists mostly come sorted
/// already (FTS5's rowids, an index's order).
pub fn bitmap_of(mut ids: Vec<u32>) -> RoaringBitmap {
    if !ids.is_sorted() {
        ids.sort_unstable();
    }
    ids.dedup();
    // Sorted and without repeats: `from_sorted_iter` has nothing to refuse.
    RoaringBitmap::from_sorted_iter(ids).unwrap_or_default()
}

/// The ids of the offers `select` (from `offers`, with no column yet) keeps.
pub async fn offer_ids(
    db: &impl ConnectionTrait,
    select: SelectStatement,
) -> Result<RoaringBitmap, DbErr> {
    ids_in(db, select, "offers.id").await
}

/// The offers with a session not cancelled that starts between `range.from` and `range.to`
/// (both days included), read from the entries of `idx_slots_open_start` (migration 407)
/// alone: a month of starts at a million offers is 12–24 ms, where probing each offer's
/// sessions took 0.5 s on PostgreSQL and 3.4 s on SQLite. Every status.
pub async fn offers_with_a_session_between(
    db: &impl ConnectionTrait,
    range: DateRange,
) -> Result<RoaringBitmap, DbErr> {
    let slot_column = |name: &str| Expr::col((Alias::new("training_slots"), Alias::new(name)));
    let mut select = Query::select();
    select
        .from("training_slots")
        .and_where(slot_column("starts_on").between(range.from, range.to))
        .and_where(slot_column("cancelled_at").is_null());
    ids_in(db, select, "training_slots.offer_id").await
}

/// The values of `column` (offer ids) in the rows of `select` (with no column yet), as one
/// aggregated value: streamed one row each, 70,000 ids took 145 ms through the driver's row
/// channel, against 26 ms for the statement itself. On PostgreSQL four bytes an id
/// (`parse_id_bytes`: half the text's bytes, and no number to parse), on SQLite text.
async fn ids_in(
    db: &impl ConnectionTrait,
    mut select: SelectStatement,
    column: &str,
) -> Result<RoaringBitmap, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        select.expr(Expr::cust(format!(
            "string_agg(int4send({column}), ''::bytea)"
        )));
        let row = db.query_one(&select).await?;
        return parse_id_bytes(
            row.map(|row| row.try_get_by_index(0))
                .transpose()?
                .flatten(),
        );
    }
    select.expr(id_list(db, column));
    match db.query_one(&select).await? {
        Some(row) => parse_ids(row.try_get_by_index(0)?),
        None => Ok(RoaringBitmap::new()),
    }
}

/// How a grouped statement reads many changed offers.
#[derive(Clone, Copy)]
enum Read {
    /// In one statement: grouped from an index of `offers` that holds the value, which the
    /// statement reads whole in a tenth of the time it takes to read the table's wide rows
    /// a block of ids at a time (SQLite, a million offers: 0.15 s against 1.3 s).
    Whole,
    /// A block of ids at a time (`id_blocks`), the offer ids being in this column: a child
    /// table, whose index on (value, offer id) serves each block.
    ByBlock(IdColumn),
}

/// Adds to `values` the offers of `select` (grouped by value: value, then `id_list`) that
/// are in `changed`. One row per value, however many offers: a million offers are read in
/// seconds less than row by row.
async fn add_grouped<K: Ord + sea_orm::TryGetable>(
    db: &impl ConnectionTrait,
    values: &mut BTreeMap<K, RoaringBitmap>,
    (select, read): (&SelectStatement, Read),
    changed: &RoaringBitmap,
) -> Result<(), DbErr> {
    let statements: Vec<SelectStatement> = match read {
        Read::Whole => vec![select.clone()],
        Read::ByBlock(id_column) => id_blocks(changed)
            .iter()
            .map(|block| within(select, id_column, block))
            .collect(),
    };
    for statement in statements {
        for row in db.query_all(&statement).await? {
            let Some(value) = row.try_get_by_index::<Option<K>>(0)? else {
                continue;
            };
            let offers = parse_ids(row.try_get_by_index(1)?)? & changed;
            if !offers.is_empty() {
                *values.entry(value).or_default() |= offers;
            }
        }
    }
    Ok(())
}

/// The column (table, name) holding a statement's offer ids.
type IdColumn = (&'static str, &'static str);

/// `select` restricted to the offers whose id, in `id_column`, is in `block`.
fn within(
    select: &SelectStatement,
    id_column: IdColumn,
    block: &RangeInclusive<u32>,
) -> SelectStatement {
    let mut select = select.clone();
    select.and_where(
        Expr::col((Alias::new(id_column.0), Alias::new(id_column.1)))
            .between(*block.start(), *block.end()),
    );
    select
}

impl FacetIndex {
    /// Runs `read` on the postings once they hold every change up to the current catalogue
    /// version (the changes since the last call are read from the change feed first, or the
    /// whole catalogue on the first call). Waits for that catch-up.
    pub async fn read<T>(
        &self,
        db: &DatabaseConnection,
        read: impl FnOnce(&Postings) -> T,
    ) -> Result<T, DbErr> {
        let current = version::current(db).await?;
        {
            let state = self.state.read().await;
            if state.version.is_some_and(|seen| seen >= current) {
                return Ok(read(&state.postings));
            }
        }
        self.catch_up_in_background(db, current)
            .await
            .map_err(|error| DbErr::Custom(format!("facet index catch-up: {error}")))??;
        Ok(read(&self.state.read().await.postings))
    }

    /// Runs `read` once the postings are current, waiting at most `SHORT_WAIT` for their
    /// catch-up (a few writes take milliseconds); past it the catch-up goes on in its task
    /// and None is answered (the caller then asks SQL), so that a search never waits for the
    /// large catch-up that follows an import.
    pub async fn read_if_current<T>(
        &self,
        db: &DatabaseConnection,
        read: impl FnOnce(&Postings) -> T,
    ) -> Result<Option<T>, DbErr> {
        let current = version::current(db).await?;
        if let Ok(state) = self.state.try_read()
            && state.version.is_some_and(|seen| seen >= current)
        {
            return Ok(Some(read(&state.postings)));
        }
        match tokio::time::timeout(SHORT_WAIT, self.catch_up_in_background(db, current)).await {
            Ok(Ok(Ok(()))) => Ok(Some(read(&self.state.read().await.postings))),
            Ok(Ok(Err(error))) => {
                tracing::warn!(%error, "facet index catch-up failed: SQL answers");
                Ok(None)
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "facet index catch-up stopped: SQL answers");
                Ok(None)
            }
            Err(_) => Ok(None),
        }
    }

    /// Brings the postings to `current` in a task of its own: a request that gives up (its
    /// time budget spent) drops its wait, not the catch-up, which otherwise would start over
    /// with every request and, at a million offers, never finish.
    fn catch_up_in_background(
        &self,
        db: &DatabaseConnection,
        current: i64,
    ) -> JoinHandle<Result<(), DbErr>> {
        let (state, db) = (self.state.clone(), db.clone());
        tokio::spawn(async move {
            let mut guard = state.write().await;
            if guard.version.is_none_or(|seen| seen < current) {
                let since = guard.version;
                catch_up(&db, &mut guard.postings, since).await?;
                // Every write up to `current` had committed when it was read (the version
                // row is each write's last lock), so all of them are in; later ones are
                // read again next time, their stamp being above it.
                guard.version = Some(current);
                if guard.postings.titles.is_none() && !guard.titles_reading {
                    guard.titles_reading = true;
                    tokio::spawn(read_titles(state.clone(), crate::db::unmetered(&db)));
                }
            }
            Ok(())
        })
    }
}

/// Reads the title order again for postings whose order went stale, without holding them
/// (through `db::unmetered`: it belongs to no request, and must not be counted in one):
/// a read takes a few hundred milliseconds at a million offers, and the other searches
/// must not wait for it (searches by title ask SQL meanwhile). An order read while a
/// catch-up met another changed record may miss it: it is read again, a second later.
async fn read_titles(state: Arc<RwLock<State>>, db: DatabaseConnection) {
    loop {
        let version = state.read().await.version;
        let order = TitleOrder::read(&db).await;
        let mut guard = state.write().await;
        match order {
            Ok(order) if guard.postings.titles.is_none() && guard.version == version => {
                guard.postings.titles = Some(Arc::new(order));
            }
            Ok(_) if guard.postings.titles.is_none() => {
                // A catch-up came in between: did it meet a changed record? Read again.
                drop(guard);
                tokio::time::sleep(TITLES_AGAIN_AFTER).await;
                continue;
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "title order not read: searches by title ask SQL");
            }
        }
        guard.titles_reading = false;
        return;
    }
}

/// At most this many changed offers are read by one statement of a catch-up: the text a
/// statement aggregates for a whole catalogue of a million offers is megabytes per value
/// (7 MB for the published offers), which the engine builds by doubling and the driver
/// copies again; read whole, they took a first build at a million offers from 31 to
/// 234 MiB resident, and left the allocator's heap fragmented.
const OFFERS_PER_READ: u64 = 1 << 16;

/// The ids of the `offers` table.
const OFFER_ID: IdColumn = ("offers", "id");

/// The ranges of ids a catch-up reads `changed` by: one range when they are few, else one
/// per block of 2^16 ids that holds changed offers.
fn id_blocks(changed: &RoaringBitmap) -> Vec<RangeInclusive<u32>> {
    let (Some(min), Some(max)) = (changed.min(), changed.max()) else {
        return Vec::new();
    };
    if changed.len() <= OFFERS_PER_READ {
        return vec![min..=max];
    }
    let mut blocks: Vec<RangeInclusive<u32>> = Vec::new();
    for id in changed {
        let block = id >> 16;
        if blocks.last().is_none_or(|last| last.start() >> 16 != block) {
            let start = Ord::max(block << 16, min);
            blocks.push(start..=Ord::min(start | 0xFFFF, max));
        }
    }
    blocks
}

/// Every block of `OFFERS_PER_READ` ids that may hold an offer (none for no offer).
async fn every_id_block(db: &impl ConnectionTrait) -> Result<Vec<RangeInclusive<u32>>, DbErr> {
    let select = Query::select()
        .expr(Expr::col((Alias::new("offers"), Alias::new("id"))).max())
        .from("offers")
        .take();
    let last: Option<i32> = match db.query_one(&select).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => None,
    };
    let Some(last) = last.and_then(|id| u32::try_from(id).ok()) else {
        return Ok(Vec::new());
    };
    let step = OFFERS_PER_READ as u32;
    Ok((0..=last / step)
        .map(|block| block * step..=block * step + (step - 1))
        .collect())
}

/// Reads "id first second" triples, `triple` being their SQL text, of the offers of `select`
/// (from `offers`, no column yet) that are in `changed`, a block of ids at a time, and hands
/// each to `add`, which says whether it could read the two values (`what` names them).
async fn each_triple(
    db: &impl ConnectionTrait,
    select: SelectStatement,
    changed: &RoaringBitmap,
    triple: &str,
    what: &str,
    mut add: impl FnMut(u32, &str, &str) -> Option<()>,
) -> Result<(), DbErr> {
    let mut select = select;
    select.expr(id_list(db, triple));
    for block in id_blocks(changed) {
        let Some(row) = db.query_one(&within(&select, OFFER_ID, &block)).await? else {
            continue;
        };
        let list: Option<String> = row.try_get_by_index(0)?;
        for text in list.as_deref().unwrap_or_default().split(',') {
            let mut parts = text.split(' ');
            let (Some(id), Some(first), Some(second)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let unreadable = || DbErr::Type(format!("offer {what} {text:?} cannot be read"));
            let id: u32 = id.parse().map_err(|_| unreadable())?;
            if changed.contains(id) {
                add(id, first, second).ok_or_else(unreadable)?;
            }
        }
    }
    Ok(())
}

/// Adds where the offers of `select` (from `offers`, no column yet) that are in `changed` are.
async fn add_places(
    db: &impl ConnectionTrait,
    places: &mut Places,
    mut select: SelectStatement,
    changed: &RoaringBitmap,
) -> Result<(), DbErr> {
    let column = |name: &'static str| Expr::col((Alias::new("offers"), Alias::new(name)));
    select
        .and_where(column("latitude").is_not_null())
        .and_where(column("longitude").is_not_null());
    let triple = "(offers.id || ' ' || offers.latitude || ' ' || offers.longitude)";
    each_triple(
        db,
        select,
        changed,
        triple,
        "place (id latitude longitude)",
        |id, latitude, longitude| {
            places.insert(id, latitude.parse().ok()?, longitude.parse().ok()?);
            Some(())
        },
    )
    .await
}

/// Offer `updated_at` in microseconds since the epoch where the engine can say it exactly
/// (PostgreSQL stores microseconds); SQLite's stored RFC 3339 text, read by `updated_micros`.
fn updated_at_value(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "CAST(EXTRACT(EPOCH FROM offers.updated_at) * 1000000 AS BIGINT)",
        _ => "offers.updated_at",
    }
}

/// Microseconds since the epoch of an `updated_at_value`: a number, or an instant as sqlx
/// writes it to SQLite (RFC 3339), or as SQLite's own functions do ("2026-12-07 08:00:00",
/// UTC), whose nanoseconds are cut to microseconds (what `updatedSince` is compared at, so
/// that an instant at or after `since` stays so).
fn updated_micros(value: &str) -> Option<i64> {
    if let Ok(micros) = value.parse() {
        return Some(micros);
    }
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(instant.timestamp_micros());
    }
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc().timestamp_micros())
}

/// Sets the freshness and the last update of the offers of `select` (from `offers`, no
/// column yet) that are in `changed`.
async fn add_times(
    db: &impl ConnectionTrait,
    postings: &mut Postings,
    select: SelectStatement,
    changed: &RoaringBitmap,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let triple = format!(
        "(offers.id || ' ' || {} || ' ' || {})",
        freshness_seconds(backend),
        updated_at_value(backend)
    );
    each_triple(
        db,
        select,
        changed,
        &triple,
        "times (id seconds updated)",
        |id, seconds, updated| {
            postings.set_freshness(id, seconds.parse().ok()?);
            postings.set_updated(id, updated_micros(updated)?);
            Some(())
        },
    )
    .await
}

/// The offers `excludeDuplicates` leaves out, as they are now.
async fn read_outranked(db: &impl ConnectionTrait) -> Result<RoaringBitmap, DbErr> {
    let select = Query::select()
        .expr(id_list(db, "outranked.id"))
        .from_subquery(outranked_duplicates(), Alias::new("outranked"))
        .take();
    match db.query_one(&select).await? {
        Some(row) => parse_ids(row.try_get_by_index(0)?),
        None => Ok(RoaringBitmap::new()),
    }
}

/// Replaces what `postings` holds of the offers changed after `since` by what they are now.
async fn catch_up(
    db: &impl ConnectionTrait,
    postings: &mut Postings,
    since: Option<i64>,
) -> Result<(), DbErr> {
    let changed_offers = || {
        let mut select = Query::select();
        select.from("offers");
        changed_after(&mut select, since);
        select
    };
    // In one statement: the changed offers, those whose record changed (a title, a status,
    // a new offer; not only their sessions), and those published now.
    let offer_column = |column: &'static str| Expr::col((Alias::new("offers"), Alias::new(column)));
    let mut select = changed_offers();
    select
        .expr(id_list(db, "offers.id"))
        // Whose record changed: a first build reads the title order anyway, so it does not
        // aggregate every id a second time for it.
        .expr(match since {
            Some(since) => offer_id_list_where(db, offer_column("content_seq").gt(since)),
            None => Expr::cust("NULL"),
        })
        .expr(offer_id_list_where(
            db,
            offer_column("status").eq(OfferStatus::Published.code()),
        ));
    // A first build reads them a block of ids at a time (`OFFERS_PER_READ`).
    let statements = match since {
        Some(_) => vec![select],
        None => every_id_block(db)
            .await?
            .iter()
            .map(|block| within(&select, OFFER_ID, block))
            .collect(),
    };
    let mut changed = RoaringBitmap::new();
    let mut record_changed = RoaringBitmap::new();
    let mut published = RoaringBitmap::new();
    for select in statements {
        let Some(row) = db.query_one(&select).await? else {
            continue;
        };
        changed |= parse_ids(row.try_get_by_index(0)?)?;
        record_changed |= parse_ids(row.try_get_by_index(1)?)?;
        published |= parse_ids(row.try_get_by_index(2)?)?;
    }
    if since.is_some() && changed.len() * 2 > postings.offers() {
        // Most offers changed (a large import): reading everything is cheaper than reading
        // the changed ones, as it needs no filter on the stamp.
        *postings = Postings::default();
        return Box::pin(catch_up(db, postings, None)).await;
    }
    // Read whatever changed: a new pair of duplicates changes no offer, yet moves the version.
    postings.outranked = read_outranked(db).await?;
    if changed.is_empty() {
        if since.is_none() {
            // No offer at all: the title order is known, and empty.
            postings.titles = Some(Arc::default());
        }
        return Ok(());
    }
    // A changed record makes the title order stale; a first build reads it with the rest.
    if since.is_none() {
        postings.titles = Some(Arc::new(TitleOrder::read(db).await?));
    } else if !record_changed.is_empty() {
        postings.titles = None;
    }
    postings.remove(&changed);
    // A row written after `changed` was read is left for the next catch-up: it was not
    // removed, and its stamp is above the version this one records.
    postings.published |= published;

    // `changed_offers` grouped by a value of the offer's row (or of a joined row).
    let by_value = |value: Expr| {
        let mut select = changed_offers();
        select
            .expr(value.clone())
            .expr(id_list(db, "offers.id"))
            .add_group_by([value]);
        select
    };
    // A child table's rows of the changed offers, grouped by `column`.
    let by_child = |table: &'static str, column: &'static str| {
        let value = Expr::col((Alias::new(table), Alias::new(column)));
        let mut select = Query::select();
        select
            .expr(value.clone())
            .expr(id_list(db, &format!("{table}.offer_id")))
            .from(table)
            .add_group_by([value]);
        if since.is_some() {
            let mut ids = changed_offers();
            ids.column((Alias::new("offers"), Alias::new("id")));
            select
                .and_where(Expr::col((Alias::new(table), Alias::new("offer_id"))).in_subquery(ids));
        }
        select
    };
    for (facet, column) in [
        (Facet::Kinds, "kind"),
        (Facet::Sectors, "sector_code"),
        (Facet::DeliveryModes, "delivery_mode"),
        (Facet::Departements, "departement"),
        (Facet::Sources, "source"),
    ] {
        let select = by_value(offer_column(column));
        add_grouped(
            db,
            postings.facet_mut(facet),
            (&select, Read::Whole),
            &changed,
        )
        .await?;
    }
    for summary in SessionSummary::ALL {
        let select = by_value(offer_column(summary.column()));
        let by_date = postings.summary_mut(summary);
        add_grouped(db, by_date, (&select, Read::Whole), &changed).await?;
    }

    add_places(db, &mut postings.places, changed_offers(), &changed).await?;
    add_times(db, postings, changed_offers(), &changed).await?;

    let mut select = by_value(Expr::col((Alias::new("organisations"), Alias::new("kind"))));
    select.inner_join(
        "organisations",
        Expr::col((Alias::new("organisations"), Alias::new("id")))
            .equals((Alias::new("offers"), Alias::new("organisation_id"))),
    );
    add_grouped(
        db,
        postings.facet_mut(Facet::OrganisationKinds),
        (&select, Read::Whole),
        &changed,
    )
    .await?;

    for (facet, system) in [
        (Facet::RomeCodes, OccupationSystem::Rome),
        (Facet::AppellationCodes, OccupationSystem::Appellation),
        (Facet::Formacodes, OccupationSystem::Formacode),
    ] {
        let mut select = by_child("offer_codes", "code");
        select.and_where(
            Expr::col((Alias::new("offer_codes"), Alias::new("system"))).eq(system.code()),
        );
        add_grouped(
            db,
            postings.facet_mut(facet),
            (&select, Read::ByBlock(("offer_codes", "offer_id"))),
            &changed,
        )
        .await?;
    }
    for (facet, table, column) in [
        (Facet::Publics, "offer_publics", "public"),
        (Facet::Barriers, "offer_barriers", "barrier"),
        (Facet::Themes, "offer_themes", "theme"),
    ] {
        let select = by_child(table, column);
        add_grouped(
            db,
            postings.facet_mut(facet),
            (&select, Read::ByBlock((table, "offer_id"))),
            &changed,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(values: &[&str]) -> Option<Vec<String>> {
        Some(values.iter().map(|v| (*v).to_owned()).collect())
    }

    fn counted(counts: &[FacetCount]) -> Vec<(&str, u64)> {
        counts.iter().map(|c| (c.code.as_str(), c.count)).collect()
    }

    /// Offers 1–3 are trainings, 4 a job; 1 and 4 are for young people, 2 for seniors.
    fn sample() -> Postings {
        let mut postings = Postings::default();
        for id in 1..=4 {
            postings.add_published(id);
            let kind = if id == 4 { "SUPPORTED_JOB" } else { "TRAINING" };
            postings.add(Facet::Kinds, kind.to_owned(), id);
        }
        postings.add(Facet::Publics, "YOUNG_PEOPLE".to_owned(), 1);
        postings.add(Facet::Publics, "YOUNG_PEOPLE".to_owned(), 4);
        postings.add(Facet::Publics, "SENIORS".to_owned(), 2);
        postings
    }

    #[test]
    fn a_facet_is_counted_without_its_own_filter_but_with_the_others() {
        let postings = sample();
        let mut wanted: [Option<Vec<String>>; Facet::ALL.len()] = Default::default();
        wanted[Facet::Kinds.position()] = codes(&["TRAINING"]);
        wanted[Facet::Publics.position()] = codes(&["YOUNG_PEOPLE"]);
        let counts = postings.count(postings.published(), &wanted);
        // Kinds among young people's offers: both kinds stay on offer.
        assert_eq!(
            counted(&counts[Facet::Kinds.position()]),
            [("SUPPORTED_JOB", 1), ("TRAINING", 1)]
        );
        // Publics among trainings, most frequent first then by code.
        assert_eq!(
            counted(&counts[Facet::Publics.position()]),
            [("SENIORS", 1), ("YOUNG_PEOPLE", 1)]
        );
        assert!(counts[Facet::Themes.position()].is_empty());
    }

    #[test]
    fn counts_stay_within_the_base_and_unknown_codes_keep_nothing() {
        let postings = sample();
        let base: RoaringBitmap = [1, 2].into_iter().collect();
        let mut wanted: [Option<Vec<String>>; Facet::ALL.len()] = Default::default();
        assert_eq!(
            counted(&postings.count(&base, &wanted)[Facet::Kinds.position()]),
            [("TRAINING", 2)]
        );
        wanted[Facet::Publics.position()] = codes(&["NOBODY"]);
        assert!(postings.count(&base, &wanted)[Facet::Kinds.position()].is_empty());
    }

    #[test]
    fn a_removed_offer_leaves_every_value_and_empty_values_go() {
        let mut postings = sample();
        postings.remove(&[4].into_iter().collect());
        let wanted: [Option<Vec<String>>; Facet::ALL.len()] = Default::default();
        let all: RoaringBitmap = (1..=4).collect();
        let counts = postings.count(&all, &wanted);
        assert_eq!(counted(&counts[Facet::Kinds.position()]), [("TRAINING", 3)]);
        assert!(!postings.published().contains(4));
        assert!(!postings.by_facet[Facet::Kinds.position()].contains_key("SUPPORTED_JOB"));
    }

    fn on(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).expect("a December day")
    }

    /// `sample`, where offer 1's last session starts on the 5th, offer 2's on the 10th with
    /// its last open one on the 3rd, and offers 3 and 4 have none.
    fn with_sessions() -> Postings {
        let mut postings = sample();
        postings.add_summary(SessionSummary::LastSlot, on(5), 1);
        postings.add_summary(SessionSummary::LastOpenSlot, on(5), 1);
        postings.add_summary(SessionSummary::LastSlot, on(10), 2);
        postings.add_summary(SessionSummary::LastOpenSlot, on(3), 2);
        postings
    }

    fn ids(offers: Option<RoaringBitmap>) -> Vec<u32> {
        offers.expect("restricted").iter().collect()
    }

    #[test]
    fn session_conditions_follow_today_and_may_be_negated() {
        let postings = with_sessions();
        let none: Wanted = Default::default();
        let sessions = |upcoming, seats_left, today| SessionConditions {
            upcoming,
            seats_left,
            today,
        };
        let only = |facets: &Wanted, sessions: SessionConditions| Conditions {
            facets: facets.clone(),
            sessions,
            near: None,
            updated_since: None,
            exclude_duplicates: false,
        };
        // A session starting today is upcoming.
        assert_eq!(
            ids(postings.kept_by(&only(&none, sessions(Some(true), None, on(5))), true)),
            [1, 2]
        );
        assert_eq!(
            ids(postings.kept_by(&only(&none, sessions(Some(true), None, on(6))), true)),
            [2]
        );
        // Seats left on the 4th: only offer 1's open session is still ahead.
        assert_eq!(
            ids(postings.kept_by(&only(&none, sessions(None, Some(true), on(4))), true)),
            [1]
        );
        // Without an upcoming session: offers with none at all are in.
        assert_eq!(
            ids(postings.kept_by(&only(&none, sessions(Some(false), None, on(6))), true)),
            [1, 3, 4]
        );
        // Both at once, with a facet.
        let mut young = none.clone();
        young[Facet::Publics.position()] = codes(&["YOUNG_PEOPLE"]);
        assert_eq!(
            ids(postings.kept_by(&only(&young, sessions(Some(true), Some(true), on(1))), true)),
            [1]
        );
        // No condition at all, drafts included: nothing restricts.
        assert!(
            postings
                .kept_by(&only(&none, sessions(None, None, on(1))), false)
                .is_none()
        );
    }

    /// Also: the union of later days kept for a day is let go when the dates change (asked
    /// before the removal and after it, and after an offer gains a date).
    #[test]
    fn a_removed_offer_leaves_the_session_dates() {
        let mut postings = with_sessions();
        let all: RoaringBitmap = (1..=4).collect();
        let upcoming = |postings: &Postings, conditions: &Conditions| -> Vec<u32> {
            postings.meeting(all.clone(), conditions).iter().collect()
        };
        let conditions = Conditions {
            facets: Wanted::default(),
            sessions: SessionConditions {
                upcoming: Some(true),
                seats_left: None,
                today: on(1),
            },
            near: None,
            updated_since: None,
            exclude_duplicates: false,
        };
        assert_eq!(upcoming(&postings, &conditions), [1, 2]);
        postings.remove(&[1].into_iter().collect());
        assert!(!postings.by_summary[SessionSummary::LastSlot as usize].contains_key(&on(5)));
        assert_eq!(upcoming(&postings, &conditions), [2]);
        postings.add_summary(SessionSummary::LastSlot, on(7), 3);
        assert_eq!(upcoming(&postings, &conditions), [2, 3]);
    }

    #[test]
    fn updated_since_keeps_the_offers_updated_at_or_after_it_and_forgets_removed_ones() {
        const DAY: i64 = MICROS_PER_DAY;
        let mut postings = sample();
        // Offers 1 and 2 on the first day, 3 on the next, 4 a moment before the epoch.
        for (id, micros) in [(1, 1_000), (2, 2_000), (3, DAY + 5), (4, -5)] {
            postings.set_updated_for_test(id, micros);
        }
        let since = |micros| Conditions {
            facets: Wanted::default(),
            sessions: SessionConditions {
                upcoming: None,
                seats_left: None,
                today: on(1),
            },
            near: None,
            updated_since: Some(micros),
            exclude_duplicates: false,
        };
        // At the very instant is "since", within its day and on the later ones.
        assert_eq!(ids(postings.kept_by(&since(2_000), true)), [2, 3]);
        assert_eq!(ids(postings.kept_by(&since(2_001), false)), [3]);
        assert_eq!(ids(postings.kept_by(&since(DAY + 5), true)), [3]);
        assert!(ids(postings.kept_by(&since(DAY + 6), true)).is_empty());
        assert_eq!(ids(postings.kept_by(&since(-5), true)), [1, 2, 3, 4]);
        assert_eq!(
            ids(postings.kept_by(&since(i64::MIN + 1), true)),
            [1, 2, 3, 4]
        );
        assert!(since(0).any());
        // A removed offer leaves its day; one read again moves to its new day.
        postings.remove(&[3, 2].into_iter().collect());
        assert!(!postings.updated_by_day.contains_key(&1));
        assert_eq!(ids(postings.kept_by(&since(1_000), true)), [1]);
        postings.add_published(2);
        postings.set_updated_for_test(2, 2 * DAY);
        assert_eq!(ids(postings.kept_by(&since(DAY), true)), [2]);
        assert_eq!(ids(postings.kept_by(&since(1_000), true)), [1, 2]);
    }

    #[test]
    fn an_update_instant_is_read_as_postgresql_and_sqlite_give_it() {
        // PostgreSQL: microseconds already; SQLite: the RFC 3339 text sqlx stores, its
        // nanoseconds cut (never rounded up past an instant asked for).
        assert_eq!(
            updated_micros("1796113939745879"),
            Some(1_796_113_939_745_879)
        );
        assert_eq!(
            updated_micros("2026-12-01T08:32:19.745879908+00:00"),
            Some(1_796_113_939_745_879)
        );
        assert_eq!(
            updated_micros("2026-12-01T08:32:19+00:00"),
            Some(1_796_113_939_000_000)
        );
        assert_eq!(
            updated_micros("2026-12-01 08:32:19.745"),
            Some(1_796_113_939_745_000)
        );
        assert_eq!(updated_micros("yesterday"), None);
    }
    #[test]
    fn a_catch_up_reads_many_changed_offers_a_block_of_ids_at_a_time() {
        let few: RoaringBitmap = [7, 300_000].into_iter().collect();
        assert_eq!(id_blocks(&few), [7..=300_000]);
        assert!(id_blocks(&RoaringBitmap::new()).is_empty());
        // 70,000 offers from 10 and three more far away: every one in exactly one block,
        // each block within 2^16 ids, the empty stretch between them not read.
        let many: RoaringBitmap = (10..70_010).chain([500_000, 500_001, 1_000_000]).collect();
        let blocks = id_blocks(&many);
        assert_eq!(
            blocks,
            [
                10..=65_535,
                65_536..=131_071,
                458_752..=524_287,
                983_040..=1_000_000
            ]
        );
        for id in &many {
            assert_eq!(blocks.iter().filter(|block| block.contains(&id)).count(), 1);
        }
    }
    #[test]
    fn id_lists_are_read_in_any_order_and_bad_ids_are_refused() {
        let ids =
            |list: &str| parse_ids(Some(list.to_owned())).map(|ids| ids.iter().collect::<Vec<_>>());
        assert_eq!(ids("1,2,70000,70001").expect("ids"), [1, 2, 70_000, 70_001]);
        assert_eq!(ids("70001,5,3,9,3").expect("ids"), [3, 5, 9, 70_001]);
        assert_eq!(parse_ids(None).expect("none").len(), 0);
        assert!(ids("1,-2").is_err());
    }

    #[test]
    fn id_lists_as_bytes_are_read_in_any_order_and_bad_ones_are_refused() {
        let bytes = |ids: &[i32]| Some(ids.iter().flat_map(|id| id.to_be_bytes()).collect());
        let read = parse_id_bytes(bytes(&[70_001, 5, 3, 70_001])).expect("ids");
        assert_eq!(read.iter().collect::<Vec<_>>(), [3, 5, 70_001]);
        assert_eq!(parse_id_bytes(None).expect("none").len(), 0);
        assert!(parse_id_bytes(bytes(&[1, -2])).is_err());
        assert!(parse_id_bytes(Some(vec![0, 0, 1])).is_err());
    }
}
