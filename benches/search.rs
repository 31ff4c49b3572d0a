//! criterion benchmarks (issue 8), run by hand: `cargo bench --bench search`.
//!
//! - `analysis`: throughput (bytes/s) of the whole pipeline (width/case folding, Traditional →
//!   Simplified, jieba with the domain dictionary, regional canonical forms, stemming) against
//!   raw jieba-rs `cut_for_search` on the same text: every record text of the bundled data.
//! - `query`: latency of one-term, three-term, filtered, Traditional, English and long
//!   natural-language searches (facets, highlights and query expansion on), suggest, and a
//!   listing match, on a synthetic corpus of `GBA_BENCH_DOCS` records (default 20,000; the issue's
//!   figures use 100,000 and 1,000,000) drawn by `gen` from the bundled data.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gba_search::analysis::Mode;
use gba_search::dataset;
use gba_search::engine::{Engine, Paths, Rebuild};
use gba_search::index::{SearchRequest, body_texts, names};
use gba_search::matching::{self, Source};
use gba_search::model::{self, Collection};

fn bundled() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// Every name and body text of the bundled records, one per line.
fn corpus_text() -> String {
    let mut out = String::new();
    for c in Collection::ALL {
        let parsed = dataset::read_file(c, &bundled().join(format!("{}.jsonl", c.as_str()))).expect("bundled data");
        for r in &parsed.records {
            for t in names(r).into_iter().map(String::from).chain(body_texts(r)) {
                out.push_str(&t);
                out.push('\n');
            }
        }
    }
    out
}

/// An engine on a synthetic corpus of `docs` records in a temporary directory.
fn engine(docs: u64) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    gba_search::synthetic::generate(bundled(), docs, 1, &data).expect("gen");
    let paths = Paths { data_dir: data, index_dir: dir.path().join("index") };
    let started = std::time::Instant::now();
    let engine = Engine::open(paths, Rebuild::IfStale, false).expect("engine");
    eprintln!("indexed {docs} synthetic records in {:.1} s", started.elapsed().as_secs_f64());
    (dir, engine)
}

fn analysis(c: &mut Criterion) {
    let text = corpus_text();
    let (_dir, engine) = engine(1_000);
    let analyzer = engine.analyzer().clone();
    let jieba = jieba_rs::Jieba::new();
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(text.len() as u64)).sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("raw_jieba_cut_for_search", |b| b.iter(|| jieba.cut_for_search(&text, true).len()));
    g.bench_function("pipeline_search_mode", |b| b.iter(|| analyzer.tokens(&text, Mode::Search).len()));
    g.bench_function("pipeline_words_mode", |b| b.iter(|| analyzer.tokens(&text, Mode::Words).len()));
    g.finish();
}

fn query(c: &mut Criterion) {
    let docs: u64 = std::env::var("GBA_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let (_dir, engine) = engine(docs);
    let city = |code| model::code_ord(&model::CITIES, code).expect("city");
    let cluster = |code| model::code_ord(&model::CLUSTERS, code).expect("cluster");
    let cases: Vec<(&str, SearchRequest)> = vec![
        ("one_term", SearchRequest { q: "机器人".into(), ..SearchRequest::default() }),
        ("three_terms", SearchRequest { q: "锂电池 热管理 高校".into(), ..SearchRequest::default() }),
        (
            "filtered",
            SearchRequest {
                q: "传感器".into(),
                cities: vec![city("shenzhen"), city("hongkong")],
                clusters: vec![cluster("electronics")],
                ..SearchRequest::default()
            },
        ),
        ("traditional", SearchRequest { q: "資訊科技 軟件".into(), ..SearchRequest::default() }),
        ("english", SearchRequest { q: "lithium battery thermal management".into(), ..SearchRequest::default() }),
        ("natural", SearchRequest { q: "我们想找做锂电池热管理的高校团队".into(), ..SearchRequest::default() }),
        ("browse_page_50", SearchRequest { page: 50, ..SearchRequest::default() }),
    ];
    let mut g = c.benchmark_group(format!("query_{docs}"));
    g.sample_size(30);
    for (name, req) in &cases {
        g.bench_with_input(BenchmarkId::from_parameter(name), req, |b, req| {
            b.iter(|| engine.index().search(req).expect("search").total)
        });
    }
    g.bench_function("suggest", |b| b.iter(|| engine.index().suggest("港科", None, 8).expect("suggest").len()));
    let listing = engine.store().all().expect("listings").into_iter().next().expect("a listing");
    let src = Source::from_record(&listing);
    let targets = [Collection::Listings, Collection::Entities, Collection::Talents];
    g.bench_function("listing_match", |b| {
        b.iter(|| {
            matching::find(&engine.matcher(), &src, &targets, gba_search::analysis::Lang::Original, 10)
                .expect("match")
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, analysis, query);
criterion_main!(benches);
