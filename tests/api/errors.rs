//! The error-code table through HTTP: every code is answered with its status and the one error
//! body, and the OpenAPI document lists every API route, with unique operation ids and the codes.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::time::Duration;

use axum::http::StatusCode;
use gba_search::http::ErrorCode;
use serde_json::{Value, json};

use crate::common::{Fixture, TestApp, cli_token, enc, free_port, start_server_with, wait_healthy};

/// Checks one error answer against the table and returns its code.
fn check(what: &str, status: u16, body: &Value) -> ErrorCode {
    let text = body["error"]["code"].as_str().unwrap_or_else(|| panic!("{what}: no error.code in {body}"));
    let code = ErrorCode::ALL.iter().copied().find(|c| c.as_str() == text).unwrap_or_else(|| panic!("{what}: {text}"));
    assert_eq!(code.status().as_u16(), status, "{what}: {text} came with {status}");
    assert!(!body["error"]["message"].as_str().unwrap_or_default().is_empty(), "{what}: {body}");
    code
}

fn admin_token(fx: &Fixture) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["token", "create", "--owner", "ent-gdas", "--admin", "--data-dir"])
        .arg(fx.data_dir())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn listing(title: &str) -> Value {
    json!({"kind": "supply", "title": title, "clusters": ["robotics"], "cooperation": ["license"],
           "description": "A listing posted by the error-code test, long enough to be valid."})
}

/// Sends a request over a raw socket and returns the status and the JSON body.
fn raw(port: u16, request: &[u8], pause_after: Option<Duration>) -> (u16, Value) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request).unwrap();
    if let Some(d) = pause_after {
        std::thread::sleep(d);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn every_error_code_is_answered_through_http_with_its_status_and_body() {
    let fx = Fixture::bundled();
    let tokens: Vec<String> =
        ["ent-hkust", "ent-sustech", "ent-hku", "ent-scut"].iter().map(|o| cli_token(&fx, o)).collect();
    let admin = admin_token(&fx);
    let port = free_port();
    let settings = [
        ("GBA_WRITES_PER_MINUTE", "5"),
        ("GBA_REQUEST_TIMEOUT_MS", "1500"),
        ("GBA_CONCURRENT_READS", "1"),
        ("GBA_READ_QUEUE_TIMEOUT_MS", "0"),
        ("GBA_SEARCH_CACHE", "0"),
    ];
    let mut server = start_server_with(&fx, port, false, &settings);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);
    let http = reqwest::blocking::Client::new();
    let mut seen = BTreeSet::new();
    let mut got = |what: &str, r: reqwest::blocking::Response| {
        let status = r.status().as_u16();
        let body: Value = r.json().unwrap_or(Value::Null);
        seen.insert(check(what, status, &body).as_str());
    };
    let get = |path: &str| http.get(format!("{base}{path}")).send().unwrap();
    let (a, b, c, d) = (&tokens[0], &tokens[1], &tokens[2], &tokens[3]);

    got("bad path segment", get("/api/entities/%FF%FE"));
    got("wrong lang", get("/api/search?q=robot&lang=xx"));
    got("repeated parameter", get("/api/search?q=a&q=b"));
    got("long q", get(&format!("/api/search?q={}", "robot ".repeat(200))));
    got("unknown collection", get("/api/search?q=robot&collections=planets"));
    got("unknown record", get("/api/entities/ent-no-such-thing"));
    got("method", http.delete(format!("{base}/api/search")).send().unwrap());
    got("no token", http.post(format!("{base}/api/listings")).json(&listing("no token")).send().unwrap());
    let post = |token: &str, body: &Value| {
        http.post(format!("{base}/api/listings")).bearer_auth(token).json(body).send().unwrap()
    };
    got("missing fields", post(d, &json!({"kind": "supply"})));
    got(
        "not json",
        http.post(format!("{base}/api/listings"))
            .bearer_auth(d)
            .header("content-type", "application/json")
            .body("{")
            .send()
            .unwrap(),
    );
    got("text body", http.post(format!("{base}/api/listings")).bearer_auth(d).body("kind=supply").send().unwrap());
    got(
        "bad owner",
        http.post(format!("{base}/api/tokens"))
            .bearer_auth(&admin)
            .json(&json!({"owner": "not an id!"}))
            .send()
            .unwrap(),
    );
    // A's listing: withdrawn, then edited (409); C may not edit it (403); C on its own listing (400).
    let r = post(a, &listing("error-code probe A"));
    assert_eq!(r.status().as_u16(), 201);
    let id_a = r.json::<Value>().unwrap()["id"].as_str().unwrap().to_string();
    assert!(http.delete(format!("{base}/api/listings/{id_a}")).bearer_auth(a).send().unwrap().status().is_success());
    got(
        "edit withdrawn",
        http.put(format!("{base}/api/listings/{id_a}")).bearer_auth(a).json(&listing("again")).send().unwrap(),
    );
    got(
        "someone else's",
        http.put(format!("{base}/api/listings/{id_a}")).bearer_auth(c).json(&listing("mine")).send().unwrap(),
    );
    let r = post(c, &listing("error-code probe C"));
    let id_c = r.json::<Value>().unwrap()["id"].as_str().unwrap().to_string();
    got(
        "own listing",
        http.post(format!("{base}/api/listings/{id_c}/interest"))
            .bearer_auth(c)
            .json(&json!({"message": "we are interested in this offer"}))
            .send()
            .unwrap(),
    );
    // B writes past its limit of 5 a minute.
    let statuses: Vec<u16> = (0..6).map(|i| post(b, &listing(&format!("rate probe {i}"))).status().as_u16()).collect();
    assert_eq!(statuses[..5], [201; 5], "{statuses:?}");
    got("sixth write", post(b, &listing("rate probe 6")));

    // A body announced larger than 1 MiB is refused before it is read.
    let head = format!(
        "POST /api/listings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {d}\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\nConnection: close\r\n\r\n{{"
    );
    let (status, body) = raw(port, head.as_bytes(), None);
    seen.insert(check("huge body", status, &body).as_str());

    // A body that never finishes arriving: 408 after the 1.5 s request timeout.
    let head = format!(
        "POST /api/listings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {d}\r\nContent-Type: application/json\r\nContent-Length: 400\r\nConnection: close\r\n\r\n{{\"kind\""
    );
    let (status, body) = raw(port, head.as_bytes(), None);
    seen.insert(check("slow body", status, &body).as_str());

    // One read at a time and no waiting: of many concurrent searches some are turned away (503).
    let q = enc(&"机器人 锂电池 碳化硅 人工智能 储能 半导体 smart home appliances ".repeat(12));
    let answers: Vec<(u16, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..24)
            .map(|i| {
                let url = format!("{base}/api/search?q={q}&page={}", i % 3 + 1);
                s.spawn(move || {
                    let r = reqwest::blocking::get(url).unwrap();
                    let retry = r.headers().get("retry-after").is_some();
                    let status = r.status().as_u16();
                    let body: Value = r.json().unwrap_or(Value::Null);
                    if status == 503 {
                        assert!(retry, "503 without Retry-After");
                    }
                    (status, body)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        answers.iter().all(|(s, _)| *s == 200 || *s == 503),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let busy = answers.iter().find(|(s, _)| *s == 503).expect("no read was turned away with one permit and no queue");
    seen.insert(check("busy", busy.0, &busy.1).as_str());
    let _ = server.kill();
    let _ = server.wait();

    // Paging past the first 10,000 results of a larger index.
    let fx = Fixture::new();
    let mut lines = String::new();
    for i in 0..10_050 {
        lines.push_str(&format!(
            "{{\"id\":\"ind-deep-{i}\",\"name\":\"深度分页产业{i}\",\"clusters\":[\"robotics\"],\"updated_at\":\"2026-01-01T00:00:00Z\"}}\n"
        ));
    }
    std::fs::write(fx.data_dir().join("industries.jsonl"), lines).unwrap();
    let app = TestApp::on(fx);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (status, body) = rt.block_on(app.get("/api/search?collections=industries&page=1001&per_page=10"));
    seen.insert(check("page 1001", status.as_u16(), &body).as_str());

    let untriggered: Vec<&str> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !seen.contains(c))
        // A full disk is made by faults.rs on a tmpfs; an internal error is a bug no client can cause.
        .filter(|c| !["insufficient_storage", "internal"].contains(c))
        .collect();
    assert!(untriggered.is_empty(), "codes no request triggered: {untriggered:?}");
}

#[tokio::test]
async fn the_openapi_document_routes_every_operation_with_unique_ids_and_the_error_codes() {
    let app = TestApp::new();
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let codes: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(codes, ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>());
    let mut ids = BTreeSet::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/") || path.starts_with("/feeds/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} twice");
            assert!(id.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !id.contains('_'), "{id}");
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(!response["description"].as_str().unwrap_or_default().is_empty(), "{method} {path} {status}");
                if !status.starts_with('2') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/Error", "{method} {path} {status}");
                }
            }
            // Routed: the answer is the operation's own, never the router's "no such endpoint" or 405.
            let uri = path.replace("{collection}", "entities").replace("{id}", "ent-hkust");
            let (status, body) = app.send(&method.to_uppercase(), &uri, None, None).await;
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let fallback = body["error"]["message"].as_str().is_some_and(|m| m.starts_with("no such endpoint"));
            assert!(!fallback, "{method} {path} is in the document but not routed");
        }
    }
    assert!(operations >= 28, "{operations} operations");
    // Every API route is registered with its operation (utoipa-axum `routes!`), so none can be
    // served without being documented: no plain axum route under /api or /feeds.
    let files = files_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http"));
    assert!(files.len() > 10, "{} files under src/http", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for prefix in [".route(\"/api", ".route(\"/feeds"] {
            assert!(!text.contains(prefix), "{}: an API route outside `routes!`", path.display());
        }
    }
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut dirs = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    files
}

/// The engine returns plain results: only `src/http` knows about axum, utoipa or the API's JSON
/// schemas (docs/ARCHITECTURE.md, The layers).
#[test]
fn nothing_below_the_http_layer_knows_about_http() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for path in files_under(&src) {
        if path.starts_with(src.join("http")) || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for word in ["axum", "utoipa", "ToSchema", "tower_http"] {
            assert!(!text.contains(word), "{} mentions {word}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 40, "{checked} files checked");
}
