//! Faults at start: a corrupt or foreign index is rebuilt from `data/` with a log line.

use std::io::Read;

use crate::common::{Fixture, enc, free_port, start_server, wait_healthy};

/// Starts the binary on `fx`, checks it answers a search, stops it and returns its log.
fn serve_and_log(fx: &Fixture) -> String {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start_server(fx, port, true);
    wait_healthy(&base);
    let body: serde_json::Value =
        reqwest::blocking::get(format!("{base}/api/search?q={}", enc("港科大"))).unwrap().json().unwrap();
    assert_eq!(body["hits"][0]["id"], "ent-hkust", "{body}");
    std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(child.wait().unwrap().success());
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    log
}

fn index_files(fx: &Fixture) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(fx.index_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect()
}

#[test]
fn a_corrupt_or_foreign_index_is_rebuilt_at_start() {
    let fx = Fixture::new();
    drop(fx.engine());
    assert!(serve_and_log(&fx).contains("gba-search listening"));

    // Every segment file cut in half.
    for p in index_files(&fx) {
        if p.file_name().is_some_and(|n| n != "meta.json" && n != ".managed.json") {
            let len = std::fs::metadata(&p).unwrap().len();
            std::fs::OpenOptions::new().write(true).open(&p).unwrap().set_len(len / 2).unwrap();
        }
    }
    let log = serve_and_log(&fx);
    assert!(log.contains("it will be rebuilt") && log.contains("building the index"), "{log}");

    // meta.json replaced by garbage.
    std::fs::write(fx.index_dir().join("meta.json"), b"{not json").unwrap();
    let log = serve_and_log(&fx);
    assert!(log.contains("it will be rebuilt") && log.contains("building the index"), "{log}");

    // Segment files deleted behind tantivy's back.
    for p in index_files(&fx) {
        if p.extension().is_some_and(|e| e == "idx" || e == "term") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let log = serve_and_log(&fx);
    assert!(log.contains("it will be rebuilt") && log.contains("building the index"), "{log}");

    // A healthy index is reused, not rebuilt.
    let log = serve_and_log(&fx);
    assert!(!log.contains("building the index"), "{log}");
}
