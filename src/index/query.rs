//! Building tantivy queries from analysed tokens (never by handing unspaced Chinese to the query
//! parser, which would make it one exact phrase).

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops;

use rustc_hash::FxHashMap;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, Term};

use super::columns::{RecordFilter, SegmentColumns};
use super::plan::{Bound, Part, Plan, with_extra};
use super::schema::Fields;
use super::skip_union::SkipUnion;
use crate::analysis::{Analyzer, Bridge, Expansion, Mode, PartnerIntent, Vocab, is_cjk};
use crate::model::{self, Collection};
use crate::weights::{expansions, fields, phrases, rerank, subwords};

/// A query word found in this many records gets no sub-word or bigram clauses.
const NET_CUTOFF: u64 = 1_000;

/// A word common in general text is generic when at least this share of the records hold it
/// ([`TokenDf::generic`]).
const GENERIC_SHARE: f64 = 0.05;

/// A query word is common, at large sizes, when this share of the records contain it (or its
/// equivalents) ...
const COMMON_SHARE: f64 = 0.01;
/// ... and at least this many: below it every word is rare, and any one word is a match.
const COMMON_FLOOR: u64 = 1_000;

/// A query of common words only must have each of them when its rarest word is in fewer records
/// than this share of the words' mean: intersecting skips to that word's records, which costs
/// more per record than walking a union. At a million records 科技 大学 (158,770 and 168,982
/// records: 30 % slower intersected) keeps any word a match; AI 芯片 (60,641 and 185,799: 20 %
/// faster) does not.
const EVERY_WORD_SHARE: f64 = 0.6;

/// Most query words used; the rest of a very long query is ignored.
pub const MAX_WORDS: usize = 32;

/// Most expansions by equivalent terms (regional, glossary, aliases), and by related terms.
const MAX_EXPANSIONS: usize = 24;
const MAX_RELATED: usize = 32;

/// One concept of the query (a content word) and the tokens that count as matching it.
#[derive(Debug, Clone, Default)]
pub struct Concept {
    /// The word itself and its equivalents from the vocabulary bridges.
    pub full: HashSet<String>,
    /// Its sub-words and bigrams: a partial match.
    pub partial: HashSet<String>,
    /// Related terms (`related_terms.tsv`): a match counts [`rerank::RELATED_CREDIT`].
    pub related: HashSet<String>,
    /// Weight of the concept in the coverage (its word's IDF: a rare word counts more).
    pub weight: f32,
}

/// The share of `concepts` a document covers, each weighted by [`Concept::weight`] (a partial
/// match counts [`rerank::PARTIAL_CREDIT`], a related term [`rerank::RELATED_CREDIT`]); `has`
/// says whether the document contains a token.
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
                let partial = if c.partial.iter().any(|t| has(t)) { rerank::PARTIAL_CREDIT } else { 0.0 };
                let related = if c.related.iter().any(|t| has(t)) { rerank::RELATED_CREDIT } else { 0.0 };
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
    /// The query: any one word (or an equivalent) is a match.
    pub any: Plan,
    /// The same clauses when some words are common in this index and some rare
    /// ([`precise_query`]: only records with a rare word are matches) or all are common
    /// ([`every_word_query`]: only records with each word are), with which of the two it is.
    /// The matches score as they do in `any`.
    pub precise: Option<(Plan, Matching)>,
    /// Normalised tokens to mark in snippets (words, sub-words, expansions).
    pub terms: HashSet<String>,
    /// CJK bigrams of the query words, marked when no word matched.
    pub bigrams: HashSet<String>,
    /// The kinds of partner the query asks for (a re-ranking boost).
    pub intent: PartnerIntent,
    /// Score added to matching records of the kinds the query's partner words point to.
    pub boost: PartnerBoost,
}

/// Which records a text query matched; a search answer says it as `matching`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Records with any word of the query (or an equivalent).
    Any,
    /// Records with a word that is rare in the index; the common words only rank them.
    Rare,
    /// Records with each word of the query, all of them common in the index.
    Every,
}

/// Score added to a matching record for each partner word of the query (团队, lab …) that
/// points to its kind, and again for each that points to its collection: [`phrases::HINT`] a
/// time. Added by the collector rather than by query clauses, which would make every record of
/// those kinds a match.
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

    /// The most score [`PartnerBoost::at`] adds to a record.
    pub fn most(&self) -> f32 {
        self.words.len() as f32 * 2.0 * phrases::HINT
    }

    /// The score added to document `doc` of the segment whose columns are `columns`.
    pub fn at(&self, columns: &SegmentColumns, doc: DocId) -> f32 {
        let d = doc as usize;
        match (columns.collection.get(d), columns.kind.get(d)) {
            (Some(&collection), Some(&kind)) => self.of(collection, kind),
            _ => 0.0,
        }
    }

    /// The score added to a record of collection ordinal `collection` and kind ordinal `kind`.
    fn of(&self, collection: u8, kind: u8) -> f32 {
        let has = RecordFilter::has;
        let hits: usize =
            self.words.iter().map(|&(kinds, colls)| has(kinds, kind) as usize + has(colls, collection) as usize).sum();
        hits as f32 * phrases::HINT
    }
}

/// One clause of a text query (a word with its fields and nets, an expansion, a phrase …) and
/// what [`precise_query`] needs to know of it.
struct Clause {
    /// The clause as parts whose scores add up to its score: the text query is one union of
    /// every clause's parts.
    parts: Vec<Part>,
    /// The query words (indices of their concepts) it matches.
    units: Vec<usize>,
    /// About how many records it matches.
    df: u64,
    /// An expansion by a related term.
    related: bool,
    /// The whole query as a name: always a match.
    key: bool,
    /// Only adds to the score of records other clauses match (a phrase of the query's words).
    score_only: bool,
}

impl Clause {
    fn of(part: Part) -> Clause {
        Clause::of_parts(vec![part])
    }

    fn of_parts(parts: Vec<Part>) -> Clause {
        Clause { parts, units: Vec::new(), df: 0, related: false, key: false, score_only: false }
    }

    /// A clause that only adds to the score of records other clauses match.
    fn score_only(part: Part) -> Clause {
        Clause { score_only: true, ..Clause::of(part) }
    }

    /// About how many postings its parts read: each at most the clause's records.
    fn reach(&self) -> u64 {
        self.df.saturating_mul(self.parts.len() as u64)
    }

    fn parts(&self) -> impl Iterator<Item = Part> + '_ {
        self.parts.iter().cloned()
    }
}

/// Records a query word must be in to be common in an index of `num_docs` records
/// ([`COMMON_SHARE`], at least [`COMMON_FLOOR`]).
fn common_cutoff(num_docs: u64) -> u64 {
    ((num_docs as f64 * COMMON_SHARE) as u64).max(COMMON_FLOOR)
}

/// The query that matches fewer records when some query words are common in the index and some
/// are rare, as Lucene's common-terms query does: a record must contain a rare word (or its
/// equivalent). The common words and the phrases then only add to the score of those records,
/// by the same amounts as in the query where any word is a match. `None` when no word is rare or
/// none is common.
///
/// At a million records a long need (焊装线机器人离线编程…) otherwise matches 40 % of them
/// through its common words (机器人, 团队), and each match is scored and counted.
fn precise_query(clauses: &[Clause], df: &[u64], cutoff: u64) -> Option<Plan> {
    let rare: Vec<bool> = df.iter().map(|&d| d > 0 && d < cutoff).collect();
    let common = df.iter().filter(|&&d| d >= cutoff).count();
    if !rare.contains(&true) || common == 0 {
        return None;
    }
    let mut plan = Plan::default();
    for c in clauses {
        // Any clause of a rare word is a match, but not a related term as common as a common word.
        let of_rare = c.units.iter().any(|&u| rare[u]) && !(c.related && c.df >= cutoff);
        if (c.key || of_rare) && !c.score_only {
            plan.parts.extend(c.parts());
            plan.reach += c.reach();
        } else {
            plan.extras.extend(c.parts());
        }
    }
    Some(plan)
}

/// Records with each query word or its equivalents: at most those of the word's largest clause.
/// A word no record has is neither rare nor common (its sub-words and bigrams may still add to
/// scores).
fn concept_df(clauses: &[Clause], units: usize) -> Vec<u64> {
    let mut df = vec![0u64; units];
    for c in clauses.iter().filter(|c| !c.related) {
        for &u in &c.units {
            df[u] = df[u].max(c.df);
        }
    }
    df
}

/// The query that matches fewer records when every query word is common in the index: a record
/// must contain each word (or one of its equivalents, sub-words or bigrams), as a web search
/// engine asks by default. Related terms, the phrases and partner words then only add to the
/// score, and every record scores as it does in the query where any word is a match. `None`
/// with fewer than two words, when a word is rare ([`precise_query`] then applies), or when the
/// rarest word is in nearly as many records as the others ([`EVERY_WORD_SHARE`]).
///
/// At a million records 香港 AI 初創 otherwise matches half of them through any one of its
/// words (499,570), each scored and counted: 28–31 ms, against 6 ms for the 5,454 records with
/// all three.
fn every_word_query(clauses: &[Clause], df: &[u64], cutoff: u64) -> Option<Plan> {
    let units = df.len();
    if units < 2 || df.iter().any(|&d| d < cutoff) {
        return None;
    }
    // Decided on the words' records only, each counting its equivalents, so that a word and
    // its equivalent in the other script (晶片, 芯片) decide alike.
    let least = df.iter().min().copied().unwrap_or(0);
    let mean = df.iter().sum::<u64>() as f64 / units as f64;
    if least as f64 >= EVERY_WORD_SHARE * mean {
        return None;
    }
    // Each word's clauses, as one union that skips cheaply to the candidates of the rarest word.
    // A clause of several words (an expansion of 人工 智能) scores in the union of its first and
    // only makes a match in the others, so that no clause adds to a score twice.
    let mut unions: Vec<Vec<Box<dyn Query>>> = (0..units).map(|_| Vec::new()).collect();
    let mut bounds = Vec::new();
    let mut plan = Plan::default();
    for c in clauses {
        match c.units.split_first() {
            Some((&home, others)) if !c.related && !c.score_only && !c.key => {
                for p in c.parts() {
                    bounds.push(p.bound.clone());
                    for &u in others {
                        unions[u].push(Box::new(ConstScoreQuery::new(p.query.box_clone(), 0.0)));
                    }
                    unions[home].push(p.query);
                }
            }
            _ if c.key => {
                plan.parts.extend(c.parts());
                plan.reach += c.reach();
            }
            _ => plan.extras.extend(c.parts()),
        }
    }
    // The intersection visits the rarest word's records and asks each clause about them.
    let asked: usize = unions.iter().map(Vec::len).sum();
    plan.reach += least.saturating_mul(asked as u64);
    let words = unions.into_iter().map(|u| Box::new(SkipUnion::new(u)) as Box<dyn Query>).collect();
    plan.parts.push(Part { query: must(words), bound: Bound::Sum(bounds, 1.0) });
    Some(plan)
}

fn term(field: Field, text: &str, boost: f32) -> Part {
    let t = Term::from_field_text(field, text);
    let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
    Part { query: Box::new(BoostQuery::new(Box::new(q), boost)), bound: Bound::Bm25(vec![t], boost) }
}

/// The queries of `parts`.
fn queries(parts: Vec<Part>) -> Vec<Box<dyn Query>> {
    parts.into_iter().map(|p| p.query).collect()
}

/// The bound of the sum of `parts`, times `boost`.
fn sum_bound<'a>(parts: impl IntoIterator<Item = &'a Part>, boost: f32) -> Bound {
    Bound::Sum(parts.into_iter().map(|p| p.bound.clone()).collect(), boost)
}

fn should(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn must(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Must, q)).collect()))
}

/// The clauses of one word: name fields above body, body above context labels.
fn word_clauses(f: &Fields, w: &str, weight: f32) -> Vec<Part> {
    vec![
        term(f.title_s, w, fields::TITLE * weight),
        term(f.body_s, w, fields::BODY * weight),
        term(f.meta_s, w, fields::META * weight),
    ]
}

/// The records query planning reads its statistics from: the index generation a search reads
/// ([`Indexed`]) or, in tests, counts made by hand.
trait Corpus {
    /// Number of records.
    fn num_docs(&self) -> u64;
    /// Number of records with `token` in their body or their name (the larger).
    fn doc_freq(&self, token: &str) -> u64;
}

/// The records of the index generation `searcher` reads.
struct Indexed<'a> {
    searcher: &'a Searcher,
    f: &'a Fields,
}

impl Corpus for Indexed<'_> {
    fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn doc_freq(&self, token: &str) -> u64 {
        [self.f.body_s, self.f.title_s]
            .iter()
            .filter_map(|field| self.searcher.doc_freq(&Term::from_field_text(*field, token)).ok())
            .max()
            .unwrap_or(0)
    }
}

/// Document frequencies of the query's tokens, each looked up once per query (a lookup reads
/// two term dictionaries in every segment).
struct TokenDf<'a> {
    corpus: &'a dyn Corpus,
    f: &'a Fields,
    seen: RefCell<FxHashMap<String, u64>>,
}

impl<'a> TokenDf<'a> {
    fn new(corpus: &'a dyn Corpus, f: &'a Fields) -> TokenDf<'a> {
        TokenDf { corpus, f, seen: RefCell::default() }
    }

    /// Number of records with `token` in their body or their name (the larger).
    fn doc_freq(&self, token: &str) -> u64 {
        if let Some(&n) = self.seen.borrow().get(token) {
            return n;
        }
        let n = self.corpus.doc_freq(token);
        self.seen.borrow_mut().insert(token.to_string(), n);
        n
    }

    /// True for a generic word: common in general text ([`Analyzer::is_common_word`]) and in
    /// at least [`GENERIC_SHARE`] of the records (管理, 技术, 系统; not 海洋 or 医疗, which
    /// name a subject the records rarely share). Inside a query word it is no sub-word net, it
    /// only adds to the score of what the rest matches: a record holding only 管理 of 热管理
    /// shares nothing a person asked for (the bigram net still finds 热管理 written inside a
    /// longer word).
    fn generic(&self, analyzer: &Analyzer, token: &str) -> bool {
        // The share first: it is read once per query, and it rules out most words.
        self.doc_freq(token) as f64 >= GENERIC_SHARE * self.corpus.num_docs() as f64 && analyzer.is_common_word(token)
    }

    /// Records a query word must be in to be common in this index ([`common_cutoff`]).
    fn cutoff(&self) -> u64 {
        common_cutoff(self.corpus.num_docs())
    }

    /// Inverse document frequency of a token in the body and name fields (BM25's formula), used
    /// to keep a rare synonym from outscoring the word the user typed.
    fn idf(&self, token: &str) -> f32 {
        let n = self.corpus.num_docs() as f32;
        let df = self.doc_freq(token) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    fn mean_idf(&self, tokens: &[String]) -> f32 {
        if tokens.is_empty() {
            return 1.0;
        }
        tokens.iter().map(|t| self.idf(t)).sum::<f32>() / tokens.len() as f32
    }
}

/// Builds the query for the text `q`, or `None` when it has no searchable token.
pub fn text_query(analyzer: &Analyzer, searcher: &Searcher, f: &Fields, q: &str) -> Option<TextQuery> {
    plan_text(analyzer, &TokenDf::new(&Indexed { searcher, f }, f), q)
}

/// The query for the text `q` on the records `stats` counts ([`text_query`]).
fn plan_text(analyzer: &Analyzer, stats: &TokenDf, q: &str) -> Option<TextQuery> {
    let gathered = gather(analyzer, stats, q)?;
    let precise = narrower_plan(&gathered, stats.cutoff());
    let Gathered { clauses, concepts, terms, bigrams, intent, boost, .. } = gathered;
    Some(TextQuery { concepts, any: any_word_plan(clauses), precise, terms, bigrams, intent, boost })
}

/// The words of a query as they are searched, and their expansions by the vocabulary.
struct QueryWords {
    /// Every word, stopwords included (runs of words and expansions are placed on them).
    all: Vec<String>,
    /// The words searched: stopwords left out, each once, at most [`MAX_WORDS`].
    words: Vec<String>,
    /// The vocabulary's expansions of `all`.
    expanded: Vec<Expansion>,
    /// Every word is a partner word (团队, 高校, lab …): they are then searched for, when
    /// otherwise they only say who is wanted, not what about.
    only_partners: bool,
}

impl QueryWords {
    /// Whether `w` is searched for: a query word, and not a partner word next to a subject.
    fn searched(&self, vocab: &Vocab, w: &String) -> bool {
        self.words.contains(w) && (self.only_partners || !vocab.is_hint(w))
    }
}

/// Everything gathered for a text query before its plans are made: its clauses, and what the
/// re-rank, the snippets and the partner boost need.
struct Gathered {
    /// Every clause: the words', the expansions', the phrases', the whole query as a name.
    clauses: Vec<Clause>,
    /// The content words' concepts (partner words have none), for the coverage re-rank.
    concepts: Vec<Concept>,
    /// Records with each concept's word.
    word_df: Vec<u64>,
    /// Normalised tokens to mark in snippets.
    terms: HashSet<String>,
    /// CJK bigrams of the query words.
    bigrams: HashSet<String>,
    /// The kinds of partner the query asks for.
    intent: PartnerIntent,
    /// Score added to matching records of the kinds the partner words point to.
    boost: PartnerBoost,
    /// The query is of partner words only ([`QueryWords::only_partners`]).
    only_partners: bool,
}

/// The clauses of the text `q` and what goes with them, or `None` when it has no searchable
/// token: its words' clauses, those of its expansions, its phrases, the whole query as a name.
fn gather(analyzer: &Analyzer, stats: &TokenDf, q: &str) -> Option<Gathered> {
    let vocab = analyzer.vocab();
    let mut words = query_wording(analyzer, stats, q)?;
    let mut gathered = word_plan(analyzer, stats, &words);
    let expanded = std::mem::take(&mut words.expanded);
    for e in chosen_expansions(vocab, &words, expanded, !gathered.concepts.is_empty()) {
        if let Some(clause) = expansion_clause(stats, vocab, &words, &e, &mut gathered) {
            gathered.clauses.push(clause);
        }
    }
    gathered.clauses.extend(phrase_clauses(vocab, stats.f, &words.all, words.only_partners));
    gathered.clauses.extend(name_clause(analyzer, stats.f, q));
    Some(gathered)
}

/// The query's words ([`query_words`]), put into Chinese where a bridge knows its English ones
/// ([`translated`]), with their expansions. `None` for no word.
fn query_wording(analyzer: &Analyzer, stats: &TokenDf, q: &str) -> Option<QueryWords> {
    let vocab = analyzer.vocab();
    let (all, words) = query_words(analyzer, q)?;
    let expanded = vocab.expand(&all);
    let (all, words, expanded) = match translated(&all, &expanded, |t| stats.doc_freq(t)) {
        Some(all) => {
            let words = searched_words(vocab, &all)?;
            let expanded = vocab.expand(&all);
            (all, words, expanded)
        }
        None => (all, words, expanded),
    };
    // Partner words (团队, 高校, lab …) say who is wanted, not what about: they are searched for
    // only when the query has no other word.
    let only_partners = words.iter().all(|w| vocab.is_hint(w));
    Some(QueryWords { all, words, expanded, only_partners })
}

/// The clauses of the searched words (fields, sub-words, bigrams) and of the partner words, with
/// the concepts of the content words and the records that have each.
fn word_plan(analyzer: &Analyzer, stats: &TokenDf, words: &QueryWords) -> Gathered {
    let vocab = analyzer.vocab();
    let mut g = Gathered {
        clauses: Vec::new(),
        concepts: Vec::new(),
        word_df: Vec::new(),
        terms: words.words.iter().filter(|w| words.searched(vocab, w)).cloned().collect(),
        bigrams: HashSet::new(),
        intent: PartnerIntent::of(vocab, &words.all),
        boost: PartnerBoost::default(),
        only_partners: words.only_partners,
    };
    for w in &words.words {
        if words.searched(vocab, w) {
            let (group, ranking, concept) = word_group(analyzer, stats, w, &mut g.terms, &mut g.bigrams);
            let units = if vocab.is_hint(w) { Vec::new() } else { vec![g.concepts.len()] };
            let df = stats.doc_freq(w);
            g.clauses.push(Clause { units, df, ..group });
            g.clauses.extend(ranking);
            if !vocab.is_hint(w) {
                g.concepts.push(concept);
                g.word_df.push(df);
            }
        }
        if vocab.is_hint(w) {
            g.clauses.extend(partner_word(vocab, stats.f, w, words.only_partners, &mut g.boost));
        }
    }
    g
}

/// The expansions a query is widened by: by the vocabulary bridges (regional terms, the
/// glossary, aliases …), the broadest only ([`broadest`]), at most [`MAX_EXPANSIONS`]; then by
/// related terms, at most [`MAX_RELATED`], when the query has a content word (`widen`).
fn chosen_expansions(vocab: &Vocab, words: &QueryWords, expanded: Vec<Expansion>, widen: bool) -> Vec<Expansion> {
    let expansions = broadest(vocab, &words.all, |w| words.searched(vocab, w), expanded);
    // Related terms widen one-word queries too (中医药 alone also finds the 中药 and 中成药
    // records), below the word itself; common words are not widened ([`expansion_clause`]).
    let related = if widen { vocab.related(&words.all, &expansions) } else { Vec::new() };
    expansions.into_iter().take(MAX_EXPANSIONS).chain(related.into_iter().take(MAX_RELATED)).collect()
}

/// The clause of the expansion `e`, weighted below the user's words ([`expansion_query`]); its
/// tokens join the concepts of the words it stands for (as equivalents, or as related terms) and
/// the snippets' `terms`. `None` when it stands for no searched word, or when it is a related
/// term of a common word or as common itself.
fn expansion_clause(
    stats: &TokenDf,
    vocab: &Vocab,
    words: &QueryWords,
    e: &Expansion,
    g: &mut Gathered,
) -> Option<Clause> {
    let span = &words.all[e.start..e.start + e.len];
    if !span.iter().any(|w| words.searched(vocab, w)) && !span.iter().all(|w| vocab.is_stopword(w)) {
        return None;
    }
    let content: Vec<String> = e.tokens.iter().filter(|t| !vocab.is_stopword(t)).cloned().collect();
    g.terms.extend(content.iter().cloned());
    let mut units = Vec::new();
    for (i, c) in g.concepts.iter_mut().enumerate() {
        if c.full.iter().any(|w| span.contains(w)) {
            let into = if e.bridge == Bridge::Related { &mut c.related } else { &mut c.full };
            into.extend(content.iter().cloned());
            units.push(i);
        }
    }
    // Records with every token of the expansion: at most those with its rarest token.
    let df = content.iter().map(|t| stats.doc_freq(t)).min().unwrap_or(0);
    let cutoff = stats.cutoff();
    let common = !content.is_empty() && df >= cutoff;
    let related = e.bridge == Bridge::Related;
    if related && (common || (!units.is_empty() && units.iter().all(|&u| g.word_df[u] >= cutoff))) {
        // Related terms widen a search for words few records use: a word this common finds
        // enough by itself, and a term this common (视觉 检测) is no narrow widening, while
        // each of its phrases is looked for in every match. The terms still count in the
        // coverage re-rank.
        return None;
    }
    Some(Clause { units, df, related, ..expansion_query(stats, span, e, &content, common) })
}

/// The plan that matches fewer records than any word would, when one applies: records with a
/// rare word ([`precise_query`]), else records with every word ([`every_word_query`]). None for
/// a query of partner words only. `cutoff`: records a common word is in ([`common_cutoff`]).
fn narrower_plan(g: &Gathered, cutoff: u64) -> Option<(Plan, Matching)> {
    if g.only_partners {
        return None;
    }
    let df = concept_df(&g.clauses, g.concepts.len());
    let rare_word = precise_query(&g.clauses, &df, cutoff).map(|plan| (plan, Matching::Rare));
    rare_word.or_else(|| every_word_query(&g.clauses, &df, cutoff).map(|plan| (plan, Matching::Every)))
}

/// The plan where any word (or an equivalent) is a match, the phrases only adding to scores.
fn any_word_plan(clauses: Vec<Clause>) -> Plan {
    let (extra, matching): (Vec<Clause>, Vec<Clause>) = clauses.into_iter().partition(|c| c.score_only);
    // One union of every clause's parts: a clause's score is the sum of its parts', so the union
    // of unions scores the same, with one level of buffering fewer per match.
    Plan {
        parts: matching.iter().flat_map(Clause::parts).collect(),
        extras: extra.iter().flat_map(Clause::parts).collect(),
        reach: matching.iter().map(Clause::reach).sum(),
    }
}

/// The query's words (analysed, single characters merged) and those searched: stopwords left out
/// unless the query has nothing else, each once, at most [`MAX_WORDS`]. `None` for no word.
fn query_words(analyzer: &Analyzer, q: &str) -> Option<(Vec<String>, Vec<String>)> {
    let all: Vec<String> = merge_single_characters(analyzer, analyzer.words(q));
    let words = searched_words(analyzer.vocab(), &all)?;
    Some((all, words))
}

/// The words of `all` searched: stopwords left out unless there is nothing else, each once, at
/// most [`MAX_WORDS`]. `None` for no word.
fn searched_words(vocab: &Vocab, all: &[String]) -> Option<Vec<String>> {
    let content: Vec<&String> = all.iter().filter(|w| !vocab.is_stopword(w)).collect();
    let kept: Vec<&String> = if content.is_empty() { all.iter().collect() } else { content };
    let mut words: Vec<String> = Vec::new();
    for w in kept {
        if !words.contains(w) && words.len() < MAX_WORDS {
            words.push(w.clone());
        }
    }
    (!words.is_empty()).then_some(words)
}

/// The query with its English words put into Chinese where a bridge between the languages
/// (the glossary, the learned lexicon, a dictionary sense the records confirm) knows them:
/// the index is mostly Chinese, so an English query is searched as its Chinese wording is, and
/// the two find the same records (the Chinese words bring the English back as their
/// expansions). The longest known span is translated, into its most trusted Chinese term that
/// the records use (`df`: in how many records a token is), unless the records use the English
/// word more (AI, 5G, MLCC are written so in Chinese texts too); `None` when no word is
/// translated. `expansions`: the vocabulary's expansions of `all`.
fn translated(all: &[String], expansions: &[Expansion], df: impl Fn(&str) -> u64) -> Option<Vec<String>> {
    if all.iter().all(|w| w.chars().any(is_cjk)) {
        return None;
    }
    let used = |tokens: &[String]| tokens.iter().map(|t| df(t)).min().unwrap_or(0);
    let rank = |b: Bridge| match b {
        Bridge::Glossary => 0,
        Bridge::Learned => 1,
        _ => 2,
    };
    // The expansions by the place they start (one pass, however many a span has).
    let mut at: Vec<Vec<&Expansion>> = vec![Vec::new(); all.len()];
    for e in expansions {
        if let Some(list) = at.get_mut(e.start) {
            list.push(e);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    let mut i = 0;
    let mut any = false;
    while i < all.len() {
        let best = at[i]
            .iter()
            .copied()
            .filter(|e| all.get(i..i + e.len).is_some_and(|span| is_translation(span, e)))
            .filter(|e| used(&e.tokens) > if e.len == 1 { df(&all[i]) } else { 0 })
            .min_by_key(|e| (std::cmp::Reverse(e.len), rank(e.bridge), std::cmp::Reverse(used(&e.tokens))));
        if let Some(e) = best {
            out.extend(e.tokens.iter().cloned());
            i += e.len;
            any = true;
            continue;
        }
        out.push(all[i].clone());
        i += 1;
    }
    any.then_some(out)
}

/// A bridge from English words (`span`) to a Chinese term.
fn is_translation(span: &[String], e: &Expansion) -> bool {
    matches!(e.bridge, Bridge::Glossary | Bridge::Learned | Bridge::Dictionary)
        && span.iter().all(|w| !w.chars().any(is_cjk))
        && e.tokens.iter().all(|t| t.chars().any(is_cjk))
}

/// A word naming the partner wanted (团队, lab …) lifts records of those kinds a little. When the
/// query has words about what is wanted, only records matching those are lifted (added to
/// `boost`); a query of partner words alone finds those kinds (the clauses returned).
fn partner_word(vocab: &Vocab, f: &Fields, w: &str, only_partners: bool, boost: &mut PartnerBoost) -> Vec<Clause> {
    let kinds = vocab.hint_kinds(w);
    let ords: Vec<u64> = kinds.iter().filter_map(|k| model::code_ord(&model::KINDS, k)).collect();
    let colls: Vec<u64> = kinds.iter().filter_map(|k| Collection::parse(k)).map(Collection::ord).collect();
    if !only_partners {
        boost.words.push((RecordFilter::bits(ords), RecordFilter::bits(colls)));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (field, codes) in [(f.kind, &ords), (f.collection, &colls)] {
        if !codes.is_empty() {
            let query = Box::new(ConstScoreQuery::new(any_of(field, codes), phrases::HINT));
            out.push(Clause::of(Part { query, bound: Bound::Const(phrases::HINT) }));
        }
    }
    out
}

/// Phrase boosts (score only) for each run of two or more consecutive searched words.
fn phrase_clauses(vocab: &Vocab, f: &Fields, all: &[String], only_partners: bool) -> Vec<Clause> {
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
    let mut out = Vec::new();
    for r in runs.iter().filter(|r| r.len() >= 2) {
        out.extend(phrase(f.title_w, r, phrases::TITLE).map(Clause::score_only));
        out.extend(phrase(f.body_w, r, phrases::BODY).map(Clause::score_only));
    }
    out
}

/// The whole query equal to a record's name or an alias ([`phrases::NAME`]).
fn name_clause(analyzer: &Analyzer, f: &Fields, q: &str) -> Option<Clause> {
    let key = analyzer.key(q);
    if key.is_empty() {
        return None;
    }
    let t = Term::from_field_text(f.name_key, &key);
    let name = TermQuery::new(t.clone(), IndexRecordOption::Basic);
    let boost = phrases::NAME;
    let part = Part { query: Box::new(BoostQuery::new(Box::new(name), boost)), bound: Bound::Bm25(vec![t], boost) };
    Some(Clause { key: true, ..Clause::of(part) })
}

/// The expansions less those that need every token of a broader one at the same place, or the
/// searched word they stand for and more: their matches are among its matches. 理大 is an alias
/// of 香港理工大学 and, in the million-record benchmark corpus, of 447 names of its labs
/// (香港理工大学（人工智能）…), each an intersection every search of 理大 would otherwise run.
fn broadest(
    vocab: &Vocab,
    all: &[String],
    searched: impl Fn(&String) -> bool,
    expansions: Vec<Expansion>,
) -> Vec<Expansion> {
    let sets: Vec<HashSet<&str>> = expansions
        .iter()
        .map(|e| e.tokens.iter().map(String::as_str).filter(|t| !vocab.is_stopword(t)).collect())
        .collect();
    // Candidates for a broader expansion, fewest tokens first (a shared abbreviation can bring
    // hundreds of expansions, nearly all as narrow as each other).
    let mut by_size: Vec<usize> = (0..expansions.len()).filter(|&j| expansions[j].bridge != Bridge::Related).collect();
    by_size.sort_by_key(|&j| sets[j].len());
    let narrower = |i: usize| {
        let e = &expansions[i];
        let wider = |s: &HashSet<&str>| !s.is_empty() && s.is_subset(&sets[i]);
        let fewer = by_size.iter().take_while(|&&j| sets[j].len() < sets[i].len());
        all[e.start..e.start + e.len].iter().any(|w| searched(w) && sets[i].len() > 1 && sets[i].contains(w.as_str()))
            || fewer
                .filter(|&&j| expansions[j].start == e.start && expansions[j].len == e.len)
                .any(|&j| wider(&sets[j]))
    };
    let keep: Vec<bool> = (0..expansions.len()).map(|i| !narrower(i)).collect();
    expansions.into_iter().zip(keep).filter_map(|(e, k)| k.then_some(e)).collect()
}

/// The clauses of one query word (name, body and labels, its sub-words, its bigrams), the
/// clause of its generic sub-words that only ranks (if any), and the concept it stands for in
/// the coverage; new sub-words and bigrams go to `terms` and `bigrams`.
fn word_group(
    analyzer: &Analyzer,
    stats: &TokenDf,
    w: &str,
    terms: &mut HashSet<String>,
    bigrams: &mut HashSet<String>,
) -> (Clause, Option<Clause>, Concept) {
    let f = stats.f;
    let weight = stats.idf(w).max(rerank::MIN_CONCEPT_WEIGHT);
    let mut concept = Concept { full: HashSet::from([w.to_string()]), weight, ..Concept::default() };
    let mut group = word_clauses(f, w, 1.0);
    let mut ranking: Vec<Part> = Vec::new();
    let cjk = w.chars().filter(|c| is_cjk(*c)).count();
    // The sub-word and bigram nets find a word written otherwise (inside a longer word, cut
    // differently); a word this many records contain already finds enough, and its nets would
    // only add weak matches (模块 for 功率模块) that every search of it must then visit.
    let netted = stats.doc_freq(w) < NET_CUTOFF;
    if cjk >= 3 && netted {
        for sub in analyzer.tokens(w, Mode::Search).into_iter().map(|t| String::from(t.text)).filter(|s| s != w) {
            if terms.insert(sub.clone()) {
                // A generic sub-word only ranks what the rest matches ([`TokenDf::generic`]).
                let into = if stats.generic(analyzer, &sub) { &mut ranking } else { &mut group };
                into.push(term(f.title_s, &sub, subwords::TITLE));
                into.push(term(f.body_s, &sub, subwords::BODY));
            }
            concept.partial.insert(sub);
        }
    }
    if cjk >= 2 && cjk == w.chars().count() && netted {
        let grams: Vec<String> = analyzer.tokens(w, Mode::Bigrams).into_iter().map(|t| t.text.into()).collect();
        let each: Vec<Part> = grams.iter().map(|g| term(f.bigram, g, 1.0)).collect();
        let bound = sum_bound(&each, subwords::BIGRAMS);
        group.push(Part { query: Box::new(BoostQuery::new(must(queries(each)), subwords::BIGRAMS)), bound });
        concept.partial.extend(grams.iter().filter(|g| *g != w).cloned());
        bigrams.extend(grams);
    }
    let ranking = (!ranking.is_empty()).then(|| Clause { score_only: true, ..Clause::of_parts(ranking) });
    (Clause::of_parts(group), ranking, concept)
}

/// The clauses of one expansion, weighted by its bridge and never above the words it replaces
/// (scaled by the ratio of their IDF). `common`: every content token is in a common share of the
/// records ([`common_cutoff`]).
fn expansion_query(stats: &TokenDf, span: &[String], e: &Expansion, content: &[String], common: bool) -> Clause {
    let f = stats.f;
    let ratio = (stats.mean_idf(span) / stats.mean_idf(&e.tokens).max(0.01)).clamp(expansions::MIN_IDF_RATIO, 1.0);
    let weight = e.weight() * ratio;
    if e.tokens.len() == 1 {
        return Clause::of_parts(word_clauses(f, &e.tokens[0], weight));
    }
    let body = phrase(f.body_w, &e.tokens, phrases::EXPANSION_BODY);
    let phrases: Vec<Part> = body.into_iter().chain(phrase(f.title_w, &e.tokens, phrases::EXPANSION_TITLE)).collect();
    if common {
        // Tokens that many records have (university, hong, kong) are together in many of them
        // without being the name, and intersecting them is slow: the expansion matches as a phrase.
        let bound = sum_bound(&phrases, weight);
        return Clause::of(Part { query: Box::new(BoostQuery::new(should(queries(phrases)), weight)), bound });
    }
    // Every content token (not "of", 的 …), each in any field. Each token's fields form a union
    // that skips cheaply: the intersection skips it to every candidate of the rarest token. The
    // tokens side by side score more; a phrase is only looked for in records with every token.
    let required = if content.is_empty() { &e.tokens[..] } else { content };
    let mut bounds = Vec::new();
    let mut parts: Vec<Box<dyn Query>> = Vec::new();
    for t in required {
        let fields = word_clauses(f, t, 1.0);
        bounds.push(sum_bound(&fields, 1.0));
        parts.push(Box::new(SkipUnion::new(queries(fields))));
    }
    bounds.extend(phrases.iter().map(|p| p.bound.clone()));
    let query = Box::new(BoostQuery::new(with_extra(must(parts), queries(phrases)), weight));
    Clause::of(Part { query, bound: Bound::Sum(bounds, weight) })
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

fn phrase(field: Field, words: &[String], boost: f32) -> Option<Part> {
    if words.len() < 2 {
        return None;
    }
    let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
    let query = Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms.clone())), boost));
    Some(Part { query, bound: Bound::Bm25(terms, boost) })
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
    Box::new(RangeQuery::new(ops::Bound::Excluded(Term::from_field_i64(field, value)), ops::Bound::Unbounded))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, OnceLock};

    use super::*;
    use crate::analysis::RawVocab;
    use crate::analysis::tests::analyzer;
    use crate::index::schema;

    #[test]
    fn stopwords_are_not_searched_unless_the_query_has_nothing_else() {
        let a = analyzer();
        let (all, words) = query_words(&a, "我们的锂电池热管理").unwrap();
        assert!(all.contains(&"我们".to_string()), "{all:?}");
        assert_eq!(words, ["锂电池", "热管理"]);
        // A query of stopwords alone is searched as it is.
        let (_, words) = query_words(&a, "我们的").unwrap();
        assert!(words.contains(&"我们".to_string()), "{words:?}");
        assert!(query_words(&a, "  ，。 ").is_none());
    }

    #[test]
    fn a_word_is_searched_once_and_a_long_query_is_cut() {
        let a = analyzer();
        let (_, words) = query_words(&a, "锂电池 锂电池 热管理").unwrap();
        assert_eq!(words, ["锂电池", "热管理"]);
        let long: String = (0..100).map(|i| format!("word{i} ")).collect();
        let (_, words) = query_words(&a, &long).unwrap();
        assert_eq!(words.len(), MAX_WORDS);
    }

    fn translate(q: &str, df: impl Fn(&str) -> u64) -> Option<Vec<String>> {
        let a = analyzer();
        let (all, _) = query_words(&a, q).unwrap();
        translated(&all, &a.vocab().expand(&all), df)
    }

    #[test]
    fn an_english_query_is_searched_as_its_chinese_wording() {
        // Every word is in the records.
        let everywhere = |_: &str| 10;
        assert_eq!(translate("lithium battery thermal management", everywhere).unwrap(), ["锂电池", "热管理"]);
        // Only the English words are translated, the longest known span at a time.
        assert_eq!(translate("深圳 lithium battery", everywhere).unwrap(), ["深圳", "锂电池"]);
        assert_eq!(translate("锂电池热管理", everywhere), None);
    }

    #[test]
    fn a_translation_the_records_do_not_use_is_not_made() {
        assert_eq!(translate("lithium battery", |_| 0), None);
        // An English word the records use more than its translation stays as written (AI, 5G).
        let english_more = |t: &str| if t.chars().any(is_cjk) { 5 } else { 50 };
        let a = analyzer();
        let (all, _) = query_words(&a, "graphene").unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(translated(&all, &a.vocab().expand(&all), english_more), None);
        let chinese_more = |t: &str| if t.chars().any(is_cjk) { 50 } else { 5 };
        assert!(translated(&all, &a.vocab().expand(&all), chinese_more).unwrap()[0].chars().all(is_cjk));
    }

    /// A clause of the query words `units`, found in `df` records, with one part.
    fn clause(units: &[usize], df: u64) -> Clause {
        let t = Term::from_field_text(Field::from_field_id(0), "w");
        let part = Part { query: Box::new(TermQuery::new(t, IndexRecordOption::Basic)), bound: Bound::Const(1.0) };
        Clause { units: units.to_vec(), df, ..Clause::of(part) }
    }

    #[test]
    fn a_words_records_are_those_of_its_largest_clause_related_terms_apart() {
        let related = Clause { related: true, ..clause(&[0], 9_000) };
        let df = concept_df(&[clause(&[0], 40), clause(&[0], 300), related, clause(&[1], 7)], 3);
        assert_eq!(df, [300, 7, 0]);
    }

    #[test]
    fn rare_words_make_the_matches_and_common_ones_only_rank_them() {
        let cutoff = 1_000;
        // Only rare or only common words: no precise query.
        assert!(precise_query(&[clause(&[0], 10)], &[10], cutoff).is_none());
        assert!(precise_query(&[clause(&[0], 5_000)], &[5_000], cutoff).is_none());
        let clauses = [
            clause(&[0], 10),                                  // the rare word
            clause(&[1], 5_000),                               // the common word
            Clause { related: true, ..clause(&[0], 2_000) },   // a related term as common as that
            Clause { key: true, ..clause(&[], 1) },            // the whole query as a name
            Clause { score_only: true, ..clause(&[0, 1], 3) }, // a phrase
        ];
        let plan = precise_query(&clauses, &[10, 5_000], cutoff).unwrap();
        assert_eq!((plan.parts.len(), plan.extras.len()), (2, 3));
        assert_eq!(plan.reach, 10 + 1);
    }

    #[test]
    fn common_words_are_all_required_when_one_is_much_rarer() {
        let cutoff = 1_000;
        let two = [clause(&[0], 2_000), clause(&[1], 40_000), Clause { related: true, ..clause(&[1], 9_000) }];
        // One word, or a rare word: not this plan.
        assert!(every_word_query(&two[..1], &[2_000], cutoff).is_none());
        assert!(every_word_query(&two, &[500, 40_000], cutoff).is_none());
        // Words about as common as each other: intersecting would cost more than it saves.
        assert!(every_word_query(&two, &[30_000, 40_000], cutoff).is_none());
        let plan = every_word_query(&two, &[2_000, 40_000], cutoff).unwrap();
        // One intersection of the two words' unions; the related term only adds to scores.
        assert_eq!((plan.parts.len(), plan.extras.len()), (1, 1));
        assert_eq!(plan.reach, 2_000 * 2);
    }

    /// Records counted by hand: `num_docs` in all, and the tokens of `df` in that many each
    /// (any other token in none).
    struct Counted {
        num_docs: u64,
        df: HashMap<String, u64>,
    }

    impl Corpus for Counted {
        fn num_docs(&self) -> u64 {
            self.num_docs
        }

        fn doc_freq(&self, token: &str) -> u64 {
            self.df.get(token).copied().unwrap_or(0)
        }
    }

    /// `num_docs` records, each word of `df` (analysed by `a`) in that many of them.
    fn counted(a: &Analyzer, num_docs: u64, df: &[(&str, u64)]) -> Counted {
        let df = df.iter().map(|&(w, n)| (a.words(w).concat(), n)).collect();
        Counted { num_docs, df }
    }

    /// An analyzer whose vocabulary gives "battery" more equivalents (a glossary set of 30
    /// terms) and more related terms (a group of 40) than a query takes.
    fn wide_analyzer() -> Arc<Analyzer> {
        static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
        A.get_or_init(|| {
            // Made-up words that stemming leaves as they are: zqb, zqc … then zqbb, zqbc …
            let letters = ["b", "c", "d", "f", "g", "k", "m", "n", "p", "t"];
            let made_up = |prefix: &str, n: usize| -> Vec<String> {
                (0..n).map(|i| format!("{prefix}{}{}", letters[i / 10], letters[i % 10])).collect()
            };
            let glossary = [vec!["battery".to_string()], made_up("zqg", 30)].concat();
            let related = [vec!["battery".to_string()], made_up("zqr", 40)].concat();
            let raw =
                RawVocab { sets: vec![(Bridge::Glossary, glossary)], related: vec![related], ..RawVocab::default() };
            Analyzer::new(&raw, &[], Vec::new()).unwrap()
        })
        .clone()
    }

    /// The plan of `q` on the records `corpus` counts.
    fn plan_on(a: &Analyzer, corpus: &Counted, q: &str) -> TextQuery {
        let (_, f) = schema::build();
        plan_text(a, &TokenDf::new(corpus, &f), q).unwrap()
    }

    /// Which records the plan of `q` matches.
    fn matching(a: &Analyzer, corpus: &Counted, q: &str) -> Matching {
        plan_on(a, corpus, q).precise.map_or(Matching::Any, |(_, m)| m)
    }

    #[test]
    fn a_word_is_common_in_one_percent_of_the_records_and_at_least_a_thousand() {
        assert_eq!(common_cutoff(1_000_000), 10_000);
        assert_eq!(common_cutoff(150_000), 1_500);
        // Below 100,000 records the floor applies.
        assert_eq!(common_cutoff(100_000), 1_000);
        assert_eq!(common_cutoff(50_000), 1_000);
        assert_eq!(common_cutoff(0), 1_000);
    }

    #[test]
    fn a_query_of_one_rare_and_several_common_words_matches_on_the_rare_word() {
        let a = wide_analyzer();
        // A million records: a word is common from 10,000 records on.
        let c = counted(&a, 1_000_000, &[("sensor", 9_999), ("robot", 10_000), ("drone", 400_000)]);
        let q = plan_on(&a, &c, "sensor robot drone");
        let (plan, how) = q.precise.expect("a rare-word plan");
        assert_eq!(how, Matching::Rare);
        // The matches: the rare word in its three fields, and the whole query as a name.
        assert_eq!(plan.parts.len(), 3 + 1);
        assert_eq!(plan.reach, 9_999 * 3);
        // The common words' fields and the two phrases (name, body) only add to scores.
        assert_eq!(plan.extras.len(), 3 + 3 + 2);
        // The query where any word is a match has every word's fields.
        assert_eq!((q.any.parts.len(), q.any.extras.len()), (3 * 3 + 1, 2));
        assert_eq!(q.any.reach, (9_999 + 10_000 + 400_000) * 3);
        // One record more and the word is common too: no word is rare.
        let c = counted(&a, 1_000_000, &[("sensor", 10_000), ("robot", 10_000), ("drone", 400_000)]);
        assert_ne!(matching(&a, &c, "sensor robot drone"), Matching::Rare);
    }

    #[test]
    fn in_a_small_index_no_word_is_common_below_a_thousand_records() {
        let a = wide_analyzer();
        // 50,000 records: 1 % is 500, but the floor of 1,000 applies.
        let c = counted(&a, 50_000, &[("sensor", 100), ("robot", 999)]);
        assert_eq!(matching(&a, &c, "sensor robot"), Matching::Any);
        let c = counted(&a, 50_000, &[("sensor", 100), ("robot", 1_000)]);
        assert_eq!(matching(&a, &c, "sensor robot"), Matching::Rare);
        // Words no record has are neither rare nor common.
        let c = counted(&a, 50_000, &[("robot", 1_000)]);
        assert_eq!(matching(&a, &c, "sensor robot"), Matching::Any);
    }

    #[test]
    fn common_words_are_all_required_only_when_the_rarest_is_well_below_their_mean() {
        let a = wide_analyzer();
        // Two common words: every word is required when the rarer is in fewer records than
        // EVERY_WORD_SHARE (0.6) of their mean: 29,999 < 0.6 × 49,999.5.
        let c = counted(&a, 1_000_000, &[("sensor", 29_999), ("robot", 70_000)]);
        let (plan, how) = plan_on(&a, &c, "sensor robot").precise.expect("an every-word plan");
        assert_eq!(how, Matching::Every);
        // One intersection of the two words' fields, and the whole query as a name.
        assert_eq!((plan.parts.len(), plan.extras.len()), (2, 2));
        // The intersection visits the rarer word's records and asks its six clauses of each.
        assert_eq!(plan.reach, 29_999 * 6);
        // 30,001 ≥ 0.6 × 50,000.5: intersecting would cost more than it saves.
        let c = counted(&a, 1_000_000, &[("sensor", 30_001), ("robot", 70_000)]);
        assert_eq!(matching(&a, &c, "sensor robot"), Matching::Any);
        // One word, however common, is a match by itself.
        let c = counted(&a, 1_000_000, &[("sensor", 500_000)]);
        assert_eq!(matching(&a, &c, "sensor"), Matching::Any);
    }

    /// The clauses gathered for `q`: (the word's and its equivalents', related terms', names').
    fn clause_kinds(a: &Analyzer, corpus: &Counted, q: &str) -> (usize, usize, usize) {
        let (_, f) = schema::build();
        let g = gather(a, &TokenDf::new(corpus, &f), q).unwrap();
        let count = |p: &dyn Fn(&Clause) -> bool| g.clauses.iter().filter(|c| p(c)).count();
        (count(&|c| !c.related && !c.key), count(&|c| c.related), count(&|c| c.key))
    }

    #[test]
    fn a_word_is_widened_by_at_most_the_limit_of_equivalents_and_related_terms() {
        let a = wide_analyzer();
        let all = a.words("battery");
        let equivalents = a.vocab().expand(&all);
        assert_eq!(equivalents.len(), 30, "{equivalents:?}");
        assert_eq!(a.vocab().related(&all, &equivalents).len(), 40);
        let c = counted(&a, 1_000_000, &[("battery", 50)]);
        // The word and MAX_EXPANSIONS (24) of its 30 equivalents; MAX_RELATED (32) of its 40
        // related terms; the whole query as a name.
        assert_eq!(clause_kinds(&a, &c, "battery"), (1 + 24, 32, 1));
        let q = plan_on(&a, &c, "battery");
        assert_eq!(q.concepts.len(), 1);
        assert_eq!(q.concepts[0].full.len(), 1 + 24);
        assert_eq!(q.concepts[0].related.len(), 32);
    }

    #[test]
    fn a_common_word_gets_no_related_terms_nor_a_word_a_related_term_as_common() {
        let a = wide_analyzer();
        // The word is in 10,000 of a million records: common, and not widened by related terms,
        // which still count in its coverage.
        let c = counted(&a, 1_000_000, &[("battery", 10_000)]);
        assert_eq!(clause_kinds(&a, &c, "battery"), (1 + 24, 0, 1));
        assert_eq!(plan_on(&a, &c, "battery").concepts[0].related.len(), 32);
        // One record fewer and it is widened.
        let c = counted(&a, 1_000_000, &[("battery", 9_999)]);
        assert_eq!(clause_kinds(&a, &c, "battery").1, 32);
        // A rare word is not widened by a related term that is common itself (the first one).
        let c = counted(&a, 1_000_000, &[("battery", 50), ("zqrbb", 10_000), ("zqrbc", 9_999)]);
        assert_eq!(clause_kinds(&a, &c, "battery").1, 32 - 1);
    }
}
