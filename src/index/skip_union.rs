//! A disjunction that skips cheaply, for the few clauses of one word nested in an intersection.
//!
//! tantivy scores a `Should` disjunction with a buffered union: it decodes every clause over a
//! window of 4,096 documents at a time, which is fast to iterate but makes each long skip cost a
//! whole window. Inside an intersection (all the words of a multi-word expansion, each in any
//! field) that union is skipped to every candidate of the rarest word, and at a million records
//! those refills were most of a query's time. This union keeps no buffer: it skips each clause
//! to the target and takes the smallest document.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// The clauses of a sum of clauses ([`SkipUnion`], [`super::score_only::ScoreOnly`]): what
/// such a query clones, weighs and visits.
#[derive(Debug)]
pub(super) struct Clauses(Vec<Box<dyn Query>>);

impl Clone for Clauses {
    fn clone(&self) -> Self {
        Clauses(self.0.iter().map(|c| c.box_clone()).collect())
    }
}

impl Clauses {
    pub(super) fn new(clauses: Vec<Box<dyn Query>>) -> Clauses {
        Clauses(clauses)
    }

    /// Each clause's weight.
    pub(super) fn weights(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Vec<Box<dyn Weight>>> {
        self.0.iter().map(|c| c.weight(scoring)).collect()
    }

    /// Each clause's terms.
    pub(super) fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for c in &self.0 {
            c.query_terms(visitor);
        }
    }
}

/// Matches what any clause matches; scores a document by the sum of its matching clauses (as a
/// `Should`-only `BooleanQuery` does).
#[derive(Debug, Clone)]
pub struct SkipUnion {
    clauses: Clauses,
}

impl SkipUnion {
    /// The union of `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>) -> SkipUnion {
        SkipUnion { clauses: Clauses::new(clauses) }
    }
}

impl Query for SkipUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SkipUnionWeight { weights: self.clauses.weights(scoring)? }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.clauses.query_terms(visitor);
    }
}

struct SkipUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SkipUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.remove(0),
            _ => {
                let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
                Box::new(SkipUnionScorer { scorers, doc })
            }
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("SkipUnion, sum of the matching clauses", scorer.score()))
    }
}

struct SkipUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SkipUnionScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self.scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SkipUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        for s in &mut self.scorers {
            if s.doc() == current {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|s| s.size_hint()).fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for SkipUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.scorers.iter_mut().filter(|s| s.doc() == doc).map(|s| s.score()).sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, Term, doc};

    use super::SkipUnion;

    /// Every document matched, with its score, by `query`.
    fn hits(index: &Index, query: &dyn Query) -> Vec<(u32, f32)> {
        let searcher = index.reader().map(|r| r.searcher()).expect("searcher");
        let mut out: Vec<(u32, f32)> = searcher
            .search(query, &TopDocs::with_limit(1000).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(score, addr)| (addr.doc_id, score))
            .collect();
        out.sort_by_key(|h| h.0);
        out
    }

    #[test]
    fn matches_and_scores_as_a_should_query_also_inside_an_intersection() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", STRING);
        let b = schema.add_text_field("b", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).expect("writer");
        for i in 0..20_000u32 {
            // x in field a every 7th, in field b every 11th; y every 1,000th.
            let mut d = doc!();
            d.add_text(a, if i % 7 == 0 { "x" } else { "-" });
            d.add_text(b, if i % 11 == 0 { "x" } else { "-" });
            if i % 1_000 == 0 {
                d.add_text(a, "y");
            }
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        let term = |f, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(f, t), IndexRecordOption::WithFreqs))
        };
        let clauses = || vec![term(a, "x"), term(b, "x")];
        let should: Box<dyn Query> =
            Box::new(BooleanQuery::new(clauses().into_iter().map(|c| (Occur::Should, c)).collect()));
        let skip: Box<dyn Query> = Box::new(SkipUnion::new(clauses()));
        let close = |l: &[(u32, f32)], r: &[(u32, f32)]| {
            l.len() == r.len() && l.iter().zip(r).all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() < 1e-4)
        };
        let (want, got) = (hits(&index, &should), hits(&index, &skip));
        assert!(!want.is_empty() && close(&want, &got), "alone: {} vs {}", want.len(), got.len());
        let and = |q: Box<dyn Query>| BooleanQuery::new(vec![(Occur::Must, term(a, "y")), (Occur::Must, q)]);
        let (want, got) = (hits(&index, &and(should)), hits(&index, &and(skip)));
        assert!(!want.is_empty() && close(&want, &got), "in an intersection: {want:?} vs {got:?}");
    }
}
