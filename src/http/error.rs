//! The API's error type and the one table mapping engine errors to HTTP statuses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub use super::error_code::ErrorCode;
use super::views::FieldError;
use crate::error::{Error, Invalid};

/// An error as the API answers it: `{"error": {"code", "message", "fields"?}}`.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
    retry_after: Option<u64>,
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: one of the `ErrorCode` values.
    #[schema(value_type = ErrorCodeSchema)]
    pub code: &'static str,
    /// What went wrong and how to fix it (English).
    pub message: String,
    /// The invalid fields, for `invalid_fields`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// The OpenAPI schema of `error.code`: a string enum of every code of [`ErrorCode`].
pub struct ErrorCodeSchema;

impl utoipa::PartialSchema for ErrorCodeSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes))
            .description(Some("Stable machine-readable error code; see the table in docs/API.md."))
            .into()
    }
}

impl utoipa::ToSchema for ErrorCodeSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }
}

/// The message of every internal error: the details go to the log, not to the client.
const INTERNAL_MESSAGE: &str = "internal error; it has been logged - Hint: retry; if it persists, tell the operator";

impl ApiError {
    /// An error with `code` (which gives the HTTP status).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), fields: Vec::new(), retry_after: None }
    }

    /// A fault of ours (500): logs `what` and answers the one internal message.
    pub fn internal(what: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %what, "internal error");
        ApiError::new(ErrorCode::Internal, INTERNAL_MESSAGE)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// Adds a `Retry-After` header (seconds).
    pub fn with_retry_after(mut self, secs: u64) -> ApiError {
        self.retry_after = Some(secs);
        self
    }

    /// 400 `invalid_parameter`.
    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidParameter, message)
    }

    /// 404 for an unknown route or record.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let code = match &e {
            Error::Invalid { kind, .. } => match kind {
                Invalid::Parameter => ErrorCode::InvalidParameter,
                Invalid::Collection => ErrorCode::UnknownCollection,
                Invalid::Owner => ErrorCode::InvalidOwner,
                Invalid::OwnListing => ErrorCode::OwnListing,
                Invalid::PageTooDeep => ErrorCode::PageTooDeep,
            },
            Error::InvalidFields(_) => ErrorCode::InvalidFields,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Unauthorized(_) => ErrorCode::Unauthorized,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Locked(_) => ErrorCode::Unavailable,
            _ if e.is_storage_unavailable() => {
                tracing::error!(error = %e, "the data directory cannot be written");
                return ApiError::new(
                    ErrorCode::InsufficientStorage,
                    "the data directory cannot be written (disk full or read-only): nothing was stored - Hint: retry later; the operator has been alerted in the log",
                );
            }
            Error::Io { .. } | Error::Index(_) | Error::Store(_) | Error::Json(_) | Error::Internal(_) => {
                return ApiError::internal(&e);
            }
        };
        let fields =
            if let Error::InvalidFields(f) = &e { f.iter().cloned().map(Into::into).collect() } else { Vec::new() };
        ApiError { code, message: e.to_string(), fields, retry_after: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let body =
            ErrorBody { error: ErrorDetail { code: self.code.as_str(), message: self.message, fields: self.fields } };
        let mut resp = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        resp
    }
}

/// Gives every error response the JSON error shape, including those made outside our handlers
/// (405 from the router, 413 from the body limit).
pub async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let code = ErrorCode::for_status(status);
    let message = match code {
        ErrorCode::MethodNotAllowed => "this method is not allowed here - Hint: see /api/openapi.json",
        ErrorCode::PayloadTooLarge => "the request body is larger than 1 MiB",
        ErrorCode::Timeout => "the request took too long",
        ErrorCode::UnsupportedMediaType => "the body must be sent as `Content-Type: application/json`",
        ErrorCode::NotFound => "not found",
        ErrorCode::Internal => INTERNAL_MESSAGE,
        _ => "the request could not be read",
    };
    if code == ErrorCode::Internal {
        tracing::error!(status = status.as_u16(), "a server error answered outside the handlers");
    }
    let mut out = ApiError::new(code, message).into_response();
    if let Some(allow) = resp.headers().get(axum::http::header::ALLOW) {
        out.headers_mut().insert(axum::http::header::ALLOW, allow.clone());
    }
    out
}
