//! Opens the database (SQLite tuned for concurrent reads, or PostgreSQL) and applies migrations.
use std::sync::Arc;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::metrics::Metrics;

/// How the pool waits for the database.
#[derive(Debug, Clone, Copy)]
pub struct PoolTimings {
    /// Longest wait for a connection before a request is answered 503 UNAVAILABLE: short, so
    /// that an outage shows at once instead of holding every request.
    pub acquire_timeout: Duration,
    /// PostgreSQL cancels any statement running longer (a backstop to the request budget).
    pub statement_timeout: Duration,
}

/// WAL file size SQLite truncates to after a checkpoint (`journal_size_limit`).
pub const SQLITE_WAL_SIZE_LIMIT: i64 = 32 * 1024 * 1024;

/// Connects, creating the SQLite file and its folder when needed, and counts every statement.
pub async fn connect(
    url: &str,
    max_connections: u32,
    timings: PoolTimings,
    metrics: Arc<Metrics>,
) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url)
        && let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|error| {
            DbErr::Custom(format!("cannot create {}: {error}", parent.display()))
        })?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(timings.acquire_timeout)
        .connect_timeout(timings.acquire_timeout)
        .sqlx_logging(false)
        // A connection that was in use a moment ago is handed out without a ping (sqlx pings
        // on every acquire by default: a round trip per statement; it pings again on
        // release); one idle for a second is pinged first, as after a database restart.
        .test_before_acquire_if_idle_for(Duration::from_secs(1))
        .map_sqlx_sqlite_opts(|opts| {
            // WAL lets readers run while one writer writes; see STACK-NOTES.md. The WAL is
            // truncated back to SQLITE_WAL_SIZE_LIMIT after each checkpoint that resets it.
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .pragma("journal_size_limit", SQLITE_WAL_SIZE_LIMIT.to_string())
        })
        .map_sqlx_postgres_opts(move |opts| {
            opts.options([(
                "statement_timeout",
                timings.statement_timeout.as_millis().to_string(),
            )])
        });
    let mut db = Database::connect(options).await?;
    let trace_sql = std::env::var_os("CATALOGUE_TRACE_SQL").is_some();
    db.set_metric_callback(move |info| {
        if trace_sql {
            eprintln!("SQL {}", info.statement.sql);
        }
        let micros = u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX);
        metrics.record_statement(micros, info.failed);
        metrics.capture(info.statement);
    });
    Ok(db)
}

/// Opens the database of `settings` with `max_connections`, migrated, waiting for it as
/// start-up does.
pub async fn open(
    settings: &crate::config::Settings,
    max_connections: u32,
    metrics: Arc<Metrics>,
) -> Result<DatabaseConnection, DbErr> {
    connect_when_ready(
        &settings.database_url,
        max_connections,
        PoolTimings {
            acquire_timeout: Duration::from_millis(settings.database_acquire_timeout_ms),
            statement_timeout: Duration::from_millis(settings.database_statement_timeout_ms),
        },
        metrics,
        Duration::from_secs(settings.database_startup_timeout_secs),
    )
    .await
}

/// Connects and migrates, retrying with backoff while the database cannot be reached (it
/// may still be starting), until `deadline` has passed; other errors stop at once.
pub async fn connect_when_ready(
    url: &str,
    max_connections: u32,
    timings: PoolTimings,
    metrics: Arc<Metrics>,
    deadline: Duration,
) -> Result<DatabaseConnection, DbErr> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(200);
    loop {
        let attempt = async {
            let db = connect(url, max_connections, timings, metrics.clone()).await?;
            migrate(&db).await?;
            Ok::<_, DbErr>(db)
        }
        .await;
        match attempt {
            Ok(db) => return Ok(db),
            Err(error)
                if crate::error::is_unreachable(&error) && started.elapsed() + pause < deadline =>
            {
                tracing::warn!(%error, retry_in_ms = pause.as_millis() as u64, "database not ready");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(error) if crate::error::is_unreachable(&error) => {
                return Err(DbErr::Custom(format!(
                    "the database could not be reached within {} s (DATABASE_STARTUP_TIMEOUT_SECS): {error}",
                    deadline.as_secs()
                )));
            }
            Err(error) => return Err(error),
        }
    }
}

/// The same pool without the statement counter: for work of no request (a background
/// read), which a request's statement count must not include.
pub fn unmetered(db: &DatabaseConnection) -> DatabaseConnection {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(
                db.get_postgres_connection_pool().clone(),
            )
        }
        _ => sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(
            db.get_sqlite_connection_pool().clone(),
        ),
    }
}

/// Page cache of the bulk writer's connection: large enough to hold the hot pages of every
/// index a seed inserts into (the default 2 MiB made each batch re-read them from the OS).
const BULK_WRITER_CACHE_KIB: u32 = 256 * 1024;

/// The connection a bulk load writes through. On a SQLite file: one connection of its own,
/// closed when the load ends, with a large page cache, statement journals in memory (each
/// multi-row INSERT inside a transaction journals to a temporary file otherwise) and fewer,
/// larger checkpoints (every 16,384 pages instead of 1,000), so that the server's
/// connections keep their own settings. Elsewhere (PostgreSQL, an in-memory
/// SQLite database that only the pool's own connections see): the pool itself.
pub async fn bulk_writer(db: &DatabaseConnection) -> Result<DatabaseConnection, DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(db.clone());
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    if !options.get_filename().exists() {
        return Ok(db.clone());
    }
    let options = (*options)
        .clone()
        .pragma("cache_size", format!("-{BULK_WRITER_CACHE_KIB}"))
        .pragma("temp_store", "memory")
        .pragma("wal_autocheckpoint", "16384");
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(error.into())))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Moves the SQLite WAL back into the database and truncates it, waiting for readers
/// (a passive checkpoint may never reset a WAL that readers keep using). No-op elsewhere.
pub async fn checkpoint_wal(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}

/// Applies the pending migrations, then indexes for text search the offers that are not
/// yet (those written before the index existed; nothing to do after that).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    let indexed = crate::catalogue::fulltext_index::backfill(db).await?;
    if indexed > 0 {
        tracing::info!(indexed, "offers indexed for text search");
    }
    Ok(())
}

/// The file behind a `sqlite:` URL, if it names one (not `:memory:`).
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, Statement};

    async fn pragma(db: &DatabaseConnection, name: &str) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("PRAGMA {name}"),
            ))
            .await
            .expect("pragma read")
            .expect("a row");
        row.try_get_by_index(0).expect("an integer")
    }

    async fn sqlite(url: &str) -> DatabaseConnection {
        let timings = PoolTimings {
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(5),
        };
        connect(url, 2, timings, Arc::new(Metrics::default()))
            .await
            .expect("connects")
    }

    /// A seed on a SQLite file writes through a connection of its own with the bulk
    /// settings, which the server's connections do not get; what it writes, they read.
    #[tokio::test]
    async fn a_bulk_load_on_a_sqlite_file_writes_through_its_own_tuned_connection() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sqlite(&format!("sqlite://{}/c.db?mode=rwc", dir.path().display())).await;
        let writer = bulk_writer(&db).await.expect("a bulk writer");
        assert_eq!(
            pragma(&writer, "cache_size").await,
            -i64::from(BULK_WRITER_CACHE_KIB)
        );
        assert_eq!(pragma(&writer, "temp_store").await, 2, "in memory");
        assert_ne!(
            pragma(&db, "cache_size").await,
            pragma(&writer, "cache_size").await
        );
        assert_ne!(pragma(&db, "temp_store").await, 2);
        writer
            .execute_unprepared("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)")
            .await
            .expect("written");
        drop(writer);
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT x FROM t",
            ))
            .await
            .expect("read")
            .expect("the row");
        assert_eq!(row.try_get_by_index::<i64>(0).expect("x"), 7);

        // An in-memory database exists only for the pool's connections: the pool writes.
        let memory = sqlite("sqlite::memory:").await;
        let writer = bulk_writer(&memory).await.expect("the pool");
        assert_ne!(
            pragma(&writer, "cache_size").await,
            -i64::from(BULK_WRITER_CACHE_KIB)
        );
    }

    #[test]
    fn the_sqlite_file_is_found_in_the_url() {
        assert_eq!(
            sqlite_file_path("sqlite://data/catalogue.db?mode=rwc").as_deref(),
            Some("data/catalogue.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
    }
}
