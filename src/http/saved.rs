//! `/api/saved`: saved searches (a query with filters, or one listing's matches), their
//! webhooks and delivery history. Every route needs the organisation's token.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ApiJson, Auth};
use super::error::{ApiError, ErrorBody};
use super::views::{Delivery, SavedQuery};
use super::{AppState, blocking};
use crate::saved::SavedSearch;

/// Body of `POST /api/saved`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SavedRequest {
    /// A label (defaults to the query).
    #[serde(default)]
    pub name: Option<String>,
    /// What to follow: query text and filters, or `listing`.
    #[serde(flatten)]
    pub query: SavedQuery,
}

/// A webhook as its owner sees it later (the secret is shown only when it is created).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    /// Where deliveries go.
    pub url: String,
    /// Registration time.
    pub created_at: String,
}

/// A saved search as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedView {
    /// Unguessable id.
    pub id: String,
    /// Label.
    pub name: String,
    /// What it follows.
    pub query: SavedQuery,
    /// Creation time.
    pub created_at: String,
    /// Its private Atom feed (unlisted; anyone with the address can read it).
    pub feed: String,
    /// Its webhook, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookView>,
}

impl From<SavedSearch> for SavedView {
    fn from(s: SavedSearch) -> SavedView {
        SavedView {
            feed: format!("/feeds/saved/{}", s.id),
            id: s.id,
            name: s.name,
            query: s.query.into(),
            created_at: s.created_at,
            webhook: s.webhook.map(|h| WebhookView { url: h.url, created_at: h.created_at }),
        }
    }
}

/// Body of `PUT /api/saved/{id}/webhook`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// An `https://` URL that accepts POSTed JSON.
    pub url: String,
}

/// Answer of `PUT /api/saved/{id}/webhook`: the signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    /// Where deliveries go.
    pub url: String,
    /// Key of the `X-GBA-Signature: sha256=…` HMAC over each delivery's body. Shown once.
    pub secret: String,
    /// Registration time; only items newer than this are delivered.
    pub created_at: String,
}

/// Save a search (or follow a listing's matches) for the token's organisation.
#[utoipa::path(post, path = "/api/saved", operation_id = "createSavedSearch", tag = "alerts", security(("bearer" = [])),
    request_body = SavedRequest,
    responses(
        (status = 201, description = "The saved search", body = SavedView),
        (status = 409, description = "The organisation already keeps the most saved searches allowed", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(req): ApiJson<SavedRequest>,
) -> Result<(StatusCode, Json<SavedView>), ApiError> {
    let engine = state.engine.clone();
    let name = req.name.unwrap_or_default();
    let saved = blocking(move || engine.create_saved(&actor, &name, req.query.into())).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// The organisation's saved searches, newest first.
#[utoipa::path(get, path = "/api/saved", operation_id = "listSavedSearches", tag = "alerts", security(("bearer" = [])),
    responses((status = 200, description = "The organisation's saved searches", body = [SavedView])))]
pub async fn list(State(state): State<AppState>, Auth(actor): Auth) -> Result<Json<Vec<SavedView>>, ApiError> {
    let engine = state.engine.clone();
    let all = blocking(move || engine.saved_searches(&actor)).await?;
    Ok(Json(all.into_iter().map(SavedView::from).collect()))
}

/// One saved search.
#[utoipa::path(get, path = "/api/saved/{id}", operation_id = "getSavedSearch", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "saved search id")),
    responses((status = 200, description = "The saved search", body = SavedView), (status = 404, description = "Not one of the organisation's", body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<SavedView>, ApiError> {
    let engine = state.engine.clone();
    Ok(Json(blocking(move || engine.saved_search(&actor, &id)).await?.into()))
}

/// Delete a saved search (its feed and webhook go with it).
#[utoipa::path(delete, path = "/api/saved/{id}", operation_id = "deleteSavedSearch", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "saved search id")),
    responses((status = 200, description = "The deleted search", body = SavedView), (status = 404, description = "Not one of the organisation's", body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<SavedView>, ApiError> {
    let engine = state.engine.clone();
    Ok(Json(blocking(move || engine.delete_saved(&actor, &id)).await?.into()))
}

/// Register (or replace) the webhook of a saved search: new matches are POSTed to it as signed
/// JSON. The secret is in this answer only.
#[utoipa::path(put, path = "/api/saved/{id}/webhook", operation_id = "setWebhook", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "saved search id")),
    request_body = WebhookRequest,
    responses(
        (status = 200, description = "The webhook, with its signing secret (shown once)", body = WebhookCreated),
        (status = 404, description = "Not one of the organisation's", body = ErrorBody),
        (status = 422, description = "The URL is not an https:// URL", body = ErrorBody),
    ))]
pub async fn set_webhook(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookCreated>, ApiError> {
    let engine = state.engine.clone();
    let loopback = state.allow_loopback_http;
    let hook = blocking(move || engine.set_webhook(&actor, &id, &req.url, loopback)).await?;
    state.engine.saved_matches_changed();
    Ok(Json(WebhookCreated { url: hook.url, secret: hook.secret, created_at: hook.created_at }))
}

/// Remove the webhook of a saved search.
#[utoipa::path(delete, path = "/api/saved/{id}/webhook", operation_id = "removeWebhook", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "saved search id")),
    responses((status = 200, description = "The saved search, without its webhook", body = SavedView), (status = 404, description = "Not one of the organisation's", body = ErrorBody)))]
pub async fn remove_webhook(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<SavedView>, ApiError> {
    let engine = state.engine.clone();
    Ok(Json(blocking(move || engine.remove_webhook(&actor, &id)).await?.into()))
}

/// The webhook deliveries of a saved search, newest first (the last 50).
#[utoipa::path(get, path = "/api/saved/{id}/deliveries", operation_id = "listDeliveries", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "saved search id")),
    responses((status = 200, description = "Recent webhook deliveries, newest first", body = [Delivery]), (status = 404, description = "Not one of the organisation's", body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Delivery>>, ApiError> {
    let engine = state.engine.clone();
    let out = blocking(move || {
        engine.saved_search(&actor, &id)?;
        engine.store().deliveries(&id)
    })
    .await?;
    Ok(Json(out.into_iter().map(Into::into).collect()))
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, delete))
        .routes(routes!(set_webhook, remove_webhook))
        .routes(routes!(deliveries))
}
