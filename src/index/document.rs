//! Turning a [`Record`] into a tantivy document: which text goes to which field.

use std::collections::HashMap;

use serde_json::Value;
use tantivy::TantivyDocument;

use super::schema::{Fields, STATUSES};
use crate::analysis::{Analyzer, Mode};
use crate::model::{self, Collection, Record};

/// What other records need to know of an entity: a talent's affiliation or a listing's owner.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntityInfo {
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// City code.
    pub city: Option<String>,
}

/// Entities by id.
pub type EntityNames = HashMap<String, EntityInfo>;

/// Collects the names of entity records.
pub fn entity_names<'a>(records: impl IntoIterator<Item = &'a Record>) -> EntityNames {
    records
        .into_iter()
        .filter(|r| r.collection == Collection::Entities)
        .map(|r| {
            let info = EntityInfo {
                name: r.name().to_string(),
                name_en: r.str("name_en").map(String::from),
                city: r.str("city").map(String::from),
            };
            (r.id.clone(), info)
        })
        .collect()
}

/// All names and aliases of a record (`name`, `title`, `name_en`, `aliases`).
pub fn names(record: &Record) -> Vec<&str> {
    let mut out: Vec<&str> = ["name", "title", "name_en"].iter().filter_map(|k| record.str(k)).collect();
    out.extend(record.strs("aliases"));
    out.dedup();
    out
}

/// Body text of a record, field by field (description first).
pub fn body_texts(record: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in ["description", "description_en", "capabilities", "expertise", "benefit", "ip_status"] {
        if let Some(s) = record.str(key) {
            out.push(s.to_string());
        }
    }
    if record.collection == Collection::Talents
        && let Some(t) = record.str("title")
    {
        out.push(t.to_string());
    }
    for key in ["fields", "honors", "bottlenecks"] {
        let items = record.strs(key);
        if !items.is_empty() {
            out.push(items.join("；"));
        }
    }
    if let Some(Value::Array(ms)) = record.body.get("milestones") {
        let targets: Vec<&str> = ms.iter().filter_map(|m| m.get("target").and_then(Value::as_str)).collect();
        if !targets.is_empty() {
            out.push(targets.join("；"));
        }
    }
    out
}

/// All searchable text of a record in one string: names, body, and the labels of its city,
/// clusters and kind (what a query word can match).
pub fn all_text(record: &Record) -> String {
    let mut parts: Vec<String> = names(record).into_iter().map(String::from).collect();
    parts.extend(body_texts(record));
    let labels = |table: &[model::Code], code: &str| model::lookup(table, code).map(|(_, zh, en)| format!("{zh} {en}"));
    parts.extend(record.str("city").and_then(|c| labels(&model::CITIES, c)));
    parts.extend(record.strs("clusters").into_iter().filter_map(|c| labels(&model::CLUSTERS, c)));
    parts.extend(record.str("kind").and_then(|k| labels(&model::KINDS, k)));
    parts.join("\n")
}

/// Status ordinal of a record (`open` unless a listing says otherwise).
pub fn status_ord(record: &Record) -> u64 {
    record.str("status").and_then(|s| STATUSES.iter().position(|x| *x == s)).unwrap_or(0) as u64
}

/// Builds the tantivy document of `record`.
pub fn build(record: &Record, f: &Fields, analyzer: &Analyzer, entities: &EntityNames) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let c = record.collection;
    d.add_text(f.key, key(c, &record.id));
    d.add_text(f.id, &record.id);
    d.add_u64(f.collection, c.ord());
    let mut meta: Vec<&str> = vec![c.labels().0, c.labels().1];
    if let Some((ord, (_, zh, en))) = record
        .str("city")
        .and_then(|code| Some((model::code_ord(&model::CITIES, code)?, model::lookup(&model::CITIES, code)?)))
    {
        d.add_u64(f.city, ord);
        meta.extend([zh, en]);
    }
    for code in record.strs("clusters") {
        if let (Some(ord), Some((_, zh, en))) =
            (model::code_ord(&model::CLUSTERS, code), model::lookup(&model::CLUSTERS, code))
        {
            d.add_u64(f.cluster, ord);
            meta.extend([zh, en]);
        }
    }
    if let Some(code) = record.str("kind")
        && let (Some(ord), Some((_, zh, en))) =
            (model::code_ord(&model::KINDS, code), model::lookup(&model::KINDS, code))
    {
        d.add_u64(f.kind, ord);
        meta.extend([zh, en]);
    }
    for key in ["affiliation", "owner"] {
        if let Some(id) = record.str(key) {
            d.add_text(f.refs, id);
        }
        if let Some(e) = record.str(key).and_then(|id| entities.get(id)) {
            meta.push(&e.name);
            if let Some(en) = &e.name_en {
                meta.push(en);
            }
        }
    }
    d.add_u64(f.status, status_ord(record));
    let expires = record.str("expires_at").and_then(model::parse_rfc3339).unwrap_or(i64::MAX);
    d.add_i64(f.expires, expires);
    d.add_i64(f.updated, record.updated_ts());

    let names = names(record);
    for n in &names {
        d.add_text(f.title_w, n);
        d.add_text(f.title_s, n);
        d.add_text(f.bigram, n);
        let k = analyzer.key(n);
        if !k.is_empty() {
            d.add_text(f.name_key, &k);
            d.add_text(f.suggest_full, &k);
        }
        for part in inner_keys(analyzer, n) {
            d.add_text(f.suggest_part, part);
        }
    }
    for t in body_texts(record) {
        d.add_text(f.body_w, &t);
        d.add_text(f.body_s, &t);
        d.add_text(f.bigram, &t);
    }
    d.add_text(f.meta_s, meta.join(" "));
    let public = Value::Object(record.public_body());
    d.add_text(f.doc, public.to_string());
    d
}

/// The index key of a record.
pub fn key(collection: Collection, id: &str) -> String {
    format!("{}/{}", collection.as_str(), id)
}

/// Suggestion keys that start at an inner word of a name (at most six).
fn inner_keys(analyzer: &Analyzer, name: &str) -> Vec<String> {
    let mut starts: Vec<usize> =
        analyzer.tokens(name, Mode::Search).into_iter().map(|t| t.from).filter(|&from| from > 0).collect();
    starts.dedup();
    starts
        .into_iter()
        .filter_map(|from| name.get(from..))
        .map(|rest| analyzer.key(rest))
        .filter(|k| k.chars().count() >= 2)
        .take(6)
        .collect()
}
