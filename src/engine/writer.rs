//! The single background task that applies listing changes to the index in batches: writers
//! notify it after sled has made a change durable; it waits a moment for more, then commits once.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Engine;

/// How long the writer waits for more changes before committing a batch.
const BATCH_WINDOW: Duration = Duration::from_millis(100);
/// How often it checks the store even without a notification.
const IDLE_CHECK: Duration = Duration::from_secs(5);
/// Longest a pass spends on the board's backlog (listings queued by a bulk import) …
const BOARD_SLICE: Duration = Duration::from_millis(250);
/// … and the rest between two such passes: the backlog takes at most about a quarter of a core.
const BACKLOG_REST: Duration = Duration::from_millis(650);
/// While requests are being served the backlog waits, and a pass stops after one listing; but
/// one listing at least this often, so that it still ends under constant load.
const BACKLOG_UNDER_LOAD: Duration = Duration::from_secs(5);

/// The running writer.
pub(super) struct WriterHandle {
    notify: Sender<()>,
    thread: JoinHandle<()>,
}

impl Engine {
    /// Starts the background index writer (once).
    pub fn start_writer(self: &Arc<Self>) {
        let Ok(mut slot) = self.writer.lock() else {
            return;
        };
        if slot.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel::<()>();
        let weak = Arc::downgrade(self);
        let thread = std::thread::Builder::new().name("index-writer".into()).spawn(move || {
            let mut wait = Duration::ZERO;
            let mut last_backlog = Instant::now();
            loop {
                let stop = match rx.recv_timeout(wait) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => true,
                };
                if !stop {
                    std::thread::sleep(BATCH_WINDOW);
                    while rx.try_recv().is_ok() {}
                }
                let Some(engine) = weak.upgrade() else { return };
                wait = IDLE_CHECK;
                if let Err(e) = engine.apply_listing_changes() {
                    tracing::error!(error = %e, "applying listing changes to the index failed; will retry");
                } else {
                    let budget = if engine.activity.busy() && last_backlog.elapsed() < BACKLOG_UNDER_LOAD {
                        Duration::ZERO
                    } else {
                        last_backlog = Instant::now();
                        BOARD_SLICE
                    };
                    match engine.update_board(Some(budget)) {
                        Ok(0) => {}
                        Ok(_) => engine.saved_matches_changed(),
                        Err(e) => tracing::error!(error = %e, "updating the board failed; will retry"),
                    }
                    if engine.board_backlog().unwrap_or(false) {
                        wait = BACKLOG_REST;
                    }
                }
                if stop {
                    return;
                }
            }
        });
        match thread {
            Ok(thread) => *slot = Some(WriterHandle { notify: tx, thread }),
            Err(e) => tracing::error!(error = %e, "could not start the index writer"),
        }
    }

    /// Tells the writer that listings changed (falls back to applying now when none runs).
    pub fn listings_changed(&self) {
        let sent = self.writer.lock().ok().and_then(|w| w.as_ref().map(|w| w.notify.send(()).is_ok()));
        if sent != Some(true)
            && let Err(e) = self.apply_listing_changes().and_then(|_| self.update_board(None))
        {
            tracing::error!(error = %e, "applying listing changes to the index failed");
        }
    }

    /// Stops the writer after its last batch.
    pub(super) fn stop_writer(&self) {
        let handle = self.writer.lock().ok().and_then(|mut w| w.take());
        if let Some(WriterHandle { notify, thread }) = handle {
            drop(notify);
            let _ = thread.join();
        }
    }
}
