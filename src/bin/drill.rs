//! Drills that need sustained load, against the real server (SQLite, demo catalogue) over
//! HTTP on loopback, bounded in count and time; each exits non-zero with the evidence when a
//! bound is missed.
//! - `drill wal [--requests N] [--connections C]`: reads and writes (1 in 10); the WAL file
//!   must stay under 64 MiB. Also prints the in-memory rate limiter's cost per check.
//! - `drill limiter [--requests N] [--connections C]`: the same reads against a server with
//!   rate limits and one without, alternated in 3 rounds: requests/s and latencies of each.
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use entity::enums::ClientRole;
use insertion_catalogue::catalogue::actor::Actor;
use insertion_catalogue::catalogue::clients::{self, NewClient};
use insertion_catalogue::config::Settings;
use insertion_catalogue::http::limiter::{Bucket, RateLimits};
use insertion_catalogue::loadgen;
use insertion_catalogue::startup;
use sea_orm::DatabaseConnection;
use tokio::net::{TcpListener, TcpStream};

/// The WAL must stay under this size, whatever the load.
const WAL_BOUND_BYTES: u64 = 64 * 1024 * 1024;
/// The whole drill stops after this, done or not.
const DRILL_DEADLINE: Duration = Duration::from_secs(900);
/// Longest wait for one answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

const READ: &str = r#"{"query": "{ offers(first: 20) { edges { node { id title nextSlot { startsOn seatsRemaining } } } } }"}"#;

type DrillResult = Result<(), String>;

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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let drill: Pin<Box<dyn Future<Output = DrillResult>>> = match command.as_str() {
        "wal" => Box::pin(wal_drill()),
        "limiter" => Box::pin(limiter_drill()),
        _ => {
            eprintln!("usage: drill wal|limiter [--requests N] [--connections C]");
            return std::process::ExitCode::from(2);
        }
    };
    match tokio::time::timeout(DRILL_DEADLINE, drill).await {
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

/// A server on the demo catalogue in `dir`, serving on a loopback port.
async fn serve_demo(
    dir: &std::path::Path,
    adjust: impl FnOnce(&mut Settings),
) -> Result<(SocketAddr, DatabaseConnection), String> {
    let mut settings = Settings {
        database_url: format!("sqlite://{}?mode=rwc", dir.join("catalogue.db").display()),
        demo_data: true,
        anonymous_rate_limit_per_minute: u32::MAX,
        ..Settings::default()
    };
    adjust(&mut settings);
    let app = startup::build(&settings).await.map_err(|e| e.to_string())?;
    let db = app.db.clone();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = startup::serve(listener, app).await;
    });
    Ok((address, db))
}

/// What one run of requests gave.
struct Run {
    elapsed: Duration,
    failures: u64,
    latencies_us: Vec<u64>,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.latencies_us.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or(0) as f64 / 1000.0
    }
}

/// Sends `requests` requests over `connections` kept-alive connections; `request(n)` builds
/// the n-th. A request fails unless it answers 200 without errors.
async fn drive(
    address: SocketAddr,
    requests: u64,
    connections: u64,
    request: Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>,
) -> Run {
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(requests as usize)));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (next, failures, latencies, request) = (
            next.clone(),
            failures.clone(),
            latencies.clone(),
            request.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.ok()?;
            let mut mine = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests {
                    break;
                }
                let sent = Instant::now();
                match loadgen::exchange(&mut stream, &request(n), ANSWER_WITHIN).await {
                    Ok(response)
                        if response.status == 200 && response.json().get("errors").is_none() => {}
                    Ok(response) => {
                        if failures.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!(
                                "failed request: {} {}",
                                response.status,
                                String::from_utf8_lossy(&response.body)
                            );
                        }
                    }
                    Err(error) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        eprintln!("connection error: {error}");
                        stream = TcpStream::connect(address).await.ok()?;
                    }
                }
                mine.push(sent.elapsed().as_micros() as u64);
            }
            latencies
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(mine);
            Some(())
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let latencies_us = std::mem::take(
        &mut *latencies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    Run {
        elapsed: started.elapsed(),
        failures: failures.load(Ordering::Relaxed),
        latencies_us,
    }
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

async fn offer_ids(address: SocketAddr) -> Result<Vec<String>, String> {
    let mut stream = TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let response = loadgen::exchange(
        &mut stream,
        &loadgen::graphql_post(
            r#"{"query": "{ offers(first: 100) { edges { node { id } } } }"}"#,
            "",
        ),
        ANSWER_WITHIN,
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
    Ok(ids)
}

async fn wal_drill() -> DrillResult {
    let requests = arg("--requests", 100_000);
    let connections = arg("--connections", 16);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let wal_path = dir.path().join("catalogue.db-wal");
    let (address, db) = serve_demo(dir.path(), |_| {}).await?;
    let (_, _, key) = clients::create_client(
        &db,
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
    let offer_ids = offer_ids(address).await?;
    let wal_max = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (wal_path, wal_max) = (wal_path.clone(), wal_max.clone());
        tokio::spawn(async move {
            loop {
                wal_max.fetch_max(file_size(&wal_path), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let auth = format!("authorization: Bearer {key}\r\n");
    let request = Arc::new(move |n: u64| {
        // One request in ten writes: a new session on one of the offers.
        if n.is_multiple_of(10) {
            let offer = &offer_ids[(n / 10) as usize % offer_ids.len()];
            let body = format!(
                r#"{{"query": "mutation {{ createSlot(input: {{ offerId: \"{offer}\", startsOn: \"2027-03-01\", endsOn: \"2027-06-30\", seatsTotal: 12 }}) {{ slot {{ id }} }} }}"}}"#
            );
            loadgen::graphql_post(&body, &auth)
        } else {
            loadgen::graphql_post(READ, "")
        }
    });
    let run = drive(address, requests, connections, request).await;
    sampler.abort();
    let wal_max = wal_max.load(Ordering::Relaxed).max(file_size(&wal_path));
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| requests (1 in 10 a write) | {requests} over {connections} connections |");
    println!("| elapsed | {:.1} s |", run.elapsed.as_secs_f64());
    println!("| requests/s | {:.0} |", run.per_second());
    println!(
        "| p50 / p99 | {:.1} / {:.1} ms |",
        run.percentile_ms(0.5),
        run.percentile_ms(0.99)
    );
    println!("| failed requests | {} |", run.failures);
    println!(
        "| largest WAL seen | {:.1} MiB |",
        wal_max as f64 / 1_048_576.0
    );
    println!(
        "| WAL at the end | {:.1} MiB |",
        file_size(&wal_path) as f64 / 1_048_576.0
    );
    println!("| rate-limit check, in memory | {:.0} ns |", limiter_cost());
    if run.failures > 0 {
        return Err(format!("{} requests failed", run.failures));
    }
    if wal_max > WAL_BOUND_BYTES {
        return Err(format!(
            "the WAL reached {wal_max} bytes, over the {WAL_BOUND_BYTES} bound"
        ));
    }
    Ok(())
}

async fn limiter_drill() -> DrillResult {
    let requests = arg("--requests", 5_000);
    let connections = arg("--connections", 16);
    let (with_dir, without_dir) = (
        tempfile::tempdir().map_err(|e| e.to_string())?,
        tempfile::tempdir().map_err(|e| e.to_string())?,
    );
    let (with, _) = serve_demo(with_dir.path(), |_| {}).await?;
    let (without, _) = serve_demo(without_dir.path(), |s| s.rate_limits = false).await?;
    let read: Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync> =
        Arc::new(|_| loadgen::graphql_post(READ, ""));
    // Warm both, then alternate so that both see the same machine.
    drive(with, 500, connections, read.clone()).await;
    drive(without, 500, connections, read.clone()).await;
    let (mut on, mut off) = (Vec::new(), Vec::new());
    println!("| round | limits | requests/s | p50 ms | p99 ms |");
    println!("|---|---|---:|---:|---:|");
    for round in 1..=3 {
        for (label, address, runs) in [("on", with, &mut on), ("off", without, &mut off)] {
            let run = drive(address, requests, connections, read.clone()).await;
            if run.failures > 0 {
                return Err(format!("{} requests failed", run.failures));
            }
            println!(
                "| {round} | {label} | {:.0} | {:.2} | {:.2} |",
                run.per_second(),
                run.percentile_ms(0.5),
                run.percentile_ms(0.99)
            );
            runs.push(run.per_second());
        }
    }
    let median = |runs: &mut Vec<f64>| {
        runs.sort_by(f64::total_cmp);
        runs[runs.len() / 2]
    };
    let (on, off) = (median(&mut on), median(&mut off));
    println!(
        "median requests/s: {on:.0} with limits, {off:.0} without (ratio {:.2})",
        on / off
    );
    Ok(())
}
