//! `GET /metrics`: Prometheus text format — requests and latencies by route, index size and
//! documents, last commit age. Counted by a middleware on the matched route (never the raw path,
//! so hostile URLs cannot grow the tables).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, blocking};
use crate::model::Collection;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Route {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request counters and latency histograms by route.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), Route>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut routes) = self.routes.lock() else { return };
        let r = routes.entry((method.to_string(), route.to_string())).or_default();
        *r.by_status.entry(status).or_default() += 1;
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                r.buckets[i] += 1;
            }
        }
        r.count += 1;
        r.sum += seconds;
    }
}

/// Middleware: counts every request under its matched route (`unmatched` for 404s), and marks
/// the engine busy while it runs (the board's backlog waits for a quiet moment).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let _busy = state.engine.begin_request();
    let resp = next.run(req).await;
    state.metrics.record(&method, &route, resp.status().as_u16(), started.elapsed().as_secs_f64());
    resp
}

/// The metrics in Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let engine = state.engine.clone();
    let index = blocking(move || {
        let counts = engine.index().counts()?;
        let statuses = engine.index().listing_statuses()?;
        Ok((counts, statuses, engine.index().size_bytes(), engine.index().last_commit_age()))
    })
    .await;
    let mut out = String::new();
    let _ = writeln!(out, "# HELP gba_http_requests_total HTTP requests by route, method and status.");
    let _ = writeln!(out, "# TYPE gba_http_requests_total counter");
    let routes = state.metrics.routes.lock().map(|r| {
        r.iter().map(|(k, v)| (k.clone(), v.by_status.clone(), v.buckets, v.count, v.sum)).collect::<Vec<_>>()
    });
    let routes = routes.unwrap_or_default();
    for ((method, route), by_status, _, _, _) in &routes {
        for (status, n) in by_status {
            let _ = writeln!(
                out,
                "gba_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
    }
    let _ = writeln!(out, "# HELP gba_http_request_duration_seconds Request latency by route.");
    let _ = writeln!(out, "# TYPE gba_http_request_duration_seconds histogram");
    for ((method, route), _, buckets, count, sum) in &routes {
        let labels = format!("method=\"{method}\",route=\"{route}\"");
        for (b, n) in BUCKETS.iter().zip(buckets) {
            let _ = writeln!(out, "gba_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {n}");
        }
        let _ = writeln!(out, "gba_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "gba_http_request_duration_seconds_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "gba_http_request_duration_seconds_count{{{labels}}} {count}");
    }
    if let Ok((counts, statuses, size, age)) = index {
        let _ = writeln!(out, "# HELP gba_listings Listings by status (open means open and unexpired).");
        let _ = writeln!(out, "# TYPE gba_listings gauge");
        for (status, n) in statuses {
            let _ = writeln!(out, "gba_listings{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP gba_index_documents Documents in the index by collection (all statuses).");
        let _ = writeln!(out, "# TYPE gba_index_documents gauge");
        for c in Collection::ALL {
            let _ = writeln!(
                out,
                "gba_index_documents{{collection=\"{}\"}} {}",
                c.as_str(),
                counts.collection[c.ord() as usize]
            );
        }
        let _ = writeln!(out, "# HELP gba_index_size_bytes Size of the index files.");
        let _ = writeln!(out, "# TYPE gba_index_size_bytes gauge");
        let _ = writeln!(out, "gba_index_size_bytes {size}");
        let _ = writeln!(out, "# HELP gba_index_last_commit_age_seconds Seconds since the index was last committed.");
        let _ = writeln!(out, "# TYPE gba_index_last_commit_age_seconds gauge");
        let _ = writeln!(out, "gba_index_last_commit_age_seconds {age}");
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}
