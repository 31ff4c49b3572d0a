//! Facet counts (collection, city, cluster, kind), in one pass with the search.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::columns::{ColumnCache, SegmentColumns};

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

/// Collects [`FacetCounts`] for the matching documents, from the segments' dense columns.
pub struct FacetCollector {
    columns: Arc<ColumnCache>,
}

impl FacetCollector {
    /// A collector reading the columns kept in `columns`.
    pub fn new(columns: Arc<ColumnCache>) -> FacetCollector {
        FacetCollector { columns }
    }
}

/// Per-segment state of [`FacetCollector`].
pub struct FacetSegment {
    columns: Arc<SegmentColumns>,
    counts: FacetCounts,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(&self, _ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment { columns: self.columns.get(segment)?, counts: FacetCounts::default() })
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

fn bump<const N: usize>(ord: u8, counts: &mut [u64; N]) {
    if let Some(c) = counts.get_mut(ord as usize) {
        *c += 1;
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let d = doc as usize;
        let c = &*self.columns;
        let (Some(&coll), Some(&city), Some(&kind), Some(&clusters)) =
            (c.collection.get(d), c.city.get(d), c.kind.get(d), c.clusters.get(d))
        else {
            return;
        };
        bump(coll, &mut self.counts.collection);
        bump(city, &mut self.counts.city);
        bump(kind, &mut self.counts.kind);
        let mut bits = clusters;
        while bits != 0 {
            bump(bits.trailing_zeros() as u8, &mut self.counts.cluster);
            bits &= bits - 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        self.counts
    }
}
