//! The real binary serving on a socket: start, answer, refuse a second server, stop on SIGTERM.

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{Fixture, cli_token, enc, free_port, start_server, start_server_with, wait_healthy};

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

#[test]
fn reads_beyond_the_concurrency_limit_wait_their_turn_and_all_answer() {
    let fx = Fixture::bundled();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start_server_with(&fx, port, false, &[("GBA_CONCURRENT_READS", "1")]);
    wait_healthy(&base);
    let paths = [
        format!("/api/search?q={}", enc("机器人")),
        format!("/api/search?q={}&lang=zh-Hant", enc("電動車 電池")),
        "/api/search?q=lithium+battery&lang=en".to_string(),
        format!("/api/suggest?q={}", enc("港科")),
        "/api/entities/ent-hkust?lang=en".to_string(),
    ];
    // One read at a time: each answer alone, then 30 at once from 10 clients.
    let body = |path: &str| {
        let r = reqwest::blocking::get(format!("{base}{path}")).unwrap();
        let status = r.status().as_u16();
        let mut v: serde_json::Value = r.json().unwrap();
        if let Some(o) = v.as_object_mut() {
            o.remove("took_ms");
        }
        (status, v)
    };
    let alone: Vec<(u16, serde_json::Value)> = paths.iter().map(|p| body(p)).collect();
    let statuses: Vec<u16> = alone.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [200; 5]);
    let together: Vec<Vec<(u16, serde_json::Value)>> = std::thread::scope(|s| {
        let clients: Vec<_> = (0..10)
            .map(|c| {
                let (paths, body) = (&paths, &body);
                s.spawn(move || (0..3).map(|i| body(&paths[(c + i) % paths.len()])).collect::<Vec<_>>())
            })
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).collect()
    });
    for (c, answers) in together.iter().enumerate() {
        for (i, answer) in answers.iter().enumerate() {
            assert!(answer == &alone[(c + i) % paths.len()], "client {c}, request {i}: {}", answer.0);
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // The limit must let something through.
    let out = Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["serve", "--concurrent-reads", "0", "--data-dir"])
        .arg(fx.data_dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--concurrent-reads"), "{out:?}");
}
