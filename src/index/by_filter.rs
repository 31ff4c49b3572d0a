//! The best matches of a text query ([`Plan`]) among the records of a selective filter
//! (人工智能 among Hong Kong universities), with their number and facets, in one walk of the
//! filter.
//!
//! tantivy intersects the filter with the query's union of postings, and its union decodes a
//! window of 4,096 documents at a time: skipped to the filter's records, it still reads nearly
//! every posting of a common word. Here each clause is asked only about the filter's records
//! (`seek_danger`), and its skip list jumps the rest. Clauses are asked largest bound first
//! (MaxScore, Turtle and Flood 1995): once a record's score plus what the remaining clauses can
//! add is no more than the page's worst score, they are asked only whether the record matches,
//! which one matching part answers.

use std::sync::Arc;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Collector, SegmentCollector, TopNComputer};
use tantivy::fastfield::AliveBitSet;
use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, TERMINATED};

use super::columns::{ColumnCache, RecordFilter, SegmentColumns, SegmentFilter};
use super::facets::{FacetCollector, FacetCounts};
use super::plan::Plan;
use super::query::PartnerBoost;
use super::score_only::Probe;

/// Bounds are raised by this share (and [`SLACK`]) so that rounding in a sum of scores never
/// passes the sum of their bounds.
const ROUNDING: Score = 1e-4;
const SLACK: Score = 1e-5;

/// A search for the best documents of a plan.
pub struct Search<'a> {
    /// The text query.
    pub plan: &'a Plan,
    /// Queries every match must also match (unscored): codes, an owner.
    pub filters: &'a [Box<dyn Query>],
    /// Records kept, by their columns.
    pub keep: RecordFilter,
    /// Score added per record by the query's partner words.
    pub boost: Option<&'a PartnerBoost>,
    /// How many documents.
    pub limit: usize,
    /// The time open-only filtering is checked at.
    pub now: i64,
}

/// The best documents of a search, best first, with the number of matches and their facets.
pub struct Ranked {
    /// The best documents with their scores, best first.
    pub hits: Vec<(Score, DocAddress)>,
    /// Number of matches.
    pub total: usize,
    /// Facet counts over all matches.
    pub counts: FacetCounts,
}

/// Runs `search` when its filters pass few enough records that asking each clause about each
/// of them costs less than walking the plan's matches ([`Plan::reach`]); `None` otherwise.
pub fn top(searcher: &Searcher, columns: &Arc<ColumnCache>, search: &Search) -> tantivy::Result<Option<Ranked>> {
    if search.filters.is_empty() {
        return Ok(None);
    }
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let filters: Vec<Box<dyn Weight>> = search.filters.iter().map(|f| f.weight(unscored)).collect::<Result<_, _>>()?;
    let mut passing: Vec<Vec<Box<dyn Scorer>>> = Vec::new();
    let mut walked = 0u64;
    for reader in searcher.segment_readers() {
        let mut docs: Vec<Box<dyn Scorer>> = filters.iter().map(|w| w.scorer(reader, 1.0)).collect::<Result<_, _>>()?;
        docs.sort_by_key(|f| f.size_hint());
        walked += docs.first().map_or(0, |f| f.size_hint() as u64);
        passing.push(docs);
    }
    let clauses = (search.plan.parts.len() + search.plan.extras.len()) as u64;
    if walked.saturating_mul(clauses) >= search.plan.reach {
        return Ok(None);
    }
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let mut weights: Vec<(Box<dyn Weight>, Score, bool)> = Vec::new();
    for (parts, part) in [(&search.plan.parts, true), (&search.plan.extras, false)] {
        for p in parts {
            let bound = p.bound.value(searcher)? * (1.0 + ROUNDING) + SLACK;
            weights.push((p.query.weight(scoring)?, bound, part));
        }
    }
    let mut best = TopNComputer::new_with_comparator(search.limit.max(1), NaturalComparator);
    let facets = FacetCollector::new(columns.clone());
    let (mut total, mut fruits) = (0, Vec::new());
    for ((ord, reader), mut passing) in searcher.segment_readers().iter().enumerate().zip(passing) {
        let mut clauses = Vec::with_capacity(weights.len());
        for (w, bound, part) in &weights {
            if let Some(probe) = Probe::new(w.as_ref(), reader, 1.0)? {
                clauses.push(AskedPart { probe, bound: *bound, part: *part });
            }
        }
        let cols = columns.get(reader)?;
        let segment = Segment {
            ord: ord as u32,
            alive: reader.alive_bitset(),
            keep: SegmentFilter::new(search.keep, cols.clone(), search.now),
            cols: &cols,
            boost: search.boost,
        };
        let mut counts = facets.for_segment(ord as u32, reader)?;
        if clauses.iter().any(|c| c.part) {
            total += segment.walk(&mut clauses, &mut passing, &mut best, &mut counts);
        }
        fruits.push(counts.harvest());
    }
    let top = best.into_sorted_vec().into_iter().map(|d| (d.sort_key, d.doc)).collect();
    Ok(Some(Ranked { hits: top, total, counts: facets.merge_fruits(fruits)? }))
}

/// One clause of the plan in a segment.
struct AskedPart {
    probe: Probe,
    bound: Score,
    /// A part (a match), not an extra.
    part: bool,
}

/// The best documents so far: higher score first, then lower address, as tantivy's `TopDocs`.
type Best = TopNComputer<Score, DocAddress, NaturalComparator>;

/// What the walk of one segment reads besides the clauses.
struct Segment<'a> {
    ord: u32,
    alive: Option<&'a AliveBitSet>,
    keep: SegmentFilter,
    cols: &'a SegmentColumns,
    boost: Option<&'a PartnerBoost>,
}

impl Segment<'_> {
    /// Walks the records every filter passes and asks each clause about them; counts the
    /// matches into `counts` and returns their number.
    fn walk(
        &self,
        clauses: &mut [AskedPart],
        filters: &mut [Box<dyn Scorer>],
        best: &mut Best,
        counts: &mut impl SegmentCollector,
    ) -> usize {
        clauses.sort_by(|a, b| b.bound.total_cmp(&a.bound));
        // rest[j]: the most clauses j.. and the boost can add.
        let mut rest: Vec<Score> = vec![self.boost.map_or(0.0, PartnerBoost::most); clauses.len() + 1];
        for j in (0..clauses.len()).rev() {
            rest[j] = rest[j + 1] + clauses[j].bound;
        }
        let mut n = 0;
        let Some((lead, others)) = filters.split_first_mut() else {
            return 0;
        };
        let mut doc = lead.doc();
        while doc != TERMINATED {
            if others.iter_mut().all(|f| f.doc() == doc || (f.doc() < doc && f.seek(doc) == doc)) && self.keeps(doc) {
                let (mut score, mut matched, mut scoring) = (0.0, false, true);
                for (j, c) in clauses.iter_mut().enumerate() {
                    // Once the record cannot reach the page, only whether it matches is asked.
                    scoring = scoring && best.threshold.is_none_or(|t| score + rest[j] > t);
                    if !scoring && matched {
                        break;
                    }
                    if (scoring || c.part) && c.probe.has(doc) {
                        matched |= c.part;
                        if scoring {
                            score += c.probe.score();
                        }
                    }
                }
                if matched {
                    n += 1;
                    counts.collect(doc, 0.0);
                    if scoring {
                        best.push(score + self.boost_of(doc), DocAddress::new(self.ord, doc));
                    }
                }
            }
            doc = lead.advance();
        }
        n
    }

    fn keeps(&self, doc: DocId) -> bool {
        self.alive.is_none_or(|a| a.is_alive(doc)) && self.keep.keeps(doc)
    }

    fn boost_of(&self, doc: DocId) -> Score {
        self.boost.map_or(0.0, |b| b.at(self.cols, doc))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, Term};

    use super::{Search, top};
    use crate::index::columns::{ColumnCache, RecordFilter};
    use crate::index::plan::{Bound, Part, Plan};

    /// Among the records of a selective filter it finds the same best documents, with the same
    /// scores, and the same number of matches as tantivy's search of the filtered plan.
    #[test]
    fn finds_what_the_filtered_query_finds() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let tag = schema.add_text_field("tag", STRING);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let words = ["red", "green", "blue", "apple", "tree", "stone", "river"];
        for i in 0..6000u32 {
            let mut d = TantivyDocument::default();
            if i % 13 == 0 {
                d.add_text(tag, "few");
            }
            let n = 3 + (i % 9);
            let text: Vec<&str> = (0..n).map(|k| words[((i * 31 + k * 17 + k * k) % 7) as usize]).collect();
            d.add_text(body, text.join(" "));
            writer.add_document(d)?;
            if i == 3000 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let t = |w: &str| Term::from_field_text(body, w);
        let term = |w: &str, boost: f32| Part {
            query: Box::new(BoostQuery::new(Box::new(TermQuery::new(t(w), IndexRecordOption::WithFreqs)), boost)),
            bound: Bound::Bm25(vec![t(w)], boost),
        };
        let phrase = Part {
            query: Box::new(BoostQuery::new(Box::new(PhraseQuery::new(vec![t("red"), t("apple")])), 2.0)),
            bound: Bound::Bm25(vec![t("red"), t("apple")], 2.0),
        };
        let plan = Plan {
            parts: vec![term("apple", 3.0), term("stone", 0.5)],
            extras: vec![phrase, term("red", 1.0), term("tree", 0.3)],
            reach: u64::MAX,
        };
        let filters: Vec<Box<dyn Query>> =
            vec![Box::new(TermQuery::new(Term::from_field_text(tag, "few"), IndexRecordOption::Basic))];
        let columns = Arc::new(ColumnCache::default());
        for limit in [1, 10, 100, 1000] {
            let search =
                Search { plan: &plan, filters: &filters, keep: RecordFilter::default(), boost: None, limit, now: 0 };
            let Some(super::Ranked { hits: ours, total, .. }) = top(&searcher, &columns, &search)? else {
                panic!("a filter this selective is walked");
            };
            let filtered = BooleanQuery::new(vec![
                (Occur::Must, plan.query()),
                (Occur::Must, Box::new(tantivy::query::ConstScoreQuery::new(filters[0].box_clone(), 0.0))),
            ]);
            let (theirs, count) = searcher.search(&filtered, &(TopDocs::with_limit(limit).order_by_score(), Count))?;
            assert_eq!(total, count);
            assert!(total > 100 && total < 6000 / 13, "{total}");
            assert_eq!(ours.len(), theirs.len());
            for ((sa, da), (sb, db)) in ours.iter().zip(&theirs) {
                assert!((sa - sb).abs() < 1e-4, "{sa} != {sb}");
                if (sa - sb).abs() < 1e-6 {
                    assert_eq!(da, db);
                }
            }
        }
        Ok(())
    }
}
