//! Command line: `serve` (default), `migrate`, `seed --offers N`, `schema`, `admin …`,
//! `maintenance …`, `export …`, `import …`.
use std::sync::Arc;

use chrono::Utc;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::net::TcpListener;

use crate::catalogue::actor::Actor;
use crate::catalogue::clients::{self, NewClient};
use crate::catalogue::duplicates;
use crate::catalogue::maintenance::suspend_stale_offers;
use crate::config::Settings;
use crate::http::persisted_queries;
use crate::metrics::Metrics;
use crate::startup::{self, StartupError, describe};
use crate::{db, graphql, seed};

mod exchange;
use entity::enums::ClientRole;
use exchange::{ExportCommand, ImportCommand, export_command, import_command};

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
    /// Manage API clients and registered queries.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Housekeeping, safe to run from cron on any number of instances at once.
    #[command(subcommand)]
    Maintenance(MaintenanceCommand),
    /// Write the catalogue in an exchange format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Bring the catalogue in line with a file in an exchange format (report at the end).
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum MaintenanceCommand {
    /// Suspend the published offers not verified for too long, with an audit entry each, and
    /// list them (global id, title, last verification or creation), one per line.
    Stale {
        /// Age in months past which an offer is suspended (default: STALE_SUSPEND_AFTER_MONTHS).
        #[arg(long)]
        older_than_months: Option<u32>,
        /// List what would be suspended, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Find offers listed twice by different sources (same kind and town, nearly the same
    /// title) and record the new pairs as suggested duplicates, for admins to decide on.
    Duplicates {
        /// Count the pairs, and record nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Register an API client; prints its key alone on stdout, this once.
    CreateClient {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// An organisation an EDITOR may edit (repeat for several); numeric id or global ID.
        #[arg(long = "organisation")]
        organisations: Vec<String>,
        /// A browser origin allowed to use the key (repeat for several).
        #[arg(long = "origin")]
        origins: Vec<String>,
        #[arg(long)]
        rate_limit_per_minute: Option<i32>,
    },
    /// List the API clients.
    ListClients,
    /// Revoke a client's key, at once.
    RevokeClient { name: String },
    /// Register persisted queries: the allow-list of `PERSISTED_QUERIES_ONLY=true`. Each
    /// file holds one GraphQL document, stored byte for byte (clients must send the same
    /// text, or its SHA-256); prints each file's `sha256Hash`.
    RegisterQueries {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    #[value(name = "PARTNER", alias = "partner")]
    Partner,
    #[value(name = "EDITOR", alias = "editor")]
    Editor,
    #[value(name = "ADMIN", alias = "admin")]
    Admin,
}

impl From<RoleArg> for ClientRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Partner => Self::Partner,
            RoleArg::Editor => Self::Editor,
            RoleArg::Admin => Self::Admin,
        }
    }
}

/// An organisation given on the command line: its number, or its global ID.
fn organisation_number(raw: &str) -> Result<i32, StartupError> {
    raw.parse::<i32>()
        .ok()
        .or_else(|| {
            crate::graphql::ids::decode_as(
                raw,
                crate::graphql::ids::NodeType::Organisation,
                "organisation",
            )
            .ok()
        })
        .ok_or_else(|| StartupError::Usage(format!("{raw:?} is not an organisation id")))
}

async fn admin(command: AdminCommand, settings: &Settings) -> Result<(), StartupError> {
    let db = db::open(settings, 1, Arc::new(Metrics::default())).await?;
    let operator = Actor::operator("command line");
    match command {
        AdminCommand::CreateClient {
            name,
            role,
            organisations,
            origins,
            rate_limit_per_minute,
        } => {
            let organisation_ids = organisations
                .iter()
                .map(|o| organisation_number(o))
                .collect::<Result<Vec<_>, _>>()?;
            let new = NewClient {
                name,
                role: role.into(),
                organisation_ids,
                allowed_origins: origins,
                rate_limit_per_minute,
            };
            let (_, _, key) = clients::create_client(&db, &operator, new).await?;
            // The key alone on stdout, so that a script can capture it.
            println!("{key}");
        }
        AdminCommand::ListClients => {
            for (client, _) in clients::list_clients(&db, &operator).await? {
                let state = if client.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{}\t{}\t{}…\t{}/min\t{}\t{}",
                    client.name,
                    client.role.code(),
                    client.key_prefix,
                    client.rate_limit_per_minute,
                    state,
                    client.created_at.to_rfc3339()
                );
            }
        }
        AdminCommand::RevokeClient { name } => {
            clients::revoke_client(&db, &operator, &name).await?;
            eprintln!("revoked {name}");
        }
        AdminCommand::RegisterQueries { files } => {
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(|error| {
                    StartupError::Usage(format!("cannot read {}: {error}", file.display()))
                })?;
                let hash = persisted_queries::register_admin(&db, &text)
                    .await
                    .map_err(|error| {
                        StartupError::Usage(format!("{}: {}", file.display(), describe(&error)))
                    })?;
                println!("{hash}\t{}", file.display());
            }
        }
    }
    Ok(())
}

async fn maintenance(command: MaintenanceCommand, settings: &Settings) -> Result<(), StartupError> {
    let db = db::open(settings, 1, Arc::new(Metrics::default())).await?;
    match command {
        MaintenanceCommand::Stale {
            older_than_months,
            dry_run,
        } => {
            let months = older_than_months.unwrap_or(settings.stale_suspend_after_months);
            if months == 0 {
                return Err(StartupError::Usage(
                    "--older-than-months must be at least 1".into(),
                ));
            }
            let offers = suspend_stale_offers(&db, months, Utc::now(), dry_run).await?;
            for offer in &offers {
                println!(
                    "{}\t{}\t{}",
                    crate::graphql::ids::encode(crate::graphql::ids::NodeType::Offer, offer.id)
                        .as_str(),
                    offer.title,
                    offer.verified_or_created_at.format("%Y-%m-%d")
                );
            }
            eprintln!(
                "{} {} offers not verified for {months} months or more",
                if dry_run {
                    "would suspend"
                } else {
                    "suspended"
                },
                offers.len()
            );
        }
        MaintenanceCommand::Duplicates { dry_run } => {
            let found =
                duplicates::detect(&db, Utc::now(), duplicates::Scope::Everything, dry_run).await?;
            eprintln!(
                "{} pairs of duplicates, {} new{}",
                found.pairs,
                found.new,
                if dry_run {
                    " (dry run: nothing recorded)"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
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
            db::open(&settings, 1, Arc::new(Metrics::default()))
                .await?
                .close()
                .await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Seed {
            offers,
            seed: generator_seed,
        } => {
            let db = db::open(&settings, 2, Arc::new(Metrics::default())).await?;
            let bar = ProgressBar::new(offers as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} offers, {per_sec}, eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let inserted = seed::load_generated(&db, offers, generator_seed, Utc::now(), |n| {
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
        Command::Admin(command) => admin(command, &settings).await,
        Command::Maintenance(command) => maintenance(command, &settings).await,
        Command::Export(command) => export_command(command, &settings).await,
        Command::Import(command) => import_command(command, &settings).await,
    }
}
