//! Seeding: the demo catalogue loaded into an empty database, and generated catalogues for load tests.
pub mod demo;
pub mod generate;
pub mod model;
pub mod records;
pub mod templates;
pub mod towns;

use chrono::{NaiveDate, Utc};
use entity::offer;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

use crate::catalogue::transaction::write_transaction;
use crate::catalogue::version;
use crate::exchange::bundle::format;
use crate::exchange::bundle::write::{self, ChildIds, OfferRow, Parent, Provenance};

use model::{SeedOffer, SeedOrganisation};

/// Offers written per transaction (the writer's statement size limit).
const OFFERS_PER_BATCH: usize = 200;

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
    offers: impl Iterator<Item = SeedOffer>,
    today: NaiveDate,
    mut progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let now = Utc::now();
    let txn = write_transaction(db).await?;
    let records: Vec<format::Organisation> = organisations
        .iter()
        .map(|o| records::organisation(o, now))
        .collect();
    let ids = write::allocate_ids(&txn, "organisations", records.len()).await?;
    let rows: Vec<(i32, &format::Organisation, Provenance)> = ids
        .iter()
        .zip(&records)
        .map(|(id, record)| (*id, record, local()))
        .collect();
    write::insert_organisations(&txn, &rows).await?;
    // Seeding writes no audit entry, so it bumps the catalogue version itself.
    version::bump(&txn).await?;
    txn.commit().await?;
    let parents: Vec<Parent> = ids
        .iter()
        .zip(&records)
        .map(|(id, record)| Parent::of(*id, record))
        .collect();

    let mut total = 0;
    let mut offers = offers.peekable();
    while offers.peek().is_some() {
        let batch: Vec<SeedOffer> = offers.by_ref().take(OFFERS_PER_BATCH).collect();
        let records: Vec<format::Offer> = batch
            .iter()
            .map(|o| records::offer(o, today, now))
            .collect();
        let txn = write_transaction(db).await?;
        let ids = write::allocate_ids(&txn, "offers", records.len()).await?;
        let mut rows = Vec::with_capacity(records.len());
        for ((id, seed), record) in ids.iter().zip(&batch).zip(&records) {
            let parent = parents.get(seed.organisation).ok_or_else(|| {
                DbErr::Custom(format!(
                    "seed offer {:?} names organisation #{} which does not exist",
                    seed.title, seed.organisation
                ))
            })?;
            rows.push(OfferRow {
                id: *id,
                parent,
                record,
                provenance: local(),
            });
        }
        let all: Vec<&format::Offer> = records.iter().collect();
        let mut next = ChildIds::for_offers(&txn, &all).await?;
        write::insert_offers(&txn, &rows, &mut next).await?;
        version::bump(&txn).await?;
        txn.commit().await?;
        total += batch.len();
        progress(batch.len());
    }
    // Fresh statistics let the query planner pick the right index on a bulk-loaded table.
    db.execute_unprepared("ANALYZE").await?;
    Ok(total)
}

/// True when the catalogue has no offer yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(offer::Entity::find().count(db).await? == 0)
}

/// Loads the demo catalogue (dates relative to `today`).
pub async fn load_demo(db: &DatabaseConnection, today: NaiveDate) -> Result<usize, DbErr> {
    let (organisations, offers) = demo::demo_catalogue();
    load(db, &organisations, offers.into_iter(), today, |_| {}).await
}

/// Adds a generated catalogue of `offers` offers (one organisation per ten).
pub async fn load_generated(
    db: &DatabaseConnection,
    offers: usize,
    generator_seed: u64,
    today: NaiveDate,
    progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let organisation_count = offers.div_ceil(10).max(1);
    let organisations = generate::generated_organisations(organisation_count, generator_seed);
    let generated = generate::generated_offers(organisation_count, offers, generator_seed);
    load(db, &organisations, generated, today, progress).await
}
