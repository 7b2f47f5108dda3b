//! Where every organisation and offer comes from: its source (`manual` when typed in here),
//! its id and page in that source, when it was last imported, and a digest of what was
//! imported so that a re-import can tell an unchanged source record from a local edit.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["organisations", "offers"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            // One `ADD COLUMN` per statement: SQLite takes a single change each.
            for mut column in [
                text("source").default("manual").to_owned(),
                text_null("external_id"),
                text_null("source_url"),
                timestamp_with_time_zone_null("imported_at"),
                text_null("imported_digest"),
            ] {
                manager
                    .alter_table(Table::alter().table(table).add_column(&mut column).take())
                    .await?;
            }
            // NULL external ids (records typed in here) never collide, on both engines.
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_source_external_id"))
                        .table(table)
                        .col("source")
                        .col("external_id")
                        .unique()
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_source_external_id"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
            for column in [
                "imported_digest",
                "imported_at",
                "source_url",
                "external_id",
                "source",
            ] {
                manager
                    .alter_table(Table::alter().table(table).drop_column(column).take())
                    .await?;
            }
        }
        Ok(())
    }
}
