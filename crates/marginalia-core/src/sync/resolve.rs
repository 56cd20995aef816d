//! Which version of one annotation wins, by the rule the two-tab merge
//! uses, and how a document's conflicting revisions are settled: the
//! winner is written on the current revision and every other leaf is
//! deleted, so the server's conflict list is empty and nothing is lost.

use super::state::{entries, SyncState};
use super::wire::{doc_id, to_doc, Entry, Incoming};
use crate::merge::{merge, version_order, Replica};
use serde_json::{json, Value};
use std::cmp::Ordering;

/// How two versions of one annotation compare: the later change wins; a
/// deletion beats a version not updated after it (as in the merge); two
/// versions changed at once fall back on a fixed order of their content,
/// so every replica picks the same one.
pub fn compare(a: &Entry, b: &Entry) -> Ordering {
    match (a, b) {
        (Entry::Live(x), Entry::Live(y)) => version_order(x, y),
        (Entry::Gone(s), Entry::Gone(t)) => s.at.cmp(&t.at),
        // A version updated after the deletion survives it; at the same
        // time the deletion wins.
        (Entry::Live(x), Entry::Gone(t)) => {
            if x.updated > t.at {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Entry::Gone(_), Entry::Live(_)) => compare(b, a).reverse(),
    }
}

/// The winner among versions of one annotation, whatever their order.
pub fn winner<'a>(versions: impl IntoIterator<Item = &'a Entry>) -> Option<&'a Entry> {
    versions.into_iter().fold(None, |best, e| match best {
        Some(b) if compare(b, e) != Ordering::Less => Some(b),
        _ => Some(e),
    })
}

/// What to send to settle a document's conflicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The winning version, to be written on `on` when it is not already
    /// that revision's body.
    pub keep: Entry,
    pub on: String,
    pub write: bool,
    /// The losing leaves, each to be deleted (`_deleted: true` on its rev).
    pub delete: Vec<String>,
}

/// Settles `current` (the revision the server chose) against its
/// conflicting leaves, fetched by their revisions.
pub fn resolve(current: &Incoming, leaves: &[Incoming]) -> Resolution {
    let all = std::iter::once(&current.entry).chain(leaves.iter().map(|l| &l.entry));
    let keep = winner(all).unwrap_or(&current.entry).clone();
    let write = keep != current.entry;
    let mut delete: Vec<String> = leaves.iter().map(|l| l.rev.clone()).filter(|r| *r != current.rev).collect();
    delete.sort();
    delete.dedup();
    Resolution { keep, on: current.rev.clone(), write, delete }
}

/// The `_bulk_docs` body that settles one document's conflicts.
pub fn resolution_body(document: &str, r: &Resolution) -> Value {
    let mut docs = Vec::new();
    if r.write {
        docs.push(to_doc(document, &r.keep, Some(&r.on)));
    }
    let id = doc_id(document, r.keep.id());
    for rev in &r.delete {
        docs.push(json!({ "_id": id, "_rev": rev, "_deleted": true }));
    }
    json!({ "docs": docs })
}

/// Settles a document in conflict: every leaf's version is merged into the
/// local replica first (nothing is lost, whichever wins), then the winner —
/// which may be a newer local one still — is written on the current
/// revision and every other leaf deleted. Returns the new local replica,
/// the resolution, and the `_bulk_docs` body that carries it out.
pub fn settle(
    document: &str,
    state: &mut SyncState,
    local: &Replica,
    current: &Incoming,
    leaves: &[Incoming],
) -> (Replica, Resolution, Value) {
    let mut r = resolve(current, leaves);
    let mut remote = Replica::default();
    for e in std::iter::once(&current.entry).chain(leaves.iter().map(|l| &l.entry)) {
        match e {
            Entry::Live(a) => remote.annotations.push(a.clone()),
            Entry::Gone(t) => remote.deleted.push(t.clone()),
        }
    }
    let merged = merge(local, &remote);
    let id = current.entry.id().to_string();
    if let Some(now) = entries(&merged).remove(&id) {
        r.write = now != current.entry;
        r.keep = now;
    }
    state.holds(&current.entry, &current.rev);
    // The body carries the winner: the outbox need not.
    state.outbox.remove(&id);
    let body = resolution_body(document, &r);
    (merged, r, body)
}

/// Takes the server's reply to a [`settle`] body: the new revision of the
/// winner written. If that write was refused (someone wrote first), the
/// winner goes back in the outbox, to be pushed and merged again.
pub fn apply_settled(state: &mut SyncState, r: &Resolution, reply: &Value) {
    if !r.write {
        return;
    }
    match reply.get(0).and_then(|row| row.get("rev")).and_then(Value::as_str) {
        Some(rev) if reply[0].get("error").is_none() && rev.len() <= 256 => {
            state.holds(&r.keep, rev);
        }
        _ => state.queue(&r.keep),
    }
}
