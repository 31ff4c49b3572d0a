//! Saved searches and their webhook deliveries, kept in sled beside the listings.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::listings::ListingStore;

/// Deliveries kept per saved search (older ones are dropped).
pub const DELIVERIES_KEPT: usize = 50;

/// What a saved search follows: a query with filters, or one listing's board pairs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SavedQuery {
    /// Query text (empty: every record passing the filters).
    #[serde(default)]
    pub q: String,
    /// Collections (empty: all).
    #[serde(default)]
    pub collections: Vec<String>,
    /// City codes.
    #[serde(default)]
    pub city: Vec<String>,
    /// Cluster codes.
    #[serde(default)]
    pub cluster: Vec<String>,
    /// Kinds.
    #[serde(default)]
    pub kind: Vec<String>,
    /// A listing id: follow its matches on the board instead of a query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<String>,
}

/// A webhook of a saved search.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Webhook {
    /// Where deliveries are POSTed.
    pub url: String,
    /// HMAC-SHA256 key (shown to the owner once).
    pub secret: String,
    /// Registration time (RFC 3339).
    pub created_at: String,
    /// Items up to this time (RFC 3339) were handled.
    pub cursor: String,
    /// Keys of the items handled at exactly `cursor` (a second holds several).
    #[serde(default)]
    pub at_cursor: Vec<String>,
}

/// A saved search.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedSearch {
    /// Unguessable id (also the private feed's address).
    pub id: String,
    /// The organisation (entity id) that saved it.
    pub owner: String,
    /// A label chosen by the owner.
    pub name: String,
    /// What it follows.
    pub query: SavedQuery,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Optional webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Webhook>,
}

/// One webhook delivery (after its retries).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delivery {
    /// Delivery id (also sent as `X-GBA-Delivery`).
    pub id: String,
    /// When the last attempt ended (RFC 3339).
    pub at: String,
    /// `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last attempt, when there was an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// What went wrong, for a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Items in the delivery.
    pub items: usize,
}

impl ListingStore {
    /// Stores (inserts or replaces) a saved search; durable on return.
    pub fn put_saved(&self, s: &SavedSearch) -> Result<()> {
        self.saved.insert(s.id.as_bytes(), serde_json::to_vec(s)?)?;
        self.flush()
    }

    /// One saved search.
    pub fn saved(&self, id: &str) -> Result<Option<SavedSearch>> {
        match self.saved.get(id.as_bytes())? {
            Some(b) => Ok(Some(serde_json::from_slice(&b)?)),
            None => Ok(None),
        }
    }

    /// Every saved search.
    pub fn all_saved(&self) -> Result<Vec<SavedSearch>> {
        self.saved.iter().values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }

    /// Deletes a saved search and its deliveries; durable on return.
    pub fn delete_saved(&self, id: &str) -> Result<()> {
        self.saved.remove(id.as_bytes())?;
        for k in self.deliveries.scan_prefix([id.as_bytes(), b"\0"].concat()).keys() {
            self.deliveries.remove(k?)?;
        }
        self.flush()
    }

    /// Records a delivery of saved search `id`, dropping the oldest beyond [`DELIVERIES_KEPT`].
    pub fn add_delivery(&self, id: &str, d: &Delivery) -> Result<()> {
        let seq = self.next_id()?;
        let key = [id.as_bytes(), b"\0", &seq.to_be_bytes()].concat();
        self.deliveries.insert(key, serde_json::to_vec(d)?)?;
        let keys: Vec<sled::IVec> = self
            .deliveries
            .scan_prefix([id.as_bytes(), b"\0"].concat())
            .keys()
            .collect::<std::result::Result<_, _>>()?;
        for k in keys.iter().take(keys.len().saturating_sub(DELIVERIES_KEPT)) {
            self.deliveries.remove(k)?;
        }
        self.flush()
    }

    /// The deliveries of saved search `id`, newest first.
    pub fn deliveries(&self, id: &str) -> Result<Vec<Delivery>> {
        let mut out: Vec<Delivery> = self
            .deliveries
            .scan_prefix([id.as_bytes(), b"\0"].concat())
            .values()
            .map(|v| Ok(serde_json::from_slice(&v?)?))
            .collect::<Result<_>>()?;
        out.reverse();
        Ok(out)
    }
}
