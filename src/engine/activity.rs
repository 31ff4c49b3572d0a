//! Requests being served, so that background work (the board's backlog after a bulk import)
//! waits for a quiet moment instead of taking the cores from a search.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// How long after the last request the service still counts as busy (a client sending one
/// request after another leaves gaps of well under this).
const QUIET_MS: u64 = 50;

/// Counts requests in flight and remembers when the last one ended.
#[derive(Debug)]
pub struct Activity {
    in_flight: AtomicUsize,
    /// Milliseconds from `epoch` to the end of the last request.
    last_end_ms: AtomicU64,
    epoch: Instant,
}

impl Default for Activity {
    fn default() -> Self {
        Activity { in_flight: AtomicUsize::new(0), last_end_ms: AtomicU64::new(0), epoch: Instant::now() }
    }
}

impl Activity {
    /// Marks a request as begun; it ends when the guard is dropped.
    pub fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Busy(self.clone())
    }

    /// True while a request is in flight or one ended within the last [`QUIET_MS`].
    pub fn busy(&self) -> bool {
        let last = self.last_end_ms.load(Ordering::Relaxed);
        self.in_flight.load(Ordering::Relaxed) > 0 || (last > 0 && self.millis().saturating_sub(last) < QUIET_MS)
    }

    fn millis(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}

/// A request in flight (see [`Activity::begin`]).
#[derive(Debug)]
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.last_end_ms.store(self.0.millis().max(1), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_while_a_request_runs_and_shortly_after() {
        let a = Arc::new(Activity::default());
        assert!(!a.busy(), "nothing served yet");
        let guard = a.begin();
        assert!(a.busy());
        drop(guard);
        assert!(a.busy(), "just ended");
        std::thread::sleep(std::time::Duration::from_millis(QUIET_MS + 20));
        assert!(!a.busy());
    }
}
