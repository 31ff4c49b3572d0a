//! `GET /api/{collection}/{id}`: one record, private fields removed.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::params::ApiQuery;
use super::search::parse_lang;
use super::{AppState, read};
use crate::analysis::Lang;
use crate::model::Collection;

/// Parameters of the record endpoint.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordParams {
    /// Script of `display_name`: `zh-Hans`, `zh-Hant` or `en`.
    pub lang: Option<String>,
}

/// One record of a collection.
#[utoipa::path(get, path = "/api/{collection}/{id}", operation_id = "getRecord", tag = "records",
    params(("collection" = String, Path, description = "entities, talents, listings, roadmaps or industries"),
           ("id" = String, Path, description = "record id"), RecordParams),
    responses(
        (status = 200, description = "The record (private fields such as `contact` are never included), with `collection` and `display_name` added, and with `lang` a `localized` object: the free-text fields in that script (or English)", body = Object),
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
    let found = read(&state, move || engine.index().get(c, &id).map(|r| r.ok_or((c, id)))).await?;
    let record = found.map_err(|(c, id)| ApiError::not_found(format!("{} record {id:?} was not found", c.as_str())))?;
    Ok(Json(for_readers(&state, &record, record.public_body(), lang)))
}

/// `body` with `collection`, `display_name` and (for a `lang`) `localized` added.
pub(super) fn for_readers(
    state: &AppState,
    record: &crate::model::Record,
    mut body: Map<String, Value>,
    lang: Lang,
) -> Map<String, Value> {
    let analyzer = state.engine.analyzer();
    if lang != Lang::Original {
        let localized = localize(&body, lang, |t| analyzer.to_script(t, lang));
        body.insert("localized".into(), Value::Object(localized));
    }
    body.insert("collection".into(), Value::String(record.collection.as_str().into()));
    body.insert("display_name".into(), Value::String(crate::index::display_name(analyzer, record, lang)));
    body
}

/// Free-text fields shown to readers, which `localized` carries in the requested script.
const TEXT_FIELDS: [&str; 12] = [
    "name",
    "title",
    "description",
    "capabilities",
    "expertise",
    "honors",
    "fields",
    "aliases",
    "bottlenecks",
    "benefit",
    "ip_status",
    "milestones",
];

/// The reader-facing text of a record in `lang`: Chinese converted to the script, or for `en`
/// the English field (`name_en`, `description_en`) where the record has one.
fn localize(body: &Map<String, Value>, lang: Lang, convert: impl Fn(&str) -> String) -> Map<String, Value> {
    fn walk(v: &Value, convert: &dyn Fn(&str) -> String) -> Value {
        match v {
            Value::String(s) => Value::String(convert(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| walk(i, convert)).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), walk(v, convert))).collect()),
            other => other.clone(),
        }
    }
    let mut out = Map::new();
    for key in TEXT_FIELDS {
        let english = body.get(&format!("{key}_en")).filter(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()));
        let value = match (lang, english) {
            (Lang::En, Some(en)) => Some(en.clone()),
            _ => body.get(key).map(|v| walk(v, &convert)),
        };
        if let Some(v) = value {
            out.insert(key.to_string(), v);
        }
    }
    out
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_record))
}
