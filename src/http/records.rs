//! `GET /api/{collection}/{id}`: one record, private fields removed.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde_json::{Map, Value};

use super::error::{ApiError, ErrorBody};
use super::params::ApiQuery;
use super::search::parse_lang;
use super::{AppState, blocking};
use crate::analysis::Lang;
use crate::model::Collection;

/// Parameters of the record endpoint.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordParams {
    /// Script of `display_name`: `zh-Hans`, `zh-Hant` or `en`.
    lang: Option<String>,
}

/// One record of a collection.
#[utoipa::path(get, path = "/api/{collection}/{id}", tag = "records",
    params(("collection" = String, Path, description = "entities, talents, listings, roadmaps or industries"),
           ("id" = String, Path, description = "record id"), RecordParams),
    responses(
        (status = 200, description = "The record (private fields such as `contact` are never included), with `collection` and `display_name` added", body = Object),
        (status = 404, description = "No such collection or record", body = ErrorBody),
    ))]
pub async fn get_record(
    State(state): State<AppState>,
    Path((collection, id)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<RecordParams>,
) -> Result<Json<Map<String, Value>>, ApiError> {
    let Some(c) = Collection::parse(&collection) else {
        return Err(ApiError::not_found(format!(
            "unknown collection {collection:?} - Hint: use entities, talents, listings, roadmaps or industries"
        )));
    };
    let lang = parse_lang(p.lang.as_deref())?.unwrap_or(Lang::Original);
    let engine = state.engine.clone();
    let found = blocking(move || engine.index().get(c, &id).map(|r| r.ok_or((c, id)))).await?;
    let record = found.map_err(|(c, id)| ApiError::not_found(format!("{} record {id:?} was not found", c.as_str())))?;
    let mut body = record.public_body();
    let name = crate::index::display_name(state.engine.analyzer(), &record, lang);
    body.insert("collection".into(), Value::String(c.as_str().into()));
    body.insert("display_name".into(), Value::String(name));
    Ok(Json(body))
}

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/{collection}/{id}", get(get_record))
}
