//! Running a search: query plus filters, top documents and facet counts, returned as plain
//! results (records with scores); `http::views` renders them.

use std::collections::HashSet;
use std::time::Instant;

use compact_str::CompactString;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentReader};

use super::by_filter::{self, Ranked};
use super::columns::{Filtered, RecordFilter};
use super::facets::FacetCounts;
use super::plan::Plan;
use super::query::{self, Matching};
use super::{SearchIndex, snippet};
use crate::analysis::{Analyzer, Lang, is_cjk};
use crate::error::{Error, Invalid, Result};
use crate::model::{self, Collection, Record};
use crate::weights::rerank;

/// Deepest result reachable by paging (offset + per_page).
pub const MAX_WINDOW: usize = 10_000;
/// Number of best-scoring documents re-ranked by query coverage.
const RERANK_POOL: usize = 100;

/// A record's searchable text, prepared for cheap "does it contain this token" checks: the
/// normalised text (for Chinese tokens, as substrings) and its stemmed English words (only
/// those the query's tokens can ask for: [`Needs`]).
struct DocText {
    norm: String,
    words: HashSet<CompactString>,
}

/// Which English words [`DocText`] must stem for a query's tokens: those whose first character
/// starts one of the query's English tokens (an English stem starts with its word's first
/// letter; stemming every word of every re-ranked record cost a few per cent of the server's
/// time).
struct Needs {
    initials: u128,
}

impl Needs {
    fn of<'a>(tokens: impl IntoIterator<Item = &'a String>) -> Needs {
        let initials = tokens
            .into_iter()
            .filter(|t| t.is_ascii())
            .filter_map(|t| t.bytes().next())
            .fold(0u128, |bits, b| bits | 1u128 << b);
        Needs { initials }
    }
}

impl DocText {
    fn new(analyzer: &Analyzer, record: &Record, needs: &Needs) -> DocText {
        let norm = analyzer.normalize_text(&super::document::all_text(record));
        let words = norm
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.bytes().next().is_some_and(|b| needs.initials & (1u128 << b) != 0))
            .filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic()))
            .map(|w| analyzer.stem(w))
            .collect();
        DocText { norm, words }
    }

    fn has(&self, token: &str) -> bool {
        if token.is_ascii() { self.words.contains(token) } else { self.norm.contains(token) }
    }
}

/// A code filter passing less than this share of the records is intersected with the query;
/// a broader one is checked per match (measured at a million records: a filter passing a
/// tenth of them is about as fast either way).
const SELECTIVE_FILTER: f64 = 0.1;

/// Fewer matches than this with the precise query (records with a rare word): any word of the
/// query is a match instead.
const MIN_PRECISE: usize = 10;

/// One page of matches: the hits with their scores (and their records when the re-rank
/// already read them), the number of matches and their facet counts.
struct ReadPage {
    hits: Vec<(f32, DocAddress, Option<Record>)>,
    total: usize,
    counts: FacetCounts,
}

/// Largest page.
pub const MAX_PER_PAGE: usize = 100;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (newest first when there is no query text).
    #[default]
    Relevance,
    /// Most recently updated first.
    Newest,
}

/// A parsed search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Query text in any script; empty browses.
    pub q: String,
    /// Collections to search (empty: all).
    pub collections: Vec<Collection>,
    /// City ordinals (any matches).
    pub cities: Vec<u64>,
    /// Cluster ordinals (any matches).
    pub clusters: Vec<u64>,
    /// Kind ordinals (any matches).
    pub kinds: Vec<u64>,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Order.
    pub sort: Sort,
    /// Script of returned text; `None` follows the query's script.
    pub lang: Option<Lang>,
    /// Include closed, withdrawn and expired listings.
    pub include_inactive: bool,
    /// Only talents affiliated with, and listings owned by, this entity id.
    pub related_to: Option<String>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            collections: Vec::new(),
            cities: Vec::new(),
            clusters: Vec::new(),
            kinds: Vec::new(),
            page: 1,
            per_page: 10,
            sort: Sort::Relevance,
            lang: None,
            include_inactive: false,
            related_to: None,
        }
    }
}

/// Whether a count is exact or a lower bound (as Elasticsearch's `track_total_hits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalRelation {
    /// The count is exact.
    Eq,
    /// The count is a lower bound.
    Gte,
}

/// One hit: a record and its score.
#[derive(Debug, Clone)]
pub struct Found {
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// The record.
    pub record: Record,
}

/// The query words a hit's snippet marks: its analysed terms and CJK bigrams.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Analysed query terms (search mode).
    pub terms: HashSet<String>,
    /// CJK bigrams of the query.
    pub bigrams: HashSet<String>,
}

/// The answer to a search, before rendering.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Number of matching records.
    pub total: usize,
    /// Whether `total` (and the facet counts) are exact or a lower bound.
    pub total_relation: TotalRelation,
    /// Time spent in the engine, milliseconds.
    pub took_ms: f64,
    /// The page returned (1-based).
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Script the hits are to be shown in.
    pub lang: Lang,
    /// The hits of this page, best first.
    pub hits: Vec<Found>,
    /// Counts by collection, city, cluster and kind over all matching records.
    pub counts: FacetCounts,
    /// Which records matched the query text (`None` without one).
    pub matching: Option<Matching>,
    /// What the snippets mark.
    pub marks: Marks,
}

impl SearchIndex {
    /// Runs a search on the index as it is now.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let analyzer = &self.analyzer;
        let text = query::text_query(analyzer, &searcher, &self.fields, &req.q);
        let lang = req.lang.unwrap_or_else(|| detect_lang(analyzer, &req.q));
        let precise = text.as_ref().and_then(|t| t.precise.as_ref());
        let any_word = text.as_ref().map(|t| &t.any);
        let mut matching = precise.map(|p| p.1).or(any_word.map(|_| Matching::Any));
        let mut page = self.page(&searcher, req, text.as_ref(), precise.map(|p| &p.0).or(any_word))?;
        if precise.is_some() && page.total < MIN_PRECISE {
            // Too few records with a rare word, or with every word: any word is a match.
            page = self.page(&searcher, req, text.as_ref(), any_word)?;
            matching = Some(Matching::Any);
        }
        let mut hits = Vec::with_capacity(page.hits.len());
        for (score, addr, record) in page.hits {
            let record = match record {
                Some(record) => record,
                None => self.record_at(&searcher, addr)?,
            };
            hits.push(Found { score, record });
        }
        let marks = text.map(|t| Marks { terms: t.terms, bigrams: t.bigrams }).unwrap_or_default();
        Ok(SearchResults {
            total: page.total,
            total_relation: TotalRelation::Eq,
            took_ms: millis(started),
            page: req.page.max(1),
            per_page: req.per_page.clamp(1, MAX_PER_PAGE),
            lang,
            hits,
            counts: page.counts,
            matching,
            marks,
        })
    }

    /// One page of the matches of `plan` (a browse when `None`) under the request's filters:
    /// the hits with their scores (and their records when the re-rank read them), the number
    /// of matches and their facet counts.
    fn page(
        &self,
        searcher: &Searcher,
        req: &SearchRequest,
        text: Option<&query::TextQuery>,
        plan: Option<&Plan>,
    ) -> Result<ReadPage> {
        let unread = |docs: Vec<(f32, DocAddress)>| docs.into_iter().map(|(s, a)| (s, a, None)).collect();
        let analyzer = &self.analyzer;
        let (filters, filter) = self.filters(searcher, req, plan.is_some());
        // The matches (the parts only: the extras change no match), for counting and by date.
        let query = || full_query(plan.map(Plan::matching), &filters);
        let per_page = req.per_page.clamp(1, MAX_PER_PAGE);
        let offset = req.page.saturating_sub(1).saturating_mul(per_page);
        let by_date = req.sort == Sort::Newest || text.is_none();
        Ok(if offset.saturating_add(per_page) > MAX_WINDOW {
            let (total, counts) = self.collect(searcher, &query(), (Count, self.facet_collector()), filter)?;
            if offset < total {
                return Err(Error::invalid(
                    Invalid::PageTooDeep,
                    format!(
                        "results beyond the first {MAX_WINDOW} cannot be paged to - Hint: add filters or words to narrow the search"
                    ),
                ));
            }
            ReadPage { hits: Vec::new(), total, counts }
        } else if let Some(plan) = plan.filter(|_| !by_date) {
            let concepts = text.map_or(&[][..], |t| &t.concepts[..]);
            let intent = text.map(|t| &t.intent).filter(|i| !i.is_empty());
            if (concepts.len() >= 2 || intent.is_some()) && offset + per_page <= RERANK_POOL {
                // Re-rank the best hits by how much of the query each document covers, and by
                // the kinds of partner the query asks for (deeper pages keep the plain score
                // order: the cost stays bounded).
                let Ranked { hits: docs, total, counts } =
                    self.ranked(searcher, plan, text, (&filters, filter), RERANK_POOL)?;
                let mut ranked: Vec<(f32, DocAddress, Option<Record>)> = Vec::with_capacity(docs.len());
                // The factors are at most 1 (coverage) and 1 + rerank::INTENT (partner kinds): once
                // a document's score times that is below the page's last final score, neither it
                // nor any after it (they score less) reaches the page, and none is read.
                let most = if intent.is_some() { 1.0 + rerank::INTENT } else { 1.0 };
                let want = offset + per_page;
                let mut finals: Vec<f32> = Vec::with_capacity(docs.len());
                let needs = Needs::of(concepts.iter().flat_map(|c| c.full.iter().chain(&c.partial).chain(&c.related)));
                for (score, addr) in docs {
                    if finals.len() >= want && score * most < finals[want - 1] {
                        break;
                    }
                    let record = self.record_at(searcher, addr)?;
                    let text = DocText::new(analyzer, &record, &needs);
                    let coverage = query::coverage(concepts, |t| text.has(t));
                    let covered =
                        rerank::COVERAGE_FLOOR + rerank::COVERAGE_SPAN * coverage.powi(rerank::COVERAGE_EXPONENT);
                    let wanted = intent.map_or(0.0, |i| i.share(record.collection.as_str(), record.str("kind")));
                    let last = score * covered * (1.0 + rerank::INTENT * wanted);
                    ranked.push((last, addr, Some(record)));
                    let at = finals.partition_point(|f| *f >= last);
                    finals.insert(at, last);
                }
                ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                ReadPage { hits: ranked.into_iter().skip(offset).take(per_page).collect(), total, counts }
            } else {
                let Ranked { hits: docs, total, counts } =
                    self.ranked(searcher, plan, text, (&filters, filter), offset + per_page)?;
                ReadPage { hits: unread(docs.into_iter().skip(offset).collect()), total, counts }
            }
        } else {
            let top =
                TopDocs::with_limit(per_page).and_offset(offset).order_by_fast_field::<i64>("updated", Order::Desc);
            let (docs, total, counts) =
                self.collect(searcher, &query(), (top, Count, self.facet_collector()), filter)?;
            ReadPage { hits: unread(docs.into_iter().map(|(_, a)| (0.0, a)).collect()), total, counts }
        })
    }

    /// The best `limit` matches of `plan` under `filters` and `filter` by score (with the
    /// partner-word boost of `text`), the number of matches and their facets.
    fn ranked(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        text: Option<&query::TextQuery>,
        (filters, filter): (&[Box<dyn Query>], RecordFilter),
        limit: usize,
    ) -> Result<Ranked> {
        let boost = text.map(|t| &t.boost).filter(|b| !b.is_empty());
        let search = by_filter::Search { plan, filters, keep: filter, boost, limit, now: model::now_ts() };
        if let Some(found) = by_filter::top(searcher, &self.columns, &search)? {
            return Ok(found);
        }
        let query = full_query(Some(plan.query()), filters);
        let (hits, total, counts) =
            self.collect(searcher, &query, (self.by_score(limit, text), Count, self.facet_collector()), filter)?;
        Ok(Ranked { hits, total, counts })
    }

    /// The best `limit` documents by score, plus the partner-word boost of `text`.
    fn by_score(
        &self,
        limit: usize,
        text: Option<&query::TextQuery>,
    ) -> impl Collector<Fruit = Vec<(Score, DocAddress)>> + use<> {
        let boost = text.map(|t| t.boost.clone()).filter(|b| !b.is_empty());
        let cache = self.columns.clone();
        TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
            let columns = boost.as_ref().and_then(|_| cache.get(segment).ok());
            let boost = boost.clone();
            move |doc: DocId, score: Score| match (&boost, &columns) {
                (Some(b), Some(c)) => score + b.at(c, doc),
                _ => score,
            }
        })
    }

    /// The filters of a request: queries every match must match, and the filter checked per
    /// record ([`RecordFilter`]). A selective code filter (or any, when there is no text) is a
    /// query: the search then visits only the records it passes. A broad one is checked per
    /// record, since walking the text's matches and checking a byte is cheaper than skipping
    /// them to nearly every record.
    fn filters(&self, searcher: &Searcher, req: &SearchRequest, text: bool) -> (Vec<Box<dyn Query>>, RecordFilter) {
        let f = &self.fields;
        let collections: Vec<u64> = req.collections.iter().map(|c| c.ord()).collect();
        let codes =
            [(f.collection, &collections), (f.city, &req.cities), (f.cluster, &req.clusters), (f.kind, &req.kinds)];
        // Records passing the narrowest filter dimension (read only when there is text).
        let narrowest = || {
            codes
                .iter()
                .filter(|(_, values)| !values.is_empty())
                .map(|(field, values)| {
                    values
                        .iter()
                        .map(|v| searcher.doc_freq(&tantivy::Term::from_field_u64(*field, *v)).unwrap_or(u64::MAX))
                        .fold(0u64, u64::saturating_add)
                })
                .min()
        };
        let in_query = !text || narrowest().is_some_and(|n| (n as f64) < SELECTIVE_FILTER * searcher.num_docs() as f64);
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        let mut filter = req.filter();
        if in_query {
            for (field, values) in codes {
                if !values.is_empty() {
                    filters.push(unscored(query::any_of(field, values)));
                }
            }
            filter = RecordFilter { open_only: filter.open_only, ..RecordFilter::default() };
        }
        if let Some(id) = &req.related_to {
            let term = tantivy::Term::from_field_text(f.refs, id);
            filters.push(unscored(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        (filters, filter)
    }

    /// Runs `query` into `collector`, over the records `filter` keeps.
    pub(super) fn collect<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: C,
        filter: RecordFilter,
    ) -> Result<C::Fruit> {
        Ok(if filter == RecordFilter::default() {
            searcher.search(query, &collector)?
        } else {
            searcher.search(query, &Filtered::new(collector, self.columns.clone(), filter, model::now_ts()))?
        })
    }
}

impl SearchRequest {
    /// The records this request keeps, besides matching its text.
    fn filter(&self) -> RecordFilter {
        RecordFilter {
            open_only: !self.include_inactive,
            collections: RecordFilter::bits(self.collections.iter().map(|c| c.ord())),
            cities: RecordFilter::bits(self.cities.iter().copied()),
            kinds: RecordFilter::bits(self.kinds.iter().copied()),
            clusters: RecordFilter::bits(self.clusters.iter().copied()) as u16,
        }
    }
}

/// The query of `text` (every record when `None`) under `filters`.
fn full_query(text: Option<Box<dyn Query>>, filters: &[Box<dyn Query>]) -> BooleanQuery {
    let text = text.unwrap_or_else(|| Box::new(AllQuery));
    BooleanQuery::new(
        std::iter::once(text).chain(filters.iter().map(|f| f.box_clone())).map(|q| (Occur::Must, q)).collect(),
    )
}

/// A filter clause: it narrows the matches and adds nothing to their scores.
fn unscored(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// Milliseconds since `started`, to two decimals.
/// Milliseconds since `started`, to two decimals.
pub fn millis(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

/// The script of a query: Traditional if it has Traditional characters, Simplified if it has
/// other Chinese, otherwise the text as stored.
pub fn detect_lang(analyzer: &Analyzer, q: &str) -> Lang {
    if analyzer.has_traditional(q) {
        Lang::Hant
    } else if q.chars().any(is_cjk) {
        Lang::Hans
    } else {
        Lang::Original
    }
}

/// The name of a record in `lang`.
pub fn display_name(analyzer: &Analyzer, record: &Record, lang: Lang) -> String {
    match lang {
        Lang::En => record.str("name_en").unwrap_or(record.name()).to_string(),
        _ => analyzer.to_script(record.name(), lang),
    }
}

/// The snippet of `record` shown for a query's `marker`, in `lang`: the first of its texts in
/// the reader's language that the query marks (else the first text), cut around the marks.
pub fn snippet_of(analyzer: &Analyzer, record: &Record, lang: Lang, marker: &snippet::Marker) -> String {
    // Candidate texts, the ones in the caller's language first.
    let mut texts = super::body_texts(record);
    let english = |t: &str| t.chars().filter(|c| c.is_ascii_alphabetic()).count() * 2 > t.chars().count();
    texts.sort_by_key(|t| if lang == Lang::En { !english(t) } else { english(t) });
    // (number of matches, text as stored, matched byte ranges)
    type Candidate<'t> = (usize, &'t str, Vec<(usize, usize)>);
    let mut best: Option<Candidate> = None;
    for t in &texts {
        // Matched in the text as stored (analysis folds scripts); only the snippet's window is
        // converted to the caller's script.
        let t = t.trim();
        let ranges = if marker.is_empty() { Vec::new() } else { marker.ranges(t) };
        // The first text in the caller's language that matches; else the first text at all.
        if best.as_ref().is_none_or(|b| b.0 == 0 && !ranges.is_empty()) {
            best = Some((ranges.len(), t, ranges));
        }
        // Later texts can no longer replace it.
        if best.as_ref().is_some_and(|b| b.0 > 0) || marker.is_empty() {
            break;
        }
    }
    let show = |t: &str| analyzer.to_script(t, lang);
    best.map_or_else(String::new, |(_, text, ranges)| {
        let max = if english(text) { 240 } else { 110 };
        snippet::snippet(text, &ranges, max, &show)
    })
}

/// A code's label in `lang`.
pub fn label(analyzer: &Analyzer, zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Hant => analyzer.to_script(zh, Lang::Hant),
        _ => zh.to_string(),
    }
}

impl SearchIndex {
    /// The `limit` most recently updated records of `collection` that belong to the entity `id`
    /// (its talents by `affiliation`, its listings by `owner`), only those of kind `kind` when it
    /// is given. Chosen on the index's columns, so that an organisation with thousands of records
    /// costs `limit` record reads.
    pub fn belonging_to(
        &self,
        collection: Collection,
        id: &str,
        kind: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Record>> {
        let searcher = self.reader.searcher();
        let owner = TermQuery::new(tantivy::Term::from_field_text(self.fields.refs, id), IndexRecordOption::Basic);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(owner)),
            (Occur::Must, query::any_of(self.fields.collection, &[collection.ord()])),
        ];
        if let Some(kind) = kind {
            let Some(ord) = model::code_ord(&model::KINDS, kind) else {
                return Ok(Vec::new());
            };
            clauses.push((Occur::Must, query::any_of(self.fields.kind, &[ord])));
        }
        let newest = TopDocs::with_limit(limit.max(1)).order_by_fast_field::<i64>("updated", Order::Desc);
        let top = searcher.search(&BooleanQuery::new(clauses), &newest)?;
        top.into_iter().map(|(_, addr)| self.record_at(&searcher, addr)).collect()
    }

    /// The `limit` best open records of `collections` for the text `q`, with scores.
    pub fn top_records(&self, q: &str, collections: &[Collection], limit: usize) -> Result<Vec<(f32, Record)>> {
        let searcher = self.reader.searcher();
        let Some(text) = query::text_query(&self.analyzer, &searcher, &self.fields, q) else {
            return Ok(Vec::new());
        };
        let req = SearchRequest { collections: collections.to_vec(), ..SearchRequest::default() };
        let limit = limit.max(1);
        let (filters, keep) = self.filters(&searcher, &req, true);
        let best = |plan: &Plan| {
            let boost = Some(&text.boost).filter(|b| !b.is_empty());
            let search = by_filter::Search { plan, filters: &filters, keep, boost, limit, now: model::now_ts() };
            if let Some(Ranked { hits: top, .. }) = by_filter::top(&searcher, &self.columns, &search)? {
                return Ok(top);
            }
            let query = full_query(Some(plan.query()), &filters);
            self.collect(&searcher, &query, self.by_score(limit, Some(&text)), keep)
        };
        let mut top = best(text.precise.as_ref().map_or(&text.any, |p| &p.0))?;
        if text.precise.is_some() && top.len() < limit.min(MIN_PRECISE) {
            top = best(&text.any)?;
        }
        top.into_iter().map(|(score, addr)| Ok((score, self.record_at(&searcher, addr)?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::analyzer;

    /// [`Needs`] stems only the words starting as a query token starts: that relies on every
    /// English stem starting with its word's first character, checked here on every English
    /// word of the bundled data and on Snowball's exceptional words.
    #[test]
    fn an_english_stem_starts_with_its_words_first_character() {
        let a = analyzer();
        let mut text = String::from("dying lying tying skies skis idly gently ugly early only singly news howe atlas");
        for (_, s) in crate::analysis::tests::bundled_strings() {
            text.push(' ');
            text.push_str(&s);
        }
        let norm = a.normalize_text(&text);
        let mut checked = 0;
        for w in norm.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic()))
        {
            let stem = a.stem(w);
            assert_eq!(stem.bytes().next(), w.bytes().next(), "{w} → {stem}");
            checked += 1;
        }
        assert!(checked > 10_000, "{checked} words");
    }

    #[test]
    fn a_record_text_prepares_what_the_query_tokens_ask_for() {
        let a = analyzer();
        let record = crate::dataset::record_from_value(
            Collection::Entities,
            serde_json::json!({"id": "e1", "kind": "enterprise", "name": "深圳机器人公司", "description": "Batteries and robots for 医疗机器人"}),
        )
        .unwrap();
        let tokens: Vec<String> = ["batteri", "机器人"].map(String::from).to_vec();
        let text = DocText::new(&a, &record, &Needs::of(&tokens));
        assert!(text.has("batteri") && text.has("机器人") && !text.has("robot"));
        let text = DocText::new(&a, &record, &Needs::of(&["robot".to_string()]));
        assert!(text.has("robot") && !text.has("batteri"));
    }
}
