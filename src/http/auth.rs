//! Bearer tokens on requests, and JSON bodies with JSON errors.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::{ApiError, ErrorCode};
use super::{AppState, blocking};
use crate::listings::TokenInfo;

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// The client's address, when the server was started with connection info.
fn client(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// The caller's grant: 401 without a token or with an unknown one, 429 after too many failed
/// checks from the client's address or too many writes for the organisation.
pub async fn require(state: &AppState, parts: &Parts) -> Result<TokenInfo, ApiError> {
    let Some(token) = bearer(&parts.headers) else {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "this needs `Authorization: Bearer TOKEN` - Hint: an organisation gets a token from `gba-search token create --owner ENTITY_ID`",
        ));
    };
    let client = client(parts);
    state.limits.before_token_check(client)?;
    let engine = state.engine.clone();
    let grant = blocking(move || engine.authenticate(&token)).await.map_err(|e| {
        match e.status() == StatusCode::UNAUTHORIZED {
            true => state.limits.token_failed(client).unwrap_or(e),
            false => e,
        }
    })?;
    if !(parts.method == Method::GET || parts.method == Method::HEAD) {
        state.limits.write(&grant.owner)?;
    }
    Ok(grant)
}

/// The caller's grant when a token is given (401 for an unknown one), `None` without one.
pub async fn optional(state: &AppState, parts: &Parts) -> Result<Option<TokenInfo>, ApiError> {
    if bearer(&parts.headers).is_none() {
        return Ok(None);
    }
    require(state, parts).await.map(Some)
}

/// Like `axum::Json`, but every rejection is a JSON error (400, 413 or 415).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let status = rejection.status();
                let code = match status {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                    _ => ErrorCode::InvalidJson,
                };
                Err(ApiError::new(code, rejection.body_text()))
            }
        }
    }
}

/// The caller's grant, checked before the body is read (so a request without a valid token is
/// 401 whatever its body): 401 without a token or with an unknown one.
pub struct Auth(pub TokenInfo);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        require(state, parts).await.map(Auth)
    }
}

/// The caller's grant when a token is given; `None` without one (401 for an unknown one).
pub struct MaybeAuth(pub Option<TokenInfo>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        optional(state, parts).await.map(MaybeAuth)
    }
}
