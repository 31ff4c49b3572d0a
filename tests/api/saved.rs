//! The matchmaking board, saved searches, Atom feeds and webhooks, over HTTP.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::{Fixture, TestApp, cli_token, free_port, start_server_with, wait_healthy};

fn reducer_offer() -> Value {
    json!({
        "kind": "supply",
        "title": "谐波减速器柔轮寿命提升技术",
        "description": "提供人形机器人关节用谐波减速器柔轮的设计与表面强化技术，寿命超过一万小时，可联合研发。",
        "clusters": ["robotics"], "fields": ["减速器"], "cooperation": ["joint_development"], "trl": 6,
        "city": "guangzhou"
    })
}

fn pair_ids(board: &Value) -> Vec<(String, String)> {
    board["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["supply"]["id"].as_str().unwrap().to_string(), p["demand"]["id"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn a_pair_appears_on_the_board_after_a_post_and_leaves_after_withdrawal() {
    let app = TestApp::new();
    let scut = app.token("ent-sysu", false);
    let (status, posted) = app.send("POST", "/api/listings", Some(&scut), Some(reducer_offer())).await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let id = posted["id"].as_str().unwrap().to_string();

    let (status, board) = app.get("/api/board?lang=zh-Hant").await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let pairs = pair_ids(&board);
    assert!(pairs.contains(&(id.clone(), "lst-0001".into())), "the new offer meets the reducer need: {board}");
    assert!(pairs.contains(&("lst-0004".into(), "lst-0001".into())), "the bundled pair too: {board}");
    assert!(!pairs.iter().any(|(s, d)| s == "lst-0003" || d == "lst-0003"), "expired listings stay off");
    let first = &board["pairs"][0];
    assert!(first["score"].as_f64().unwrap() >= 0.6);
    let reasons = first["reasons"].to_string();
    assert!(reasons.contains("機器人") || reasons.contains("減速器"), "reasons in Traditional: {reasons}");
    assert_eq!(board["pairs"][0]["supply"]["id"], id.as_str(), "newest first");

    // Filters: cross-border (Hong Kong ↔ Guangdong), city on either side, cluster.
    let (_, cross) = app.get("/api/board?cross_border=true").await;
    assert_eq!(pair_ids(&cross), [("lst-0004".to_string(), "lst-0001".to_string())], "{cross}");
    let (_, gz) = app.get("/api/board?city=guangzhou").await;
    assert_eq!(pair_ids(&gz), [(id.clone(), "lst-0001".to_string())]);
    let (_, none) = app.get("/api/board?cluster=biomedicine").await;
    assert_eq!(none["total"], 0);
    let (status, _) = app.get("/api/board?city=atlantis").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, paged) = app.get("/api/board?per_page=1&page=2").await;
    assert_eq!(paged["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(paged["total"], board["total"]);

    // Withdrawn: off the board.
    let (status, _) = app.send("DELETE", &format!("/api/listings/{id}"), Some(&scut), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = app.get("/api/board").await;
    assert!(!pair_ids(&after).iter().any(|(s, _)| *s == id), "{after}");
    assert!(pair_ids(&after).contains(&("lst-0004".into(), "lst-0001".into())));
}

#[tokio::test]
async fn saved_searches_are_private_limited_and_have_atom_feeds() {
    let app = TestApp::new();
    let hkust = app.token("ent-hkust", false);
    let sustech = app.token("ent-sustech", false);

    let (status, _) = app.send("POST", "/api/saved", None, Some(json!({"q": "机器人"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .send("POST", "/api/saved", Some(&hkust), Some(json!({"q": "x", "city": ["atlantis"], "listing": "lst-none"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["city", "listing"]);

    let (status, saved) = app
        .send(
            "POST",
            "/api/saved",
            Some(&hkust),
            Some(json!({"name": "減速器", "q": "減速器", "collections": ["listings"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    assert!(id.len() >= 32, "unguessable id");
    assert_eq!(saved["feed"], format!("/feeds/saved/{id}"));
    let (_, follow) = app.send("POST", "/api/saved", Some(&hkust), Some(json!({"listing": "lst-0004"}))).await;

    let (_, mine) = app.send("GET", "/api/saved", Some(&hkust), None).await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    let (_, theirs) = app.send("GET", "/api/saved", Some(&sustech), None).await;
    assert_eq!(theirs, json!([]), "only the organisation's own");
    let (status, _) = app.send("GET", &format!("/api/saved/{id}"), Some(&sustech), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.send("DELETE", &format!("/api/saved/{id}"), Some(&sustech), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The feed: valid Atom read by a real parser, stable entry ids, newest first.
    let (status, xml) = app.get_raw(&format!("/feeds/saved/{id}?lang=zh-Hans")).await;
    assert_eq!(status, StatusCode::OK);
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("not a feed ({e}): {xml}"));
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    assert!(ids.contains(&"tag:gba-search,2026:record/listings/lst-0001".to_string()), "{ids:?}");
    assert!(ids.contains(&"tag:gba-search,2026:record/listings/lst-0004".to_string()), "{ids:?}");
    assert!(feed.entries.iter().all(|e| e.updated.is_some() && !e.links.is_empty()));
    assert!(feed.entries.windows(2).all(|w| w[0].updated >= w[1].updated), "newest first");
    assert!(feed.title.unwrap().content.contains("減速器"));
    let (_, again) = app.get_raw(&format!("/feeds/saved/{id}?lang=zh-Hans")).await;
    assert_eq!(again, xml, "same feed twice: stable ids and times");
    let (status, _) = app.get_raw("/feeds/saved/0123456789abcdef0123456789abcdef").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A followed listing's feed lists its pairs (after a change computes the board).
    let (status, _) =
        app.send("POST", "/api/listings/lst-0001/confirm", Some(&app.token("ent-ubtech", false)), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, xml) = app.get_raw(&format!("/feeds/saved/{}", follow["id"].as_str().unwrap())).await;
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert_eq!(feed.entries[0].id, "tag:gba-search,2026:pair/lst-0004/lst-0001", "{xml}");
    let (_, xml) = app.get_raw("/feeds/board?cross_border=true&lang=en").await;
    let board = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert_eq!(board.entries.len(), 1, "{xml}");

    // Delete; limits per organisation.
    let (status, _) = app.send("DELETE", &format!("/api/saved/{id}"), Some(&hkust), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get_raw(&format!("/feeds/saved/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a deleted search's feed is gone");
    for i in 0..19 {
        let (status, _) = app.send("POST", "/api/saved", Some(&sustech), Some(json!({"q": format!("q{i}")}))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = app.send("POST", "/api/saved", Some(&sustech), Some(json!({"q": "one more"}))).await;
    assert_eq!(status, StatusCode::CREATED, "20 allowed");
    let (status, body) = app.send("POST", "/api/saved", Some(&sustech), Some(json!({"q": "too many"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

/// Requests a receiver got: head and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A webhook receiver on loopback: answers with the queued statuses (then 200) and keeps what it got.
struct Receiver {
    port: u16,
    got: Received,
}

impl Receiver {
    fn start(mut statuses: Vec<u16>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got: Received = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, body) = loop {
                    let n = s.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break (String::new(), Vec::new());
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_string();
                        let len: usize = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                            })
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        let mut body = buf[end + 4..].to_vec();
                        while body.len() < len {
                            let n = s.read(&mut chunk).unwrap_or(0);
                            if n == 0 {
                                break;
                            }
                            body.extend_from_slice(&chunk[..n]);
                        }
                        break (head, body);
                    }
                };
                let status = if statuses.is_empty() { 200 } else { statuses.remove(0) };
                let _ = s.write_all(
                    format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
                );
                sink.lock().unwrap().push((head, body));
            }
        });
        Receiver { port, got }
    }
}

#[test]
fn webhooks_deliver_signed_matches_with_retries() {
    let fx = Fixture::new();
    let token = cli_token(&fx, "ent-hkust");
    let poster = cli_token(&fx, "ent-sysu");
    let port = free_port();
    let env = [("GBA_WEBHOOKS_ALLOW_LOOPBACK_HTTP", "true")];
    let mut server = start_server_with(&fx, port, false, &env);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);
    let http = reqwest::blocking::Client::new();
    let send = |method: reqwest::Method, path: &str, token: &str, body: Option<Value>| {
        let mut req = http.request(method, format!("{base}{path}")).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().unwrap();
        (r.status().as_u16(), r.json::<Value>().unwrap_or(Value::Null))
    };

    let (status, saved) = send(reqwest::Method::POST, "/api/saved", &token, Some(json!({"q": "Zebrafinch 氢能"})));
    assert_eq!(status, 201, "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    let hook_path = format!("/api/saved/{id}/webhook");
    let (status, body) =
        send(reqwest::Method::PUT, &hook_path, &token, Some(json!({"url": "http://example.com/hook"})));
    assert_eq!(status, 422, "plain http only to loopback: {body}");
    let (status, _) = send(reqwest::Method::PUT, &hook_path, &poster, Some(json!({"url": "https://example.com/hook"})));
    assert_eq!(status, 404, "someone else's saved search");

    let receiver = Receiver::start(vec![503]);
    let url = format!("http://127.0.0.1:{}/hook", receiver.port);
    let (status, hook) = send(reqwest::Method::PUT, &hook_path, &token, Some(json!({"url": url})));
    assert_eq!(status, 200, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_string();
    let (_, listed) = send(reqwest::Method::GET, "/api/saved", &token, None);
    assert!(!listed.to_string().contains(&secret), "the secret is shown once");

    // A new listing that matches: delivered (after one 503) with a valid signature.
    let posted = Instant::now();
    let (status, listing) = send(
        reqwest::Method::POST,
        "/api/listings",
        &poster,
        Some(json!({
            "kind": "supply", "title": "Zebrafinch 氢能储罐复合材料",
            "description": "中山大学团队提供车载高压氢能储罐的碳纤维复合材料缠绕工艺，可技术许可。",
            "clusters": ["new_energy"], "cooperation": ["license"]
        })),
    );
    assert_eq!(status, 201, "{listing}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while receiver.got.lock().unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "no delivery after 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("webhook delivered {} ms after the 201 (one retry)", posted.elapsed().as_millis());
    let got = receiver.got.lock().unwrap().clone();
    let (head, body) = &got[1];
    let sig_line = head.lines().find(|l| l.to_ascii_lowercase().starts_with("x-gba-signature:")).unwrap();
    let sig = sig_line.split_once(':').unwrap().1.trim();
    assert_eq!(sig, gba_search::saved::webhooks::signature(&secret, body), "HMAC-SHA256 of the body");
    assert_ne!(gba_search::saved::webhooks::signature("wrong", body), sig);
    assert_eq!(got[0].1, got[1].1, "the retry sends the same body");
    let payload: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(payload["saved_search"]["id"], id.as_str());
    assert_eq!(payload["items"][0]["key"], format!("record/listings/{}", listing["id"].as_str().unwrap()));

    let deadline = Instant::now() + Duration::from_secs(10);
    let deliveries = loop {
        let (_, d) = send(reqwest::Method::GET, &format!("/api/saved/{id}/deliveries"), &token, None);
        if d.as_array().is_some_and(|a| !a.is_empty()) {
            break d;
        }
        assert!(Instant::now() < deadline, "delivery not recorded");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(deliveries[0]["status"], "delivered", "{deliveries}");
    assert_eq!(deliveries[0]["attempts"], 2);
    let (status, _) = send(reqwest::Method::GET, &format!("/api/saved/{id}/deliveries"), &poster, None);
    assert_eq!(status, 404, "deliveries are the owner's");

    // Nothing new: nothing more is sent.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(receiver.got.lock().unwrap().len(), 2);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn the_board_backlog_yields_to_requests_being_served() {
    // After a bulk import the board works off its backlog in the background; while a request is
    // served a pass stops after one listing, so the backlog never holds a search up for long.
    let fixture = Fixture::bundled();
    let engine = fixture.engine();
    assert!(engine.board_backlog().unwrap(), "the bundled listings are queued at first open");
    let slice = Some(Duration::from_millis(300));
    {
        let _busy = engine.begin_request();
        assert_eq!(engine.update_board(slice).unwrap(), 1, "one listing, then it waits");
    }
    std::thread::sleep(Duration::from_millis(120));
    let done = engine.update_board(slice).unwrap();
    assert!(done > 1, "a quiet pass works on: {done}");
}
