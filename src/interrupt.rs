//! Ctrl-C (SIGINT) and SIGTERM during `apply` and `destroy`. Owns the count of signals received
//! and the listener that counts them. The first signal asks the walk to start nothing new and to
//! let the operations in flight finish (each is recorded in state as usual); the second abandons
//! those still running. The scheduler ([`crate::graph::sched`]) reads it; the CLI says what
//! finished and exits 130.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

/// A handle on the signals one command received; clones share them.
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    count: AtomicUsize,
    changed: Notify,
}

impl Interrupt {
    pub fn new() -> Self {
        Interrupt::default()
    }

    /// Counts one signal (what the listener does; tests call it directly).
    pub fn signal(&self) {
        self.0.count.fetch_add(1, Ordering::SeqCst);
        self.0.changed.notify_waiters();
    }

    /// Whether a first signal came: start no new operation.
    pub fn requested(&self) -> bool {
        self.0.count.load(Ordering::SeqCst) >= 1
    }

    /// Whether a second signal came: abandon the operations still running.
    pub fn abandoned(&self) -> bool {
        self.0.count.load(Ordering::SeqCst) >= 2
    }

    /// Resolves once a second signal has come.
    pub async fn until_abandoned(&self) {
        loop {
            // A `Notified` hears every `notify_waiters` from its creation on, so no signal is
            // missed between the check and the wait.
            let changed = self.0.changed.notified();
            if self.abandoned() {
                return;
            }
            changed.await;
        }
    }

    /// Listens for SIGINT and SIGTERM on the current tokio runtime until the process ends, saying
    /// on standard error what each one does. From then on, neither kills the process.
    pub fn listen(&self) -> std::io::Result<()> {
        #[cfg(unix)]
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                #[cfg(unix)]
                let got = tokio::select! {
                    r = tokio::signal::ctrl_c() => r.is_ok(),
                    r = term.recv() => r.is_some(),
                };
                #[cfg(not(unix))]
                let got = tokio::signal::ctrl_c().await.is_ok();
                if !got {
                    return;
                }
                me.signal();
                if me.abandoned() {
                    eprintln!(
                        "\nInterrupted again: abandoning the operations still running; Plinth records what has finished and stops."
                    );
                    return;
                }
                eprintln!(
                    "\nInterrupt received: starting nothing new and waiting for the operations in flight to finish. Interrupt again to abandon them (they may be left half-done)."
                );
            }
        });
        Ok(())
    }
}
