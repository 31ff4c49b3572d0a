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
        super::matching::listing_matches,
        super::matching::text_matches,
        super::matching::roadmap_matches,
        openapi_json
    ),
    modifiers(&BearerAuth),
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

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi_json))
}
