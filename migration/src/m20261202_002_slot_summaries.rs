//! Per-offer session summaries (`last_slot_on`, `last_open_slot_on`), so that the
//! `hasUpcomingSlot` and `hasSeatsLeft` filters are index range scans: computed here for the
//! offers that exist, then kept by every session write (`catalogue::slot_summary`).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BACKFILL: &str = "UPDATE offers SET \
    last_slot_on = (SELECT MAX(s.starts_on) FROM training_slots s WHERE s.offer_id = offers.id AND s.cancelled_at IS NULL), \
    last_open_slot_on = (SELECT MAX(s.starts_on) FROM training_slots s WHERE s.offer_id = offers.id AND s.cancelled_at IS NULL AND s.seats_taken < s.seats_total)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["last_slot_on", "last_open_slot_on"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .add_column(date_null(column))
                        .take(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(BACKFILL)
            .await?;
        for (name, column) in [
            ("idx_offers_status_last_slot", "last_slot_on"),
            ("idx_offers_status_last_open_slot", "last_open_slot_on"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("offers")
                        .col("status")
                        .col(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_offers_status_last_slot",
            "idx_offers_status_last_open_slot",
        ] {
            manager
                .drop_index(Index::drop().name(name).table("offers").to_owned())
                .await?;
        }
        for column in ["last_open_slot_on", "last_slot_on"] {
            manager
                .alter_table(Table::alter().table("offers").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
