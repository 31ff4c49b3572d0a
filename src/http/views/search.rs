//! A search answer as JSON: hits with names, snippets and labels in the reader's script.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::Lang;
use crate::analysis::{Analyzer, Lang as Script};
use crate::index::{self, FacetCounts, Found, Marker, SearchResults, display_name, snippet_of};
use crate::model::{self, Collection, Record};

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    /// Collection of the record.
    pub collection: String,
    /// Record id.
    pub id: String,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// Name or title in the requested script.
    pub name: String,
    /// English name, when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Excerpt with matches wrapped in `<mark>…</mark>`; all other markup escaped.
    pub snippet: String,
    /// City code.
    pub city: Option<String>,
    /// Cluster codes.
    pub clusters: Vec<String>,
    /// Kind (entities and listings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Last update (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Listing status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the owner last confirmed a listing is still current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_confirmed_at: Option<String>,
}

/// Counts per code, per facet dimension.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

/// Whether a count is exact or a lower bound (as Elasticsearch's `track_total_hits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TotalRelation {
    /// The count is exact.
    Eq,
    /// The count is a lower bound.
    Gte,
}

/// Which records a text query matched; a search answer says it as `matching`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Matching {
    /// Records with any word of the query (or an equivalent).
    #[serde(rename = "any_word")]
    Any,
    /// Records with a word that is rare in the index; the common words only rank them.
    #[serde(rename = "rare_word")]
    Rare,
    /// Records with each word of the query, all of them common in the index.
    #[serde(rename = "every_word")]
    Every,
}

/// A search answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Number of matching records.
    pub total: usize,
    /// Whether `total` (and the facet counts) are exact (`eq`) or a lower bound (`gte`).
    pub total_relation: TotalRelation,
    /// Time spent in the engine, milliseconds.
    pub took_ms: f64,
    /// The page returned.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Script of the returned text.
    pub lang: Lang,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// Counts by `collection`, `city`, `cluster` and `kind` over all matching records.
    #[schema(value_type = Object)]
    pub facets: Facets,
    /// Display labels of the facet codes, in the returned script.
    #[schema(value_type = Object)]
    pub facet_labels: FacetLabels,
    /// Which records matched the query `q` (absent without one): with any of its words, with a
    /// word that is rare in the index (its common words only rank), or with each word (all are
    /// common). The last two apply only in large indexes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub matching: Option<Matching>,
}

/// Labels per code, per facet dimension.
pub type FacetLabels = BTreeMap<String, BTreeMap<String, String>>;

impl From<index::TotalRelation> for TotalRelation {
    fn from(r: index::TotalRelation) -> Self {
        match r {
            index::TotalRelation::Eq => TotalRelation::Eq,
            index::TotalRelation::Gte => TotalRelation::Gte,
        }
    }
}

impl From<index::Matching> for Matching {
    fn from(m: index::Matching) -> Self {
        match m {
            index::Matching::Any => Matching::Any,
            index::Matching::Rare => Matching::Rare,
            index::Matching::Every => Matching::Every,
        }
    }
}

/// The answer to a search as the API shows it: each hit's name and snippet in the reader's
/// script (`results.lang`), the facet counts with their labels.
pub fn render(analyzer: &Analyzer, results: &SearchResults) -> SearchResponse {
    let lang = results.lang;
    let marker = Marker::new(analyzer, &results.marks.terms, &results.marks.bigrams);
    let hits = results.hits.iter().map(|found| hit(analyzer, found, lang, &marker)).collect();
    let (facets, facet_labels) = facets(analyzer, &results.counts, lang);
    SearchResponse {
        total: results.total,
        total_relation: results.total_relation.into(),
        took_ms: results.took_ms,
        page: results.page,
        per_page: results.per_page,
        lang: lang.into(),
        hits,
        facets,
        facet_labels,
        matching: results.matching.map(Into::into),
    }
}

fn hit(analyzer: &Analyzer, found: &Found, lang: Script, marker: &Marker) -> Hit {
    let record: &Record = &found.record;
    let opt = |k: &str| record.str(k).map(String::from);
    Hit {
        collection: record.collection.as_str().to_string(),
        id: record.id.clone(),
        score: found.score,
        name: display_name(analyzer, record, lang),
        name_en: opt("name_en"),
        snippet: snippet_of(analyzer, record, lang, marker),
        city: opt("city"),
        clusters: record.strs("clusters").into_iter().map(String::from).collect(),
        kind: opt("kind"),
        updated_at: opt("updated_at"),
        status: if record.collection == Collection::Listings {
            Some(opt("status").unwrap_or_else(|| "open".into()))
        } else {
            None
        },
        last_confirmed_at: opt("last_confirmed_at"),
    }
}

/// The facet counts by dimension and code, and each code's label in `lang`.
fn facets(analyzer: &Analyzer, counts: &FacetCounts, lang: Script) -> (Facets, FacetLabels) {
    let mut facets = Facets::new();
    let mut labels = FacetLabels::new();
    let mut put = |dim: &str, entries: Vec<(&'static str, u64)>, lab: &dyn Fn(&str) -> (String, String)| {
        let c = facets.entry(dim.to_string()).or_default();
        let l = labels.entry(dim.to_string()).or_default();
        for (code, n) in entries {
            c.insert(code.to_string(), n);
            let (zh, en) = lab(code);
            let text = model::localized_label(code, &zh, &en, lang, |z| analyzer.to_script(z, Script::Hant));
            l.insert(code.to_string(), text);
        }
    };
    let table_label = |table: &'static [model::Code]| {
        move |code: &str| {
            model::lookup(table, code)
                .map_or((code.to_string(), code.to_string()), |(_, zh, en)| (zh.to_string(), en.to_string()))
        }
    };
    put("collection", counts.collections(), &|code: &str| {
        Collection::parse(code).map_or((code.into(), code.into()), |c| (c.labels().0.into(), c.labels().1.into()))
    });
    put(
        "city",
        FacetCounts::nonzero(&counts.city, |i| model::code_at(&model::CITIES, i as u64)),
        &table_label(&model::CITIES),
    );
    put(
        "cluster",
        FacetCounts::nonzero(&counts.cluster, |i| model::code_at(&model::CLUSTERS, i as u64)),
        &table_label(&model::CLUSTERS),
    );
    put(
        "kind",
        FacetCounts::nonzero(&counts.kind, |i| model::code_at(&model::KINDS, i as u64)),
        &table_label(&model::KINDS),
    );
    (facets, labels)
}
