//! `export …` and `import …`: the exchange formats at the command line.
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::catalogue::duplicates::{self, Scope};
use crate::config::Settings;
use crate::db;
use crate::exchange::bundle::export::{ExportOptions, export};
use crate::exchange::bundle::import::{ImportOptions, import};
use crate::exchange::bundle::read::Testimonials;
use crate::exchange::data_inclusion::Dataset;
use crate::exchange::data_inclusion::export::Export;
use crate::exchange::data_inclusion::import::{self as data_inclusion_import, Input};
use crate::exchange::lheo::export::Export as LheoExport;
use crate::exchange::lheo::mapping as lheo_mapping;
use crate::exchange::lheo::read as lheo_read;
use crate::exchange::report::Report;
use crate::metrics::Metrics;
use crate::startup::StartupError;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// data·inclusion v1 structures and services of the published catalogue, as JSON lines
    /// (one record per line), valid against the official JSON Schemas; the same records as
    /// `GET /exports/data-inclusion/…`.
    DataInclusion {
        /// Where to write the structures (`-`: standard output).
        #[arg(long)]
        structures: Option<String>,
        /// Where to write the services (`-`: standard output).
        #[arg(long)]
        services: Option<String>,
    },
    /// The published training offers as LHÉO 2.3 XML (valid against the XSD in
    /// reference/lheo-2.3/); the same file as `GET /exports/lheo`.
    Lheo {
        /// Where to write it; "-" (the default) is standard output.
        #[arg(long, default_value = "-")]
        output: String,
    },
    /// The whole catalogue as a bundle (JSON lines): every organisation and offer, drafts
    /// and all testimonials included (an operator's copy; see --approved-testimonials-only).
    Bundle {
        /// Where to write it; "-" (the default) is standard output.
        #[arg(long, default_value = "-")]
        output: String,
        /// Leave out the testimonials not approved (a copy to hand to someone else).
        #[arg(long)]
        approved_testimonials_only: bool,
    },
}

/// What every importer is told about its run.
#[derive(Debug, Args)]
pub struct RunFlags {
    /// Report what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The input lists every record of its sources: archive the ones it no longer lists.
    #[arg(long)]
    full: bool,
    /// Overwrite records edited here since their last import (default: keep, report).
    #[arg(long)]
    prefer_source: bool,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    report: Option<PathBuf>,
}

impl RunFlags {
    fn options(&self, settings: &Settings) -> ImportOptions {
        ImportOptions {
            dry_run: self.dry_run,
            full: self.full,
            prefer_source: self.prefer_source,
            ..ImportOptions::new(&settings.catalogue_source)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A bundle written by `export bundle` (here or by another catalogue).
    Bundle {
        file: PathBuf,
        #[command(flatten)]
        run: RunFlags,
    },
    /// An LHÉO 2.3 or 2.2 file of training offers (gzip or not), read one formation at a
    /// time; records keep `lheo:<source>` and their `numero`.
    Lheo {
        file: PathBuf,
        #[command(flatten)]
        run: RunFlags,
        /// The source's name (`lheo:<name>`); default: the file's name without extensions.
        #[arg(long)]
        source: Option<String>,
        /// Sector of the offers whose title names none.
        #[arg(long, default_value = lheo_mapping::DEFAULT_SECTOR)]
        default_sector: String,
    },
    /// A data·inclusion v1 dump: structures, then services (JSON array, JSON lines or API
    /// pages, gzip or not); records keep `data-inclusion:<source>` and their `id`.
    DataInclusion {
        #[arg(long)]
        structures: PathBuf,
        #[arg(long)]
        services: PathBuf,
        #[command(flatten)]
        run: RunFlags,
        /// Sector of the services whose title and themes name none.
        #[arg(long, default_value = data_inclusion_import::DEFAULT_SECTOR)]
        default_sector: String,
    },
}

fn io_error(path: &str, error: std::io::Error) -> StartupError {
    StartupError::Usage(format!("{path}: {error}"))
}

pub async fn export_command(
    command: ExportCommand,
    settings: &Settings,
) -> Result<(), StartupError> {
    match command {
        ExportCommand::DataInclusion {
            structures,
            services,
        } => export_data_inclusion(structures, services, settings).await?,
        ExportCommand::Lheo { output } => export_lheo(&output, settings).await?,
        ExportCommand::Bundle {
            output,
            approved_testimonials_only,
        } => {
            let db = db::open(settings, 1, Arc::new(Metrics::default())).await?;
            let options = ExportOptions {
                own_source: settings.catalogue_source.clone(),
                testimonials: if approved_testimonials_only {
                    Testimonials::ApprovedOnly
                } else {
                    Testimonials::All
                },
            };
            let mut out: Box<dyn Write> = if output == "-" {
                Box::new(BufWriter::new(std::io::stdout().lock()))
            } else {
                Box::new(BufWriter::new(
                    File::create(&output).map_err(|e| io_error(&output, e))?,
                ))
            };
            let exported = export(&db, &options, Utc::now(), &mut out).await?;
            eprintln!(
                "exported {} organisations and {} offers",
                exported.organisations, exported.offers
            );
        }
    }
    Ok(())
}

pub async fn import_command(
    command: ImportCommand,
    settings: &Settings,
) -> Result<(), StartupError> {
    let db = db::open(settings, 1, Arc::new(Metrics::default())).await?;
    let started = Utc::now();
    let (mut outcome, run) = match command {
        ImportCommand::Bundle { file, run } => {
            let name = file.display().to_string();
            let reader = BufReader::new(File::open(&file).map_err(|e| io_error(&name, e))?);
            let options = run.options(settings);
            let bar = spinner();
            let outcome = import(&db, reader, &options, |n| bar.inc(n as u64)).await?;
            bar.finish_and_clear();
            (outcome, run)
        }
        ImportCommand::Lheo {
            file,
            run,
            source,
            default_sector,
        } => {
            let options = run.options(settings);
            let input = lheo_read::Input::open(&file)?;
            let source = lheo_read::source_name(&input.name, source.as_deref());
            let bar = spinner();
            let outcome = lheo_read::import(&db, input, &source, &default_sector, &options, |n| {
                bar.inc(n as u64)
            })
            .await?;
            bar.finish_and_clear();
            (outcome, run)
        }
        ImportCommand::DataInclusion {
            structures,
            services,
            run,
            default_sector,
        } => {
            let options = run.options(settings);
            let structures = Input::open(&structures)?;
            let services = Input::open(&services)?;
            let bar = spinner();
            let outcome = data_inclusion_import::import(
                &db,
                structures,
                services,
                &default_sector,
                &options,
                |n| bar.inc(n as u64),
            )
            .await?;
            bar.finish_and_clear();
            (outcome, run)
        }
    };
    // The records this run wrote, against the whole catalogue: a course that another source
    // already lists is suggested to the admins at once, not at the next maintenance run.
    if !run.dry_run && outcome.created + outcome.updated > 0 {
        // A bulk load: PostgreSQL's planner gets its statistics now, not at autovacuum's
        // next pass (and the detection below plans with them).
        crate::seed::after_bulk_load(&db).await?;
        outcome.duplicates_suggested =
            duplicates::detect(&db, Utc::now(), Scope::ChangedSince(started), false)
                .await?
                .new;
    }
    print_report(&outcome, run.report)
}

/// A spinner: the number of records is known only at the end of the file.
fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} records, {per_sec}, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

/// The report of an import on standard error, and as JSON in `path` when asked.
fn print_report(outcome: &Report, path: Option<PathBuf>) -> Result<(), StartupError> {
    eprint!("{}", outcome.summary());
    if let Some(path) = path {
        let name = path.display().to_string();
        let json = serde_json::to_vec_pretty(outcome)
            .map_err(|e| StartupError::Usage(format!("report: {e}")))?;
        std::fs::write(&path, json).map_err(|e| io_error(&name, e))?;
    }
    Ok(())
}

/// Writes `target` aside (`.partial`) and renames it once complete, so that a failed export
/// leaves no truncated file behind; "-" is standard output.
async fn export_lheo(target: &str, settings: &Settings) -> Result<(), StartupError> {
    let db = db::open(settings, 2, Arc::new(Metrics::default())).await?;
    let mut export = LheoExport::new(db, settings.catalogue_source.clone());
    let failed = |error: std::io::Error| StartupError::Usage(format!("cannot write: {error}"));
    if target == "-" {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        while let Some(page) = export.next_page().await? {
            out.write_all(&page).map_err(failed)?;
        }
        out.flush().map_err(failed)?;
    } else {
        let path = PathBuf::from(target);
        let partial = path.with_extension("partial");
        let mut writer = BufWriter::new(File::create(&partial).map_err(failed)?);
        while let Some(page) = export.next_page().await? {
            writer.write_all(&page).map_err(failed)?;
        }
        writer
            .into_inner()
            .map_err(|error| failed(error.into_error()))?
            .sync_all()
            .map_err(failed)?;
        std::fs::rename(&partial, &path).map_err(failed)?;
    }
    let report = export.report();
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|(reason, count)| format!("{reason} ×{count}"))
        .collect();
    eprintln!(
        "LHÉO: {} training offers written{} ({target})",
        report.written,
        if skipped.is_empty() {
            String::new()
        } else {
            format!(", skipped: {}", skipped.join(", "))
        }
    );
    Ok(())
}

async fn export_data_inclusion(
    structures: Option<String>,
    services: Option<String>,
    settings: &Settings,
) -> Result<(), StartupError> {
    let targets: Vec<(Dataset, String)> = [
        (Dataset::Structures, structures),
        (Dataset::Services, services),
    ]
    .into_iter()
    .filter_map(|(dataset, target)| target.map(|target| (dataset, target)))
    .collect();
    match targets.as_slice() {
        [] => {
            return Err(StartupError::Usage(
                "give --structures FILE, --services FILE or both (`-` for standard output)".into(),
            ));
        }
        [(_, a), (_, b)] if a == b => {
            return Err(StartupError::Usage(
                "--structures and --services need two different files".into(),
            ));
        }
        _ => {}
    }
    let db = db::open(settings, 2, Arc::new(Metrics::default())).await?;
    for (dataset, target) in targets {
        let mut export = Export::new(db.clone(), dataset, settings.catalogue_source.clone());
        let report = if target == "-" {
            let stdout = std::io::stdout();
            write_pages(&mut export, &mut stdout.lock()).await?
        } else {
            // Written aside, then renamed: a failed export leaves no truncated file behind.
            let path = std::path::PathBuf::from(&target);
            let partial = path.with_extension("partial");
            let cannot = |error: std::io::Error| {
                StartupError::Usage(format!("cannot write {}: {error}", partial.display()))
            };
            let file = std::fs::File::create(&partial).map_err(cannot)?;
            let mut writer = std::io::BufWriter::new(file);
            let report = write_pages(&mut export, &mut writer).await?;
            writer
                .into_inner()
                .map_err(|error| cannot(error.into_error()))?
                .sync_all()
                .map_err(cannot)?;
            std::fs::rename(&partial, &path).map_err(|error| {
                StartupError::Usage(format!("cannot write {}: {error}", path.display()))
            })?;
            report
        };
        let nulled: Vec<String> = report
            .nulled
            .iter()
            .map(|(field, count)| format!("{field} ×{count}"))
            .collect();
        eprintln!(
            "{}: {} written, {} skipped{} ({target})",
            dataset.name(),
            report.written,
            report.skipped,
            if nulled.is_empty() {
                String::new()
            } else {
                format!(", left null: {}", nulled.join(", "))
            }
        );
    }
    Ok(())
}

async fn write_pages(
    export: &mut Export,
    out: &mut impl std::io::Write,
) -> Result<crate::exchange::data_inclusion::export::Report, StartupError> {
    let failed = |error: std::io::Error| StartupError::Usage(format!("cannot write: {error}"));
    while let Some(page) = export.next_page().await? {
        out.write_all(&page).map_err(failed)?;
    }
    out.flush().map_err(failed)?;
    Ok(export.report().clone())
}
