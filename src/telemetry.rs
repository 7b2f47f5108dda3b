//! Tracing subscriber: pretty for people, JSON for machines, filtered by `RUST_LOG`.
use crate::config::LogFormat;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// Installs the global subscriber once, writing to standard output; later calls (tests) are ignored.
pub fn init(format: LogFormat) {
    init_with(format, std::io::stdout);
}

/// The same, writing to standard error: for commands whose standard output is data
/// (`export … -`), which log lines must not corrupt.
pub fn init_to_stderr(format: LogFormat) {
    init_with(format, std::io::stderr);
}

fn init_with<W>(format: LogFormat, writer: W)
where
    W: for<'a> fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match format {
        LogFormat::Pretty => registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(writer),
            )
            .try_init(),
    };
    // A second initialisation only happens in tests that start several apps.
    drop(result);
}
