//! `/api/search` and `/api/suggest` over the fixture.

use axum::http::StatusCode;

use crate::common::{TestApp, enc};

#[tokio::test]
async fn finds_records_from_several_collections_with_marks_and_facets() {
    let app = TestApp::new();
    let (status, body) = app.get(&format!("/api/search?q={}", enc("机器人"))).await;
    assert_eq!(status, StatusCode::OK);
    let hits = body["hits"].as_array().unwrap();
    let collections: std::collections::HashSet<&str> = hits.iter().map(|h| h["collection"].as_str().unwrap()).collect();
    assert!(collections.len() >= 3, "{collections:?}");
    assert!(hits.iter().any(|h| h["snippet"].as_str().unwrap().contains("<mark>")), "{body}");
    let total = body["total"].as_u64().unwrap();
    let by_collection: u64 =
        body["facets"]["collection"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(by_collection, total);
    assert_eq!(body["matching"], "any_word");
    // The expired listing is not in default search.
    assert!(!hits.iter().any(|h| h["id"] == "lst-0003"));
}

#[tokio::test]
async fn city_filter_and_facets_agree() {
    let app = TestApp::new();
    let (_, body) = app.get(&format!("/api/search?q={}&city=shenzhen", enc("机器人"))).await;
    let total = body["total"].as_u64().unwrap();
    assert!(total >= 2);
    assert_eq!(body["facets"]["city"]["shenzhen"].as_u64().unwrap(), total);
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["city"] == "shenzhen"));
    // Comma lists: any city matches.
    let ids = app.ids(&format!("q={}&city=shenzhen,foshan&per_page=50", enc("机器人"))).await;
    assert!(ids.contains(&"ent-midea".to_string()) && ids.contains(&"ent-ubtech".to_string()), "{ids:?}");
    // Records without a city never pass a city filter.
    let ids = app.ids("city=guangzhou,shenzhen,foshan,hongkong&per_page=100").await;
    assert!(!ids.contains(&"ind-gd-robotics".to_string()));
}

#[tokio::test]
async fn kind_and_collection_filters() {
    let app = TestApp::new();
    let ids = app.ids("kind=university&per_page=50").await;
    assert_eq!(ids.len(), 4, "{ids:?}");
    let ids = app.ids(&format!("q={}&collections=listings", enc("机器人"))).await;
    assert_eq!(ids, ["lst-0001", "lst-0004"]);
    let (status, body) = app.get("/api/search?collections=patents").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "unknown_collection");
}

#[tokio::test]
async fn browse_is_newest_first_and_pages_do_not_overlap() {
    let app = TestApp::new();
    let (_, body) = app.get("/api/search?per_page=100").await;
    let all: Vec<String> =
        body["hits"].as_array().unwrap().iter().map(|h| h["updated_at"].as_str().unwrap_or("").to_string()).collect();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(all, sorted);
    let total = body["total"].as_u64().unwrap() as usize;
    assert_eq!(total, 12, "6 entities, 1 talent, 3 open listings, 1 roadmap, 1 industry; not the expired listing");
    assert!(body.get("matching").is_none(), "no query, no matching rule: {body}");
    let mut seen = Vec::new();
    for page in 1..=4 {
        seen.extend(app.ids(&format!("per_page=3&page={page}")).await);
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), total);
    assert_eq!(unique.len(), total);
    assert!(app.ids("per_page=3&page=99").await.is_empty());
    // status=all shows the expired listing.
    let ids = app.ids("collections=listings&status=all").await;
    assert!(ids.contains(&"lst-0003".to_string()));
}

#[tokio::test]
async fn traditional_simplified_and_english_find_the_same_record() {
    let app = TestApp::new();
    for q in ["香港科技大学", "香港科技大學", "HKUST", "港科大", "hong kong university of science"] {
        let ids = app.ids(&format!("q={}", enc(q))).await;
        assert_eq!(ids.first().map(String::as_str), Some("ent-hkust"), "{q}: {ids:?}");
    }
    let s = app.ids(&format!("q={}", enc("机器人减速器"))).await;
    let t = app.ids(&format!("q={}", enc("機器人減速器"))).await;
    assert_eq!(s, t);
}

#[tokio::test]
async fn hong_kong_words_inside_a_compound_find_what_the_mainland_compound_finds() {
    // 医疗机器人 and 人工智能芯片 are single dictionary words; written with the Hong Kong words
    // 機械人 and 晶片 they must be cut the same way, not into two words that match more records.
    let app = TestApp::bundled();
    for (mainland, hong_kong) in [("医疗机器人", "醫療機械人"), ("人工智能芯片", "人工智能晶片")]
    {
        let page = |q: &str| format!("/api/search?q={}&per_page=10", enc(q));
        let (_, s) = app.get(&page(mainland)).await;
        let (_, t) = app.get(&page(hong_kong)).await;
        assert!(s["total"].as_u64().unwrap() > 10, "{mainland}: {s}");
        assert_eq!(s["total"], t["total"], "{mainland} / {hong_kong}");
        let ids = |body: &serde_json::Value| -> Vec<String> {
            body["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(ids(&s), ids(&t), "{mainland} / {hong_kong}");
    }
}

#[tokio::test]
async fn traditional_query_answers_in_traditional() {
    let app = TestApp::new();
    let (_, body) = app.get(&format!("/api/search?q={}&collections=entities", enc("機器人"))).await;
    assert_eq!(body["lang"], "zh-Hant");
    let names: Vec<&str> = body["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"南方科技大學"), "{names:?}");
    assert_eq!(body["facet_labels"]["city"]["shenzhen"], "深圳");
    // Labels in Hong Kong wording, the same words as the web interface's tables (web/codes.js).
    assert_eq!(body["facet_labels"]["cluster"]["robotics"], "機械人");
    assert_eq!(body["facet_labels"]["kind"]["university"], "大專院校");
    let codes = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/web/codes.js")).unwrap();
    assert!(codes.contains("robotics: ['机器人', '機械人', 'Robotics']"));
    let (_, body) = app.get(&format!("/api/search?q={}&lang=en&collections=entities", enc("机器人"))).await;
    let names: Vec<&str> = body["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"UBTech Robotics"), "{names:?}");
}

#[tokio::test]
async fn sort_newest_orders_by_date() {
    let app = TestApp::new();
    let (_, body) = app.get(&format!("/api/search?q={}&sort=newest", enc("机器人"))).await;
    let dates: Vec<&str> = body["hits"].as_array().unwrap().iter().map(|h| h["updated_at"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[tokio::test]
async fn unreadable_or_hostile_queries_never_fail() {
    let app = TestApp::new();
    for q in [
        "title:(",
        "\"unclosed",
        "AND OR NOT",
        "***",
        "）（】【",
        "a:b:c",
        "🙂🚀",
        "\u{0}\u{7}",
        "<script>alert(1)</script>",
        "   ",
    ] {
        let (status, body) = app.get(&format!("/api/search?q={}", enc(q))).await;
        assert_eq!(status, StatusCode::OK, "{q:?}: {body}");
        for h in body["hits"].as_array().unwrap() {
            assert!(!h["snippet"].as_str().unwrap().contains("<script"), "{h}");
        }
    }
    let long = "机器人".repeat(400);
    let (status, body) = app.get(&format!("/api/search?q={}", enc(&long))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "query_too_long");
    for bad in [
        "page=0",
        "page=-1",
        "per_page=0",
        "per_page=101",
        "per_page=abc",
        "sort=best",
        "lang=fr",
        "city=paris",
        "cluster=x",
        "status=gone",
    ] {
        let (status, body) = app.get(&format!("/api/search?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string());
    }
    let (status, body) = app.get("/api/search?page=1000000000").await;
    assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{body}");
    assert!(body["hits"].as_array().is_none_or(|h| h.is_empty()));
}

#[tokio::test]
async fn suggest_completes_names_and_aliases_in_any_script() {
    let app = TestApp::new();
    for (q, id) in [
        ("港科", "ent-hkust"),
        ("南科", "ent-sustech"),
        ("hku", "ent-hkust"),
        ("ubt", "ent-ubtech"),
        ("優必", "ent-ubtech"),
    ] {
        let (status, body) = app.get(&format!("/api/suggest?q={}", enc(q))).await;
        assert_eq!(status, StatusCode::OK);
        let first = &body.as_array().unwrap()[0];
        assert_eq!(first["id"], id, "{q}: {body}");
    }
    let (_, body) = app.get(&format!("/api/suggest?q={}", enc("優必"))).await;
    assert_eq!(body[0]["text"], "優必選科技");
    let (_, body) = app.get("/api/suggest?q=").await;
    assert_eq!(body, serde_json::json!([]));
}

#[tokio::test]
async fn related_to_lists_an_entitys_talents_and_listings() {
    let app = TestApp::new();
    let mut ids = app.ids("related_to=ent-hkust").await;
    ids.sort();
    assert_eq!(ids, ["lst-0004", "tal-0001"], "HKUST's talent and listing");
    assert_eq!(app.ids("related_to=ent-hkust&collections=talents").await, ["tal-0001"]);
    assert_eq!(app.ids("related_to=ent-sustech&status=all").await.len(), 2, "with status=all the expired one too");
    assert!(app.ids("related_to=ent-nobody").await.is_empty());
}

#[tokio::test]
async fn a_filtered_search_keeps_exactly_the_matches_that_pass_the_filter() {
    // Narrow filters are intersected with the query, broad ones checked per match: both ways
    // must keep the same records, with the same order and scores, as filtering by hand.
    let app = TestApp::bundled();
    // A query with matches under every filter below (Macau has AI records but no robots).
    let q = enc("人工智能");
    let everything = every_hit(&app, &format!("q={q}")).await;
    assert!(everything.len() > 100, "{}", everything.len());
    type Passes = dyn Fn(&serde_json::Value) -> bool;
    let cases: [(&str, &Passes); 5] = [
        ("collections=listings,talents", &|h| h["collection"] == "listings" || h["collection"] == "talents"),
        ("city=macau", &|h| h["city"] == "macau"),
        ("kind=supply", &|h| h["kind"] == "supply"),
        ("cluster=robotics,ai", &|h| {
            h["clusters"].as_array().is_some_and(|c| c.iter().any(|c| c == "robotics" || c == "ai"))
        }),
        ("collections=entities&city=shenzhen,foshan&kind=enterprise", &|h| {
            h["collection"] == "entities"
                && (h["city"] == "shenzhen" || h["city"] == "foshan")
                && h["kind"] == "enterprise"
        }),
    ];
    for (filter, passes) in cases {
        let want: Vec<(&serde_json::Value, &serde_json::Value)> =
            everything.iter().filter(|h| passes(h)).map(|h| (&h["id"], &h["score"])).collect();
        let hits = every_hit(&app, &format!("q={q}&{filter}")).await;
        let got: Vec<(&serde_json::Value, &serde_json::Value)> = hits.iter().map(|h| (&h["id"], &h["score"])).collect();
        assert!(!want.is_empty(), "{filter}: no record passes");
        assert_eq!(got, want, "{filter}");
    }
}

/// All the hits of a search, page after page.
async fn every_hit(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let mut hits = Vec::new();
    for page in 1.. {
        let (_, body) = app.get(&format!("/api/search?{query}&per_page=100&page={page}")).await;
        let total = body["total"].as_u64().unwrap_or(0) as usize;
        hits.extend(body["hits"].as_array().cloned().unwrap_or_default());
        if hits.len() >= total || page == 20 {
            assert_eq!(hits.len(), total, "{query}");
            return hits;
        }
    }
    hits
}

/// The marked words of a snippet.
fn marks(snippet: &str) -> Vec<&str> {
    snippet.split("<mark>").skip(1).filter_map(|s| s.split("</mark>").next()).collect()
}

#[tokio::test]
async fn snippets_are_shown_in_the_script_asked_for_with_the_marks_on_the_match() {
    let app = TestApp::new();
    // A Simplified query shown in Traditional, and a Traditional one shown in Simplified: each
    // snippet is in the script asked for, and its marks are the query's word in that script.
    for (q, lang, wanted, other_script) in
        [("机器人", "zh-Hant", ["機器人", "機械人"], '机'), ("機械人", "zh-Hans", ["机器人", "机械人"], '機')]
    {
        let (status, body) = app.get(&format!("/api/search?q={}&lang={lang}&per_page=20", enc(q))).await;
        assert_eq!(status, StatusCode::OK);
        let snippets: Vec<&str> =
            body["hits"].as_array().unwrap().iter().map(|h| h["snippet"].as_str().unwrap()).collect();
        assert!(snippets.len() >= 5, "{body}");
        for s in &snippets {
            assert!(!s.contains(other_script), "{q} in {lang}: {s}");
        }
        let marked: Vec<&str> = snippets.iter().flat_map(|s| marks(s)).collect();
        assert!(marked.iter().filter(|m| wanted.contains(m)).count() >= 5, "{q} in {lang}: {marked:?}");
    }
}

#[tokio::test]
async fn a_rare_term_alone_is_widened_by_its_related_terms_in_any_script() {
    // No listing says 中医药; the 中药 / 中藥 / 中成药 listings are what a user of 中医药 wants.
    let app = TestApp::bundled();
    for q in ["中医药", "中醫藥"] {
        let ids = app.ids(&format!("q={}&collections=listings", enc(q))).await;
        for want in ["lst-0208", "lst-0209", "lst-0210", "lst-0211"] {
            assert!(ids.contains(&want.to_string()), "{q}: {want} missing from {ids:?}");
        }
    }
}

#[tokio::test]
async fn a_generic_word_inside_a_query_word_does_not_let_records_through_a_filter() {
    // 热管理 holds 管理 and 海洋工程技术 holds 工程 and 技术, which many universities' texts
    // carry (旅游管理, 管理类专业, 工程学院). Under the university filter a search must not fill
    // up with those: each hit shares a subject of the need, and the universities that work on
    // it are still found.
    let app = TestApp::bundled();
    let cases: [(&str, &[&str], usize); 4] = [
        ("锂电池热管理", &["锂", "鋰", "电池", "電池", "热", "熱", "battery", "thermal"], 0),
        ("鋰電池熱管理", &["锂", "鋰", "电池", "電池", "热", "熱", "battery", "thermal"], 0),
        ("海洋工程技术", &["海洋", "marine", "ocean"], 2),
        ("海洋工程技術", &["海洋", "marine", "ocean"], 2),
    ];
    for (q, subject, at_least) in cases {
        let hits = every_hit(&app, &format!("q={}&kind=university", enc(q))).await;
        assert!(hits.len() >= at_least, "{q}: {} universities", hits.len());
        for h in &hits {
            let id = h["id"].as_str().unwrap();
            let (_, record) = app.get(&format!("/api/entities/{id}")).await;
            let text = record.to_string().to_lowercase();
            assert!(subject.iter().any(|w| text.contains(w)), "{q}: {id} shares only a generic word with the need");
        }
    }
}

#[tokio::test]
async fn a_misspelt_parameter_is_named_not_silently_ignored() {
    let app = TestApp::bundled();
    // `collection` for `collections`: ignoring it would answer every collection.
    for path in [
        "/api/search?q=robot&collection=listings",
        "/api/suggest?q=机器&limt=3",
        "/api/listings/lst-0001/matches?limt=3",
        "/api/match?text=robot&collection=listings",
        "/api/board?crossborder=true",
        "/api/entities/ent-hkust?language=en",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_query_string", "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        let given = path.rsplit('&').next().unwrap().split(['?', '=']).rev().nth(1).unwrap();
        assert!(message.contains(&format!("`{given}`")), "{path}: {message}");
    }
    let (status, body) = app.get("/api/search?q=robot&collections=listings&lang=en").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
