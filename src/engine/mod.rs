//! The engine: one data directory (the truth) and one index directory (derived), opened under
//! an exclusive lock. Builds the analysis pipeline from the data, rebuilds a stale index, and
//! carries out imports.

mod activity;
pub use activity::Busy;
mod backup;
mod listings;
mod startup;
mod writer;

pub use backup::{export, restore};

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use sha2::{Digest, Sha256};

use crate::analysis::{Analyzer, Derived, RawVocab, TableSummary};
use crate::dataset::{self, LineError};
use crate::error::{Error, Result};
use crate::index::{self, CommitPayload, EntityNames, SCHEMA_VERSION, SearchIndex};
use crate::listings::ListingStore;
use crate::model::{Collection, Record};
use startup::StartupCache;

/// Where the engine keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `data/`: bundled JSONL files, vocabulary, the listings database.
    pub data_dir: PathBuf,
    /// `index/`: the tantivy index.
    pub index_dir: PathBuf,
}

impl Paths {
    /// The JSONL file of a collection.
    pub fn jsonl(&self, c: Collection) -> PathBuf {
        self.data_dir.join(c.file_name())
    }
    fn vocab_dir(&self) -> PathBuf {
        self.data_dir.join("vocab")
    }
    fn sled_dir(&self) -> PathBuf {
        self.data_dir.join("listings.sled")
    }
}

/// When to rebuild the index on open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    /// Only when missing, unreadable, of another schema version, or built from other data.
    IfStale,
    /// Always (the `reindex` command).
    Always,
}

/// Result of an import.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Records added or replaced.
    pub imported: usize,
    /// Lines skipped, with reasons.
    pub skipped: Vec<LineError>,
}

/// An exclusive lock on the data directory, held for the engine's lifetime.
#[derive(Debug)]
struct DataLock {
    _file: File,
}

impl DataLock {
    fn acquire(data_dir: &Path) -> Result<DataLock> {
        crate::durable::create_dir_all(data_dir)
            .map_err(|e| Error::io(format!("creating {}", data_dir.display()), e))?;
        let path = data_dir.join(".lock");
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| {
            let why = format!(
                "opening {} (gba-search writes in its data directory: the listings database lives there)",
                path.display()
            );
            Error::io(why, e)
        })?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked(data_dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(format!("locking {}", path.display()), e)),
        }
    }
}

/// The open engine.
pub struct Engine {
    paths: Paths,
    pub(crate) analyzer: Arc<Analyzer>,
    /// How each vocabulary table in force was made (built in, the data directory's overlay).
    vocab_tables: Vec<TableSummary>,
    /// Match profiles of records on the current index generation.
    profiles: crate::matching::ProfileCache,
    pub(crate) index: SearchIndex,
    pub(crate) store: ListingStore,
    /// Entities by id (names and cities), for indexing affiliations and owners.
    entities: RwLock<EntityNames>,
    /// Serialises applying listing changes to the index.
    apply: Mutex<()>,
    /// Serialises listing changes (read, check, write), so a withdrawal is never undone by a
    /// concurrent edit.
    pub(crate) listing_writes: Mutex<()>,
    /// The background index writer, when started.
    writer: Mutex<Option<writer::WriterHandle>>,
    /// Listings the last index commit applied, whose pairs the board recomputes first.
    pub(crate) board_fresh: Mutex<Vec<String>>,
    /// Requests being served (the board's backlog waits for a quiet moment).
    pub(crate) activity: Arc<activity::Activity>,
    /// Woken when listings, the board or webhooks change (the webhook deliverer waits on it).
    pub(crate) webhooks_due: tokio::sync::Notify,
    _lock: DataLock,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("paths", &self.paths).finish()
    }
}

/// Listings stored or indexed at a time by imports and catch-up.
const APPLY_CHUNK: usize = 2000;
/// Up to this many listings applied in one commit are recomputed on the board first; a larger
/// batch (a bulk import) joins the backlog, worked off a slice at a time.
const FRESH_LIMIT: usize = 1000;

/// Wall-clock time of each start-up phase, logged once so that a slow start says where it went.
struct Phases {
    first: std::time::Instant,
    last: std::time::Instant,
    done: Vec<(&'static str, std::time::Duration)>,
}

impl Phases {
    fn start() -> Phases {
        let now = std::time::Instant::now();
        Phases { first: now, last: now, done: Vec::new() }
    }

    fn record(&mut self, name: &'static str, took: std::time::Duration) {
        self.done.push((name, took));
        self.last = std::time::Instant::now();
    }

    /// Adds the phases of `other`, which ran in parallel with the last one recorded.
    fn merge(&mut self, other: Phases) {
        self.done.extend(other.done);
        self.last = std::time::Instant::now();
    }

    fn mark(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.done.iter().map(|(n, d)| format!("{n} {} ms", d.as_millis())).collect();
        write!(f, "{} — in all {} ms", parts.join(", "), self.first.elapsed().as_millis())
    }
}

/// Names, aliases and alias sets of the entities, for the segmenter and query expansion.
fn dictionary(entities: &[Record]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut names = Vec::new();
    let mut sets = Vec::new();
    for r in entities {
        let all: Vec<String> = index::names(r).into_iter().map(String::from).collect();
        names.extend(all.iter().cloned());
        let aliases = r.strs("aliases");
        if !aliases.is_empty() {
            sets.push(all);
        }
    }
    (names, sets)
}

impl Engine {
    /// Opens the data and index directories, rebuilding the index when needed.
    pub fn open(paths: Paths, rebuild: Rebuild, progress: bool) -> Result<Engine> {
        let mut phases = Phases::start();
        let lock = DataLock::acquire(&paths.data_dir)?;
        let inputs = StartInputs::read(&paths, rebuild);
        phases.mark("vocabulary and cache read");
        let tables = inputs.raw.tables.clone();
        let Opened { started, store } = derive_and_open_store(&paths, inputs, &mut phases)?;
        let Started { analyzer, entities, fingerprint, to_cache } = started;
        let index = open_or_build_index(&paths, rebuild, &analyzer, &entities, &store, fingerprint, progress)?;
        save_startup_cache(to_cache, &paths.index_dir);
        phases.mark("index");
        let engine = Engine {
            paths,
            analyzer,
            vocab_tables: tables,
            profiles: Default::default(),
            index,
            store,
            entities: RwLock::new(entities),
            apply: Mutex::new(()),
            listing_writes: Mutex::new(()),
            writer: Mutex::new(None),
            board_fresh: Mutex::new(Vec::new()),
            activity: Arc::default(),
            webhooks_due: tokio::sync::Notify::new(),
            _lock: lock,
        };
        engine.catch_up(&mut phases)?;
        tracing::info!(phases = %phases, "data directory opened");
        Ok(engine)
    }

    /// Brings the index level with the listings store at start-up: the changes it has not
    /// committed are applied again and, after a run that stopped without closing, every listing
    /// is checked against it ([`Engine::reconcile_listings`]).
    fn catch_up(&self, phases: &mut Phases) -> Result<()> {
        let applied = self.apply_listing_changes()?;
        if applied > 0 {
            tracing::info!(listings = applied, "re-applied listing changes the index had not committed");
        }
        phases.mark("catch-up");
        if self.store.mark_running()? {
            let fixed = self.reconcile_listings()?;
            tracing::info!(
                listings = fixed,
                "the last run stopped without closing; listings checked against the index"
            );
            phases.mark("listings checked (unclean stop)");
        }
        Ok(())
    }

    /// Applies every listing change the index has not committed yet (by sequence number), in one
    /// commit. Returns the number of listings applied.
    pub fn apply_listing_changes(&self) -> Result<usize> {
        let _guard = self.apply.lock().map_err(|_| Error::Internal("apply lock poisoned".into()))?;
        // Only what is on disk may reach the index: the index must never get ahead of sled.
        self.store.flush()?;
        let mut payload = self.index.payload();
        let seq = self.store.seq()?;
        if payload.listings_seq > seq {
            // The store is older than the index (restored from a backup, or re-seeded): the
            // change log cannot say what differs, so every listing is indexed again.
            tracing::warn!(
                index = payload.listings_seq,
                store = seq,
                "listings store behind the index; re-indexing all listings"
            );
            self.index.delete_collection(Collection::Listings)?;
            let all = self.store.all()?;
            {
                let entities = self.entities.read().map_err(|_| Error::Internal("entity map poisoned".into()))?;
                self.index.upsert(&all, &entities)?;
            }
            payload.listings_seq = seq;
            self.index.commit(&payload)?;
            return Ok(all.len());
        }
        let (ids, last) = self.store.changes_since(payload.listings_seq)?;
        if ids.is_empty() {
            return Ok(0);
        }
        {
            let entities = self.entities.read().map_err(|_| Error::Internal("entity map poisoned".into()))?;
            // In chunks, so that a bulk import of any size needs no more memory than one chunk.
            for chunk in ids.chunks(APPLY_CHUNK) {
                let mut records = Vec::with_capacity(chunk.len());
                for id in chunk {
                    match self.store.get(id)? {
                        Some(r) => records.push(r),
                        None => self.index.delete(Collection::Listings, id)?,
                    }
                }
                self.index.upsert(&records, &entities)?;
            }
        }
        payload.listings_seq = last;
        self.index.commit(&payload)?;
        self.store.trim_changes(last)?;
        self.pair_first(&ids);
        Ok(ids.len())
    }

    /// Has the board pair `ids` in its next pass, before its backlog, unless they are a bulk
    /// import (more than [`FRESH_LIMIT`]), which the backlog takes in turn.
    fn pair_first(&self, ids: &[String]) {
        if ids.len() <= FRESH_LIMIT
            && let Ok(mut fresh) = self.board_fresh.lock()
        {
            fresh.extend(ids.iter().cloned());
        }
    }

    /// One entity's names and city.
    pub fn entity(&self, id: &str) -> Option<index::EntityInfo> {
        self.entities.read().ok().and_then(|e| e.get(id).cloned())
    }

    /// Marks a request as being served until the returned guard is dropped.
    pub fn begin_request(&self) -> Busy {
        self.activity.begin()
    }

    /// The index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The analysis pipeline.
    pub fn analyzer(&self) -> &Arc<Analyzer> {
        &self.analyzer
    }

    /// What matching reads, from this engine.
    pub fn matcher(&self) -> crate::matching::Matcher<'_> {
        crate::matching::Matcher {
            index: &self.index,
            analyzer: &self.analyzer,
            profiles: &self.profiles,
            organisations: self,
        }
    }

    /// The vocabulary tables in force, and how each was made.
    pub fn vocab_tables(&self) -> &[TableSummary] {
        &self.vocab_tables
    }

    /// The listings store.
    pub fn store(&self) -> &ListingStore {
        &self.store
    }

    /// The paths in use.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Imports a JSONL file into `collection`: valid records are upserted by id into `data/`
    /// (or the listings store) and the index; malformed lines are reported and skipped.
    pub fn import(&self, collection: Collection, file: &Path) -> Result<ImportReport> {
        let f = File::open(file).map_err(|e| Error::io(format!("opening {}", file.display()), e))?;
        let reader = std::io::BufReader::new(f);
        if collection == Collection::Listings {
            return self.import_listings(reader);
        }
        let parsed = dataset::parse_jsonl(collection, reader)?;
        let report = ImportReport { imported: parsed.records.len(), skipped: parsed.errors };
        if parsed.records.is_empty() {
            return Ok(report);
        }
        let path = self.paths.jsonl(collection);
        let existing = dataset::read_file(collection, &path)?.records;
        let merged = dataset::upsert(existing, parsed.records.clone());
        dataset::write_file(&path, &merged)?;
        if collection == Collection::Entities
            && let Ok(mut e) = self.entities.write()
        {
            *e = index::entity_names(&merged);
        }
        let mut payload = self.index.payload();
        payload.fingerprint = fingerprint(&source_files(&self.paths));
        {
            let entities = self.entities.read().map_err(|_| Error::Internal("entity map poisoned".into()))?;
            self.index.upsert(&parsed.records, &entities)?;
        }
        self.index.commit(&payload)?;
        Ok(report)
    }

    /// Imports listings a chunk at a time: each chunk is stored (one sled transaction, flushed,
    /// so the index never gets ahead of sled) and then indexed from the same records, while
    /// tantivy's threads are still indexing the chunk before; one commit at the end. Memory stays
    /// flat whatever the file's size, and the file is parsed once (not again from the store).
    fn import_listings(&self, reader: impl std::io::BufRead) -> Result<ImportReport> {
        // Changes made before, first: the index's sequence then moves past this import's.
        self.apply_listing_changes()?;
        let _guard = self.apply.lock().map_err(|_| Error::Internal("apply lock poisoned".into()))?;
        let before = self.store.seq()?;
        let mut imported = 0;
        let mut ids: Vec<String> = Vec::new();
        let skipped = {
            let entities = self.entities.read().map_err(|_| Error::Internal("entity map poisoned".into()))?;
            dataset::parse_jsonl_chunks(Collection::Listings, reader, APPLY_CHUNK, |chunk| {
                imported += chunk.len();
                self.store.upsert(&chunk)?;
                if ids.len() <= FRESH_LIMIT {
                    ids.extend(chunk.iter().map(|r| r.id.clone()));
                }
                self.index.upsert(&chunk, &entities)
            })?
        };
        let last = self.store.seq()?;
        let mut payload = self.index.payload();
        // Only when every change since `before` is this import's (a listing written through the
        // API meanwhile is applied by the writer from the change log, after this commit).
        if last == before + imported as u64 {
            payload.listings_seq = last;
        }
        self.index.commit(&payload)?;
        if payload.listings_seq == last {
            self.store.trim_changes(last)?;
        }
        self.pair_first(&ids);
        Ok(ImportReport { imported, skipped })
    }

    /// Stops the background writer (applying what is pending), flushes the store and releases
    /// the index writer.
    pub fn close(&self) -> Result<()> {
        self.stop_writer();
        self.apply_listing_changes()?;
        self.store.flush()?;
        self.index.close_writer()?;
        self.store.mark_closed()
    }

    /// After a run that stopped without closing, the change log alone is not trusted: each
    /// listing the store holds is compared with the index's copy and indexed again where they
    /// differ or the index has none; when the index then still counts other listings than the
    /// store, they are all indexed again. Returns the number indexed again.
    fn reconcile_listings(&self) -> Result<usize> {
        let _guard = self.apply.lock().map_err(|_| Error::Internal("apply lock poisoned".into()))?;
        let entities = self.entities.read().map_err(|_| Error::Internal("entity map poisoned".into()))?;
        // A chunk at a time, so that a million listings need no more memory than one chunk.
        let (mut stored, mut fixed) = (0usize, 0usize);
        self.store.for_each_chunk(APPLY_CHUNK, |chunk| {
            stored += chunk.len();
            let mut stale = Vec::new();
            for r in chunk {
                match self.index.get(Collection::Listings, &r.id)? {
                    Some(indexed) if indexed.body == r.public_body() => {}
                    _ => stale.push(r),
                }
            }
            fixed += stale.len();
            self.index.upsert(&stale, &entities)
        })?;
        let payload = self.index.payload();
        if fixed > 0 {
            self.index.commit(&payload)?;
        }
        let indexed = self.index.counts()?.collections().iter().find(|(c, _)| *c == "listings").map_or(0, |(_, n)| *n);
        if indexed as usize == stored {
            return Ok(fixed);
        }
        tracing::warn!(indexed, stored, "the index has listings the store has not; re-indexing all");
        self.index.delete_collection(Collection::Listings)?;
        self.store.for_each_chunk(APPLY_CHUNK, |chunk| self.index.upsert(&chunk, &entities))?;
        self.index.commit(&payload)?;
        Ok(stored)
    }
}

/// What start-up reads before deriving anything: the vocabulary, the data files the index is
/// derived from with their stat signatures, and the start-up cache when it may be used.
struct StartInputs {
    raw: RawVocab,
    /// The data files ([`source_files`]).
    sources: Vec<PathBuf>,
    /// Stat signature of every data file.
    stat: String,
    /// Stat signature of the entities' file and the vocabulary (what the cache depends on).
    entities_stat: String,
    /// The start-up cache, when `rebuild` allows one and it is of these entities and vocabulary.
    cached: Option<StartupCache>,
}

impl StartInputs {
    fn read(paths: &Paths, rebuild: Rebuild) -> StartInputs {
        let raw = RawVocab::load(&paths.vocab_dir());
        let sources = source_files(paths);
        let stat = startup::stat_signature(&sources);
        let entity_sources: Vec<PathBuf> = sources
            .iter()
            .filter(|f| **f == paths.jsonl(Collection::Entities) || f.starts_with(paths.vocab_dir()))
            .cloned()
            .collect();
        let entities_stat = startup::stat_signature(&entity_sources);
        let cached = match rebuild {
            Rebuild::IfStale => StartupCache::load(&paths.index_dir, &entities_stat),
            Rebuild::Always => None,
        };
        StartInputs { raw, sources, stat, entities_stat, cached }
    }
}

/// What start-up derives from the data files.
struct Started {
    analyzer: Arc<Analyzer>,
    /// Entities by id (names and cities).
    entities: EntityNames,
    /// The content fingerprint of the data files ([`fingerprint`]).
    fingerprint: String,
    /// The start-up cache to write, when it changed.
    to_cache: Option<StartupCache>,
}

/// What start-up derives and opens side by side.
struct Opened {
    started: Started,
    store: ListingStore,
}

/// Derives [`Started`] ([`derive_start`]) on a second thread while this one opens the listings
/// store ([`open_store`]: sled reads its log meanwhile). sled runs its epoch garbage collector
/// when a thread that used it exits, so the store opens on this thread. Both go into `phases`.
fn derive_and_open_store(paths: &Paths, inputs: StartInputs, phases: &mut Phases) -> Result<Opened> {
    let mut derive_phases = Phases::start();
    let (derived, opened) = std::thread::scope(|s| {
        let derived = s.spawn(|| derive_start(paths, inputs, &mut derive_phases));
        let opened = open_store(paths);
        (derived.join().unwrap_or_else(|_| Err(Error::Internal("building the analyzer panicked".into()))), opened)
    });
    let started = derived?;
    let OpenedStore { store, took } = opened?;
    phases.record("store (in parallel with the analyzer)", took);
    phases.merge(derive_phases);
    Ok(Opened { started, store })
}

/// Derives [`Started`]: from the cache when the data files are unchanged (their stat
/// signature), the lexicon learned again when only talents, roadmaps or industries changed, all
/// of it otherwise.
fn derive_start(paths: &Paths, inputs: StartInputs, phases: &mut Phases) -> Result<Started> {
    let StartInputs { raw, sources, stat, entities_stat, cached } = inputs;
    Ok(match cached {
        Some(c) if c.stat == stat => {
            // Nothing changed: the learned lexicon comes from the cache too.
            let analyzer = Analyzer::from_derived(&raw, c.derived, None)?;
            phases.mark("analyzer from cache");
            Started { analyzer, entities: c.entities, fingerprint: c.fingerprint, to_cache: None }
        }
        Some(c) => {
            // Only talents, roadmaps or industries changed: the fingerprint is recomputed,
            // and the lexicon learned again.
            let bilingual = bilingual_sample(paths);
            phases.mark("bilingual texts");
            let analyzer = Analyzer::from_derived(&raw, c.derived.clone(), Some(&bilingual))?;
            phases.mark("analyzer from cache, lexicon learned");
            let fingerprint = fingerprint(&sources);
            phases.mark("fingerprint");
            let derived = Derived {
                learned: analyzer.learned().to_vec(),
                dictionary: analyzer.dictionary_pairs().to_vec(),
                ..c.derived.clone()
            };
            let cache = StartupCache { stat, fingerprint: fingerprint.clone(), derived, ..c };
            Started { analyzer, entities: cache.entities.clone(), fingerprint, to_cache: Some(cache) }
        }
        None => derive_all(paths, &raw, stat, entities_stat, &sources, phases)?,
    })
}

/// Derives [`Started`] from the data files alone: the entities read, the analyzer built and its
/// lexicon learned, the fingerprint computed; all of it goes into a new start-up cache.
fn derive_all(
    paths: &Paths,
    raw: &RawVocab,
    stat: String,
    entities_stat: String,
    sources: &[PathBuf],
    phases: &mut Phases,
) -> Result<Started> {
    let bilingual = bilingual_sample(paths);
    phases.mark("bilingual texts");
    let entities = dataset::read_file(Collection::Entities, &paths.jsonl(Collection::Entities))?.records;
    phases.mark("entities");
    let (names, sets) = dictionary(&entities);
    let (analyzer, derived) = Analyzer::derive(raw, &names, sets, &bilingual)?;
    phases.mark("analyzer");
    let fingerprint = fingerprint(sources);
    phases.mark("fingerprint");
    let entity_names = index::entity_names(&entities);
    let cache = StartupCache {
        schema: SCHEMA_VERSION,
        stat,
        fingerprint: fingerprint.clone(),
        entities_stat,
        derived,
        entities: entity_names.clone(),
    };
    Ok(Started { analyzer, entities: entity_names, fingerprint, to_cache: Some(cache) })
}

/// The index of `paths`: the one on disk when it is readable, of this schema, built from the
/// data `fingerprint` says and `rebuild` allows; otherwise built again from the data directory
/// and the listings store ([`build_all`]).
fn open_or_build_index(
    paths: &Paths,
    rebuild: Rebuild,
    analyzer: &Arc<Analyzer>,
    entities: &EntityNames,
    store: &ListingStore,
    fingerprint: String,
    progress: bool,
) -> Result<SearchIndex> {
    let existing = match rebuild {
        Rebuild::Always => None,
        Rebuild::IfStale => SearchIndex::open(&paths.index_dir, analyzer.clone())?.filter(|i| {
            let fresh = i.payload().fingerprint == fingerprint;
            if !fresh {
                tracing::info!("the data files changed since the index was built; it will be rebuilt");
            }
            fresh
        }),
    };
    if let Some(i) = existing {
        return Ok(i);
    }
    tracing::info!(dir = %paths.index_dir.display(), "building the index from the data directory");
    let i = SearchIndex::create(&paths.index_dir, analyzer.clone())?;
    build_all(&i, paths, entities, store, fingerprint, progress)?;
    Ok(i)
}

/// Writes the start-up cache when start-up derived a new one; failing costs only time (the next
/// start derives it again).
fn save_startup_cache(to_cache: Option<StartupCache>, index_dir: &Path) {
    if let Some(cache) = to_cache
        && let Err(e) = cache.save(index_dir)
    {
        tracing::warn!(error = %e, "could not write the start-up cache; the next start derives it again");
    }
}

/// The listings store, opened, and how long opening it took.
struct OpenedStore {
    store: ListingStore,
    took: std::time::Duration,
}

/// Opens the listings store, seeded from `listings.jsonl` the first time.
fn open_store(paths: &Paths) -> Result<OpenedStore> {
    let started = std::time::Instant::now();
    let store = ListingStore::open(&paths.sled_dir())?;
    let skipped = store.seed_once(&paths.jsonl(Collection::Listings))?;
    store.queue_all_for_board_once()?;
    for e in skipped {
        tracing::warn!(line = e.line, error = %e.message, "listings.jsonl line skipped");
    }
    Ok(OpenedStore { store, took: started.elapsed() })
}

/// Opens only the listings store, under the data-directory lock (for `token create`).
pub fn with_store<T>(data_dir: &Path, f: impl FnOnce(&ListingStore) -> Result<T>) -> Result<T> {
    let _lock = DataLock::acquire(data_dir)?;
    let store = ListingStore::open(&data_dir.join("listings.sled"))?;
    f(&store)
}

/// Indexes every collection from `data/` and the listings store a chunk at a time (memory stays
/// flat whatever their size), then commits.
fn build_all(
    index: &SearchIndex,
    paths: &Paths,
    names: &EntityNames,
    store: &ListingStore,
    fingerprint: String,
    progress: bool,
) -> Result<()> {
    let bar = if progress { indicatif::ProgressBar::new_spinner() } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg:>10}: {pos} records indexed ({per_sec}, {elapsed})")
            .map_err(|e| Error::Internal(e.to_string()))?,
    );
    let mut index_chunk = |chunk: Vec<Record>| {
        index.upsert(&chunk, names)?;
        bar.inc(chunk.len() as u64);
        Ok(())
    };
    for c in Collection::ALL {
        bar.set_message(c.as_str());
        if c == Collection::Listings {
            store.for_each_chunk(APPLY_CHUNK, &mut index_chunk)?;
            continue;
        }
        let errors = dataset::read_file_chunks(c, &paths.jsonl(c), APPLY_CHUNK, &mut index_chunk)?;
        for e in &errors {
            tracing::warn!(collection = c.as_str(), line = e.line, error = %e.message, "line skipped");
        }
    }
    let total = bar.position();
    bar.finish_with_message("committing");
    let payload = CommitPayload { schema: SCHEMA_VERSION, fingerprint, listings_seq: store.seq()? };
    index.commit(&payload)?;
    index.close_writer()?;
    tracing::info!(records = total, "index built");
    Ok(())
}

/// The analyzer a data directory gets (vocabulary, entity names, learned lexicon), without
/// opening its index or listings: for `gba-search vocab --learned`.
pub fn analyzer_for(data_dir: &Path) -> Result<Arc<Analyzer>> {
    let paths = Paths { data_dir: data_dir.to_path_buf(), index_dir: data_dir.join("index") };
    let raw = RawVocab::load(&paths.vocab_dir());
    let entities = dataset::read_file(Collection::Entities, &paths.jsonl(Collection::Entities))?.records;
    let (names, sets) = dictionary(&entities);
    Ok(Analyzer::derive(&raw, &names, sets, &bilingual_sample(&paths))?.0)
}

/// Bilingual records read per collection file for the learned lexicon: enough for the pairs a
/// corpus uses, few enough to learn from whenever the data changed (well under a second).
const BILINGUAL_SAMPLE: usize = 1_000;

/// The records' Chinese and English texts the lexicon is learned from (`analysis::lexicon`):
/// the first [`BILINGUAL_SAMPLE`] bilingual records of each collection's file.
fn bilingual_sample(paths: &Paths) -> Vec<crate::analysis::Bilingual> {
    Collection::ALL.iter().flat_map(|c| dataset::bilingual_texts(&paths.jsonl(*c), BILINGUAL_SAMPLE)).collect()
}

/// The data files the index is derived from (listings excepted: they are reconciled by sequence
/// number), in a stable order.
fn source_files(paths: &Paths) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        Collection::ALL.iter().filter(|c| **c != Collection::Listings).map(|c| paths.jsonl(*c)).collect();
    if let Ok(rd) = std::fs::read_dir(paths.vocab_dir()) {
        files.extend(rd.filter_map(|e| e.ok().map(|e| e.path())));
    }
    files.sort();
    files
}

/// A hash of the contents of `files` and of the schema version.
fn fingerprint(files: &[PathBuf]) -> String {
    let mut h = Sha256::new();
    h.update(SCHEMA_VERSION.to_be_bytes());
    h.update(crate::analysis::builtin_digest());
    for f in files {
        h.update(f.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        if let Ok(bytes) = std::fs::read(f) {
            h.update(Sha256::digest(&bytes));
        }
    }
    hex::encode(h.finalize())
}

impl crate::matching::Organisations for Engine {
    fn city_of(&self, id: &str) -> Option<String> {
        self.entity(id).and_then(|e| e.city)
    }
}
