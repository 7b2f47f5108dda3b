//! The stems of each offer as rows of a narrow table on PostgreSQL (`offer_stems`: stem,
//! tier, offer id; the tier is the best place the stem holds in the offer: 3 the title, 2 the
//! summary, 1 the description, organisation, town or approved testimonials), kept by
//! triggers in the same transaction as every write of the stem columns. Its primary key lists
//! a word's offers, tier by tier, by an index-only scan, so a ranked search reads its
//! relevance tiers without visiting an offer row: the GIN index over `fts_vector` finds the
//! rows that hold a word, but only the row tells its id and its weights, and at a million
//! offers "menuiserie" cost 78,000 heap pages (544 ms). SQLite: nothing (its FTS5 tables
//! answer ids from their doclists).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    // "C" collation: a prefix is a range of the key, bytewise.
    "CREATE TABLE offer_stems (\
     stem TEXT COLLATE \"C\" NOT NULL, \
     tier SMALLINT NOT NULL, \
     offer_id INTEGER NOT NULL, \
     PRIMARY KEY (stem, tier, offer_id))",
    // Each stem once, with the best place it holds.
    "CREATE FUNCTION offer_stems_of(title TEXT, summary TEXT, body TEXT, testimonials TEXT) \
     RETURNS TABLE (stem TEXT, tier SMALLINT) LANGUAGE sql IMMUTABLE AS $$ \
     SELECT word, max(weight)::SMALLINT FROM ( \
     SELECT unnest(string_to_array(coalesce(title, ''), ' ')) AS word, 3 AS weight \
     UNION ALL SELECT unnest(string_to_array(coalesce(summary, ''), ' ')), 2 \
     UNION ALL SELECT unnest(string_to_array(coalesce(body, ''), ' ')), 1 \
     UNION ALL SELECT unnest(string_to_array(coalesce(testimonials, ''), ' ')), 1) AS words \
     WHERE word <> '' GROUP BY word $$",
    // Inserts by statement (a seed writes thousands of offers a statement), with the rows
    // it inserted.
    "CREATE FUNCTION offer_stems_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     INSERT INTO offer_stems (stem, tier, offer_id) \
     SELECT s.stem, s.tier, n.id FROM inserted_offers n, \
     offer_stems_of(n.fts_title, n.fts_summary, n.fts_body, n.fts_testimonials) s \
     ON CONFLICT DO NOTHING; \
     RETURN NULL; END $$",
    "CREATE TRIGGER offers_stems_insert AFTER INSERT ON offers \
     REFERENCING NEW TABLE AS inserted_offers FOR EACH STATEMENT \
     EXECUTE FUNCTION offer_stems_inserted()",
    // Updates and deletes by row: the old stems name the old rows exactly, by their key. An
    // update writes only the stems that changed place (an approved testimonial or a body
    // edit leaves the title's and summary's rows alone). A row already there (the table
    // edited by hand) is left, rather than failing the offer's write over a derived index.
    // (An offer's id never changes: the rows an update keeps are still its own.)
    "CREATE FUNCTION offer_stems_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     IF TG_OP = 'DELETE' THEN \
     DELETE FROM offer_stems h \
     USING offer_stems_of(OLD.fts_title, OLD.fts_summary, OLD.fts_body, OLD.fts_testimonials) s \
     WHERE h.stem = s.stem AND h.tier = s.tier AND h.offer_id = OLD.id; \
     RETURN NULL; \
     END IF; \
     DELETE FROM offer_stems h USING ( \
     SELECT * FROM offer_stems_of(OLD.fts_title, OLD.fts_summary, OLD.fts_body, OLD.fts_testimonials) \
     EXCEPT \
     SELECT * FROM offer_stems_of(NEW.fts_title, NEW.fts_summary, NEW.fts_body, NEW.fts_testimonials) \
     ) s WHERE h.stem = s.stem AND h.tier = s.tier AND h.offer_id = OLD.id; \
     INSERT INTO offer_stems (stem, tier, offer_id) SELECT s.stem, s.tier, NEW.id FROM ( \
     SELECT * FROM offer_stems_of(NEW.fts_title, NEW.fts_summary, NEW.fts_body, NEW.fts_testimonials) \
     EXCEPT \
     SELECT * FROM offer_stems_of(OLD.fts_title, OLD.fts_summary, OLD.fts_body, OLD.fts_testimonials) \
     ) s ON CONFLICT DO NOTHING; \
     RETURN NULL; END $$",
    "CREATE TRIGGER offers_stems_update \
     AFTER UPDATE OF fts_title, fts_summary, fts_body, fts_testimonials ON offers \
     FOR EACH ROW WHEN (OLD.fts_title IS DISTINCT FROM NEW.fts_title \
     OR OLD.fts_summary IS DISTINCT FROM NEW.fts_summary \
     OR OLD.fts_body IS DISTINCT FROM NEW.fts_body \
     OR OLD.fts_testimonials IS DISTINCT FROM NEW.fts_testimonials) \
     EXECUTE FUNCTION offer_stems_changed()",
    "CREATE TRIGGER offers_stems_delete AFTER DELETE ON offers \
     FOR EACH ROW EXECUTE FUNCTION offer_stems_changed()",
    // The offers already written.
    "INSERT INTO offer_stems (stem, tier, offer_id) SELECT s.stem, s.tier, o.id FROM offers o, \
     offer_stems_of(o.fts_title, o.fts_summary, o.fts_body, o.fts_testimonials) s",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS offers_stems_delete ON offers",
    "DROP TRIGGER IF EXISTS offers_stems_update ON offers",
    "DROP TRIGGER IF EXISTS offers_stems_insert ON offers",
    "DROP FUNCTION IF EXISTS offer_stems_changed()",
    "DROP FUNCTION IF EXISTS offer_stems_inserted()",
    "DROP FUNCTION IF EXISTS offer_stems_of(TEXT, TEXT, TEXT, TEXT)",
    "DROP TABLE IF EXISTS offer_stems",
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
