//! The tantivy index serving all five collections: schema, document building, queries, facets,
//! snippets, suggestions and statistics.

mod answers;
mod by_filter;
mod columns;
mod document;
mod facets;
mod mentions;
mod plan;
mod query;
mod schema;
mod score_only;
mod search;
mod skip_union;
mod snippet;
mod stats;
mod suggest;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use answers::{AnswerCache, DEFAULT_ANSWERS};
pub use document::{EntityInfo, EntityNames, body_texts, entity_names, names};
pub use facets::FacetCounts;
pub use mentions::Mention;
pub use query::Matching;
pub use schema::{Fields, SCHEMA_VERSION, STATUSES};
pub use search::{
    Found, MAX_PER_PAGE, MAX_WINDOW, Marks, SearchRequest, SearchResults, Sort, TotalRelation, detect_lang,
    display_name, label, millis, snippet_of,
};
pub use snippet::Marker;
pub use stats::{CityStats, CollectionStats, Stats};
pub use suggest::Suggestion;

use crate::analysis::{Analyzer, register_tokenizers};
use crate::dataset;
use crate::error::{Error, Result};
use crate::model::{Collection, Record};

/// What the last commit recorded about the index, stored in tantivy's commit payload.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CommitPayload {
    /// [`SCHEMA_VERSION`] of the binary that built the index.
    pub schema: u32,
    /// Fingerprint of the `data/` files the index was built from.
    pub fingerprint: String,
    /// Last listing sequence number applied to the index.
    #[serde(default)]
    pub listings_seq: u64,
}

/// Batches from this size on are analysed on every core.
const PARALLEL_BATCH: usize = 256;
/// Memory budget of the writer used for bulk builds.
const BULK_WRITER_BYTES: usize = 256 << 20;
/// Memory budget of the long-lived writer of a running server.
const WRITER_BYTES: usize = 64 << 20;
/// Bytes of stored records per compressed doc-store block (tantivy's default is 16 KiB). Every
/// hit shown and every record the coverage re-rank reads decompresses its whole block, and with
/// records of about 1.6 KiB that was a tenth of the server's time at 100k; 4 KiB blocks cost 8 %
/// more disk for the index and serve the mixed log 11 % faster (PERFORMANCE.md).
const DOCSTORE_BLOCK: usize = 4 << 10;

/// The index, its reader, and its (lazily created) writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyzer: Arc<Analyzer>,
    writer: Mutex<Option<IndexWriter>>,
    dir: PathBuf,
    /// Unix time of the last commit (of `meta.json`'s modification when opened).
    last_commit: std::sync::atomic::AtomicI64,
    /// Dense copies of the facet and status columns of each segment.
    columns: Arc<columns::ColumnCache>,
    /// Recent suggestions.
    suggestions: answers::AnswerCache<Vec<Suggestion>>,
}

/// Document frequencies of analysed tokens in the name and body fields of one index generation.
pub struct TermStats {
    searcher: tantivy::Searcher,
    fields: [tantivy::schema::Field; 2],
}

impl TermStats {
    /// The index generation these statistics are of (a commit opens a new one).
    pub fn generation(&self) -> u64 {
        self.searcher.generation().generation_id()
    }

    /// Records with `token` in their name or body (the larger of the two counts).
    pub fn doc_freq(&self, token: &str) -> u64 {
        self.fields
            .iter()
            .filter_map(|f| self.searcher.doc_freq(&Term::from_field_text(*f, token)).ok())
            .max()
            .unwrap_or(0)
    }

    /// BM25's inverse document frequency of a term that appears `df` times.
    pub fn idf(&self, df: u64) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` if there is a readable one of this schema version.
    pub fn open(dir: &Path, analyzer: Arc<Analyzer>) -> Result<Option<SearchIndex>> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "index unreadable; it will be rebuilt");
                return Ok(None);
            }
        };
        let Ok(fields) = schema::fields_of(&index.schema()) else {
            tracing::warn!(dir = %dir.display(), "index has another schema; it will be rebuilt");
            return Ok(None);
        };
        let si = match SearchIndex::from_index(index, fields, analyzer, dir) {
            Ok(si) => si,
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "index unreadable; it will be rebuilt");
                return Ok(None);
            }
        };
        let version = si.payload().schema;
        if version != SCHEMA_VERSION {
            tracing::warn!(
                found = version,
                expected = SCHEMA_VERSION,
                "index of another schema version; it will be rebuilt"
            );
            return Ok(None);
        }
        Ok(Some(si))
    }

    /// Creates a new, empty index in `dir`, removing whatever was there.
    pub fn create(dir: &Path, analyzer: Arc<Analyzer>) -> Result<SearchIndex> {
        if dir.exists() {
            for entry in std::fs::read_dir(dir).map_err(|e| Error::io("listing the index directory", e))? {
                let entry = entry.map_err(|e| Error::io("listing the index directory", e))?;
                let path = entry.path();
                if path.file_name().is_some_and(|n| n == "README.md") {
                    continue;
                }
                let r = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
                r.map_err(|e| Error::io(format!("clearing {}", path.display()), e))?;
            }
        }
        crate::durable::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let (schema, fields) = schema::build();
        let mmap = MmapDirectory::open(dir).map_err(|e| Error::Internal(e.to_string()))?;
        let settings = tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK, ..Default::default() };
        let index = Index::create(mmap, schema, settings)?;
        SearchIndex::from_index(index, fields, analyzer, dir)
    }

    fn from_index(mut index: Index, fields: Fields, analyzer: Arc<Analyzer>, dir: &Path) -> Result<SearchIndex> {
        register_tokenizers(&index, &analyzer);
        // One search runs its segments on every core, so that a lone query is not bound to one.
        index.set_default_multithread_executor()?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let last_commit = std::fs::metadata(dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            analyzer,
            writer: Mutex::new(None),
            dir: dir.to_path_buf(),
            last_commit: std::sync::atomic::AtomicI64::new(last_commit),
            columns: Arc::default(),
            suggestions: answers::AnswerCache::default(),
        })
    }

    /// The payload of the last commit (default when none).
    pub fn payload(&self) -> CommitPayload {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }

    /// Keeps up to `capacity` recent suggestions (0: none; see [`answers`]).
    pub fn set_suggestion_cache(&self, capacity: usize) {
        self.suggestions.set_capacity(capacity);
    }

    /// The answer to `key` from `cache` (and `true`) if it was computed on the index as it is
    /// now, or else `compute`d and kept there while it is exact: on this index generation and
    /// until the next listing expiry. The generation is read before computing, so an answer
    /// computed across a commit is kept as of the older one (and so not reused).
    pub fn answer<V>(
        &self,
        cache: &answers::AnswerCache<V>,
        key: String,
        compute: impl FnOnce() -> Result<V>,
    ) -> Result<(Arc<V>, bool)> {
        self.cached(cache, &self.reader.searcher(), key, compute)
    }

    /// The answer to `key` on `searcher` from `cache` (and `true`), or else `compute`d and kept
    /// there while it is exact: on this index generation and until the next listing expiry.
    fn cached<V>(
        &self,
        cache: &answers::AnswerCache<V>,
        searcher: &tantivy::Searcher,
        key: String,
        compute: impl FnOnce() -> Result<V>,
    ) -> Result<(Arc<V>, bool)> {
        let generation = searcher.generation().generation_id();
        if let Some(answer) = cache.get(&key, generation) {
            return Ok((answer, true));
        }
        let now = crate::model::now_ts();
        let answer = Arc::new(compute()?);
        cache.put(key, generation, self.columns.next_expiry(searcher, now), answer.clone());
        Ok((answer, false))
    }

    /// The analysis pipeline the index was opened with.
    pub fn analyzer(&self) -> &Arc<Analyzer> {
        &self.analyzer
    }

    /// Runs `f` with the index writer, creating it on first use.
    fn with_writer<T>(&self, bulk: bool, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().map_err(|_| Error::Internal("index writer lock poisoned".into()))?;
        if guard.is_none() {
            let w = if bulk {
                self.index.writer(BULK_WRITER_BYTES)?
            } else {
                self.index.writer_with_num_threads(1, WRITER_BYTES)?
            };
            *guard = Some(w);
        }
        let w = guard.as_mut().ok_or_else(|| Error::Internal("no index writer".into()))?;
        f(w)
    }

    /// Adds or replaces records (by collection and id); visible after [`SearchIndex::commit`].
    pub fn upsert(&self, records: &[Record], entities: &EntityNames) -> Result<()> {
        let build = |rs: &[Record]| -> Vec<TantivyDocument> {
            rs.iter().map(|r| document::build(r, &self.fields, &self.analyzer, entities)).collect()
        };
        // Analysis is most of the cost of indexing: a large batch is analysed on every core.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let docs: Vec<TantivyDocument> = if records.len() >= PARALLEL_BATCH && threads > 1 {
            let part = records.len().div_ceil(threads);
            std::thread::scope(|s| {
                let handles: Vec<_> = records.chunks(part).map(|rs| s.spawn(move || build(rs))).collect();
                handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
            })
        } else {
            build(records)
        };
        if docs.len() != records.len() {
            return Err(Error::Internal("a document-building thread failed".into()));
        }
        self.with_writer(records.len() > 1000, |w| {
            for (r, doc) in records.iter().zip(docs) {
                w.delete_term(Term::from_field_text(self.fields.key, &document::key(r.collection, &r.id)));
                w.add_document(doc)?;
            }
            Ok(())
        })
    }

    /// Removes every record of a collection (visible after the next commit).
    pub fn delete_collection(&self, collection: Collection) -> Result<()> {
        self.with_writer(false, |w| {
            w.delete_term(Term::from_field_u64(self.fields.collection, collection.ord()));
            Ok(())
        })
    }

    /// Removes a record.
    pub fn delete(&self, collection: Collection, id: &str) -> Result<()> {
        self.with_writer(false, |w| {
            w.delete_term(Term::from_field_text(self.fields.key, &document::key(collection, id)));
            Ok(())
        })
    }

    /// Commits pending changes with `payload` and makes them visible to searches.
    pub fn commit(&self, payload: &CommitPayload) -> Result<()> {
        let text = serde_json::to_string(payload)?;
        self.with_writer(false, |w| {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&text);
            prepared.commit()?;
            Ok(())
        })?;
        // tantivy renames the new meta.json into place without syncing the directory: until it
        // is, a power cut brings back the previous commit, after the listings store was told
        // (trim_changes) that this one is done.
        crate::durable::sync_dir(&self.dir).map_err(|e| Error::io("syncing the index directory", e))?;
        self.reader.reload()?;
        let live: Vec<tantivy::index::SegmentId> =
            self.reader.searcher().segment_readers().iter().map(|s| s.segment_id()).collect();
        self.columns.retain(&live);
        self.last_commit.store(crate::model::now_ts(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Seconds since the last commit.
    pub fn last_commit_age(&self) -> i64 {
        (crate::model::now_ts() - self.last_commit.load(std::sync::atomic::Ordering::Relaxed)).max(0)
    }

    /// Drops the writer (releasing its memory and tantivy's lock file), waiting for merges.
    pub fn close_writer(&self) -> Result<()> {
        let mut guard = self.writer.lock().map_err(|_| Error::Internal("index writer lock poisoned".into()))?;
        if let Some(w) = guard.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// The stored public record of `collection`/`id`.
    pub fn get(&self, collection: Collection, id: &str) -> Result<Option<Record>> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.fields.key, &document::key(collection, id));
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.record_at(&searcher, *addr)?)),
            None => Ok(None),
        }
    }

    fn record_at(&self, searcher: &tantivy::Searcher, addr: tantivy::DocAddress) -> Result<Record> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let json = doc.get_first(self.fields.doc).and_then(|v| v.as_str()).unwrap_or("{}");
        let coll = doc
            .get_first(self.fields.collection)
            .and_then(|v| v.as_u64())
            .and_then(Collection::from_ord)
            .ok_or_else(|| Error::Internal("stored document without collection".into()))?;
        let value: serde_json::Value = serde_json::from_str(json)?;
        dataset::record_from_value(coll, value).map_err(Error::Internal)
    }

    /// Document frequencies of terms as the current index holds them, for weighing words.
    pub fn term_stats(&self) -> TermStats {
        TermStats { searcher: self.reader.searcher(), fields: [self.fields.body_s, self.fields.title_s] }
    }

    /// Number of documents per collection (all statuses).
    pub fn counts(&self) -> Result<FacetCounts> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&tantivy::query::AllQuery, &self.facet_collector())?)
    }

    fn facet_collector(&self) -> facets::FacetCollector {
        facets::FacetCollector::new(self.columns.clone())
    }

    /// Total size of the index files in bytes.
    pub fn size_bytes(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }
}
