//! Counts by collection × city × cluster over the records default search shows.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::BooleanQuery;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::SearchIndex;
use super::columns::RecordFilter;
use crate::error::Result;
use crate::model::{self, Collection};

/// Counts for one collection.
#[derive(Debug, Clone, Default)]
pub struct CollectionStats {
    /// Records in the collection.
    pub total: u64,
    /// Per city code (`none` for records without a city): total and per-cluster counts.
    pub cities: BTreeMap<String, CityStats>,
}

/// Counts for one city of one collection.
#[derive(Debug, Clone, Default)]
pub struct CityStats {
    /// Records of the city.
    pub total: u64,
    /// Per cluster code (`none` for records without a cluster; a record counts in each of its clusters).
    pub clusters: BTreeMap<String, u64>,
}

/// Counts of the records shown by default search, by collection, city and cluster.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// All records shown by default search.
    pub total: u64,
    /// Per collection.
    pub collections: BTreeMap<String, CollectionStats>,
}

/// Counts indexed by `[collection][city + 1][slot]`: slot 0 = no cluster, `k + 1` = cluster `k`,
/// and the last slot = records of the city (a record with several clusters counts once there).
type Cube = Vec<u64>;
const NC: usize = model::CITIES.len() + 1;
const NK: usize = model::CLUSTERS.len() + 1;
const SLOTS: usize = NK + 1;

struct StatsCollector;
struct StatsSegment {
    coll: Option<Column<u64>>,
    city: Option<Column<u64>>,
    cluster: Option<Column<u64>>,
    cube: Cube,
}

impl Collector for StatsCollector {
    type Fruit = Cube;
    type Child = StatsSegment;
    fn for_segment(&self, _: SegmentOrdinal, seg: &SegmentReader) -> tantivy::Result<StatsSegment> {
        let ff = seg.fast_fields();
        Ok(StatsSegment {
            coll: ff.column_opt("collection")?,
            city: ff.column_opt("city")?,
            cluster: ff.column_opt("cluster")?,
            cube: vec![0; 5 * NC * SLOTS],
        })
    }
    fn requires_scoring(&self) -> bool {
        false
    }
    fn merge_fruits(&self, fruits: Vec<Cube>) -> tantivy::Result<Cube> {
        let mut total = vec![0; 5 * NC * SLOTS];
        for f in fruits {
            total.iter_mut().zip(f).for_each(|(a, b)| *a += b);
        }
        Ok(total)
    }
}

impl SegmentCollector for StatsSegment {
    type Fruit = Cube;
    fn collect(&mut self, doc: DocId, _: Score) {
        let first = |c: &Option<Column<u64>>| c.as_ref().and_then(|c| c.first(doc));
        let Some(coll) = first(&self.coll).filter(|c| *c < 5) else {
            return;
        };
        let city = first(&self.city).map_or(0, |c| (c as usize + 1).min(NC - 1));
        let base = (coll as usize * NC + city) * SLOTS;
        self.cube[base + NK] += 1;
        let mut any = false;
        if let Some(col) = &self.cluster {
            for k in col.values_for_doc(doc) {
                self.cube[base + (k as usize + 1).min(NK - 1)] += 1;
                any = true;
            }
        }
        if !any {
            self.cube[base] += 1;
        }
    }
    fn harvest(self) -> Cube {
        self.cube
    }
}

impl SearchIndex {
    /// Counts of the records default search shows, by collection × city × cluster.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let cube = self.collect(
            &searcher,
            &tantivy::query::AllQuery,
            StatsCollector,
            RecordFilter { open_only: true, ..RecordFilter::default() },
        )?;
        let mut stats = Stats::default();
        for c in Collection::ALL {
            let mut cs = CollectionStats::default();
            for city in 0..NC {
                let base = (c.ord() as usize * NC + city) * SLOTS;
                let n = cube[base + NK];
                if n == 0 {
                    continue;
                }
                let code = if city == 0 { "none" } else { model::CITIES[city - 1].0 };
                let mut city_stats = CityStats { total: n, clusters: BTreeMap::new() };
                for k in 0..NK {
                    let m = cube[base + k];
                    if m > 0 {
                        let kcode = if k == 0 { "none" } else { model::CLUSTERS[k - 1].0 };
                        city_stats.clusters.insert(kcode.to_string(), m);
                    }
                }
                cs.total += n;
                cs.cities.insert(code.to_string(), city_stats);
            }
            stats.total += cs.total;
            if cs.total > 0 {
                stats.collections.insert(c.as_str().to_string(), cs);
            }
        }
        Ok(stats)
    }
}

impl SearchIndex {
    /// Listings in the index by status: `open` (and unexpired), `expired`, `closed`, `withdrawn`.
    pub fn listing_statuses(&self) -> Result<Vec<(&'static str, usize)>> {
        use tantivy::collector::Count;
        use tantivy::query::{Occur, Query};
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let listings = || super::query::any_of(f.collection, &[Collection::Listings.ord()]);
        let status = |ord: u64| super::query::any_of(f.status, &[ord]);
        let unexpired = || super::query::greater_than(f.expires, model::now_ts());
        let count = |clauses: Vec<(Occur, Box<dyn Query>)>| searcher.search(&BooleanQuery::new(clauses), &Count);
        let open = count(vec![(Occur::Must, listings()), (Occur::Must, status(0)), (Occur::Must, unexpired())])?;
        let expired = count(vec![(Occur::Must, listings()), (Occur::Must, status(0)), (Occur::MustNot, unexpired())])?;
        let closed = count(vec![(Occur::Must, listings()), (Occur::Must, status(1))])?;
        let withdrawn = count(vec![(Occur::Must, listings()), (Occur::Must, status(2))])?;
        Ok(vec![("open", open), ("expired", expired), ("closed", closed), ("withdrawn", withdrawn)])
    }
}
