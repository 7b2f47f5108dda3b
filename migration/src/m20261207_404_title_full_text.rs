//! A second FTS5 table on SQLite, of the titles' stems alone (`offers_fts_title`), kept by
//! its own triggers like `offers_fts`. The best relevance tier (every word in the title) is
//! read from it: `offers_fts` answers a title-only query by walking the word's whole
//! doclist, every column's positions included, so a common word cost its every offer (at a
//! million offers "formation" is in 84,748 titles and many more bodies). PostgreSQL: nothing.
//!
//! SQLite cannot alter a table's definition in place: a later migration that rebuilds
//! `offers` must create these triggers again.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE offers_fts_title USING fts5(fts_title, content='offers', \
     content_rowid='id', prefix='2 3 4')",
    "CREATE TRIGGER offers_fts_title_insert AFTER INSERT ON offers BEGIN \
     INSERT INTO offers_fts_title(rowid, fts_title) VALUES (new.id, new.fts_title); END",
    "CREATE TRIGGER offers_fts_title_delete AFTER DELETE ON offers BEGIN \
     INSERT INTO offers_fts_title(offers_fts_title, rowid, fts_title) \
     VALUES ('delete', old.id, old.fts_title); END",
    "CREATE TRIGGER offers_fts_title_update AFTER UPDATE OF fts_title ON offers BEGIN \
     INSERT INTO offers_fts_title(offers_fts_title, rowid, fts_title) \
     VALUES ('delete', old.id, old.fts_title); \
     INSERT INTO offers_fts_title(rowid, fts_title) VALUES (new.id, new.fts_title); END",
    // The titles already written.
    "INSERT INTO offers_fts_title(offers_fts_title) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS offers_fts_title_update",
    "DROP TRIGGER IF EXISTS offers_fts_title_delete",
    "DROP TRIGGER IF EXISTS offers_fts_title_insert",
    "DROP TABLE IF EXISTS offers_fts_title",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_DOWN).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Postgres {
        return Ok(());
    }
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}
