//! Database migrations of the catalogue, applied at start-up and in every test database.
pub use sea_orm_migration::prelude::*;

mod enum_constraints;
mod m20261124_001_create_catalogue;
mod m20261124_002_seed_sectors;
mod m20261124_003_clients_and_audit;
mod m20261125_001_enum_checks;
mod m20261125_002_condition_positions_unique;
mod m20261125_003_instances_and_secrets;
mod m20261202_001_offer_trust;
mod m20261202_002_slot_summaries;
mod m20261202_101_persisted_queries;
mod m20261202_102_catalogue_version;
mod m20261202_201_provenance;
mod m20261202_202_change_feed;
mod m20261202_203_offer_duplicates;
mod m20261203_301_slot_recruitment;
mod m20261206_401_change_kinds;
mod m20261206_402_full_text;
mod m20261206_403_drop_derived_offer_text;
mod m20261207_404_title_full_text;
mod m20261207_405_offer_stems;
mod m20261207_406_offer_stem_blocks;
mod m20261208_407_open_slot_starts;
mod m20261208_408_offer_freshness_reference;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_001_create_catalogue::Migration),
            Box::new(m20261124_002_seed_sectors::Migration),
            Box::new(m20261124_003_clients_and_audit::Migration),
            // In name order. A database that already has the two below applies this one
            // after them: it touches none of their tables' new parts, so the result is alike.
            Box::new(m20261125_001_enum_checks::Migration),
            Box::new(m20261125_002_condition_positions_unique::Migration),
            Box::new(m20261125_003_instances_and_secrets::Migration),
            Box::new(m20261202_001_offer_trust::Migration),
            Box::new(m20261202_002_slot_summaries::Migration),
            Box::new(m20261202_101_persisted_queries::Migration),
            Box::new(m20261202_102_catalogue_version::Migration),
            Box::new(m20261202_201_provenance::Migration),
            Box::new(m20261202_202_change_feed::Migration),
            Box::new(m20261202_203_offer_duplicates::Migration),
            Box::new(m20261203_301_slot_recruitment::Migration),
            Box::new(m20261206_401_change_kinds::Migration),
            Box::new(m20261206_402_full_text::Migration),
            Box::new(m20261206_403_drop_derived_offer_text::Migration),
            Box::new(m20261207_404_title_full_text::Migration),
            Box::new(m20261207_405_offer_stems::Migration),
            Box::new(m20261207_406_offer_stem_blocks::Migration),
            Box::new(m20261208_407_open_slot_starts::Migration),
            Box::new(m20261208_408_offer_freshness_reference::Migration),
        ]
    }
}
