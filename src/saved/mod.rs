//! Saved searches: what they follow, the items that match them (for their feeds and webhooks),
//! their storage (`store`) and the delivery of new items to webhooks (`webhooks`).

mod store;
pub mod webhooks;

use serde::Serialize;

pub use store::{DELIVERIES_KEPT, Delivery, SavedQuery, SavedSearch, Webhook};

use crate::analysis::Lang;
use crate::board::BoardFilter;
use crate::engine::Engine;
use crate::error::{Error, FieldError, Result};
use crate::index::{self, SearchRequest, Sort};
use crate::listings::TokenInfo;
use crate::model::{self, Collection};

/// Saved searches per organisation.
pub const SAVED_PER_OWNER: usize = 20;
/// Items in a feed or a webhook delivery.
pub const FEED_ITEMS: usize = 20;

/// One thing that matches a saved search or a board filter: a record or a pair.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeedItem {
    /// Stable key: `record/{collection}/{id}` or `pair/{supply}/{demand}`.
    pub key: String,
    /// Title in the requested script.
    pub title: String,
    /// Path of the web page (`/listings/lst-…`).
    pub path: String,
    /// Plain-text summary.
    pub summary: String,
    /// When it appeared or last changed (RFC 3339).
    pub updated: String,
}

impl Engine {
    /// Wakes whoever waits in [`Engine::saved_matches_changed_wait`] (the webhook deliverer).
    pub fn saved_matches_changed(&self) {
        self.webhooks_due.notify_one();
    }

    /// Waits until something changed that saved searches may match, or `timeout` passed.
    pub async fn saved_matches_changed_wait(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.webhooks_due.notified()).await;
    }

    /// Saves a search for `actor`'s organisation (422 naming each bad field).
    pub fn create_saved(&self, actor: &TokenInfo, name: &str, query: SavedQuery) -> Result<SavedSearch> {
        let mut errors = Vec::new();
        let name = name.trim();
        if name.chars().count() > 100 {
            errors.push(FieldError::new("name", "at most 100 characters"));
        }
        if query.q.chars().count() > 1000 {
            errors.push(FieldError::new("q", "at most 1,000 characters"));
        }
        for c in &query.collections {
            if Collection::parse(c).is_none() {
                errors.push(FieldError::new("collections", format!("unknown collection {c:?}")));
            }
        }
        for (name, values, table) in [
            ("city", &query.city, &model::CITIES[..]),
            ("cluster", &query.cluster, &model::CLUSTERS[..]),
            ("kind", &query.kind, &model::KINDS[..]),
        ] {
            for v in values {
                if model::code_ord(table, v).is_none() {
                    errors.push(FieldError::new(name, format!("unknown code {v:?}")));
                }
            }
        }
        if let Some(id) = &query.listing
            && self.store.get(id)?.is_none()
        {
            errors.push(FieldError::new("listing", format!("no listing {id:?}")));
        }
        if !errors.is_empty() {
            return Err(Error::InvalidFields(errors));
        }
        let _guard = self.listing_writes.lock().map_err(|_| Error::Internal("write lock poisoned".into()))?;
        let owned = self.store.all_saved()?.into_iter().filter(|s| s.owner == actor.owner).count();
        if owned >= SAVED_PER_OWNER {
            return Err(Error::Conflict(format!(
                "an organisation keeps at most {SAVED_PER_OWNER} saved searches - Hint: delete one first"
            )));
        }
        let label =
            if name.is_empty() { query.listing.clone().unwrap_or_else(|| query.q.clone()) } else { name.into() };
        let saved = SavedSearch {
            id: model::random_hex(16)?,
            owner: actor.owner.clone(),
            name: label,
            query,
            created_at: model::format_rfc3339(model::now_ts()),
            webhook: None,
        };
        self.store.put_saved(&saved)?;
        Ok(saved)
    }

    /// The saved searches of `actor`'s organisation (every one for a moderator).
    pub fn saved_searches(&self, actor: &TokenInfo) -> Result<Vec<SavedSearch>> {
        let mut all: Vec<SavedSearch> =
            self.store.all_saved()?.into_iter().filter(|s| actor.admin || s.owner == actor.owner).collect();
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(all)
    }

    /// One saved search of `actor`'s organisation (404 for anyone else's: ids are not disclosed).
    pub fn saved_search(&self, actor: &TokenInfo, id: &str) -> Result<SavedSearch> {
        match self.store.saved(id)? {
            Some(s) if actor.admin || s.owner == actor.owner => Ok(s),
            _ => Err(Error::NotFound { collection: "saved".into(), id: id.into() }),
        }
    }

    /// Deletes a saved search of `actor`'s organisation.
    pub fn delete_saved(&self, actor: &TokenInfo, id: &str) -> Result<SavedSearch> {
        let s = self.saved_search(actor, id)?;
        self.store.delete_saved(id)?;
        Ok(s)
    }

    /// Registers (or replaces) the webhook of a saved search; returns it with its new secret.
    pub fn set_webhook(&self, actor: &TokenInfo, id: &str, url: &str, allow_loopback_http: bool) -> Result<Webhook> {
        let url = url.trim();
        check_webhook_url(url, allow_loopback_http)
            .map_err(|m| Error::InvalidFields(vec![FieldError::new("url", m)]))?;
        let _guard = self.listing_writes.lock().map_err(|_| Error::Internal("write lock poisoned".into()))?;
        let mut s = self.saved_search(actor, id)?;
        let now = model::format_rfc3339(model::now_ts());
        let hook = Webhook {
            url: url.into(),
            secret: model::random_hex(32)?,
            created_at: now.clone(),
            cursor: now,
            at_cursor: Vec::new(),
        };
        s.webhook = Some(hook.clone());
        self.store.put_saved(&s)?;
        Ok(hook)
    }

    /// Removes the webhook of a saved search.
    pub fn remove_webhook(&self, actor: &TokenInfo, id: &str) -> Result<SavedSearch> {
        let _guard = self.listing_writes.lock().map_err(|_| Error::Internal("write lock poisoned".into()))?;
        let mut s = self.saved_search(actor, id)?;
        s.webhook = None;
        self.store.put_saved(&s)?;
        Ok(s)
    }

    /// Moves a webhook's cursor past the items handled (unless the search or hook changed meanwhile).
    pub fn advance_webhook(&self, id: &str, url: &str, cursor: String, at_cursor: Vec<String>) -> Result<()> {
        let _guard = self.listing_writes.lock().map_err(|_| Error::Internal("write lock poisoned".into()))?;
        let Some(mut s) = self.store.saved(id)? else { return Ok(()) };
        if let Some(h) = s.webhook.as_mut().filter(|h| h.url == url) {
            h.cursor = cursor;
            h.at_cursor = at_cursor;
            self.store.put_saved(&s)?;
        }
        Ok(())
    }

    /// The newest items matching a saved search: records for a query, pairs for a listing.
    pub fn saved_items(&self, query: &SavedQuery, lang: Lang) -> Result<Vec<FeedItem>> {
        if let Some(listing) = &query.listing {
            let filter = BoardFilter { listing: Some(listing.clone()), ..BoardFilter::default() };
            return self.board_items(&filter, lang);
        }
        let ords = |values: &[String], table: &[model::Code]| -> Vec<u64> {
            values.iter().filter_map(|v| model::code_ord(table, v)).collect()
        };
        let req = SearchRequest {
            q: query.q.clone(),
            collections: query.collections.iter().filter_map(|c| Collection::parse(c)).collect(),
            cities: ords(&query.city, &model::CITIES),
            clusters: ords(&query.cluster, &model::CLUSTERS),
            kinds: ords(&query.kind, &model::KINDS),
            per_page: FEED_ITEMS,
            sort: Sort::Newest,
            lang: Some(lang),
            ..SearchRequest::default()
        };
        let found = self.index.search(&req)?;
        let analyzer = self.index.analyzer();
        let marker = index::Marker::new(analyzer, &found.marks.terms, &found.marks.bigrams);
        Ok(found
            .hits
            .iter()
            .map(|h| {
                let r = &h.record;
                let (collection, id) = (r.collection.as_str(), &r.id);
                FeedItem {
                    key: format!("record/{collection}/{id}"),
                    path: format!("/{collection}/{id}"),
                    summary: index::snippet_of(analyzer, r, lang, &marker).replace("<mark>", "").replace("</mark>", ""),
                    updated: r.str("updated_at").unwrap_or("1970-01-01T00:00:00Z").to_string(),
                    title: index::display_name(analyzer, r, lang),
                }
            })
            .collect())
    }

    /// The newest board pairs passing `filter`, as feed items.
    pub fn board_items(&self, filter: &BoardFilter, lang: Lang) -> Result<Vec<FeedItem>> {
        let page = self.board(filter, 1, FEED_ITEMS, lang)?;
        Ok(page
            .pairs
            .into_iter()
            .map(|p| {
                let reasons: Vec<String> = p.reasons.iter().map(|r| r.text.clone()).collect();
                FeedItem {
                    key: format!("pair/{}/{}", p.supply.id, p.demand.id),
                    title: format!("{} ↔ {}", p.supply.name, p.demand.name),
                    path: format!("/listings/{}", p.demand.id),
                    summary: format!("{:.0}% · {}", p.score * 100.0, reasons.join(" · ")),
                    updated: p.first_seen,
                }
            })
            .collect())
    }
}

/// A webhook must be HTTPS (plain HTTP only to loopback, when the server allows it, for tests).
pub fn check_webhook_url(url: &str, allow_loopback_http: bool) -> std::result::Result<(), String> {
    if url.len() > 2000 {
        return Err("at most 2,000 characters".into());
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("must be an absolute https:// URL ({e})"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match parsed.scheme() {
        "https" if parsed.host_str().is_some() => Ok(()),
        "http" if loopback && allow_loopback_http => Ok(()),
        _ => Err("must be an https:// URL".into()),
    }
}
