//! Sync in the shell: the state the App holds for the `sync` option, and
//! the requests it sends. The core decides what to send and what a reply
//! means (`marginalia_core::sync`); this carries them, one push and one
//! pull at a time, with backoff, and keeps the state in localStorage so
//! changes made offline survive a reload.

pub mod http;

use http::Reply;
use marginalia_core::merge::Replica;
use marginalia_core::sync::{Config, Incoming, Resolution, Status, SyncState};
use std::rc::Rc;

/// How long the server may hold a longpoll, and how long we wait for it:
/// some servers ignore the first, so the second ends the request.
pub const LONGPOLL_MS: u64 = 25_000;
pub const DEADLINE_MS: u32 = 32_000;
/// A push or a fetch should not take long.
pub const SHORT_DEADLINE_MS: u32 = 15_000;

/// What a request brought back, to the App's update. `round` tells a
/// reply from before the article (or the settings) changed, to drop it.
pub enum SyncMsg {
    Kick,
    Pushed {
        round: u32,
        sent: Vec<marginalia_core::sync::Sent>,
        reply: Reply,
    },
    /// The server's versions of documents a push conflicted on.
    Fetched {
        round: u32,
        replies: Vec<Reply>,
    },
    Pulled {
        round: u32,
        reply: Reply,
    },
    /// The checkpoint document, read back before pulling from a checkpoint.
    Verified {
        round: u32,
        reply: Reply,
    },
    /// A conflicted document and its leaves' versions.
    Leaves {
        round: u32,
        current: Box<Incoming>,
        replies: Vec<Reply>,
    },
    /// The checkpoint document was written with `written`, at this
    /// revision (`None`: the write failed).
    Checkpointed {
        round: u32,
        written: serde_json::Value,
        rev: Option<String>,
    },
    Settled {
        round: u32,
        resolution: Box<Resolution>,
        reply: Reply,
    },
}

pub struct Sync {
    pub config: Rc<Config>,
    /// The article the state is for; `None` until first used.
    pub key: Option<String>,
    pub state: SyncState,
    /// The local annotations as last queued: a save queues what differs.
    pub seen: Replica,
    pub pushing: bool,
    pub pulling: bool,
    /// A checkpoint write is on its way (one at a time).
    pub checkpointing: bool,
    /// The last pull found nothing more: the next one is a longpoll.
    pub caught_up: bool,
    /// The server still has our checkpoint document (checked after every
    /// failure: a restarted or restored server may have lost everything).
    pub verified: bool,
    /// Failed tries in a row, for the backoff.
    pub attempt: u32,
    pub status: Status,
    /// Stopped until the reader acts (a sign-in refused).
    pub stopped: bool,
    pub retry: Option<gloo::timers::callback::Timeout>,
    pub round: u32,
    /// This browser's name in checkpoint documents.
    pub replica: String,
}

impl Sync {
    /// Sync under a new name for this browser's checkpoints.
    pub fn start(config: Rc<Config>) -> Sync {
        let replica = format!("{:x}", (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64);
        let mut sync = Sync::new(config, replica);
        // Replies to an earlier Sync (other settings) must not pass as this one's.
        sync.round = (js_sys::Math::random() * 1_000_000_000.0) as u32;
        sync
    }

    pub fn new(config: Rc<Config>, replica: String) -> Sync {
        Sync {
            config,
            key: None,
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
            retry: None,
            round: 0,
            replica,
        }
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
}
