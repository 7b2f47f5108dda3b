//! Offers no longer keep folded copies of their text: `search_text` (title, summary,
//! description, organisation, town) and `testimonial_text` (approved testimonials). Full-text
//! search reads the stem columns of `m20261206_402`, written from the same sources, and the
//! copies only made every row longer to read (on SQLite, every scan and every row fetched
//! for a page paid for them). Organisations keep their `search_text`, which their name search
//! reads. Offers indexed before this step keep their stems; the others are indexed from their
//! testimonials themselves (`fulltext_index::backfill`).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const DROPPED: [&str; 2] = ["search_text", "testimonial_text"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in DROPPED {
            manager
                .alter_table(Table::alter().table("offers").drop_column(column).take())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in DROPPED {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .add_column(text(column).default(""))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
