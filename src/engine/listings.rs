//! The listing lifecycle: post, edit, withdraw, renew, and brokered interest. sled is written
//! (and flushed) first; the index follows through the background writer.

use serde_json::{Map, Value};

use super::Engine;
use crate::dataset;
use crate::error::{Error, FieldError, Invalid, Result};
use crate::listings::{self, About, DEFAULT_TTL_DAYS, Interest, TokenInfo};
use crate::model::{self, Collection, Record};

/// Largest `contact` object of an expression of interest, in bytes of JSON.
pub const MAX_CONTACT_BYTES: usize = 2048;

/// Most expressions of interest one organisation may send about one listing.
pub const MAX_INTERESTS_PER_SENDER: usize = 5;

/// Longest message of an expression of interest, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

fn now_string() -> String {
    model::format_rfc3339(model::now_ts())
}

fn new_listing_id() -> Result<String> {
    Ok(format!("lst-{}", model::random_hex(6)?))
}

fn may_manage(actor: &TokenInfo, record: &Record) -> bool {
    actor.admin || record.str("owner") == Some(actor.owner.as_str())
}

impl Engine {
    /// The grant of a bearer token; `Unauthorized` when it is unknown.
    pub fn authenticate(&self, token: &str) -> Result<TokenInfo> {
        self.store.check_token(token.trim())?.ok_or_else(|| {
            Error::Unauthorized(
                "the bearer token is not valid - Hint: ask for one with `gba-search token create`".into(),
            )
        })
    }

    /// Creates a token while the server holds the data directory (moderators only).
    pub fn create_token(&self, actor: &TokenInfo, owner: &str, admin: bool) -> Result<String> {
        if !actor.admin {
            return Err(Error::Forbidden("only a moderator token can create tokens".into()));
        }
        if !dataset::valid_id(owner) {
            return Err(Error::invalid(Invalid::Owner, format!("owner {owner:?} is not a valid entity id")));
        }
        self.store.create_token(owner, admin)
    }

    fn write_lock(&self) -> Result<std::sync::MutexGuard<'_, ()>> {
        self.listing_writes.lock().map_err(|_| Error::Internal("listing write lock poisoned".into()))
    }

    fn existing(&self, id: &str) -> Result<Record> {
        self.store.get(id)?.ok_or_else(|| Error::NotFound { collection: "listings".into(), id: id.into() })
    }

    fn managed(&self, actor: &TokenInfo, id: &str) -> Result<Record> {
        let record = self.existing(id)?;
        if !may_manage(actor, &record) {
            return Err(Error::Forbidden(format!("listing {id} belongs to another organisation")));
        }
        Ok(record)
    }

    fn save(&self, body: Map<String, Value>) -> Result<Record> {
        let record = dataset::record_from_value(Collection::Listings, Value::Object(body))
            .map_err(|message| Error::InvalidFields(vec![FieldError::new("body", message)]))?;
        self.store.upsert(std::slice::from_ref(&record))?;
        self.listings_changed();
        Ok(record)
    }

    /// Posts a new listing for the token's organisation. Durable when this returns.
    pub fn create_listing(&self, actor: &TokenInfo, input: &Value) -> Result<Record> {
        let now = model::now_ts();
        let mut body = listings::validate(input, now).map_err(Error::InvalidFields)?;
        let stamp = model::format_rfc3339(now);
        body.insert("id".into(), Value::String(new_listing_id()?));
        body.insert("owner".into(), Value::String(actor.owner.clone()));
        body.insert("status".into(), Value::String("open".into()));
        for key in ["created_at", "updated_at", "last_confirmed_at"] {
            body.insert(key.into(), Value::String(stamp.clone()));
        }
        if !body.contains_key("city")
            && let Some(city) = self.entity(&actor.owner).and_then(|e| e.city)
        {
            body.insert("city".into(), Value::String(city));
        }
        self.save(body)
    }

    /// Replaces the editable fields of a listing (owner or moderator). `status` may be set to
    /// `open` or `closed`; a withdrawn listing cannot be edited.
    pub fn update_listing(&self, actor: &TokenInfo, id: &str, input: &Value) -> Result<Record> {
        let _write = self.write_lock()?;
        let old = self.managed(actor, id)?;
        if old.str("status") == Some("withdrawn") {
            return Err(Error::Conflict(format!("listing {id} was withdrawn and can no longer change")));
        }
        let status = match input.get("status").and_then(Value::as_str) {
            None => old.str("status").unwrap_or("open").to_string(),
            Some(s @ ("open" | "closed")) => s.to_string(),
            Some(_) => {
                let why = "must be open or closed (withdraw with DELETE)";
                return Err(Error::InvalidFields(vec![FieldError::new("status", why)]));
            }
        };
        let now = model::now_ts();
        let mut body = listings::validate(input, now).map_err(Error::InvalidFields)?;
        for key in ["id", "owner", "created_at"] {
            if let Some(v) = old.body.get(key) {
                body.insert(key.into(), v.clone());
            }
        }
        body.insert("status".into(), Value::String(status));
        body.insert("updated_at".into(), Value::String(now_string()));
        body.insert("last_confirmed_at".into(), Value::String(now_string()));
        if !body.contains_key("city")
            && let Some(c) = old.body.get("city")
        {
            body.insert("city".into(), c.clone());
        }
        self.save(body)
    }

    /// Withdraws a listing (owner or moderator): it leaves search for good.
    pub fn withdraw_listing(&self, actor: &TokenInfo, id: &str) -> Result<Record> {
        let _write = self.write_lock()?;
        let mut body = self.managed(actor, id)?.body;
        body.insert("status".into(), Value::String("withdrawn".into()));
        body.insert("updated_at".into(), Value::String(now_string()));
        self.save(body)
    }

    /// Confirms a listing is still current: sets `last_confirmed_at` and extends the expiry to
    /// at least 180 days from now.
    pub fn confirm_listing(&self, actor: &TokenInfo, id: &str) -> Result<Record> {
        let _write = self.write_lock()?;
        let old = self.managed(actor, id)?;
        if old.str("status") == Some("withdrawn") {
            return Err(Error::Conflict(format!("listing {id} was withdrawn; post a new one")));
        }
        let now = model::now_ts();
        let mut body = old.body.clone();
        let renewed = now + DEFAULT_TTL_DAYS * 86_400;
        let expires = old.str("expires_at").and_then(model::parse_rfc3339).unwrap_or(0);
        if expires < renewed {
            body.insert("expires_at".into(), Value::String(model::format_rfc3339(renewed)));
        }
        body.insert("last_confirmed_at".into(), Value::String(model::format_rfc3339(now)));
        self.save(body)
    }

    /// A listing from the store, and whether `actor` may see its private fields.
    pub fn listing_for(&self, actor: Option<&TokenInfo>, id: &str) -> Result<(Record, bool)> {
        let record = self.existing(id)?;
        let privileged = actor.is_some_and(|a| may_manage(a, &record));
        Ok((record, privileged))
    }

    /// Records an expression of interest from the token's organisation.
    pub fn express_interest(&self, actor: &TokenInfo, id: &str, input: &Value) -> Result<Interest> {
        let record = self.existing(id)?;
        if record.str("status") == Some("withdrawn") {
            return Err(Error::Conflict(format!("listing {id} was withdrawn")));
        }
        if record.str("owner") == Some(actor.owner.as_str()) {
            return Err(Error::invalid(
                Invalid::OwnListing,
                "an organisation cannot express interest in its own listing",
            ));
        }
        let (message, contact) = interest_input(input)?;
        let _write = self.write_lock()?;
        self.add_interest(actor, About::Listing(id), None, message, contact)
    }

    /// Records the expression of interest of `actor`'s organisation, at most
    /// [`MAX_INTERESTS_PER_SENDER`] per sender and subject. The caller holds the write lock.
    fn add_interest(
        &self,
        actor: &TokenInfo,
        about: About<'_>,
        to: Option<String>,
        message: String,
        contact: Option<Value>,
    ) -> Result<Interest> {
        let earlier = self.store.interests(about)?.iter().filter(|i| i.from == actor.owner).count();
        if earlier >= MAX_INTERESTS_PER_SENDER {
            return Err(Error::Conflict(format!(
                "your organisation has already expressed interest in {} {earlier} times - Hint: wait for the reply",
                about.id()
            )));
        }
        let from_name = self.entity(&actor.owner).map(|e| e.name);
        self.store.add_interest(about, to, &actor.owner, from_name, message, contact)
    }

    /// Records interest in an organisation or an expert (`collection` entities or talents): the
    /// organisation — the expert's affiliation — receives the message and the contact. Durable
    /// when this returns.
    pub fn express_interest_in(
        &self,
        actor: &TokenInfo,
        collection: Collection,
        id: &str,
        input: &Value,
    ) -> Result<Interest> {
        let recipient = self.recipient(collection, id)?;
        if recipient == actor.owner {
            return Err(Error::invalid(
                Invalid::OwnListing,
                "an organisation cannot express interest in itself or in its own experts",
            ));
        }
        let (message, contact) = interest_input(input)?;
        let _write = self.write_lock()?;
        self.add_interest(actor, About::Record(collection, id), Some(recipient), message, contact)
    }

    /// The expressions of interest in an organisation or an expert: for the organisation they
    /// were addressed to (an expert who moved leaves the earlier messages with the organisation
    /// that received them) and moderators; 403 for anyone but the present recipient.
    pub fn record_interests(&self, actor: &TokenInfo, collection: Collection, id: &str) -> Result<Vec<Interest>> {
        let recipient = self.recipient(collection, id)?;
        if !actor.admin && actor.owner != recipient {
            return Err(Error::Forbidden(format!("messages to {id} are for {recipient}")));
        }
        let all = self.store.interests(About::Record(collection, id))?;
        Ok(all.into_iter().filter(|i| actor.admin || i.to.as_deref() == Some(actor.owner.as_str())).collect())
    }

    /// The organisation that receives messages to record `id` of `collection`: an organisation
    /// itself, an expert's affiliation (409 for an expert without one).
    fn recipient(&self, collection: Collection, id: &str) -> Result<String> {
        let not_found = || Error::NotFound { collection: collection.as_str().into(), id: id.into() };
        let record = match collection {
            Collection::Entities | Collection::Talents => self.index().get(collection, id)?.ok_or_else(not_found)?,
            _ => return Err(not_found()),
        };
        match collection {
            Collection::Entities => Ok(record.id),
            _ => record.str("affiliation").map(String::from).ok_or_else(|| {
                Error::Conflict(format!(
                    "expert {id} has no organisation to pass a message on - Hint: contact them directly"
                ))
            }),
        }
    }

    /// The expressions of interest in a listing (owner or moderator).
    pub fn interests(&self, actor: &TokenInfo, id: &str) -> Result<Vec<Interest>> {
        self.managed(actor, id)?;
        self.store.interests(About::Listing(id))
    }
}

/// The message (1 to [`MAX_MESSAGE_CHARS`] characters) and the optional contact object (at most
/// [`MAX_CONTACT_BYTES`] of JSON) of an expression of interest; 422 naming each field at fault.
fn interest_input(input: &Value) -> Result<(String, Option<Value>)> {
    let mut errors = Vec::new();
    let message = match input.get("message").and_then(Value::as_str).map(str::trim) {
        Some(m) if !m.is_empty() && m.chars().count() <= MAX_MESSAGE_CHARS => m.to_string(),
        _ => {
            errors.push(FieldError::new("message", format!("required, 1 to {MAX_MESSAGE_CHARS} characters")));
            String::new()
        }
    };
    let contact = match input.get("contact") {
        None | Some(Value::Null) => None,
        Some(c @ Value::Object(_)) if c.to_string().len() > MAX_CONTACT_BYTES => {
            errors.push(FieldError::new("contact", format!("at most {MAX_CONTACT_BYTES} bytes")));
            None
        }
        Some(c @ Value::Object(_)) => Some(c.clone()),
        Some(_) => {
            errors.push(FieldError::new("contact", "must be an object"));
            None
        }
    };
    if !errors.is_empty() {
        return Err(Error::InvalidFields(errors));
    }
    Ok((message, contact))
}
