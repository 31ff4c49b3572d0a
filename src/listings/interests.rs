//! Expressions of interest in a listing: recorded with the interested party's message and
//! contact, readable only by the listing's owner (and moderators).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::ListingStore;
use crate::error::Result;
use crate::model;

/// One expression of interest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Interest {
    /// Id of this expression of interest.
    pub id: String,
    /// The listing it is about.
    pub listing: String,
    /// Entity id of the interested organisation (from its token).
    pub from: String,
    /// Name of the interested organisation, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The message.
    pub message: String,
    /// How to reach the interested party (shared with the owner only, through this record).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub contact: Option<Value>,
    /// When it was sent (RFC 3339).
    pub created_at: String,
}

fn prefix(listing: &str) -> Vec<u8> {
    let mut k = listing.as_bytes().to_vec();
    k.push(0);
    k
}

impl ListingStore {
    /// Records an expression of interest; durable on return.
    pub fn add_interest(
        &self,
        listing: &str,
        from: &str,
        from_name: Option<String>,
        message: String,
        contact: Option<Value>,
    ) -> Result<Interest> {
        let n = self.next_id()?;
        let interest = Interest {
            id: format!("int-{n}"),
            listing: listing.to_string(),
            from: from.to_string(),
            from_name,
            message,
            contact,
            created_at: model::format_rfc3339(model::now_ts()),
        };
        let mut key = prefix(listing);
        key.extend_from_slice(&n.to_be_bytes());
        self.interests.insert(key, serde_json::to_vec(&interest)?)?;
        self.flush()?;
        Ok(interest)
    }

    /// The expressions of interest in `listing`, oldest first.
    pub fn interests(&self, listing: &str) -> Result<Vec<Interest>> {
        self.interests.scan_prefix(prefix(listing)).values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }

    /// Every expression of interest (for export).
    pub fn all_interests(&self) -> Result<Vec<Interest>> {
        self.interests.iter().values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }
}
