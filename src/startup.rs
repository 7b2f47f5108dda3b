//! Start-up: connect, migrate, load the demo catalogue when empty, build the router, serve until a signal.
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use chrono::Utc;
use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;

use crate::catalogue::facet_index::FacetIndex;
use crate::catalogue::{instances, keyset};
use crate::config::{Settings, redact_url};
use crate::graphql::Schemas;
use crate::http::SharedState;
use crate::http::limiter::RateLimits;
use crate::http::persisted_queries::PersistedQueries;
use crate::http::response_cache::{ResponseCache, VERSION_POLL_EVERY};
use crate::http::server::{self, ConnectionLimits};
use crate::http::{AppState, router};
use crate::metrics::Metrics;
use crate::{db, seed};

/// A ready-to-serve application.
pub struct App {
    pub router: Router,
    pub db: DatabaseConnection,
    pub metrics: Arc<Metrics>,
    pub rate_limits: Arc<RateLimits>,
    pub connection_limits: ConnectionLimits,
    /// A connection of its own for background work, so that its statements are neither
    /// counted with the requests' nor queued behind them.
    pub housekeeping_db: DatabaseConnection,
    pub response_cache: Arc<ResponseCache>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
    /// A domain error; at the command line the operator sees the details a client never does.
    #[error("{}", describe(.0))]
    App(#[from] crate::error::AppError),
}

pub(crate) fn describe(error: &crate::error::AppError) -> String {
    match error {
        crate::error::AppError::Database(source) => format!("database error: {source}"),
        crate::error::AppError::Internal(detail) => format!("internal error: {detail}"),
        other => other.to_string(),
    }
}

/// Connects, migrates, seeds the demo catalogue into an empty database (if enabled) and builds the router.
pub async fn build(settings: &Settings) -> Result<App, StartupError> {
    let metrics = Arc::new(Metrics::default());
    tracing::info!(database = %redact_url(&settings.database_url), "connecting");
    let db = db::open(settings, settings.max_connections, metrics.clone()).await?;
    keyset::use_secret(instances::shared_secret(&db, "cursor_hmac").await?);
    if settings.demo_data && seed::is_empty(&db).await? {
        let started = std::time::Instant::now();
        let records = seed::load_demo(&db, Utc::now()).await?;
        tracing::info!(
            records,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo catalogue loaded"
        );
    }
    // Three connections: the catalogue-version check every 250 ms never waits behind a
    // WAL checkpoint, a heartbeat or a compaction of word blocks.
    let housekeeping_db = db::open(settings, 3, Arc::new(Metrics::default())).await?;
    let response_cache = Arc::new(ResponseCache::new(
        housekeeping_db.clone(),
        settings.response_cache_max_entries,
        settings.response_cache_max_bytes,
        metrics.clone(),
    ));
    // Known before the first request, so that answers can be cached from the start.
    response_cache.refresh().await;
    let persisted_queries = Arc::new(PersistedQueries::new(
        db.clone(),
        settings.persisted_queries_only,
        settings.persisted_queries_max,
        settings.max_body_bytes,
    ));
    // Built before the first request: at a million offers it takes seconds, which no caller
    // should wait for (later changes are read from the change feed by the counts).
    let started = std::time::Instant::now();
    let facets = Arc::new(FacetIndex::default());
    facets.read(&db, |_| ()).await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "facet index built"
    );
    let schemas = Schemas::build(db.clone(), settings, facets);
    let rate_limits = Arc::new(if settings.rate_limits {
        RateLimits::new(settings.anonymous_rate_limit_per_minute)
    } else {
        RateLimits::unlimited()
    });
    let state = AppState::new(SharedState {
        db: db.clone(),
        schemas,
        metrics: metrics.clone(),
        max_body_bytes: settings.max_body_bytes,
        body_read_timeout: Duration::from_secs(settings.body_read_timeout_secs),
        rate_limits: rate_limits.clone(),
        trust_forwarded_for: settings.trust_forwarded_for,
        public_cors_origins: settings.public_cors_origins.clone(),
        persisted_queries,
        response_cache: response_cache.clone(),
        parsed_documents: Default::default(),
        catalogue_source: settings.catalogue_source.clone(),
    });
    Ok(App {
        router: router(state, settings.graphiql),
        db,
        metrics,
        rate_limits,
        housekeeping_db,
        response_cache,
        connection_limits: ConnectionLimits {
            header_read_timeout: Duration::from_secs(settings.header_read_timeout_secs),
            max_open: settings.max_open_connections,
            max_per_ip: settings.max_connections_per_ip,
        },
    })
}

/// How often an instance announces itself and re-reads how many share the limits.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(10);
/// How often the word blocks that writes marked are packed again (PostgreSQL).
const COMPACT_EVERY: Duration = Duration::from_secs(1);
/// How often the SQLite WAL is checkpointed and truncated (bounded disk under load).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// The background work of a serving instance, off the request path.
fn spawn_housekeeping(app: &App, instance: String) -> Vec<tokio::task::JoinHandle<()>> {
    let (db, limits) = (app.housekeeping_db.clone(), app.rate_limits.clone());
    let heartbeat = tokio::spawn(async move {
        let mut every = tokio::time::interval(HEARTBEAT_EVERY);
        loop {
            every.tick().await;
            match instances::heartbeat(&db, &instance).await {
                Ok(alive) => limits.set_instances(alive),
                Err(error) => tracing::warn!(%error, "instance heartbeat failed"),
            }
            limits.forget_idle();
        }
    });
    let db = app.housekeeping_db.clone();
    let checkpoint = tokio::spawn(async move {
        let mut every = tokio::time::interval_at(
            tokio::time::Instant::now() + CHECKPOINT_EVERY,
            CHECKPOINT_EVERY,
        );
        loop {
            every.tick().await;
            if let Err(error) = db::checkpoint_wal(&db).await {
                tracing::warn!(%error, "WAL checkpoint failed");
            }
        }
    });
    // Learns of catalogue writes made on any instance: cached answers go at most one
    // poll stale (the bound documented in the README).
    let cache = app.response_cache.clone();
    let version = tokio::spawn(async move {
        let mut every = tokio::time::interval(VERSION_POLL_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            cache.refresh().await;
        }
    });
    let mut tasks = vec![heartbeat, checkpoint, version];
    if app.housekeeping_db.get_database_backend() == sea_orm::DbBackend::Postgres {
        tasks.push(tokio::spawn(crate::catalogue::stem_blocks::keep_packed(
            app.housekeeping_db.clone(),
            COMPACT_EVERY,
        )));
    }
    tasks
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish.
pub async fn serve(listener: TcpListener, app: App) -> Result<(), StartupError> {
    serve_until(listener, app, shutdown_signal()).await
}

/// Serves until `shutdown` resolves (tests stop servers this way).
pub async fn serve_until(
    listener: TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), StartupError> {
    let instance = format!(
        "{}:{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into()),
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let tasks = spawn_housekeeping(&app, instance.clone());
    server::serve(
        listener,
        app.router.clone(),
        app.connection_limits,
        shutdown,
        Duration::from_secs(30),
    )
    .await?;
    for task in tasks {
        task.abort();
    }
    if let Err(error) = instances::leave(&app.housekeeping_db, &instance).await {
        tracing::warn!(%error, "cannot remove this instance from the heartbeat table");
    }
    app.housekeeping_db.close().await?;
    app.db.close().await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
