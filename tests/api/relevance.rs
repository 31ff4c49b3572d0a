//! Relevance on the bundled data: judged queries (tests/relevance/judgments.jsonl) and judged
//! matches (tests/relevance/matches.jsonl), scored with nDCG@10 and success@3 per category.
//! `cargo test --test api relevance -- --nocapture` prints the tables quoted in docs/RELEVANCE.md.

use std::collections::BTreeMap;

use gba_search::analysis::Lang;
use serde_json::{Map, Value};

use crate::common::{Fixture, TestApp, enc};

/// nDCG@10 floors per category: the issue's targets (Simplified ≥ 0.85, every other category
/// ≥ 0.9 × Simplified = 0.80), and above them the figures reached so far less a small margin, so a
/// change that loses relevance fails the build. docs/RELEVANCE.md has the figures.
const SEARCH_FLOORS: [(&str, f64); 8] = [
    ("simplified", 0.89),
    ("traditional", 0.81),
    ("english", 0.91),
    ("alias", 0.91),
    ("mixed", 0.87),
    ("subword", 0.91),
    ("natural", 0.80),
    ("filtered", 0.91),
];
const MATCH_FLOORS: [(&str, f64); 2] = [("listing", 0.88), ("bottleneck", 0.89)];
/// Floors of the held-out match set (`matches_more.jsonl`), by source.
const HELDOUT_MATCH_FLOORS: [(&str, f64); 4] = [("all", 0.88), ("listing", 0.85), ("talent", 0.94), ("entity", 0.88)];
/// nDCG@10 floor of the held-out natural-language needs (tests/relevance/heldout_natural.jsonl):
/// written before the related-terms and partner-word changes, never used to tune them (0.745
/// before them, 0.775 after). Its English misses (cookware, cooking, flue gas …) then prompted the
/// everyday-words section of the glossary (0.825 after), so for the glossary it is no longer
/// held out.
const HELDOUT_FLOOR: f64 = 0.76;

fn read_cases(name: &str) -> Vec<Map<String, Value>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap().as_object().unwrap().clone())
        .collect()
}

fn grades(case: &Map<String, Value>) -> BTreeMap<String, f64> {
    case["relevant"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_f64().unwrap())).collect()
}

/// nDCG@10 with gains 2^grade − 1.
pub fn ndcg10(ranked: &[String], grades: &BTreeMap<String, f64>) -> f64 {
    let gain = |g: f64| 2f64.powf(g) - 1.0;
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| gain(*grades.get(id).unwrap_or(&0.0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<f64> = grades.values().copied().collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = ideal.iter().take(10).enumerate().map(|(i, g)| gain(*g) / (i as f64 + 2.0).log2()).sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

/// 1 when a record of grade ≥ 2 is in the top 3.
pub fn success3(ranked: &[String], grades: &BTreeMap<String, f64>) -> f64 {
    f64::from(ranked.iter().take(3).any(|id| grades.get(id).is_some_and(|g| *g >= 2.0)))
}

async fn top10(app: &TestApp, q: &str, params: &Map<String, Value>) -> Vec<String> {
    let mut uri = format!("q={}&per_page=10", enc(q));
    for (k, v) in params {
        uri.push_str(&format!("&{k}={}", enc(v.as_str().unwrap_or_default())));
    }
    app.ids(&uri).await
}

fn table(title: &str, rows: &BTreeMap<String, Vec<(f64, f64)>>) -> BTreeMap<String, f64> {
    println!("\n{title}\n| category | queries | nDCG@10 | success@3 |\n|---|---|---|---|");
    let mut out = BTreeMap::new();
    for (cat, v) in rows {
        let n = v.len() as f64;
        let ndcg = v.iter().map(|x| x.0).sum::<f64>() / n;
        let s3 = v.iter().map(|x| x.1).sum::<f64>() / n;
        println!("| {cat} | {} | {ndcg:.3} | {s3:.3} |", v.len());
        out.insert(cat.clone(), ndcg);
    }
    out
}

/// Scores every case: per `group` key (category or language), (nDCG@10, success@3); and per query
/// (nDCG@10, id, q).
async fn score_cases(
    app: &TestApp,
    cases: &[Map<String, Value>],
    group: &str,
) -> (BTreeMap<String, Vec<(f64, f64)>>, Vec<(f64, String, String)>) {
    let mut rows: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut per_query: Vec<(f64, String, String)> = Vec::new();
    for case in cases {
        let q = case["q"].as_str().unwrap();
        let empty = Map::new();
        let params = case.get("params").and_then(Value::as_object).unwrap_or(&empty);
        let ranked = top10(app, q, params).await;
        let g = grades(case);
        let n = ndcg10(&ranked, &g);
        rows.entry(case[group].as_str().unwrap().to_string()).or_default().push((n, success3(&ranked, &g)));
        per_query.push((n, case["id"].as_str().unwrap().to_string(), q.to_string()));
    }
    (rows, per_query)
}

#[tokio::test]
async fn judged_queries_meet_the_floors_in_every_category() {
    let app = TestApp::bundled();
    let cases = read_cases("judgments.jsonl");
    assert!(cases.len() >= 150, "{} judged queries", cases.len());
    let (rows, mut worst) = score_cases(&app, &cases, "category").await;
    let by_cat = table("Search relevance (bundled data)", &rows);
    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    crate::parity::dump_per_case(worst.iter().map(|(n, id, q)| format!("{id} {n:.3} {q}")));
    println!("\nweakest queries:");
    for (n, id, q) in worst.iter().take(12) {
        println!("  {id} {n:.3} {q}");
    }
    for (cat, floor) in SEARCH_FLOORS {
        let v = by_cat[cat];
        assert!(v >= floor, "{cat} nDCG@10 {v:.3} < floor {floor}");
    }
    // The issue's relative target: every category at least 0.9 × the Simplified figure.
    let simplified = by_cat["simplified"];
    for (cat, v) in &by_cat {
        assert!(*v >= 0.9 * simplified, "{cat} nDCG@10 {v:.3} < 0.9 × simplified {simplified:.3}");
    }
}

#[tokio::test]
async fn held_out_natural_language_needs_meet_their_floor() {
    let app = TestApp::bundled();
    let cases = read_cases("heldout_natural.jsonl");
    assert!(cases.len() >= 20, "{} held-out queries", cases.len());
    let (rows, per_query) = score_cases(&app, &cases, "lang").await;
    table("Held-out natural-language needs, by script", &rows);
    let all: Vec<f64> = per_query.iter().map(|x| x.0).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    println!("| all | {} | {mean:.3} | |", all.len());
    for (n, id, q) in &per_query {
        println!("  {id} {n:.3} {q}");
    }
    assert!(mean >= HELDOUT_FLOOR, "held-out nDCG@10 {mean:.3} < floor {HELDOUT_FLOOR}");
}

#[tokio::test]
async fn a_traditional_query_returns_the_same_top_10_as_the_simplified_one() {
    let app = TestApp::bundled();
    let analyzer = app.engine.analyzer();
    let mut compared = 0;
    for case in read_cases("judgments.jsonl") {
        if case["category"] != "simplified" && case["category"] != "natural" {
            continue;
        }
        let q = case["q"].as_str().unwrap();
        let hant = analyzer.to_script(q, Lang::Hant);
        if hant == q {
            continue;
        }
        let empty = Map::new();
        let params = case.get("params").and_then(Value::as_object).unwrap_or(&empty);
        let s = top10(&app, q, params).await;
        let t = top10(&app, &hant, params).await;
        assert_eq!(s, t, "{q} vs {hant}");
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} queries compared");
}

#[tokio::test]
async fn judged_matches_rank_fitting_counterparts_first() {
    let app = TestApp::bundled();
    let cases = read_cases("matches.jsonl");
    assert!(cases.len() >= 50, "{} judged match cases", cases.len());
    let mut rows: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for case in &cases {
        let g = grades(case);
        let ranked = ranked_matches(&app, case).await;
        rows.entry(case["type"].as_str().unwrap().to_string())
            .or_default()
            .push((ndcg10(&ranked, &g), success3(&ranked, &g)));
    }
    let by_type = table("Match relevance (bundled data)", &rows);
    for (t, floor) in MATCH_FLOORS {
        let v = by_type[t];
        assert!(v >= floor, "{t} matches nDCG@10 {v:.3} < floor {floor}");
    }
}

/// The ids a judged match case's source is matched with, best first: a listing's, a talent's or
/// an entity's counterparts, or a roadmap bottleneck's solvers.
async fn ranked_matches(app: &TestApp, case: &Map<String, Value>) -> Vec<String> {
    let ids = |body: &Value| -> Vec<String> {
        body["matches"]
            .as_array()
            .map(|m| m.iter().map(|m| m["id"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let source = |key: &str| case[key].as_str().unwrap().to_string();
    match case["type"].as_str().unwrap() {
        "listing" => ids(&app.get(&format!("/api/listings/{}/matches?limit=10", source("listing"))).await.1),
        "talent" => ids(&app.get(&format!("/api/talents/{}/matches?limit=10", source("talent"))).await.1),
        "entity" => ids(&app.get(&format!("/api/entities/{}/matches?limit=10", source("entity"))).await.1),
        _ => {
            let (_, body) = app.get(&format!("/api/roadmaps/{}/matches?limit=10", source("roadmap"))).await;
            let b = body["bottlenecks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["bottleneck"] == case["bottleneck"])
                .cloned()
                .unwrap_or_default();
            ids(&b)
        }
    }
}

/// Written after the first set by another hand, from the records alone, and never tuned on:
/// listings the first set does not judge, and the open needs that fit an expert or an
/// organisation, a third of them across the border (Traditional ↔ Simplified) and a quarter
/// between a record with an English text and Chinese-only ones.
#[tokio::test]
async fn held_out_matches_rank_fitting_counterparts_first() {
    let app = TestApp::bundled();
    let cases = read_cases("matches_more.jsonl");
    assert!(cases.len() >= 100, "{} held-out match cases", cases.len());
    let mut by_type: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut by_pair: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut per_case = Vec::new();
    for case in &cases {
        let ranked = ranked_matches(&app, case).await;
        let scores = (ndcg10(&ranked, &grades(case)), success3(&ranked, &grades(case)));
        by_type.entry(case["type"].as_str().unwrap().to_string()).or_default().push(scores);
        by_pair.entry(case["pair"].as_str().unwrap().to_string()).or_default().push(scores);
        by_type.entry("all".into()).or_default().push(scores);
        per_case.push(format!("{} {:.3} {}", case["id"].as_str().unwrap(), scores.0, case["note"].as_str().unwrap()));
    }
    crate::parity::dump_per_case(per_case.into_iter());
    let types = table("Held-out match relevance, by source (bundled data)", &by_type);
    table("Held-out match relevance, by pair", &by_pair);
    for (t, floor) in HELDOUT_MATCH_FLOORS {
        let v = types[t];
        assert!(v >= floor, "held-out {t} matches nDCG@10 {v:.3} < floor {floor}");
    }
}

#[tokio::test]
async fn a_query_of_partner_words_only_is_still_searched_for() {
    // Partner words (团队, lab …) are not searched for next to a subject, but alone they are all
    // the query has.
    let app = TestApp::new();
    let ids = app.ids(&format!("q={}", enc("团队"))).await;
    assert!(ids.contains(&"lst-0002".to_string()), "{ids:?}");
    assert!(!ids.contains(&"ent-midea".to_string()), "{ids:?}");
}

#[tokio::test]
async fn partner_words_next_to_a_subject_lift_its_matches_but_add_no_others() {
    // 高校团队 says who is wanted: the universities and labs among the 机器人 records rise, and
    // no record that merely is a university becomes a match.
    let app = TestApp::bundled();
    let (_, subject) = app.get(&format!("/api/search?q={}&per_page=100", enc("机器人"))).await;
    let (_, need) = app.get(&format!("/api/search?q={}&per_page=100", enc("寻找做机器人的高校团队"))).await;
    assert!(subject["total"].as_u64().unwrap_or(0) > 0, "{subject}");
    assert_eq!(need["total"], subject["total"], "partner words added matches");
    assert_eq!(need["facets"], subject["facets"]);
    let first_partner = |v: &Value| {
        v["hits"].as_array().and_then(|hits| {
            hits.iter().position(|h| matches!(h["kind"].as_str(), Some("university" | "lab" | "research_institute")))
        })
    };
    let (before, after) = (first_partner(&subject), first_partner(&need));
    println!("first university or lab: {before:?} → {after:?}");
    assert!(after.is_some() && after < before.or(Some(usize::MAX)), "{before:?} → {after:?}");
}

/// An app whose only roadmaps are, per `(first id, count, description)`, that many records (of the
/// electronics cluster, whose label 电子信息 none of the tests search for).
fn with_roadmaps(groups: &[(usize, usize, &str)]) -> TestApp {
    let fixture = Fixture::new();
    let lines: Vec<String> = groups
        .iter()
        .flat_map(|&(first, count, text)| {
            (first..first + count).map(move |i| {
                format!(
                    r#"{{"id":"rm-{i}","name":"路线{i}","clusters":["electronics"],"description":"{text}","updated_at":"2026-01-01T00:00:00Z"}}"#
                )
            })
        })
        .collect();
    std::fs::write(fixture.data_dir().join("roadmaps.jsonl"), lines.join("\n") + "\n").unwrap();
    TestApp::on(fixture)
}

/// The answer to `/api/search?q=<q>&collections=roadmaps&per_page=<per_page>` on an app whose
/// only roadmaps are `groups` ([`with_roadmaps`]).
async fn search_roadmaps(groups: &[(usize, usize, &str)], q: &str, per_page: usize) -> Value {
    let app = with_roadmaps(groups);
    app.get(&format!("/api/search?q={}&collections=roadmaps&per_page={per_page}", enc(q))).await.1
}

/// The ids of a search answer's hits.
fn hit_ids(body: &Value) -> Vec<String> {
    body["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_word_found_in_many_records_is_not_widened_by_its_sub_words() {
    // 传感器's sub-word 传感 widens a search of it to 光纤传感 while few records say 传感器;
    // once a thousand do, those weak matches only cost time and are left out.
    for (sensors, widened) in [(20, true), (1_000, false)] {
        let body =
            search_roadmaps(&[(0, sensors, "推广智能传感器应用"), (5_000, 3, "发展光纤传感检测")], "传感器", 1).await;
        let want = sensors as u64 + if widened { 3 } else { 0 };
        assert_eq!(body["total"].as_u64(), Some(want), "{sensors} records say 传感器");
    }
    // A generic sub-word (common in general text and in many records: 机器 of 机器人) never
    // widens it: 机器视觉 shares no subject with 机器人.
    let body = search_roadmaps(&[(0, 20, "推广协作机器人应用"), (5_000, 3, "发展机器视觉检测")], "机器人", 1).await;
    assert_eq!(body["total"].as_u64(), Some(20), "机器人 widened by 机器");
}

#[tokio::test]
async fn a_query_with_a_rare_word_matches_only_the_records_with_it_once_its_other_words_are_common() {
    // At a million records a need such as 谐波减速器 机器人 would match every record that says
    // 机器人; once a thousand do, a record must say the rare word, and 机器人 only ranks those.
    // With fewer than ten such records any word is a match again.
    for (robots, rare, want, matching) in
        [(20, 12, 35, "any_word"), (1_000, 12, 15, "rare_word"), (1_000, 2, 1_005, "any_word")]
    {
        let groups = [
            (0, robots, "推广协作机器人应用"),
            (5_000, rare, "研发谐波减速器"),
            (9_000, 3, "谐波减速器用于机器人关节"),
        ];
        let body = search_roadmaps(&groups, "谐波减速器 机器人", 5).await;
        assert_eq!(body["total"].as_u64(), Some(want), "{robots} records say 机器人, {rare} + 3 say 谐波减速器");
        assert_eq!(body["matching"], matching, "the answer says which records matched");
        let top = hit_ids(&body);
        assert_eq!(top.len(), 5);
        if want == 15 {
            assert!(top.iter().all(|id| id.starts_with("rm-5") || id.starts_with("rm-9")), "{top:?}");
        }
    }
}

#[tokio::test]
async fn related_terms_widen_only_words_few_records_use_and_only_by_terms_few_records_use() {
    // 散热 is related to 热管理: a search for 电池热管理 finds 散热 records while few records say
    // 热管理 and few say 散热, and no longer once a thousand say either (they would only add weak
    // matches to visit).
    for (saying, cooling, widened) in [(20, 20, true), (1_000, 20, false), (20, 1_000, false)] {
        let groups = [(0, saying, "动力电池热管理方案"), (5_000, cooling, "服务器液冷散热")];
        let body = search_roadmaps(&groups, "电池 热管理", 1).await;
        let want = saying as u64 + if widened { cooling as u64 } else { 0 };
        assert_eq!(body["total"].as_u64(), Some(want), "{saying} records say 热管理, {cooling} say 散热");
    }
}

#[tokio::test]
async fn a_name_of_common_words_matches_as_a_phrase_once_they_are_common() {
    // SUSTech expands to Southern University of Science and Technology. While few records use its
    // words, a record with all of them anywhere matches; once a thousand do, only the name does.
    for (scattered, want) in [(20, 23), (1_000, 3)] {
        let groups = [
            (0, scattered, "southern science and technology parks near a university"),
            (5_000, 3, "a pilot line at Southern University of Science and Technology"),
        ];
        let body = search_roadmaps(&groups, "SUSTech", 3).await;
        assert_eq!(body["total"].as_u64(), Some(want), "{scattered} records have the words apart");
        let top = hit_ids(&body);
        assert!(top.iter().all(|id| id.starts_with("rm-500")), "the name first: {top:?}");
    }
}

#[tokio::test]
async fn an_abbreviation_shared_by_many_names_still_finds_the_broadest_one() {
    // 深理大 is the alias of a university and of thirty of its labs, named 深海理工大学（机器人）…
    // Each lab's name holds the university's, so the records with a lab name are among those
    // with the university's name: the labs add no match, and must not crowd the university's name
    // out of the expansions.
    let topics = "机器人 芯片 电池 光伏 传感器 激光 雷达 材料 涂层 氢能 医疗 药物 疫苗 基因 海洋 船舶 航空 卫星 通信 网络 \
        软件 算法 数据 视觉 语音 显示 照明 家电 汽车 化工";
    let fixture = Fixture::new();
    let entity = |id: &str, name: &str| {
        format!(
            r#"{{"id":"{id}","name":"{name}","aliases":["深理大"],"kind":"lab","city":"shenzhen","clusters":["electronics"],"description":"{name}","updated_at":"2026-01-01T00:00:00Z"}}"#
        )
    };
    let mut lines: Vec<String> = topics
        .split_whitespace()
        .enumerate()
        .map(|(i, t)| entity(&format!("lab-{i}"), &format!("深海理工大学（{t}）")))
        .collect();
    lines.push(entity("uni", "深海理工大学"));
    std::fs::write(fixture.data_dir().join("entities.jsonl"), lines.join("\n") + "\n").unwrap();
    let roadmap = r#"{"id":"rm-1","name":"海底观测路线","clusters":["electronics"],"description":"与深海理工大学共建海底观测网","updated_at":"2026-01-01T00:00:00Z"}"#;
    std::fs::write(fixture.data_dir().join("roadmaps.jsonl"), format!("{roadmap}\n")).unwrap();
    let app = TestApp::on(fixture);
    let (_, body) = app.get(&format!("/api/search?q={}&collections=roadmaps", enc("深理大"))).await;
    assert_eq!(hit_ids(&body), ["rm-1"], "the roadmap naming the university: {body}");
}

#[tokio::test]
async fn words_side_by_side_rank_above_the_same_words_apart() {
    // The query's words side by side get a phrase boost (index/score_only.rs): the record with
    // "edge computing" wins over twenty that say both words more often, apart.
    let groups =
        [(0, 20, "edge devices and cloud computing, computing at the edge"), (5_000, 1, "an edge computing gateway")];
    let body = search_roadmaps(&groups, "edge computing", 3).await;
    assert_eq!(body["total"].as_u64(), Some(21));
    assert_eq!(hit_ids(&body).first().map(String::as_str), Some("rm-5000"), "{body}");
}

#[tokio::test]
async fn a_query_of_common_words_matches_only_the_records_with_each_once_all_are_common() {
    // At a million records AI 芯片 would match every record with either word; once a thousand
    // records say 机器人 and more say 芯片, a record must say both, and it ranks as before. With
    // fewer than ten such records any word is a match again; while 机器人 is rare, the records
    // with it are the matches.
    for (robots, both, want, matching) in
        [(1_000, 12, 12, "every_word"), (1_000, 2, 4_002, "any_word"), (20, 12, 32, "rare_word")]
    {
        let groups =
            [(0, robots, "推广协作机器人应用"), (5_000, 3_000, "芯片设计服务"), (9_000, both, "机器人控制芯片研发")];
        let body = search_roadmaps(&groups, "机器人 芯片", 5).await;
        assert_eq!(body["total"].as_u64(), Some(want), "{robots} records say 机器人, {both} say both");
        assert_eq!(body["matching"], matching, "the answer says which records matched");
        let top = hit_ids(&body);
        assert_eq!(top.len(), 5);
        if want == 12 {
            assert!(top.iter().all(|id| id.starts_with("rm-9")), "{top:?}");
        }
    }
}
