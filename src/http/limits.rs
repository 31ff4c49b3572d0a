//! Rate limits: writes per organisation, and failed token checks per client address (429 with
//! `Retry-After`). GCRA limiters from the `governor` crate; a client that used up its failed
//! checks is refused before its token is even looked at, so guessing tokens stays slow.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::{ApiError, ErrorCode};

/// Keys kept before stale ones are dropped.
const MAX_KEYS: usize = 10_000;

/// The limits of one server.
#[derive(Debug)]
pub struct Limits {
    writes: Option<Keyed<String>>,
    failures: Option<Keyed<IpAddr>>,
    blocked: Mutex<HashMap<IpAddr, Instant>>,
}

#[derive(Debug)]
struct Keyed<K: std::hash::Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    per_minute: u32,
}

impl<K: std::hash::Hash + Eq + Clone> Keyed<K> {
    fn new(per_minute: u32) -> Option<Keyed<K>> {
        let n = NonZeroU32::new(per_minute)?;
        Some(Keyed { limiter: RateLimiter::keyed(Quota::per_minute(n)), per_minute })
    }

    /// `Err(wait)` when `key` has used its allowance.
    fn check(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() > MAX_KEYS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

impl Limits {
    /// Limits of `writes_per_minute` writes per organisation and `failures_per_minute` failed
    /// token checks per client address; 0 turns a limit off.
    pub fn new(writes_per_minute: u32, failures_per_minute: u32) -> Limits {
        Limits {
            writes: Keyed::new(writes_per_minute),
            failures: Keyed::new(failures_per_minute),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// 429 when `client` is still blocked for failed token checks.
    pub fn before_token_check(&self, client: Option<IpAddr>) -> Result<(), ApiError> {
        let Some(ip) = client else { return Ok(()) };
        let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
        match blocked.get(&ip) {
            Some(until) if *until > Instant::now() => {
                Err(too_many(*until - Instant::now(), "too many failed token checks from this address"))
            }
            Some(_) => {
                blocked.remove(&ip);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a failed token check of `client`; once its allowance is used, blocks it and
    /// returns the 429 to answer instead of the 401.
    pub fn token_failed(&self, client: Option<IpAddr>) -> Option<ApiError> {
        let (Some(ip), Some(limit)) = (client, &self.failures) else { return None };
        match limit.check(&ip) {
            Ok(()) => None,
            Err(wait) => {
                let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
                if blocked.len() > MAX_KEYS {
                    let now = Instant::now();
                    blocked.retain(|_, until| *until > now);
                }
                let wait = wait.max(Duration::from_secs(1));
                blocked.insert(ip, Instant::now() + wait);
                Some(too_many(wait, "too many failed token checks from this address"))
            }
        }
    }

    /// 429 when `owner` has used its writes for now.
    pub fn write(&self, owner: &str) -> Result<(), ApiError> {
        let Some(limit) = &self.writes else { return Ok(()) };
        limit.check(&owner.to_string()).map_err(|wait| {
            too_many(wait, &format!("more than {} writes a minute for this organisation", limit.per_minute))
        })
    }
}

fn too_many(wait: Duration, what: &str) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError::new(ErrorCode::RateLimited, format!("{what} - Hint: retry in {secs} s")).with_retry_after(secs.max(1))
}
