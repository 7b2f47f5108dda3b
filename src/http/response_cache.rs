//! The server-side response cache: whole answers (bytes and `ETag`) to queries on published
//! data, keyed by what the answer depends on, dropped as soon as this instance learns of a
//! newer catalogue version (`catalogue::version`).
//!
//! Why it can never serve an answer staler than the bound: every catalogue write bumps the
//! version in its transaction; each instance re-reads it every `VERSION_POLL_EVERY` (and
//! at once after a mutation it ran); an entry is stored only under the version that was
//! current when its request started, and the whole cache is emptied when the version
//! moves. A request that starts after this instance learned version V reads data at least
//! as new as V, so an entry stored under V is at most one poll (plus the read) behind.
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use lru::LruCache;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use crate::catalogue::version;
use crate::metrics::Metrics;

/// How often an instance re-reads the catalogue version: the staleness bound is this plus
/// the time of that read (documented as ≤ 1 s in the README).
pub const VERSION_POLL_EVERY: Duration = Duration::from_millis(250);

/// The bound itself: when the version was last confirmed longer ago than this (the
/// database unreachable, the poller starved), the cache answers nothing until it is.
pub const MAX_STALENESS: Duration = Duration::from_secs(1);

/// What a request's answer depends on: the caller (anonymous, or one partner: `viewer`
/// differs), the day (sessions' status and "upcoming" are judged on it), the query text,
/// its variables and the operation chosen.
pub type CacheKey = [u8; 32];

pub fn cache_key(
    client_id: Option<i32>,
    today: chrono::NaiveDate,
    query: &str,
    variables: &str,
    operation_name: Option<&str>,
) -> CacheKey {
    let mut hasher = Sha256::new();
    // Each part is length-prefixed, so that no two different requests hash alike by
    // moving text from one part to the next.
    let client = client_id.map_or_else(String::new, |id| id.to_string());
    let day = today.to_string();
    let parts = [
        client.as_str(),
        day.as_str(),
        query,
        variables,
        operation_name.unwrap_or_default(),
    ];
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// A cached answer: the JSON body as sent, and its strong validator.
#[derive(Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: HeaderValue,
}

/// The bytes an entry is counted for: its body, its key and the map's bookkeeping.
fn weight(cached: &Cached) -> usize {
    cached.body.len() + cached.etag.len() + std::mem::size_of::<CacheKey>() + 64
}

struct Entries {
    lru: LruCache<CacheKey, Cached>,
    bytes: usize,
}

/// The cache of one instance, bounded in entries and in bytes (least recently used first out).
pub struct ResponseCache {
    /// The newest catalogue version this instance knows; written only with `entries` locked.
    version: AtomicI64,
    /// When the version was last read (milliseconds since `started`), taken before the read.
    confirmed_at_ms: AtomicU64,
    started: Instant,
    entries: Mutex<Entries>,
    max_bytes: usize,
    enabled: bool,
    /// A connection of its own (not the request pool): the version checks are neither
    /// counted with the requests' statements nor queued behind them.
    db: DatabaseConnection,
    metrics: std::sync::Arc<Metrics>,
}

impl ResponseCache {
    /// `max_entries == 0` or `max_bytes == 0` turns the cache off.
    pub fn new(
        db: DatabaseConnection,
        max_entries: usize,
        max_bytes: usize,
        metrics: std::sync::Arc<Metrics>,
    ) -> Self {
        let enabled = max_entries > 0 && max_bytes > 0;
        Self {
            version: AtomicI64::new(i64::MIN),
            confirmed_at_ms: AtomicU64::new(0),
            started: Instant::now(),
            entries: Mutex::new(Entries {
                lru: LruCache::new(NonZeroUsize::new(max_entries).unwrap_or(NonZeroUsize::MIN)),
                bytes: 0,
            }),
            max_bytes,
            enabled,
            db,
            metrics,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The version to store a request's answer under: read before the request runs.
    pub fn version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves the map consistent (every change is one
        // call), so a poisoned lock is taken over rather than failing every request.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached answer, if any (counted as a hit or a miss).
    pub fn get(&self, key: &CacheKey) -> Option<Cached> {
        let confirmed = self.confirmed_at_ms.load(Ordering::Acquire);
        let found = if self.now_ms().saturating_sub(confirmed) > MAX_STALENESS.as_millis() as u64 {
            None
        } else {
            self.lock().lru.get(key).cloned()
        };
        self.metrics.record_response_cache(found.is_some());
        found
    }

    /// Keeps an answer computed under `version` (skipped when the version moved since, or
    /// when the answer alone would take more than an eighth of the cache).
    pub fn put(&self, key: CacheKey, version: i64, cached: Cached) {
        let size = weight(&cached);
        if !self.enabled || size > self.max_bytes / 8 {
            return;
        }
        let mut entries = self.lock();
        if self.version.load(Ordering::Acquire) != version || version == i64::MIN {
            return;
        }
        if let Some((_, old)) = entries.lru.push(key, cached) {
            // The same key replaced, or the least recently used entry pushed out.
            entries.bytes = entries.bytes.saturating_sub(weight(&old));
        }
        entries.bytes += size;
        while entries.bytes > self.max_bytes {
            match entries.lru.pop_lru() {
                Some((_, old)) => entries.bytes = entries.bytes.saturating_sub(weight(&old)),
                None => {
                    entries.bytes = 0;
                    break;
                }
            }
        }
        self.metrics
            .set_response_cache_size(entries.lru.len(), entries.bytes);
    }

    /// Re-reads the catalogue version; a newer one empties the cache. Called by the
    /// background poller, and right after a mutation on this instance.
    pub async fn refresh(&self) {
        let asked_at = self.now_ms();
        match version::current(&self.db).await {
            Ok(current) => {
                self.observe(current);
                self.confirmed_at_ms.fetch_max(asked_at, Ordering::AcqRel);
            }
            Err(error) => tracing::warn!(%error, "cannot read the catalogue version"),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn observe(&self, current: i64) {
        if current <= self.version.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.lock();
        entries.lru.clear();
        entries.bytes = 0;
        self.version.store(current, Ordering::Release);
        self.metrics.set_response_cache_size(0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn cache(max_entries: usize, max_bytes: usize) -> ResponseCache {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite");
        ResponseCache::new(db, max_entries, max_bytes, Default::default())
    }

    impl ResponseCache {
        /// As a successful poll would.
        fn confirm(&self, version: i64) {
            self.observe(version);
            self.confirmed_at_ms.store(self.now_ms(), Ordering::Release);
        }
    }

    fn answer(text: &str) -> Cached {
        Cached {
            body: Bytes::from(text.to_owned()),
            etag: HeaderValue::from_static("\"x\""),
        }
    }

    fn key(n: u8) -> CacheKey {
        [n; 32]
    }

    #[tokio::test]
    async fn an_answer_computed_under_an_older_version_is_not_kept() {
        let cache = cache(10, 10_000).await;
        cache.confirm(3);
        cache.put(key(1), 2, answer("old"));
        assert!(cache.get(&key(1)).is_none());
        cache.put(key(1), 3, answer("new"));
        assert!(cache.get(&key(1)).is_some());
        cache.confirm(4);
        assert!(cache.get(&key(1)).is_none(), "a newer version empties it");
    }

    #[tokio::test]
    async fn a_version_not_confirmed_within_the_bound_answers_nothing() {
        let mut cache = cache(10, 10_000).await;
        cache.started = Instant::now()
            .checked_sub(Duration::from_secs(5))
            .expect("the clock is past 5 s");
        cache.confirm(1);
        cache.put(key(1), 1, answer("x"));
        assert!(cache.get(&key(1)).is_some());
        // The last successful read of the version, 5 s ago: the database is unreachable.
        cache.confirmed_at_ms.store(0, Ordering::Release);
        assert!(cache.get(&key(1)).is_none());
    }

    #[tokio::test]
    async fn nothing_is_kept_before_the_version_is_known() {
        let cache = cache(10, 10_000).await;
        cache.put(key(1), cache.version(), answer("x"));
        assert!(cache.get(&key(1)).is_none());
    }

    #[tokio::test]
    async fn entries_and_bytes_are_bounded_least_recently_used_first() {
        let cache = cache(2, 100_000).await;
        cache.confirm(1);
        for n in 0..3 {
            cache.put(key(n), 1, answer("x"));
        }
        assert!(cache.get(&key(0)).is_none());
        assert!(cache.get(&key(2)).is_some());

        let cache = self::cache(1000, 8 * 400).await;
        cache.confirm(1);
        let body = "y".repeat(300);
        for n in 0..20 {
            cache.put(key(n), 1, answer(&body));
        }
        let entries = cache.lock();
        assert!(entries.bytes <= 8 * 400, "{} bytes", entries.bytes);
        assert!(entries.lru.len() < 20 && !entries.lru.is_empty());
    }

    #[test]
    fn keys_differ_by_each_part() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
        let base = cache_key(None, day, "{ a }", "{}", None);
        assert_ne!(base, cache_key(Some(1), day, "{ a }", "{}", None));
        assert_ne!(base, cache_key(None, day, "{ a }", "{\"x\":1}", None));
        assert_ne!(base, cache_key(None, day, "{ a }", "{}", Some("A")));
        assert_ne!(
            cache_key(None, day, "ab", "c", None),
            cache_key(None, day, "a", "bc", None)
        );
    }
}
