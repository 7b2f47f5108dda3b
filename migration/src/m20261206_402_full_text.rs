//! French full-text search. Offers get four columns of stems written by the application
//! (`fts_title`, `fts_summary`, `fts_body`, `fts_testimonials`; NULL until written, which the
//! server does at start-up for existing offers) and an index over them: on SQLite an FTS5
//! table with external content, kept by triggers in the same transaction as every write of
//! those columns; on PostgreSQL a generated `tsvector` (title A, summary B, body C,
//! testimonials D) with a GIN index, and a small one of the title and summary (`fts_head`)
//! for ranking. `search_terms` lists every stem once, for typo
//! tolerance by index lookups.
//!
//! SQLite cannot alter a table's definition in place: a later migration that rebuilds
//! `offers` must create the triggers again.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = ["fts_title", "fts_summary", "fts_body", "fts_testimonials"];

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE offers_fts USING fts5(fts_title, fts_summary, fts_body, fts_testimonials, \
     content='offers', content_rowid='id', prefix='2 3 4')",
    "CREATE TRIGGER offers_fts_insert AFTER INSERT ON offers BEGIN \
     INSERT INTO offers_fts(rowid, fts_title, fts_summary, fts_body, fts_testimonials) \
     VALUES (new.id, new.fts_title, new.fts_summary, new.fts_body, new.fts_testimonials); END",
    "CREATE TRIGGER offers_fts_delete AFTER DELETE ON offers BEGIN \
     INSERT INTO offers_fts(offers_fts, rowid, fts_title, fts_summary, fts_body, fts_testimonials) \
     VALUES ('delete', old.id, old.fts_title, old.fts_summary, old.fts_body, old.fts_testimonials); END",
    "CREATE TRIGGER offers_fts_update AFTER UPDATE OF fts_title, fts_summary, fts_body, fts_testimonials \
     ON offers BEGIN \
     INSERT INTO offers_fts(offers_fts, rowid, fts_title, fts_summary, fts_body, fts_testimonials) \
     VALUES ('delete', old.id, old.fts_title, old.fts_summary, old.fts_body, old.fts_testimonials); \
     INSERT INTO offers_fts(rowid, fts_title, fts_summary, fts_body, fts_testimonials) \
     VALUES (new.id, new.fts_title, new.fts_summary, new.fts_body, new.fts_testimonials); END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS offers_fts_update",
    "DROP TRIGGER IF EXISTS offers_fts_delete",
    "DROP TRIGGER IF EXISTS offers_fts_insert",
    "DROP TABLE IF EXISTS offers_fts",
];

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE offers ADD COLUMN fts_vector tsvector GENERATED ALWAYS AS (\
     setweight(to_tsvector('simple', coalesce(fts_title, '')), 'A') || \
     setweight(to_tsvector('simple', coalesce(fts_summary, '')), 'B') || \
     setweight(to_tsvector('simple', coalesce(fts_body, '')), 'C') || \
     setweight(to_tsvector('simple', coalesce(fts_testimonials, '')), 'D')) STORED",
    "CREATE INDEX idx_offers_fts_vector ON offers USING GIN (fts_vector)",
    // Title and summary alone, for the RELEVANCE tiers: a small vector stored in the row,
    // where testing the whole one would read it out of TOAST for every match.
    "ALTER TABLE offers ADD COLUMN fts_head tsvector GENERATED ALWAYS AS (\
     setweight(to_tsvector('simple', coalesce(fts_title, '')), 'A') || \
     setweight(to_tsvector('simple', coalesce(fts_summary, '')), 'B')) STORED",
];

const POSTGRES_DOWN: &[&str] = &[
    "ALTER TABLE offers DROP COLUMN IF EXISTS fts_head",
    "DROP INDEX IF EXISTS idx_offers_fts_vector",
    "ALTER TABLE offers DROP COLUMN IF EXISTS fts_vector",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("offers")
                        .add_column(text_null(column))
                        .take(),
                )
                .await?;
        }
        // Start-up indexes the offers never indexed, found by this partial index: empty once
        // they are (an index of the whole column would copy every title's stems).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_offers_fts_unwritten ON offers (id) WHERE fts_title IS NULL",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("search_terms")
                    .col(string("term").primary_key())
                    .take(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_DOWN,
            _ => SQLITE_DOWN,
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        manager
            .drop_table(Table::drop().table("search_terms").take())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_offers_fts_unwritten")
                    .table("offers")
                    .to_owned(),
            )
            .await?;
        for column in COLUMNS {
            manager
                .alter_table(Table::alter().table("offers").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
