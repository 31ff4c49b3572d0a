//! The sled database under `data/listings.sled`: listings by id, a sequence number bumped on
//! every change, and organisation tokens (hashes only).

use std::path::Path;

use serde_json::Value;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::dataset;
use crate::error::{Error, Result};
use crate::model::{Collection, Record};

/// Key in the `meta` tree: the last sequence number.
const SEQ: &[u8] = b"seq";
/// Key in the `meta` tree: set once the bundled `listings.jsonl` was loaded.
const SEEDED: &[u8] = b"seeded";
/// Key in the `meta` tree: set while an engine has the store open, removed when it closes.
const RUNNING: &[u8] = b"running";

/// The listings database.
pub struct ListingStore {
    pub(super) db: sled::Db,
    pub(crate) listings: sled::Tree,
    pub(crate) meta: sled::Tree,
    /// Change log: sequence number (big-endian) → listing id.
    changes: sled::Tree,
    pub(super) tokens: sled::Tree,
    pub(super) interests: sled::Tree,
    /// Board pairs: `supply\0demand` → pair JSON.
    pub(crate) pairs: sled::Tree,
    /// Both ids of every pair: `listing\0other` → pair key.
    pub(crate) pair_index: sled::Tree,
    /// Listings whose pairs must be recomputed (written in the listings' transaction).
    pub(crate) board_queue: sled::Tree,
    /// Saved searches by id.
    pub(crate) saved: sled::Tree,
    /// Webhook deliveries: saved-search id, `\0`, big-endian sequence → delivery JSON.
    pub(crate) deliveries: sled::Tree,
    /// sled's files, fsynced after each of its flushes.
    files: SledFiles,
}

/// Key in the `meta` tree: number of listings queued for the board (big-endian u64), kept with
/// every queue change so that the board's `pending` costs one read (sled's `len` walks the whole
/// tree). Written in each listing's transaction, read and counted down by [`crate::board`].
pub const BOARD_PENDING: &[u8] = b"board_pending";

/// sled's log file and directory. `sled::Db::flush` ends with `sync_file_range`, which writes the
/// log's pages but neither the file's size nor the drive's cache, and sled syncs no directory: an
/// acknowledged write could be lost in a power cut (up to its periodic `fsync`, 500 ms later).
/// fsync of another descriptor of the same file makes the inode durable, so the store keeps one.
struct SledFiles {
    log: std::fs::File,
    dir: std::fs::File,
}

impl SledFiles {
    fn open(dir: &Path) -> Result<SledFiles> {
        let open = |p: &Path| std::fs::File::open(p).map_err(|e| Error::io(format!("opening {}", p.display()), e));
        let files = SledFiles { log: open(&dir.join("db"))?, dir: open(dir)? };
        files.sync()?;
        Ok(files)
    }

    fn sync(&self) -> Result<()> {
        self.log.sync_all().map_err(|e| Error::io("syncing the listings database", e))?;
        self.dir.sync_all().map_err(|e| Error::io("syncing the listings database's directory", e))
    }
}

impl std::fmt::Debug for ListingStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ListingStore")
    }
}

/// sled's page cache. Its default, 1 GiB, is more than the rest of the server needs at a million
/// records; listings are read by key, and the index serves searches, so a small cache costs little.
const CACHE_BYTES: u64 = 64 << 20;

impl ListingStore {
    /// Opens (or creates) the database in `dir`.
    pub fn open(dir: &Path) -> Result<ListingStore> {
        crate::durable::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let db = sled::Config::new().path(dir).flush_every_ms(Some(500)).cache_capacity(CACHE_BYTES).open().map_err(
            |e| match e {
                sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => Error::Locked(dir.to_path_buf()),
                sled::Error::Corruption { .. } | sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) => {
                    Error::Internal(format!(
                        "the listings database in {} cannot be opened ({e}): move it aside and run \
                         `gba-search restore --from BACKUP_DIR` (a directory written by `export`)",
                        dir.display()
                    ))
                }
                other => Error::Store(other),
            },
        )?;
        Ok(ListingStore {
            listings: db.open_tree("listings")?,
            meta: db.open_tree("meta")?,
            changes: db.open_tree("changes")?,
            tokens: db.open_tree("tokens")?,
            interests: db.open_tree("interests")?,
            pairs: db.open_tree("pairs")?,
            pair_index: db.open_tree("pair_index")?,
            board_queue: db.open_tree("board_queue")?,
            saved: db.open_tree("saved")?,
            deliveries: db.open_tree("deliveries")?,
            files: SledFiles::open(dir)?,
            db,
        })
    }

    /// Loads `jsonl` once, the first time the database is opened; returns the lines skipped.
    pub fn seed_once(&self, jsonl: &Path) -> Result<Vec<dataset::LineError>> {
        if self.meta.get(SEEDED)?.is_some() {
            return Ok(Vec::new());
        }
        let parsed = dataset::read_file(Collection::Listings, jsonl)?;
        self.upsert(&parsed.records)?;
        self.meta.insert(SEEDED, b"1".as_slice())?;
        self.flush()?;
        Ok(parsed.errors)
    }

    /// Stores listings (replacing by id) in one transaction: each gets the next sequence number
    /// and a change-log entry. Durable (flushed) on return; returns the last sequence number.
    pub fn upsert(&self, records: &[Record]) -> Result<u64> {
        let bodies: Vec<(String, Vec<u8>)> = records
            .iter()
            .map(|r| Ok((r.id.clone(), serde_json::to_vec(&Value::Object(r.body.clone()))?)))
            .collect::<Result<_>>()?;
        let seq = (&self.listings, &self.meta, &self.changes, &self.board_queue)
            .transaction(|(listings, meta, changes, board_queue)| {
                let mut seq =
                    meta.get(SEQ)?.and_then(|b| b.as_ref().try_into().ok()).map(u64::from_be_bytes).unwrap_or(0);
                let mut queued = read_u64(meta.get(BOARD_PENDING)?);
                for (id, body) in &bodies {
                    seq += 1;
                    listings.insert(id.as_bytes(), body.as_slice())?;
                    changes.insert(&seq.to_be_bytes(), id.as_bytes())?;
                    if board_queue.insert(id.as_bytes(), b"".as_slice())?.is_none() {
                        queued += 1;
                    }
                }
                meta.insert(SEQ, &seq.to_be_bytes())?;
                meta.insert(BOARD_PENDING, &queued.to_be_bytes())?;
                Ok::<u64, ConflictableTransactionError<()>>(seq)
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => Error::Store(e),
                TransactionError::Abort(()) => Error::Internal("listing transaction aborted".into()),
            })?;
        self.flush()?;
        Ok(seq)
    }

    /// Ids changed after sequence number `seq` (each once), with the last sequence number seen.
    pub fn changes_since(&self, seq: u64) -> Result<(Vec<String>, u64)> {
        let mut ids: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut last = seq;
        for item in self.changes.range((seq + 1).to_be_bytes()..) {
            let (k, v) = item?;
            last = k.as_ref().try_into().ok().map(u64::from_be_bytes).unwrap_or(last);
            let id = String::from_utf8_lossy(&v).into_owned();
            if seen.insert(id.clone()) {
                ids.push(id);
            }
        }
        Ok((ids, last))
    }

    /// Forgets change-log entries up to `seq` (already applied to the index).
    pub fn trim_changes(&self, seq: u64) -> Result<()> {
        let keys: Vec<sled::IVec> =
            self.changes.range(..=seq.to_be_bytes()).keys().collect::<std::result::Result<_, _>>()?;
        for k in keys {
            self.changes.remove(k)?;
        }
        Ok(())
    }

    /// The current sequence number (0 for a new database).
    pub fn seq(&self) -> Result<u64> {
        Ok(self.meta.get(SEQ)?.and_then(|b| b.as_ref().try_into().ok()).map(u64::from_be_bytes).unwrap_or(0))
    }

    /// One listing.
    pub fn get(&self, id: &str) -> Result<Option<Record>> {
        match self.listings.get(id.as_bytes())? {
            Some(bytes) => Ok(Some(decode(&bytes)?)),
            None => Ok(None),
        }
    }

    /// Every listing, in id order.
    pub fn all(&self) -> Result<Vec<Record>> {
        self.listings.iter().values().map(|v| decode(&v?)).collect()
    }

    /// Hands every listing to `each` in chunks of at most `size`, in id order.
    pub fn for_each_chunk(&self, size: usize, mut each: impl FnMut(Vec<Record>) -> Result<()>) -> Result<()> {
        let mut chunk = Vec::with_capacity(size.min(4096));
        for v in self.listings.iter().values() {
            chunk.push(decode(&v?)?);
            if chunk.len() >= size {
                each(std::mem::take(&mut chunk))?;
            }
        }
        if !chunk.is_empty() {
            each(chunk)?;
        }
        Ok(())
    }

    /// Number of listings.
    pub fn len(&self) -> usize {
        self.listings.len()
    }

    /// True when there are no listings.
    pub fn is_empty(&self) -> bool {
        self.listings.is_empty()
    }

    /// A fresh monotonic id (sled's id generator).
    pub(crate) fn next_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()?)
    }

    /// Marks the store as in use (durably); returns true when it already was: the last engine on
    /// it stopped without closing (a crash, a kill, a power cut).
    pub fn mark_running(&self) -> Result<bool> {
        let was = self.meta.insert(RUNNING, b"1".as_slice())?.is_some();
        self.flush()?;
        Ok(was)
    }

    /// Marks the store as closed cleanly (durably).
    pub fn mark_closed(&self) -> Result<()> {
        self.meta.remove(RUNNING)?;
        self.flush()
    }

    /// Writes everything to disk: sled's flush, then fsync of its log and directory.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        self.files.sync()
    }
}

fn decode(bytes: &[u8]) -> Result<Record> {
    let value: Value = serde_json::from_slice(bytes)?;
    dataset::record_from_value(Collection::Listings, value).map_err(Error::Internal)
}

/// A big-endian `u64` stored in sled (0 when absent or malformed).
pub fn read_u64(v: Option<sled::IVec>) -> u64 {
    v.and_then(|b| b.as_ref().try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}
