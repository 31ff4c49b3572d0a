//! Clauses that only add to the score of documents another clause matched.
//!
//! As the `Should` side of a `BooleanQuery` with a `Must` clause, a union is asked, for each
//! match of the `Must` side, whether it matches that document too. A plain union answers by
//! seeking to the next document it matches, and a phrase seeks by reading positions candidate
//! after candidate until the words stand side by side: a phrase of common words that seldom
//! does is read almost whole. [`ScoreOnly`] asks each clause only about the document at hand
//! (tantivy's `seek_danger`), so a phrase reads positions only where all its words are. The
//! clauses' scorers are made the same way (`scorer_danger` at the first document): a phrase
//! scorer made the usual way first scans for the phrase's first match in the segment.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, TantivyError, Term};

use super::skip_union::Clauses;

/// Adds the scores of the `clauses` matching a document. It must only be the `Should` side of a
/// `BooleanQuery` that has a `Must` clause: alone it would not find its documents (its scorer
/// answers "which is your next document" with a lower bound, not a match).
#[derive(Debug, Clone)]
pub struct ScoreOnly {
    clauses: Clauses,
}

impl ScoreOnly {
    /// The scores of `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>) -> ScoreOnly {
        ScoreOnly { clauses: Clauses::new(clauses) }
    }
}

impl Query for ScoreOnly {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ScoreOnlyWeight { weights: self.clauses.weights(scoring)? }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.clauses.query_terms(visitor);
    }
}

struct ScoreOnlyWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for ScoreOnlyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            if let Some(probe) = Probe::new(w.as_ref(), reader, boost)? {
                clauses.push(ScoringClause { probe, matched: false });
            }
        }
        if clauses.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(ScoreOnlyScorer { clauses, doc: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("ScoreOnly, sum of the matching clauses", scorer.score()))
    }
}

/// A scorer asked only whether it matches given documents, in increasing order
/// (`seek_danger`): a phrase reads positions only where all its words are. It is made the same
/// way (`scorer_danger` at the first document): a phrase scorer made the usual way first scans
/// for the phrase's first match in the segment.
pub(super) struct Probe {
    scorer: Box<dyn Scorer>,
    /// Its next document is at least this one ...
    next: DocId,
    /// ... and is exactly this one (the scorer is positioned on it).
    exact: bool,
}

impl Probe {
    /// The probe of `weight` in `reader`; `None` when it matches nothing there.
    pub(super) fn new(weight: &dyn Weight, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<Probe>> {
        let (found, scorer) = weight.scorer_danger(reader, 0, boost)?;
        let (next, exact) = match found {
            SeekDangerResult::Found => (0, true),
            SeekDangerResult::SeekLowerBound(bound) => (bound, false),
        };
        Ok((next != TERMINATED).then_some(Probe { scorer, next, exact }))
    }

    /// Whether it matches `doc`, which must be after every document asked about before.
    pub(super) fn has(&mut self, doc: DocId) -> bool {
        if self.next > doc {
            return false;
        }
        if self.next == doc && self.exact {
            return true;
        }
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                (self.next, self.exact) = (doc, true);
                true
            }
            SeekDangerResult::SeekLowerBound(bound) => {
                (self.next, self.exact) = (bound, false);
                false
            }
        }
    }

    /// A lower bound of its next match.
    fn next(&self) -> DocId {
        self.next
    }

    /// The score of the document [`Probe::has`] last matched.
    pub(super) fn score(&mut self) -> Score {
        self.scorer.score()
    }

    fn size_hint(&self) -> u32 {
        self.scorer.size_hint()
    }
}

struct ScoringClause {
    probe: Probe,
    /// It matches the document last sought.
    matched: bool,
}

struct ScoreOnlyScorer {
    clauses: Vec<ScoringClause>,
    doc: DocId,
}

impl DocSet for ScoreOnlyScorer {
    /// Not a search: the next document any clause may match, which is a lower bound.
    fn advance(&mut self) -> DocId {
        let target = self.doc.saturating_add(1).min(TERMINATED);
        self.seek(target)
    }

    /// `target` when a clause matches it; otherwise a document after it (a lower bound of the
    /// next match). Targets must increase.
    fn seek(&mut self, target: DocId) -> DocId {
        if target < self.doc || (target == self.doc && self.clauses.iter().any(|c| c.matched)) {
            return self.doc;
        }
        let mut found = false;
        let mut lowest = TERMINATED;
        for c in &mut self.clauses {
            c.matched = c.probe.has(target);
            found |= c.matched;
            lowest = lowest.min(c.probe.next());
        }
        self.doc = if found { target } else { lowest };
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses.iter().map(|c| c.probe.size_hint()).fold(0u32, u32::saturating_add)
    }
}

impl Scorer for ScoreOnlyScorer {
    fn score(&mut self) -> Score {
        self.clauses.iter_mut().filter(|c| c.matched).map(|c| c.probe.score()).sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, Term, doc};

    use super::ScoreOnly;

    /// As the optional side of a `Must`, it gives every match the score a `Should` union of the
    /// same clauses (terms and phrases) gives it.
    #[test]
    fn scores_each_required_match_as_a_should_union_does() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let tag = schema.add_text_field("tag", STRING);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let words = ["red", "green", "blue", "apple", "tree"];
        for i in 0..3000u32 {
            let mut d = TantivyDocument::default();
            if i % 7 == 0 {
                d.add_text(tag, "must");
            }
            let text: Vec<&str> = (0..6).map(|k| words[((i * 31 + k * 17) % 5) as usize]).collect();
            d.add_text(body, text.join(" "));
            writer.add_document(d)?;
        }
        writer.add_document(doc!(tag => "must", body => "red apple"))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |f, w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqsAndPositions))
        };
        let optional = || -> Vec<Box<dyn Query>> {
            let phrase =
                PhraseQuery::new(vec![Term::from_field_text(body, "red"), Term::from_field_text(body, "apple")]);
            vec![term(body, "green"), Box::new(phrase), term(body, "tree")]
        };
        let with = |q: Box<dyn Query>| BooleanQuery::new(vec![(Occur::Must, term(tag, "must")), (Occur::Should, q)]);
        let ours = with(Box::new(ScoreOnly::new(optional())));
        let theirs = with(Box::new(BooleanQuery::new(optional().into_iter().map(|q| (Occur::Should, q)).collect())));
        let top = |q: &BooleanQuery| searcher.search(q, &TopDocs::with_limit(1000).order_by_score());
        let (a, b) = (top(&ours)?, top(&theirs)?);
        assert_eq!(a.len(), 430);
        assert_eq!(a.len(), b.len());
        for ((sa, da), (sb, db)) in a.iter().zip(&b) {
            assert_eq!(da, db);
            assert!((sa - sb).abs() < 1e-4, "{sa} != {sb}");
        }
        Ok(())
    }
}
