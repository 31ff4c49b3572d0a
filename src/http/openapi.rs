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
        openapi_json
    ),
    components(schemas(super::error::ErrorBody, crate::index::Hit))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes of this file.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi_json))
}
