//! Offers no longer keep a folded copy of their text (`search_text`): full-text search reads
//! the stem columns of `m20261206_402`, and the copy only made every row longer to read (on
//! SQLite, every scan and every row fetched for a page paid for it). Organisations keep
//! theirs, which their name search reads.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .drop_column("search_text")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("offers")
                    .add_column(text("search_text").default(""))
                    .take(),
            )
            .await
    }
}
