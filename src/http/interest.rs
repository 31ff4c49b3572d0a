//! `/api/entities/{id}/interest` and `/api/talents/{id}/interest`: a brokered first contact with
//! an organisation or an expert, as with a listing — the organisation (the expert's affiliation)
//! receives the message and the sender's contact.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ApiJson, Auth};
use super::error::{ApiError, ErrorBody};
use super::views::Interest;
use super::{AppState, blocking};
use crate::listings::TokenInfo;
use crate::model::Collection;

async fn express(
    state: AppState,
    actor: TokenInfo,
    collection: Collection,
    id: String,
    body: Value,
) -> Result<(StatusCode, Json<Interest>), ApiError> {
    let engine = state.engine.clone();
    let interest = blocking(move || engine.express_interest_in(&actor, collection, &id, &body)).await?;
    Ok((StatusCode::CREATED, Json(interest.into())))
}

async fn list(
    state: AppState,
    actor: TokenInfo,
    collection: Collection,
    id: String,
) -> Result<Json<Vec<Interest>>, ApiError> {
    let engine = state.engine.clone();
    let found = blocking(move || engine.record_interests(&actor, collection, &id)).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Express interest in an organisation: it receives the message and your contact.
#[utoipa::path(post, path = "/api/entities/{id}/interest", operation_id = "expressInterestInEntity", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "entity id")),
    request_body(content = Object, description = "`{\"message\": \"1–2000 characters\", \"contact\": {…}}` (`contact` optional, at most 2048 bytes of JSON)"),
    responses(
        (status = 201, description = "Recorded; durable on return", body = Interest),
        (status = 400, description = "Your own organisation (`own_listing`) or a body that is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
        (status = 409, description = "Five expressions of interest from your organisation already", body = ErrorBody),
        (status = 422, description = "`message` or `contact` at fault", body = ErrorBody),
        (status = 429, description = "Too many writes a minute for your organisation", body = ErrorBody),
    ))]
pub async fn entity_interest(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Interest>), ApiError> {
    express(state, actor, Collection::Entities, id, body).await
}

/// The expressions of interest in an organisation (the organisation itself or a moderator).
#[utoipa::path(get, path = "/api/entities/{id}/interest", operation_id = "listEntityInterest", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "entity id")),
    responses(
        (status = 200, description = "Oldest first: those in the organisation itself", body = [Interest]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Another organisation", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
    ))]
pub async fn entity_interest_list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Interest>>, ApiError> {
    list(state, actor, Collection::Entities, id).await
}

/// Express interest in an expert: the expert's organisation (`affiliation`) receives the message
/// and your contact and passes it on.
#[utoipa::path(post, path = "/api/talents/{id}/interest", operation_id = "expressInterestInTalent", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "talent id")),
    request_body(content = Object, description = "`{\"message\": \"1–2000 characters\", \"contact\": {…}}` (`contact` optional, at most 2048 bytes of JSON)"),
    responses(
        (status = 201, description = "Recorded; durable on return", body = Interest),
        (status = 400, description = "An expert of your own organisation (`own_listing`) or a body that is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such expert", body = ErrorBody),
        (status = 409, description = "The expert has no organisation to pass the message on, or five expressions of interest from your organisation already", body = ErrorBody),
        (status = 422, description = "`message` or `contact` at fault", body = ErrorBody),
        (status = 429, description = "Too many writes a minute for your organisation", body = ErrorBody),
    ))]
pub async fn talent_interest(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Interest>), ApiError> {
    express(state, actor, Collection::Talents, id, body).await
}

/// The expressions of interest in an expert (the expert's organisation or a moderator).
#[utoipa::path(get, path = "/api/talents/{id}/interest", operation_id = "listTalentInterest", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "talent id")),
    responses(
        (status = 200, description = "Oldest first", body = [Interest]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not the expert's organisation", body = ErrorBody),
        (status = 404, description = "No such expert", body = ErrorBody),
        (status = 409, description = "The expert has no organisation", body = ErrorBody),
    ))]
pub async fn talent_interest_list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Interest>>, ApiError> {
    list(state, actor, Collection::Talents, id).await
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entity_interest, entity_interest_list))
        .routes(routes!(talent_interest, talent_interest_list))
}
