//! The matchmaking board: supply ↔ demand pairs above a score threshold, recomputed for a
//! listing whenever it changes (never on a request), stored in sled, read newest first.

use std::collections::HashMap;
use std::time::{Duration, Instant};

mod store;

use crate::analysis::Lang;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::matching::{self, Reason, Source, is_border};
use crate::model::{self, Collection, Record};

pub use store::Pair;

/// A pair reaches the board from this match score on.
pub const BOARD_THRESHOLD: f32 = 0.6;
/// Listings read from the queue at a time.
const BACKLOG_BATCH: usize = 64;
/// Pairs kept per listing (its best counterparts).
pub const PAIRS_PER_LISTING: usize = 5;

/// Which pairs to show.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    /// City codes: either side in one of them.
    pub cities: Vec<String>,
    /// Cluster codes: either side in one of them.
    pub clusters: Vec<String>,
    /// Only Hong Kong / Macau ↔ Guangdong pairs.
    pub cross_border: bool,
    /// Only pairs that involve this listing.
    pub listing: Option<String>,
}

/// One side of a pair.
#[derive(Debug, Clone)]
pub struct BoardSide {
    /// Listing id.
    pub id: String,
    /// Title in the requested script.
    pub name: String,
    /// `supply` or `demand`.
    pub kind: String,
    /// City code (the listing's, else its owner's).
    pub city: Option<String>,
    /// Cluster codes.
    pub clusters: Vec<String>,
    /// Owner entity id.
    pub owner: Option<String>,
    /// Owner's name in the requested script.
    pub owner_name: Option<String>,
}

/// A supply ↔ demand pair on the board.
#[derive(Debug, Clone)]
pub struct BoardPair {
    /// The offer.
    pub supply: BoardSide,
    /// The need.
    pub demand: BoardSide,
    /// Match score in [0, 1].
    pub score: f32,
    /// Why they match, in the requested script.
    pub reasons: Vec<Reason>,
    /// One side in Hong Kong or Macau and the other in Guangdong.
    pub cross_border: bool,
    /// When the pair first appeared (RFC 3339).
    pub first_seen: String,
    /// When it was last recomputed.
    pub updated_at: String,
}

/// A page of the board.
#[derive(Debug, Clone)]
pub struct BoardPage {
    /// Pairs passing the filter.
    pub total: usize,
    /// 1-based page.
    pub page: usize,
    /// Pairs per page.
    pub per_page: usize,
    /// Newest first.
    pub pairs: Vec<BoardPair>,
    /// Listings whose pairs are still being recomputed (0 when the board is up to date).
    pub pending: usize,
}

/// An open, unexpired listing.
pub fn is_active(r: &Record) -> bool {
    r.str("status").unwrap_or("open") == "open"
        && r.str("expires_at").and_then(model::parse_rfc3339).is_none_or(|t| t > model::now_ts())
}

impl Engine {
    /// Recomputes the pairs of queued listings; returns how many were recomputed. Listings the
    /// last index commit applied come first, all of them; then the rest of the queue (a bulk
    /// import's backlog) until `budget` has passed, so that a backlog never holds up indexing,
    /// or, after the first, until a request is being served. `None` works the whole queue off.
    pub fn update_board(&self, budget: Option<Duration>) -> Result<usize> {
        let start = Instant::now();
        let fresh = std::mem::take(&mut *self.board_fresh.lock().map_err(|_| Error::Internal("board lock".into()))?);
        let mut done = 0;
        for id in &fresh {
            if self.store.board_queued(id)? {
                self.recompute_pairs(id)?;
                done += 1;
            }
        }
        while budget.is_none_or(|b| start.elapsed() < b && (done == 0 || !self.activity.busy())) {
            let batch = self.store.board_queue(BACKLOG_BATCH)?;
            if batch.is_empty() {
                break;
            }
            for id in &batch {
                self.recompute_pairs(id)?;
                done += 1;
                if budget.is_some_and(|b| start.elapsed() >= b || self.activity.busy()) {
                    break;
                }
            }
        }
        if done > 0 {
            tracing::debug!(listings = done, ms = start.elapsed().as_millis() as u64, "board updated");
        }
        Ok(done)
    }

    /// Whether listings still wait for their pairs.
    pub fn board_backlog(&self) -> Result<bool> {
        Ok(!self.store.board_queue(1)?.is_empty())
    }

    /// Replaces the pairs of listing `id` and takes it off the queue.
    fn recompute_pairs(&self, id: &str) -> Result<()> {
        let pairs = match self.store.get(id)? {
            Some(r) if is_active(&r) => self.pairs_for(&r)?,
            _ => Vec::new(),
        };
        self.store.replace_pairs(id, pairs)?;
        self.store.board_dequeue(id)
    }

    fn pairs_for(&self, r: &Record) -> Result<Vec<Pair>> {
        let Some(kind) = r.str("kind") else { return Ok(Vec::new()) };
        let now = model::format_rfc3339(model::now_ts());
        let matches =
            matching::find(&self.matcher(), &Source::from_record(r), &[Collection::Listings], Lang::Original, 20)?;
        let pairs = matches
            .into_iter()
            .filter(|m| m.score >= BOARD_THRESHOLD && m.kind.as_deref().is_some_and(|k| k != kind))
            .take(PAIRS_PER_LISTING)
            .map(|m| {
                let (supply, demand) = if kind == "supply" { (r.id.clone(), m.id) } else { (m.id, r.id.clone()) };
                Pair { supply, demand, score: m.score, first_seen: now.clone(), updated_at: now.clone() }
            })
            .collect();
        Ok(pairs)
    }

    /// A page of the board, newest pairs first (by the later of their two listings' posting), in
    /// `lang`.
    pub fn board(&self, filter: &BoardFilter, page: usize, per_page: usize, lang: Lang) -> Result<BoardPage> {
        let pairs = match &filter.listing {
            Some(id) => self.store.pairs_of(id)?,
            None => self.store.pairs()?,
        };
        let mut records: HashMap<String, Option<Record>> = HashMap::new();
        let mut kept: Vec<(Pair, bool, String)> = Vec::new();
        for pair in pairs {
            for id in [&pair.supply, &pair.demand] {
                if !records.contains_key(id) {
                    records.insert(id.clone(), self.store.get(id)?.filter(is_active));
                }
            }
            let (Some(Some(s)), Some(Some(d))) = (records.get(&pair.supply), records.get(&pair.demand)) else {
                continue;
            };
            let (sc, dc) = (self.city_of(s), self.city_of(d));
            let cross = matches!((is_border(sc.as_deref()), is_border(dc.as_deref())), (Some(a), Some(b)) if a != b);
            if filter.cross_border && !cross {
                continue;
            }
            if !filter.cities.is_empty()
                && ![&sc, &dc].iter().any(|c| c.as_ref().is_some_and(|c| filter.cities.contains(c)))
            {
                continue;
            }
            if !filter.clusters.is_empty()
                && ![s, d].iter().any(|r| r.strs("clusters").iter().any(|c| filter.clusters.iter().any(|f| f == c)))
            {
                continue;
            }
            // A pair is as new as its newer listing: when it became possible, whenever the
            // backlog got to it.
            let newest = s.str("created_at").max(d.str("created_at")).unwrap_or_default().to_string();
            kept.push((pair, cross, newest));
        }
        kept.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then(b.0.first_seen.cmp(&a.0.first_seen))
                .then(b.0.score.total_cmp(&a.0.score))
                .then(a.0.supply.cmp(&b.0.supply))
        });
        let total = kept.len();
        let start = (page.max(1) - 1).saturating_mul(per_page);
        let shown = kept.into_iter().skip(start).take(per_page);
        let mut out = Vec::new();
        for (pair, cross, _) in shown {
            let (Some(Some(s)), Some(Some(d))) = (records.get(&pair.supply), records.get(&pair.demand)) else {
                continue;
            };
            // Scored again, as every other surface scores the pair: the stored score only decides
            // which pairs are on the board.
            let now = matching::pair(&self.matcher(), s, d, lang);
            out.push(BoardPair {
                supply: self.side(s, lang),
                demand: self.side(d, lang),
                score: now.score,
                reasons: now.reasons,
                cross_border: cross,
                first_seen: pair.first_seen,
                updated_at: pair.updated_at,
            });
        }
        let pending = self.store.board_queue_len()? as usize;
        Ok(BoardPage { total, page: page.max(1), per_page, pairs: out, pending })
    }

    /// A listing's city, else its owner's.
    fn city_of(&self, r: &Record) -> Option<String> {
        self.matcher().city_or_owners(r.str("city"), r.str("owner"))
    }

    fn side(&self, r: &Record, lang: Lang) -> BoardSide {
        let owner = r.str("owner").map(String::from);
        let owner_name = owner.as_deref().and_then(|o| self.entity(o)).map(|e| match (lang, e.name_en) {
            (Lang::En, Some(en)) => en,
            _ => self.analyzer.to_script(&e.name, lang),
        });
        BoardSide {
            id: r.id.clone(),
            name: crate::index::display_name(&self.analyzer, r, lang),
            kind: r.str("kind").unwrap_or_default().to_string(),
            city: self.city_of(r),
            clusters: r.strs("clusters").into_iter().map(String::from).collect(),
            owner,
            owner_name,
        }
    }
}
