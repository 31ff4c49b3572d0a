//! Query-string extraction with JSON errors, and parsing of comma lists of codes.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiError, ErrorCode};
use crate::model::{self, Code};

/// Like `axum::extract::Query`, but a malformed query string is a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::new(ErrorCode::InvalidQueryString, e.body_text()))
    }
}

/// Splits a comma list, dropping empty items.
pub fn list(value: Option<&str>) -> Vec<&str> {
    value.map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
}

/// Ordinals of a comma list of codes of `table`; an unknown code is a 400 naming the valid ones.
pub fn codes(param: &'static str, value: Option<&str>, table: &[Code]) -> Result<Vec<u64>, ApiError> {
    list(value)
        .into_iter()
        .map(|code| {
            model::code_ord(table, code).ok_or_else(|| {
                let valid: Vec<&str> = table.iter().map(|c| c.0).collect();
                ApiError::invalid_parameter(format!(
                    "`{param}`: unknown code {code:?} - Hint: use one of {}",
                    valid.join(", ")
                ))
            })
        })
        .collect()
}

/// A positive integer parameter within `1..=max`.
pub fn number(param: &'static str, value: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match v.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::invalid_parameter(format!("`{param}` must be a whole number from 1 to {max}, got {v:?}"))),
    }
}
