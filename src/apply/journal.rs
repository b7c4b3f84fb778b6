//! Group commit for the state journal.
//!
//! One thread owns the backend's [`Journal`]. Tasks send finished changes and wait; the thread
//! takes everything queued, records it in one write and one fsync, and then answers every waiter.
//! The cost per change stays flat however large the state is, and under parallel apply one fsync
//! covers many changes.

use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::state::{Journal, JournalEntry};

type Reply = oneshot::Sender<Result<(), String>>;

/// A handle to the journal thread; cheap to share behind an `Arc`.
pub struct JournalWriter {
    tx: std::sync::Mutex<mpsc::Sender<(JournalEntry, Reply)>>,
}

impl JournalWriter {
    pub fn start(mut journal: Box<dyn Journal>) -> JournalWriter {
        let (tx, rx) = mpsc::channel::<(JournalEntry, Reply)>();
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while let Ok(next) = rx.try_recv() {
                    batch.push(next);
                }
                let (entries, replies): (Vec<JournalEntry>, Vec<Reply>) = batch.into_iter().unzip();
                let result = journal.record(&entries).map_err(|e| e.to_string());
                for r in replies {
                    let _ = r.send(result.clone());
                }
            }
        });
        JournalWriter {
            tx: std::sync::Mutex::new(tx),
        }
    }

    /// Records one entry; returns once it is durable.
    pub async fn record(&self, entry: JournalEntry) -> Result<(), String> {
        let (reply, wait) = oneshot::channel();
        {
            let tx = self.tx.lock().map_err(|_| "the journal writer is gone".to_string())?;
            tx.send((entry, reply))
                .map_err(|_| "the journal writer is gone".to_string())?;
        }
        wait.await.map_err(|_| "the journal writer stopped".to_string())?
    }
}
