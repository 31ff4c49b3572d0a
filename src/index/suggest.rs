//! Prefix completion over names, English names and aliases in any script, from the index's
//! `suggest_full` and `suggest_part` term dictionaries (so new records are suggested as soon
//! as they are committed).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocAddress, DocSet, Searcher, TERMINATED};

use super::SearchIndex;
use super::columns::SegmentColumns;
use super::search::display_name;
use crate::analysis::Lang;
use crate::error::Result;
use crate::model::{self, Collection};
use crate::weights::suggest::{
    ENTITY_PRIOR, EXACT_BONUS, FULL_BONUS, LEN_PENALTY, MAX_PRIOR, OTHER_PRIOR, PROFILE_PRIOR,
};

/// One completion.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The record's name in the requested script.
    pub text: String,
    /// Collection of the record.
    pub collection: String,
    /// Record id.
    pub id: String,
    /// The alias or other name that matched, when it is not the name shown.
    pub matched: Option<String>,
}

/// Most candidate terms read per field and segment.
const MAX_TERMS: usize = 400;

/// The score a completion starts from, by its record's collection (at most [`MAX_PRIOR`]).
fn prior(collection: Option<Collection>) -> f32 {
    match collection {
        Some(Collection::Entities) => ENTITY_PRIOR,
        Some(Collection::Industries | Collection::Roadmaps) => PROFILE_PRIOR,
        _ => OTHER_PRIOR,
    }
}

impl SearchIndex {
    /// Up to `limit` completions of `prefix`, best first.
    pub fn suggest(&self, prefix: &str, lang: Option<Lang>, limit: usize) -> Result<Vec<Suggestion>> {
        let key = self.analyzer.key(prefix);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let lang = lang.unwrap_or_else(|| super::search::detect_lang(&self.analyzer, prefix));
        let searcher = self.reader.searcher();
        let cache_key = format!("{key}\u{0}{lang:?}\u{0}{limit}");
        let (answer, _) =
            self.cached(&self.suggestions, &searcher, cache_key, || self.complete(&searcher, &key, lang, limit))?;
        Ok(Vec::clone(&answer))
    }

    fn complete(&self, searcher: &Searcher, key: &str, lang: Lang, limit: usize) -> Result<Vec<Suggestion>> {
        let now = model::now_ts();
        let (full, part) = (self.fields.suggest_full, self.fields.suggest_part);
        // Each segment's collections and open records, read once.
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|seg| self.columns.get(seg).map(|c| (c.clone(), c.open_at(now))))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // (segment, doc) → (score, matched key)
        let mut best: HashMap<DocAddress, (f32, String)> = HashMap::new();
        // First the names and aliases that complete the prefix, and inner words equal to it.
        let mut first = Vec::new();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            for (term, info) in prefix_terms(seg, full, key)? {
                first.push(Candidate::new(seg_ord, full, FULL_BONUS, term, info, key));
            }
            let exact = seg.inverted_index(part)?.terms().get(key.as_bytes());
            if let Some(info) = exact.map_err(|e| crate::Error::io("reading suggestion terms", e))? {
                first.push(Candidate::new(seg_ord, part, 0.0, key.to_string(), info, key));
            }
        }
        self.score(searcher, &segments, first, &mut best, limit)?;
        // Inner words that only start with the prefix score below every other kind (at most
        // MAX_PRIOR - LEN_PENALTY): their terms are read only when they could still make the list.
        if kth_score(&best, limit) <= MAX_PRIOR - LEN_PENALTY {
            let mut rest = Vec::new();
            for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
                for (term, info) in prefix_terms(seg, part, key)?.into_iter().filter(|(t, _)| t != key) {
                    rest.push(Candidate::new(seg_ord, part, 0.0, term, info, key));
                }
            }
            self.score(searcher, &segments, rest, &mut best, limit)?;
        }
        let mut ranked: Vec<(DocAddress, f32, String)> = best.into_iter().map(|(a, (s, t))| (a, s, t)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.len().cmp(&b.2.len())).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (addr, _, term) in ranked.into_iter().take(limit) {
            let record = self.record_at(searcher, addr)?;
            let text = display_name(&self.analyzer, &record, lang);
            let matched = super::names(&record)
                .into_iter()
                .find(|n| self.analyzer.key(n) == term)
                .filter(|n| self.analyzer.key(n) != self.analyzer.key(&text))
                .map(String::from);
            out.push(Suggestion { text, collection: record.collection.as_str().into(), id: record.id, matched });
        }
        Ok(out)
    }

    /// Scores the candidates into `best`, the best possible first, stopping when no later
    /// candidate can enter the top `limit` (ties are still read, so the order is the same).
    fn score(
        &self,
        searcher: &Searcher,
        segments: &[(Arc<SegmentColumns>, Arc<BitSet>)],
        mut candidates: Vec<Candidate>,
        best: &mut HashMap<DocAddress, (f32, String)>,
        limit: usize,
    ) -> Result<()> {
        candidates.sort_by(|a, b| b.base.total_cmp(&a.base));
        let mut last_base = f32::MAX;
        for cand in candidates {
            if cand.base < last_base {
                if cand.base + MAX_PRIOR < kth_score(best, limit) {
                    break;
                }
                last_base = cand.base;
            }
            let seg = searcher.segment_reader(cand.seg_ord as u32);
            let Some((columns, open)) = segments.get(cand.seg_ord) else { continue };
            for doc in live_docs(seg, cand.field, &cand.info)? {
                if !open.contains(doc) {
                    continue;
                }
                let c = columns.collection.get(doc as usize).and_then(|c| Collection::from_ord(u64::from(*c)));
                let score = prior(c) + cand.base;
                let addr = DocAddress::new(cand.seg_ord as u32, doc);
                let e = best.entry(addr).or_insert((f32::MIN, String::new()));
                if score > e.0 {
                    *e = (score, cand.term.clone());
                }
            }
        }
        Ok(())
    }
}

/// A term completing the prefix, and the part of its score that does not depend on the record.
struct Candidate {
    seg_ord: usize,
    field: Field,
    term: String,
    info: TermInfo,
    base: f32,
}

impl Candidate {
    /// A term of `field`, whose matches score `bonus` (see [`FULL_BONUS`]) plus [`EXACT_BONUS`]
    /// when it is the prefix itself, less [`LEN_PENALTY`] per character beyond the prefix.
    fn new(seg_ord: usize, field: Field, bonus: f32, term: String, info: TermInfo, prefix: &str) -> Candidate {
        let exact = if term == prefix { EXACT_BONUS } else { 0.0 };
        let extra = term.chars().count().saturating_sub(prefix.chars().count());
        let base = bonus + exact - LEN_PENALTY * extra as f32;
        Candidate { seg_ord, field, term, info, base }
    }
}

/// The `limit`-th best score so far (`f32::MIN` while there are fewer).
fn kth_score(best: &HashMap<DocAddress, (f32, String)>, limit: usize) -> f32 {
    if best.len() < limit.max(1) {
        return f32::MIN;
    }
    let mut scores: Vec<f32> = best.values().map(|(s, _)| *s).collect();
    let k = limit.max(1) - 1;
    scores.select_nth_unstable_by(k, |a, b| b.total_cmp(a));
    scores[k]
}

/// Terms of `field` starting with `prefix` (at most [`MAX_TERMS`]).
fn prefix_terms(seg: &tantivy::SegmentReader, field: Field, prefix: &str) -> Result<Vec<(String, TermInfo)>> {
    let inverted = seg.inverted_index(field)?;
    let mut stream = inverted
        .terms()
        .range()
        .ge(prefix.as_bytes())
        .into_stream()
        .map_err(|e| crate::Error::io("reading suggestion terms", e))?;
    let mut out = Vec::new();
    while stream.advance() && out.len() < MAX_TERMS {
        let key = stream.key();
        if !key.starts_with(prefix.as_bytes()) {
            break;
        }
        out.push((String::from_utf8_lossy(key).into_owned(), stream.value().clone()));
    }
    Ok(out)
}

/// The first live documents of a term (at most 64).
fn live_docs(seg: &tantivy::SegmentReader, field: Field, info: &TermInfo) -> Result<Vec<u32>> {
    let mut postings = seg
        .inverted_index(field)?
        .read_postings_from_terminfo(info, IndexRecordOption::Basic)
        .map_err(|e| crate::Error::io("reading suggestion postings", e))?;
    let mut docs = Vec::new();
    let mut d = postings.doc();
    while d != TERMINATED && docs.len() < 64 {
        if !seg.is_deleted(d) {
            docs.push(d);
        }
        d = postings.advance();
    }
    Ok(docs)
}
