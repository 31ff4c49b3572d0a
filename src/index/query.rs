//! Building tantivy queries from analysed tokens (never by handing unspaced Chinese to the query
//! parser, which would make it one exact phrase).

use std::collections::HashSet;
use std::ops::Bound;

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::columns::RecordFilter;
use super::schema::Fields;
use super::skip_union::SkipUnion;
use crate::analysis::{Analyzer, Bridge, Expansion, Mode, PartnerIntent, is_cjk};
use crate::model::{self, Collection};

/// Score added to records of the kind a hint word (团队, lab …) points to.
const HINT_BOOST: f32 = 2.0;

/// A query word found in this many records gets no sub-word or bigram clauses.
const NET_CUTOFF: u64 = 1_000;

/// Most query words used; the rest of a very long query is ignored.
pub const MAX_WORDS: usize = 32;

/// Most expansions by equivalent terms (regional, glossary, aliases), and by related terms.
const MAX_EXPANSIONS: usize = 24;
const MAX_RELATED: usize = 32;

/// Related terms expand queries of at least this many concepts: a natural-language need, whose
/// words a record may put otherwise; a one-word query is taken as the user's precise term.
const RELATED_MIN_CONCEPTS: usize = 2;

/// Coverage credit of a concept met only through a related term (a full match counts 1).
const RELATED_CREDIT: f32 = 0.5;

/// One concept of the query (a content word) and the tokens that count as matching it.
#[derive(Debug, Clone, Default)]
pub struct Concept {
    /// The word itself and its equivalents from the vocabulary bridges.
    pub full: HashSet<String>,
    /// Its sub-words and bigrams: a partial match.
    pub partial: HashSet<String>,
    /// Related terms (`related_terms.tsv`): a match counts [`RELATED_CREDIT`].
    pub related: HashSet<String>,
    /// Weight of the concept in the coverage (its word's IDF: a rare word counts more).
    pub weight: f32,
}

/// The share of `concepts` a document covers, each weighted by [`Concept::weight`] (a partial
/// match counts half, a related term [`RELATED_CREDIT`]); `has` says whether the document
/// contains a token.
pub fn coverage(concepts: &[Concept], has: impl Fn(&str) -> bool) -> f32 {
    if concepts.is_empty() {
        return 1.0;
    }
    let total: f32 = concepts.iter().map(|c| c.weight).sum();
    let sum: f32 = concepts
        .iter()
        .map(|c| {
            if c.full.iter().any(|t| has(t)) {
                1.0
            } else {
                let partial = if c.partial.iter().any(|t| has(t)) { 0.5 } else { 0.0 };
                let related = if c.related.iter().any(|t| has(t)) { RELATED_CREDIT } else { 0.0 };
                f32::max(partial, related)
            }
        } * c.weight)
        .sum();
    if total > 0.0 { sum / total } else { 0.0 }
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
    /// The kinds of partner the query asks for (a re-ranking boost).
    pub intent: PartnerIntent,
    /// Score added to matching records of the kinds the query's partner words point to.
    pub boost: PartnerBoost,
}

/// Score added to a matching record for each partner word of the query (团队, lab …) that
/// points to its kind, and again for each that points to its collection: [`HINT_BOOST`] a time.
/// Added by the collector rather than by query clauses, which would make every record of those
/// kinds a match.
#[derive(Debug, Clone, Default)]
pub struct PartnerBoost {
    /// Per partner word: the kind ordinals and the collection ordinals it points to, as bits.
    words: Vec<(u64, u64)>,
}

impl PartnerBoost {
    /// True when no record is lifted.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&(kinds, colls)| kinds == 0 && colls == 0)
    }

    /// The score added to a record of collection ordinal `collection` and kind ordinal `kind`.
    pub fn of(&self, collection: u8, kind: u8) -> f32 {
        let has = RecordFilter::has;
        let hits: usize =
            self.words.iter().map(|&(kinds, colls)| has(kinds, kind) as usize + has(colls, collection) as usize).sum();
        hits as f32 * HINT_BOOST
    }
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
    let df = doc_freq(searcher, f, token) as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Number of records with `token` in their body or their name (the larger).
fn doc_freq(searcher: &Searcher, f: &Fields, token: &str) -> u64 {
    [f.body_s, f.title_s]
        .iter()
        .filter_map(|field| searcher.doc_freq(&Term::from_field_text(*field, token)).ok())
        .max()
        .unwrap_or(0)
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
    // Partner words (团队, 高校, lab …) say who is wanted, not what about: they are searched for
    // only when the query has no other word.
    let only_partners = words.iter().all(|w| vocab.is_hint(w));
    let searched = |w: &String| words.contains(w) && (only_partners || !vocab.is_hint(w));
    let mut terms: HashSet<String> = words.iter().filter(|w| searched(w)).cloned().collect();
    let mut bigrams: HashSet<String> = HashSet::new();
    let mut top: Vec<Box<dyn Query>> = Vec::new();

    let mut concepts: Vec<Concept> = Vec::new();
    let mut boost = PartnerBoost::default();
    for w in &words {
        if searched(w) {
            let (group, concept) = word_group(analyzer, searcher, f, w, &mut terms, &mut bigrams);
            top.push(group);
            if !vocab.is_hint(w) {
                concepts.push(concept);
            }
        }
        if vocab.is_hint(w) {
            // A word naming the partner wanted lifts records of those kinds a little. When the
            // query has words about what is wanted, only records matching those are lifted (the
            // boost is added to their score); a query of partner words alone finds those kinds.
            let kinds = vocab.hint_kinds(w);
            let ords: Vec<u64> = kinds.iter().filter_map(|k| model::code_ord(&model::KINDS, k)).collect();
            let colls: Vec<u64> = kinds.iter().filter_map(|k| Collection::parse(k)).map(Collection::ord).collect();
            if only_partners {
                if !ords.is_empty() {
                    top.push(Box::new(ConstScoreQuery::new(any_of(f.kind, &ords), HINT_BOOST)));
                }
                if !colls.is_empty() {
                    top.push(Box::new(ConstScoreQuery::new(any_of(f.collection, &colls), HINT_BOOST)));
                }
            } else {
                boost.words.push((RecordFilter::bits(ords), RecordFilter::bits(colls)));
            }
        }
    }

    // Vocabulary bridges: regional terms, the glossary, aliases — weighted below the user's words;
    // then related terms, weighted below those.
    let expansions = vocab.expand(&all);
    let related = if concepts.len() >= RELATED_MIN_CONCEPTS { vocab.related(&all, &expansions) } else { Vec::new() };
    let chosen = expansions.iter().take(MAX_EXPANSIONS).chain(related.iter().take(MAX_RELATED));
    for e in chosen {
        let span = &all[e.start..e.start + e.len];
        if !span.iter().any(&searched) && !span.iter().all(|w| vocab.is_stopword(w)) {
            continue;
        }
        let content: Vec<String> = e.tokens.iter().filter(|t| !vocab.is_stopword(t)).cloned().collect();
        terms.extend(content.iter().cloned());
        for c in concepts.iter_mut() {
            if c.full.iter().any(|w| span.contains(w)) {
                let into = if e.bridge == Bridge::Related { &mut c.related } else { &mut c.full };
                into.extend(content.iter().cloned());
            }
        }
        top.push(expansion_query(searcher, f, span, e));
    }

    // Phrase boosts for each run of consecutive searched words.
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for w in all.iter().take(MAX_WORDS * 2) {
        if vocab.is_stopword(w) || (vocab.is_hint(w) && !only_partners) {
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
    let intent = PartnerIntent::of(vocab, &all);
    Some(TextQuery { concepts, query: should(top), terms, bigrams, intent, boost })
}

/// The clauses of one query word (name, body and labels, its sub-words, its bigrams) and the
/// concept it stands for in the coverage; new sub-words and bigrams go to `terms` and `bigrams`.
fn word_group(
    analyzer: &Analyzer,
    searcher: &Searcher,
    f: &Fields,
    w: &str,
    terms: &mut HashSet<String>,
    bigrams: &mut HashSet<String>,
) -> (Box<dyn Query>, Concept) {
    let weight = idf(searcher, f, w).max(0.1);
    let mut concept = Concept { full: HashSet::from([w.to_string()]), weight, ..Concept::default() };
    let mut group = word_clauses(f, w, 1.0);
    let cjk = w.chars().filter(|c| is_cjk(*c)).count();
    // The sub-word and bigram nets find a word written otherwise (inside a longer word, cut
    // differently); a word this many records contain already finds enough, and its nets would
    // only add weak matches (模块 for 功率模块) that every search of it must then visit.
    let netted = doc_freq(searcher, f, w) < NET_CUTOFF;
    if cjk >= 3 && netted {
        for sub in analyzer.tokens(w, Mode::Search) {
            if sub.text != w {
                concept.partial.insert(sub.text.clone());
            }
            if sub.text != w && terms.insert(sub.text.clone()) {
                group.push(term(f.title_s, &sub.text, 0.8));
                group.push(term(f.body_s, &sub.text, 0.3));
            }
        }
    }
    if cjk >= 2 && cjk == w.chars().count() && netted {
        let grams: Vec<String> = analyzer.tokens(w, Mode::Bigrams).into_iter().map(|t| t.text).collect();
        let all_grams = must(grams.iter().map(|g| term(f.bigram, g, 1.0)).collect());
        group.push(Box::new(BoostQuery::new(all_grams, 0.3)));
        concept.partial.extend(grams.iter().filter(|g| *g != w).cloned());
        bigrams.extend(grams);
    }
    (should(group), concept)
}

/// The clauses of one expansion, weighted by its bridge and never above the words it replaces
/// (scaled by the ratio of their IDF).
fn expansion_query(searcher: &Searcher, f: &Fields, span: &[String], e: &Expansion) -> Box<dyn Query> {
    let ratio = (mean_idf(searcher, f, span) / mean_idf(searcher, f, &e.tokens).max(0.01)).clamp(0.2, 1.0);
    let q = if e.tokens.len() == 1 {
        should(word_clauses(f, &e.tokens[0], 1.0))
    } else {
        // Every token, each in any field. Each token's fields form a union that skips cheaply: the
        // intersection skips it to every candidate of the rarest token.
        let parts = e.tokens.iter().map(|t| -> Box<dyn Query> { Box::new(SkipUnion::new(word_clauses(f, t, 1.0))) });
        let phrase = phrase(f.body_w, &e.tokens, 1.0).into_iter().chain(phrase(f.title_w, &e.tokens, 2.0));
        should(std::iter::once(must(parts.collect())).chain(phrase).collect())
    };
    Box::new(BoostQuery::new(q, e.weight() * ratio))
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
