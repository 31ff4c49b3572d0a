//! Records by id, health, stats, OpenAPI, and privacy of contact details.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::{SECRETS, TestApp, enc};

#[tokio::test]
async fn get_by_id_and_404s() {
    let app = TestApp::new();
    let (status, body) = app.get("/api/entities/ent-hkust").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "香港科技大學");
    assert_eq!(body["collection"], "entities");
    let (_, body) = app.get("/api/entities/ent-hkust?lang=zh-Hans").await;
    assert_eq!(body["display_name"], "香港科技大学");
    assert_eq!(body["name"], "香港科技大學", "the record itself is unchanged");
    assert!(body["localized"]["description"].as_str().unwrap().contains("机器人与集成电路"));
    assert_eq!(body["localized"]["fields"][1], "机器人");
    let (_, body) = app.get("/api/entities/ent-hkust?lang=en").await;
    assert_eq!(body["localized"]["description"], "A research university strong in robotics and integrated circuits.");
    let (_, body) = app.get("/api/talents/tal-0001?lang=zh-Hans").await;
    assert_eq!(body["localized"]["expertise"], "精密减速器与机器人关节设计。");
    assert!(body.get("contact").is_none() && body["localized"].get("contact").is_none());
    let (_, body) = app.get("/api/entities/ent-hkust").await;
    assert!(body.get("localized").is_none(), "no lang, no localized copy");
    let (status, body) = app.get("/api/entities/ent-nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, _) = app.get("/api/patents/x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.get("/api/nothing/here/at/all").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_record_says_which_organisations_its_text_names() {
    let app = TestApp::bundled();
    let mentions = |body: &Value| -> Vec<(String, String)> {
        body["mentions"]
            .as_array()
            .unwrap_or_else(|| panic!("no mentions: {body}"))
            .iter()
            .map(|m| (m["text"].as_str().unwrap().to_string(), m["id"].as_str().unwrap().to_string()))
            .collect()
    };
    // As the text shown writes them: Simplified, Traditional, English.
    let (_, hans) = app.get("/api/industries/ind-gz-biomedicine").await;
    assert!(mentions(&hans).contains(&("中山大学".into(), "ent-sysu".into())), "{hans}");
    let (_, hant) = app.get("/api/industries/ind-gz-biomedicine?lang=zh-Hant").await;
    assert!(mentions(&hant).contains(&("中山大學".into(), "ent-sysu".into())), "{hant}");
    let (_, en) = app.get("/api/industries/ind-gz-biomedicine?lang=en").await;
    assert!(mentions(&en).contains(&("Sun Yat-sen University".into(), "ent-sysu".into())), "{en}");
    // An alias the text uses (中兴通讯 for 中兴通讯股份有限公司), and never the record itself.
    let (_, ind) = app.get("/api/industries/ind-sz-communication-equipment").await;
    assert!(mentions(&ind).iter().any(|(t, _)| t == "中兴通讯"), "{ind}");
    let (_, own) = app.get("/api/entities/ent-hkust").await;
    assert!(mentions(&own).iter().all(|(_, id)| id != "ent-hkust"), "{own}");
    // Nothing for a text that names no organisation.
    let (_, rm) = app.get("/api/roadmaps/rm-electronics-rf-frontend").await;
    assert!(rm["mentions"].is_array(), "{rm}");
}

#[tokio::test]
async fn contact_details_never_appear_in_public_responses() {
    let app = TestApp::new();
    // A change computes the board (the fixture's reducer need meets HKUST's offer), and a saved
    // search gives a private feed: both must be walked too.
    let ubtech = app.token("ent-ubtech", false);
    let (status, _) = app.send("POST", "/api/listings/lst-0001/confirm", Some(&ubtech), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, saved) = app
        .send("POST", "/api/saved", Some(&ubtech), Some(serde_json::json!({"name": "reducers", "q": "减速器"})))
        .await;
    let (_, follow) =
        app.send("POST", "/api/saved", Some(&ubtech), Some(serde_json::json!({"listing": "lst-0001"}))).await;
    let mut uris = vec![
        "/api/talents/tal-0001".to_string(),
        "/api/talents/tal-0001?lang=zh-Hant".to_string(),
        "/api/listings/lst-0001".to_string(),
        "/api/listings/lst-0001?lang=en".to_string(),
        "/api/listings/lst-0001/matches".to_string(),
        "/api/listings/lst-0004/matches?lang=zh-Hans".to_string(),
        format!("/api/match?text={}", enc("谐波减速器 陈秘密")),
        "/api/roadmaps/rm-reducer/matches".to_string(),
        "/api/search?related_to=ent-hkust&status=all".to_string(),
        "/api/search?related_to=ent-ubtech&status=all".to_string(),
        "/api/board?lang=zh-Hant".to_string(),
        "/feeds/board".to_string(),
        format!("/feeds/saved/{}", saved["id"].as_str().unwrap()),
        format!("/feeds/saved/{}", follow["id"].as_str().unwrap()),
        "/api/openapi.json".to_string(),
        "/metrics".to_string(),
        "/".to_string(),
        "/listings/lst-0001".to_string(),
        "/api/search?per_page=100".to_string(),
        "/api/search?per_page=100&status=all".to_string(),
        "/api/stats".to_string(),
        "/api/health".to_string(),
    ];
    for q in ["陈大文", "secret-talent@example.org", "5555", "陈秘密", "谐波减速器", "contact"] {
        uris.push(format!("/api/search?q={}&per_page=100&status=all", enc(q)));
        uris.push(format!("/api/suggest?q={}", enc(q)));
    }
    for uri in uris {
        let (status, text) = app.get_raw(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        for s in SECRETS {
            assert!(!text.contains(s), "{uri} leaks {s}");
        }
        assert!(!text.contains("\"contact\"") || uri == "/api/openapi.json", "{uri} has a contact field");
    }
    assert!(app.get_raw("/api/board").await.1.contains("lst-0001"), "the board was walked with pairs on it");
    // The search for the secret finds nothing.
    let ids = app.ids(&format!("q={}", enc("secret-listing@example.org"))).await;
    assert!(ids.is_empty(), "{ids:?}");
}

#[tokio::test]
async fn health_stats_and_openapi() {
    let app = TestApp::new();
    let (_, body) = app.get("/api/health").await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["documents"]["entities"], 6);
    assert_eq!(body["documents"]["listings"], 4);
    let (_, stats) = app.get("/api/stats").await;
    assert_eq!(stats["collections"]["entities"]["total"], 6);
    assert_eq!(stats["collections"]["entities"]["cities"]["hongkong"]["total"], 2);
    assert_eq!(stats["collections"]["entities"]["cities"]["shenzhen"]["clusters"]["robotics"], 2);
    assert_eq!(stats["collections"]["listings"]["total"], 3, "expired listing not counted");
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/search", "/api/suggest", "/api/health", "/api/stats", "/api/{collection}/{id}"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let app = TestApp::new();
    for uri in ["/", "/api/health", "/api/nothing", "/assets/app.js", "/entities/ent-hkust", "/overview"] {
        let resp = gba_search::http::app(app.engine.clone())
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        assert!(h.get("access-control-allow-origin").is_none(), "CORS is closed by default");
    }
}

#[tokio::test]
async fn pages_and_assets_are_served_and_nothing_else() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new();
    let router = gba_search::http::app(app.engine.clone());
    let get = |uri: &str| {
        let router = router.clone();
        let uri = uri.to_string();
        async move { router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap() }
    };
    for page in ["/", "/?q=robot&city=shenzhen", "/overview", "/post", "/entities/ent-hkust", "/listings/x/edit"] {
        let resp = get(page).await;
        assert_eq!(resp.status(), StatusCode::OK, "{page}");
        let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"), "{page}: {csp}");
        let html = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(html.contains("/assets/app.js"), "{page}");
    }
    let js = get("/assets/app.js").await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    let etag = js.headers()["etag"].clone();
    let again = router
        .clone()
        .oneshot(Request::get("/assets/app.js").header("if-none-match", etag).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    for bad in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/..%5cCargo.toml",
        "/assets//etc/passwd",
        "/assets/%2fetc%2fpasswd",
        "/assets/nothing.js",
        "/nowhere/x",
        "/api/x",
    ] {
        let resp = get(bad).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{bad}");
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(!String::from_utf8_lossy(&body).contains("[package]"), "{bad} leaked a file");
    }
}

#[tokio::test]
async fn metrics_in_prometheus_text_format() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new();
    let router = gba_search::http::app(app.engine.clone());
    for uri in ["/api/search?q=robot", "/api/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA", "/api/search?page=0"] {
        router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    }
    let resp = router.clone().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains(r#"gba_http_requests_total{method="GET",route="/api/search",status="200"} 2"#), "{text}");
    assert!(text.contains(r#"gba_http_requests_total{method="GET",route="/api/search",status="400"} 1"#), "{text}");
    assert!(text.contains(r#"gba_http_request_duration_seconds_count{method="GET",route="/api/search"} 3"#), "{text}");
    assert!(text.contains(r#"gba_listings{status="open"} 3"#), "{text}");
    assert!(text.contains(r#"gba_listings{status="expired"} 1"#), "{text}");
    assert!(text.contains(r#"gba_index_documents{collection="entities"} 6"#), "{text}");
    assert!(text.contains("gba_index_size_bytes ") && text.contains("gba_index_last_commit_age_seconds "), "{text}");
}
