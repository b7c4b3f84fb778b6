//! Group commit for the state journal.
//!
//! One thread owns the backend's [`Journal`]. Tasks send finished changes; the thread takes
//! everything queued, records it in one write and one fsync, and then answers every waiter. The
//! cost per change stays flat however large the state is, and under parallel apply one fsync
//! covers many changes.
//!
//! Entries are numbered in the order they are sent, and the thread records them in that order, so
//! what is durable is always a prefix of what was sent: the writer keeps that prefix's end
//! ([`JournalWriter::durable`]). A change of a state-only type is sent without waiting
//! ([`JournalWriter::send`]); a change with effects outside the state first waits until
//! everything sent before it is durable ([`JournalWriter::sent_durable`]), which covers every
//! state-only change it depends on. After a failed write the prefix stops growing for good: a
//! later batch may be written, but nothing after the failure counts as durable, so a wait past
//! it fails instead of trusting a journal with a hole.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::{oneshot, watch};

use crate::state::{Journal, JournalEntry};

type Reply = oneshot::Sender<Result<(), String>>;

/// One entry on its way to the journal thread: its number, and whom to answer (nobody for an
/// entry sent without waiting).
struct Item {
    seq: u64,
    entry: JournalEntry,
    reply: Option<Reply>,
}

/// How far the journal is durable.
#[derive(Clone, Debug, Default)]
struct Durable {
    /// Every entry numbered up to this one is recorded (entries are numbered from 1).
    upto: u64,
    /// The first failed write's error; `upto` grows no more.
    failed: Option<String>,
}

/// The sending side, under one lock so that numbers follow the channel's order.
struct Sender {
    next: u64,
    tx: mpsc::Sender<Item>,
}

/// A handle to the journal thread; cheap to share behind an `Arc`.
pub struct JournalWriter {
    tx: Mutex<Sender>,
    durable: watch::Receiver<Durable>,
    /// The number of the last entry sent without waiting (0: none).
    last_unwaited: AtomicU64,
    /// The addresses of entries sent without waiting whose write failed.
    unrecorded: Arc<Mutex<Vec<String>>>,
}

impl JournalWriter {
    pub fn start(mut journal: Box<dyn Journal>) -> JournalWriter {
        let (tx, rx) = mpsc::channel::<Item>();
        let (durable_tx, durable) = watch::channel(Durable::default());
        let unrecorded: Arc<Mutex<Vec<String>>> = Arc::default();
        let unrecorded_by_thread = unrecorded.clone();
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while let Ok(next) = rx.try_recv() {
                    batch.push(next);
                }
                let last = batch.last().map_or(0, |i| i.seq);
                let mut entries = Vec::with_capacity(batch.len());
                let mut waiters = Vec::with_capacity(batch.len());
                // The entries nobody waits for, named if the write fails.
                let mut unwaited = Vec::new();
                for item in batch {
                    match item.reply {
                        Some(reply) => waiters.push(reply),
                        None => unwaited.push(entries.len()),
                    }
                    entries.push(item.entry);
                }
                let result = journal.record(&entries).map_err(|e| e.to_string());
                if result.is_err()
                    && let Ok(mut u) = unrecorded_by_thread.lock()
                {
                    u.extend(unwaited.into_iter().filter_map(|i| match &entries[i] {
                        JournalEntry::Set { address, .. } | JournalEntry::Remove { address } => Some(address.clone()),
                        _ => None,
                    }));
                }
                drop(entries);
                durable_tx.send_modify(|d| match &result {
                    Ok(()) if d.failed.is_none() => d.upto = last,
                    Ok(()) => {}
                    Err(e) => {
                        d.failed.get_or_insert_with(|| e.clone());
                    }
                });
                for reply in waiters {
                    let _ = reply.send(result.clone());
                }
            }
        });
        JournalWriter {
            tx: Mutex::new(Sender { next: 1, tx }),
            durable,
            last_unwaited: AtomicU64::new(0),
            unrecorded,
        }
    }

    /// Queues `entry` with `reply` (if any); returns its number.
    fn enqueue(&self, entry: JournalEntry, reply: Option<Reply>) -> Result<u64, String> {
        let mut tx = self.tx.lock().map_err(|_| "the journal writer is gone".to_string())?;
        let seq = tx.next;
        tx.tx
            .send(Item { seq, entry, reply })
            .map_err(|_| "the journal writer is gone".to_string())?;
        tx.next += 1;
        Ok(seq)
    }

    /// Records one entry; returns once the write that holds it is durable (as it always did:
    /// whether earlier writes failed is [`JournalWriter::durable`]'s business).
    pub async fn record(&self, entry: JournalEntry) -> Result<(), String> {
        let (reply, wait) = oneshot::channel();
        self.enqueue(entry, Some(reply))?;
        wait.await.map_err(|_| "the journal writer stopped".to_string())?
    }

    /// Queues one entry of a state-only change without waiting for it; returns its number. See
    /// [`JournalWriter::sent_durable`] for what waits for it instead.
    pub fn send(&self, entry: JournalEntry) -> Result<u64, String> {
        let seq = self.enqueue(entry, None)?;
        self.last_unwaited.fetch_max(seq, Ordering::SeqCst);
        Ok(seq)
    }

    /// Waits until every entry up to number `seq` is durable; fails when a write before it
    /// failed (or the writer stopped).
    pub async fn durable(&self, seq: u64) -> Result<(), String> {
        let mut rx = self.durable.clone();
        loop {
            {
                let d = rx.borrow_and_update();
                if d.upto >= seq {
                    return Ok(());
                }
                if let Some(e) = &d.failed {
                    return Err(e.clone());
                }
            }
            if rx.changed().await.is_err() {
                return Err("the journal writer stopped".to_string());
            }
        }
    }

    /// Waits until every entry sent so far without waiting ([`JournalWriter::send`]) is durable:
    /// what a change with effects outside the state does before it starts. At once when none is
    /// pending.
    pub async fn sent_durable(&self) -> Result<(), String> {
        self.durable(self.last_unwaited.load(Ordering::SeqCst)).await
    }

    /// Waits until everything sent so far is durable (before the final snapshot).
    pub async fn flush(&self) -> Result<(), String> {
        let last = self.tx.lock().map(|t| t.next - 1).unwrap_or(0);
        self.durable(last).await
    }

    /// The addresses of changes sent without waiting whose write failed, in order.
    pub fn unrecorded(&self) -> Vec<String> {
        self.unrecorded.lock().map(|u| u.clone()).unwrap_or_default()
    }
}
