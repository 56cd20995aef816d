//! Sync in the shell: what the App holds while syncing (the server's
//! settings and the one retry timer) and the messages that bring answers
//! back. Everything is decided by the core's `Replicator`, which the
//! session holds; `app/sync.rs` carries its effects.

pub mod http;

use marginalia_core::sync::{Answer, Config, Replicator};
use std::rc::Rc;

/// How long we wait for a longpoll: the server is asked to hold it for
/// `LONGPOLL_MS`, and some servers ignore that, so this ends it anyway.
pub const DEADLINE_MS: u32 = 32_000;
/// A push, a fetch or a checkpoint should not take long.
pub const SHORT_DEADLINE_MS: u32 = 15_000;

/// What comes back to the App's update for sync.
pub enum SyncMsg {
    /// The answers to the requests the replicator sent under `ticket`.
    Answered { ticket: u64, answers: Vec<Answer> },
    /// A retry's backoff ended.
    Wake(u64),
}

pub struct Sync {
    pub config: Rc<Config>,
    /// The retry due, if any (dropped: cancelled).
    pub timer: Option<gloo::timers::callback::Timeout>,
}

impl Sync {
    /// Sync under a new name for this browser's checkpoints (a stored
    /// state's name wins, so a reload finds its own).
    pub fn start(config: Rc<Config>) -> (Sync, Replicator) {
        let replica = format!("{:x}", (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64);
        let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        (Sync { config, timer: None }, Replicator::new(replica, seed))
    }
}
