//! Seeding: the demo catalogue loaded into an empty database, and generated catalogues for load tests.
pub mod generate;
pub mod model;
pub mod records;
pub mod sqlite_bulk;

use chrono::{DateTime, NaiveDate, Utc};
use entity::offer;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, PaginatorTrait};

use crate::catalogue::transaction::write_transaction;
use crate::catalogue::{changes, slot_summary};
use crate::exchange::bundle::format;
use crate::exchange::bundle::import::{DateShift, ImportOptions, import};
use crate::exchange::bundle::write::{self, ChildIds, IdCounter, OfferRow, Parent, Provenance};

use model::{SeedOffer, SeedOrganisation};

/// Offers written per transaction (the writer's statement size limit).
const OFFERS_PER_BATCH: usize = 200;
/// Offers committed per transaction on PostgreSQL: fewer, larger commits write less, while
/// one still holds its locks for well under a second. (SQLite loads in one transaction.)
const OFFERS_PER_TRANSACTION: usize = 2_000;

/// Seeded rows belong to this catalogue (no source key), as rows typed in here do.
fn local() -> Provenance {
    Provenance {
        source: "manual".to_owned(),
        external_id: None,
        source_url: None,
        imported_at: None,
        digest: None,
    }
}

/// Inserts organisations then their offers (published); returns the number of offers.
/// Seed records are trusted: they are written as they are, without the importer's checks.
pub async fn load(
    db: &DatabaseConnection,
    organisations: &[SeedOrganisation],
    offers: impl Iterator<Item = SeedOffer> + Send + 'static,
    today: NaiveDate,
    progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let now = Utc::now();
    let organisations: Vec<format::Organisation> = organisations
        .iter()
        .map(|o| records::organisation(o, now))
        .collect();
    let offers = offers.map(move |o| (o.organisation, records::offer(&o, today, now)));
    load_records(db, &organisations, offers, progress).await
}

/// Inserts organisation records, then offer records, each naming its organisation by its
/// index in `organisations`; returns the number of offers.
pub async fn load_records(
    db: &DatabaseConnection,
    organisations: &[format::Organisation],
    offers: impl Iterator<Item = (usize, format::Offer)> + Send + 'static,
    mut progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let writer = crate::db::bulk_writer(db).await?;
    let db = &writer;
    if db.get_database_backend() == DbBackend::Sqlite {
        return load_into_sqlite(db, organisations, offers, progress).await;
    }
    let txn = write_transaction(db).await?;
    let parents = insert_organisations(&txn, organisations).await?;
    txn.commit().await?;

    let mut total = 0;
    let mut offers = offers.peekable();
    while offers.peek().is_some() {
        let txn = write_transaction(db).await?;
        let mut written = Vec::new();
        while written.len() < OFFERS_PER_TRANSACTION && offers.peek().is_some() {
            let batch: Vec<(usize, format::Offer)> =
                offers.by_ref().take(OFFERS_PER_BATCH).collect();
            written.extend(insert_batch(&txn, &parents, &batch).await?);
        }
        changes::bump_and_stamp(&txn, &written, &[]).await?;
        txn.commit().await?;
        total += written.len();
        progress(written.len());
    }
    // Fresh statistics let the query planner pick the right index on a bulk-loaded table.
    db.execute_unprepared("ANALYZE").await?;
    Ok(total)
}

/// Inserts the organisations, stamped; returns what their offers copy of them.
async fn insert_organisations(
    txn: &impl ConnectionTrait,
    organisations: &[format::Organisation],
) -> Result<Vec<Parent>, DbErr> {
    let ids = write::allocate_ids(txn, "organisations", organisations.len()).await?;
    let rows: Vec<(i32, &format::Organisation, Provenance)> = ids
        .iter()
        .zip(organisations)
        .map(|(id, record)| (*id, record, local()))
        .collect();
    write::insert_organisations(txn, &rows).await?;
    // Seeding writes no audit entry, so it bumps the catalogue version (and stamps the
    // change feed) itself.
    changes::bump_and_stamp(txn, &[], &ids).await?;
    Ok(ids
        .iter()
        .zip(organisations)
        .map(|(id, record)| Parent::of(*id, record))
        .collect())
}

/// `load_records` on SQLite: one transaction (SQLite has one writer, and keeps it for the
/// whole load), with the secondary indexes and full-text triggers set aside while rows go
/// in (`sqlite_bulk`); the session summaries and the change-feed stamp are written after
/// the rows, `OFFERS_PER_UPDATE` offers a statement. Each step logs its time.
///
/// The statements are built on a thread of their own (records, stems, SQL text) while the
/// connection runs the previous batch's: the two took about the same time one after the other.
async fn load_into_sqlite(
    db: &DatabaseConnection,
    organisations: &[format::Organisation],
    offers: impl Iterator<Item = (usize, format::Offer)> + Send + 'static,
    mut progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let txn = write_transaction(db).await?;
    let parents = insert_organisations(&txn, organisations).await?;
    let mut aside = sqlite_bulk::set_aside(&txn).await?;
    let ids = IdCounter::read(&txn).await?;
    let mut rows_steps = sqlite_bulk::Steps::start();
    let backend = txn.get_database_backend();
    let (sender, mut batches) = tokio::sync::mpsc::channel(BATCHES_BUILT_AHEAD);
    let builder = tokio::task::spawn_blocking(move || {
        build_batches(backend, &parents, offers, ids, &sender);
    });
    let mut inserted: Option<(i32, i32)> = None;
    let mut total = 0;
    while let Some(batch) = batches.recv().await {
        let batch = batch?;
        for statement in batch.statements {
            txn.execute_raw(statement).await?;
        }
        if let (Some(&first), Some(&last)) = (batch.ids.first(), batch.ids.last()) {
            inserted = Some((inserted.map_or(first, |(from, _)| from), last));
        }
        total += batch.ids.len();
        progress(batch.ids.len());
    }
    builder
        .await
        .map_err(|error| DbErr::Custom(format!("the seed's statement builder failed: {error}")))?;
    rows_steps.done("rows written");
    let mut steps = sqlite_bulk::Steps::start();
    // The summaries read the sessions by their offer's index: that one first.
    aside.rebuild_child_indexes(&txn).await?;
    steps.done("indexes of the child tables built");
    if let Some((first, last)) = inserted {
        // By ranges: each statement's journal (kept in memory) holds the rows it rewrites.
        for from in (first..=last).step_by(OFFERS_PER_UPDATE) {
            let to = last.min(from.saturating_add(OFFERS_PER_UPDATE as i32 - 1));
            slot_summary::refresh_range(&txn, from, to)
                .await
                .map_err(|error| DbErr::Custom(error.to_string()))?;
            changes::bump_and_stamp_offer_range(&txn, from, to).await?;
        }
    }
    steps.done("session summaries and change-feed stamps written");
    aside.restore(&txn, inserted, &mut steps).await?;
    txn.commit().await?;
    steps.done("committed (the WAL checkpointed)");
    db.execute_unprepared("ANALYZE").await?;
    Ok(total)
}

/// Offers whose summaries and stamp one statement writes after a bulk load into SQLite.
const OFFERS_PER_UPDATE: usize = 10_000;

/// Batches of statements built ahead of the connection (a batch holds about a megabyte).
const BATCHES_BUILT_AHEAD: usize = 4;

/// The statements of one batch of offers, and the offers' ids.
struct BuiltBatch {
    statements: Vec<sea_orm::Statement>,
    ids: Vec<i32>,
}

/// Builds the statements of `offers`, batch after batch, until they are all sent, one fails
/// to build (its error is sent), or the receiver is gone (the load failed).
fn build_batches(
    backend: DbBackend,
    parents: &[Parent],
    mut offers: impl Iterator<Item = (usize, format::Offer)>,
    mut ids: IdCounter,
    sender: &tokio::sync::mpsc::Sender<Result<BuiltBatch, DbErr>>,
) {
    loop {
        let batch: Vec<(usize, format::Offer)> = offers.by_ref().take(OFFERS_PER_BATCH).collect();
        if batch.is_empty() {
            return;
        }
        let offer_ids = ids.offers(batch.len());
        let built = offer_rows(parents, &offer_ids, &batch).and_then(|rows| {
            let all: Vec<&format::Offer> = batch.iter().map(|(_, record)| record).collect();
            write::offer_statements(backend, &rows, &mut ids.children(&all))
        });
        let failed = built.is_err();
        let built = built.map(|statements| BuiltBatch {
            statements,
            ids: offer_ids,
        });
        if sender.blocking_send(built).is_err() || failed {
            return;
        }
    }
}

/// The rows of a batch of offers (each naming its organisation's index in `parents`).
fn offer_rows<'a>(
    parents: &'a [Parent],
    ids: &[i32],
    batch: &'a [(usize, format::Offer)],
) -> Result<Vec<OfferRow<'a>>, DbErr> {
    ids.iter()
        .zip(batch)
        .map(|(id, (organisation, record))| {
            let parent = parents.get(*organisation).ok_or_else(|| {
                DbErr::Custom(format!(
                    "seed offer {:?} names organisation #{organisation} which does not exist",
                    record.title
                ))
            })?;
            Ok(OfferRow {
                id: *id,
                parent,
                record,
                provenance: local(),
            })
        })
        .collect()
}

/// Inserts one statement's worth of offers (each naming its organisation's index in
/// `parents`) with their children; returns their ids.
async fn insert_batch(
    txn: &impl ConnectionTrait,
    parents: &[Parent],
    batch: &[(usize, format::Offer)],
) -> Result<Vec<i32>, DbErr> {
    let ids = write::allocate_ids(txn, "offers", batch.len()).await?;
    let rows = offer_rows(parents, &ids, batch)?;
    let all: Vec<&format::Offer> = batch.iter().map(|(_, record)| record).collect();
    let mut next = ChildIds::for_offers(txn, &all).await?;
    write::insert_offers(txn, &rows, &mut next).await?;
    Ok(ids)
}

/// True when the catalogue has no offer yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(offer::Entity::find().count(db).await? == 0)
}

/// The demo catalogue: a bundle (`data/demo.bundle.jsonl`) a content editor changes
/// without touching Rust; built into the binary so that a server needs no data directory.
pub const DEMO_BUNDLE: &str = include_str!("../data/demo.bundle.jsonl");

/// The records of the demo bundle.
pub fn demo_lines() -> Result<Vec<format::Line>, serde_json::Error> {
    crate::exchange::bundle::export::parse_lines(DEMO_BUNDLE)
}

/// Loads the demo catalogue through the bundle importer, its dates moved so that it reads
/// as if written `now` (sessions stay in the coming months). Fails on any rejected record:
/// the demo must be a valid bundle. Returns the number of records created.
pub async fn load_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let options = ImportOptions {
        shift_dates_to: Some(now),
        audit: false,
        ..ImportOptions::new("demo")
    };
    let report = import(db, DEMO_BUNDLE.as_bytes(), &options, |_| {})
        .await
        .map_err(|error| DbErr::Custom(format!("demo catalogue: {error}")))?;
    if !report.rejected.is_empty() {
        return Err(DbErr::Custom(format!(
            "the demo catalogue has bad records: {}",
            report.summary()
        )));
    }
    db.execute_unprepared("ANALYZE").await?;
    Ok(report.created)
}

/// Adds a generated catalogue of `offers` offers (one organisation per ten), drawn from the
/// demo catalogue with its dates moved to `now`.
pub async fn load_generated(
    db: &DatabaseConnection,
    offers: usize,
    generator_seed: u64,
    now: DateTime<Utc>,
    progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let mut lines =
        demo_lines().map_err(|error| DbErr::Custom(format!("demo catalogue: {error}")))?;
    shift_to(&mut lines, now);
    let vocabulary = std::sync::Arc::new(generate::Vocabulary::new(lines));
    let organisation_count = offers.div_ceil(10).max(1);
    let organisations =
        generate::generated_organisations(&vocabulary, organisation_count, generator_seed);
    let generated =
        generate::generated_offers(vocabulary, organisation_count, offers, generator_seed);
    let inserted = load_records(db, &organisations, generated, progress).await?;
    after_bulk_load(db).await?;
    Ok(inserted)
}

/// After a bulk load, PostgreSQL is given its statistics and visibility map at once: it
/// plans from statistics, which a bulk load leaves empty until autovacuum comes, and the
/// seed writes each row, then stamps it (dead versions); the word blocks the load marked are
/// packed (the server would, a pass a second). SQLite plans by its own rules
/// without statistics, which this project's queries are written for, so it is left alone.
pub async fn after_bulk_load(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        crate::catalogue::stem_blocks::compact_all(db).await?;
        db.execute_unprepared("VACUUM (ANALYZE)").await?;
    }
    Ok(())
}

/// Moves the dates of bundle records as if their bundle was exported `now`.
fn shift_to(lines: &mut [format::Line], now: DateTime<Utc>) {
    let Some(format::Line::Header(header)) = lines.first() else {
        return;
    };
    let shift = DateShift::between(header.exported_at, now);
    for line in lines.iter_mut() {
        match line {
            format::Line::Organisation(o) => shift.organisation(o),
            format::Line::Offer(o) => shift.offer(o),
            format::Line::Header(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    /// What the importer cannot check record by record: the demo as a whole.
    #[test]
    fn the_demo_bundle_is_a_coherent_catalogue() {
        let lines = demo_lines().expect("the demo bundle parses");
        assert!(matches!(lines.first(), Some(format::Line::Header(_))));
        let mut organisations: HashMap<format::Key, &format::Organisation> = HashMap::new();
        let mut offer_keys = HashSet::new();
        let mut offers_per_organisation: HashMap<format::Key, usize> = HashMap::new();
        for line in &lines {
            match line {
                format::Line::Organisation(o) => {
                    assert!(organisations.insert(o.key(), o).is_none(), "{:?}", o.key());
                }
                format::Line::Offer(o) => {
                    assert!(offer_keys.insert(o.key()), "{:?}", o.key());
                    let organisation = organisations
                        .get(&o.organisation)
                        .unwrap_or_else(|| panic!("{} names a structure before it", o.title));
                    *offers_per_organisation
                        .entry(o.organisation.clone())
                        .or_default() += 1;
                    // French SIAE offers carry the IAE condition; CISP ones the CISP rule.
                    let siae = organisation.country == "FR"
                        && ["ACI", "EI", "ETTI", "AI", "EITI"]
                            .contains(&organisation.kind.as_str());
                    let has = |kind: &str| o.conditions.iter().any(|c| c.kind == kind);
                    assert_eq!(has("IAE_CRITERIA"), siae, "{}", o.title);
                    assert_eq!(has("CISP_RULE"), organisation.kind == "CISP", "{}", o.title);
                    assert_eq!(o.status, "PUBLISHED", "{}", o.title);
                }
                format::Line::Header(_) => {}
            }
        }
        assert!(organisations.len() >= 150 && offer_keys.len() >= 400);
        assert!(organisations.values().all(|o| o.source == "demo"));
        assert_eq!(
            offers_per_organisation.len(),
            organisations.len(),
            "every structure runs offers"
        );
    }

    /// Loaded early in the day, days after its export, the demo must not hold a record
    /// changed "later than now" (a partner asking for what changed since a moment would get
    /// records nobody touched); its sessions move by whole days.
    #[test]
    fn a_shifted_demo_has_no_instant_in_the_future_and_sessions_move_by_whole_days() {
        let mut lines = demo_lines().expect("the demo bundle parses");
        let Some(format::Line::Header(header)) = lines.first() else {
            panic!("a header first");
        };
        let days = 3;
        let now = (header.exported_at.date_naive() + chrono::Days::new(days))
            .and_hms_opt(0, 5, 0)
            .expect("a time")
            .and_utc();
        let starts = |lines: &[format::Line]| -> Vec<chrono::NaiveDate> {
            lines
                .iter()
                .filter_map(|line| match line {
                    format::Line::Offer(o) => Some(o.slots.iter().map(|s| s.starts_on)),
                    _ => None,
                })
                .flatten()
                .collect()
        };
        let before = starts(&lines);
        shift_to(&mut lines, now);
        for line in &lines {
            match line {
                format::Line::Organisation(o) => {
                    assert!(o.updated_at <= now && o.created_at <= now, "{}", o.name);
                }
                format::Line::Offer(o) => {
                    assert!(o.updated_at <= now && o.created_at <= now, "{}", o.title);
                    assert!(o.verified_at.is_none_or(|t| t <= now), "{}", o.title);
                    for s in &o.slots {
                        assert!(s.updated_at <= now, "{}", o.title);
                    }
                }
                format::Line::Header(_) => {}
            }
        }
        let after = starts(&lines);
        assert!(!before.is_empty());
        for (b, a) in before.iter().zip(&after) {
            assert_eq!((*a - *b).num_days(), days as i64);
        }
    }
}
