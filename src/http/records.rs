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
use crate::engine::Engine;
use crate::model::Collection;

/// Parameters of the record endpoint.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecordParams {
    /// Script of `display_name`: `zh-Hans`, `zh-Hant` or `en`.
    pub lang: Option<String>,
}

/// One record of a collection.
#[utoipa::path(get, path = "/api/{collection}/{id}", operation_id = "getRecord", tag = "records",
    params(("collection" = String, Path, description = "entities, talents, listings, roadmaps or industries"),
           ("id" = String, Path, description = "record id"), RecordParams),
    responses(
        (status = 200, description = "The record (private fields such as `contact` are never included), with `collection` and `display_name` added, `mentions` (the organisations its text names: `[{\"text\": as written in the text shown, \"id\": entity id}]`), and with `lang` a `localized` object: the free-text fields in that script (or English)", body = Object),
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
    let found = read(&state, move || {
        Ok(match engine.index().get(c, &id)? {
            Some(record) => Ok(for_readers(&engine, &record, record.public_body(), lang)),
            None => Err((c, id)),
        })
    })
    .await?;
    let body = found.map_err(|(c, id)| ApiError::not_found(format!("{} record {id:?} was not found", c.as_str())))?;
    Ok(Json(body))
}

/// `body` with `collection`, `display_name`, `mentions` and (for a `lang`) `localized` added.
/// Reads the index: call it on the blocking pool.
pub(super) fn for_readers(
    engine: &Engine,
    record: &crate::model::Record,
    mut body: Map<String, Value>,
    lang: Lang,
) -> Map<String, Value> {
    let analyzer = engine.analyzer();
    if lang != Lang::Original {
        let localized = localize(&body, lang, |t| analyzer.to_script(t, lang));
        body.insert("localized".into(), Value::Object(localized));
    }
    body.insert("collection".into(), Value::String(record.collection.as_str().into()));
    body.insert("display_name".into(), Value::String(crate::index::display_name(analyzer, record, lang)));
    let mentions = mentions(engine, record, &body);
    body.insert("mentions".into(), Value::Array(mentions));
    body
}

/// Fields whose text may name organisations (linked by the web pages).
const MENTION_FIELDS: [&str; 4] = ["description", "capabilities", "expertise", "benefit"];

/// The organisations the record's text names as the reader is shown it (`localized` when there,
/// and the original description and the English one), `[{"text", "id"}]`; none when the lookup
/// fails (the record is still answered).
fn mentions(engine: &Engine, record: &crate::model::Record, body: &Map<String, Value>) -> Vec<Value> {
    let localized = body.get("localized").and_then(Value::as_object);
    let mut texts: Vec<&str> = Vec::new();
    for key in MENTION_FIELDS {
        texts.extend(localized.and_then(|l| l.get(key)).and_then(Value::as_str));
        texts.extend(body.get(key).and_then(Value::as_str));
    }
    texts.extend(body.get("description_en").and_then(Value::as_str));
    texts.sort_unstable();
    texts.dedup();
    let mut out: Vec<Value> = Vec::new();
    for text in texts {
        match engine.index().entity_mentions(text, &record.id) {
            Ok(found) => {
                for m in found {
                    if !out.iter().any(|o| o["text"] == m.text.as_str()) {
                        out.push(serde_json::json!({"text": m.text, "id": m.id}));
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "finding the organisations a record names"),
        }
    }
    out
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
