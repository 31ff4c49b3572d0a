//! The web interface: one HTML shell for every page, and the static assets under `/assets/`.
//!
//! The assets live in `web/` and are embedded in the binary by `rust-embed` (in debug builds they
//! are read from disk, so editing them needs no rebuild). The pages are rendered in the browser
//! from the JSON API; the server only decides which paths are pages.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::error::ApiError;
use crate::model::Collection;

#[derive(rust_embed::RustEmbed)]
#[folder = "web/"]
struct Assets;

/// Content-Security-Policy of every page: nothing but this origin, no inline script or style.
const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; \
connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The HTML shell every page starts from.
async fn shell(headers: HeaderMap) -> Response {
    asset_response("index.html", &headers, "no-cache")
}

/// `/{collection}/{id}`: a detail page when `collection` is one of the five, else a 404.
async fn detail(headers: HeaderMap, Path((collection, _id)): Path<(String, String)>) -> Response {
    if Collection::parse(&collection).is_some() {
        shell(headers).await
    } else {
        ApiError::not_found("no such page").into_response()
    }
}

/// `/listings/{id}/edit`.
async fn edit(headers: HeaderMap, Path(_id): Path<String>) -> Response {
    shell(headers).await
}

/// `/assets/{path}`: an embedded file.
async fn asset(headers: HeaderMap, Path(path): Path<String>) -> Response {
    if path.split(['/', '\\']).any(|part| part == ".." || part.is_empty()) || path == "index.html" {
        return ApiError::not_found("no such asset").into_response();
    }
    asset_response(&path, &headers, "no-cache")
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn asset_response(path: &str, headers: &HeaderMap, cache: &'static str) -> Response {
    let Some(file) = Assets::get(path) else {
        return ApiError::not_found("no such asset").into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..12]));
    let mut out = if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type(path))], file.data.into_owned()).into_response()
    };
    let h = out.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
    out
}

/// Routes of the web interface.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(shell))
        .route("/overview", get(shell))
        .route("/post", get(shell))
        .route("/board", get(shell))
        .route("/listings/{id}/edit", get(edit))
        .route("/{collection}/{id}", get(detail))
        .route("/assets/{*path}", get(asset))
}
