//! A bulk load into SQLite sets the offer tables' secondary indexes and full-text triggers aside, then rebuilds each from the rows in one pass.
//!
//! Inserting a million offers row by row into indexed tables touches index pages in random
//! order (37 GB written for a 5.3 GB database), and every statement of a transaction makes
//! FTS5 flush its pending terms into small segments it then merges again and again. Building
//! an index from a table sorts it once; the full-text tables are fed in one `INSERT …
//! SELECT` with merging off, then merged once (a million offers: 64 s → 38 s, measured
//! with the `sqlite3` shell). Everything happens inside the caller's transaction: other
//! connections never see the schema without them (SQLite's DDL is transactional), and a
//! failed load leaves the schema as it was.
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use crate::exchange::bundle::write::CHILD_TABLES;

/// The table a bulk load fills row by row, with its `CHILD_TABLES`: their secondary indexes
/// are set aside (organisations, ten times fewer, keep theirs).
const OFFERS: &str = "offers";

/// FTS5's own values of the settings a feed changes, for a table that never set them.
const FULL_TEXT_DEFAULTS: [(&str, i64); 2] = [("automerge", 4), ("crisismerge", 16)];

/// Segments of one level merged at once while feeding (FTS5 holds at most 2,000 segments).
const FEED_CRISIS_MERGE: i64 = 1_000;

/// The full-text tables kept from `offers` rows by an insert trigger: (table, trigger).
/// Only these triggers are set aside, as only these tables are fed again at the end.
const FULL_TEXT: [(&str, &str); 2] = [
    ("offers_fts", "offers_fts_insert"),
    ("offers_fts_title", "offers_fts_title_insert"),
];

/// Logs how long each step of a bulk load took (a million offers take minutes: an operator
/// sees where they go).
pub struct Steps(std::time::Instant);

impl Steps {
    pub fn start() -> Self {
        Self(std::time::Instant::now())
    }

    /// Logs the time since the previous step (or the start) for `step`.
    pub fn done(&mut self, step: &str) {
        tracing::info!(
            seconds = self.0.elapsed().as_secs_f64(),
            "bulk load: {step}"
        );
        self.0 = std::time::Instant::now();
    }
}

/// A schema object dropped for the load, with the statement that made it.
#[derive(Debug, Clone, PartialEq)]
struct Dropped {
    table: String,
    sql: String,
}

/// What a bulk load set aside and must put back before it commits.
#[derive(Debug)]
pub struct SetAside {
    indexes: Vec<Dropped>,
    /// The full-text tables whose insert trigger was dropped, with that trigger.
    full_text: Vec<(&'static str, Dropped)>,
}

/// Drops the secondary indexes of `offers` and its child tables and the full-text insert triggers, remembering
/// how to make them again (their own `CREATE` statements, as `sqlite_master` keeps them).
pub async fn set_aside(db: &impl ConnectionTrait) -> Result<SetAside, DbErr> {
    let tables = std::iter::once(OFFERS)
        .chain(CHILD_TABLES)
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    // Indexes a constraint made (`sql` NULL) cannot be dropped, and stay.
    let indexes = schema_objects(
        db,
        &format!(
            "SELECT name, tbl_name, sql FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables}) ORDER BY name"
        ),
    )
    .await?;
    let mut full_text = Vec::new();
    for (table, trigger) in FULL_TEXT {
        let found = schema_objects(
            db,
            &format!(
                "SELECT name, tbl_name, sql FROM sqlite_master \
                 WHERE type = 'trigger' AND name = '{trigger}'"
            ),
        )
        .await?;
        for (name, dropped) in found {
            db.execute_unprepared(&format!("DROP TRIGGER \"{name}\""))
                .await?;
            full_text.push((table, dropped));
        }
    }
    for (name, _) in &indexes {
        db.execute_unprepared(&format!("DROP INDEX \"{name}\""))
            .await?;
    }
    Ok(SetAside {
        indexes: indexes.into_iter().map(|(_, dropped)| dropped).collect(),
        full_text,
    })
}

async fn schema_objects(
    db: &impl ConnectionTrait,
    sql: &str,
) -> Result<Vec<(String, Dropped)>, DbErr> {
    db.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                Dropped {
                    table: row.try_get_by_index(1)?,
                    sql: row.try_get_by_index(2)?,
                },
            ))
        })
        .collect()
}

impl SetAside {
    /// Builds again the indexes set aside of the child tables (those the session summaries
    /// read), before the rest.
    pub async fn rebuild_child_indexes(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.rebuild_indexes(db, |table| table != OFFERS).await
    }

    /// Builds again the indexes set aside of the tables `which` keeps.
    async fn rebuild_indexes(
        &mut self,
        db: &impl ConnectionTrait,
        which: impl Fn(&str) -> bool,
    ) -> Result<(), DbErr> {
        let (now, later): (Vec<Dropped>, Vec<Dropped>) = std::mem::take(&mut self.indexes)
            .into_iter()
            .partition(|index| which(&index.table));
        self.indexes = later;
        for index in now {
            db.execute_unprepared(&index.sql).await?;
        }
        Ok(())
    }

    /// Rebuilds the indexes left, feeds the full-text tables the offers `first..=last` (the
    /// rows the load inserted, which their triggers did not see) and puts the triggers back.
    pub async fn restore(
        mut self,
        db: &impl ConnectionTrait,
        inserted: Option<(i32, i32)>,
        steps: &mut Steps,
    ) -> Result<(), DbErr> {
        self.rebuild_indexes(db, |_| true).await?;
        steps.done("indexes of offers built");
        for (table, trigger) in self.full_text {
            if let Some((first, last)) = inserted {
                feed(db, table, &trigger.table, first, last, steps).await?;
            }
            db.execute_unprepared(&trigger.sql).await?;
        }
        Ok(())
    }
}

/// Indexes the rows `first..=last` of `content` in the full-text table `table`: merging
/// off while they go in, one merge of the whole index at the end, and the table's merge
/// settings as they were.
async fn feed(
    db: &impl ConnectionTrait,
    table: &str,
    content: &str,
    first: i32,
    last: i32,
    steps: &mut Steps,
) -> Result<(), DbErr> {
    let mut settings = Vec::new();
    for (name, default) in FULL_TEXT_DEFAULTS {
        let set = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!("SELECT v FROM {table}_config WHERE k = ?"),
                [name.into()],
            ))
            .await?
            .map(|row| row.try_get_by_index::<i64>(0))
            .transpose()?;
        settings.push((name, set.unwrap_or(default)));
    }
    let configure = |name: &str, value: i64| {
        format!("INSERT INTO {table}({table}, rank) VALUES ('{name}', {value})")
    };
    db.execute_unprepared(&configure("automerge", 0)).await?;
    db.execute_unprepared(&configure("crisismerge", FEED_CRISIS_MERGE))
        .await?;
    let columns = full_text_columns(db, table).await?.join(", ");
    db.execute_unprepared(&format!(
        "INSERT INTO {table}(rowid, {columns}) \
         SELECT id, {columns} FROM {content} WHERE id BETWEEN {first} AND {last}"
    ))
    .await?;
    steps.done(&format!("{table} fed"));
    db.execute_unprepared(&format!("INSERT INTO {table}({table}) VALUES ('optimize')"))
        .await?;
    steps.done(&format!("{table} merged"));
    for (name, value) in settings {
        db.execute_unprepared(&configure(name, value)).await?;
    }
    Ok(())
}

/// The indexed columns of a full-text table, named as in its content table.
async fn full_text_columns(db: &impl ConnectionTrait, table: &str) -> Result<Vec<String>, DbErr> {
    db.query_all_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "SELECT name FROM pragma_table_info(?) ORDER BY cid",
        [table.into()],
    ))
    .await?
    .iter()
    .map(|row| row.try_get_by_index(0))
    .collect()
}
