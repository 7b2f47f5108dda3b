//! Seeding: the demo catalogue loaded into an empty database, and generated catalogues for load tests.
pub mod demo;
pub mod generate;
pub mod insert;
pub mod model;
pub mod templates;
pub mod towns;

use chrono::{NaiveDate, Utc};
use entity::offer;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

use model::{SeedOffer, SeedOrganisation};

/// Inserts organisations then their offers; returns the number of offers.
pub async fn load(
    db: &DatabaseConnection,
    organisations: &[SeedOrganisation],
    offers: impl Iterator<Item = SeedOffer>,
    today: NaiveDate,
    progress: impl FnMut(usize),
) -> Result<usize, DbErr> {
    let now = Utc::now();
    let ids = insert::insert_organisations(db, organisations, now).await?;
    let parents: Vec<_> = ids
        .into_iter()
        .zip(organisations)
        .map(|(id, org)| (id, org.place.clone(), org.country, org.name.clone()))
        .collect();
    let inserted = insert::insert_offers(db, &parents, offers, today, now, progress).await?;
    // Fresh statistics let the query planner pick the right index on a bulk-loaded table.
    db.execute_unprepared("ANALYZE").await?;
    Ok(inserted)
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
