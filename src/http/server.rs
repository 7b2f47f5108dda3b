//! The accept loop: hyper with a header-read timeout and caps on open connections, in all
//! and per client IP, so that slow or greedy clients cannot starve the others.
//!
//! `axum::serve` has neither: request heads trickled at 1 byte/s stayed open for ever and
//! ~20,000 of them exhausted the file descriptors.
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Limits on connections.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A client must send a complete request head within this time, on a new connection
    /// and between requests on a kept-alive one (an idle connection is closed after it).
    pub header_read_timeout: Duration,
    pub max_open: usize,
    pub max_per_ip: usize,
}

/// Counts open connections per IP; a slot is given back when its guard is dropped.
#[derive(Default)]
struct PerIp(Mutex<HashMap<IpAddr, usize>>);

struct IpSlot {
    ip: IpAddr,
    table: Arc<PerIp>,
}

impl PerIp {
    fn take(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<IpSlot> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = counts.entry(ip).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(IpSlot {
            ip,
            table: self.clone(),
        })
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        let mut counts = self
            .table
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (for at most `drain`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_open));
    let per_ip = Arc::new(PerIp::default());
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(limits.header_read_timeout)
        .max_concurrent_streams(64);
    let builder = Arc::new(builder);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of descriptors or a reset before accept: pause, do not spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slots) = admit(&open, &per_ip, peer.ip(), limits) else {
            tracing::warn!(peer = %peer.ip(), "connection refused: too many open connections");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(axum::body::Body::new)
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(slots);
        });
    }
    drop(listener);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open after the drain period");
    }
    Ok(())
}

fn admit(
    open: &Arc<Semaphore>,
    per_ip: &Arc<PerIp>,
    ip: IpAddr,
    limits: ConnectionLimits,
) -> Option<(OwnedSemaphorePermit, IpSlot)> {
    let slot = per_ip.take(ip, limits.max_per_ip)?;
    let permit = open.clone().try_acquire_owned().ok()?;
    Some((permit, slot))
}

/// The peer address of a request (set by `serve`).
pub fn peer(request: &axum::http::request::Parts) -> Option<SocketAddr> {
    request
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ip_gets_its_slots_back_when_connections_close() {
        let table = Arc::new(PerIp::default());
        let ip = IpAddr::from([192, 0, 2, 1]);
        let first = table.take(ip, 2).expect("first");
        let _second = table.take(ip, 2).expect("second");
        assert!(table.take(ip, 2).is_none(), "third refused");
        assert!(table.take(IpAddr::from([192, 0, 2, 2]), 2).is_some());
        drop(first);
        assert!(table.take(ip, 2).is_some(), "a slot came back");
    }
}
