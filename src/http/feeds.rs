//! Atom 1.0 feeds: `/feeds/saved/{id}` (a saved search; unlisted, its id unguessable) and
//! `/feeds/board` (the board with its filters). Written with the `atom_syndication` crate.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::board::BoardParams;
use super::error::{ApiError, ErrorBody};
use super::params::ApiQuery;
use super::search::parse_lang;
use super::{AppState, blocking};
use crate::analysis::Lang;
use crate::error::Error;
use crate::saved::FeedItem;

/// Parameters of a saved search's feed.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// Script of titles and summaries: `zh-Hans`, `zh-Hant` or `en`.
    lang: Option<String>,
}

fn time(rfc3339: &str) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(rfc3339).unwrap_or_default()
}

/// `scheme://host` of the request, for absolute links (feed readers need them).
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("127.0.0.1:8080");
    let proto = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    if let Some(m) = mime {
        l.set_mime_type(m.to_string());
    }
    l
}

/// An Atom document of `items`.
fn atom(
    id: String,
    title: String,
    self_url: String,
    page_url: String,
    fallback_updated: &str,
    items: Vec<FeedItem>,
) -> Response {
    let base = self_url.split("/feeds/").next().unwrap_or_default().to_string();
    let updated = items.iter().map(|i| i.updated.as_str()).max().unwrap_or(fallback_updated).to_string();
    let entries: Vec<Entry> = items
        .into_iter()
        .map(|i| {
            let mut e = Entry::default();
            e.set_id(format!("tag:gba-search,2026:{}", i.key));
            e.set_title(Text::plain(i.title));
            e.set_updated(time(&i.updated));
            e.set_links(vec![link(format!("{base}{}", i.path), "alternate", Some("text/html"))]);
            e.set_summary(Some(Text::plain(i.summary)));
            e
        })
        .collect();
    let mut author = Person::default();
    author.set_name("gba-search");
    let mut feed = Feed::default();
    feed.set_id(id);
    feed.set_title(Text::plain(title));
    feed.set_updated(time(&updated));
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        link(self_url, "self", Some("application/atom+xml")),
        link(page_url, "alternate", Some("text/html")),
    ]);
    feed.set_entries(entries);
    let mut resp = feed.to_string().into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    resp
}

/// The Atom feed of a saved search: its newest matching records, or the pairs of the listing it
/// follows. Unlisted: only someone given the address can read it.
#[utoipa::path(get, path = "/feeds/saved/{id}", operation_id = "getSavedSearchFeed", tag = "alerts",
    params(("id" = String, Path, description = "saved search id"), FeedParams),
    responses(
        (status = 200, description = "Atom 1.0", content_type = "application/atom+xml", body = String),
        (status = 404, description = "No such saved search", body = ErrorBody),
    ))]
pub async fn saved_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<FeedParams>,
) -> Result<Response, ApiError> {
    let lang = parse_lang(p.lang.as_deref())?.unwrap_or(Lang::Original);
    let engine = state.engine.clone();
    let key = id.clone();
    let (saved, items) = blocking(move || {
        let saved = engine
            .store()
            .saved(&key)?
            .ok_or_else(|| Error::NotFound { collection: "saved".into(), id: key.clone() })?;
        let items = engine.saved_items(&saved.query, lang)?;
        Ok((saved, items))
    })
    .await?;
    let origin = origin(&headers);
    let page = match &saved.query.listing {
        Some(l) => format!("{origin}/listings/{l}"),
        None => format!("{origin}/?q={}", form_encode(&saved.query.q)),
    };
    Ok(atom(
        format!("tag:gba-search,2026:saved/{}", saved.id),
        format!("gba-search · {}", saved.name),
        format!("{origin}/feeds/saved/{}", saved.id),
        page,
        &saved.created_at,
        items,
    ))
}

/// The Atom feed of the board (same filters as `/api/board`): the newest pairs.
#[utoipa::path(get, path = "/feeds/board", operation_id = "getBoardFeed", tag = "alerts", params(BoardParams),
    responses(
        (status = 200, description = "Atom 1.0", content_type = "application/atom+xml", body = String),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn board_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<BoardParams>,
) -> Result<Response, ApiError> {
    let filter = p.filter()?;
    let lang = parse_lang(p.lang.as_deref())?.unwrap_or(Lang::Original);
    let engine = state.engine.clone();
    let described = format!(
        "city={}&cluster={}&cross_border={}",
        filter.cities.join(","),
        filter.clusters.join(","),
        filter.cross_border
    );
    let items = blocking(move || engine.board_items(&filter, lang)).await?;
    let origin = origin(&headers);
    let title = match lang {
        Lang::En => "gba-search · matchmaking board",
        Lang::Hant => "gba-search · 供需配對",
        _ => "gba-search · 供需配对",
    };
    Ok(atom(
        format!("tag:gba-search,2026:board?{described}"),
        title.to_string(),
        format!("{origin}/feeds/board?{described}"),
        format!("{origin}/board?{described}"),
        "2026-01-01T00:00:00Z",
        items,
    ))
}

/// Percent-encodes a query value for a link.
fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(saved_feed)).routes(routes!(board_feed))
}
