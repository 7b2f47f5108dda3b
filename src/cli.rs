//! Command line: `serve` (default), `migrate`, `seed --offers N`, `schema`.
use std::sync::Arc;

use chrono::Utc;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::metrics::Metrics;
use crate::startup::{self, StartupError};
use crate::{db, graphql, seed};

#[derive(Debug, Parser)]
#[command(
    name = "insertion-catalogue",
    version,
    about = "GraphQL API of the insertion-offer catalogue"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default): migrates, loads the demo catalogue into an empty database.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Add a generated catalogue (for load tests and benchmarks).
    Seed {
        /// How many offers to generate (one organisation per ten offers).
        #[arg(long)]
        offers: usize,
        /// Seed of the generator: the same seed gives the same catalogue.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the GraphQL schema (SDL, sorted).
    Schema,
}

/// Runs the command; errors are reported by `main`.
pub async fn run(cli: Cli, settings: Settings) -> Result<(), StartupError> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = startup::build(&settings).await?;
            let listener = TcpListener::bind(settings.listen_addr).await?;
            tracing::info!(
                "serving GraphQL on http://{}/graphql",
                listener.local_addr()?
            );
            startup::serve(listener, app).await
        }
        Command::Migrate => {
            let db = db::connect(&settings.database_url, 1, Arc::new(Metrics::default())).await?;
            db::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Seed {
            offers,
            seed: generator_seed,
        } => {
            let db = db::connect(&settings.database_url, 2, Arc::new(Metrics::default())).await?;
            db::migrate(&db).await?;
            let bar = ProgressBar::new(offers as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} offers, {per_sec}, eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let inserted =
                seed::load_generated(&db, offers, generator_seed, Utc::now().date_naive(), |n| {
                    bar.inc(n as u64)
                })
                .await?;
            bar.finish();
            tracing::info!(inserted, "generated catalogue added");
            Ok(())
        }
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
    }
}
