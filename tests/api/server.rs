//! The real binary serving on a socket: start, answer, refuse a second server, stop on SIGTERM.

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{Fixture, cli_token, enc, free_port, start_server, wait_healthy};

#[test]
fn serves_over_a_socket_and_stops_on_sigterm() {
    let fx = Fixture::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let token = cli_token(&fx, "ent-sustech");
    let mut child = start_server(&fx, port, false);
    wait_healthy(&base);

    // A posted listing becomes searchable through the background writer, without a restart.
    // (Its latency, ~0.2 s here, is measured by the load script, not asserted under test load.)
    let http = reqwest::blocking::Client::new();
    let listing = serde_json::json!({
        "kind": "supply", "title": "freshness probe quasarwidget", "fields": ["测试"], "cooperation": ["license"],
        "description": "A listing posted to measure how soon it becomes searchable after the 201.",
    });
    let r = http.post(format!("{base}/api/listings")).bearer_auth(&token).json(&listing).send().unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let acked = Instant::now();
    let id = r.json::<serde_json::Value>().unwrap()["id"].as_str().unwrap().to_string();
    loop {
        let hits: serde_json::Value =
            http.get(format!("{base}/api/search?q=quasarwidget")).send().unwrap().json().unwrap();
        if hits["hits"][0]["id"] == id.as_str() {
            break;
        }
        assert!(acked.elapsed() < Duration::from_secs(10), "not searchable 10 s after its 201");
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("listing searchable {} ms after its 201", acked.elapsed().as_millis());

    let body: serde_json::Value =
        reqwest::blocking::get(format!("{base}/api/search?q={}&city=shenzhen", enc("机器人"))).unwrap().json().unwrap();
    assert!(body["total"].as_u64().unwrap() >= 2, "{body}");
    assert!(body["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));

    // A second server on the same directories refuses to start.
    let mut second = start_server(&fx, free_port(), true);
    let status = second.wait().unwrap();
    let mut err = String::new();
    second.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!status.success());
    assert!(err.contains("in use by another gba-search process"), "{err}");

    // SIGTERM: graceful shutdown, exit 0.
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
