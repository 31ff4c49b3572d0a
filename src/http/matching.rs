//! Match endpoints: counterparts of a listing, of a free-text need, of a roadmap's bottlenecks,
//! and the open needs that fit an expert or an organisation.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::params::{ApiQuery, number};
use super::search::{parse_lang, parse_q};
use super::views::matches::Match;
use super::{AppState, blocking};
use crate::analysis::Lang;
use crate::error::Error;
use crate::index::detect_lang;
use crate::matching::{self, Facing, Source};
use crate::model::Collection;

/// Parameters of the match endpoints.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatchParams {
    /// Script of names and reasons: `zh-Hans`, `zh-Hant` or `en`.
    lang: Option<String>,
    /// Number of matches, 1–50 (default 10).
    limit: Option<String>,
}

/// Counterparts of a listing or a need.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponse {
    /// What was matched: a listing id, or `text`.
    pub source: String,
    /// Counterpart listings, entities and talents, best first.
    pub matches: Vec<Match>,
}

/// Counterpart listings (supply ↔ demand), entities and talents of a listing, with reasons.
#[utoipa::path(get, path = "/api/listings/{id}/matches", operation_id = "getListingMatches", tag = "matching",
    params(("id" = String, Path, description = "listing id"), MatchParams),
    responses(
        (status = 200, description = "Counterparts of the listing, best first, each with score and reasons", body = MatchResponse),
        (status = 404, description = "No such listing", body = ErrorBody),
    ))]
pub async fn listing_matches(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<MatchParams>,
) -> Result<Json<MatchResponse>, ApiError> {
    let lang = parse_lang(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 10, 50)?;
    let engine = state.engine.clone();
    let matches = blocking(move || {
        let (record, _) = engine.listing_for(None, &id)?;
        let lang = lang.unwrap_or_else(|| reader_lang(engine.analyzer(), record.name()));
        let targets = [Collection::Listings, Collection::Entities, Collection::Talents];
        matching::find(&engine.matcher(), &Source::from_record(&record), &targets, lang, limit).map(|m| (record.id, m))
    })
    .await?;
    Ok(Json(MatchResponse { source: matches.0, matches: shown(matches.1) }))
}

/// The open needs (demand listings) that fit the talent or entity `collection`/`id`, best first:
/// what a page about an expert or an organisation leads to. The record's own organisation's
/// listings are left out.
async fn needs_for(
    state: AppState,
    collection: Collection,
    id: String,
    p: MatchParams,
) -> Result<Json<MatchResponse>, ApiError> {
    let lang = parse_lang(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 10, 50)?;
    let engine = state.engine.clone();
    let matches = blocking(move || {
        let record = engine
            .index()
            .get(collection, &id)?
            .ok_or_else(|| Error::NotFound { collection: collection.as_str().into(), id: id.clone() })?;
        let lang = lang.unwrap_or_else(|| reader_lang(engine.analyzer(), record.name()));
        let mut src = Source::of(engine.index(), &record, Facing::Need);
        // What an expert or an organisation offers meets needs: demand listings only.
        src.kind = Some("supply".into());
        if collection == Collection::Entities {
            src.owner = Some(record.id.clone());
        }
        matching::find(&engine.matcher(), &src, &[Collection::Listings], lang, limit).map(|m| (record.id, m))
    })
    .await?;
    Ok(Json(MatchResponse { source: matches.0, matches: shown(matches.1) }))
}

/// Open needs that fit an expert.
#[utoipa::path(get, path = "/api/talents/{id}/matches", operation_id = "getTalentMatches", tag = "matching",
    params(("id" = String, Path, description = "talent id"), MatchParams),
    responses(
        (status = 200, description = "Demand listings the expert could answer, best first, each with score and reasons", body = MatchResponse),
        (status = 404, description = "No such talent", body = ErrorBody),
    ))]
pub async fn talent_matches(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<MatchParams>,
) -> Result<Json<MatchResponse>, ApiError> {
    needs_for(state, Collection::Talents, id, p).await
}

/// Open needs that fit an organisation.
#[utoipa::path(get, path = "/api/entities/{id}/matches", operation_id = "getEntityMatches", tag = "matching",
    params(("id" = String, Path, description = "entity id"), MatchParams),
    responses(
        (status = 200, description = "Demand listings of other organisations the organisation could answer, best first, each with score and reasons", body = MatchResponse),
        (status = 404, description = "No such entity", body = ErrorBody),
    ))]
pub async fn entity_matches(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<MatchParams>,
) -> Result<Json<MatchResponse>, ApiError> {
    needs_for(state, Collection::Entities, id, p).await
}

/// Parameters of `/api/match`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TextMatchParams {
    /// The need, in any script (我们想找做锂电池热管理的高校团队).
    text: Option<String>,
    /// What the text is: `demand` (a need: offers, and organisations by their offers, answer
    /// it) or `supply` (an offer: needs, and organisations by their needs, take it up). Default:
    /// either, listings of both kinds.
    kind: Option<String>,
    /// Script of names and reasons.
    lang: Option<String>,
    /// Number of matches, 1–50 (default 10).
    limit: Option<String>,
}

/// Counterparts of a free-text need, without posting it.
#[utoipa::path(get, path = "/api/match", operation_id = "matchText", tag = "matching", params(TextMatchParams),
    responses(
        (status = 200, description = "Counterparts of the need, best first, each with score and reasons", body = MatchResponse),
        (status = 400, description = "Missing or over-long text", body = ErrorBody),
    ))]
pub async fn text_matches(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<TextMatchParams>,
) -> Result<Json<MatchResponse>, ApiError> {
    let text = parse_q(p.text.as_deref())?;
    if text.trim().is_empty() {
        return Err(ApiError::invalid_parameter("`text` is required: describe the need"));
    }
    let kind = match p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k @ ("supply" | "demand")) => Some(k.to_string()),
        Some(k) => {
            return Err(ApiError::invalid_parameter(format!(
                "`kind` {k:?} - Hint: use supply (the text is an offer) or demand (a need)"
            )));
        }
    };
    let lang = parse_lang(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 10, 50)?;
    let engine = state.engine.clone();
    let matches = blocking(move || {
        let lang = lang.unwrap_or_else(|| reader_lang(engine.analyzer(), &text));
        let targets = [Collection::Listings, Collection::Entities, Collection::Talents];
        let source = Source { kind, ..Source::from_text(&text) };
        matching::find(&engine.matcher(), &source, &targets, lang, limit)
    })
    .await?;
    Ok(Json(MatchResponse { source: "text".into(), matches: shown(matches) }))
}

/// Who could solve one bottleneck.
#[derive(Debug, Serialize, ToSchema)]
pub struct BottleneckMatches {
    /// The bottleneck (卡脖子 item) in the requested script.
    pub bottleneck: String,
    /// Entities, talents and supply listings, best first.
    pub matches: Vec<Match>,
}

/// Answer of `/api/roadmaps/{id}/matches`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoadmapMatches {
    /// The roadmap id.
    pub roadmap: String,
    /// One entry per bottleneck.
    pub bottlenecks: Vec<BottleneckMatches>,
}

/// For each bottleneck of a roadmap, who could solve it.
#[utoipa::path(get, path = "/api/roadmaps/{id}/matches", operation_id = "getRoadmapMatches", tag = "matching",
    params(("id" = String, Path, description = "roadmap id"), MatchParams),
    responses(
        (status = 200, description = "Who could solve each bottleneck of the roadmap", body = RoadmapMatches),
        (status = 404, description = "No such roadmap", body = ErrorBody),
    ))]
pub async fn roadmap_matches(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<MatchParams>,
) -> Result<Json<RoadmapMatches>, ApiError> {
    let lang = parse_lang(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 5, 50)?;
    let engine = state.engine.clone();
    let out = blocking(move || {
        let record = engine
            .index()
            .get(Collection::Roadmaps, &id)?
            .ok_or_else(|| Error::NotFound { collection: "roadmaps".into(), id: id.clone() })?;
        let lang = lang.unwrap_or(Lang::Original);
        let targets = [Collection::Entities, Collection::Talents, Collection::Listings];
        let mut bottlenecks = Vec::new();
        for b in record.strs("bottlenecks") {
            let mut src = Source::from_text(b);
            src.clusters = record.strs("clusters").into_iter().map(String::from).collect();
            src.kind = Some("demand".into());
            src.city = record.str("city").map(String::from);
            let matches = matching::find(&engine.matcher(), &src, &targets, lang, limit)?;
            bottlenecks
                .push(BottleneckMatches { bottleneck: engine.analyzer().to_script(b, lang), matches: shown(matches) });
        }
        Ok(RoadmapMatches { roadmap: record.id, bottlenecks })
    })
    .await?;
    Ok(Json(out))
}

/// Matches as the API shows them.
fn shown(matches: Vec<matching::Match>) -> Vec<Match> {
    matches.into_iter().map(Into::into).collect()
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(listing_matches))
        .routes(routes!(text_matches))
        .routes(routes!(roadmap_matches))
        .routes(routes!(talent_matches))
        .routes(routes!(entity_matches))
}

/// The language a match's reasons are written in when the request names none: the script of the
/// text or the record's name, and English for one written without Chinese characters (whose
/// reader reads English, where a search would answer in the records' own scripts).
fn reader_lang(analyzer: &crate::analysis::Analyzer, text: &str) -> Lang {
    match detect_lang(analyzer, text) {
        Lang::Original => Lang::En,
        other => other,
    }
}
