//! Per-caller rate limits, enforced in memory with governor's GCRA (no database write per
//! request). Several instances share a limit by each taking an equal share of it: every
//! instance learns how many instances are alive from `catalogue::instances` heartbeats.
//!
//! Precision: a caller gets its limit per minute, with bursts up to that limit, from every
//! instance together as long as the load balancer spreads its requests evenly; a caller whose
//! requests all land on one instance gets that instance's share only (never more than the
//! limit). When the number of instances changes, the counters restart.
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// Who a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// A registered API client, with its own limit.
    Client(i32),
    /// A caller without a (valid) key, counted per IP address.
    Ip(IpAddr),
}

type Limiters = HashMap<u32, Arc<DefaultKeyedRateLimiter<Bucket>>>;

/// The in-memory limits of one instance.
pub struct RateLimits {
    /// Off behind a gateway that limits callers already (and to measure what limits cost).
    enabled: bool,
    anonymous_per_minute: u32,
    /// How many instances share each limit (at least 1).
    instances: AtomicU32,
    /// One keyed limiter per distinct per-minute share (clients have their own limits).
    limiters: Mutex<(u32, Limiters)>,
    /// IPs that sent too many refused keys: refused without a database lookup until then.
    blocked: Mutex<HashMap<IpAddr, Instant>>,
    clock: DefaultClock,
}

impl RateLimits {
    pub fn new(anonymous_per_minute: u32) -> Self {
        Self {
            enabled: true,
            anonymous_per_minute,
            instances: AtomicU32::new(1),
            limiters: Mutex::new((1, HashMap::new())),
            blocked: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
        }
    }

    /// Limits that let every request through.
    pub fn unlimited() -> Self {
        Self {
            enabled: false,
            ..Self::new(u32::MAX)
        }
    }

    /// Sets how many instances share the limits (from the heartbeats).
    pub fn set_instances(&self, instances: u32) {
        self.instances.store(instances.max(1), Ordering::Relaxed);
    }

    pub fn instances(&self) -> u32 {
        self.instances.load(Ordering::Relaxed)
    }

    /// This instance's share of a per-minute limit: rounded up, so a limit is never below 1.
    fn share(&self, per_minute: u32) -> u32 {
        per_minute.div_ceil(self.instances()).max(1)
    }

    fn limiter(&self, share: u32) -> Arc<DefaultKeyedRateLimiter<Bucket>> {
        let instances = self.instances();
        let mut guard = self
            .limiters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.0 != instances {
            // The shares changed: start afresh rather than mix counters of two shares.
            *guard = (instances, HashMap::new());
        }
        guard
            .1
            .entry(share)
            .or_insert_with(|| {
                let quota = Quota::per_minute(NonZeroU32::new(share).unwrap_or(NonZeroU32::MIN));
                Arc::new(RateLimiter::keyed(quota))
            })
            .clone()
    }

    /// Counts one request of `bucket` against `per_minute` (the whole limit; this instance
    /// applies its share), or refuses it with RATE_LIMITED and when to retry.
    pub fn check(&self, bucket: Bucket, per_minute: u32) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let limiter = self.limiter(self.share(per_minute));
        limiter.check_key(&bucket).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            AppError::RateLimited {
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }
        })
    }

    /// Counts an anonymous request (or one with a refused key) against its IP.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.check(Bucket::Ip(ip), self.anonymous_per_minute)
    }

    /// A key was refused: it counts against the IP, and once the IP is over its limit its
    /// keys are refused without a database lookup until it may retry.
    pub fn refused_key(&self, ip: IpAddr) -> Result<(), AppError> {
        self.check_ip(ip).inspect_err(|error| {
            if let Some(seconds) = error.retry_after() {
                let until = Instant::now() + Duration::from_secs(seconds);
                self.blocked
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(ip, until);
            }
        })
    }

    /// Refuses a keyed request from an IP that is blocked for sending refused keys.
    pub fn refuse_if_blocked(&self, ip: IpAddr) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let mut blocked = self
            .blocked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match blocked.get(&ip).copied() {
            Some(until) if until > Instant::now() => Err(AppError::RateLimited {
                retry_after_secs: until.saturating_duration_since(Instant::now()).as_secs() + 1,
            }),
            Some(_) => {
                blocked.remove(&ip);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Forgets callers whose limits are fully replenished (keeps memory bounded).
    pub fn forget_idle(&self) {
        let limiters: Vec<_> = self
            .limiters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
            .values()
            .cloned()
            .collect();
        for limiter in limiters {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        let now = Instant::now();
        self.blocked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|_, until| *until > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    #[test]
    fn a_caller_is_refused_past_its_limit_with_a_retry_delay() {
        let limits = RateLimits::new(3);
        for _ in 0..3 {
            assert!(limits.check_ip(ip(1)).is_ok());
        }
        let refused = limits.check_ip(ip(1)).expect_err("over the limit");
        assert!(
            matches!(refused, AppError::RateLimited { retry_after_secs } if (1..=20).contains(&retry_after_secs))
        );
        assert!(
            limits.check_ip(ip(2)).is_ok(),
            "another IP has its own bucket"
        );
    }

    #[test]
    fn clients_have_their_own_limits() {
        let limits = RateLimits::new(1);
        for _ in 0..5 {
            assert!(limits.check(Bucket::Client(7), 5).is_ok());
        }
        assert!(limits.check(Bucket::Client(7), 5).is_err());
        assert!(limits.check(Bucket::Client(8), 5).is_ok());
    }

    #[test]
    fn instances_split_the_limit() {
        let limits = RateLimits::new(10);
        limits.set_instances(2);
        for _ in 0..5 {
            assert!(limits.check_ip(ip(1)).is_ok());
        }
        assert!(limits.check_ip(ip(1)).is_err());
    }

    #[test]
    fn an_ip_sending_refused_keys_is_blocked_without_lookups() {
        let limits = RateLimits::new(2);
        assert!(limits.refused_key(ip(9)).is_ok());
        assert!(limits.refused_key(ip(9)).is_ok());
        assert!(limits.refuse_if_blocked(ip(9)).is_ok(), "not blocked yet");
        assert!(limits.refused_key(ip(9)).is_err());
        assert!(limits.refuse_if_blocked(ip(9)).is_err(), "blocked now");
        assert!(limits.refuse_if_blocked(ip(10)).is_ok());
    }
}
