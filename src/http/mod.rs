//! The HTTP API: `app()` builds the router (tests drive it without a socket), `serve()` runs it
//! with graceful shutdown.

mod auth;
mod error;
mod listings;
mod matching;
mod meta;
mod metrics;
mod openapi;
mod params;
mod records;
mod search;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ErrorBody};
pub use openapi::ApiDoc;

use crate::engine::Engine;

/// Longest time a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The engine.
    pub engine: Arc<Engine>,
    /// Request counters and latencies for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

/// Runs CPU-bound engine work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => {
            tracing::error!(error = %e, "engine task failed");
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; it has been logged"))
        }
    }
}

/// The whole application.
pub fn app(engine: Arc<Engine>) -> Router {
    let state = AppState { engine, metrics: Arc::new(metrics::Metrics::default()) };
    Router::new()
        .route("/", get(home))
        .merge(meta::router())
        .merge(search::router())
        .merge(openapi::router())
        .merge(listings::router())
        .merge(matching::router())
        .merge(records::router())
        .route("/metrics", get(metrics::metrics))
        .fallback(|| async { ApiError::not_found("no such endpoint - Hint: see /api/openapi.json") })
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(TraceLayer::new_for_http())
}

async fn home() -> impl IntoResponse {
    Html(include_str!("home.html"))
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM, then drains in-flight requests.
pub async fn serve(engine: Arc<Engine>, addr: SocketAddr) -> crate::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| crate::Error::io(format!("binding {addr}"), e))?;
    let local = listener.local_addr().map_err(|e| crate::Error::io("reading the bound address", e))?;
    tracing::info!(addr = %local, "gba-search listening on http://{local}");
    engine.start_writer();
    axum::serve(listener, app(engine.clone()))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| crate::Error::io("serving HTTP", e))?;
    tracing::info!("shutting down");
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
