//! `GET /api/search` and `GET /api/suggest`.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody, ErrorCode};
use super::params::{ApiQuery, codes, list, number};
use super::views::Suggestion;
use super::views::search::{SearchResponse, render};
use super::{AppState, read};
use crate::analysis::Lang;
use crate::index::{SearchRequest, Sort};
use crate::model::{self, Collection};

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Parameters of `/api/search`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Query text in Simplified Chinese, Traditional Chinese or English (any mix); empty browses.
    q: Option<String>,
    /// Comma list of collections: entities, talents, listings, roadmaps, industries (default all).
    collections: Option<String>,
    /// Comma list of city codes (any matches).
    city: Option<String>,
    /// Comma list of cluster codes (any matches).
    cluster: Option<String>,
    /// Comma list of kinds (entity kinds, or supply/demand).
    kind: Option<String>,
    /// 1-based page number.
    page: Option<String>,
    /// Hits per page, 1–100 (default 10).
    per_page: Option<String>,
    /// `relevance` (default) or `newest`.
    sort: Option<String>,
    /// Script of returned text: `zh-Hans`, `zh-Hant` or `en` (default: the query's script).
    lang: Option<String>,
    /// `all` includes closed, withdrawn and expired listings (default `open`).
    status: Option<String>,
    /// An entity id: only its talents (`affiliation`) and its listings (`owner`).
    related_to: Option<String>,
}

/// Parses `lang`.
pub fn parse_lang(value: Option<&str>) -> Result<Option<Lang>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Lang::parse(v)
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter(format!("`lang` {v:?} - Hint: use zh-Hans, zh-Hant or en"))),
    }
}

/// Checks the query text.
pub fn parse_q(q: Option<&str>) -> Result<String, ApiError> {
    let q = q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            ErrorCode::QueryTooLong,
            format!("`q` is longer than {MAX_QUERY_CHARS} characters - Hint: describe the need in fewer words"),
        ));
    }
    Ok(q.chars().filter(|c| !c.is_control() || c.is_whitespace()).collect())
}

impl SearchParams {
    fn into_request(self) -> Result<SearchRequest, ApiError> {
        let collections =
            list(self.collections.as_deref())
                .into_iter()
                .map(|c| {
                    Collection::parse(c).ok_or_else(|| {
                    ApiError::new(ErrorCode::UnknownCollection, format!(
                            "unknown collection {c:?} - Hint: use entities, talents, listings, roadmaps or industries"
                        ),
                    )
                })
                })
                .collect::<Result<Vec<_>, _>>()?;
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("newest") => Sort::Newest,
            Some(other) => {
                return Err(ApiError::invalid_parameter(format!("`sort` {other:?} - Hint: use relevance or newest")));
            }
        };
        let include_inactive = match self.status.as_deref().map(str::trim) {
            None | Some("") | Some("open") => false,
            Some("all") => true,
            Some(other) => {
                return Err(ApiError::invalid_parameter(format!("`status` {other:?} - Hint: use open or all")));
            }
        };
        Ok(SearchRequest {
            q: parse_q(self.q.as_deref())?,
            collections,
            cities: codes("city", self.city.as_deref(), &model::CITIES)?,
            clusters: codes("cluster", self.cluster.as_deref(), &model::CLUSTERS)?,
            kinds: codes("kind", self.kind.as_deref(), &model::KINDS)?,
            page: number("page", self.page.as_deref(), 1, 1_000_000_000)?,
            per_page: number("per_page", self.per_page.as_deref(), 10, crate::index::MAX_PER_PAGE)?,
            sort,
            lang: parse_lang(self.lang.as_deref())?,
            include_inactive,
            related_to: self.related_to.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        })
    }
}

/// Search every collection.
#[utoipa::path(get, path = "/api/search", operation_id = "searchRecords", params(SearchParams), tag = "search",
    responses(
        (status = 200, description = "Ranked hits with highlighted snippets and facet counts", body = SearchResponse),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let req = params.into_request()?;
    let engine = state.engine.clone();
    let answers = state.answers.clone();
    let answer = read(&state, move || {
        let started = std::time::Instant::now();
        let index = engine.index();
        let (answer, cached) =
            index.answer(&answers, format!("{req:?}"), || Ok(render(index.analyzer(), &index.search(&req)?)))?;
        let mut answer = SearchResponse::clone(&answer);
        if cached {
            answer.took_ms = crate::index::millis(started);
        }
        Ok(answer)
    })
    .await?;
    Ok(Json(answer))
}

/// Parameters of `/api/suggest`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestParams {
    /// The prefix typed so far, any script (港科, hku, 南科 …).
    q: Option<String>,
    /// Script of the returned names (default: the prefix's script).
    lang: Option<String>,
    /// Number of completions, 1–20 (default 8).
    limit: Option<String>,
}

/// Prefix completions of names and aliases.
#[utoipa::path(get, path = "/api/suggest", operation_id = "suggest", params(SuggestParams), tag = "search",
    responses(
        (status = 200, description = "Completions, best first", body = [Suggestion]),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn suggest(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SuggestParams>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let q = parse_q(p.q.as_deref())?;
    let lang = parse_lang(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 8, 20)?;
    let engine = state.engine.clone();
    let found = read(&state, move || engine.index().suggest(&q, lang, limit)).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search)).routes(routes!(suggest))
}
