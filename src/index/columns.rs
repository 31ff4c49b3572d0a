//! Dense per-segment copies of the columns every search reads for each matching document (the
//! facet codes, and whether a record is open), built once per immutable segment.
//!
//! tantivy's fast-field columns are compact but optional and multi-valued, so reading one value
//! goes through a rank lookup and a block decoder. At a million records a common word matches a
//! third of them, and those lookups were a sixth of the search's time; a byte array costs a load.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{BitSet, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::model;

/// Code ordinal stored for a document without a value.
pub const NONE: u8 = u8::MAX;

/// The columns of one segment, one entry per document.
pub struct SegmentColumns {
    /// Collection ordinal.
    pub collection: Vec<u8>,
    /// City ordinal ([`NONE`] when the record has no city).
    pub city: Vec<u8>,
    /// Kind ordinal ([`NONE`] when none).
    pub kind: Vec<u8>,
    /// Cluster ordinals as bits.
    pub clusters: Vec<u16>,
    /// Until when a record is open: its expiry when its status is open, `i64::MIN` otherwise.
    open_until: Vec<i64>,
    /// Open records at some time, and the times that set stays the same.
    open: Mutex<Option<OpenSet>>,
}

struct OpenSet {
    from: i64,
    until: i64,
    docs: Arc<BitSet>,
}

const _: () = assert!(model::CLUSTERS.len() <= 16, "cluster bits must fit in a u16");

impl SegmentColumns {
    fn build(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let ff = segment.fast_fields();
        let max = segment.max_doc();
        let first = |col: &Option<Column<u64>>, doc: DocId| col.as_ref().and_then(|c| c.first(doc));
        let small = |v: Option<u64>| v.and_then(|v| u8::try_from(v).ok()).filter(|v| *v != NONE).unwrap_or(NONE);
        let collection: Option<Column<u64>> = ff.column_opt("collection")?;
        let city: Option<Column<u64>> = ff.column_opt("city")?;
        let kind: Option<Column<u64>> = ff.column_opt("kind")?;
        let cluster: Option<Column<u64>> = ff.column_opt("cluster")?;
        let status: Option<Column<u64>> = ff.column_opt("status")?;
        let expires: Option<Column<i64>> = ff.column_opt("expires")?;
        let mut cols = SegmentColumns {
            collection: Vec::with_capacity(max as usize),
            city: Vec::with_capacity(max as usize),
            kind: Vec::with_capacity(max as usize),
            clusters: Vec::with_capacity(max as usize),
            open_until: Vec::with_capacity(max as usize),
            open: Mutex::new(None),
        };
        for doc in 0..max {
            cols.collection.push(small(first(&collection, doc)));
            cols.city.push(small(first(&city, doc)));
            cols.kind.push(small(first(&kind, doc)));
            let bits = cluster
                .as_ref()
                .map_or(0, |c| c.values_for_doc(doc).filter(|v| *v < 16).fold(0u16, |bits, v| bits | (1 << v)));
            cols.clusters.push(bits);
            let open = first(&status, doc).unwrap_or(0) == 0;
            let until = expires.as_ref().and_then(|c| c.first(doc)).unwrap_or(i64::MAX);
            cols.open_until.push(if open { until } else { i64::MIN });
        }
        Ok(cols)
    }

    /// The documents open at `now` (status open and not expired). The set is kept until the
    /// next expiry in the segment changes it.
    pub fn open_at(&self, now: i64) -> Arc<BitSet> {
        self.open_set(now).0
    }

    /// The first time after `now` at which a record of the segment stops being open by expiring
    /// (`i64::MAX` when none will).
    pub fn next_expiry(&self, now: i64) -> i64 {
        self.open_set(now).1
    }

    fn open_set(&self, now: i64) -> (Arc<BitSet>, i64) {
        let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = guard.as_ref().filter(|s| s.from <= now && now < s.until) {
            return (set.docs.clone(), set.until);
        }
        let mut docs = BitSet::with_max_value(self.open_until.len() as u32);
        let mut until = i64::MAX;
        for (doc, &t) in self.open_until.iter().enumerate() {
            if t > now {
                docs.insert(doc as u32);
                until = until.min(t);
            }
        }
        let docs = Arc::new(docs);
        *guard = Some(OpenSet { from: now, until, docs: docs.clone() });
        (docs, until)
    }
}

/// [`SegmentColumns`] of the segments searched recently, by segment id.
#[derive(Default)]
pub struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of `segment`, built on first use.
    pub fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = segment.segment_id();
        if let Some(c) = self.lock().get(&id) {
            return Ok(c.clone());
        }
        // Built outside the lock: a large segment takes a while, and searches of other segments
        // go on meanwhile (two searches may build the same one; the second insert wins).
        let built = Arc::new(SegmentColumns::build(segment)?);
        self.lock().insert(id, built.clone());
        Ok(built)
    }

    /// The first time after `now` at which a record of `searcher`'s index stops being open by
    /// expiring: until then, an answer computed at `now` on that searcher stays exact. `now` when
    /// it cannot be read.
    pub fn next_expiry(&self, searcher: &tantivy::Searcher, now: i64) -> i64 {
        searcher
            .segment_readers()
            .iter()
            .map(|seg| self.get(seg).map_or(now, |c| c.next_expiry(now)))
            .min()
            .unwrap_or(i64::MAX)
    }

    /// Forgets the segments not in `live` (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentColumns>>> {
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Which records a search keeps: checked per matching document against the segment's columns
/// rather than intersected with the query. An intersection skips the query's union of term
/// postings to each record the filter passes, and tantivy's union re-decodes a window of 4,096
/// documents at every long skip; a byte load per match costs far less.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordFilter {
    /// Only records open at the time (status open and not expired).
    pub open_only: bool,
    /// Allowed collection ordinals as bits (0: any).
    pub collections: u64,
    /// Allowed city ordinals as bits (0: any; a record without a city passes only "any").
    pub cities: u64,
    /// Allowed kind ordinals as bits (0: any).
    pub kinds: u64,
    /// Cluster ordinals as bits, any of which a record must have (0: any).
    pub clusters: u16,
}

impl RecordFilter {
    /// The bits of `ords` (ordinals past the width are dropped: no code has one).
    pub fn bits(ords: impl IntoIterator<Item = u64>) -> u64 {
        ords.into_iter().filter(|o| *o < 64).fold(0, |set, o| set | (1 << o))
    }

    /// Whether the bit of `ord` is set in `set` (codes without a value, [`NONE`], never are).
    pub fn has(set: u64, ord: u8) -> bool {
        ord < 64 && set & (1 << ord) != 0
    }

    fn by_codes(&self) -> bool {
        self.collections != 0 || self.cities != 0 || self.kinds != 0 || self.clusters != 0
    }

    fn keeps(&self, cols: &SegmentColumns, doc: usize) -> bool {
        let allowed = |set: u64, ord: u8| set == 0 || Self::has(set, ord);
        allowed(self.collections, cols.collection[doc])
            && allowed(self.cities, cols.city[doc])
            && allowed(self.kinds, cols.kind[doc])
            && (self.clusters == 0 || cols.clusters[doc] & self.clusters != 0)
    }
}

/// Passes to `inner` only the records `filter` keeps, at a time `now` (for open-only).
pub struct Filtered<C> {
    inner: C,
    cache: Arc<ColumnCache>,
    filter: RecordFilter,
    now: i64,
}

impl<C> Filtered<C> {
    /// `inner` over the records `filter` keeps at `now` (Unix seconds).
    pub fn new(inner: C, cache: Arc<ColumnCache>, filter: RecordFilter, now: i64) -> Filtered<C> {
        Filtered { inner, cache, filter, now }
    }
}

/// A [`RecordFilter`] at a time, in one segment.
pub struct SegmentFilter {
    open: Option<Arc<BitSet>>,
    codes: Option<(RecordFilter, Arc<SegmentColumns>)>,
}

impl SegmentFilter {
    /// `filter` at `now` (Unix seconds) over the segment whose columns are `columns`.
    pub fn new(filter: RecordFilter, columns: Arc<SegmentColumns>, now: i64) -> SegmentFilter {
        let open = filter.open_only.then(|| columns.open_at(now));
        SegmentFilter { open, codes: filter.by_codes().then_some((filter, columns)) }
    }

    /// Whether the record `doc` passes.
    pub fn keeps(&self, doc: DocId) -> bool {
        self.open.as_ref().is_none_or(|open| open.contains(doc))
            && self.codes.as_ref().is_none_or(|(filter, cols)| filter.keeps(cols, doc as usize))
    }
}

/// Per-segment state of [`Filtered`].
pub struct FilteredSegment<S> {
    inner: S,
    keep: SegmentFilter,
}

impl<C: Collector> Collector for Filtered<C> {
    type Fruit = C::Fruit;
    type Child = FilteredSegment<C::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let keep = SegmentFilter::new(self.filter, self.cache.get(segment)?, self.now);
        Ok(FilteredSegment { inner: self.inner.for_segment(ord, segment)?, keep })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<<C::Child as SegmentCollector>::Fruit>) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<S: SegmentCollector> SegmentCollector for FilteredSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.keep.keeps(doc) {
            self.inner.collect(doc, score);
        }
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}
