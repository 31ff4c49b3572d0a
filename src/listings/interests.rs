//! Expressions of interest in a listing, an organisation or an expert: recorded with the
//! interested party's message and contact, readable only by the organisation addressed (the
//! listing's owner, the organisation itself, the expert's affiliation) and moderators.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ListingStore;
use crate::error::Result;
use crate::model::{self, Collection};

/// First byte of the keys of interest in a record (an organisation, an expert): apart from
/// every listing id.
const RECORD_TAG: u8 = 1;

/// What an expression of interest is about.
#[derive(Debug, Clone, Copy)]
pub enum About<'a> {
    /// A listing, by id.
    Listing(&'a str),
    /// An organisation or an expert: its collection and id.
    Record(Collection, &'a str),
}

impl About<'_> {
    /// The id of the listing or record.
    pub fn id(&self) -> &str {
        match self {
            About::Listing(id) | About::Record(_, id) => id,
        }
    }

    /// The key prefix of its expressions of interest: a listing's id (as it always was), or a
    /// byte no id has (ids are printable ASCII), then `collection:id`.
    fn prefix(&self) -> Vec<u8> {
        match self {
            About::Listing(id) => prefix(id),
            About::Record(c, id) => {
                let mut k = vec![RECORD_TAG];
                k.extend(prefix(&format!("{}:{id}", c.as_str())));
                k
            }
        }
    }
}

/// One expression of interest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Interest {
    /// Id of this expression of interest.
    pub id: String,
    /// The listing it is about (an expression of interest in a listing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<String>,
    /// The collection of the record it is about (`entities` or `talents`: interest in an
    /// organisation or an expert).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// The id of that record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The organisation it was addressed to when it was sent (interest in a record: the
    /// organisation itself, or the expert's affiliation); only it and moderators read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Entity id of the interested organisation (from its token).
    pub from: String,
    /// Name of the interested organisation, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The message.
    pub message: String,
    /// How to reach the interested party (shared with the owner only, through this record).
    #[serde(skip_serializing_if = "Option::is_none")]
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
        about: About<'_>,
        to: Option<String>,
        from: &str,
        from_name: Option<String>,
        message: String,
        contact: Option<Value>,
    ) -> Result<Interest> {
        let n = self.next_id()?;
        let (listing, collection, record) = match about {
            About::Listing(id) => (Some(id.to_string()), None, None),
            About::Record(c, id) => (None, Some(c.as_str().to_string()), Some(id.to_string())),
        };
        let interest = Interest {
            id: format!("int-{n}"),
            listing,
            collection,
            record,
            to,
            from: from.to_string(),
            from_name,
            message,
            contact,
            created_at: model::format_rfc3339(model::now_ts()),
        };
        let mut key = about.prefix();
        key.extend_from_slice(&n.to_be_bytes());
        self.interests.insert(key, serde_json::to_vec(&interest)?)?;
        self.flush()?;
        Ok(interest)
    }

    /// The expressions of interest in what `about` names, oldest first.
    pub fn interests(&self, about: About<'_>) -> Result<Vec<Interest>> {
        self.interests.scan_prefix(about.prefix()).values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }

    /// Every expression of interest (for export).
    pub fn all_interests(&self) -> Result<Vec<Interest>> {
        self.interests.iter().values().map(|v| Ok(serde_json::from_slice(&v?)?)).collect()
    }
}
