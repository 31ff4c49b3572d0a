//! The JSON shapes of the API and their conversion from the engine's plain results: the only
//! place (with the handlers) that knows about serde for the API and OpenAPI schemas.

pub mod matches;
pub mod search;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::{analysis, error, index, listings, saved};

/// The script a caller asked for with `lang=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
pub enum Lang {
    /// Text as stored.
    #[default]
    #[serde(rename = "original")]
    Original,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans")]
    Hans,
    /// Traditional Chinese, Hong Kong standard.
    #[serde(rename = "zh-Hant")]
    Hant,
    /// English where an English field exists.
    #[serde(rename = "en")]
    En,
}

impl From<analysis::Lang> for Lang {
    fn from(l: analysis::Lang) -> Self {
        match l {
            analysis::Lang::Original => Lang::Original,
            analysis::Lang::Hans => Lang::Hans,
            analysis::Lang::Hant => Lang::Hant,
            analysis::Lang::En => Lang::En,
        }
    }
}

/// One invalid field of a submitted record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl From<error::FieldError> for FieldError {
    fn from(v: error::FieldError) -> Self {
        FieldError { field: v.field, message: v.message }
    }
}

/// One completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    /// The record's name in the requested script.
    pub text: String,
    /// Collection of the record.
    pub collection: String,
    /// Record id.
    pub id: String,
    /// The alias or other name that matched, when it is not the name shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

impl From<index::Suggestion> for Suggestion {
    fn from(v: index::Suggestion) -> Self {
        Suggestion { text: v.text, collection: v.collection, id: v.id, matched: v.matched }
    }
}

/// Counts for one city of one collection.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CityStats {
    /// Records of the city.
    pub total: u64,
    /// Per cluster code (`none` for records without a cluster; a record counts in each of its clusters).
    pub clusters: BTreeMap<String, u64>,
}

impl From<index::CityStats> for CityStats {
    fn from(v: index::CityStats) -> Self {
        CityStats { total: v.total, clusters: v.clusters }
    }
}

/// Counts for one collection.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CollectionStats {
    /// Records in the collection.
    pub total: u64,
    /// Per city code (`none` for records without a city): total and per-cluster counts.
    pub cities: BTreeMap<String, CityStats>,
}

impl From<index::CollectionStats> for CollectionStats {
    fn from(v: index::CollectionStats) -> Self {
        CollectionStats { total: v.total, cities: v.cities.into_iter().map(|(k, c)| (k, c.into())).collect() }
    }
}

/// The answer of `/api/stats`.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Stats {
    /// All records shown by default search.
    pub total: u64,
    /// Per collection.
    pub collections: BTreeMap<String, CollectionStats>,
}

impl From<index::Stats> for Stats {
    fn from(v: index::Stats) -> Self {
        Stats { total: v.total, collections: v.collections.into_iter().map(|(k, c)| (k, c.into())).collect() }
    }
}

/// One expression of interest.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Interest {
    /// Id of this expression of interest.
    pub id: String,
    /// The listing it is about (an expression of interest in a listing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<String>,
    /// The collection of the record it is about (`entities` or `talents`: interest in an
    /// organisation or an expert).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// The id of that record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The organisation it was addressed to when it was sent (interest in a record: the
    /// organisation itself, or the expert's affiliation); only it and moderators read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Entity id of the interested organisation (from its token).
    pub from: String,
    /// Name of the interested organisation, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The message.
    pub message: String,
    /// How to reach the interested party (shared with the owner only, through this record).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub contact: Option<Value>,
    /// When it was sent (RFC 3339).
    pub created_at: String,
}

impl From<listings::Interest> for Interest {
    fn from(v: listings::Interest) -> Self {
        Interest {
            id: v.id,
            listing: v.listing,
            collection: v.collection,
            record: v.record,
            to: v.to,
            from: v.from,
            from_name: v.from_name,
            message: v.message,
            contact: v.contact,
            created_at: v.created_at,
        }
    }
}

/// What a saved search follows: a query with filters, or one listing's board pairs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SavedQuery {
    /// Query text (empty: every record passing the filters).
    #[serde(default)]
    pub q: String,
    /// Collections (empty: all).
    #[serde(default)]
    pub collections: Vec<String>,
    /// City codes.
    #[serde(default)]
    pub city: Vec<String>,
    /// Cluster codes.
    #[serde(default)]
    pub cluster: Vec<String>,
    /// Kinds.
    #[serde(default)]
    pub kind: Vec<String>,
    /// A listing id: follow its matches on the board instead of a query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<String>,
}

impl From<saved::SavedQuery> for SavedQuery {
    fn from(v: saved::SavedQuery) -> Self {
        SavedQuery {
            q: v.q,
            collections: v.collections,
            city: v.city,
            cluster: v.cluster,
            kind: v.kind,
            listing: v.listing,
        }
    }
}

impl From<SavedQuery> for saved::SavedQuery {
    fn from(v: SavedQuery) -> Self {
        saved::SavedQuery {
            q: v.q,
            collections: v.collections,
            city: v.city,
            cluster: v.cluster,
            kind: v.kind,
            listing: v.listing,
        }
    }
}

/// One webhook delivery (after its retries).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delivery {
    /// Delivery id (also sent as `X-GBA-Delivery`).
    pub id: String,
    /// When the last attempt ended (RFC 3339).
    pub at: String,
    /// `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last attempt, when there was an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// What went wrong, for a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Items in the delivery.
    pub items: usize,
}

impl From<saved::Delivery> for Delivery {
    fn from(v: saved::Delivery) -> Self {
        Delivery {
            id: v.id,
            at: v.at,
            status: v.status,
            attempts: v.attempts,
            http_status: v.http_status,
            error: v.error,
            items: v.items,
        }
    }
}
