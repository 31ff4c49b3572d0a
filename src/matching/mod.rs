//! Matchmaking that explains itself: for a listing, a free-text need or a roadmap bottleneck,
//! the counterpart listings, entities and talents, each with a score and its reasons.
//!
//! The score of a pair is a function of the two records alone (and of the index's word
//! statistics): the concepts they share (`profile`), weighted by how rare they are, plus what
//! their structured fields share. The same pair therefore gets the same score on a listing's page,
//! on its counterpart's, on the board and in the feeds, whichever side asks and whatever else was
//! found with it. Reasons name the shared concepts in the reader's language and wording.

mod profile;

use std::collections::HashSet;

use crate::analysis::{Analyzer, EnglishText, Lang, is_cjk};
use crate::error::Result;
use crate::index::{self, SearchIndex, display_name, label};
use crate::model::{self, Collection, Record};
use crate::weights::matching as weights;
pub use profile::ProfileCache;
use profile::{Idf, Overlap, Profile, Texts};

/// Shared concepts named in a reason, at most.
const REASON_CONCEPTS: usize = 5;
/// Concepts of the source that go into the query finding candidates.
const QUERY_CONCEPTS: usize = 12;
/// Most experts whose work counts in their organisation's profile ([`Source::of`]).
const STAFF: usize = 20;
/// Most of its own listings (the newest) that count in an organisation's profile.
const OWN_LISTINGS: usize = 10;
/// The owners of this many of the best listing candidates are candidates too: each costs a
/// profile (its record, experts and listings); 5 kept listing matches at 0.906 (10: 0.907, 3:
/// 0.900) and a listing's matches at 100k at 28 ms (10: 49 ms; none: 6 ms).
const OWNER_CANDIDATES: usize = 5;

/// Which side of a pair a record faces, and so which of an organisation's own listings speak for
/// it: facing a need, its offers (what it can do); facing an offer, its needs (what it would
/// take up). A university that offers a harvesting robot is a partner for an orchard's need; a
/// maker that asks for better foam insulation is a taker for a foam offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facing {
    /// The other side is a need: a demand listing or a free-text need.
    Need,
    /// The other side is an offer: a supply listing.
    Offer,
}

impl Facing {
    /// What the record `other` is, as the side faced.
    fn of(other: &Source) -> Facing {
        if other.kind.as_deref() == Some("supply") { Facing::Offer } else { Facing::Need }
    }

    /// The kind of an organisation's own listings that speak for it on this side.
    fn own_kind(self) -> &'static str {
        match self {
            Facing::Need => "supply",
            Facing::Offer => "demand",
        }
    }
}

/// What is being matched.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Names and titles.
    pub title: Vec<String>,
    /// Descriptions and other body text (or the free text).
    pub body: Vec<String>,
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
    /// Its collection.
    pub collection: Option<Collection>,
    /// The owning entity (its own records are not counterparts).
    pub owner: Option<String>,
}

impl Source {
    /// The source of a listing (or any record).
    pub fn from_record(r: &Record) -> Source {
        Source {
            title: index::names(r).into_iter().map(String::from).collect(),
            body: index::body_texts(r),
            kind: r.str("kind").map(String::from),
            clusters: r.strs("clusters").into_iter().map(String::from).collect(),
            fields: r.strs("fields").into_iter().map(String::from).collect(),
            cooperation: r.strs("cooperation").into_iter().map(String::from).collect(),
            trl: r.body.get("trl").and_then(serde_json::Value::as_u64),
            city: r.str("city").map(String::from),
            id: Some(r.id.clone()),
            collection: Some(r.collection),
            owner: r.str("owner").or_else(|| r.str("affiliation")).map(String::from),
        }
    }

    /// The source of record `r` as matching sees it when it `faces` a need or an offer: an
    /// organisation's includes what its experts work on (the texts of its [`STAFF`] most recently
    /// updated talents), since it answers needs through them — a university's own record names its
    /// faculties, its experts the subjects — and its own listings of the kind that speaks for it
    /// on that side ([`Facing`]).
    pub fn of(index: &SearchIndex, r: &Record, faces: Facing) -> Source {
        let mut s = Source::from_record(r);
        if r.collection == Collection::Entities {
            let staff = index.belonging_to(Collection::Talents, &r.id, None, STAFF).unwrap_or_default();
            for t in &staff {
                s.body.extend(t.strs("fields").into_iter().map(String::from));
                s.body.extend(index::body_texts(t));
            }
            for l in &index
                .belonging_to(Collection::Listings, &r.id, Some(faces.own_kind()), OWN_LISTINGS)
                .unwrap_or_default()
            {
                s.body.extend(index::names(l).into_iter().map(String::from));
                s.body.extend(index::body_texts(l));
            }
        }
        s
    }

    /// A free-text need.
    pub fn from_text(text: &str) -> Source {
        Source { body: vec![text.to_string()], ..Source::default() }
    }

    fn texts(&self) -> Texts<'_> {
        Texts {
            title: self.title.iter().map(String::as_str).collect(),
            fields: self.fields.iter().map(String::as_str).collect(),
            body: self.body.iter().map(String::as_str).collect(),
        }
    }
}

/// Why a candidate matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// `shared_terms`, `same_cluster`, `shared_fields`, `cooperation`, `trl` or `cross_border`.
    pub code: String,
    /// The reason in the requested script.
    pub text: String,
}

/// One counterpart.
#[derive(Debug, Clone)]
pub struct Match {
    /// Collection of the counterpart.
    pub collection: String,
    /// Its id.
    pub id: String,
    /// Its name in the requested script.
    pub name: String,
    /// Match score in [0, 1]: the same for the pair wherever it is shown. From 0.6 on a pair is
    /// worth a call.
    pub score: f32,
    /// City code.
    pub city: Option<String>,
    /// Kind (supply/demand for listings, entity kind for entities).
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

/// The label of `code` of `table` in `lang`, in Hong Kong wording for Traditional readers.
fn code_label(analyzer: &Analyzer, table: &[model::Code], code: &str, lang: Lang) -> Option<String> {
    model::code_label(table, code, lang, |zh| analyzer.to_script(zh, Lang::Hant))
}

/// A reason with its text in `lang` (the Chinese text converted for zh-Hant).
fn reason(analyzer: &Analyzer, lang: Lang, code: &str, zh: String, en: String) -> Reason {
    Reason { code: code.into(), text: label(analyzer, &zh, &en, lang) }
}

fn join(lang: Lang, items: &[String]) -> String {
    items.join(if lang == Lang::En { ", " } else { "、" })
}

/// The organisations matching needs to know of, by entity id.
pub trait Organisations {
    /// The city of the organisation `id`, when it is known and has one.
    fn city_of(&self, id: &str) -> Option<String>;
}

/// What matching reads: the index (candidates, word statistics, an organisation's experts),
/// its analyzer, the cache of profiles and the organisations' cities.
pub struct Matcher<'a> {
    /// The index searched for candidates.
    pub index: &'a SearchIndex,
    /// The analysis pipeline of the index.
    pub analyzer: &'a Analyzer,
    /// Profiles of the records already seen on this index generation.
    pub profiles: &'a ProfileCache,
    /// Where a record without a city of its own is (its owner's city).
    pub organisations: &'a dyn Organisations,
}

impl Matcher<'_> {
    /// `city`, else the city of the organisation `owner` (a listing's owner, a talent's
    /// affiliation).
    pub(crate) fn city_or_owners(&self, city: Option<&str>, owner: Option<&str>) -> Option<String> {
        city.map(String::from).or_else(|| owner.and_then(|o| self.organisations.city_of(o)))
    }

    /// The concept profile of record `r` facing a need or an offer (from the cache when it is
    /// there).
    fn profile(&self, idf: &mut Idf, r: &Record, faces: Facing) -> std::sync::Arc<Profile> {
        // Only an organisation's profile depends on what it faces.
        let faces = if r.collection == Collection::Entities { faces } else { Facing::Need };
        self.profiles.get(idf, r, faces, |idf| Profile::of(idf, &Source::of(self.index, r, faces).texts()))
    }
}

/// Finds counterparts of `src` among `targets`, best first.
pub fn find(m: &Matcher, src: &Source, targets: &[Collection], lang: Lang, limit: usize) -> Result<Vec<Match>> {
    let analyzer = m.analyzer;
    let mut idf = Idf::new(analyzer, m.index.term_stats());
    let profile = Profile::of(&mut idf, &src.texts());
    if profile.is_empty() {
        return Ok(Vec::new());
    }
    // The query: the name and fields (what the listing is about) and its weightiest concepts in
    // Chinese and in English, so that records in either language are candidates.
    let mut query: Vec<String> = src.title.first().into_iter().chain(&src.fields).cloned().collect();
    for (c, _) in profile.top(QUERY_CONCEPTS) {
        for l in [Lang::Hans, Lang::En] {
            query.push(analyzer.concept_label(c, &[&c.surface], l));
        }
    }
    let mut candidates: Vec<Record> =
        m.index.top_records(&query.join(" "), targets, limit * 4 + 20)?.into_iter().map(|(_, r)| r).collect();
    if targets.contains(&Collection::Entities) {
        candidates.extend(owners_of_listings(m.index, &candidates, OWNER_CANDIDATES)?);
    }
    let faces = Facing::of(src);
    let mut out = Vec::new();
    for cand in candidates {
        let other = Source::from_record(&cand);
        if !counterparts(src, &other) {
            continue;
        }
        let cand_profile = m.profile(&mut idf, &cand, faces);
        out.push(assess(m, src, &profile, &cand, &other, &cand_profile, lang));
    }
    // Stable: equal scores keep the search's order.
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(limit);
    Ok(out)
}

/// The score and reasons of the pair (`a`, `b`), from `a`'s side, in `lang`: what every surface
/// showing the pair (a listing's matches, the board, the feeds) shows.
pub fn pair(m: &Matcher, a: &Record, b: &Record, lang: Lang) -> Match {
    let mut idf = Idf::new(m.analyzer, m.index.term_stats());
    let (sa, sb) = (Source::from_record(a), Source::from_record(b));
    let pa = m.profile(&mut idf, a, Facing::of(&sb));
    let pb = m.profile(&mut idf, b, Facing::of(&sa));
    assess(m, &sa, &pa, b, &sb, &pb, lang)
}

/// The organisations that own the first `n` listings among the `candidates` and are not
/// candidates already: the organisation behind a fitting offer or need is a partner in its own
/// right, whatever its own record's short description says.
fn owners_of_listings(index: &SearchIndex, candidates: &[Record], n: usize) -> Result<Vec<Record>> {
    let mut seen: HashSet<&str> =
        candidates.iter().filter(|r| r.collection == Collection::Entities).map(|r| r.id.as_str()).collect();
    let mut out = Vec::new();
    let listings = candidates.iter().filter(|r| r.collection == Collection::Listings).take(n);
    for owner in listings.filter_map(|r| r.str("owner")) {
        if seen.insert(owner)
            && let Some(e) = index.get(Collection::Entities, owner)?
        {
            out.push(e);
        }
    }
    Ok(out)
}

/// False when `b` cannot be `a`'s counterpart: itself, its owner's own records, a listing of the
/// same kind.
fn counterparts(a: &Source, b: &Source) -> bool {
    if a.id.is_some() && a.id == b.id && a.collection == b.collection {
        return false;
    }
    if let Some(own) = a.owner.as_deref()
        && (b.owner.as_deref() == Some(own) || b.id.as_deref() == Some(own))
    {
        return false;
    }
    if b.collection == Some(Collection::Listings)
        && let (Some(x), Some(y)) = (a.kind.as_deref(), b.kind.as_deref())
        && x == y
    {
        return false;
    }
    true
}

/// A pair's score as it is built up, with the reason for each part, in the reader's language.
struct Assessment<'a> {
    analyzer: &'a Analyzer,
    lang: Lang,
    score: f32,
    reasons: Vec<Reason>,
}

impl Assessment<'_> {
    /// Adds `weight` with the reason `code`, written `zh` (converted for zh-Hant) or `en`, when
    /// `items` (already named in the reader's language) is not empty.
    fn add(&mut self, weight: f32, code: &str, items: &[String], zh: &str, en: &str) {
        if items.is_empty() {
            return;
        }
        self.score += weight;
        let list = join(self.lang, items);
        self.reasons.push(reason(self.analyzer, self.lang, code, format!("{zh}：{list}"), format!("{en}: {list}")));
    }
}

/// Scores the pair (`a`, `b`) and explains it in `lang`; the score does not depend on which of
/// the two is `a`.
fn assess(matcher: &Matcher, a: &Source, pa: &Profile, cand: &Record, b: &Source, pb: &Profile, lang: Lang) -> Match {
    let analyzer = matcher.analyzer;
    let shared = profile::overlap(pa, pb);
    let substance = (shared.similarity / weights::SIMILARITY_FULL).min(1.0);
    let mut m = Assessment { analyzer, lang, score: weights::TEXT * substance, reasons: Vec::new() };
    let terms = shared_concepts(analyzer, &shared, lang, [a, b]);
    m.add(0.0, "shared_terms", &terms, "共同关键词", "Shared key terms");
    let clusters: Vec<String> = a
        .clusters
        .iter()
        .filter(|c| b.clusters.contains(c))
        .filter_map(|c| code_label(analyzer, &model::CLUSTERS, c, lang))
        .collect();
    m.add(weights::CLUSTER, "same_cluster", &clusters, "同属产业集群", "Same cluster");
    let b_fields: HashSet<String> = b.fields.iter().map(|f| analyzer.key(f)).collect();
    let fields: Vec<String> = a
        .fields
        .iter()
        .filter(|f| b_fields.contains(&analyzer.key(f)))
        .map(|f| field_label(analyzer, f, lang))
        .collect();
    m.add(weights::FIELD, "shared_fields", &fields, "技术领域重合", "Overlapping fields");
    if b.collection == Some(Collection::Listings) {
        let modes: Vec<String> = a
            .cooperation
            .iter()
            .filter(|c| b.cooperation.contains(c))
            .filter_map(|c| code_label(analyzer, &model::COOPERATION, c, lang))
            .collect();
        m.add(weights::COOPERATION * substance, "cooperation", &modes, "合作方式一致", "Compatible cooperation");
    }
    if let Some((s, d)) = readiness(a, b) {
        let fit = [format!("TRL {s} → TRL {d}")];
        m.add(
            weights::READINESS * substance,
            "trl",
            &fit,
            "技术成熟度匹配（供给方 → 需求方）",
            "Readiness fits (offer → need)",
        );
    }
    let city = |s: &Source| matcher.city_or_owners(s.city.as_deref(), s.owner.as_deref());
    let (ca, cb) = (city(a), city(b));
    if let (Some(x), Some(y)) = (ca.as_deref(), cb.as_deref())
        && is_border(Some(x)) != is_border(Some(y))
    {
        let cities = [format!("{} ↔ {}", city_label(analyzer, x, lang), city_label(analyzer, y, lang))];
        m.add(weights::CROSS_BORDER * substance, "cross_border", &cities, "跨境合作", "Cross-border");
    }
    if shared.is_empty() && fields.is_empty() {
        m.score = m.score.min(weights::NO_SUBSTANCE_CAP);
    }
    Match {
        collection: cand.collection.as_str().into(),
        id: cand.id.clone(),
        name: display_name(analyzer, cand, lang),
        score: (m.score.min(1.0) * 1000.0).round() / 1000.0,
        city: cand.str("city").map(String::from),
        kind: cand.str("kind").map(String::from),
        reasons: m.reasons,
    }
}

/// The readiness levels (offer, need) of two listings (or a need and a listing) when the offer
/// is as ready as the need asks, or one level short.
fn readiness(a: &Source, b: &Source) -> Option<(u64, u64)> {
    let listings = a.collection == Some(Collection::Listings) && b.collection == Some(Collection::Listings);
    if !(listings || a.collection.is_none()) {
        return None;
    }
    let (supply, demand) = match (a.kind.as_deref(), b.kind.as_deref()) {
        (Some("demand"), _) | (_, Some("supply")) => (b.trl, a.trl),
        _ => (a.trl, b.trl),
    };
    let (s, d) = (supply?, demand?);
    (s + 1 >= d).then_some((s, d))
}

/// A technology-field tag named in `lang`: a tag that is one concept of the vocabulary in the
/// reader's words (芯片 → 晶片 for Hong Kong, "chip" in English), any other in the reader's script.
fn field_label(analyzer: &Analyzer, field: &str, lang: Lang) -> String {
    match &analyzer.concepts(field)[..] {
        [c] if c.set.is_some() => analyzer.concept_label(c, &[field], lang),
        _ => analyzer.to_script(field, lang),
    }
}

/// The shared concepts that carry most, named in `lang`, each name once. Common words of the
/// language (时间, 降低, keeping: [`Analyzer::is_common_concept`]) count in the score at a lower
/// weight but are not named: a person would not give them as the reason two texts meet. An
/// English reader is shown a Chinese-only concept as the English texts of the pair (`sources`)
/// write it.
fn shared_concepts(analyzer: &Analyzer, shared: &Overlap<'_>, lang: Lang, sources: [&Source; 2]) -> Vec<String> {
    // Split into words only if an English reader meets a Chinese-only concept.
    let english = std::cell::OnceCell::new();
    let english = || {
        english.get_or_init(|| {
            let texts = sources.iter().flat_map(|s| s.title.iter().chain(&s.fields).chain(&s.body));
            texts.filter(|t| !t.chars().any(is_cjk)).map(|t| EnglishText::from(t.as_str())).collect::<Vec<_>>()
        })
    };
    let mut out: Vec<String> = Vec::new();
    for (ca, cb, _) in shared.for_reader(lang == Lang::En) {
        if analyzer.is_common_concept(ca) {
            continue;
        }
        let hong_kong = [ca, cb].into_iter().find(|c| c.traditional && c.is_chinese()).map(|c| c.surface.as_str());
        let mut name = analyzer.concept_label_with(ca, &[&ca.surface, &cb.surface], hong_kong, lang);
        // An English reader is shown a Chinese concept as the pair's English texts write it
        // (and not at all when that is a common English word).
        if lang == Lang::En
            && name.chars().any(is_cjk)
            && let Some(en) = analyzer.english_in(&ca.key, english())
        {
            if analyzer.concepts(&en).iter().any(|c| analyzer.is_common_concept(c)) {
                continue;
            }
            name = en;
        }
        if !name.trim().is_empty() && !out.contains(&name) {
            out.push(name);
        }
        if out.len() == REASON_CONCEPTS {
            break;
        }
    }
    out
}
