//! Recent answers (searches, suggestions), each kept while it is exact: on the index generation
//! it was computed on, until the next listing expiry, and for five minutes at most. The same
//! popular query (深圳, 机器人, a city page) or prefix asked again is answered from memory.
//!
//! A commit (a listing written, an import) opens a new generation, so a cached answer never hides
//! a change; the only other thing that changes an answer is time closing an expired listing,
//! and the answer is dropped at the first expiry after it was computed.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;

use crate::model;

/// How long an answer is reused at most, even when nothing changed.
const TTL: Duration = Duration::from_secs(300);

/// Default number of answers kept.
pub const DEFAULT_ANSWERS: usize = 1024;

struct Entry<V> {
    generation: u64,
    at: Instant,
    /// Unix seconds from which the answer may be out of date (the next listing expiry).
    until: i64,
    answer: Arc<V>,
}

/// A least-recently-used cache of answers by request.
pub struct AnswerCache<V> {
    entries: Mutex<Option<LruCache<String, Entry<V>>>>,
    ttl: Duration,
}

impl<V> std::fmt::Debug for AnswerCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.lock().as_ref().map_or(0, LruCache::len);
        f.debug_struct("AnswerCache").field("answers", &len).finish()
    }
}

impl<V> Default for AnswerCache<V> {
    fn default() -> Self {
        AnswerCache::new(DEFAULT_ANSWERS)
    }
}

impl<V> AnswerCache<V> {
    /// A cache of `capacity` answers (0 turns caching off).
    pub fn new(capacity: usize) -> AnswerCache<V> {
        AnswerCache { entries: Mutex::new(NonZeroUsize::new(capacity).map(LruCache::new)), ttl: TTL }
    }

    /// Changes the capacity (0 turns caching off and forgets every answer).
    pub fn set_capacity(&self, capacity: usize) {
        let mut guard = self.lock();
        match (NonZeroUsize::new(capacity), guard.as_mut()) {
            (None, _) => *guard = None,
            (Some(cap), Some(cache)) => cache.resize(cap),
            (Some(cap), None) => *guard = Some(LruCache::new(cap)),
        }
    }

    /// The answer to `key` computed on `generation`, before its expiry time and less than
    /// [`TTL`] ago.
    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<V>> {
        let now = model::now_ts();
        let mut guard = self.lock();
        let cache = guard.as_mut()?;
        match cache.get(key) {
            Some(e) if e.generation == generation && now < e.until && e.at.elapsed() < self.ttl => {
                Some(e.answer.clone())
            }
            Some(_) => {
                cache.pop(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `answer` to `key`, computed on `generation` and exact until the Unix second `until`.
    pub fn put(&self, key: String, generation: u64, until: i64, answer: Arc<V>) {
        if let Some(cache) = self.lock().as_mut() {
            cache.put(key, Entry { generation, at: Instant::now(), until, answer });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<LruCache<String, Entry<V>>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// An answer: the number of matches stands for the whole.
    fn answer(total: usize) -> Arc<usize> {
        Arc::new(total)
    }

    #[test]
    fn an_answer_is_reused_only_on_its_generation() {
        let cache: AnswerCache<usize> = AnswerCache::new(4);
        cache.put("q=机器人".into(), 7, i64::MAX, answer(3));
        assert_eq!(cache.get("q=机器人", 7).map(|a| *a), Some(3));
        assert!(cache.get("q=机器人", 8).is_none(), "a commit must invalidate the answer");
        assert!(cache.get("q=机器人", 7).is_none(), "a stale answer is dropped");
        assert!(cache.get("q=深圳", 7).is_none());
    }

    #[test]
    fn an_answer_expires() {
        let cache = AnswerCache { ttl: Duration::ZERO, ..AnswerCache::new(4) };
        cache.put("q".into(), 1, i64::MAX, answer(1));
        assert!(cache.get("q", 1).is_none());
        let cache = AnswerCache::new(4);
        cache.put("q".into(), 1, model::now_ts(), answer(1));
        assert!(cache.get("q", 1).is_none(), "a listing in it has expired since");
        cache.put("q".into(), 1, model::now_ts() + 60, answer(1));
        assert!(cache.get("q", 1).is_some());
    }

    #[test]
    fn capacity_bounds_the_cache_and_zero_turns_it_off() {
        let cache: AnswerCache<usize> = AnswerCache::new(2);
        for (i, q) in ["a", "b", "c"].into_iter().enumerate() {
            cache.put(q.into(), 1, i64::MAX, answer(i));
        }
        assert!(cache.get("a", 1).is_none(), "the least recently used answer goes first");
        assert_eq!(cache.get("c", 1).map(|a| *a), Some(2));
        cache.set_capacity(0);
        cache.put("d".into(), 1, i64::MAX, answer(4));
        assert!(cache.get("c", 1).is_none() && cache.get("d", 1).is_none());
        cache.set_capacity(8);
        cache.put("d".into(), 1, i64::MAX, answer(4));
        assert_eq!(cache.get("d", 1).map(|a| *a), Some(4));
    }
}
