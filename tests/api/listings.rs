//! Listings over HTTP: tokens, validation, ownership, lifecycle, privacy, interest, matching.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, enc};

fn listing(title: &str) -> Value {
    json!({
        "kind": "supply",
        "title": title,
        "description": "提供碳化矽功率模組的封裝與可靠性測試技術，適用於電動車主驅逆變器，結溫可達175℃。",
        "cooperation": ["license", "joint_development"],
        "clusters": ["semiconductors", "automotive"],
        "trl": 6,
        "contact": {"name": "王小姐", "email": "private-owner@example.org"}
    })
}

#[tokio::test]
async fn posting_needs_a_valid_token_and_is_searchable_at_once() {
    let app = TestApp::new();
    let (status, body) = app.send("POST", "/api/listings", None, Some(listing("碳化矽模組封裝"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = app.send("POST", "/api/listings", Some("gba_not_a_token"), Some(listing("x"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let token = app.token("ent-hkust", false);
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(listing("碳化矽模組封裝"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(body["owner"], "ent-hkust");
    assert_eq!(body["city"], "hongkong", "city defaults to the owner's");
    assert_eq!(body["status"], "open");
    assert_eq!(body["contact"]["email"], "private-owner@example.org", "the owner sees the contact");
    assert!(body["expires_at"].as_str().unwrap() > body["created_at"].as_str().unwrap());

    let ids = app.ids(&format!("q={}&collections=listings", enc("碳化硅模组封装"))).await;
    assert_eq!(ids.first(), Some(&id), "Simplified query finds the Traditional listing");
    let (_, public) = app.get(&format!("/api/listings/{id}")).await;
    assert!(public.get("contact").is_none(), "{public}");
    let (_, owner_view) = app.send("GET", &format!("/api/listings/{id}"), Some(&token), None).await;
    assert_eq!(owner_view["contact"]["email"], "private-owner@example.org");
    let other = app.token("ent-midea", false);
    let (_, other_view) = app.send("GET", &format!("/api/listings/{id}"), Some(&other), None).await;
    assert!(other_view.get("contact").is_none());
}

#[tokio::test]
async fn a_repeated_search_sees_a_listing_posted_or_withdrawn_in_between() {
    // The second identical search is answered from the server's answer cache; a write must
    // never leave it stale.
    let app = TestApp::new();
    let q = format!("q={}&collections=listings", enc("碳化硅模组封装"));
    let before = app.ids(&q).await;
    assert_eq!(app.ids(&q).await, before);
    let token = app.token("ent-hkust", false);
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(listing("碳化矽模組封裝"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert!(!before.contains(&id));
    assert_eq!(app.ids(&q).await.first(), Some(&id), "the new listing is found by the same search");
    let (status, _) = app.send("DELETE", &format!("/api/listings/{id}"), Some(&token), None).await;
    assert!(status.is_success(), "{status}");
    assert!(!app.ids(&q).await.contains(&id), "a withdrawn listing leaves the same search");
    assert_eq!(app.ids(&q).await, before);
}

#[tokio::test]
async fn a_repeated_search_drops_a_listing_the_moment_it_expires() {
    // Nothing is committed when a listing expires: the answer cache keeps an answer only until
    // the first expiry after it was computed.
    let app = TestApp::new();
    let token = app.token("ent-hkust", false);
    let mut body = listing("碳化矽模組封裝");
    let expires = gba_search::model::now_ts() + 3;
    body["expires_at"] = json!(gba_search::model::format_rfc3339(expires));
    let (status, created) = app.send("POST", "/api/listings", Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    app.engine.apply_listing_changes().unwrap();
    let q = format!("q={}&collections=listings", enc("碳化硅模组封装"));
    assert!(app.ids(&q).await.contains(&id), "open until it expires");
    assert!(app.ids(&q).await.contains(&id), "the same, from the cache");
    while gba_search::model::now_ts() <= expires {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!app.ids(&q).await.contains(&id), "expired: gone from the same search");
}

#[tokio::test]
async fn invalid_listings_get_422_naming_each_field() {
    let app = TestApp::new();
    let token = app.token("ent-hkust", false);
    let bad = json!({"kind": "gift", "title": "", "description": "太短", "cooperation": [], "trl": 0, "budget_cny": {"min": 9, "max": 1}});
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_fields");
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["kind", "title", "description", "cooperation", "clusters", "trl", "budget_cny"] {
        assert!(fields.contains(&f), "{f} not named: {fields:?}");
    }
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(json!([1, 2]))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Not JSON at all.
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(Value::String("{".into()))).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST, "{status} {body}");
}

#[tokio::test]
async fn only_the_owner_or_a_moderator_manages_a_listing() {
    let app = TestApp::new();
    let owner = app.token("ent-ubtech", false);
    let other = app.token("ent-midea", false);
    let moderator = app.token("ent-itc", true);
    let mut edit = listing("优必选需求：碳化硅模组");
    edit["kind"] = json!("demand");
    let (status, _) = app.send("PUT", "/api/listings/lst-0001", Some(&other), Some(edit.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.send("DELETE", "/api/listings/lst-0001", Some(&other), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.send("PUT", "/api/listings/lst-0001", None, Some(edit.clone())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.send("PUT", "/api/listings/lst-nope", Some(&owner), Some(edit.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = app.send("PUT", "/api/listings/lst-0001", Some(&owner), Some(edit.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["owner"], "ent-ubtech");
    assert_eq!(body["created_at"], "2026-09-01T00:00:00Z");
    let ids = app.ids(&format!("q={}&collections=listings", enc("优必选需求"))).await;
    assert_eq!(ids.first().map(String::as_str), Some("lst-0001"));

    let (status, body) = app.send("DELETE", "/api/listings/lst-0001", Some(&moderator), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "withdrawn");
    let ids = app.ids(&format!("q={}&collections=listings", enc("优必选需求"))).await;
    assert!(!ids.contains(&"lst-0001".to_string()), "withdrawn listings leave default search");
    let ids = app.ids(&format!("q={}&collections=listings&status=all", enc("优必选需求"))).await;
    assert!(ids.contains(&"lst-0001".to_string()));
    let (status, _) = app.send("PUT", "/api/listings/lst-0001", Some(&owner), Some(edit)).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn confirming_renews_an_expired_listing() {
    let app = TestApp::new();
    let owner = app.token("ent-sustech", false);
    assert!(!app.ids("collections=listings").await.contains(&"lst-0003".to_string()));
    let (status, body) = app.send("POST", "/api/listings/lst-0003/confirm", Some(&owner), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["last_confirmed_at"].as_str().unwrap() > "2026-01-01");
    assert!(body["expires_at"].as_str().unwrap() > "2027-01-01");
    assert!(app.ids("collections=listings").await.contains(&"lst-0003".to_string()));
    let (_, hit) = app.get("/api/search?collections=listings&per_page=100").await;
    let renewed = hit["hits"].as_array().unwrap().iter().find(|h| h["id"] == "lst-0003").unwrap();
    assert_eq!(renewed["last_confirmed_at"], body["last_confirmed_at"]);
}

#[tokio::test]
async fn interest_reaches_the_owner_only() {
    let app = TestApp::new();
    let owner = app.token("ent-ubtech", false);
    let suitor = app.token("ent-hkust", false);
    let stranger = app.token("ent-midea", false);
    let msg = json!({"message": "我們的柔輪技術壽命逾一萬小時，可安排技術交流。", "contact": {"email": "suitor-secret@example.org"}});
    let (status, body) = app.send("POST", "/api/listings/lst-0001/interest", Some(&suitor), Some(msg)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["from"], "ent-hkust");
    let (status, _) =
        app.send("POST", "/api/listings/lst-0001/interest", Some(&suitor), Some(json!({"message": ""}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.send("POST", "/api/listings/lst-0001/interest", None, Some(json!({"message": "hi"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, list) = app.send("GET", "/api/listings/lst-0001/interest", Some(&owner), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["contact"]["email"], "suitor-secret@example.org");
    assert_eq!(list[0]["from_name"], "香港科技大學");
    let (status, _) = app.send("GET", "/api/listings/lst-0001/interest", Some(&stranger), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.send("GET", "/api/listings/lst-0001/interest", Some(&suitor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for uri in ["/api/listings/lst-0001", "/api/search?q=%E8%B0%90%E6%B3%A2&status=all"] {
        let (_, text) = app.get_raw(uri).await;
        assert!(!text.contains("suitor-secret"), "{uri}");
    }
}

#[tokio::test]
async fn matches_explain_themselves_across_the_border() {
    let app = TestApp::new();
    let (status, body) = app.get("/api/listings/lst-0001/matches").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let matches = body["matches"].as_array().unwrap();
    let listings: Vec<&Value> = matches.iter().filter(|m| m["collection"] == "listings").collect();
    assert_eq!(listings.first().map(|m| m["id"].as_str().unwrap()), Some("lst-0004"), "{body}");
    assert!(listings.iter().all(|m| m["kind"] == "supply"), "a demand matches supplies only");
    let codes: Vec<&str> =
        listings[0]["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    for c in ["shared_terms", "same_cluster", "cooperation", "trl", "cross_border"] {
        assert!(codes.contains(&c), "{c} missing: {codes:?}");
    }
    assert!(matches.iter().any(|m| m["id"] == "tal-0001"), "the reducer expert matches: {body}");
    assert!(!matches.iter().any(|m| m["id"] == "ent-ubtech"), "the owner is not its own match");
    let s = listings[0]["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&s));

    let (_, en) = app.get("/api/listings/lst-0001/matches?lang=en").await;
    let text = en["matches"][0]["reasons"].to_string();
    assert!(text.contains("Cross-border") || text.contains("Same cluster"), "{text}");
    let (_, hant) = app.get("/api/listings/lst-0001/matches?lang=zh-Hant").await;
    assert!(hant.to_string().contains("跨境合作：深圳 ↔ 香港"), "{hant}");

    let (status, body) = app.get(&format!("/api/match?text={}", enc("我们想找做谐波减速器的高校团队"))).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["matches"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"lst-0004"), "{ids:?}");
    let (status, _) = app.get("/api/match?text=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = app.get("/api/roadmaps/rm-reducer/matches").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let first = &body["bottlenecks"][0];
    assert_eq!(first["bottleneck"], "高精度RV减速器寿命与精度保持性");
    assert!(!first["matches"].as_array().unwrap().is_empty(), "{body}");
    let (status, _) = app.get("/api/roadmaps/rm-nope/matches").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moderators_create_tokens_through_the_api() {
    let app = TestApp::new();
    let moderator = app.token("ent-itc", true);
    let member = app.token("ent-hkust", false);
    let (status, _) = app.send("POST", "/api/tokens", Some(&member), Some(json!({"owner": "ent-midea"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.send("POST", "/api/tokens", Some(&moderator), Some(json!({"owner": "ent-midea"}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let token = body["token"].as_str().unwrap();
    let (status, _) = app.send("POST", "/api/listings", Some(token), Some(listing("美的的碳化矽需求"))).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn transport_errors_are_json_too() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new();
    let token = app.token("ent-hkust", false);
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            Request::post("/api/listings")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(vec![b'a'; 2 << 20]))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            Request::patch("/api/listings/lst-0001").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::post("/api/listings")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (req, status, code) in cases {
        let resp = gba_search::http::app(app.engine.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), status);
        let body: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(body["error"]["code"], code);
    }
}

#[tokio::test]
async fn review_fixes_hold() {
    let app = TestApp::new();
    let token = app.token("ent-hkust", false);
    // Whitespace around codes is trimmed, not a 500.
    let mut l = listing("  空白代碼測試  ");
    l["clusters"] = json!([" ai ", "robotics"]);
    l["description"] = json!("\n\n  提供碳化矽功率模組的封裝與可靠性測試技術，適用於電動車主驅逆變器。  ");
    let (status, body) = app.send("POST", "/api/listings", Some(&token), Some(l)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["clusters"], json!(["ai", "robotics"]));
    assert_eq!(body["title"], "空白代碼測試");
    // The token is checked before the body is read.
    let (status, _) = app.send("POST", "/api/listings", None, Some(Value::String("{".into()))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Expressions of interest are capped per sender and listing.
    let suitor = app.token("ent-midea", false);
    for i in 0..5 {
        let (status, _) = app
            .send(
                "POST",
                "/api/listings/lst-0001/interest",
                Some(&suitor),
                Some(json!({"message": format!("第{i}次")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) =
        app.send("POST", "/api/listings/lst-0001/interest", Some(&suitor), Some(json!({"message": "again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let big = json!({"message": "hi", "contact": {"note": "x".repeat(5000)}});
    let (status, _) = app.send("POST", "/api/listings/lst-0002/interest", Some(&suitor), Some(big)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn an_index_ahead_of_a_restored_store_is_reconciled() {
    let fx = crate::common::Fixture::new();
    let posted_id = {
        let engine = fx.engine();
        let actor =
            gba_search::listings::TokenInfo { owner: "ent-hkust".into(), admin: false, created_at: String::new() };
        let r = engine.create_listing(&actor, &listing("只在舊索引中的供給 zebrafinch")).unwrap();
        engine.close().unwrap();
        r.id
    };
    // The store is restored to an older state (here: re-seeded from the bundled file).
    std::fs::remove_dir_all(fx.data_dir().join("listings.sled")).unwrap();
    let engine = fx.engine();
    assert!(engine.store().get(&posted_id).unwrap().is_none());
    let req = gba_search::index::SearchRequest { q: "zebrafinch".into(), ..Default::default() };
    assert_eq!(engine.index().search(&req).unwrap().total, 0, "no phantom listing in search");
    assert!(engine.index().get(gba_search::model::Collection::Listings, "lst-0001").unwrap().is_some());
}

#[tokio::test]
async fn interest_in_an_expert_or_an_organisation_reaches_that_organisation_only() {
    let app = TestApp::new();
    let hkust = app.token("ent-hkust", false);
    let suitor = app.token("ent-byd", false);
    let stranger = app.token("ent-midea", false);
    let msg = json!({"message": "We would like to discuss GaN reliability testing with this expert.", "contact": {"email": "byd-secret@example.org"}});
    // An expert: the message goes to the expert's organisation (tal-0001 is at HKUST).
    let (status, body) = app.send("POST", "/api/talents/tal-0001/interest", Some(&suitor), Some(msg.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["collection"].as_str(), body["record"].as_str()), (Some("talents"), Some("tal-0001")), "{body}");
    assert!(body.get("listing").is_none(), "{body}");
    assert_eq!(body["to"], "ent-hkust", "addressed to the expert's organisation: {body}");
    let (status, body) = app.send("POST", "/api/entities/ent-hkust/interest", Some(&suitor), Some(msg)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for (uri, n) in [("/api/talents/tal-0001/interest", 1), ("/api/entities/ent-hkust/interest", 1)] {
        let (status, list) = app.send("GET", uri, Some(&hkust), None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {list}");
        assert_eq!(list.as_array().map(Vec::len), Some(n), "{uri}: {list}");
        assert_eq!(list[0]["contact"]["email"], "byd-secret@example.org");
        assert_eq!(list[0]["from"], "ent-byd");
        for token in [&stranger, &suitor] {
            let (status, _) = app.send("GET", uri, Some(token), None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        }
    }
    // The organisation's own listings' interest is apart from the organisation's.
    let (_, own) =
        app.send("GET", "/api/listings/lst-0001/interest", Some(&app.token("ent-ubtech", false)), None).await;
    assert!(!own.to_string().contains("byd-secret"), "{own}");
    // Not to oneself; a message is required; unknown records are 404; no token is 401.
    let (status, body) =
        app.send("POST", "/api/talents/tal-0001/interest", Some(&hkust), Some(json!({"message": "hi"}))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("own_listing")), "{body}");
    let (status, _) =
        app.send("POST", "/api/entities/ent-hkust/interest", Some(&suitor), Some(json!({"message": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) =
        app.send("POST", "/api/talents/tal-nobody/interest", Some(&suitor), Some(json!({"message": "hi"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.send("POST", "/api/entities/ent-hkust/interest", None, Some(json!({"message": "hi"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The contact never shows in public answers.
    for uri in ["/api/talents/tal-0001", "/api/entities/ent-hkust", "/api/search?q=HKUST"] {
        let (_, text) = app.get_raw(uri).await;
        assert!(!text.contains("byd-secret"), "{uri}");
    }
}
