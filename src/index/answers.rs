//! Recent answers (searches, suggestions), each kept for the index generation it was computed on
//! and a few seconds: the same popular query (深圳, 机器人, a city page) or prefix asked again is
//! answered from memory.
//!
//! A commit (a listing written, an import) opens a new generation, so a cached answer never hides
//! a change; the time limit bounds how long a listing that has just expired can still be listed.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;

/// How long an answer is reused at most.
const TTL: Duration = Duration::from_secs(10);

/// Default number of answers kept.
pub const DEFAULT_ANSWERS: usize = 1024;

struct Entry<V> {
    generation: u64,
    at: Instant,
    answer: Arc<V>,
}

/// A least-recently-used cache of answers by request.
pub struct AnswerCache<V> {
    entries: Mutex<Option<LruCache<String, Entry<V>>>>,
    ttl: Duration,
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

    /// The answer to `key` computed on `generation` less than [`TTL`] ago.
    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<V>> {
        let mut guard = self.lock();
        let cache = guard.as_mut()?;
        match cache.get(key) {
            Some(e) if e.generation == generation && e.at.elapsed() < self.ttl => Some(e.answer.clone()),
            Some(_) => {
                cache.pop(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `answer` to `key`, computed on `generation`.
    pub fn put(&self, key: String, generation: u64, answer: Arc<V>) {
        if let Some(cache) = self.lock().as_mut() {
            cache.put(key, Entry { generation, at: Instant::now(), answer });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<LruCache<String, Entry<V>>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Lang;
    use crate::index::SearchResponse;

    fn answer(total: usize) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            total,
            took_ms: 1.0,
            page: 1,
            per_page: 10,
            lang: Lang::Hans,
            hits: Vec::new(),
            facets: Default::default(),
            facet_labels: Default::default(),
        })
    }

    #[test]
    fn an_answer_is_reused_only_on_its_generation() {
        let cache: AnswerCache<SearchResponse> = AnswerCache::new(4);
        cache.put("q=机器人".into(), 7, answer(3));
        assert_eq!(cache.get("q=机器人", 7).map(|a| a.total), Some(3));
        assert!(cache.get("q=机器人", 8).is_none(), "a commit must invalidate the answer");
        assert!(cache.get("q=机器人", 7).is_none(), "a stale answer is dropped");
        assert!(cache.get("q=深圳", 7).is_none());
    }

    #[test]
    fn an_answer_expires() {
        let cache = AnswerCache { ttl: Duration::ZERO, ..AnswerCache::new(4) };
        cache.put("q".into(), 1, answer(1));
        assert!(cache.get("q", 1).is_none());
    }

    #[test]
    fn capacity_bounds_the_cache_and_zero_turns_it_off() {
        let cache: AnswerCache<SearchResponse> = AnswerCache::new(2);
        for (i, q) in ["a", "b", "c"].into_iter().enumerate() {
            cache.put(q.into(), 1, answer(i));
        }
        assert!(cache.get("a", 1).is_none(), "the least recently used answer goes first");
        assert_eq!(cache.get("c", 1).map(|a| a.total), Some(2));
        cache.set_capacity(0);
        cache.put("d".into(), 1, answer(4));
        assert!(cache.get("c", 1).is_none() && cache.get("d", 1).is_none());
        cache.set_capacity(8);
        cache.put("d".into(), 1, answer(4));
        assert_eq!(cache.get("d", 1).map(|a| a.total), Some(4));
    }
}
