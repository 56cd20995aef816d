//! Sync with a CouchDB-compatible server, offline first: each annotation
//! and each deletion is one document; changes are pushed with
//! `_bulk_docs` and pulled from `_changes`; conflicts are settled by the
//! two-tab merge's rule, the losing revisions deleted. This module decides
//! everything — what to send, what a reply means, what the reader sees —
//! and does no I/O: the shell carries its requests and replies.

mod config;
mod replicator;
mod resolve;
mod sign_in;
mod state;
mod status;
mod wire;

pub use config::{signed_in, Config, Credentials, Settings, SETTINGS_KEY};
pub use replicator::{Answer, Deadline, Effect, Event, Http, Replicator, LONGPOLL_MS};
pub use resolve::{apply_settled, compare, resolution_body, resolve, settle, winner, Resolution};
pub use sign_in::{Form, SignIn, Step};
pub use state::{
    apply_pulled, apply_pushed, entries, inert, push_body, read_changes, state_key, Changes, Held, Sent, SyncState,
    BATCH, PULL_BATCH,
};
pub use status::{after, backoff_ms, changes_path, checkpoint_path, encode_component, Next, Status};
pub use wire::{doc_id, from_doc, to_doc, version_of, Entry, Incoming, Skip, MAX_DOC_BYTES};

#[cfg(test)]
pub(crate) mod model;
#[cfg(test)]
mod replicator_tests;
#[cfg(test)]
mod tests;
