//! Matchmaking people can trust: one score per pair wherever it is shown, reasons that name
//! concepts in the reader's words, and an English offer that meets the Chinese need it answers.

use std::collections::{BTreeMap, HashSet};

use axum::http::StatusCode;
use gba_search::analysis::{EnglishText, Lang};
use serde_json::{Value, json};

use crate::common::{TestApp, enc};

async fn matches(app: &TestApp, id: &str, lang: &str, limit: usize) -> Vec<Value> {
    let (status, body) = app.get(&format!("/api/listings/{id}/matches?limit={limit}&lang={lang}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["matches"].as_array().unwrap().clone()
}

fn open_listings() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/listings.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["status"] == "open" && r["expires_at"].as_str().is_none_or(|e| e > "2027"))
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_pair_has_one_score_on_both_sides_and_on_the_board() {
    let app = TestApp::bundled();
    app.engine.update_board(None).unwrap();
    // Every listing's counterparts among the listings, by pair.
    let mut scores: BTreeMap<(String, String), f64> = BTreeMap::new();
    for id in open_listings() {
        for m in matches(&app, &id, "zh-Hans", 50).await {
            if m["collection"] == "listings" {
                scores.insert((id.clone(), m["id"].as_str().unwrap().to_string()), m["score"].as_f64().unwrap());
            }
        }
    }
    let mut both = 0;
    for ((a, b), s) in &scores {
        if let Some(r) = scores.get(&(b.clone(), a.clone())) {
            assert_eq!(s, r, "{a} → {b} scores {s}, {b} → {a} scores {r}");
            both += 1;
        }
    }
    assert!(both >= 50, "only {both} pairs seen from both sides");
    // The board shows the same number as the listing pages, in any language.
    let mut on_board = 0;
    for lang in ["zh-Hans", "zh-Hant", "en"] {
        let (_, board) = app.get(&format!("/api/board?per_page=100&lang={lang}")).await;
        for p in board["pairs"].as_array().unwrap() {
            let (s, d) = (p["supply"]["id"].as_str().unwrap(), p["demand"]["id"].as_str().unwrap());
            let score = p["score"].as_f64().unwrap();
            assert!(score >= 0.6, "{p}");
            for key in [(s.to_string(), d.to_string()), (d.to_string(), s.to_string())] {
                if let Some(listed) = scores.get(&key) {
                    assert_eq!(*listed, score, "board {s} ↔ {d}: {score}, listing page: {listed}");
                    on_board += 1;
                }
            }
        }
    }
    assert!(on_board >= 10, "{on_board} board pairs compared");
}

/// The English texts of a record answer: names, descriptions and fields without Chinese.
fn english_texts(record: &Value) -> Vec<String> {
    let keys = ["name", "name_en", "title", "description", "description_en", "expertise", "capabilities", "fields"];
    let values = keys.iter().flat_map(|k| match &record[*k] {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
        _ => Vec::new(),
    });
    values.filter(|t| !t.chars().any(gba_search::analysis::is_cjk)).collect()
}

/// The items of a `shared_terms` reason.
fn shared_terms(m: &Value) -> Vec<String> {
    let Some(r) = m["reasons"].as_array().unwrap().iter().find(|r| r["code"] == "shared_terms") else {
        return Vec::new();
    };
    let text = r["text"].as_str().unwrap();
    let list = text.split_once(['：', ':']).map_or(text, |x| x.1);
    list.split(['、', ',']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

#[tokio::test]
async fn reasons_name_concepts_in_the_readers_words_never_numbers_stems_or_common_words() {
    let app = TestApp::bundled();
    let analyzer = app.engine.analyzer().clone();
    // Every English word of the bundled records and of the glossary, as written.
    let mut words: HashSet<String> = HashSet::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "data/entities.jsonl",
        "data/talents.jsonl",
        "data/listings.jsonl",
        "data/roadmaps.jsonl",
        "data/industries.jsonl",
        "vocab/glossary_zh_en.tsv",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap().to_lowercase();
        words.extend(text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(String::from));
    }
    let (mut checked, mut seen_hk, mut chinese_for_english, mut named_uncommon) = (0, 0, 0, 0);
    for id in open_listings() {
        let (_, record) = app.get(&format!("/api/listings/{id}")).await;
        let wrote_hk_chip = record.to_string().contains("晶片");
        for lang in ["zh-Hans", "zh-Hant", "en"] {
            for m in matches(&app, &id, lang, 10).await {
                for term in shared_terms(&m) {
                    checked += 1;
                    assert!(term.chars().any(|c| c.is_alphabetic()), "{id} {lang}: a number as a reason: {term:?}");
                    // Not a common word of the language (时间, 降低, keeping) outside the vocabulary.
                    if let [c] = &analyzer.concepts(&term)[..] {
                        assert!(!analyzer.is_common_concept(c), "{id} {lang}: a common word as a reason: {term:?}");
                        named_uncommon += 1;
                    }
                    for w in term.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
                        assert!(
                            words.contains(&w.to_lowercase()),
                            "{id} {lang}: {w:?} (in {term:?}) is no word of the data"
                        );
                    }
                    match lang {
                        "zh-Hant" => {
                            assert_eq!(analyzer.to_script(&term, Lang::Hant), term, "{id}: {term} is not Traditional");
                            // Written with 晶片: explained with 晶片 (its writer's word), not 芯片.
                            assert!(
                                !(wrote_hk_chip && term.contains("芯片")),
                                "{id} wrote 晶片, is explained with {term}"
                            );
                            seen_hk += usize::from(term.contains("晶片"));
                        }
                        "zh-Hans" => {
                            assert_eq!(analyzer.to_script(&term, Lang::Hans), term, "{id}: {term} is not Simplified")
                        }
                        // An English reader sees Chinese only for a concept the vocabulary has
                        // no English term for (机器人 is shown as robot).
                        // Nor one the dictionary gives an English word for that the pair's
                        // English texts use (寿命 is shown as "lifetime" where a text says so).
                        _ if term.chars().any(gba_search::analysis::is_cjk) => {
                            chinese_for_english += 1;
                            let path =
                                format!("/api/{}/{}", m["collection"].as_str().unwrap(), m["id"].as_str().unwrap());
                            let (_, other) = app.get(&path).await;
                            let texts = [english_texts(&record), english_texts(&other)].concat();
                            let texts: Vec<EnglishText> = texts.iter().map(|t| EnglishText::from(t.as_str())).collect();
                            for c in analyzer.concepts(&term) {
                                let english = analyzer.vocab().english_of(&c.key);
                                assert!(english.is_none(), "{id} en: {term:?} shown for {english:?}");
                                let written = analyzer.english_in(&c.key, &texts);
                                assert!(written.is_none(), "{id} en: {term:?} shown, the texts say {written:?}");
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} terms checked");
    assert!(named_uncommon > 500, "only {named_uncommon} one-concept terms checked for common words");
    assert!(seen_hk > 0, "no reason named 晶片");
    assert!(chinese_for_english > 0, "the Chinese-only concepts were not checked");
}

#[tokio::test]
async fn an_english_offer_from_hong_kong_meets_the_chinese_need_it_answers() {
    let app = TestApp::bundled();
    let token = app.token("ent-hkust", false);
    let offer = json!({
        "kind": "supply", "city": "hongkong", "clusters": ["new_energy", "automotive"],
        "cooperation": ["joint_development", "license"], "trl": 6,
        "title": "Aerogel fire barrier pads against thermal runaway in EV battery packs",
        "description": "Our lab makes ceramic aerogel insulation pads, under 2 mm thick, placed between battery cells to stop thermal runaway spreading: the back face stays below 150 °C under an 800 °C flame for five minutes, and the pads recover after compression as the cells swell.",
    });
    let (status, posted) = app.send("POST", "/api/listings", Some(&token), Some(offer)).await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let id = posted["id"].as_str().unwrap().to_string();
    app.engine.apply_listing_changes().unwrap();
    let found = matches(&app, &id, "en", 10).await;
    let ids: Vec<&str> = found.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let need = ids.iter().position(|i| *i == "lst-0048");
    assert!(need.is_some_and(|p| p < 3), "the Guangzhou thermal-runaway need is not among the best three: {ids:?}");
    let score = found[need.unwrap()]["score"].as_f64().unwrap();
    assert!(score >= 0.6, "{score}: worth a call");
    let terms = shared_terms(&found[need.unwrap()]);
    assert!(terms.iter().any(|t| t.is_ascii()), "an English reader gets English terms: {terms:?}");
    // The need sees the offer with the same score, explained in Chinese.
    let back = matches(&app, "lst-0048", "zh-Hans", 50).await;
    let offer = back.iter().find(|m| m["id"] == id.as_str()).expect("the offer among the need's matches");
    assert_eq!(offer["score"].as_f64().unwrap(), score);
    assert!(shared_terms(offer).iter().any(|t| t.chars().any(gba_search::analysis::is_cjk)), "{offer}");
    // Without `lang`, the English offer's page and an English need are explained in English.
    let (_, own) = app.get(&format!("/api/listings/{id}/matches?limit=3")).await;
    let (_, text) = app.get(&format!("/api/match?text={}&limit=3", enc("fire barrier against thermal runaway"))).await;
    for body in [&own, &text] {
        let reasons: Vec<&str> = body["matches"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["reasons"].as_array().unwrap().iter().filter_map(|r| r["text"].as_str()))
            .collect();
        assert!(!reasons.is_empty(), "{body}");
        assert!(reasons.iter().all(|r| !r.starts_with("共同") && !r.starts_with("同属")), "{reasons:?}");
    }
}

#[tokio::test]
async fn experts_and_organisations_lead_to_the_open_needs_that_fit_them() {
    let app = TestApp::bundled();
    for (collection, id) in [("talents", "tal-0048"), ("entities", "ent-hkust"), ("entities", "ent-scut")] {
        for lang in ["zh-Hans", "zh-Hant", "en"] {
            let (status, body) = app.get(&format!("/api/{collection}/{id}/matches?lang={lang}&limit=5")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let found = body["matches"].as_array().unwrap();
            assert!(!found.is_empty(), "{collection}/{id}: no need fits");
            for m in found {
                assert_eq!((m["collection"].as_str(), m["kind"].as_str()), (Some("listings"), Some("demand")), "{m}");
                let (_, listing) = app.get(&format!("/api/listings/{}", m["id"].as_str().unwrap())).await;
                assert_ne!(listing["owner"], id, "{id}'s own listing");
                assert!(!m["reasons"].as_array().unwrap().is_empty(), "{m}");
            }
        }
    }
    let (status, body) = app.get("/api/talents/tal-nobody/matches").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test]
async fn the_organisation_behind_a_fitting_offer_or_need_is_a_partner_too() {
    let app = TestApp::bundled();
    // An agricultural university, whose own record says nothing of films or foams, posts an
    // offer (in Traditional Chinese) and a need.
    let token = app.token("ent-scau", false);
    let offer = json!({
        "kind": "supply", "city": "guangzhou", "clusters": ["new_materials"], "cooperation": ["joint_development"],
        "trl": 5, "title": "薄膜級LCP樹脂配方與雙向拉伸成膜工藝",
        "fields": ["LCP薄膜", "高頻材料"],
        "description": "實驗室提供薄膜級LCP樹脂配方及雙向拉伸、吹膜成膜工藝，薄膜厚度25–50μm，10GHz下介電損耗低，適用於高頻柔性電路板。",
    });
    let need = json!({
        "kind": "demand", "city": "guangzhou", "clusters": ["smart_appliances"], "cooperation": ["commissioned_rd"],
        "trl": 6, "title": "冷庫無氟發泡保溫層升級", "fields": ["無氟發泡", "保溫材料"],
        "description": "學校冷庫需要環戊烷無氟發泡保溫層與真空絕熱板，降低導熱系數與能耗。",
    });
    for body in [offer, need] {
        let (status, posted) = app.send("POST", "/api/listings", Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{posted}");
    }
    app.engine.apply_listing_changes().unwrap();
    let rank_of = |found: &[Value], id: &str| found.iter().position(|m| m["id"] == id);
    // The Foshan need for LCP film finds the university through its offer, with one score
    // whichever page shows the pair.
    let found = matches(&app, "lst-0201", "zh-Hans", 10).await;
    let at = rank_of(&found, "ent-scau").unwrap_or_else(|| panic!("ent-scau not among {found:?}"));
    let score = found[at]["score"].as_f64().unwrap();
    let (_, own) = app.get("/api/entities/ent-scau/matches?limit=50").await;
    let needs = own["matches"].as_array().unwrap();
    let there = needs.iter().find(|m| m["id"] == "lst-0201").expect("lst-0201 on ent-scau's page");
    assert_eq!(there["score"].as_f64().unwrap(), score);
    // The foam offer finds the university as a taker, through its need.
    let takers = matches(&app, "lst-0113", "zh-Hans", 10).await;
    assert!(rank_of(&takers, "ent-scau").is_some(), "ent-scau not among {takers:?}");
    // But a need is what the university lacks, not what it can do: the needs it could answer do
    // not include the other foam need.
    assert!(rank_of(needs, "lst-0112").is_none(), "{needs:?}");
}

#[tokio::test]
async fn an_offer_tried_before_posting_meets_the_needs_it_answers() {
    let app = TestApp::bundled();
    // A Hong Kong officer tries an offer in Traditional Chinese before posting it.
    let offer = enc("本實驗室提供諧波減速器柔輪的設計與噴丸強化工藝，疲勞壽命超過一萬小時，適用於人形機械人關節。");
    let (status, body) = app.get(&format!("/api/match?text={offer}&kind=supply&limit=20")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found = body["matches"].as_array().unwrap();
    let listings: Vec<&Value> = found.iter().filter(|m| m["collection"] == "listings").collect();
    assert!(!listings.is_empty(), "{body}");
    assert!(listings.iter().all(|m| m["kind"] == "demand"), "an offer meets needs only: {listings:?}");
    // The flexspline fatigue-life need is among them.
    assert!(listings.iter().any(|m| m["id"] == "lst-0134"), "{listings:?}");
    // As a need, only offers; an unknown kind is named.
    let (_, body) = app.get(&format!("/api/match?text={offer}&kind=demand&limit=20")).await;
    let kinds: Vec<&str> = body["matches"].as_array().unwrap().iter().filter_map(|m| m["kind"].as_str()).collect();
    assert!(kinds.iter().all(|k| *k != "demand"), "{kinds:?}");
    let (status, body) = app.get(&format!("/api/match?text={offer}&kind=offer")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_parameter")),
        "{body}"
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("supply"), "{body}");
}
