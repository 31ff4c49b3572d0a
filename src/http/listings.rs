//! `/api/listings`: post, read, edit, withdraw, renew, express interest; and `/api/tokens`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ApiJson, Auth, MaybeAuth};
use super::error::{ApiError, ErrorBody};
use super::params::ApiQuery;
use super::views::Interest;
use super::{AppState, blocking};
use crate::listings::view;

type Listing = Json<Map<String, Value>>;

/// Post a listing for the token's organisation; answered after it is durable.
#[utoipa::path(post, path = "/api/listings", operation_id = "createListing", tag = "listings", security(("bearer" = [])),
    request_body(content = Object, description = "kind, title, description (≥ 30 characters), cooperation, clusters or fields; optional trl, ip_status, benefit, budget_cny, expires_at, contact, name_en, description_en, city"),
    responses(
        (status = 201, description = "The stored listing, as its owner sees it", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Listing), ApiError> {
    let engine = state.engine.clone();
    let record = blocking(move || engine.create_listing(&actor, &body)).await?;
    Ok((StatusCode::CREATED, Json(view(&record, true))))
}

/// One listing from the store; its owner and moderators also see `contact`.
#[utoipa::path(get, path = "/api/listings/{id}", operation_id = "getListing", tag = "listings",
    params(("id" = String, Path, description = "listing id"), super::records::RecordParams),
    responses(
        (status = 200, description = "The listing, with `collection`, `display_name`, `mentions` and, with `lang`, `localized` as for records", body = Object),
        (status = 401, description = "An unknown bearer token", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<AppState>,
    MaybeAuth(actor): MaybeAuth,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<super::records::RecordParams>,
) -> Result<Listing, ApiError> {
    let lang = super::search::parse_lang(p.lang.as_deref())?.unwrap_or(crate::analysis::Lang::Original);
    let engine = state.engine.clone();
    let body = blocking(move || {
        let (record, privileged) = engine.listing_for(actor.as_ref(), &id)?;
        Ok(super::records::for_readers(&engine, &record, view(&record, privileged), lang))
    })
    .await?;
    Ok(Json(body))
}

/// Who the bearer token acts for.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Whoami {
    /// The organisation (entity id).
    pub owner: String,
    /// The organisation's name, when it is a known entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    /// Moderator rights.
    pub admin: bool,
}

/// The organisation and rights of the bearer token (so a page can show what it may manage).
#[utoipa::path(get, path = "/api/tokens/me", operation_id = "getCurrentToken", tag = "listings", security(("bearer" = [])),
    responses((status = 200, description = "The organisation and role of the token", body = Whoami), (status = 401, description = "No valid bearer token", body = ErrorBody)))]
pub async fn whoami(State(state): State<AppState>, Auth(actor): Auth) -> Json<Whoami> {
    let owner_name = state.engine.entity(&actor.owner).map(|e| e.name);
    Json(Whoami { owner: actor.owner, owner_name, admin: actor.admin })
}

/// Replace a listing's fields (owner or moderator).
#[utoipa::path(put, path = "/api/listings/{id}", operation_id = "updateListing", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "listing id")),
    request_body(content = Object, description = "the whole listing, as for POST; `status` may be open or closed"),
    responses(
        (status = 200, description = "The updated listing", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Someone else's listing", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "The listing was withdrawn", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Listing, ApiError> {
    let engine = state.engine.clone();
    let record = blocking(move || engine.update_listing(&actor, &id, &body)).await?;
    Ok(Json(view(&record, true)))
}

/// Withdraw a listing (owner or moderator): `status` becomes `withdrawn`.
#[utoipa::path(delete, path = "/api/listings/{id}", operation_id = "withdrawListing", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "listing id")),
    responses(
        (status = 200, description = "The withdrawn listing", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Someone else's listing", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Listing, ApiError> {
    let engine = state.engine.clone();
    let record = blocking(move || engine.withdraw_listing(&actor, &id)).await?;
    Ok(Json(view(&record, true)))
}

/// Confirm a listing is still current (renews its expiry; sets `last_confirmed_at`).
#[utoipa::path(post, path = "/api/listings/{id}/confirm", operation_id = "confirmListing", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "listing id")),
    responses(
        (status = 200, description = "The renewed listing", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Someone else's listing", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 409, description = "The listing was withdrawn", body = ErrorBody),
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Listing, ApiError> {
    let engine = state.engine.clone();
    let record = blocking(move || engine.confirm_listing(&actor, &id)).await?;
    Ok(Json(view(&record, true)))
}

/// Express interest in a listing: the owner receives the message and your contact.
#[utoipa::path(post, path = "/api/listings/{id}/interest", operation_id = "expressInterest", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "listing id")),
    request_body(content = Object, description = "{\"message\": \"…\", \"contact\": {…}}"),
    responses(
        (status = 201, description = "Recorded", body = Interest),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ))]
pub async fn express_interest(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Interest>), ApiError> {
    let engine = state.engine.clone();
    let interest = blocking(move || engine.express_interest(&actor, &id, &body)).await?;
    Ok((StatusCode::CREATED, Json(interest.into())))
}

/// The expressions of interest in a listing (owner or moderator).
#[utoipa::path(get, path = "/api/listings/{id}/interest", operation_id = "listInterest", tag = "listings", security(("bearer" = [])),
    params(("id" = String, Path, description = "listing id")),
    responses(
        (status = 200, description = "Oldest first", body = [Interest]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Someone else's listing", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
    ))]
pub async fn list_interest(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Interest>>, ApiError> {
    let engine = state.engine.clone();
    let found = blocking(move || engine.interests(&actor, &id)).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Body of `POST /api/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Entity id the token acts for.
    pub owner: String,
    /// Moderator rights.
    #[serde(default)]
    pub admin: bool,
}

/// Create an organisation token while the server runs (moderator token required); the token is
/// shown once.
#[utoipa::path(post, path = "/api/tokens", operation_id = "createToken", tag = "listings", security(("bearer" = [])),
    request_body = TokenRequest,
    responses(
        (status = 201, description = "{\"token\", \"owner\", \"admin\"}", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 422, description = "The body does not fit `TokenRequest` (for instance `owner` missing or empty)", body = ErrorBody),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let engine = state.engine.clone();
    let (owner, admin) = (req.owner.clone(), req.admin);
    let token = blocking(move || engine.create_token(&actor, &owner, admin)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"token": token, "owner": req.owner, "admin": req.admin}))))
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(read, update, withdraw))
        .routes(routes!(confirm))
        .routes(routes!(express_interest, list_interest))
        .routes(routes!(create_token))
        .routes(routes!(whoami))
}
