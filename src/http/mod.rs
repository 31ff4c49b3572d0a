//! The HTTP API: `app()` builds the router (tests drive it without a socket), `serve()` runs it
//! with graceful shutdown.

mod auth;
mod board;
mod error;
mod error_code;
mod feeds;
mod interest;
mod limits;
mod listings;
mod matching;
mod meta;
mod metrics;
mod openapi;
mod params;
mod records;
mod saved;
mod search;
pub mod views;
mod web;
#[cfg(test)]
mod web_codes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::routing::get;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use axum::http::HeaderValue as Origin;
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use openapi::ApiDoc;

/// The OpenAPI document of the API routes, as `/api/openapi.json` serves it.
pub fn openapi_document() -> Arc<serde_json::Value> {
    finished_document(|| api_routes().split_for_parts().1)
}

/// The finished document, made once per process from the routes' operations (`doc`): it is the
/// same for every app the process builds.
fn finished_document(doc: impl FnOnce() -> utoipa::openapi::OpenApi) -> Arc<serde_json::Value> {
    static DOCUMENT: std::sync::OnceLock<Arc<serde_json::Value>> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| Arc::new(openapi::finish(doc()))).clone()
}

/// The API's routes with their operations: one router per resource.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(meta::router())
        .merge(board::router())
        .merge(saved::router())
        .merge(feeds::router())
        .merge(search::router())
        .merge(openapi::router())
        .merge(listings::router())
        .merge(matching::router())
        .merge(interest::router())
        .merge(records::router())
}

use crate::engine::Engine;
use crate::index::{AnswerCache, DEFAULT_ANSWERS};

/// Longest time a request may take before it is answered 408 (default of
/// [`Config::request_timeout`]).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest time a read waits for its turn before it is answered 503 (default of
/// [`Config::read_queue_timeout`]).
pub const READ_QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The engine.
    pub engine: Arc<Engine>,
    /// Request counters and latencies for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Rate limits.
    pub limits: Arc<limits::Limits>,
    /// Webhooks may be plain `http://` to loopback (tests and local development).
    pub allow_loopback_http: bool,
    /// Permits for searches, suggestions and record reads ([`read`]).
    pub reads: Arc<Semaphore>,
    /// Longest wait for a read permit before the answer is 503 `unavailable`.
    pub read_queue_timeout: Duration,
    /// The OpenAPI document, made once from the routes.
    pub openapi: Arc<serde_json::Value>,
    /// Recent search answers, as rendered ([`crate::index::AnswerCache`]).
    pub answers: Arc<AnswerCache<views::search::SearchResponse>>,
}

/// Settings of the HTTP layer (flags or environment variables of `serve`).
#[derive(Clone, Debug)]
pub struct Config {
    /// Origins allowed to call the API from a browser (CORS); empty: none, `*`: any.
    pub cors_origins: Vec<HeaderValue>,
    /// Writes (POST, PUT, DELETE) a minute per organisation; 0: unlimited.
    pub writes_per_minute: u32,
    /// Failed token checks a minute per client address before it gets 429; 0: unlimited.
    pub auth_failures_per_minute: u32,
    /// Accept `http://` webhooks to 127.0.0.1 / localhost (otherwise only `https://`).
    pub webhooks_allow_loopback_http: bool,
    /// Searches, suggestions and record reads computed at once; the others wait their turn.
    /// Without a bound, 32 concurrent searches on two cores each took as long as all of them.
    pub concurrent_reads: u32,
    /// Longest time a request may take, body upload included, before it is answered 408.
    pub request_timeout: Duration,
    /// Longest time a read waits for its turn (under overload) before it is answered 503 with
    /// `Retry-After`, rather than queueing until the request timeout.
    pub read_queue_timeout: Duration,
    /// Search answers kept for reuse while they are exact (0: none).
    pub search_cache: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            cors_origins: Vec::new(),
            writes_per_minute: 60,
            auth_failures_per_minute: 10,
            webhooks_allow_loopback_http: false,
            concurrent_reads: default_concurrent_reads(),
            request_timeout: REQUEST_TIMEOUT,
            read_queue_timeout: READ_QUEUE_TIMEOUT,
            search_cache: DEFAULT_ANSWERS,
        }
    }
}

/// Three per core: enough that every core stays busy while a search is between its parts
/// (measured at 100k records: one per core served 25 % fewer requests a second).
pub fn default_concurrent_reads() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    u32::try_from(3 * cores).unwrap_or(u32::MAX)
}

impl Config {
    fn cors(&self) -> Option<CorsLayer> {
        if self.cors_origins.is_empty() {
            return None;
        }
        let origins = if self.cors_origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(self.cors_origins.clone())
        };
        Some(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(3600)),
        )
    }
}

/// Runs a search, a suggestion or a record read off the async runtime once one of the `reads`
/// permits is free ([`Config::concurrent_reads`]). tokio's semaphore is fair, so requests start
/// in the order they came; one that waits longer than [`Config::read_queue_timeout`] is answered
/// 503 with `Retry-After`.
pub(crate) async fn read<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let busy = || {
        ApiError::new(ErrorCode::Unavailable, "the server is too busy to start this read - Hint: retry shortly")
            .with_retry_after(1)
    };
    // Acquiring fails only on a closed semaphore, and this one is never closed.
    let Ok(Ok(permit)) = tokio::time::timeout(state.read_queue_timeout, state.reads.clone().acquire_owned()).await
    else {
        return Err(busy());
    };
    blocking(move || {
        let _permit = permit;
        f()
    })
    .await
}

/// Runs CPU-bound engine work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => Err(ApiError::internal(&format_args!("engine task failed: {e}"))),
    }
}

/// The whole application with the default [`Config`].
pub fn app(engine: Arc<Engine>) -> Router {
    app_with(engine, &Config::default())
}

/// The whole application.
pub fn app_with(engine: Arc<Engine>, config: &Config) -> Router {
    let (api, doc) = api_routes().split_for_parts();
    let limits = Arc::new(limits::Limits::new(config.writes_per_minute, config.auth_failures_per_minute));
    let state = AppState {
        engine,
        metrics: Arc::new(metrics::Metrics::default()),
        limits,
        allow_loopback_http: config.webhooks_allow_loopback_http,
        reads: Arc::new(Semaphore::new(config.concurrent_reads.max(1) as usize)),
        read_queue_timeout: config.read_queue_timeout,
        openapi: finished_document(|| doc),
        answers: Arc::new(AnswerCache::new(config.search_cache)),
    };
    let router = Router::new()
        .merge(web::router())
        .merge(api)
        .route("/metrics", get(metrics::metrics))
        .fallback(|| async { ApiError::not_found("no such endpoint - Hint: see /api/openapi.json") })
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(TraceLayer::new_for_http());
    match config.cors() {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// An origin for CORS: `*`, or `http(s)://host[:port]` without a path.
pub fn parse_origin(s: &str) -> Result<Origin, String> {
    let s = s.trim();
    let valid = s == "*"
        || ((s.starts_with("https://") || s.starts_with("http://"))
            && !s.split_once("://").is_some_and(|(_, rest)| rest.is_empty() || rest.contains('/')));
    if !valid {
        return Err(format!("{s:?} is not an origin: use https://host[:port] or *"));
    }
    HeaderValue::from_str(s).map_err(|_| format!("{s:?} is not a valid header value"))
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM, then drains in-flight requests.
pub async fn serve(engine: Arc<Engine>, addr: SocketAddr, config: Config) -> crate::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| crate::Error::io(format!("binding {addr}"), e))?;
    let local = listener.local_addr().map_err(|e| crate::Error::io("reading the bound address", e))?;
    tracing::info!(addr = %local, "gba-search listening on http://{local}");
    engine.start_writer();
    let deliverer = tokio::spawn(crate::saved::webhooks::run(engine.clone()));
    let app = app_with(engine.clone(), &config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| crate::Error::io("serving HTTP", e))?;
    tracing::info!("shutting down");
    deliverer.abort();
    tokio::time::sleep(Duration::from_millis(10)).await;
    engine.close()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
