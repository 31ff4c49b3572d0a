//! Bearer tokens of organisations: printed once, stored as SHA-256 hashes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ListingStore;
use crate::error::Result;

/// What a token grants.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TokenInfo {
    /// The entity id the token acts for.
    pub owner: String,
    /// Moderator rights.
    pub admin: bool,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

/// Hex SHA-256 of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl ListingStore {
    /// Creates a token for `owner`; returns the token itself (only its hash is kept).
    pub fn create_token(&self, owner: &str, admin: bool) -> Result<String> {
        let token = format!("gba_{}", crate::model::random_hex(24)?);
        let info = TokenInfo {
            owner: owner.to_string(),
            admin,
            created_at: crate::model::format_rfc3339(crate::model::now_ts()),
        };
        self.tokens.insert(hash_token(&token).as_bytes(), serde_json::to_vec(&info)?)?;
        self.flush()?;
        Ok(token)
    }

    /// The grant of `token`, if it is valid. The lookup is by hash, so the comparison never
    /// touches the secret itself.
    pub fn check_token(&self, token: &str) -> Result<Option<TokenInfo>> {
        match self.tokens.get(hash_token(token).as_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }
}
