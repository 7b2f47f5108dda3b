//! Kinds of change in the feed: when an offer last entered the published catalogue
//! (`published_seq`), when its own record last changed as opposed to its sessions only
//! (`content_seq`), and whether it was published at its last stamp (`listed`, 0 or 1), from
//! which the next stamp tells a publication from an update. Existing offers count as
//! published and changed at their last change: a partner resuming an older cursor is told
//! to upsert them, never only to refresh their sessions.
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
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            big_integer_null("published_seq"),
            big_integer_null("content_seq"),
            small_integer("listed").default(0).take(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .add_column(&mut column)
                        .take(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE offers SET content_seq = change_seq, \
                 published_seq = CASE WHEN status = 'PUBLISHED' THEN change_seq END, \
                 listed = CASE WHEN status = 'PUBLISHED' THEN 1 ELSE 0 END",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["published_seq", "content_seq", "listed"] {
            manager
                .alter_table(Table::alter().table("offers").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
