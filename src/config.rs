//! Typed settings read once from the environment (and `.env`); `.env.example` documents each.
use std::net::SocketAddr;
use std::str::FromStr;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Coloured, multi-line: for people at a terminal.
    Pretty,
    /// One JSON object per line: for log collectors.
    Json,
}

/// Everything the server needs to start. Secrets are never printed (`database_url` is redacted in `Debug`).
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    pub log_format: LogFormat,
    /// Load the demo catalogue into an empty database at start-up.
    pub demo_data: bool,
    /// Serve GraphiQL on `GET /graphql`.
    pub graphiql: bool,
    /// Answer introspection queries (GraphiQL needs them).
    pub introspection: bool,
    pub max_body_bytes: usize,
    pub max_query_depth: usize,
    pub max_query_complexity: usize,
    /// Pool size; SQLite readers also benefit from several connections.
    pub max_connections: u32,
    /// Requests per minute for callers without a key, counted per IP address.
    pub anonymous_rate_limit_per_minute: u32,
    /// Enforce rate limits (turn off only behind a gateway that limits callers already).
    pub rate_limits: bool,
    /// Take the client IP from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Browser origins allowed without a key, besides every client's allowed origins.
    pub public_cors_origins: Vec<String>,
    /// Longest wait for a database connection before answering 503 UNAVAILABLE.
    pub database_acquire_timeout_ms: u64,
    /// How long start-up keeps retrying a database that cannot be reached yet.
    pub database_startup_timeout_secs: u64,
    /// PostgreSQL's `statement_timeout` for every connection.
    pub database_statement_timeout_ms: u64,
    /// Cost limit of editors and admins (`max_query_complexity` is the public one).
    pub trusted_max_query_complexity: usize,
    /// Most root fields (aliases included) in one operation.
    pub max_root_fields: usize,
    /// Time budget of one request for the public and partners; editors and admins get
    /// `trusted_query_time_budget_ms`.
    pub query_time_budget_ms: u64,
    pub trusted_query_time_budget_ms: u64,
    /// A client must send its request head within this time (slow clients are cut off).
    pub header_read_timeout_secs: u64,
    /// … and its body within this time (HTTP 408 REQUEST_TIMEOUT).
    pub body_read_timeout_secs: u64,
    /// Open connections at most, and per client IP address.
    pub max_open_connections: usize,
    pub max_connections_per_ip: usize,
    /// Offers not verified for this long are AGING, then STALE (`freshness`).
    pub freshness: crate::catalogue::freshness::FreshnessPolicy,
    /// `maintenance stale` suspends published offers not verified for this many months.
    pub stale_suspend_after_months: u32,
    /// Run only the persisted queries an admin registered (`admin register-queries`).
    pub persisted_queries_only: bool,
    /// Most queries clients may register through automatic persisted queries.
    pub persisted_queries_max: u64,
    /// Bounds of the server-side response cache (0 turns it off).
    pub response_cache_max_entries: usize,
    pub response_cache_max_bytes: usize,
    /// The source name of this catalogue (`CATALOGUE_SOURCE`): its records in the bundle and
    /// the data·inclusion `source` (and id prefix) of its exports.
    pub catalogue_source: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen_addr", &self.listen_addr)
            .field("log_format", &self.log_format)
            .field("demo_data", &self.demo_data)
            .field("graphiql", &self.graphiql)
            .field("introspection", &self.introspection)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_query_depth", &self.max_query_depth)
            .field("max_query_complexity", &self.max_query_complexity)
            .field("max_connections", &self.max_connections)
            .field(
                "anonymous_rate_limit_per_minute",
                &self.anonymous_rate_limit_per_minute,
            )
            .field("rate_limits", &self.rate_limits)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("public_cors_origins", &self.public_cors_origins)
            .field(
                "database_acquire_timeout_ms",
                &self.database_acquire_timeout_ms,
            )
            .field(
                "database_startup_timeout_secs",
                &self.database_startup_timeout_secs,
            )
            .field(
                "database_statement_timeout_ms",
                &self.database_statement_timeout_ms,
            )
            .field(
                "trusted_max_query_complexity",
                &self.trusted_max_query_complexity,
            )
            .field("max_root_fields", &self.max_root_fields)
            .field("query_time_budget_ms", &self.query_time_budget_ms)
            .field(
                "trusted_query_time_budget_ms",
                &self.trusted_query_time_budget_ms,
            )
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("body_read_timeout_secs", &self.body_read_timeout_secs)
            .field("max_open_connections", &self.max_open_connections)
            .field("max_connections_per_ip", &self.max_connections_per_ip)
            .field("freshness", &self.freshness)
            .field(
                "stale_suspend_after_months",
                &self.stale_suspend_after_months,
            )
            .field("persisted_queries_only", &self.persisted_queries_only)
            .field("persisted_queries_max", &self.persisted_queries_max)
            .field(
                "response_cache_max_entries",
                &self.response_cache_max_entries,
            )
            .field("response_cache_max_bytes", &self.response_cache_max_bytes)
            .field("catalogue_source", &self.catalogue_source)
            .finish()
    }
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid value for {name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/catalogue.db?mode=rwc".to_owned(),
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log_format: LogFormat::Pretty,
            demo_data: true,
            graphiql: true,
            introspection: true,
            max_body_bytes: 64 * 1024,
            max_query_depth: 15,
            max_query_complexity: 25_000,
            max_connections: 8,
            anonymous_rate_limit_per_minute: 300,
            rate_limits: true,
            trust_forwarded_for: false,
            public_cors_origins: Vec::new(),
            database_acquire_timeout_ms: 1_000,
            database_startup_timeout_secs: 60,
            database_statement_timeout_ms: 20_000,
            trusted_max_query_complexity: 100_000,
            max_root_fields: 50,
            query_time_budget_ms: 5_000,
            trusted_query_time_budget_ms: 15_000,
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 10,
            max_open_connections: 4_096,
            max_connections_per_ip: 128,
            freshness: crate::catalogue::freshness::FreshnessPolicy::default(),
            stale_suspend_after_months: 18,
            persisted_queries_only: false,
            persisted_queries_max: 10_000,
            response_cache_max_entries: 10_000,
            response_cache_max_bytes: 64 * 1024 * 1024,
            catalogue_source: "catalogue-insertion".to_owned(),
        }
    }
}

impl Settings {
    /// The request budgets of the public (and partners) and of editors and admins.
    pub fn budgets(&self) -> crate::graphql::limits::Budgets {
        use crate::graphql::limits::Budget;
        use std::time::Duration;
        crate::graphql::limits::Budgets {
            public: Budget {
                depth: self.max_query_depth,
                complexity: self.max_query_complexity,
                root_fields: self.max_root_fields,
                time: Duration::from_millis(self.query_time_budget_ms),
            },
            trusted: Budget {
                depth: self.max_query_depth,
                complexity: self.trusted_max_query_complexity,
                root_fields: self.max_root_fields,
                time: Duration::from_millis(self.trusted_query_time_budget_ms),
            },
        }
    }

    /// Reads every setting from the environment, falling back to the defaults.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let log_format = match lookup("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError {
                    name: "LOG_FORMAT",
                    message: format!("expected pretty or json, got {other:?}"),
                });
            }
        };
        Ok(Self {
            database_url: lookup("DATABASE_URL").unwrap_or(defaults.database_url),
            listen_addr: parse(&lookup, "LISTEN_ADDR", defaults.listen_addr)?,
            log_format,
            demo_data: parse_bool(&lookup, "DEMO_DATA", defaults.demo_data)?,
            graphiql: parse_bool(&lookup, "GRAPHIQL", defaults.graphiql)?,
            introspection: parse_bool(&lookup, "INTROSPECTION", defaults.introspection)?,
            max_body_bytes: parse(&lookup, "MAX_BODY_BYTES", defaults.max_body_bytes)?,
            max_query_depth: parse(&lookup, "MAX_QUERY_DEPTH", defaults.max_query_depth)?,
            max_query_complexity: parse(
                &lookup,
                "MAX_QUERY_COMPLEXITY",
                defaults.max_query_complexity,
            )?,
            max_connections: parse(
                &lookup,
                "DATABASE_MAX_CONNECTIONS",
                defaults.max_connections,
            )?,
            anonymous_rate_limit_per_minute: parse(
                &lookup,
                "ANONYMOUS_RATE_LIMIT_PER_MINUTE",
                defaults.anonymous_rate_limit_per_minute,
            )?,
            rate_limits: parse_bool(&lookup, "RATE_LIMITS", defaults.rate_limits)?,
            trust_forwarded_for: parse_bool(
                &lookup,
                "TRUST_FORWARDED_FOR",
                defaults.trust_forwarded_for,
            )?,
            public_cors_origins: lookup("PUBLIC_CORS_ORIGINS")
                .map(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or(defaults.public_cors_origins),
            database_acquire_timeout_ms: parse(
                &lookup,
                "DATABASE_ACQUIRE_TIMEOUT_MS",
                defaults.database_acquire_timeout_ms,
            )?,
            database_startup_timeout_secs: parse(
                &lookup,
                "DATABASE_STARTUP_TIMEOUT_SECS",
                defaults.database_startup_timeout_secs,
            )?,
            database_statement_timeout_ms: parse(
                &lookup,
                "DATABASE_STATEMENT_TIMEOUT_MS",
                defaults.database_statement_timeout_ms,
            )?,
            trusted_max_query_complexity: parse(
                &lookup,
                "TRUSTED_MAX_QUERY_COMPLEXITY",
                defaults.trusted_max_query_complexity,
            )?,
            max_root_fields: parse(&lookup, "MAX_ROOT_FIELDS", defaults.max_root_fields)?,
            query_time_budget_ms: parse(
                &lookup,
                "QUERY_TIME_BUDGET_MS",
                defaults.query_time_budget_ms,
            )?,
            trusted_query_time_budget_ms: parse(
                &lookup,
                "TRUSTED_QUERY_TIME_BUDGET_MS",
                defaults.trusted_query_time_budget_ms,
            )?,
            header_read_timeout_secs: parse(
                &lookup,
                "HEADER_READ_TIMEOUT_SECS",
                defaults.header_read_timeout_secs,
            )?,
            body_read_timeout_secs: parse(
                &lookup,
                "BODY_READ_TIMEOUT_SECS",
                defaults.body_read_timeout_secs,
            )?,
            max_open_connections: parse(
                &lookup,
                "MAX_OPEN_CONNECTIONS",
                defaults.max_open_connections,
            )?,
            max_connections_per_ip: parse(
                &lookup,
                "MAX_CONNECTIONS_PER_IP",
                defaults.max_connections_per_ip,
            )?,
            freshness: freshness_policy(&lookup, defaults.freshness)?,
            stale_suspend_after_months: parse(
                &lookup,
                "STALE_SUSPEND_AFTER_MONTHS",
                defaults.stale_suspend_after_months,
            )?,
            persisted_queries_only: parse_bool(
                &lookup,
                "PERSISTED_QUERIES_ONLY",
                defaults.persisted_queries_only,
            )?,
            persisted_queries_max: parse(
                &lookup,
                "PERSISTED_QUERIES_MAX",
                defaults.persisted_queries_max,
            )?,
            response_cache_max_entries: parse(
                &lookup,
                "RESPONSE_CACHE_MAX_ENTRIES",
                defaults.response_cache_max_entries,
            )?,
            response_cache_max_bytes: parse(
                &lookup,
                "RESPONSE_CACHE_MAX_BYTES",
                defaults.response_cache_max_bytes,
            )?,
            catalogue_source: source_name(&lookup, defaults.catalogue_source)?,
        })
    }
}

/// `CATALOGUE_SOURCE`: lower-case letters, digits and hyphens, as data·inclusion's own
/// source names (`dora`, `emplois-de-linclusion`), since it also prefixes every exported id.
fn source_name(
    lookup: &impl Fn(&str) -> Option<String>,
    default: String,
) -> Result<String, ConfigError> {
    let Some(value) = lookup("CATALOGUE_SOURCE") else {
        return Ok(default);
    };
    let valid = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(value)
    } else {
        Err(ConfigError {
            name: "CATALOGUE_SOURCE",
            message: format!(
                "expected lower-case letters, digits and hyphens (at most 64), got {value:?}"
            ),
        })
    }
}

/// The freshness thresholds: at least one month, AGING before STALE.
fn freshness_policy(
    lookup: &impl Fn(&str) -> Option<String>,
    defaults: crate::catalogue::freshness::FreshnessPolicy,
) -> Result<crate::catalogue::freshness::FreshnessPolicy, ConfigError> {
    let aging_after_months = parse(
        lookup,
        "FRESHNESS_AGING_MONTHS",
        defaults.aging_after_months,
    )?;
    let stale_after_months = parse(
        lookup,
        "FRESHNESS_STALE_MONTHS",
        defaults.stale_after_months,
    )?;
    if aging_after_months == 0 || stale_after_months <= aging_after_months {
        return Err(ConfigError {
            name: "FRESHNESS_STALE_MONTHS",
            message: format!(
                "FRESHNESS_AGING_MONTHS ({aging_after_months}) must be at least 1 and below FRESHNESS_STALE_MONTHS ({stale_after_months})"
            ),
        });
    }
    Ok(crate::catalogue::freshness::FreshnessPolicy {
        aging_after_months,
        stale_after_months,
    })
}

fn parse<T: FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match lookup(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|error: T::Err| ConfigError {
            name,
            message: error.to_string(),
        }),
    }
}

fn parse_bool(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(name).as_deref().map(str::trim) {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError {
            name,
            message: format!("expected true or false, got {other:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost_8080() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.listen_addr.to_string(), "127.0.0.1:8080");
        assert!(s.database_url.starts_with("sqlite:"));
        assert!(s.demo_data);
    }

    #[test]
    fn the_catalogue_source_is_a_plain_slug() {
        assert_eq!(
            settings(&[]).expect("defaults").catalogue_source,
            "catalogue-insertion"
        );
        let s = settings(&[("CATALOGUE_SOURCE", "reseau-59")]).expect("accepted");
        assert_eq!(s.catalogue_source, "reseau-59");
        for bad in ["", "Réseau", "a b", "x--y/z"] {
            let error = settings(&[("CATALOGUE_SOURCE", bad)]).expect_err(bad);
            assert_eq!(error.name, "CATALOGUE_SOURCE");
        }
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let error = settings(&[("LISTEN_ADDR", "nowhere")]).expect_err("rejected");
        assert_eq!(error.name, "LISTEN_ADDR");
        let error = settings(&[("DEMO_DATA", "perhaps")]).expect_err("rejected");
        assert_eq!(error.name, "DEMO_DATA");
    }

    #[test]
    fn freshness_thresholds_must_be_in_order() {
        let error = settings(&[
            ("FRESHNESS_AGING_MONTHS", "12"),
            ("FRESHNESS_STALE_MONTHS", "6"),
        ])
        .expect_err("aging after stale is refused");
        assert_eq!(error.name, "FRESHNESS_STALE_MONTHS");
        let custom = settings(&[
            ("FRESHNESS_AGING_MONTHS", "3"),
            ("FRESHNESS_STALE_MONTHS", "9"),
        ])
        .expect("in order");
        assert_eq!(custom.freshness.aging_after_months, 3);
        assert_eq!(custom.freshness.stale_after_months, 9);
    }

    #[test]
    fn the_read_path_settings_are_read() {
        let s = settings(&[]).expect("defaults are valid");
        assert!(!s.persisted_queries_only);
        assert!(s.response_cache_max_entries > 0 && s.response_cache_max_bytes > 0);
        let s = settings(&[
            ("PERSISTED_QUERIES_ONLY", "true"),
            ("PERSISTED_QUERIES_MAX", "5"),
            ("RESPONSE_CACHE_MAX_ENTRIES", "0"),
        ])
        .expect("valid");
        assert!(s.persisted_queries_only);
        assert_eq!(s.persisted_queries_max, 5);
        assert_eq!(s.response_cache_max_entries, 0);
        let error = settings(&[("RESPONSE_CACHE_MAX_BYTES", "lots")]).expect_err("rejected");
        assert_eq!(error.name, "RESPONSE_CACHE_MAX_BYTES");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/catalogue"),
            "postgres://app:***@db:5432/catalogue"
        );
    }
}
