//! Parity across scripts and languages on the bundled data: the same need put in mainland and
//! Hong Kong wording, or in Chinese and English, finds the same records (top-10 overlap of
//! `/api/search`) and the same counterparts (best-5 overlap of `/api/match`).
//! `cargo test --test api parity -- --nocapture` prints the tables quoted in docs/RELEVANCE.md.
//!
//! The sets (tests/relevance/parity_*.jsonl) were written before the changes they measure; the
//! `heldout_*` files are never used to tune anything.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::common::{TestApp, enc};

/// Floors of the mean overlap, per set and kind: the figures reached, less a small margin, so a
/// change that loses parity fails the build. docs/RELEVANCE.md has the figures.
const QUERY_FLOORS: [(&str, &str, f64); 4] = [
    ("parity_queries.jsonl", "en", 0.77),
    ("parity_queries.jsonl", "hk", 0.82),
    ("heldout_parity_queries.jsonl", "en", 0.63),
    ("heldout_parity_queries.jsonl", "hk", 0.80),
];
const NEED_FLOORS: [(&str, f64); 2] = [("parity_needs.jsonl", 0.69), ("heldout_parity_needs.jsonl", 0.62)];

fn read(name: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
        .collect()
}

/// Shared share of two result lists: |A ∩ B| / max(|A|, |B|); two empty lists agree.
pub fn overlap(a: &[String], b: &[String]) -> f64 {
    let n = a.len().max(b.len());
    if n == 0 {
        return 1.0;
    }
    let set: HashSet<&String> = a.iter().collect();
    b.iter().filter(|x| set.contains(x)).count() as f64 / n as f64
}

/// With `GBA_PER_CASE=FILE`, appends one line per case to FILE, to compare two builds case by
/// case (`diff`).
pub fn dump_per_case(lines: impl Iterator<Item = String>) {
    if let Ok(path) = std::env::var("GBA_PER_CASE") {
        use std::io::Write;
        let text: String = lines.map(|l| l + "\n").collect();
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path).expect("per-case file");
        file.write_all(text.as_bytes()).expect("per-case file is writable");
    }
}

async fn matched(app: &TestApp, text: &str) -> Vec<String> {
    let (status, body) = app.get(&format!("/api/match?text={}&limit=5", enc(text))).await;
    assert!(status.is_success(), "{text}: {body}");
    body["matches"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
}

fn report(title: &str, rows: &BTreeMap<String, Vec<(f64, String)>>) -> BTreeMap<String, f64> {
    println!("\n{title}\n| set | pairs | mean overlap | under 0.5 |\n|---|---|---|---|");
    let mut out = BTreeMap::new();
    for (key, v) in rows {
        let mean = v.iter().map(|x| x.0).sum::<f64>() / v.len() as f64;
        let low = v.iter().filter(|x| x.0 < 0.5).count();
        println!("| {key} | {} | {mean:.3} | {low} |", v.len());
        out.insert(key.clone(), mean);
    }
    let mut worst: Vec<&(f64, String)> = rows.values().flatten().collect();
    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    dump_per_case(worst.iter().map(|(o, what)| format!("{o:.2} {what}")));
    println!("\nlowest:");
    for (o, what) in worst.iter().take(15) {
        println!("  {o:.2} {what}");
    }
    out
}

#[tokio::test]
async fn query_pairs_in_other_scripts_and_languages_find_the_same_records() {
    let app = TestApp::bundled();
    let mut rows: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    for file in ["parity_queries.jsonl", "heldout_parity_queries.jsonl"] {
        let pairs = read(file);
        assert!(pairs.len() >= 50, "{file}: {} pairs", pairs.len());
        for p in pairs {
            let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
            let ta = app.ids(&format!("q={}&per_page=10", enc(a))).await;
            let tb = app.ids(&format!("q={}&per_page=10", enc(b))).await;
            let kind = p["kind"].as_str().unwrap();
            rows.entry(format!("{file} {kind}"))
                .or_default()
                .push((overlap(&ta, &tb), format!("{} {a} | {b}", p["id"])));
        }
    }
    let means = report("Top-10 overlap of query pairs (bundled data)", &rows);
    for (file, kind, floor) in QUERY_FLOORS {
        let v = means[&format!("{file} {kind}")];
        assert!(v >= floor, "{file} {kind}: mean overlap {v:.3} < floor {floor}");
    }
}

#[tokio::test]
async fn a_need_in_chinese_and_in_english_meets_the_same_counterparts() {
    let app = TestApp::bundled();
    let mut rows: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    for (file, _) in NEED_FLOORS {
        let needs = read(file);
        assert!(needs.len() >= 20, "{file}: {} needs", needs.len());
        for n in needs {
            let (zh, en) = (n["zh"].as_str().unwrap(), n["en"].as_str().unwrap());
            let (mz, me) = (matched(&app, zh).await, matched(&app, en).await);
            let what: String = format!("{} {}", n["id"], zh.chars().take(30).collect::<String>());
            rows.entry(file.to_string()).or_default().push((overlap(&mz, &me), what));
        }
    }
    let means = report("Best-5 overlap of /api/match, Chinese vs English need (bundled data)", &rows);
    for (file, floor) in NEED_FLOORS {
        let v = means[file];
        assert!(v >= floor, "{file}: mean overlap {v:.3} < floor {floor}");
    }
}
