//! Prefix completion over names, English names and aliases in any script, from the index's
//! `suggest_full` and `suggest_part` term dictionaries (so new records are suggested as soon
//! as they are committed).

use std::collections::HashMap;

use serde::Serialize;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, TERMINATED};
use utoipa::ToSchema;

use super::SearchIndex;
use super::search::display_name;
use crate::analysis::Lang;
use crate::error::Result;
use crate::model::{self, Collection};

/// One completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    /// The record's name in the requested script.
    pub text: String,
    /// Collection of the record.
    pub collection: String,
    /// Record id.
    pub id: String,
    /// The alias or other name that matched, when it is not the name shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

/// Most candidate terms read per field and segment.
const MAX_TERMS: usize = 400;

fn prior(collection: Option<Collection>) -> f32 {
    match collection {
        Some(Collection::Entities) => 3.0,
        Some(Collection::Industries | Collection::Roadmaps) => 2.0,
        _ => 1.0,
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
        let now = model::now_ts();
        // (segment, doc) → (score, matched key)
        let mut best: HashMap<DocAddress, (f32, String)> = HashMap::new();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let ff = seg.fast_fields();
            let coll = ff.column_opt::<u64>("collection")?;
            let status = ff.column_opt::<u64>("status")?;
            let expires = ff.column_opt::<i64>("expires")?;
            for (field, bonus) in [(self.fields.suggest_full, 2.0f32), (self.fields.suggest_part, 0.0)] {
                for (term, docs) in prefix_postings(seg, field, &key)? {
                    let exact = if term == key { 5.0 } else { 0.0 };
                    let len_penalty = 0.05 * term.chars().count().saturating_sub(key.chars().count()) as f32;
                    for doc in docs {
                        let active = status.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) == 0
                            && expires.as_ref().and_then(|c| c.first(doc)).unwrap_or(i64::MAX) > now;
                        if !active {
                            continue;
                        }
                        let c = coll.as_ref().and_then(|c| c.first(doc)).and_then(Collection::from_ord);
                        let score = prior(c) + bonus + exact - len_penalty;
                        let addr = DocAddress::new(seg_ord as u32, doc);
                        let e = best.entry(addr).or_insert((f32::MIN, String::new()));
                        if score > e.0 {
                            *e = (score, term.clone());
                        }
                    }
                }
            }
        }
        let mut ranked: Vec<(DocAddress, f32, String)> = best.into_iter().map(|(a, (s, t))| (a, s, t)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.len().cmp(&b.2.len())).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (addr, _, term) in ranked.into_iter().take(limit) {
            let record = self.record_at(&searcher, addr)?;
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
}

/// Terms of `field` starting with `prefix`, each with its live documents.
fn prefix_postings(seg: &tantivy::SegmentReader, field: Field, prefix: &str) -> Result<Vec<(String, Vec<u32>)>> {
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
        let term = String::from_utf8_lossy(key).into_owned();
        let mut postings = inverted
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
            .map_err(|e| crate::Error::io("reading suggestion postings", e))?;
        let mut docs = Vec::new();
        let mut d = postings.doc();
        while d != TERMINATED && docs.len() < 64 {
            if !seg.is_deleted(d) {
                docs.push(d);
            }
            d = postings.advance();
        }
        out.push((term, docs));
    }
    Ok(out)
}
