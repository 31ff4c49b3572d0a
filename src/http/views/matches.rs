//! Counterparts with their scores and reasons, and the supply ↔ demand board, as JSON.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{board, matching};

/// Why a candidate matches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    /// `shared_terms`, `same_cluster`, `shared_fields`, `cooperation`, `trl` or `cross_border`.
    pub code: String,
    /// The reason in the requested script.
    pub text: String,
}

impl From<matching::Reason> for Reason {
    fn from(v: matching::Reason) -> Self {
        Reason { code: v.code, text: v.text }
    }
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
    /// Match score in [0, 1]: the same for the pair wherever it is shown. From 0.6 on a pair is
    /// worth a call.
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

impl From<matching::Match> for Match {
    fn from(v: matching::Match) -> Self {
        Match {
            collection: v.collection,
            id: v.id,
            name: v.name,
            score: v.score,
            city: v.city,
            kind: v.kind,
            reasons: v.reasons.into_iter().map(Into::into).collect(),
        }
    }
}

/// One side of a pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardSide {
    /// Listing id.
    pub id: String,
    /// Title in the requested script.
    pub name: String,
    /// `supply` or `demand`.
    pub kind: String,
    /// City code (the listing's, else its owner's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Cluster codes.
    pub clusters: Vec<String>,
    /// Owner entity id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Owner's name in the requested script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
}

impl From<board::BoardSide> for BoardSide {
    fn from(v: board::BoardSide) -> Self {
        BoardSide {
            id: v.id,
            name: v.name,
            kind: v.kind,
            city: v.city,
            clusters: v.clusters,
            owner: v.owner,
            owner_name: v.owner_name,
        }
    }
}

/// A supply ↔ demand pair on the board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardPair {
    /// The offer.
    pub supply: BoardSide,
    /// The need.
    pub demand: BoardSide,
    /// Match score in [0, 1].
    pub score: f32,
    /// Why they match, in the requested script.
    pub reasons: Vec<Reason>,
    /// One side in Hong Kong or Macau and the other in Guangdong.
    pub cross_border: bool,
    /// When the pair first appeared (RFC 3339).
    pub first_seen: String,
    /// When it was last recomputed.
    pub updated_at: String,
}

impl From<board::BoardPair> for BoardPair {
    fn from(v: board::BoardPair) -> Self {
        BoardPair {
            supply: v.supply.into(),
            demand: v.demand.into(),
            score: v.score,
            reasons: v.reasons.into_iter().map(Into::into).collect(),
            cross_border: v.cross_border,
            first_seen: v.first_seen,
            updated_at: v.updated_at,
        }
    }
}

/// A page of the board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardPage {
    /// Pairs passing the filter.
    pub total: usize,
    /// 1-based page.
    pub page: usize,
    /// Pairs per page.
    pub per_page: usize,
    /// Newest first.
    pub pairs: Vec<BoardPair>,
    /// Listings whose pairs are still being recomputed (0 when the board is up to date).
    pub pending: usize,
}

impl From<board::BoardPage> for BoardPage {
    fn from(v: board::BoardPage) -> Self {
        BoardPage {
            total: v.total,
            page: v.page,
            per_page: v.per_page,
            pairs: v.pairs.into_iter().map(Into::into).collect(),
            pending: v.pending,
        }
    }
}
