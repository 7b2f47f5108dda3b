//! Process counters exposed on `GET /metrics` in the Prometheus text format.
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counters shared by the whole process; cheap to bump from any thread.
#[derive(Debug, Default)]
pub struct Metrics {
    db_statements: AtomicU64,
    db_statement_failures: AtomicU64,
    db_statement_micros: AtomicU64,
    graphql_requests: AtomicU64,
    graphql_errors: AtomicU64,
    response_cache_hits: AtomicU64,
    response_cache_misses: AtomicU64,
    response_cache_entries: AtomicU64,
    response_cache_bytes: AtomicU64,
    /// The bench records the statements of one request to replay them (its floor).
    capturing: AtomicBool,
    captured: Mutex<Vec<sea_orm::Statement>>,
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

    /// Keeps a copy of each statement from now on, until `take_captured` (a single atomic
    /// load per statement otherwise).
    pub fn start_capture(&self) {
        self.capturing.store(true, Ordering::Release);
    }

    /// The statements since `start_capture`, in order; stops capturing.
    pub fn take_captured(&self) -> Vec<sea_orm::Statement> {
        self.capturing.store(false, Ordering::Release);
        std::mem::take(
            &mut *self
                .captured
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Called for each statement with its text and values.
    pub fn capture(&self, statement: &sea_orm::Statement) {
        if self.capturing.load(Ordering::Acquire) {
            self.captured
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(statement.clone());
        }
    }

    /// A lookup in the response cache.
    pub fn record_response_cache(&self, hit: bool) {
        let counter = if hit {
            &self.response_cache_hits
        } else {
            &self.response_cache_misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// What the response cache holds now.
    pub fn set_response_cache_size(&self, entries: usize, bytes: usize) {
        self.response_cache_entries
            .store(entries as u64, Ordering::Relaxed);
        self.response_cache_bytes
            .store(bytes as u64, Ordering::Relaxed);
    }

    /// Response cache hits and misses since start-up.
    pub fn response_cache_lookups(&self) -> (u64, u64) {
        (
            self.response_cache_hits.load(Ordering::Relaxed),
            self.response_cache_misses.load(Ordering::Relaxed),
        )
    }

    /// SQL statements executed since start-up.
    pub fn db_statements(&self) -> u64 {
        self.db_statements.load(Ordering::Relaxed)
    }

    /// Time spent in SQL statements since start-up (each statement's own, from acquiring its
    /// connection to its last row), in microseconds.
    pub fn db_statement_micros(&self) -> u64 {
        self.db_statement_micros.load(Ordering::Relaxed)
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
        let gauges = [
            (
                "catalogue_response_cache_entries",
                "Answers held by the response cache.",
                self.response_cache_entries.load(Ordering::Relaxed),
            ),
            (
                "catalogue_response_cache_bytes",
                "Bytes held by the response cache.",
                self.response_cache_bytes.load(Ordering::Relaxed),
            ),
        ];
        let counters = counters.into_iter().chain([
            (
                "catalogue_response_cache_hits_total",
                "Queries answered from the response cache.",
                self.response_cache_hits.load(Ordering::Relaxed),
            ),
            (
                "catalogue_response_cache_misses_total",
                "Cacheable queries that had to run.",
                self.response_cache_misses.load(Ordering::Relaxed),
            ),
        ]);
        let typed = counters
            .map(|(name, help, value)| (name, help, value, "counter"))
            .chain(gauges.map(|(name, help, value)| (name, help, value, "gauge")));
        for (name, help, value, kind) in typed {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}
