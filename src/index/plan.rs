//! A text query as a flat sum of parts, each with an upper bound of its score: the shape
//! [`super::by_filter`] needs to skip the documents that cannot reach the best ones.

use tantivy::query::{Bm25Weight, BooleanQuery, Occur, Query};
use tantivy::{Score, Searcher, Term};

use super::score_only::ScoreOnly;

/// What a part can score at most, as built from its terms.
#[derive(Debug, Clone)]
pub enum Bound {
    /// A term (one entry) or a phrase (several, one field) scored by BM25, times a boost.
    Bm25(Vec<Term>, Score),
    /// A constant score.
    Const(Score),
    /// The sum of the bounds, times a boost.
    Sum(Vec<Bound>, Score),
}

impl Bound {
    /// The bound's value on the statistics of `searcher` (BM25's score as the term frequency
    /// grows without limit: the IDF times `1 + k1` times the boost).
    pub fn value(&self, searcher: &Searcher) -> tantivy::Result<Score> {
        Ok(match self {
            Bound::Bm25(terms, _) if terms.is_empty() => 0.0,
            Bound::Bm25(terms, boost) => Bm25Weight::for_terms(searcher, terms)?.boost_by(*boost).max_score(),
            Bound::Const(c) => *c,
            Bound::Sum(parts, boost) => {
                let mut sum = 0.0;
                for p in parts {
                    sum += p.value(searcher)?;
                }
                sum * boost
            }
        })
    }
}

/// One part of a text query and the bound of its score.
#[derive(Debug)]
pub struct Part {
    /// The query.
    pub query: Box<dyn Query>,
    /// Its score is at most this.
    pub bound: Bound,
}

impl Clone for Part {
    fn clone(&self) -> Self {
        Part { query: self.query.box_clone(), bound: self.bound.clone() }
    }
}

/// A text query: a document matching any of `parts` is a match, scored by the sum of the
/// parts and of the `extras` it matches (the extras alone make no match).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Any of these makes a match.
    pub parts: Vec<Part>,
    /// These only add to the score of a match.
    pub extras: Vec<Part>,
    /// About how many postings the parts' union reads (each part at most its clause's
    /// records): the cost of walking the matches.
    pub reach: u64,
}

impl Plan {
    /// The plan as one tantivy query: a union of the parts, with the extras looked for only in
    /// its matches ([`ScoreOnly`]).
    pub fn query(&self) -> Box<dyn Query> {
        with_extra(self.matching(), self.extras.iter().map(|p| p.query.box_clone()))
    }

    /// The union of the parts: the same matches as [`Plan::query`], for counting them.
    pub fn matching(&self) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.parts.iter().map(|p| (Occur::Should, p.query.box_clone())).collect()))
    }
}

/// The records `matching` matches, scored also by the `extra` clauses they match (looked for in
/// those records only, [`ScoreOnly`]).
pub fn with_extra(matching: Box<dyn Query>, extra: impl IntoIterator<Item = Box<dyn Query>>) -> Box<dyn Query> {
    let extra: Vec<Box<dyn Query>> = extra.into_iter().collect();
    if extra.is_empty() {
        return matching;
    }
    Box::new(BooleanQuery::new(vec![(Occur::Must, matching), (Occur::Should, Box::new(ScoreOnly::new(extra)))]))
}
