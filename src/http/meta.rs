//! `GET /api/health` and `GET /api/stats`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiError;
use super::views::Stats;
use super::{AppState, blocking};

/// The answer of `/api/health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the service answers.
    pub status: String,
    /// Documents in the index per collection (all statuses).
    pub documents: BTreeMap<String, u64>,
    /// Version of the binary.
    pub version: String,
    /// The analysis vocabulary in force, per table: built into the binary, and what the data
    /// directory's `vocab/` overlay added, replaced or removed.
    pub vocabulary: BTreeMap<String, VocabTable>,
    /// Chinese ↔ English term pairs learned from the records' bilingual texts at start-up.
    pub learned_pairs: usize,
    /// CC-CEDICT senses the records' bilingual texts confirm (term pairs, like the learned ones).
    pub dictionary_pairs: usize,
}

/// One vocabulary table in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct VocabTable {
    /// Entries in force.
    pub entries: usize,
    /// Entries built into the binary.
    pub builtin: usize,
    /// Entries the data directory's overlay added.
    pub added: usize,
    /// Built-in entries the overlay replaced.
    pub replaced: usize,
    /// Built-in entries the overlay removed.
    pub removed: usize,
}

/// Liveness and document counts.
#[utoipa::path(get, path = "/api/health", operation_id = "getHealth", tag = "meta", responses((status = 200, description = "Service is up; document counts and the vocabulary in force", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let engine = state.engine.clone();
    let counts = blocking(move || engine.index().counts()).await?;
    let mut documents: BTreeMap<String, u64> =
        crate::model::Collection::ALL.iter().map(|c| (c.as_str().to_string(), 0)).collect();
    for (c, n) in counts.collections() {
        documents.insert(c.to_string(), n);
    }
    let vocabulary = state
        .engine
        .vocab_tables()
        .iter()
        .map(|t| {
            let table = VocabTable {
                entries: t.entries,
                builtin: t.builtin,
                added: t.added,
                replaced: t.replaced,
                removed: t.removed,
            };
            (t.name.to_string(), table)
        })
        .collect();
    let learned_pairs = state.engine.analyzer().learned().len();
    let dictionary_pairs = state.engine.analyzer().dictionary_pairs().len();
    let version = env!("CARGO_PKG_VERSION").into();
    Ok(Json(Health { status: "ok".into(), documents, version, vocabulary, learned_pairs, dictionary_pairs }))
}

/// Counts of the records shown by default search, by collection × city × cluster.
#[utoipa::path(get, path = "/api/stats", operation_id = "getStats", tag = "meta", responses((status = 200, description = "Counts by collection, city and cluster", body = Stats)))]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    let engine = state.engine.clone();
    Ok(Json(blocking(move || engine.index().stats()).await?.into()))
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(stats))
}
