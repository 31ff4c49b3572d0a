//! `GET /api/board`: the matchmaking board of supply ↔ demand pairs.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::params::{ApiQuery, codes, list, number};
use super::search::parse_lang;
use super::views::matches::BoardPage;
use super::{AppState, blocking};
use crate::analysis::Lang;
use crate::board::BoardFilter;
use crate::model;

/// Parameters of the board (and of its Atom feed).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardParams {
    /// Comma list of city codes: either side in one of them.
    pub city: Option<String>,
    /// Comma list of cluster codes: either side in one of them.
    pub cluster: Option<String>,
    /// `true`: only Hong Kong / Macau ↔ Guangdong pairs.
    pub cross_border: Option<String>,
    /// Only the pairs of this listing.
    pub listing: Option<String>,
    /// 1-based page.
    pub page: Option<String>,
    /// Pairs per page, 1–100 (default 20).
    pub per_page: Option<String>,
    /// Script of names and reasons: `zh-Hans`, `zh-Hant` or `en`.
    pub lang: Option<String>,
}

impl BoardParams {
    /// The filter these parameters describe.
    pub fn filter(&self) -> Result<BoardFilter, ApiError> {
        let check = |param, value: &Option<String>, table| -> Result<Vec<String>, ApiError> {
            codes(param, value.as_deref(), table)?;
            Ok(list(value.as_deref()).into_iter().map(String::from).collect())
        };
        let cross_border = match self.cross_border.as_deref().map(str::trim) {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(ApiError::invalid_parameter(format!("`cross_border` {other:?} - Hint: use true or false")));
            }
        };
        Ok(BoardFilter {
            cities: check("city", &self.city, &model::CITIES)?,
            clusters: check("cluster", &self.cluster, &model::CLUSTERS)?,
            cross_border,
            listing: self.listing.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from),
        })
    }
}

/// Supply ↔ demand pairs whose match score passes the threshold, newest first.
#[utoipa::path(get, path = "/api/board", operation_id = "getBoard", tag = "matching", params(BoardParams),
    responses(
        (status = 200, description = "A page of pairs with both listings, score and reasons", body = BoardPage),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn board(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<BoardParams>,
) -> Result<Json<BoardPage>, ApiError> {
    let filter = p.filter()?;
    let page = number("page", p.page.as_deref(), 1, 1_000_000)?;
    let per_page = number("per_page", p.per_page.as_deref(), 20, 100)?;
    let lang = parse_lang(p.lang.as_deref())?.unwrap_or(Lang::Original);
    let engine = state.engine.clone();
    Ok(Json(blocking(move || engine.board(&filter, page, per_page, lang)).await?.into()))
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(board))
}
