//! What sync keeps for one article beside its annotations — the server's
//! revision of each document, the changes not yet accepted (the outbox,
//! which survives a reload), the pull checkpoint — and the requests and
//! replies of a push and a pull, as data: the shell only carries them.

use super::wire::{from_doc, to_doc, version_of, Entry, Incoming, Skip};
use crate::merge::{merge, Replica};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The most documents sent in one `_bulk_docs`: a few hundred KB.
pub const BATCH: usize = 500;
/// The most asked for in one `_changes`: each reply taken costs a merge,
/// a render and a save of the whole article, so fewer, larger ones (2,000
/// documents, about 1 MB) make the first sync of 10,000 faster.
pub const PULL_BATCH: usize = 2_000;
/// The most results read from one `_changes` reply, whatever it says.
const MAX_RESULTS: usize = 2 * PULL_BATCH;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The server revision of each annotation's document, as last seen,
    /// with the fingerprint of the version it holds.
    #[serde(default)]
    pub revs: BTreeMap<String, Held>,
    /// Annotations changed here and not yet accepted by the server, with
    /// the stamp of the change sent.
    #[serde(default)]
    pub outbox: BTreeMap<String, u64>,
    /// Where the last pull ended, as the server gave it: CouchDB's are
    /// opaque strings, PouchDB's integers; neither is looked into.
    #[serde(default)]
    pub checkpoint: Option<Value>,
    /// Changes the server refused for good (its `validate_doc_update`,
    /// say), by annotation, with the server's words: not pushed again
    /// until changed here, and said to the reader until then, since they
    /// exist only on this device.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub refused: BTreeMap<String, String>,
    /// The revision of our `_local` checkpoint document, to update it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_rev: Option<String>,
    /// This browser's name in that document's id: kept, so a reload finds
    /// its own checkpoint again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
    /// Where a pull that found documents in conflict started, while they
    /// are not all settled. The checkpoint moves on past them at once, and
    /// the pull that follows would not meet them again until they next
    /// change: a reload meanwhile (the leaves or the settling write lost on
    /// the way) pulls from here instead, and finds them again. Without it
    /// a conflict stayed on the server for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_from: Option<Since>,
}

/// A pull's start: a checkpoint, or none (from the start). A struct, so
/// that "from the start" (`{"since":null}`) is kept apart from "none kept".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Since {
    #[serde(default)]
    pub since: Option<Value>,
}

/// What the server holds of one annotation, as last seen. Kept as
/// `[rev, version fingerprint]`; a bare rev is a state kept before these
/// were (a stamp alone would not do: two versions may share one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Held {
    Known(String, u64),
    Rev(String),
}

impl Held {
    pub fn rev(&self) -> &str {
        match self {
            Held::Known(rev, _) | Held::Rev(rev) => rev,
        }
    }
}

/// The storage key of an article's sync state.
pub fn state_key(document: &str) -> String {
    format!("{}sync:{document}", crate::codec::KEY_PREFIX)
}

impl SyncState {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a saved state. A damaged one is rebuilt so that nothing is
    /// lost: every local entry is queued again (the server answers what it
    /// already has with a conflict, which a fetch and a merge settle) and
    /// the pull starts over.
    pub fn decode(raw: &str, local: &Replica) -> (SyncState, Option<String>) {
        match serde_json::from_str::<SyncState>(raw) {
            Ok(state) => (state, None),
            Err(e) => {
                let mut state = SyncState::default();
                for entry in entries(local).into_values() {
                    state.queue(&entry);
                }
                (state, Some(format!("the saved sync state was damaged ({e}); everything will be sent again")))
            }
        }
    }

    /// The server lost what it had of this article (restored from an old
    /// backup, or a new server at the address): its checkpoint document is
    /// gone. Everything is pulled from the start and everything here is
    /// sent again without revisions (the server's copy, where it has one,
    /// answers with a conflict that a fetch and a merge settle).
    pub fn restart(&mut self, local: &Replica) {
        self.checkpoint = None;
        self.settle_from = None;
        self.checkpoint_rev = None;
        self.revs.clear();
        for entry in entries(local).into_values() {
            self.queue(&entry);
        }
    }

    /// Queues every entry of `local` the server is not known to hold, so
    /// that an outbox lost or stale (another tab's state written over this
    /// one's, a write that failed) loses nothing: an annotation changed here
    /// since it was last pushed or pulled is sent. A state kept before
    /// fingerprints were is trusted, as it was then, for what it has a rev of.
    pub fn catch_up(&mut self, local: &Replica) {
        for (id, entry) in entries(local) {
            let held = match self.revs.get(&id) {
                Some(Held::Known(_, version)) => *version == version_of(&entry),
                Some(Held::Rev(_)) => true,
                None => false,
            };
            if !held {
                self.queue(&entry);
            }
        }
    }

    /// The server holds `entry` at `rev`.
    pub fn holds(&mut self, entry: &Entry, rev: &str) {
        self.revs.insert(entry.id().to_string(), Held::Known(rev.to_string(), version_of(entry)));
    }

    /// A change made here, to push. A refusal was of the change before
    /// it: the new one is sent, and judged again.
    pub fn queue(&mut self, entry: &Entry) {
        self.refused.remove(entry.id().as_str());
        self.outbox.insert(entry.id().to_string(), entry.stamp());
    }

    /// The server's words on the first change it refused and that is
    /// still unchanged here, if any.
    pub fn refusal(&self) -> Option<&str> {
        self.refused.values().next().map(String::as_str)
    }

    /// Queues every entry of `now` that differs from `before`.
    pub fn queue_changes(&mut self, before: &Replica, now: &Replica) {
        let old = entries(before);
        for (id, entry) in entries(now) {
            if old.get(&id) != Some(&entry) {
                self.queue(&entry);
            }
        }
    }
}

/// A replica as one entry per annotation: the live version, or the
/// deletion when nothing newer is live (the merge's own rule).
pub fn entries(r: &Replica) -> BTreeMap<String, Entry> {
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    for t in &r.deleted {
        let later = out.get(t.id.as_str()).is_none_or(|e| e.stamp() < t.at);
        if later {
            out.insert(t.id.to_string(), Entry::Gone(t.clone()));
        }
    }
    // Looked up in the map, not by a scan of the tombstones: this runs on
    // every save with sync on, over 10,000 annotations.
    for a in &r.annotations {
        let gone = match out.get(a.id.as_str()) {
            Some(Entry::Gone(t)) => Some(t.at),
            _ => None,
        };
        if gone.is_none_or(|at| a.updated > at) {
            out.insert(a.id.to_string(), Entry::Live(a.clone()));
        }
    }
    out
}

/// One annotation a push sent: its id, the stamp the outbox knows it by,
/// and the fingerprint of the version sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub id: String,
    pub stamp: u64,
    pub version: u64,
}

/// A `_bulk_docs` body for the next batch of the outbox, and what it sent
/// (id and stamp), to match the reply against.
pub fn push_body(document: &str, local: &Replica, state: &SyncState) -> Option<(Value, Vec<Sent>)> {
    let all = entries(local);
    let mut docs = Vec::new();
    let mut sent = Vec::new();
    for id in state.outbox.keys() {
        let Some(entry) = all.get(id) else { continue };
        docs.push(to_doc(document, entry, state.revs.get(id).map(Held::rev)));
        sent.push(Sent { id: id.clone(), stamp: entry.stamp(), version: version_of(entry) });
        if docs.len() == BATCH {
            break;
        }
    }
    (!docs.is_empty()).then(|| (json!({ "docs": docs }), sent))
}

/// Reads a `_bulk_docs` reply: the server's new revision of each document
/// accepted (the outbox forgets it, unless it changed again meanwhile),
/// and the annotation ids refused as conflicts, to fetch and merge.
/// Anything else refused is said, one line each, and leaves the outbox
/// (the annotation stays here).
pub fn apply_pushed(
    document: &str,
    state: &mut SyncState,
    sent: &[Sent],
    reply: &Value,
) -> Result<(Vec<String>, Vec<String>), String> {
    let rows = reply.as_array().ok_or("the server's reply to a push is not a list")?;
    let mut conflicts = Vec::new();
    let mut refused = Vec::new();
    for row in rows {
        let Some(id) = row.get("id").and_then(Value::as_str) else { continue };
        let Some(aid) = id.strip_prefix(&format!("marginalia:{document}:")) else { continue };
        let Some(one) = sent.iter().find(|s| s.id == aid) else { continue };
        match (row.get("rev").and_then(Value::as_str), row.get("error").and_then(Value::as_str)) {
            (Some(rev), None) if rev.len() <= 256 => {
                state.revs.insert(aid.to_string(), Held::Known(rev.to_string(), one.version));
                state.refused.remove(aid);
                if state.outbox.get(aid) == Some(&one.stamp) {
                    state.outbox.remove(aid);
                }
            }
            (_, Some("conflict")) => conflicts.push(aid.to_string()),
            (_, error) => {
                // Refused for good (a validate_doc_update, say): said to the
                // reader and kept here, but not pushed again in a loop.
                state.outbox.remove(aid);
                let reason = row.get("reason").and_then(Value::as_str).unwrap_or("");
                let said = format!("{aid}: {} {}", error.unwrap_or("no revision"), inert(reason));
                state.refused.insert(aid.to_string(), said.clone());
                refused.push(said);
            }
        }
    }
    Ok((conflicts, refused))
}

/// A server's words, shown to the reader: one line, at most 200 characters.
pub fn inert(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// What one `_changes` reply brought.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub docs: Vec<Incoming>,
    pub refused: Vec<String>,
    pub last_seq: Option<Value>,
    /// Whether the server has more after this batch (`pending` > 0).
    pub more: bool,
}

/// Reads a `_changes` reply (`include_docs=true&conflicts=true`).
pub fn read_changes(reply: &Value, document: &str) -> Result<Changes, String> {
    let results = reply.get("results").and_then(Value::as_array).ok_or("the server's changes have no results")?;
    let mut out = Changes::default();
    for r in results.iter().take(MAX_RESULTS) {
        let Some(doc) = r.get("doc") else { continue };
        match from_doc(doc, document) {
            Ok(incoming) => out.docs.push(incoming),
            Err(Skip::NotOurs) => {}
            Err(Skip::Refused(why)) => out.refused.push(inert(&why)),
        }
    }
    out.last_seq = reply.get("last_seq").filter(|s| s.is_string() || s.is_number()).cloned();
    out.more = results.len() > MAX_RESULTS || reply.get("pending").and_then(Value::as_u64).is_some_and(|p| p > 0);
    Ok(out)
}

/// Takes what the server sent into the local replica, by the merge rule.
/// A document whose version lost to a local one stays (or goes) in the
/// outbox, to be pushed on the server's revision; one that won leaves it.
pub fn apply_pulled(state: &mut SyncState, local: &Replica, docs: &[Incoming]) -> Replica {
    let mut remote = Replica::default();
    for d in docs {
        match &d.entry {
            Entry::Live(a) => remote.annotations.push(a.clone()),
            Entry::Gone(t) => remote.deleted.push(t.clone()),
        }
    }
    let merged = merge(local, &remote);
    let now = entries(&merged);
    for d in docs {
        let id = d.entry.id().to_string();
        state.holds(&d.entry, &d.rev);
        match now.get(&id) {
            Some(e) if *e == d.entry => {
                state.outbox.remove(&id);
            }
            Some(e) => state.queue(e),
            None => {}
        }
    }
    merged
}
