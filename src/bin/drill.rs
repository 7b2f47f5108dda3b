//! Drills that need sustained load: `drill wal [--requests N] [--connections C]` drives the
//! real server (SQLite, demo catalogue) with reads and writes over HTTP on loopback and checks
//! that the WAL file stays bounded; it also prints the in-memory rate limiter's cost per check.
//! Bounded in count and time; exits non-zero with the evidence when a bound is missed.
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use entity::enums::ClientRole;
use insertion_catalogue::catalogue::actor::Actor;
use insertion_catalogue::catalogue::clients::{self, NewClient};
use insertion_catalogue::config::Settings;
use insertion_catalogue::http::limiter::{Bucket, RateLimits};
use insertion_catalogue::loadgen;
use insertion_catalogue::startup;
use tokio::net::{TcpListener, TcpStream};

/// The WAL must stay under this size, whatever the load.
const WAL_BOUND_BYTES: u64 = 64 * 1024 * 1024;
/// The whole drill stops after this, done or not.
const DRILL_DEADLINE: Duration = Duration::from_secs(600);

const READ: &str = r#"{"query": "{ offers(first: 20) { edges { node { id title nextSlot { startsOn seatsRemaining } } } } }"}"#;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Nanoseconds per rate-limit check, measured on a million checks.
fn limiter_cost() -> f64 {
    let limits = RateLimits::new(u32::MAX);
    let checks = 1_000_000u32;
    let started = Instant::now();
    for i in 0..checks {
        let ip = IpAddr::from((i % 1024).to_be_bytes());
        let _ = limits.check(Bucket::Ip(ip), u32::MAX);
    }
    started.elapsed().as_nanos() as f64 / f64::from(checks)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Some(command) = std::env::args().nth(1) else {
        eprintln!("usage: drill wal [--requests N] [--connections C]");
        return std::process::ExitCode::from(2);
    };
    if command != "wal" {
        eprintln!("unknown drill {command:?}; known: wal");
        return std::process::ExitCode::from(2);
    }
    match tokio::time::timeout(DRILL_DEADLINE, wal_drill()).await {
        Ok(Ok(())) => std::process::ExitCode::SUCCESS,
        Ok(Err(message)) => {
            eprintln!("drill FAILED: {message}");
            std::process::ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("drill FAILED: not done within {DRILL_DEADLINE:?}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn wal_drill() -> Result<(), String> {
    let requests = arg("--requests", 100_000);
    let connections = arg("--connections", 16);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db_path = dir.path().join("catalogue.db");
    let wal_path = dir.path().join("catalogue.db-wal");
    let settings = Settings {
        database_url: format!("sqlite://{}?mode=rwc", db_path.display()),
        demo_data: true,
        anonymous_rate_limit_per_minute: u32::MAX,
        ..Settings::default()
    };
    let app = startup::build(&settings).await.map_err(|e| e.to_string())?;
    let (_, _, key) = clients::create_client(
        &app.db,
        &Actor::operator("drill"),
        NewClient {
            name: "drill".into(),
            role: ClientRole::Admin,
            organisation_ids: vec![],
            allowed_origins: vec![],
            rate_limit_per_minute: Some(100_000),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = startup::serve(listener, app).await;
    });

    let offer_ids = {
        let mut stream = TcpStream::connect(address)
            .await
            .map_err(|e| e.to_string())?;
        let response = loadgen::exchange(
            &mut stream,
            &loadgen::graphql_post(
                r#"{"query": "{ offers(first: 100) { edges { node { id } } } }"}"#,
                "",
            ),
            Duration::from_secs(30),
        )
        .await
        .map_err(|e| e.to_string())?;
        let ids: Vec<String> = response.json()["data"]["offers"]["edges"]
            .as_array()
            .map(|edges| {
                edges
                    .iter()
                    .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if ids.is_empty() {
            return Err(format!(
                "no offers in the demo catalogue: {:?}",
                response.json()
            ));
        }
        Arc::new(ids)
    };

    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let wal_max = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let sampler = {
        let (wal_path, wal_max) = (wal_path.clone(), wal_max.clone());
        tokio::spawn(async move {
            loop {
                wal_max.fetch_max(file_size(&wal_path), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (next, failures, offer_ids, key) = (
            next.clone(),
            failures.clone(),
            offer_ids.clone(),
            key.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.ok()?;
            let auth = format!("authorization: Bearer {key}\r\n");
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests {
                    return Some(());
                }
                // One request in ten writes: a new session on one of the offers.
                let request = if n % 10 == 0 {
                    let offer = &offer_ids[(n / 10) as usize % offer_ids.len()];
                    let body = format!(
                        r#"{{"query": "mutation {{ createSlot(input: {{ offerId: \"{offer}\", startsOn: \"2027-03-01\", endsOn: \"2027-06-30\", seatsTotal: 12 }}) {{ slot {{ id }} }} }}"}}"#
                    );
                    loadgen::graphql_post(&body, &auth)
                } else {
                    loadgen::graphql_post(READ, "")
                };
                match loadgen::exchange(&mut stream, &request, Duration::from_secs(30)).await {
                    Ok(response) if response.status == 200 && response.json().get("errors").is_none() => {}
                    Ok(response) => {
                        if failures.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!("failed request: {} {}", response.status, String::from_utf8_lossy(&response.body));
                        }
                    }
                    Err(error) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        eprintln!("connection error: {error}");
                        stream = TcpStream::connect(address).await.ok()?;
                    }
                }
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed();
    sampler.abort();
    let wal_max = wal_max.load(Ordering::Relaxed).max(file_size(&wal_path));
    let failures = failures.load(Ordering::Relaxed);
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| requests (1 in 10 a write) | {requests} over {connections} connections |");
    println!("| elapsed | {:.1} s |", elapsed.as_secs_f64());
    println!(
        "| requests/s | {:.0} |",
        requests as f64 / elapsed.as_secs_f64()
    );
    println!("| failed requests | {failures} |");
    println!(
        "| largest WAL seen | {:.1} MiB |",
        wal_max as f64 / 1_048_576.0
    );
    println!(
        "| WAL at the end | {:.1} MiB |",
        file_size(&wal_path) as f64 / 1_048_576.0
    );
    println!("| rate-limit check, in memory | {:.0} ns |", limiter_cost());
    if failures > 0 {
        return Err(format!("{failures} requests failed"));
    }
    if wal_max > WAL_BOUND_BYTES {
        return Err(format!(
            "the WAL reached {wal_max} bytes, over the {WAL_BOUND_BYTES} bound"
        ));
    }
    Ok(())
}
