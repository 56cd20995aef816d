//! Sync as one state machine. Every start, save, answer and timer is an
//! [`Event`] into [`Replicator::update`], which decides what to send and
//! what an answer changes, and returns the [`Effect`]s the shell carries
//! out: requests, the server's versions to take in, the state to store, a
//! timer. Nothing here waits or touches a browser, so a native test can
//! interleave answers, edits, failures and reloads at will
//! (`replicator_tests.rs`) — the races a browser test meets by luck.
//!
//! Nothing moves before our checkpoint document is on the server; then one
//! push and one pull at a time. A pull from a checkpoint first reads the
//! checkpoint back, after every failure and every quiet longpoll (a server
//! that lost it lost everything: start over, sending all). A push's
//! conflicts are fetched and merged, a pulled document's leaves settled
//! (or the checkpoint set back to find them again); the checkpoint is
//! written one write at a time, a 409 answered by reading its revision and
//! writing again, never by a write without one.
//!
//! `io.rs`: the events, the effects, a request and its answer;
//! `answers.rs`: what each answer changes.

mod answers;
mod io;

pub use io::{Answer, Deadline, Effect, Event, Http, LONGPOLL_MS};

use super::resolve::Resolution;
use super::state::{push_body, state_key, Sent, SyncState};
use super::status::{after, backoff_ms, changes_path, checkpoint_path, Next, Status};
use super::wire::Incoming;
use crate::merge::Replica;
use io::{get, post_bulk};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a request in flight was for: what its answers mean.
#[derive(Clone, Debug, PartialEq)]
enum Purpose {
    Push(Vec<Sent>),
    /// The server's versions of the documents a push conflicted on.
    Fetch(Vec<String>),
    Pull(Option<Value>),
    /// Our checkpoint document, read back before pulling from it.
    Verify,
    /// A conflicted document's other leaves.
    Leaves(Box<Incoming>, Rewind),
    Settle(Box<Resolution>, Rewind),
    /// The checkpoint written; `again` after a 409 was answered once.
    Checkpoint {
        written: Value,
        again: bool,
    },
    /// The checkpoint's revision read after a 409, to write over it.
    CheckpointRev {
        written: Value,
    },
}

/// The pull that found a conflict: where it started and where it ended.
/// A conflict not settled (a leaf not fetched, the settling write failed)
/// sets the checkpoint back, so the next pull finds it again.
#[derive(Clone, Debug, PartialEq)]
struct Rewind {
    since: Option<Value>,
    reached: Option<Value>,
}

/// One article's replication with one server.
#[derive(Clone, Debug)]
pub struct Replicator {
    /// The article's key; `None` until an [`Event::Open`].
    document: Option<String>,
    /// This browser's name in checkpoint documents.
    replica: String,
    state: SyncState,
    /// The annotations as last queued: a save queues what differs.
    seen: Replica,
    pushing: bool,
    pulling: bool,
    /// A checkpoint write is on its way (two would carry the same `_rev`).
    checkpointing: bool,
    /// The last pull found nothing more: the next one is a longpoll.
    caught_up: bool,
    /// The server still has our checkpoint document (checked after every
    /// failure: a restarted or restored server may have lost everything).
    verified: bool,
    /// Failed tries in a row, for the backoff.
    attempt: u32,
    status: Status,
    /// Stopped until the reader acts (a sign-in refused).
    stopped: bool,
    /// Pushes go without our checkpoint document on the server: the server
    /// refused to keep it, or gives no sequence to keep.
    unanchored: bool,
    /// The retry timer due, if any: an older one's wake is ignored.
    wake: Option<u64>,
    in_flight: BTreeMap<u64, Purpose>,
    next_id: u64,
    /// A xorshift state for the backoff's jitter (seeded by the shell).
    seed: u64,
    out: Vec<Effect>,
}

impl Replicator {
    /// Under `replica`'s name unless the article's stored state has one;
    /// `seed` is random bits for the backoff's jitter.
    pub fn new(replica: String, seed: u64) -> Replicator {
        Replicator {
            document: None,
            replica,
            state: SyncState::default(),
            seen: Replica::default(),
            pushing: false,
            pulling: false,
            checkpointing: false,
            caught_up: false,
            verified: false,
            attempt: 0,
            status: Status::Syncing,
            stopped: false,
            unanchored: false,
            wake: None,
            in_flight: BTreeMap::new(),
            // Tickets start apart: an answer to another replicator's request
            // (settings changed meanwhile) is never taken for one of ours.
            next_id: (seed % 1_000_000_000) * 1_000_000,
            seed: seed | 1,
            out: Vec::new(),
        }
    }

    /// The article this replication is for, once opened.
    pub fn document(&self) -> Option<&str> {
        self.document.as_deref()
    }

    pub fn state(&self) -> &SyncState {
        &self.state
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Whether a request is on its way (a longpoll counts).
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// What the status line says.
    pub fn line(&self) -> String {
        let waiting = self.state.outbox.len();
        match &self.status {
            Status::Synced | Status::Syncing if waiting > 0 => Status::Waiting(waiting).label(),
            Status::Offline | Status::Refused(_) | Status::SignIn if waiting > 0 => {
                format!("{} · {}", self.status.label(), Status::Waiting(waiting).label())
            }
            s => s.label(),
        }
    }

    /// The one update: `local` is the annotations held here as the event
    /// happens.
    pub fn update(&mut self, event: Event<'_>, local: &Replica) -> Vec<Effect> {
        match event {
            Event::Open { document, stored } => self.open(document, stored, local),
            Event::Kick => self.kick(local),
            Event::Saved => {
                if self.document.is_some() {
                    self.state.queue_changes(&self.seen, local);
                    self.seen = local.clone();
                    self.store();
                    self.kick(local);
                }
            }
            Event::Answered { ticket, answers } => {
                // An answer to a request of an article closed since: dropped.
                if let Some(purpose) = self.in_flight.remove(&ticket) {
                    self.answered(purpose, answers, local);
                }
            }
            Event::Taken => {
                self.seen = local.clone();
                self.store();
                self.kick(local);
            }
            Event::Wake(id) => {
                if self.wake == Some(id) {
                    self.kick(local);
                }
            }
        }
        std::mem::take(&mut self.out)
    }

    /// Reads the article's stored state; whatever its outbox kept (none
    /// when never synced here, a stale one when another tab wrote its state
    /// last), every annotation the server is not known to hold is sent.
    fn open(&mut self, document: &str, stored: Option<&str>, local: &Replica) {
        let (mut state, problem) = match stored {
            Some(raw) => SyncState::decode(raw, local),
            None => (SyncState::default(), None),
        };
        state.catch_up(local);
        // Conflicts found and not settled before the page went: met again.
        if let Some(from) = state.settle_from.take() {
            state.checkpoint = from.since;
        }
        if let Some(problem) = problem {
            self.out.push(Effect::Problem(problem));
        }
        // A reload keeps this browser's name, and so finds its checkpoint.
        match &state.replica {
            Some(name) => self.replica.clone_from(name),
            None => state.replica = Some(self.replica.clone()),
        }
        self.document = Some(document.to_string());
        self.state = state;
        self.seen = local.clone();
        self.forget_in_flight();
        self.verified = false;
    }

    /// Every request on its way forgotten: their answers are dropped when
    /// they come, and the next kick starts afresh.
    fn forget_in_flight(&mut self) {
        self.in_flight.clear();
        self.pushing = false;
        self.pulling = false;
        self.checkpointing = false;
        self.caught_up = false;
    }

    fn key(&self) -> &str {
        self.document.as_deref().unwrap_or_default()
    }

    fn send(&mut self, purpose: Purpose, requests: Vec<Http>) {
        self.next_id += 1;
        self.in_flight.insert(self.next_id, purpose);
        self.out.push(Effect::Send { ticket: self.next_id, requests });
    }

    fn store(&mut self) {
        if let Some(key) = &self.document {
            // A full storage already says "Not saved". A state not written
            // loses nothing: the next load catches up, sending what the
            // server is not known to hold.
            self.out.push(Effect::Store { key: state_key(key), value: self.state.encode() });
        }
    }

    /// Starts a push if changes wait, and a pull if none is running.
    fn kick(&mut self, local: &Replica) {
        if self.stopped || self.document.is_none() {
            return;
        }
        self.wake = None;
        // Nothing is pushed or pulled before our checkpoint document is
        // known to be on the server (read back, or written without a
        // revision). Every later write carries its revision, so none can
        // create it again in a database deleted and created meanwhile: its
        // absence (a 404 read, a 409 written) tells that everything the
        // server held before is gone.
        if self.state.checkpoint_rev.is_none() && !self.unanchored {
            if self.pulling || self.checkpointing {
                return;
            }
            if !self.verified && self.state.checkpoint.is_some() {
                self.pulling = true;
                let path = checkpoint_path(self.key(), &self.replica);
                return self.send(Purpose::Verify, vec![get(path, Deadline::Short)]);
            }
            self.checkpointing = true;
            let written = self.state.checkpoint.clone().unwrap_or(Value::Null);
            return self.put_checkpoint(written, None, false);
        }
        if !self.pushing && !self.state.outbox.is_empty() {
            match push_body(self.key(), local, &self.state) {
                Some((body, sent)) => {
                    self.pushing = true;
                    self.send(Purpose::Push(sent), vec![post_bulk(body)]);
                }
                // Queued ids with nothing behind them: nothing to send.
                None => self.state.outbox.clear(),
            }
        }
        if self.pulling {
            return;
        }
        self.pulling = true;
        if !self.verified && self.state.checkpoint.is_some() {
            let path = checkpoint_path(self.key(), &self.replica);
            self.send(Purpose::Verify, vec![get(path, Deadline::Short)]);
        } else {
            self.verified = true;
            let path = changes_path(self.state.checkpoint.as_ref(), self.caught_up, LONGPOLL_MS);
            self.send(Purpose::Pull(self.state.checkpoint.clone()), vec![get(path, Deadline::Long)]);
        }
    }

    /// A request failed: retry after a backoff, or stop until the reader acts.
    fn failed(&mut self, answer: &Answer) {
        self.caught_up = false;
        self.verified = false;
        let next = match (&answer.body, after(answer.status, &answer.reason())) {
            (Err(why), Next::Carry) => Next::Retry(Status::Refused(why.clone())),
            (_, next) => next,
        };
        match next {
            Next::Carry => {}
            Next::Retry(status) => self.retry(status),
            Next::Stop(status) => {
                self.status = status;
                self.stopped = true;
            }
        }
    }

    /// Tries again after a backoff.
    fn retry(&mut self, status: Status) {
        self.status = status;
        // A push and a pull failing together are one failure: the retry
        // already due covers both, and the backoff grows once.
        if self.wake.is_some() {
            return;
        }
        let ms = backoff_ms(self.attempt, self.jitter());
        self.attempt = self.attempt.saturating_add(1);
        self.next_id += 1;
        self.wake = Some(self.next_id);
        self.out.push(Effect::Wake { id: self.next_id, ms });
    }

    /// A request answered. A change the server refused for good is said
    /// until it is changed or accepted (it exists only here); a refusal
    /// of another kind (a 500) stays said while changes wait to be sent.
    fn ok(&mut self) {
        self.attempt = 0;
        if let Some(why) = self.state.refusal() {
            self.status = Status::Refused(why.to_string());
        } else if !matches!(self.status, Status::Refused(_)) || self.state.outbox.is_empty() {
            self.status = Status::Synced;
        }
    }

    /// 0..1000, so that many readers do not retry in step.
    fn jitter(&mut self) -> u64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed % 1000
    }
}
