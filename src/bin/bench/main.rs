//! Benchmark: seeds a generated catalogue, then times typical requests through the full
//! HTTP stack (in process, no sockets) and reports percentiles, ratios and memory.
//!
//! `cargo run --release --bin bench -- --offers 100000 --requests 200`
//! `cargo run --release --bin bench -- --load` (see `load.rs`)
mod load;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::http::{Request, header};
use chrono::{NaiveDate, Utc};
use clap::Parser;
use insertion_catalogue::config::Settings;
use insertion_catalogue::{seed, startup};
use serde_json::{Value, json};
use tower::ServiceExt;

/// mimalloc: chosen by measurement (README, "Benchmarks"): glibc malloc's arena locks
/// and frees were a fifth of the server's time under concurrent load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Offers in the generated catalogue (default 100,000; 10,000 with `--load`).
    #[arg(long)]
    offers: Option<usize>,
    /// Drive the real HTTP server with concurrent connections: the partner query uncached,
    /// repeated (cache hits), and the floor (its SQL in process).
    #[arg(long)]
    load: bool,
    /// With `--load`: concurrent connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// With `--load`: seconds per scenario.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Timed requests per scenario (after 10 warm-up requests).
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Database to use instead of a temporary SQLite file (must be empty).
    #[arg(long, env = "BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Time only the scenarios whose name contains this (the baseline always runs, for the
    /// ratios), e.g. `--only text`.
    #[arg(long)]
    only: Option<String>,
    /// Time the catalogue already in the database (`--database-url`, seeded by an earlier run
    /// or by `seed --offers N`) instead of seeding one: a million offers seed in minutes.
    #[arg(long)]
    seeded: bool,
    /// Write this run's figures to this JSON file (for `--growth-from` in a later run).
    #[arg(long)]
    save: Option<std::path::PathBuf>,
    /// Print the cost-growth table from the run saved in this file (usually at a tenth of the
    /// offers) to this one: each scenario's p50 and p99 at both sizes and their ratios.
    #[arg(long)]
    growth_from: Option<std::path::PathBuf>,
}

/// One scenario's figures in a run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Measured {
    name: String,
    p50_ms: f64,
    p99_ms: f64,
    /// Offers its filter matches (`totalCount`), when it lists offers: what tells a scenario
    /// whose result set grows with the catalogue from one whose cost should not.
    #[serde(default)]
    matches: Option<u64>,
    /// Timed requests behind the percentiles (below 100, p99 is the slowest of them).
    #[serde(default)]
    requests: usize,
}

/// A run's figures, as `--save` writes them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Run {
    offers: usize,
    database: String,
    scenarios: Vec<Measured>,
    peak_rss_mib: Option<f64>,
}

/// Prints each scenario measured in both runs: p50 and p99 at both sizes, and their ratios.
fn print_growth(before: &Run, now: &Run) {
    println!(
        "\ncost growth from {} to {} offers ({})",
        before.offers, now.offers, now.database
    );
    println!(
        "{:<40} {:>10} {:>10} {:>7} {:>10} {:>10} {:>7} {:>9} {:>9} {:>7}",
        "scenario",
        "p50 small",
        "p50 large",
        "×",
        "p99 small",
        "p99 large",
        "×",
        "matches",
        "matches",
        "×"
    );
    // Runs saved before the count was kept say 0.
    let fewest = before
        .scenarios
        .iter()
        .chain(&now.scenarios)
        .map(|scenario| scenario.requests)
        .filter(|requests| *requests > 0)
        .min();
    if let Some(requests) = fewest.filter(|requests| *requests < 100) {
        println!("(a run of {requests} requests a scenario: its p99 is the slowest request)");
    }
    for measured in &now.scenarios {
        let Some(small) = before.scenarios.iter().find(|s| s.name == measured.name) else {
            continue;
        };
        let count = |matches: Option<u64>| matches.map_or("-".to_owned(), |n| n.to_string());
        let growth = match (small.matches, measured.matches) {
            (Some(small), Some(large)) if small > 0 => {
                format!("{:.1}", large as f64 / small as f64)
            }
            _ => "-".to_owned(),
        };
        println!(
            "{:<40} {:>10.2} {:>10.2} {:>7.1} {:>10.2} {:>10.2} {:>7.1} {:>9} {:>9} {:>7}",
            measured.name,
            small.p50_ms,
            measured.p50_ms,
            measured.p50_ms / small.p50_ms,
            small.p99_ms,
            measured.p99_ms,
            measured.p99_ms / small.p99_ms,
            count(small.matches),
            count(measured.matches),
            growth
        );
    }
}

struct Scenario {
    name: &'static str,
    query: &'static str,
    variables: Value,
    /// Pages walked in a row, each from the last one's `endCursor` (the query takes `$after`
    /// and selects `pageInfo { endCursor }`); each page is one timed request.
    pages: usize,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            name: "",
            query: "",
            variables: json!({}),
            pages: 1,
        }
    }
}

fn scenarios(offer_id: &str, today: NaiveDate) -> Vec<Scenario> {
    let profile = json!({
        "birthDate": "1999-05-01", "registeredJobSeeker": true, "jobSeekerSince": "2025-06-01",
        "benefits": [], "studyLevel": "CAP_BEP_DIPLOMA", "livesInQpv": true, "singleParent": true,
        "drivingLicence": false, "prescribedByAuthorisedPrescriber": false,
        "residenceCommuneCode": "59350", "country": "FR"
    });
    vec![
        Scenario {
            name: "page of 20 titles (baseline)",
            query: "{ offers(first: 20) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "page of 20, all nested fields",
            query: "{ offers(first: 20) { totalCount edges { node { title sector { labelFr } publics barriers themes organisation { name kind } eligibilityConditions { kind } slots { startsOn status } nextSlot { startsOn } testimonials { body } } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "near Lille 30 km, by distance",
            query: "{ offers(first: 20, filter: { near: { latitude: 50.6292, longitude: 3.0573, radiusKm: 30 } }) { edges { node { title distanceKm } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text search \"menuiserie\"",
            query: "{ offers(first: 20, filter: { text: \"menuiserie\" }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text: common word \"accompagnement\", by relevance",
            query: "{ offers(first: 20, filter: { text: \"accompagnement \" }) { edges { node { title } highlights { title summary } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text: rare word \"autolaveuse\"",
            query: "{ offers(first: 20, filter: { text: \"autolaveuse \" }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text: two words \"atelier vélo\"",
            query: "{ offers(first: 20, filter: { text: \"atelier vélo \" }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text: prefix \"menuis\" (typing)",
            query: "{ offers(first: 20, filter: { text: \"menuis\" }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text: a typo \"menuserie\"",
            query: "{ offers(first: 20, filter: { text: \"menuserie \" }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "text + near Lille 30 km",
            query: "{ offers(first: 20, filter: { text: \"formation\", near: { latitude: 50.6292, longitude: 3.0573, radiusKm: 30 } }) { edges { node { title distanceKm } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "facets: training + youth + seats left",
            query: "{ offers(first: 20, filter: { kinds: [TRAINING], publics: [YOUNG_PEOPLE], hasSeatsLeft: true }) { edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "eligibleFor, page of 20",
            query: "query ($p: EligibilityProfile!) { offers(first: 20, filter: { eligibleFor: $p }) { edges { eligibility node { title } } } }",
            variables: json!({ "p": profile }),
            ..Scenario::default()
        },
        Scenario {
            name: "eligibleFor + near Lille 30 km",
            query: "query ($p: EligibilityProfile!) { offers(first: 20, filter: { eligibleFor: $p, near: { latitude: 50.6292, longitude: 3.0573, radiusKm: 30 } }) { edges { eligibility node { title } } } }",
            variables: json!({ "p": profile }),
            ..Scenario::default()
        },
        Scenario {
            name: "facet counts: all eight, no filter",
            query: "{ offers(first: 20) { edges { node { title } } facets { kinds { value count } sectors { value count } publics { value count } barriers { value count } organisationKinds { value count } departements { value count } themes { value count } deliveryModes { value count } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "facet counts: all eight, training + youth",
            query: "{ offers(first: 20, filter: { kinds: [TRAINING], publics: [YOUNG_PEOPLE] }) { edges { node { title } } facets { kinds { value count } sectors { value count } publics { value count } barriers { value count } organisationKinds { value count } departements { value count } themes { value count } deliveryModes { value count } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "facet counts: all eight, training with seats left",
            query: "{ offers(first: 20, filter: { hasSeatsLeft: true, kinds: [TRAINING] }) { edges { node { title } } facets { kinds { value count } sectors { value count } publics { value count } barriers { value count } organisationKinds { value count } departements { value count } themes { value count } deliveryModes { value count } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "ROME code I1607 (bike repair)",
            query: "{ offers(first: 20, filter: { romeCodes: [\"I1607\"] }) { edges { node { title romeCodes } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "fresh only, newest published first",
            query: "{ offers(first: 20, filter: { freshness: [FRESH] }, orderBy: { field: PUBLISHED_AT, direction: DESC }) { edges { node { title publishedAt freshness } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "minQuality 0.8, with scores",
            query: "{ offers(first: 20, filter: { minQuality: 0.8 }) { edges { node { title quality { score issues { code } } } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "change feed, first 100",
            query: "{ changes(first: 100) { edges { cursor node { kind id offer { title updatedAt } } } pageInfo { endCursor } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "excludeDuplicates, page of 20 with count",
            query: "{ offers(first: 20, filter: { excludeDuplicates: true }) { totalCount edges { node { title } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "sources: one that holds nothing",
            query: "{ offers(first: 20, filter: { sources: [\"data-inclusion:dora\"] }) { totalCount edges { node { title provenance { source externalId } } } } }",
            variables: json!({}),
            ..Scenario::default()
        },
        Scenario {
            name: "checkEligibility, one offer",
            query: "query ($id: ID!, $p: EligibilityProfile!) { checkEligibility(offerId: $id, profile: $p) { verdict conditions { result reason } } }",
            variables: json!({ "id": offer_id, "p": profile }),
            ..Scenario::default()
        },
        Scenario {
            name: "hasUpcomingSlot + hasSeatsLeft",
            query: "{ offers(first: 20, filter: { hasUpcomingSlot: true, hasSeatsLeft: true }) { edges { node { title nextSlot { startsOn } } } } }",
            ..Scenario::default()
        },
        Scenario {
            name: "slotStartsBetween, next 30 days",
            query: "query ($from: Date!, $to: Date!) { offers(first: 20, filter: { slotStartsBetween: { from: $from, to: $to } }) { edges { node { title } } } }",
            variables: json!({ "from": today, "to": today + chrono::Duration::days(30) }),
            ..Scenario::default()
        },
        Scenario {
            name: "updatedSince, a week ago",
            query: "query ($since: DateTime!) { offers(first: 20, filter: { updatedSince: $since }) { edges { node { title updatedAt } } } }",
            variables: json!({ "since": Utc::now() - chrono::Duration::days(7) }),
            ..Scenario::default()
        },
        Scenario {
            name: "deep pages: 50 in a row, per page",
            query: "query ($after: String) { offers(first: 20, after: $after) { edges { node { title } } pageInfo { endCursor } } }",
            pages: 50,
            ..Scenario::default()
        },
    ]
}

async fn post(router: &axum::Router, query: &str, variables: &Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

/// Asks each scenario's filter for its `totalCount` once and records it in `run`; prints the
/// counts and what each took (a count is one more statement, on every page that shows it).
async fn count_matches(router: &axum::Router, scenarios: &[Scenario], run: &mut Run) {
    println!("\nmatching offers: each filter's totalCount, asked once");
    println!("{:<40} {:>9} {:>9}", "scenario", "matches", "ms");
    for (scenario, measured) in scenarios.iter().zip(run.scenarios.iter_mut()) {
        let Some(query) = counting(scenario.query) else {
            continue;
        };
        let start = Instant::now();
        let answer = post(router, &query, &scenario.variables).await;
        let took = start.elapsed().as_secs_f64() * 1000.0;
        measured.matches = answer["data"]["offers"]["totalCount"].as_u64();
        let shown = match measured.matches {
            Some(count) => count.to_string(),
            None => answer["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("no count")
                .to_owned(),
        };
        println!("{:<40} {:>9} {:>9.1}", scenario.name, shown, took);
    }
}

/// One timed request: how long it took, when it started, and the SQL statements that ran
/// meanwhile (its own, and any of the server's housekeeping) with their time.
struct TimedRequest {
    took: Duration,
    started: Duration,
    statements: u64,
    sql_micros: u64,
}

/// The three slowest requests of a scenario whose p99 is over 3 × its p50: whether the time
/// went to SQL or to the server's own work, and when (to match with periodic housekeeping).
fn print_slowest(requests: &mut [TimedRequest]) {
    requests.sort_by_key(|request| std::cmp::Reverse(request.took));
    for request in requests.iter().take(3) {
        println!(
            "    slow: {:.2} ms at {:.3} s, SQL {:.2} ms in {} statements",
            request.took.as_secs_f64() * 1000.0,
            request.started.as_secs_f64(),
            request.sql_micros as f64 / 1000.0,
            request.statements
        );
    }
}

/// `query` with `totalCount` asked of its `offers` connection (None when it lists no offers):
/// run once, untimed, it tells how many offers the scenario's filter matches.
fn counting(query: &str) -> Option<String> {
    let arguments = query.find("offers(")?;
    let selection = arguments + query[arguments..].find(") {")? + ") {".len();
    if query[selection..].trim_start().starts_with("totalCount") {
        return Some(query.to_owned());
    }
    Some(format!(
        "{} totalCount{}",
        &query[..selection],
        &query[selection..]
    ))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[tokio::main]
async fn main() {
    let process_start = Instant::now();
    insertion_catalogue::native_heap::return_large_blocks_to_the_system();
    let args = Args::parse();
    let dir = tempfile_dir();
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let settings = Settings {
        database_url,
        demo_data: false,
        // One synthetic caller sends every request: no rate limit.
        anonymous_rate_limit_per_minute: u32::MAX,
        // Each scenario repeats one request: timed through the cache, it would time the cache.
        response_cache_max_entries: 0,
        ..Settings::default()
    };
    let app = startup::build(&settings).await.expect("app builds");

    let offers = if args.seeded {
        use sea_orm::ConnectionTrait;
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) FROM offers",
            ))
            .await
            .expect("count")
            .expect("a count");
        let count: i64 = row.try_get_by_index(0).expect("a number");
        println!("timing the {count} offers already in the database");
        usize::try_from(count).unwrap_or_default()
    } else {
        let started = Instant::now();
        let offers = args
            .offers
            .unwrap_or(if args.load { 10_000 } else { 100_000 });
        let inserted = seed::load_generated(&app.db, offers, 7, Utc::now(), |_| {})
            .await
            .expect("seed");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "seeded {inserted} offers in {seconds:.1} s ({:.0} offers/s)",
            inserted as f64 / seconds
        );
        offers
    };

    if args.load {
        let load = load::LoadArgs {
            connections: args.connections,
            duration: Duration::from_secs(args.seconds),
        };
        load::run(&settings, &load).await;
        return;
    }
    let metrics = Arc::clone(&app.metrics);
    let router = app.router;
    let first = post(
        &router,
        "{ offers(first: 1) { edges { node { id } } } }",
        &json!({}),
    )
    .await;
    // Facet counts wait for the in-memory index to hold the whole catalogue (searches wait
    // 100 ms, then ask SQL): timed requests must not meet the first catch-up.
    let ready = Instant::now();
    post(
        &router,
        "{ offers(first: 1) { facets { kinds { value } } } }",
        &json!({}),
    )
    .await;
    println!(
        "in-memory index ready after {:.1} s more",
        ready.elapsed().as_secs_f64()
    );
    let offer_id = first["data"]["offers"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    println!(
        "\n{} timed requests per scenario, in process through the HTTP stack",
        args.requests
    );
    if args.requests < 100 {
        println!("(with fewer than 100 requests, p99 is the slowest request)");
    }
    println!(
        "{:<40} {:>9} {:>9} {:>9} {:>8} {:>6}",
        "scenario", "p50 ms", "p90 ms", "p99 ms", "×base", "SQL"
    );
    let mut baseline = None;
    let mut run = Run {
        offers,
        database: if settings.database_url.starts_with("postgres") {
            "PostgreSQL".to_owned()
        } else {
            "SQLite".to_owned()
        },
        scenarios: Vec::new(),
        peak_rss_mib: None,
    };
    let selected = scenarios(&offer_id, Utc::now().date_naive())
        .into_iter()
        .enumerate()
        .filter(|(index, scenario)| {
            *index == 0
                || args
                    .only
                    .as_deref()
                    .is_none_or(|only| scenario.name.contains(only))
        })
        .map(|(_, scenario)| scenario)
        .collect::<Vec<_>>();
    for scenario in &selected {
        for _ in 0..10 {
            post(&router, scenario.query, &scenario.variables).await;
        }
        let statements_before = metrics.db_statements();
        let walks = args.requests.div_ceil(scenario.pages);
        let mut requests = Vec::with_capacity(walks * scenario.pages);
        for _ in 0..walks {
            let mut variables = scenario.variables.clone();
            for _ in 0..scenario.pages {
                let sql_before = (metrics.db_statements(), metrics.db_statement_micros());
                let start = Instant::now();
                let answer = post(&router, scenario.query, &variables).await;
                requests.push(TimedRequest {
                    took: start.elapsed(),
                    started: start.duration_since(process_start),
                    statements: metrics.db_statements() - sql_before.0,
                    sql_micros: metrics.db_statement_micros() - sql_before.1,
                });
                if let Some(errors) = answer.get("errors") {
                    panic!("{}: {errors}", scenario.name);
                }
                variables["after"] = answer["data"]["offers"]["pageInfo"]["endCursor"].clone();
            }
        }
        let mut timings: Vec<Duration> = requests.iter().map(|request| request.took).collect();
        let statements =
            (metrics.db_statements() - statements_before) as f64 / timings.len() as f64;
        timings.sort();
        let p50 = percentile(&timings, 0.5);
        run.scenarios.push(Measured {
            name: scenario.name.to_owned(),
            p50_ms: p50,
            p99_ms: percentile(&timings, 0.99),
            matches: None,
            requests: timings.len(),
        });
        let base = *baseline.get_or_insert(p50);
        println!(
            "{:<40} {:>9.2} {:>9.2} {:>9.2} {:>8.1} {:>6.1}",
            scenario.name,
            p50,
            percentile(&timings, 0.9),
            percentile(&timings, 0.99),
            p50 / base,
            statements
        );
        if percentile(&timings, 0.99) > 3.0 * p50 {
            print_slowest(&mut requests);
        }
    }
    run.peak_rss_mib = peak_rss_mib();
    if let Some(rss) = run.peak_rss_mib {
        println!("\npeak resident memory: {rss:.0} MiB");
    }
    // After every timed request: a count can be a scan, and PostgreSQL goes on with a
    // statement whose request ran out of time, which would slow the scenarios after it.
    count_matches(&router, &selected, &mut run).await;
    if let Some(path) = &args.growth_from {
        let before: Run = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_else(|| panic!("{} holds no saved run", path.display()));
        print_growth(&before, &run);
    }
    if let Some(path) = &args.save {
        let json = serde_json::to_vec_pretty(&run).expect("figures serialise");
        std::fs::write(path, json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// A private temporary folder, removed at exit by the OS's tmp cleaning; kept simple on purpose.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("catalogue-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_is_counted_by_its_own_filter() {
        assert_eq!(
            counting(
                "{ offers(first: 20, filter: { text: \"vélo\" }) { edges { node { title } } } }"
            )
            .as_deref(),
            Some(
                "{ offers(first: 20, filter: { text: \"vélo\" }) { totalCount edges { node { title } } } }"
            )
        );
        let counted = "{ offers(first: 20) { totalCount edges { node { id } } } }";
        assert_eq!(counting(counted).as_deref(), Some(counted));
        assert_eq!(
            counting("{ changes(first: 100) { edges { cursor } } }"),
            None
        );
        // Every scenario that lists offers gets a count that parses as its query did.
        for scenario in scenarios("T2ZmZXI6MQ==", NaiveDate::default()) {
            if let Some(query) = counting(scenario.query) {
                assert_eq!(query.matches("totalCount").count(), 1, "{}", scenario.name);
                assert!(
                    async_graphql::parser::parse_query(&query).is_ok(),
                    "{query}"
                );
            }
        }
    }
}
