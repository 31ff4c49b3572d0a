//! The OpenAPI 3.1 document, generated from the handlers' annotations: each resource's router
//! (utoipa-axum) registers the routes and their operations together, so the document has every
//! API route and no other.

use axum::Json;
use axum::extract::State;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "gba-search",
        description = "Search the innovation resources of the Guangdong–Hong Kong–Macau Greater Bay Area in Simplified Chinese, Traditional Chinese and English."
    ),
    modifiers(&BearerAuth),
    components(schemas(super::error::ErrorBody, super::error::ErrorCodeSchema, super::views::search::Hit))
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme used by the write endpoints.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Gives the query parameters their real types and value sets (the handlers read them as text
/// so that a wrong value gets a clear 400 rather than a generic rejection).
struct Parameters;

impl utoipa::Modify for Parameters {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{RefOr, Required};
        let codes = |table: &[(&str, &str, &str)]| table.iter().map(|(c, _, _)| *c).collect::<Vec<_>>().join("|");
        let comma_list = |alternatives: String| format!("^$|^({alternatives})(,({alternatives}))*$");
        let collections = crate::model::Collection::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("|");
        for (path, item) in openapi.paths.paths.iter_mut() {
            for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten() {
                for param in op.parameters.iter_mut().flatten() {
                    let RefOr::T(param) = param else { continue };
                    let string = || ObjectBuilder::new().schema_type(Type::String);
                    let integer =
                        |max: u64| ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(max));
                    let schema = match param.name.as_str() {
                        "lang" => string().enum_values(Some(["zh-Hans", "zh-Hant", "en"])),
                        "sort" => string().enum_values(Some(["relevance", "newest"])),
                        "status" => string().enum_values(Some(["open", "all"])),
                        "page" => integer(1_000_000_000),
                        "per_page" => integer(crate::index::MAX_PER_PAGE as u64),
                        "limit" if path == "/api/suggest" => integer(20),
                        "limit" => integer(50),
                        "collections" => string().pattern(Some(comma_list(collections.clone()))),
                        "city" => string().pattern(Some(comma_list(codes(&crate::model::CITIES)))),
                        "cluster" => string().pattern(Some(comma_list(codes(&crate::model::CLUSTERS)))),
                        "kind" => string().pattern(Some(comma_list(codes(&crate::model::KINDS)))),
                        "q" => string().max_length(Some(super::search::MAX_QUERY_CHARS)),
                        "text" => {
                            param.required = Required::True;
                            string()
                                .min_length(Some(1))
                                .max_length(Some(super::search::MAX_QUERY_CHARS))
                                .pattern(Some(r"\S"))
                        }
                        _ => continue,
                    };
                    param.schema = Some(RefOr::T(schema.into()));
                }
            }
        }
    }
}

/// Documents the answers every operation can give besides its own: 400 for a bad parameter,
/// 408 after the request timeout, 413/415 for bodies, 401/429 for tokens, 503 for reads under
/// overload, 507 for writes on a full disk, 500. Every error response refers to the one `Error`
/// schema, and its description names the codes of the table that come with its status.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use super::error::ErrorCode;
        use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
        let codes_of = |status: &str| -> Vec<&'static str> {
            ErrorCode::ALL.iter().filter(|c| c.status().as_str() == status).map(|c| c.as_str()).collect()
        };
        let error = |status: &str, description: &str| {
            let codes: Vec<String> = codes_of(status).iter().map(|c| format!("`{c}`")).collect();
            RefOr::T(
                ResponseBuilder::new()
                    .description(format!("{description}. Codes: {}.", codes.join(", ")))
                    .content("application/json", Content::new(Some(Ref::from_schema_name("Error"))))
                    .build(),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let reads = ["/api/search", "/api/suggest", "/api/{collection}/{id}"].contains(&path.as_str());
            let ops = [(false, &mut item.get), (true, &mut item.post), (true, &mut item.put), (true, &mut item.delete)];
            for (writes, op) in ops.into_iter().filter_map(|(w, op)| op.as_mut().map(|op| (w, op))) {
                let has_body = op.request_body.is_some();
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                // The operation's own error responses keep their description, with the codes added.
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(r) = response
                        && !status.starts_with('2')
                    {
                        *response = error(status, r.description.trim_end_matches('.'));
                    }
                }
                let mut add = |status: &str, description: &str| {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| error(status, description));
                };
                if has_params || has_body {
                    add("400", "A parameter or the JSON body is invalid");
                }
                add("408", "The request took longer than the server's timeout");
                if has_body {
                    add("413", "The body is larger than 1 MiB");
                    add("415", "The body is not `application/json`");
                }
                if secured {
                    add("401", "No token, or an unknown one");
                    add(
                        "429",
                        "Too many writes for the organisation, or too many failed token checks from the address (see `Retry-After`)",
                    );
                    if writes {
                        add("507", "The data directory cannot be written: nothing was stored");
                    }
                }
                if reads {
                    add("503", "Too busy to start the read in time (see `Retry-After`)");
                }
                add("500", "A fault of the server; it has been logged");
            }
        }
    }
}

/// The finished document of the API routes in `api`, as JSON: the operations' common answers and
/// the parameters' real types added, and free-form objects marked as such.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> serde_json::Value {
    Parameters.modify(&mut doc);
    CommonResponses.modify(&mut doc);
    let mut json = serde_json::to_value(&doc).unwrap_or_default();
    open_free_form_objects(&mut json);
    json
}

/// Gives every `{"type": "object"}` without properties `additionalProperties: true`: a record
/// or a listing is an open object (unknown fields are kept), and generators read a bare object
/// type as one with no keys at all (openapi-typescript: `Record<string, never>`).
fn open_free_form_objects(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            let free = map.get("type").is_some_and(|t| t == "object")
                && !map.contains_key("properties")
                && !map.contains_key("additionalProperties");
            if free {
                map.insert("additionalProperties".into(), serde_json::Value::Bool(true));
            }
            map.values_mut().for_each(open_free_form_objects);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(open_free_form_objects),
        _ => {}
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", operation_id = "getOpenApi", tag = "meta", responses((status = 200, description = "OpenAPI 3 document", body = Object)))]
pub async fn openapi_json(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.openapi.as_ref().clone())
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}
