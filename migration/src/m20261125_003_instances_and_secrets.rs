//! Rate limits move to memory: the per-request counters table goes; instances announce
//! themselves (to share limits) and a shared secret signs pagination cursors.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("rate_limit_windows").if_exists().take())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_instances")
                    .col(text("id").primary_key())
                    .col(big_integer("last_seen"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("server_secrets")
                    .col(text("name").primary_key())
                    .col(text("value"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["server_secrets", "api_instances"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("rate_limit_windows")
                    .col(text("bucket"))
                    .col(big_integer("window_start"))
                    .col(integer("hits"))
                    .primary_key(Index::create().col("bucket").col("window_start"))
                    .take(),
            )
            .await?;
        Ok(())
    }
}
