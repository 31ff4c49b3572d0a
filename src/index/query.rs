//! Building tantivy queries from analysed tokens (never by handing unspaced Chinese to the query
//! parser, which would make it one exact phrase).

use std::collections::HashSet;
use std::ops::Bound;

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::schema::Fields;
use crate::analysis::{Analyzer, Mode, is_cjk};

/// Score added to records of the kind a hint word (团队, lab …) points to.
const HINT_BOOST: f32 = 2.0;

/// Most query words used; the rest of a very long query is ignored.
pub const MAX_WORDS: usize = 32;

/// One concept of the query (a content word) and the tokens that count as matching it.
#[derive(Debug, Clone, Default)]
pub struct Concept {
    /// The word itself and its equivalents from the vocabulary bridges.
    pub full: HashSet<String>,
    /// Its sub-words and bigrams: a partial match.
    pub partial: HashSet<String>,
}

/// The share of `concepts` a document covers (a partial match counts half); `has` says whether
/// the document contains a token.
pub fn coverage(concepts: &[Concept], has: impl Fn(&str) -> bool) -> f32 {
    if concepts.is_empty() {
        return 1.0;
    }
    let sum: f32 = concepts
        .iter()
        .map(|c| {
            if c.full.iter().any(|t| has(t)) {
                1.0
            } else if c.partial.iter().any(|t| has(t)) {
                0.5
            } else {
                0.0
            }
        })
        .sum();
    sum / concepts.len() as f32
}

/// A text query and what to highlight for it.
pub struct TextQuery {
    /// The content words of the query, for re-ranking by coverage.
    pub concepts: Vec<Concept>,
    /// The query.
    pub query: Box<dyn Query>,
    /// Normalised tokens to mark in snippets (words, sub-words, expansions).
    pub terms: HashSet<String>,
    /// CJK bigrams of the query words, marked when no word matched.
    pub bigrams: HashSet<String>,
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn should(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn must(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Must, q)).collect()))
}

/// The clauses of one word: name fields above body, body above context labels.
fn word_clauses(f: &Fields, w: &str, weight: f32) -> Vec<Box<dyn Query>> {
    vec![term(f.title_s, w, 3.0 * weight), term(f.body_s, w, weight), term(f.meta_s, w, 0.5 * weight)]
}

/// Inverse document frequency of a token in the body and name fields (BM25's formula), used to
/// keep a rare synonym from outscoring the word the user typed.
fn idf(searcher: &Searcher, f: &Fields, token: &str) -> f32 {
    let n = searcher.num_docs() as f32;
    let df = [f.body_s, f.title_s]
        .iter()
        .filter_map(|field| searcher.doc_freq(&Term::from_field_text(*field, token)).ok())
        .max()
        .unwrap_or(0) as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn mean_idf(searcher: &Searcher, f: &Fields, tokens: &[String]) -> f32 {
    if tokens.is_empty() {
        return 1.0;
    }
    tokens.iter().map(|t| idf(searcher, f, t)).sum::<f32>() / tokens.len() as f32
}

/// Builds the query for the text `q`, or `None` when it has no searchable token.
pub fn text_query(analyzer: &Analyzer, searcher: &Searcher, f: &Fields, q: &str) -> Option<TextQuery> {
    let all: Vec<String> = merge_single_characters(analyzer, analyzer.words(q));
    let vocab = analyzer.vocab();
    let content: Vec<&String> = all.iter().filter(|w| !vocab.is_stopword(w)).collect();
    let kept: Vec<&String> = if content.is_empty() { all.iter().collect() } else { content };
    let mut words: Vec<String> = Vec::new();
    for w in kept {
        if !words.contains(w) && words.len() < MAX_WORDS {
            words.push(w.clone());
        }
    }
    if words.is_empty() {
        return None;
    }
    let mut terms: HashSet<String> = words.iter().cloned().collect();
    let mut bigrams: HashSet<String> = HashSet::new();
    let mut top: Vec<Box<dyn Query>> = Vec::new();

    let mut concepts: Vec<Concept> = Vec::new();
    for w in &words {
        let mut concept = Concept { full: HashSet::from([w.clone()]), partial: HashSet::new() };
        let mut group = word_clauses(f, w, 1.0);
        let cjk = w.chars().filter(|c| is_cjk(*c)).count();
        if cjk >= 3 {
            for sub in analyzer.tokens(w, Mode::Search) {
                if &sub.text != w {
                    concept.partial.insert(sub.text.clone());
                }
                if &sub.text != w && terms.insert(sub.text.clone()) {
                    group.push(term(f.title_s, &sub.text, 0.8));
                    group.push(term(f.body_s, &sub.text, 0.3));
                }
            }
        }
        if cjk >= 2 && cjk == w.chars().count() {
            let grams: Vec<String> = analyzer.tokens(w, Mode::Bigrams).into_iter().map(|t| t.text).collect();
            let all_grams = must(grams.iter().map(|g| term(f.bigram, g, 1.0)).collect());
            group.push(Box::new(BoostQuery::new(all_grams, 0.3)));
            concept.partial.extend(grams.iter().filter(|g| *g != w).cloned());
            bigrams.extend(grams);
        }
        top.push(should(group));
        if vocab.is_hint(w) {
            // A word naming the partner wanted lifts records of those kinds a little.
            let kinds = vocab.hint_kinds(w);
            let ords: Vec<u64> = kinds.iter().filter_map(|k| crate::model::code_ord(&crate::model::KINDS, k)).collect();
            if !ords.is_empty() {
                top.push(Box::new(ConstScoreQuery::new(any_of(f.kind, &ords), HINT_BOOST)));
            }
            let colls: Vec<u64> =
                kinds.iter().filter_map(|k| crate::model::Collection::parse(k)).map(|c| c.ord()).collect();
            if !colls.is_empty() {
                top.push(Box::new(ConstScoreQuery::new(any_of(f.collection, &colls), HINT_BOOST)));
            }
        } else {
            concepts.push(concept);
        }
    }

    // Vocabulary bridges: regional terms, the glossary, aliases — weighted below the user's words.
    let expansions = vocab.expand(&all);
    for e in expansions.iter().take(24) {
        let content: Vec<String> = e.tokens.iter().filter(|t| !vocab.is_stopword(t)).cloned().collect();
        terms.extend(content.iter().cloned());
        let span = &all[e.start..e.start + e.len];
        for c in concepts.iter_mut() {
            if c.full.iter().any(|w| span.contains(w)) {
                c.full.extend(content.iter().cloned());
            }
        }
        // An expansion never weighs more than the words it replaces: scale by the IDF ratio.
        let ratio = (mean_idf(searcher, f, &all[e.start..e.start + e.len])
            / mean_idf(searcher, f, &e.tokens).max(0.01))
        .clamp(0.2, 1.0);
        let q = if e.tokens.len() == 1 {
            should(word_clauses(f, &e.tokens[0], 1.0))
        } else {
            let parts = e.tokens.iter().map(|t| should(word_clauses(f, t, 1.0))).collect();
            let phrase = phrase(f.body_w, &e.tokens, 1.0).into_iter().chain(phrase(f.title_w, &e.tokens, 2.0));
            should(std::iter::once(must(parts)).chain(phrase).collect())
        };
        top.push(Box::new(BoostQuery::new(q, e.weight * ratio)));
    }

    // Phrase boosts for each run of consecutive content words.
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for w in all.iter().take(MAX_WORDS * 2) {
        if vocab.is_stopword(w) {
            runs.push(std::mem::take(&mut run));
        } else {
            run.push(w.clone());
        }
    }
    runs.push(run);
    for r in runs.iter().filter(|r| r.len() >= 2) {
        top.extend(phrase(f.title_w, r, 4.0));
        top.extend(phrase(f.body_w, r, 2.0));
    }

    // The whole query equal to a name or an alias.
    let key = analyzer.key(q);
    if !key.is_empty() {
        top.push(Box::new(BoostQuery::new(
            Box::new(TermQuery::new(Term::from_field_text(f.name_key, &key), IndexRecordOption::Basic)),
            8.0,
        )));
    }
    Some(TextQuery { concepts, query: should(top), terms, bigrams })
}

/// Joins runs of lone CJK characters (钙 / 钛, cut from an unknown word) back into one word,
/// which the bigram field can still find inside longer words (钙钛矿).
fn merge_single_characters(analyzer: &Analyzer, words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut run = String::new();
    for w in words {
        let single = w.chars().count() == 1 && w.chars().all(is_cjk) && !analyzer.vocab().is_stopword(&w);
        if single {
            run.push_str(&w);
            continue;
        }
        if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        out.push(w);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

fn phrase(field: Field, words: &[String], boost: f32) -> Option<Box<dyn Query>> {
    if words.len() < 2 {
        return None;
    }
    let terms = words.iter().map(|w| Term::from_field_text(field, w)).collect();
    Some(Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost)))
}

/// A filter matching any of `values` in a u64 field.
pub fn any_of(field: Field, values: &[u64]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|v| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(Term::from_field_u64(field, *v), IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect(),
    ))
}

/// Documents whose i64 `field` is greater than `value`.
pub fn greater_than(field: Field, value: i64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(Bound::Excluded(Term::from_field_i64(field, value)), Bound::Unbounded))
}
