//! Durability under SIGKILL: concurrent clients post listings, the server is killed mid-stream,
//! restarted, and every listing that got a 201 must be stored and searchable — and nothing else.

use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Fixture, cli_token, free_port, start_server_with, wait_healthy};

/// The clients here write as fast as they can: no rate limit.
const UNLIMITED: &[(&str, &str)] = &[("GBA_WRITES_PER_MINUTE", "0")];

/// Posts listings from `clients` threads until `stop`; returns the (id, marker) pairs that got 201.
fn post_until_killed(
    base: &str,
    token: &str,
    round: usize,
    clients: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<(String, String)>>>,
) -> (Vec<(String, String)>, usize) {
    let attempted = Arc::new(Mutex::new(0usize));
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (base, token, acked, attempted, stop) =
                (base.to_string(), token.to_string(), acked.clone(), attempted.clone(), stop.clone());
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let marker = format!("crashmark{round}x{c}x{n}");
                    let body = json!({
                        "kind": "supply",
                        "title": format!("耐久测试 {marker}"),
                        "description": "用于验证服务器被强行终止后已确认的供需信息不会丢失的测试条目。",
                        "cooperation": ["license"],
                        "fields": ["测试"],
                    });
                    *attempted.lock().unwrap() += 1;
                    match http.post(format!("{base}/api/listings")).bearer_auth(&token).json(&body).send() {
                        Ok(r) if r.status().as_u16() == 201 => {
                            let v: Value = r.json().unwrap();
                            acked.lock().unwrap().push((v["id"].as_str().unwrap().to_string(), marker));
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let attempted = *attempted.lock().unwrap();
    (acked, attempted)
}

#[test]
fn acknowledged_listings_survive_sigkill() {
    let fx = Fixture::new();
    let token = cli_token(&fx, "ent-sustech");
    let mut all_acked: Vec<(String, String)> = Vec::new();
    let mut in_flight_allowance = 0;
    for (round, kill_after_ms) in [300u64, 900, 1600].into_iter().enumerate() {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut child = start_server_with(&fx, port, false, UNLIMITED);
        wait_healthy(&base);
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let killer = {
            let (stop, acked) = (stop.clone(), acked.clone());
            let pid = child.id();
            std::thread::spawn(move || {
                // Kill mid-stream: once writes are flowing, then after the round's delay.
                let deadline = std::time::Instant::now() + Duration::from_secs(30);
                while acked.lock().unwrap().len() < 3 && std::time::Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                std::thread::sleep(Duration::from_millis(kill_after_ms));
                Command::new("kill").args(["-KILL", &pid.to_string()]).status().unwrap();
                stop.store(true, Ordering::SeqCst);
            })
        };
        let clients = 4;
        let (acked, _attempted) = post_until_killed(&base, &token, round, clients, stop, acked);
        killer.join().unwrap();
        child.wait().unwrap();
        assert!(!acked.is_empty(), "round {round}: nothing was acknowledged before the kill");
        eprintln!("round {round}: {} listings acknowledged before SIGKILL at {kill_after_ms} ms", acked.len());
        all_acked.extend(acked);
        in_flight_allowance += clients;
    }

    // Restart and check everything.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start_server_with(&fx, port, false, UNLIMITED);
    wait_healthy(&base);
    let http = reqwest::blocking::Client::new();
    for (id, marker) in &all_acked {
        let r = http.get(format!("{base}/api/listings/{id}")).send().unwrap();
        assert_eq!(r.status().as_u16(), 200, "acknowledged listing {id} lost");
        let hits: Value =
            http.get(format!("{base}/api/search?q={marker}&collections=listings")).send().unwrap().json().unwrap();
        let ids: Vec<&str> = hits["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [id.as_str()], "acknowledged listing {id} ({marker}) not searchable exactly once");
    }
    // Nothing else: the only extra listings are those in flight at each kill.
    let health: Value = http.get(format!("{base}/api/health")).send().unwrap().json().unwrap();
    let stored = health["documents"]["listings"].as_u64().unwrap() as usize;
    let acked: HashSet<&str> = all_acked.iter().map(|(id, _)| id.as_str()).collect();
    assert!(stored >= 4 + acked.len(), "{stored} stored < {} acknowledged", acked.len());
    assert!(stored <= 4 + acked.len() + in_flight_allowance, "{stored} stored: phantom listings");
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
}

#[test]
fn an_import_killed_half_way_keeps_every_stored_listing_searchable() {
    // The import stores and indexes a chunk of 2,000 listings at a time and commits the index
    // once at the end: killed before that, the next open indexes what sled acknowledged.
    let fx = Fixture::new();
    let file = fx.dir.path().join("many.jsonl");
    let lines: Vec<String> = (0..60_000)
        .map(|i| {
            json!({"id": format!("imp-{i}"), "kind": if i % 2 == 0 { "supply" } else { "demand" },
                   "title": format!("批量导入测试 importmark{i}"), "description": "批量导入被强行终止的测试条目。"})
            .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["import", "--collection", "listings", file.to_str().unwrap(), "--data-dir"])
        .arg(fx.data_dir())
        .arg("--index-dir")
        .arg(fx.index_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1_500));
    let _ = child.kill(); // SIGKILL
    let status = child.wait().unwrap();
    let engine = fx.engine();
    let stored: Vec<String> =
        engine.store().all().unwrap().into_iter().map(|r| r.id).filter(|id| id.starts_with("imp-")).collect();
    println!("listings stored when killed: {}", stored.len());
    assert!(!status.success(), "the import ended before it was killed: import more");
    for id in &stored {
        let found = engine.index().get(gba_search::model::Collection::Listings, id).unwrap();
        assert!(found.is_some(), "{id} is stored but not in the index");
    }
    // Nothing is in the index that sled did not acknowledge.
    let req = gba_search::index::SearchRequest {
        q: "批量导入测试".into(),
        collections: vec![gba_search::model::Collection::Listings],
        include_inactive: true,
        ..Default::default()
    };
    assert_eq!(engine.index().search(&req).unwrap().total, stored.len());
    // Chunks are all or nothing.
    assert!(stored.len().is_multiple_of(2_000), "{}", stored.len());
}
