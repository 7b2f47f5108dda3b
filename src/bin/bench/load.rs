//! `bench --load`: the partner query through the real HTTP server (loopback sockets,
//! concurrent kept-alive connections), uncached and repeated (response cache hits), against
//! the floor: the same SQL statements run in process on the same database, with no HTTP or
//! GraphQL. Prints requests/s, p50 and p99, and each ratio to the floor.
use std::sync::Arc;
use std::time::{Duration, Instant};

use insertion_catalogue::config::Settings;
use insertion_catalogue::loadgen;
use insertion_catalogue::metrics::Metrics;
use insertion_catalogue::startup;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::net::{TcpListener, TcpStream};

/// The partner query of issue 8.
const PARTNER_QUERY: &str = "{ offers(first: 20) { edges { node { id title slots(upcomingOnly: false, first: 10) { startsOn seatsTotal } testimonials(first: 10) { body } } } } }";

pub struct LoadArgs {
    pub connections: usize,
    pub duration: Duration,
}

/// What one scenario measured.
struct Measured {
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// CPU time this process spent meanwhile (server and load generator, or the floor's
    /// client side), when the platform tells.
    cpu: Option<Duration>,
}

/// CPU time (user and system) of this process so far, from `/proc/self/stat` (Linux).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in USER_HZ, 100 on every architecture it runs on here.
    Some(Duration::from_millis(ticks * 10))
}

impl Measured {
    /// The latencies of every task that started at `started`, once they all ended.
    async fn collect(
        tasks: Vec<tokio::task::JoinHandle<Vec<Duration>>>,
        started: Instant,
        cpu_before: Option<Duration>,
    ) -> Self {
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.expect("a load task"));
        }
        let elapsed = started.elapsed();
        latencies.sort();
        Self {
            requests: latencies.len(),
            elapsed,
            latencies,
            cpu: process_cpu()
                .zip(cpu_before)
                .map(|(after, before)| after - before),
        }
    }

    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// This process's CPU time per request, in milliseconds.
    fn cpu_ms_per_request(&self) -> f64 {
        self.cpu.map_or(f64::NAN, |cpu| {
            cpu.as_secs_f64() * 1000.0 / self.requests.max(1) as f64
        })
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[index].as_secs_f64() * 1000.0
    }
}

/// A server on a loopback port: its address, database pool and counters.
struct Served {
    address: String,
    db: DatabaseConnection,
    metrics: Arc<Metrics>,
}

/// Serves an app built from `settings` on a loopback port, until the process exits.
async fn serve(settings: &Settings) -> Served {
    let app = startup::build(settings).await.expect("app builds");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let served = Served {
        address: listener.local_addr().expect("address").to_string(),
        db: app.db.clone(),
        metrics: app.metrics.clone(),
    };
    tokio::spawn(async move {
        let _ = startup::serve_until(listener, app, std::future::pending()).await;
    });
    served
}

/// `connections` clients, each on one kept-alive connection, sending `request` for `duration`.
async fn drive(address: &str, request: Arc<Vec<u8>>, args: &LoadArgs) -> Measured {
    let cpu_before = process_cpu();
    let started = Instant::now();
    let deadline = started + args.duration;
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (address, request) = (address.to_owned(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                let response = loadgen::exchange(&mut stream, &request, Duration::from_secs(30))
                    .await
                    .expect("an answer");
                assert_eq!(
                    response.status,
                    200,
                    "{}",
                    String::from_utf8_lossy(&response.body)
                );
                latencies.push(start.elapsed());
            }
            latencies
        }));
    }
    Measured::collect(tasks, started, cpu_before).await
}

/// The floor: the captured statements of one request, run in order by each of
/// `connections` tasks, for `duration`.
async fn floor(
    db: &DatabaseConnection,
    statements: Arc<Vec<sea_orm::Statement>>,
    args: &LoadArgs,
) -> Measured {
    let cpu_before = process_cpu();
    let started = Instant::now();
    let deadline = started + args.duration;
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (db, statements) = (db.clone(), statements.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                for statement in statements.iter() {
                    db.query_all_raw(statement.clone())
                        .await
                        .expect("the statement runs");
                }
                latencies.push(start.elapsed());
            }
            latencies
        }));
    }
    Measured::collect(tasks, started, cpu_before).await
}

/// Runs the three scenarios on the seeded database of `settings` and prints the table.
pub async fn run(settings: &Settings, args: &LoadArgs) {
    let uncached_settings = Settings {
        response_cache_max_entries: 0,
        rate_limits: false,
        demo_data: false,
        ..settings.clone()
    };
    let cached_settings = Settings {
        response_cache_max_entries: Settings::default().response_cache_max_entries,
        response_cache_max_bytes: Settings::default().response_cache_max_bytes,
        rate_limits: false,
        demo_data: false,
        ..settings.clone()
    };
    let uncached_server = serve(&uncached_settings).await;
    let cached_server = serve(&cached_settings).await;
    let body = serde_json::json!({ "query": PARTNER_QUERY }).to_string();
    let request = Arc::new(loadgen::graphql_post(&body, ""));

    // The statements of one partner query, captured on the uncached server.
    let mut probe = TcpStream::connect(&uncached_server.address)
        .await
        .expect("connect");
    loadgen::exchange(&mut probe, &request, Duration::from_secs(30))
        .await
        .expect("warm-up");
    uncached_server.metrics.start_capture();
    let answer = loadgen::exchange(&mut probe, &request, Duration::from_secs(30))
        .await
        .expect("an answer");
    let statements = Arc::new(uncached_server.metrics.take_captured());
    let edges = answer.json()["data"]["offers"]["edges"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(edges, 20, "the partner query answers a page of 20");
    println!(
        "\nload: {} connections, {} s per scenario; the partner query takes {} SQL statements",
        args.connections,
        args.duration.as_secs(),
        statements.len()
    );

    let floor = floor(&uncached_server.db, statements, args).await;
    let uncached = drive(&uncached_server.address, request.clone(), args).await;
    let lookups = cached_server.metrics.response_cache_lookups();
    let repeated = drive(&cached_server.address, request, args).await;
    let (hits, misses) = cached_server.metrics.response_cache_lookups();
    println!(
        "response cache while repeated: {} hits, {} misses",
        hits - lookups.0,
        misses - lookups.1
    );
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>8} {:>12}",
        "scenario", "req/s", "p50 ms", "p99 ms", "×floor", "cpu ms/req"
    );
    let base = floor.per_second();
    for (name, measured) in [
        ("floor: the same SQL in process (no HTTP, GraphQL)", &floor),
        ("partner query over HTTP, uncached", &uncached),
        ("partner query over HTTP, repeated (cache hits)", &repeated),
    ] {
        println!(
            "{:<48} {:>9.0} {:>9.2} {:>9.2} {:>8.2} {:>12.3}",
            name,
            measured.per_second(),
            measured.percentile_ms(0.5),
            measured.percentile_ms(0.99),
            measured.per_second() / base,
            measured.cpu_ms_per_request()
        );
    }
    println!(
        "cpu ms/req: this process's CPU time per request (server and load generator; for the floor, the database client)"
    );
}
