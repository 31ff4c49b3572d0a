//! The matchmaking board's storage: supply ↔ demand pairs kept in sled beside the listings, and
//! the queue of listings whose pairs must be recomputed. The pairs are derived data (they can
//! always be recomputed from the listings), so they are not written in the listings' transaction;
//! the queue entry is, so a crash never loses a recomputation.

use serde::{Deserialize, Serialize};

use crate::listings::{BOARD_PENDING, ListingStore, read_u64};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::error::{Error, Result};

/// Key in the `meta` tree: set once every listing was queued for the board.
const BOARD_SEEDED: &[u8] = b"board_seeded";

/// One supply ↔ demand pair.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Pair {
    /// The supply listing.
    pub supply: String,
    /// The demand listing.
    pub demand: String,
    /// Match score in [0, 1].
    pub score: f32,
    /// When the pair first appeared (RFC 3339); kept while the pair lasts.
    pub first_seen: String,
    /// When it was last recomputed.
    pub updated_at: String,
}

fn pair_key(supply: &str, demand: &str) -> Vec<u8> {
    [supply.as_bytes(), b"\0", demand.as_bytes()].concat()
}

impl ListingStore {
    /// Queues every listing for the board, the first time only (a database from before the board).
    pub fn queue_all_for_board_once(&self) -> Result<()> {
        if self.meta.get(BOARD_SEEDED)?.is_none() {
            for id in self.listings.iter().keys() {
                self.board_queue.insert(id?, b"".as_slice())?;
            }
            self.meta.insert(BOARD_SEEDED, b"1".as_slice())?;
        }
        if self.meta.get(BOARD_PENDING)?.is_none() {
            // A database from before the counter: counted once.
            self.meta.insert(BOARD_PENDING, &(self.board_queue.len() as u64).to_be_bytes())?;
        }
        Ok(())
    }

    /// Up to `limit` listings waiting for their pairs to be recomputed, in id order.
    pub fn board_queue(&self, limit: usize) -> Result<Vec<String>> {
        self.board_queue.iter().keys().take(limit).map(|k| Ok(String::from_utf8_lossy(&k?).into_owned())).collect()
    }

    /// Whether listing `id` waits for its pairs to be recomputed.
    pub fn board_queued(&self, id: &str) -> Result<bool> {
        Ok(self.board_queue.contains_key(id.as_bytes())?)
    }

    /// Number of listings in the queue.
    pub fn board_queue_len(&self) -> Result<u64> {
        Ok(read_u64(self.meta.get(BOARD_PENDING)?))
    }

    /// Removes `id` from the queue.
    pub fn board_dequeue(&self, id: &str) -> Result<()> {
        (&self.board_queue, &self.meta)
            .transaction(|(queue, meta)| {
                if queue.remove(id.as_bytes())?.is_some() {
                    let n = read_u64(meta.get(BOARD_PENDING)?).saturating_sub(1);
                    meta.insert(BOARD_PENDING, &n.to_be_bytes())?;
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => Error::Store(e),
                TransactionError::Abort(()) => Error::Internal("board queue transaction aborted".into()),
            })
    }

    /// Replaces every pair that involves listing `id` with `pairs` (each of which involves it),
    /// keeping `first_seen` of pairs that already existed.
    pub fn replace_pairs(&self, id: &str, pairs: Vec<Pair>) -> Result<()> {
        let mut previous = std::collections::HashMap::new();
        let prefix = [id.as_bytes(), b"\0"].concat();
        for item in self.pair_index.scan_prefix(&prefix) {
            let (k, key) = item?;
            if let Some(bytes) = self.pairs.remove(&key)? {
                let old: Pair = serde_json::from_slice(&bytes)?;
                previous.insert(key.to_vec(), old.first_seen);
                let other = if old.supply == id { &old.demand } else { &old.supply };
                self.pair_index.remove([other.as_bytes(), b"\0", id.as_bytes()].concat())?;
            }
            self.pair_index.remove(k)?;
        }
        for mut pair in pairs {
            let key = pair_key(&pair.supply, &pair.demand);
            if let Some(first) = previous.remove(&key) {
                pair.first_seen = first;
            }
            self.pairs.insert(&key, serde_json::to_vec(&pair)?)?;
            for (a, b) in [(&pair.supply, &pair.demand), (&pair.demand, &pair.supply)] {
                self.pair_index.insert([a.as_bytes(), b"\0", b.as_bytes()].concat(), key.as_slice())?;
            }
        }
        Ok(())
    }

    /// Every pair.
    pub fn pairs(&self) -> Result<Vec<Pair>> {
        self.pairs.iter().values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }

    /// The pairs that involve listing `id`.
    pub fn pairs_of(&self, id: &str) -> Result<Vec<Pair>> {
        let prefix = [id.as_bytes(), b"\0"].concat();
        let mut out = Vec::new();
        for item in self.pair_index.scan_prefix(&prefix) {
            let (_, key) = item?;
            if let Some(bytes) = self.pairs.get(&key)? {
                out.push(serde_json::from_slice(&bytes)?);
            }
        }
        Ok(out)
    }
}
