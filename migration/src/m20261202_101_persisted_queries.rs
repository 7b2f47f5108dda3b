//! Automatic persisted queries, shared by every instance: the text of each query by its
//! SHA-256, and whether an admin registered it (the allow-list) or a client did (APQ).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("persisted_queries")
                    // Lower-case hex of the SHA-256 of `query`, as Apollo clients send it.
                    .col(string_len("sha256_hash", 64).primary_key())
                    .col(text("query"))
                    // `admin` (registered on the command line: part of the allow-list) or
                    // `automatic` (registered by a client through APQ).
                    .col(string_len("origin", 16))
                    .col(big_integer("created_at"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("persisted_queries").take())
            .await
    }
}
