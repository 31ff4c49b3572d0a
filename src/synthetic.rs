//! Deterministic synthetic records for benchmarks (`gba-search gen`): drawn from the bundled
//! data's own records and vocabulary, in the real data's mix of Simplified, Traditional and
//! English, ≈ 60 % listings, 25 % entities, 10 % talents, 5 % roadmaps and industries.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::dataset;
use crate::error::{Error, Invalid, Result};
use crate::model::{self, Collection, Record};

/// SplitMix64: a tiny, well-known generator; the same seed always gives the same corpus.
/// (Written here rather than pulling in `rand`: eight lines, and the output must never change
/// with a dependency upgrade.)
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Which collection record `i` belongs to: 12 listings, 5 entities, 2 talents and one roadmap or
/// industry in every 20.
fn collection_of(i: u64) -> Collection {
    match i % 20 {
        0..=11 => Collection::Listings,
        12..=16 => Collection::Entities,
        17 | 18 => Collection::Talents,
        _ if (i / 20).is_multiple_of(2) => Collection::Roadmaps,
        _ => Collection::Industries,
    }
}

/// Writes `docs` synthetic records to `out/<collection>.jsonl`, using the records of `data_dir`
/// as templates. Returns the number of records per collection.
pub fn generate(data_dir: &Path, docs: u64, seed: u64, out: &Path) -> Result<BTreeMap<String, u64>> {
    let mut templates: BTreeMap<Collection, Vec<Record>> = BTreeMap::new();
    for c in Collection::ALL {
        let records = dataset::read_file(c, &data_dir.join(c.file_name()))?.records;
        if records.is_empty() {
            return Err(Error::invalid(
                Invalid::Parameter,
                format!("{} has no {} records to draw from", data_dir.display(), c.as_str()),
            ));
        }
        templates.insert(c, records);
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(format!("creating {}", out.display()), e))?;
    let mut files = BTreeMap::new();
    for c in Collection::ALL {
        let path = out.join(c.file_name());
        let f = std::fs::File::create(&path).map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
        files.insert(c, std::io::BufWriter::new(f));
    }
    let words: Vec<String> = templates.values().flatten().flat_map(|r| r.strs("fields")).map(String::from).collect();
    let entity_ids: Vec<String> = templates[&Collection::Entities].iter().map(|r| r.id.clone()).collect();
    let mut rng = Rng(seed);
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for i in 0..docs {
        let c = collection_of(i);
        let base = rng.pick(&templates[&c]).clone();
        let other = rng.pick(&templates[&c]).clone();
        let mut body = base.body.clone();
        let id = format!("gen-{}-{i}", &c.as_str()[..3]);
        body.insert("id".into(), json!(id));
        let word = rng.pick(&words).clone();
        let name = format!("{}（{}）", base.name(), word);
        body.insert("name".into(), json!(name));
        if c == Collection::Listings {
            body.insert("title".into(), json!(name));
            body.insert("owner".into(), json!(rng.pick(&entity_ids)));
            body.insert("status".into(), json!("open"));
        }
        if let (Some(a), Some(b)) = (base.str("description"), other.str("description")) {
            body.insert("description".into(), json!(format!("{a}{b}")));
        }
        let city = rng.pick(&model::CITIES).0;
        body.insert("city".into(), json!(city));
        if c == Collection::Talents {
            body.insert("affiliation".into(), json!(rng.pick(&entity_ids)));
            body.insert("contact".into(), json!({"email": format!("person{i}@example.org")}));
        }
        let ts = 1_735_689_600 + rng.below(60_000_000) as i64; // 2025-01-01 + up to ~23 months
        body.insert("updated_at".into(), json!(model::format_rfc3339(ts)));
        if c == Collection::Listings {
            body.insert("created_at".into(), json!(model::format_rfc3339(ts)));
            body.insert("expires_at".into(), json!(model::format_rfc3339(ts + 2 * 365 * 86_400)));
        }
        let f = files.get_mut(&c).ok_or_else(|| Error::Internal("no output file".into()))?;
        serde_json::to_writer(&mut *f, &Value::Object(body))?;
        f.write_all(b"\n").map_err(|e| Error::io("writing generated records", e))?;
        *counts.entry(c.as_str().to_string()).or_default() += 1;
    }
    for (_, mut f) in files {
        f.flush().map_err(|e| Error::io("writing generated records", e))?;
    }
    Ok(counts)
}
