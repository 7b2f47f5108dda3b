//! Process counters exposed on `GET /metrics` in the Prometheus text format.
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counters shared by the whole process; cheap to bump from any thread.
#[derive(Debug, Default)]
pub struct Metrics {
    db_statements: AtomicU64,
    db_statement_failures: AtomicU64,
    db_statement_micros: AtomicU64,
    graphql_requests: AtomicU64,
    graphql_errors: AtomicU64,
}

impl Metrics {
    pub fn record_statement(&self, micros: u64, failed: bool) {
        self.db_statements.fetch_add(1, Ordering::Relaxed);
        self.db_statement_micros
            .fetch_add(micros, Ordering::Relaxed);
        if failed {
            self.db_statement_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn record_graphql_request(&self, had_errors: bool) {
        self.graphql_requests.fetch_add(1, Ordering::Relaxed);
        if had_errors {
            self.graphql_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// SQL statements executed since start-up.
    pub fn db_statements(&self) -> u64 {
        self.db_statements.load(Ordering::Relaxed)
    }

    /// The Prometheus exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counters = [
            (
                "catalogue_db_statements_total",
                "SQL statements executed.",
                self.db_statements.load(Ordering::Relaxed),
            ),
            (
                "catalogue_db_statement_failures_total",
                "SQL statements that failed.",
                self.db_statement_failures.load(Ordering::Relaxed),
            ),
            (
                "catalogue_db_statement_microseconds_total",
                "Time spent executing SQL statements.",
                self.db_statement_micros.load(Ordering::Relaxed),
            ),
            (
                "catalogue_graphql_requests_total",
                "GraphQL requests executed.",
                self.graphql_requests.load(Ordering::Relaxed),
            ),
            (
                "catalogue_graphql_requests_with_errors_total",
                "GraphQL requests answered with at least one error.",
                self.graphql_errors.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, value) in counters {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
        out
    }
}
