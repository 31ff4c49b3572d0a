//! Hostile input over a real socket, rate limits and CORS: every bad request gets a clear 4xx
//! (or a normal answer), never a 5xx, and the server stays healthy.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use gba_search::http::{Config, app_with};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common::{Fixture, TestApp, cli_token, enc, free_port, start_server, wait_healthy};

/// Sends raw bytes as one HTTP/1.1 request and returns the status code and the body.
fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get_line(path: &[u8]) -> Vec<u8> {
    [b"GET ".as_slice(), path, b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"].concat()
}

#[test]
fn a_battery_of_bad_requests_gets_4xx_or_a_normal_answer() {
    let fx = Fixture::new();
    let token = cli_token(&fx, "ent-hkust");
    let port = free_port();
    let mut server = start_server(&fx, port, false);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);

    // Raw request lines: invalid UTF-8, broken percent-encoding, an encoded lone surrogate.
    let raw_cases: [&[u8]; 9] = [
        b"/api/search?q=%FF%FE%FD",
        b"/api/search?q=%E4%B8",
        b"/api/search?q=%ZZ%",
        b"/api/search?q=%ED%A0%80",
        b"/api/search?q=\xff\xfe",
        b"/api/\xe6\x9c\xba/x",
        b"/api/suggest?q=%00%01%1B%7F",
        b"/api/search?city=%C0%AF",
        b"/../../etc/passwd",
    ];
    for path in raw_cases {
        let (status, text) = raw(port, &get_line(path));
        assert!((200..500).contains(&status), "{}: {status}\n{text}", String::from_utf8_lossy(path));
        if status >= 400 {
            assert!(
                text.contains("\"error\"") || status == 400,
                "{}: not a JSON error: {text}",
                String::from_utf8_lossy(path)
            );
        }
    }
    let (status, _) = raw(port, b"NONSENSE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!((400..500).contains(&status), "unknown method: {status}");

    let client = reqwest::blocking::Client::new();
    let get = |uri: &str| {
        let r = client.get(format!("{base}{uri}")).send().unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().unwrap_or(Value::Null);
        (status, body)
    };
    let long = "a".repeat(10_000);
    let cases: Vec<(String, u16)> = vec![
        (format!("/api/search?q={}", enc(&long)), 400),
        (format!("/api/suggest?q={}", enc(&long)), 400),
        (format!("/api/search?q={}", enc("🤖🔋 robot 😀")), 200),
        (format!("/api/search?q={}", enc("\u{0}\u{1}\u{1b}[31m机器人\u{7f}")), 200),
        (format!("/api/search?q={}", enc("!!!???。。，，、…———《》")), 200),
        (format!("/api/search?q={}", enc("\"unbalanced (AND OR NOT *:* ~2 ^9 [a TO")), 200),
        ("/api/search?page=1000000000".into(), 200),
        ("/api/search?page=10000000000000".into(), 400),
        ("/api/search?page=0".into(), 400),
        ("/api/search?per_page=-1".into(), 400),
        ("/api/search?per_page=1000000".into(), 400),
        ("/api/search?per_page=abc".into(), 400),
        ("/api/search?collections=patents".into(), 400),
        ("/api/search?city=atlantis".into(), 400),
        ("/api/search?lang=klingon".into(), 400),
        ("/api/search?sort=random".into(), 400),
        ("/api/search?unknown_field=1&q=robot".into(), 400),
        ("/api/search?q=robot&q=drone".into(), 400),
        ("/api/patents/1".into(), 404),
        ("/api/entities/..%2F..%2Fetc%2Fpasswd".into(), 404),
        (format!("/api/entities/{}", "x".repeat(5000)), 404),
        ("/api/listings/lst-none/matches".into(), 404),
        ("/api/match?text=".into(), 400),
        ("/assets/..%2F..%2FCargo.toml".into(), 404),
    ];
    for (uri, want) in &cases {
        let (status, body) = get(uri);
        let short: String = uri.chars().take(80).collect();
        assert_eq!(status, *want, "{short}: {body}");
        if status >= 400 {
            assert!(body["error"]["code"].is_string(), "{short}: {body}");
        }
    }

    // Bodies: 10 MB, wrong content types, broken JSON, a lone surrogate, deep nesting.
    let post = |body: Vec<u8>, ctype: Option<&str>| {
        let mut req = client.post(format!("{base}/api/listings")).bearer_auth(&token).body(body);
        if let Some(c) = ctype {
            req = req.header("content-type", c);
        }
        let r = req.send().unwrap();
        (r.status().as_u16(), r.json::<Value>().unwrap_or(Value::Null))
    };
    // 10 MB: refused from its Content-Length, before the body is read (so no client library:
    // the server closes while the body is still being sent).
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST /api/listings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        10 << 20
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(&vec![b' '; 1 << 20]);
    let mut out = vec![0u8; 4096];
    let n = s.read(&mut out).unwrap_or(0);
    let text = String::from_utf8_lossy(&out[..n]);
    assert!(text.starts_with("HTTP/1.1 413") && text.contains("payload_too_large"), "{text}");
    let body_cases: Vec<(Vec<u8>, Option<&str>, u16)> = vec![
        (b"{}".to_vec(), Some("text/plain"), 415),
        (b"{}".to_vec(), None, 415),
        (b"<xml/>".to_vec(), Some("application/xml"), 415),
        (b"{\"title\": ".to_vec(), Some("application/json"), 400),
        (b"[1,2,3]".to_vec(), Some("application/json"), 422),
        (br#"{"title": "\ud800 lone"}"#.to_vec(), Some("application/json"), 400),
        (b"\xff\xfe{}".to_vec(), Some("application/json"), 400),
        ([b"[".repeat(100_000), b"]".repeat(100_000)].concat(), Some("application/json"), 400),
    ];
    for (body, ctype, want) in body_cases {
        let (status, resp) = post(body, ctype);
        assert!(status == want || (want == 422 && status == 400), "{ctype:?}: {status} (want {want}) {resp}");
        assert!(resp["error"]["code"].is_string(), "{resp}");
    }

    // Markup in a listing is data: escaped in snippets, where <mark> is the only markup.
    let evil = json!({
        "kind": "supply",
        "title": "<script>alert('xss')</script>无人机 Quillwort",
        "description": "<img src=x onerror=alert(1)> 无人机避障算法授权，适用于物流无人机与巡检无人机，欢迎合作开发。",
        "clusters": ["robotics"], "cooperation": ["license"]
    });
    let r = client.post(format!("{base}/api/listings")).bearer_auth(&token).json(&evil).send().unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let hit = loop {
        let (_, body) = get("/api/search?q=Quillwort");
        if let Some(h) = body["hits"].as_array().and_then(|h| h.first()).cloned() {
            break h;
        }
        assert!(std::time::Instant::now() < deadline, "posted listing never searchable");
        std::thread::sleep(Duration::from_millis(100));
    };
    let snippet = hit["snippet"].as_str().unwrap();
    let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(!without_marks.contains('<'), "only <mark> is markup: {snippet}");
    assert!(snippet.contains("&lt;img"), "{snippet}");

    // Control characters and emoji in a listing are stored and come back intact.
    let (status, body) = get("/api/health");
    assert_eq!(status, 200, "still healthy after the battery: {body}");
    let _ = server.kill();
    let _ = server.wait();
}

async fn call(router: &axum::Router, req: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, retry, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post_listing(token: &str, from: [u8; 4]) -> Request<Body> {
    let body = json!({
        "kind": "demand", "title": "寻求工业视觉缺陷检测算法合作",
        "description": "我们需要面向锂电池极片的表面缺陷视觉检测算法，希望与高校团队联合开发并在产线验证。",
        "clusters": ["robotics"], "cooperation": ["joint_development"]
    });
    let mut req = Request::post("/api/listings")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    req.extensions_mut().insert(ConnectInfo(SocketAddr::from((from, 4000))));
    req
}

#[tokio::test]
async fn writes_and_failed_token_checks_are_rate_limited() {
    let app = TestApp::new();
    let hkust = app.token("ent-hkust", false);
    let sustech = app.token("ent-sustech", false);
    let config = Config { writes_per_minute: 3, auth_failures_per_minute: 3, ..Config::default() };
    let router = app_with(app.engine.clone(), &config);

    for _ in 0..3 {
        assert_eq!(call(&router, post_listing(&hkust, [10, 0, 0, 1])).await.0, StatusCode::CREATED);
    }
    let (status, retry, body) = call(&router, post_listing(&hkust, [10, 0, 0, 1])).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(retry.and_then(|r| r.parse::<u64>().ok()).is_some_and(|s| (1..=60).contains(&s)));
    assert_eq!(call(&router, post_listing(&sustech, [10, 0, 0, 1])).await.0, StatusCode::CREATED, "per organisation");
    let read = Request::get("/api/search?q=robot").body(Body::empty()).unwrap();
    assert_eq!(call(&router, read).await.0, StatusCode::OK, "reads are not limited");

    // Guessing tokens: 401 three times, then 429 — even for a good token from that address.
    for _ in 0..3 {
        assert_eq!(call(&router, post_listing("gba_guess", [10, 0, 0, 9])).await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, retry, _) = call(&router, post_listing("gba_guess", [10, 0, 0, 9])).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some());
    assert_eq!(call(&router, post_listing(&sustech, [10, 0, 0, 9])).await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(call(&router, post_listing(&sustech, [10, 0, 0, 7])).await.0, StatusCode::CREATED, "other addresses");
}

#[tokio::test]
async fn cors_is_closed_by_default_and_opens_to_configured_origins() {
    let app = TestApp::new();
    let preflight = |origin: &str| {
        Request::options("/api/search")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .unwrap()
    };
    let closed = gba_search::http::app(app.engine.clone());
    let resp = closed.oneshot(preflight("https://portal.example.org")).await.unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());

    let config = Config { cors_origins: vec!["https://portal.example.org".parse().unwrap()], ..Config::default() };
    let open = app_with(app.engine.clone(), &config);
    let resp = open.clone().oneshot(preflight("https://portal.example.org")).await.unwrap();
    assert_eq!(resp.headers()["access-control-allow-origin"], "https://portal.example.org");
    let resp = open.clone().oneshot(preflight("https://evil.example.com")).await.unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none(), "only the configured origin");
}

#[test]
fn serve_rejects_a_malformed_cors_origin() {
    let fx = Fixture::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["serve", "--cors-origins", "not an origin", "--data-dir"])
        .arg(fx.data_dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not an origin"), "{err}");
}
