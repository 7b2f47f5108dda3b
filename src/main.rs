//! Entry point: load `.env`, read settings, start telemetry, run the command.
use clap::Parser;
use insertion_catalogue::cli::{self, Cli};
use insertion_catalogue::config::Settings;
use insertion_catalogue::telemetry;

/// mimalloc: chosen by measurement (README, "Benchmarks"): glibc malloc's arena locks
/// and frees were a fifth of the server's time under concurrent load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    insertion_catalogue::native_heap::return_large_blocks_to_the_system();
    // A missing .env is normal; the environment and defaults are enough.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    if matches!(cli.command, Some(cli::Command::Export(_))) {
        telemetry::init_to_stderr(settings.log_format);
    } else {
        telemetry::init(settings.log_format);
    }
    match cli::run(cli, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped");
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
