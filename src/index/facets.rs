//! Facet counts (collection, city, cluster, kind) from fast fields, in one pass with the search.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::model::{self, Collection};

/// Counts per code of each facet dimension.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCounts {
    /// Indexed by [`Collection::ord`].
    pub collection: [u64; 5],
    /// Indexed like [`model::CITIES`].
    pub city: [u64; model::CITIES.len()],
    /// Indexed like [`model::CLUSTERS`].
    pub cluster: [u64; model::CLUSTERS.len()],
    /// Indexed like [`model::KINDS`].
    pub kind: [u64; model::KINDS.len()],
}

impl FacetCounts {
    fn add(&mut self, other: &FacetCounts) {
        fn sum<const N: usize>(a: &mut [u64; N], b: &[u64; N]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        sum(&mut self.collection, &other.collection);
        sum(&mut self.city, &other.city);
        sum(&mut self.cluster, &other.cluster);
        sum(&mut self.kind, &other.kind);
    }

    /// Non-zero counts of a dimension as (code, count).
    pub fn nonzero(counts: &[u64], code: impl Fn(usize) -> Option<&'static str>) -> Vec<(&'static str, u64)> {
        counts.iter().enumerate().filter(|(_, n)| **n > 0).filter_map(|(i, n)| Some((code(i)?, *n))).collect()
    }

    /// Non-zero collection counts.
    pub fn collections(&self) -> Vec<(&'static str, u64)> {
        Self::nonzero(&self.collection, |i| Collection::from_ord(i as u64).map(Collection::as_str))
    }
}

/// Collects [`FacetCounts`] for the matching documents.
pub struct FacetCollector;

/// Per-segment state of [`FacetCollector`].
pub struct FacetSegment {
    collection: Option<Column<u64>>,
    city: Option<Column<u64>>,
    cluster: Option<Column<u64>>,
    kind: Option<Column<u64>>,
    counts: FacetCounts,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(&self, _ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let ff = segment.fast_fields();
        Ok(FacetSegment {
            collection: ff.column_opt("collection")?,
            city: ff.column_opt("city")?,
            cluster: ff.column_opt("cluster")?,
            kind: ff.column_opt("kind")?,
            counts: FacetCounts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::default();
        fruits.iter().for_each(|f| total.add(f));
        Ok(total)
    }
}

fn bump<const N: usize>(col: &Option<Column<u64>>, doc: DocId, counts: &mut [u64; N]) {
    if let Some(col) = col {
        for v in col.values_for_doc(doc) {
            if let Some(c) = counts.get_mut(v as usize) {
                *c += 1;
            }
        }
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        bump(&self.collection, doc, &mut self.counts.collection);
        bump(&self.city, doc, &mut self.counts.city);
        bump(&self.cluster, doc, &mut self.counts.cluster);
        bump(&self.kind, doc, &mut self.counts.kind);
    }

    fn harvest(self) -> FacetCounts {
        self.counts
    }
}
