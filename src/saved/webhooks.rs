//! Delivers the new matches of saved searches to their webhooks: signed JSON (HMAC-SHA256 of the
//! body with the webhook's secret), retried with back-off, recorded for the owner. Runs as one
//! task beside the server and never blocks a listing write: it wakes when the index writer
//! reports changes (or every half minute), and reads the store like any reader.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::{Delivery, FeedItem, SavedSearch};
use crate::analysis::Lang;
use crate::engine::Engine;
use crate::model;

/// Waits between attempts of one delivery (the first attempt is immediate).
pub const RETRY_DELAYS: [Duration; 3] = [Duration::from_secs(1), Duration::from_secs(2), Duration::from_secs(4)];
/// How long one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// A pass runs at least this often, even without a change.
const IDLE_PASS: Duration = Duration::from_secs(30);

/// The JSON body of a delivery.
#[derive(Debug, Serialize)]
struct DeliveryBody<'a> {
    /// Delivery id (also in `X-GBA-Delivery`).
    id: &'a str,
    /// `matches`.
    event: &'static str,
    /// The saved search.
    saved_search: SavedRef<'a>,
    /// The new items, newest first.
    items: &'a [FeedItem],
    /// When this delivery was made.
    sent_at: String,
}

#[derive(Debug, Serialize)]
struct SavedRef<'a> {
    id: &'a str,
    name: &'a str,
}

/// `sha256=<hex>`: HMAC-SHA256 of `body` keyed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length: the error case does not happen.
    match <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        }
        Err(_) => String::new(),
    }
}

/// Runs the deliverer until the task is dropped.
pub async fn run(engine: Arc<Engine>) {
    let client = match reqwest::Client::builder()
        .timeout(ATTEMPT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("gba-search/", env!("CARGO_PKG_VERSION"), " webhooks"))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks disabled: no HTTP client");
            return;
        }
    };
    loop {
        let eng = engine.clone();
        let jobs = tokio::task::spawn_blocking(move || pending(&eng)).await;
        match jobs {
            Ok(Ok(jobs)) => {
                for (saved, items) in jobs {
                    deliver(&engine, &client, &saved, items).await;
                }
            }
            Ok(Err(e)) => tracing::error!(error = %e, "finding webhook matches failed"),
            Err(e) => tracing::error!(error = %e, "webhook pass failed"),
        }
        engine.saved_matches_changed_wait(IDLE_PASS).await;
    }
}

/// Saved searches with a webhook and their items newer than the webhook's cursor.
fn pending(engine: &Engine) -> crate::Result<Vec<(SavedSearch, Vec<FeedItem>)>> {
    let mut out = Vec::new();
    for saved in engine.store().all_saved()? {
        let Some(hook) = &saved.webhook else { continue };
        let items: Vec<FeedItem> = engine
            .saved_items(&saved.query, Lang::Original)?
            .into_iter()
            .filter(|i| i.updated > hook.cursor || (i.updated == hook.cursor && !hook.at_cursor.contains(&i.key)))
            .collect();
        if !items.is_empty() {
            out.push((saved, items));
        }
    }
    Ok(out)
}

async fn deliver(engine: &Arc<Engine>, client: &reqwest::Client, saved: &SavedSearch, items: Vec<FeedItem>) {
    let Some(hook) = &saved.webhook else { return };
    let nonce = model::random_hex(8).unwrap_or_else(|_| format!("{:016x}", model::now_ts()));
    let id = format!("dlv-{nonce}");
    let payload = DeliveryBody {
        id: &id,
        event: "matches",
        saved_search: SavedRef { id: &saved.id, name: &saved.name },
        items: &items,
        sent_at: model::format_rfc3339(model::now_ts()),
    };
    let Ok(body) = serde_json::to_vec(&payload) else { return };
    let sig = signature(&hook.secret, &body);
    let mut attempts = 0;
    let mut outcome: (Option<u16>, Option<String>) = (None, None);
    let mut delivered = false;
    for delay in std::iter::once(Duration::ZERO).chain(RETRY_DELAYS) {
        tokio::time::sleep(delay).await;
        attempts += 1;
        let sent = client
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("x-gba-event", "matches")
            .header("x-gba-delivery", &id)
            .header("x-gba-signature", &sig)
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(resp) if resp.status().is_success() => {
                outcome = (Some(resp.status().as_u16()), None);
                delivered = true;
                break;
            }
            Ok(resp) => outcome = (Some(resp.status().as_u16()), Some(format!("answered {}", resp.status()))),
            Err(e) => outcome = (None, Some(e.to_string())),
        }
    }
    let record = Delivery {
        id,
        at: model::format_rfc3339(model::now_ts()),
        status: if delivered { "delivered" } else { "failed" }.into(),
        attempts,
        http_status: outcome.0,
        error: outcome.1,
        items: items.len(),
    };
    if !delivered {
        tracing::warn!(saved = %saved.id, attempts, error = ?record.error, "webhook delivery failed");
    }
    let cursor = items.iter().map(|i| i.updated.clone()).max().unwrap_or_else(|| hook.cursor.clone());
    let mut at_cursor: Vec<String> = items.iter().filter(|i| i.updated == cursor).map(|i| i.key.clone()).collect();
    if cursor == hook.cursor {
        at_cursor.extend(hook.at_cursor.iter().cloned());
    }
    let (engine, saved_id, url) = (engine.clone(), saved.id.clone(), hook.url.clone());
    let stored = tokio::task::spawn_blocking(move || {
        engine.store().add_delivery(&saved_id, &record)?;
        engine.advance_webhook(&saved_id, &url, cursor, at_cursor)
    })
    .await;
    if !matches!(stored, Ok(Ok(()))) {
        tracing::error!(saved = %saved.id, "recording a webhook delivery failed");
    }
}
