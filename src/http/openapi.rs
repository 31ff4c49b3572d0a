//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

use super::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "gba-search",
        description = "Search the innovation resources of the Guangdong–Hong Kong–Macau Greater Bay Area in Simplified Chinese, Traditional Chinese and English."
    ),
    paths(
        super::meta::health,
        super::search::search,
        super::search::suggest,
        super::meta::stats,
        super::records::get_record,
        super::listings::create,
        super::listings::read,
        super::listings::update,
        super::listings::withdraw,
        super::listings::confirm,
        super::listings::express_interest,
        super::listings::list_interest,
        super::listings::create_token,
        super::listings::whoami,
        super::matching::listing_matches,
        super::matching::text_matches,
        super::matching::roadmap_matches,
        super::board::board,
        super::saved::create,
        super::saved::list,
        super::saved::read,
        super::saved::delete,
        super::saved::set_webhook,
        super::saved::remove_webhook,
        super::saved::deliveries,
        super::feeds::saved_feed,
        super::feeds::board_feed,
        openapi_json
    ),
    modifiers(&BearerAuth, &Parameters, &CommonResponses),
    components(schemas(super::error::ErrorBody, crate::index::Hit))
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
/// 408 after the request timeout, 413/415 for bodies, 429 for rate-limited writes.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten() {
                let has_body = op.request_body.is_some();
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut add = |code: &str, description: &str| {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| error(description));
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
                }
            }
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi_json))
}
