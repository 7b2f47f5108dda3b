//! Start-up: connect, migrate, load the demo catalogue when empty, build the router, serve until a signal.
use std::sync::Arc;

use axum::Router;
use chrono::Utc;
use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;

use crate::config::{Settings, redact_url};
use crate::graphql::build_schema;
use crate::http::{AppState, router};
use crate::metrics::Metrics;
use crate::{db, seed};

/// A ready-to-serve application.
pub struct App {
    pub router: Router,
    pub db: DatabaseConnection,
    pub metrics: Arc<Metrics>,
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

fn describe(error: &crate::error::AppError) -> String {
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
    let db = db::connect(
        &settings.database_url,
        settings.max_connections,
        metrics.clone(),
    )
    .await?;
    db::migrate(&db).await?;
    if settings.demo_data && seed::is_empty(&db).await? {
        let started = std::time::Instant::now();
        let offers = seed::load_demo(&db, Utc::now().date_naive()).await?;
        tracing::info!(
            offers,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo catalogue loaded"
        );
    }
    let schema = build_schema(Some(db.clone()), settings);
    let state = AppState {
        db: db.clone(),
        schema,
        metrics: metrics.clone(),
        max_body_bytes: settings.max_body_bytes,
        anonymous_rate_limit: settings.anonymous_rate_limit_per_minute,
        trust_forwarded_for: settings.trust_forwarded_for,
        public_cors_origins: settings.public_cors_origins.clone(),
    };
    Ok(App {
        router: router(state, settings.graphiql),
        db,
        metrics,
    })
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish.
pub async fn serve(listener: TcpListener, app: App) -> Result<(), StartupError> {
    let purge_db = app.db.clone();
    let purger = tokio::spawn(async move {
        let period = std::time::Duration::from_secs(60);
        // The first purge a minute after start, not at once (an interval's first tick is immediate).
        let mut every_minute =
            tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            every_minute.tick().await;
            if let Err(error) = crate::catalogue::rate_limit::purge_old_windows(&purge_db).await {
                tracing::warn!(%error, "cannot purge old rate-limit windows");
            }
        }
    });
    axum::serve(
        listener,
        app.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    purger.abort();
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
