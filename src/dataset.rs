//! Reading and writing the JSON Lines files of `data/`, with per-line validation.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{self, Collection, Record};

/// A line of a JSONL file that was skipped, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// The records read from a file, and the lines that were skipped.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Valid records, in file order (a later line with the same id replaces an earlier one).
    pub records: Vec<Record>,
    /// Malformed lines.
    pub errors: Vec<LineError>,
}

/// Checks an id against the contract's pattern `[A-Za-z0-9_.:-]{1,64}`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
}

/// Validates one JSON object as a record of `collection`.
pub fn record_from_value(collection: Collection, value: Value) -> std::result::Result<Record, String> {
    let Value::Object(body) = value else {
        return Err("a record must be a JSON object".into());
    };
    let id = match body.get("id") {
        Some(Value::String(s)) if valid_id(s) => s.clone(),
        Some(Value::String(s)) => {
            return Err(format!("`id` {s:?} must match [A-Za-z0-9_.:-]{{1,64}}"));
        }
        _ => return Err("`id` is required and must be a string".into()),
    };
    let has_name =
        ["name", "title"].iter().any(|k| body.get(*k).and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty()));
    if !has_name {
        return Err("`name` (or `title`) is required and must be a non-empty string".into());
    }
    check_codes(collection, &body)?;
    Ok(Record { collection, id, body })
}

fn check_codes(collection: Collection, body: &Map<String, Value>) -> std::result::Result<(), String> {
    match body.get("city") {
        None | Some(Value::Null) => {}
        Some(Value::String(c)) if model::lookup(&model::CITIES, c).is_some() => {}
        Some(other) => {
            let codes: Vec<_> = model::CITIES.iter().map(|c| c.0).collect();
            return Err(format!("`city` {other} is not one of {}", codes.join(", ")));
        }
    }
    match body.get("clusters") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let ok = item.as_str().is_some_and(|c| model::lookup(&model::CLUSTERS, c).is_some());
                if !ok {
                    let codes: Vec<_> = model::CLUSTERS.iter().map(|c| c.0).collect();
                    return Err(format!("`clusters` item {item} is not one of {}", codes.join(", ")));
                }
            }
        }
        Some(_) => return Err("`clusters` must be a list of cluster codes".into()),
    }
    let kinds: &[&str] = match collection {
        Collection::Entities => &model::ENTITY_KINDS,
        Collection::Listings => &model::LISTING_KINDS,
        _ => return Ok(()),
    };
    match body.get("kind").and_then(Value::as_str) {
        Some(k) if kinds.contains(&k) => Ok(()),
        _ => Err(format!("`kind` is required and must be one of {}", kinds.join(", "))),
    }
}

/// Parses JSON Lines text; blank lines are ignored, malformed ones reported.
pub fn parse_jsonl(collection: Collection, reader: impl BufRead) -> Result<Parsed> {
    in_one_chunk(|each| parse_jsonl_chunks(collection, reader, usize::MAX, each))
}

/// Runs a chunked reader and gathers everything it hands over into one [`Parsed`].
fn in_one_chunk(
    read: impl FnOnce(&mut dyn FnMut(Vec<Record>) -> Result<()>) -> Result<Vec<LineError>>,
) -> Result<Parsed> {
    let mut records = Vec::new();
    let errors = read(&mut |chunk| {
        records.extend(chunk);
        Ok(())
    })?;
    Ok(Parsed { records, errors })
}

/// Parses JSON Lines text and hands the valid records to `each` in chunks of at most `size`, in
/// file order, so that a file much larger than memory can be imported; returns the malformed
/// lines. Stops at the first error `each` returns.
pub fn parse_jsonl_chunks(
    collection: Collection,
    reader: impl BufRead,
    size: usize,
    mut each: impl FnMut(Vec<Record>) -> Result<()>,
) -> Result<Vec<LineError>> {
    let mut errors = Vec::new();
    let mut chunk = Vec::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let bytes = line.map_err(|e| Error::io("reading JSONL", e))?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            errors.push(LineError { line: line_no, message: "not valid UTF-8".into() });
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        let result = serde_json::from_str::<Value>(text)
            .map_err(|e| format!("not valid JSON: {e}"))
            .and_then(|v| record_from_value(collection, v));
        match result {
            Ok(r) => chunk.push(r),
            Err(message) => errors.push(LineError { line: line_no, message }),
        }
        if chunk.len() >= size {
            each(std::mem::take(&mut chunk))?;
        }
    }
    if !chunk.is_empty() {
        each(chunk)?;
    }
    Ok(errors)
}

/// Reads a JSONL file of `collection`; a missing file reads as empty.
pub fn read_file(collection: Collection, path: &Path) -> Result<Parsed> {
    in_one_chunk(|each| read_file_chunks(collection, path, usize::MAX, each))
}

/// [`parse_jsonl_chunks`] over a file of `collection`; a missing file reads as empty.
pub fn read_file_chunks(
    collection: Collection,
    path: &Path,
    size: usize,
    each: impl FnMut(Vec<Record>) -> Result<()>,
) -> Result<Vec<LineError>> {
    match fs::File::open(path) {
        Ok(f) => parse_jsonl_chunks(collection, BufReader::new(f), size, each),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(format!("opening {}", path.display()), e)),
    }
}

/// Merges `updates` into `existing` by id: same id replaces, new ids are appended.
pub fn upsert(existing: Vec<Record>, updates: Vec<Record>) -> Vec<Record> {
    let mut order: Vec<String> = Vec::with_capacity(existing.len() + updates.len());
    let mut by_id: BTreeMap<String, Record> = BTreeMap::new();
    for r in existing.into_iter().chain(updates) {
        if !by_id.contains_key(&r.id) {
            order.push(r.id.clone());
        }
        by_id.insert(r.id.clone(), r);
    }
    order.into_iter().filter_map(|id| by_id.remove(&id)).collect()
}

/// Writes records as JSONL atomically and durably ([`crate::durable::write_atomic`]).
pub fn write_file(path: &Path, records: &[Record]) -> Result<()> {
    crate::durable::write_atomic(path, |f| {
        for r in records {
            serde_json::to_writer(&mut *f, &r.body)?;
            f.write_all(b"\n")?;
        }
        Ok(())
    })
    .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Records of `path` with both a Chinese and an English text (`name_en`, `description_en`), at
/// most `cap` of them, read line by line from the start: what the bilingual lexicon is learned
/// from. A missing file gives none; a malformed line is passed over (import reports it).
pub fn bilingual_texts(path: &Path, cap: usize) -> Vec<crate::analysis::Bilingual> {
    let Ok(file) = fs::File::open(path) else { return Vec::new() };
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let Ok(line) = line else { break };
        let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(&line) else { continue };
        let text = |key: &str| obj.get(key).and_then(Value::as_str).unwrap_or_default();
        // Descriptions only: names pair whole names with fragments of their translation
        // ("中山大学" with "sen university"); names are bridged as aliases instead.
        let en = text("description_en").to_string();
        let mut zh: Vec<&str> =
            ["description", "capabilities", "expertise", "benefit"].iter().map(|k| text(k)).collect();
        if let Some(Value::Array(fields)) = obj.get("fields") {
            zh.extend(fields.iter().filter_map(Value::as_str));
        }
        let zh: Vec<&str> = zh.into_iter().filter(|t| t.chars().any(crate::analysis::is_cjk)).collect();
        if zh.is_empty() || en.trim().is_empty() {
            continue;
        }
        out.push(crate::analysis::Bilingual { zh: zh.join("\n"), en });
        if out.len() == cap {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_are_reported_by_number() {
        let text = "{\"id\":\"a\",\"name\":\"甲\"}\n\nnot json\n{\"id\":\"b c\",\"name\":\"x\"}\n{\"id\":\"c\",\"name\":\"丙\",\"city\":\"paris\"}\n{\"id\":\"d\",\"title\":\"丁\"}\n";
        let p = parse_jsonl(Collection::Roadmaps, text.as_bytes()).unwrap();
        assert_eq!(p.records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["a", "d"]);
        assert_eq!(p.errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4, 5]);
    }

    #[test]
    fn chunks_keep_file_order_and_line_numbers() {
        let text =
            "{\"id\":\"a\",\"name\":\"甲\"}\nbad\n{\"id\":\"b\",\"name\":\"乙\"}\n{\"id\":\"c\",\"name\":\"丙\"}\n";
        let mut chunks = Vec::new();
        let errors = parse_jsonl_chunks(Collection::Roadmaps, text.as_bytes(), 2, |c| {
            chunks.push(c.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
            Ok(())
        })
        .unwrap();
        assert_eq!(chunks, [vec!["a", "b"], vec!["c"]]);
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn upsert_replaces_by_id_and_keeps_order() {
        let r = |id: &str, name: &str| {
            record_from_value(Collection::Roadmaps, serde_json::json!({"id": id, "name": name})).unwrap()
        };
        let merged = upsert(vec![r("a", "1"), r("b", "2")], vec![r("b", "3"), r("c", "4")]);
        let got: Vec<_> = merged.iter().map(|r| (r.id.as_str(), r.name())).collect();
        assert_eq!(got, [("a", "1"), ("b", "3"), ("c", "4")]);
    }
}
