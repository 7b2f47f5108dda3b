//! Each word's offers packed in blocks on PostgreSQL (`offer_stem_blocks`: stem, tier, block of
//! 4,096 offer ids, and the ids of that block as four bytes each), so that a common word
//! is read as a few hundred values rather than a row per offer (at a million offers,
//! "atelier" has 126,895 title rows: 22 ms by index-only scan). `offer_stems` stays the
//! truth; every write of it marks the blocks it touched in `offer_stem_changes`, in its own
//! transaction (plain inserts: editors never wait on one another or on the compaction), and
//! a reader takes a marked block from `offer_stems`'s rows instead. The compaction
//! (`catalogue::stem_blocks`) rebuilds the marked blocks and removes the marks it saw, in
//! one statement, so a change it did not see keeps its mark. SQLite: nothing.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    // The packing of a catalogue already written (a minute at a million offers) is no
    // request: the connection's timeout for statements does not hold for this migration.
    "SET LOCAL statement_timeout = 0",
    // A block of up to 4,096 ids (16 KiB) kept in its row uncompressed up to 8 KiB: a word
    // in one offer of eight, the commonest of the seeded catalogue, holds about 2 KiB a block.
    "CREATE TABLE offer_stem_blocks (\
     stem TEXT COLLATE \"C\" NOT NULL, \
     tier SMALLINT NOT NULL, \
     block INTEGER NOT NULL, \
     ids BYTEA NOT NULL, \
     PRIMARY KEY (stem, tier, block)) WITH (toast_tuple_target = 8160)",
    // No key: two editors marking the same block never wait for each other.
    "CREATE TABLE offer_stem_changes (\
     stem TEXT COLLATE \"C\" NOT NULL, \
     tier SMALLINT NOT NULL, \
     block INTEGER NOT NULL)",
    "CREATE INDEX offer_stem_changes_block ON offer_stem_changes (stem, tier, block)",
    // One mark a block a statement, from the rows it wrote.
    "CREATE FUNCTION offer_stem_rows_written() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     INSERT INTO offer_stem_changes (stem, tier, block) \
     SELECT DISTINCT stem, tier, offer_id >> 12 FROM written_stems; \
     RETURN NULL; END $$",
    "CREATE TRIGGER offer_stems_inserted_mark AFTER INSERT ON offer_stems \
     REFERENCING NEW TABLE AS written_stems FOR EACH STATEMENT \
     EXECUTE FUNCTION offer_stem_rows_written()",
    "CREATE TRIGGER offer_stems_deleted_mark AFTER DELETE ON offer_stems \
     REFERENCING OLD TABLE AS written_stems FOR EACH STATEMENT \
     EXECUTE FUNCTION offer_stem_rows_written()",
    // The triggers never update a row; a hand-made update marks the old and the new blocks.
    "CREATE FUNCTION offer_stem_rows_updated() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     INSERT INTO offer_stem_changes (stem, tier, block) \
     SELECT stem, tier, offer_id >> 12 FROM old_stems \
     UNION SELECT stem, tier, offer_id >> 12 FROM new_stems; \
     RETURN NULL; END $$",
    "CREATE TRIGGER offer_stems_updated_mark AFTER UPDATE ON offer_stems \
     REFERENCING OLD TABLE AS old_stems NEW TABLE AS new_stems FOR EACH STATEMENT \
     EXECUTE FUNCTION offer_stem_rows_updated()",
    // A truncation leaves no word anywhere.
    "CREATE FUNCTION offer_stems_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN TRUNCATE offer_stem_blocks, offer_stem_changes; RETURN NULL; END $$",
    "CREATE TRIGGER offer_stems_truncated AFTER TRUNCATE ON offer_stems \
     FOR EACH STATEMENT EXECUTE FUNCTION offer_stems_emptied()",
    // The stems already written, packed.
    "INSERT INTO offer_stem_blocks (stem, tier, block, ids) \
     SELECT stem, tier, offer_id >> 12, string_agg(int4send(offer_id), ''::bytea ORDER BY offer_id) \
     FROM offer_stems GROUP BY stem, tier, offer_id >> 12",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS offer_stems_truncated ON offer_stems",
    "DROP TRIGGER IF EXISTS offer_stems_updated_mark ON offer_stems",
    "DROP TRIGGER IF EXISTS offer_stems_deleted_mark ON offer_stems",
    "DROP TRIGGER IF EXISTS offer_stems_inserted_mark ON offer_stems",
    "DROP FUNCTION IF EXISTS offer_stems_emptied()",
    "DROP FUNCTION IF EXISTS offer_stem_rows_updated()",
    "DROP FUNCTION IF EXISTS offer_stem_rows_written()",
    "DROP TABLE IF EXISTS offer_stem_changes",
    "DROP TABLE IF EXISTS offer_stem_blocks",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_DOWN).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}
