//! Query building and search on arbitrary query text (with every filter combination the bytes
//! choose) against the bundled data: never a panic, and never more hits than the total.
#![no_main]

use std::sync::OnceLock;

use gba_search::engine::{Engine, Paths, Rebuild};
use gba_search::index::{SearchRequest, Sort};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).expect("mkdir");
        for e in std::fs::read_dir(&src).expect("data dir") {
            let p = e.expect("entry").path();
            if p.is_file() && p.extension().is_some_and(|x| x == "jsonl") {
                std::fs::copy(&p, data.join(p.file_name().expect("name"))).expect("copy");
            }
        }
        let paths = Paths { data_dir: data, index_dir: dir.path().join("index") };
        let engine = Engine::open(paths, Rebuild::IfStale, false).expect("engine");
        Fixture { _dir: dir, engine }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(q) = std::str::from_utf8(rest) else { return };
    let f = fixture();
    let req = SearchRequest {
        q: q.chars().take(1000).collect(),
        cities: if flags & 1 != 0 { vec![0, 1] } else { Vec::new() },
        clusters: if flags & 2 != 0 { vec![2] } else { Vec::new() },
        sort: if flags & 4 != 0 { Sort::Newest } else { Sort::Relevance },
        include_inactive: flags & 8 != 0,
        page: 1 + usize::from(flags >> 6),
        per_page: 10,
        ..SearchRequest::default()
    };
    if let Ok(resp) = f.engine.index().search(&req) {
        assert!(resp.hits.len() <= 10 && resp.hits.len() <= resp.total);
        for h in &resp.hits {
            let plain = h.snippet.replace("<mark>", "").replace("</mark>", "");
            assert!(!plain.contains('<'), "markup in a snippet: {}", h.snippet);
        }
    }
    let _ = f.engine.index().suggest(q, None, 8);
});
