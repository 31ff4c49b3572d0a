//! Matchmaking that explains itself: for a listing, a free-text need or a roadmap bottleneck,
//! the counterpart listings, entities and talents, each with a score and its reasons.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::analysis::{Analyzer, Lang, Mode};
use crate::engine::Engine;
use crate::error::Result;
use crate::index::{self, display_name, label};
use crate::model::{self, Collection, Record};

/// Cooperation modes with their Simplified Chinese and English labels.
pub const COOPERATION_LABELS: [model::Code; 7] = [
    ("transfer", "技术转让", "technology transfer"),
    ("license", "专利许可", "licensing"),
    ("joint_development", "联合研发", "joint development"),
    ("equity", "作价入股", "equity"),
    ("commissioned_rd", "委托研发", "commissioned R&D"),
    ("talent", "人才合作", "talent"),
    ("other", "其他", "other"),
];

/// What is being matched.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Title and description (or the free text).
    pub text: String,
    /// The title alone (empty for free text).
    pub title: String,
    /// `supply` or `demand` for a listing.
    pub kind: Option<String>,
    /// Cluster codes.
    pub clusters: Vec<String>,
    /// Technology fields.
    pub fields: Vec<String>,
    /// Cooperation modes.
    pub cooperation: Vec<String>,
    /// Technology readiness level.
    pub trl: Option<u64>,
    /// City code.
    pub city: Option<String>,
    /// The source's own id (never matched with itself).
    pub id: Option<String>,
    /// The owning entity (its own records are not counterparts).
    pub owner: Option<String>,
}

impl Source {
    /// The source of a listing (or any record).
    pub fn from_record(r: &Record) -> Source {
        let mut text = vec![r.name().to_string()];
        text.extend(index::body_texts(r));
        Source {
            text: text.join("\n"),
            title: r.name().to_string(),
            kind: r.str("kind").map(String::from),
            clusters: r.strs("clusters").into_iter().map(String::from).collect(),
            fields: r.strs("fields").into_iter().map(String::from).collect(),
            cooperation: r.strs("cooperation").into_iter().map(String::from).collect(),
            trl: r.body.get("trl").and_then(serde_json::Value::as_u64),
            city: r.str("city").map(String::from),
            id: Some(r.id.clone()),
            owner: r.str("owner").map(String::from),
        }
    }

    /// A free-text need.
    pub fn from_text(text: &str) -> Source {
        Source { text: text.to_string(), ..Source::default() }
    }
}

/// Why a candidate matches.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Reason {
    /// `shared_terms`, `same_cluster`, `shared_fields`, `cooperation`, `trl` or `cross_border`.
    pub code: String,
    /// The reason in the requested script.
    pub text: String,
}

/// One counterpart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Match {
    /// Collection of the counterpart.
    pub collection: String,
    /// Its id.
    pub id: String,
    /// Its name in the requested script.
    pub name: String,
    /// Match score in [0, 1].
    pub score: f32,
    /// City code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Kind (supply/demand for listings, entity kind for entities).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Why it matches, strongest first.
    pub reasons: Vec<Reason>,
}

/// Whether a city is in Hong Kong or Macau (`None` when unknown).
pub(crate) fn is_border(city: Option<&str>) -> Option<bool> {
    city.map(|c| c == "hongkong" || c == "macau")
}

fn city_label(analyzer: &Analyzer, code: &str, lang: Lang) -> String {
    model::lookup(&model::CITIES, code).map_or(code.to_string(), |(_, zh, en)| label(analyzer, zh, en, lang))
}

/// A reason with its text in `lang` (the Chinese text converted for zh-Hant).
fn reason(analyzer: &Analyzer, lang: Lang, code: &str, zh: String, en: String) -> Reason {
    Reason { code: code.into(), text: label(analyzer, &zh, &en, lang) }
}

fn join(lang: Lang, items: &[String]) -> String {
    items.join(if lang == Lang::En { ", " } else { "、" })
}

/// Finds counterparts of `src` among `targets`, best first.
pub fn find(engine: &Engine, src: &Source, targets: &[Collection], lang: Lang, limit: usize) -> Result<Vec<Match>> {
    let analyzer = engine.analyzer();
    let mut keywords = analyzer.keywords(&src.text, 12);
    if keywords.is_empty() {
        keywords =
            analyzer.words(&src.text).into_iter().filter(|w| !analyzer.vocab().is_stopword(w)).take(12).collect();
    }
    if keywords.is_empty() {
        return Ok(Vec::new());
    }
    // The query: the title and fields (what the listing is about) and the characteristic terms.
    let mut query = src.title.clone();
    for f in &src.fields {
        query.push(' ');
        query.push_str(f);
    }
    query.push(' ');
    query.push_str(&keywords.join(" "));
    let candidates = engine.index().top_records(&query, targets, limit * 4 + 20)?;
    let max = candidates.iter().map(|c| c.0).fold(f32::MIN, f32::max).max(f32::EPSILON);
    let src_fields: HashSet<String> = src.fields.iter().map(|f| analyzer.key(f)).collect();
    let mut out = Vec::new();
    for (score, cand) in candidates {
        if Some(&cand.id) == src.id.as_ref() && cand.collection == Collection::Listings {
            continue;
        }
        let own = src.owner.as_deref();
        if own.is_some()
            && (cand.str("owner") == own || cand.str("affiliation") == own || Some(cand.id.as_str()) == own)
        {
            continue;
        }
        if cand.collection == Collection::Listings
            && let (Some(a), Some(b)) = (src.kind.as_deref(), cand.str("kind"))
            && a == b
        {
            continue;
        }
        out.push(explain(analyzer, src, &src_fields, &keywords, score / max, &cand, lang));
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(limit);
    Ok(out)
}

/// Why `a` and `b` match (from `a`'s side), in `lang`; the reasons of a stored board pair.
pub fn reasons_between(engine: &Engine, a: &Record, b: &Record, lang: Lang) -> Vec<Reason> {
    let analyzer = engine.analyzer();
    let src = Source::from_record(a);
    let keywords = analyzer.keywords(&src.text, 12);
    let src_fields: HashSet<String> = src.fields.iter().map(|f| analyzer.key(f)).collect();
    explain(analyzer, &src, &src_fields, &keywords, 0.0, b, lang).reasons
}

fn explain(
    analyzer: &Analyzer,
    src: &Source,
    src_fields: &HashSet<String>,
    keywords: &[String],
    text_score: f32,
    cand: &Record,
    lang: Lang,
) -> Match {
    let mut reasons = Vec::new();
    let mut score = 0.65 * text_score;
    let mut text: Vec<String> = index::names(cand).into_iter().map(String::from).collect();
    text.extend(index::body_texts(cand));
    let tokens: HashSet<String> =
        analyzer.tokens(&text.join("\n"), Mode::Search).into_iter().map(|t| t.text.into()).collect();
    let shared: Vec<String> = keywords.iter().filter(|k| tokens.contains(*k)).take(6).cloned().collect();
    if !shared.is_empty() {
        score += 0.05 * (shared.len().min(4) as f32 / 4.0);
    }
    // Shown: Chinese terms, and English ones only as written (a stem such as "accuraci" or a
    // unit such as "cm" explains nothing).
    let lower = src.text.to_lowercase();
    let shown: Vec<String> = shared
        .iter()
        .filter(|s| s.chars().any(crate::analysis::is_cjk) || (s.len() >= 3 && lower.contains(s.as_str())))
        .map(|s| analyzer.to_script(s, lang))
        .collect();
    if !shown.is_empty() {
        reasons.push(reason(
            analyzer,
            lang,
            "shared_terms",
            format!("共同关键词：{}", join(lang, &shown)),
            format!("Shared key terms: {}", join(lang, &shown)),
        ));
    }
    let clusters: Vec<&str> =
        cand.strs("clusters").into_iter().filter(|c| src.clusters.iter().any(|s| s == c)).collect();
    if !clusters.is_empty() {
        score += 0.1;
        let labels: Vec<String> = clusters
            .iter()
            .filter_map(|c| model::lookup(&model::CLUSTERS, c))
            .map(|(_, zh, en)| label(analyzer, zh, en, lang))
            .collect();
        reasons.push(reason(
            analyzer,
            lang,
            "same_cluster",
            format!("同属产业集群：{}", join(lang, &labels)),
            format!("Same cluster: {}", join(lang, &labels)),
        ));
    }
    let fields: Vec<String> =
        cand.strs("fields").into_iter().filter(|f| src_fields.contains(&analyzer.key(f))).map(String::from).collect();
    if !fields.is_empty() {
        score += 0.1;
        let shown: Vec<String> = fields.iter().map(|f| analyzer.to_script(f, lang)).collect();
        reasons.push(reason(
            analyzer,
            lang,
            "shared_fields",
            format!("技术领域重合：{}", join(lang, &shown)),
            format!("Overlapping fields: {}", join(lang, &shown)),
        ));
    }
    if cand.collection == Collection::Listings {
        let modes: Vec<String> = cand
            .strs("cooperation")
            .into_iter()
            .filter(|m| src.cooperation.iter().any(|s| s == m))
            .filter_map(|m| model::lookup(&COOPERATION_LABELS, m))
            .map(|(_, zh, en)| label(analyzer, zh, en, lang))
            .collect();
        if !modes.is_empty() {
            score += 0.05;
            reasons.push(reason(
                analyzer,
                lang,
                "cooperation",
                format!("合作方式一致：{}", join(lang, &modes)),
                format!("Compatible cooperation: {}", join(lang, &modes)),
            ));
        }
        let cand_trl = cand.body.get("trl").and_then(serde_json::Value::as_u64);
        let (supply, demand) = match src.kind.as_deref() {
            Some("demand") => (cand_trl, src.trl),
            _ => (src.trl, cand_trl),
        };
        if let (Some(s), Some(d)) = (supply, demand)
            && s + 1 >= d
        {
            score += 0.05;
            reasons.push(reason(
                analyzer,
                lang,
                "trl",
                format!("技术成熟度匹配：供给方 TRL {s}，需求方 TRL {d}"),
                format!("Readiness fits: offer at TRL {s}, need at TRL {d}"),
            ));
        }
    }
    if let (Some(a), Some(b)) = (src.city.as_deref(), cand.str("city"))
        && is_border(Some(a)) != is_border(Some(b))
    {
        score += 0.05;
        let (la, lb) = (city_label(analyzer, a, lang), city_label(analyzer, b, lang));
        reasons.push(reason(
            analyzer,
            lang,
            "cross_border",
            format!("跨境合作：{la} ↔ {lb}"),
            format!("Cross-border: {la} ↔ {lb}"),
        ));
    }
    Match {
        collection: cand.collection.as_str().into(),
        id: cand.id.clone(),
        name: display_name(analyzer, cand, lang),
        // The text score (best candidate = 1) plus the bonuses can pass 1: the scale is [0, 1].
        score: (score.min(1.0) * 1000.0).round() / 1000.0,
        city: cand.str("city").map(String::from),
        kind: cand.str("kind").map(String::from),
        reasons,
    }
}
