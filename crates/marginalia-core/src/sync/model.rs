//! A model of a CouchDB server — revisions, conflicting leaves,
//! `_changes`, `_bulk_docs` — and of a client that syncs with it through
//! this module's functions, for the interleavings property in `tests.rs`;
//! and the same server answering HTTP requests, for the replicator's
//! model-based property in `replicator_tests.rs`.

use super::*;
use crate::annotation::AnnotationId;
use crate::merge::Replica;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const DOC: &str = super::tests::DOC;

/// A document's leaves: revision and body (without `_id`/`_rev`).
#[derive(Default)]
pub(crate) struct ModelServer {
    pub(super) docs: BTreeMap<String, Vec<(String, Value)>>,
    seqs: BTreeMap<String, u64>,
    seq: u64,
    made: u64,
    /// The `_local` checkpoint documents: revision and body.
    pub(super) locals: BTreeMap<String, (String, Value)>,
}

fn generation(rev: &str) -> u64 {
    rev.split('-').next().and_then(|g| g.parse().ok()).unwrap_or(0)
}

/// A path segment or query value percent-decoded.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl ModelServer {
    fn new_rev(&mut self, generation: u64) -> String {
        self.made += 1;
        format!("{generation}-{:08x}", self.made.wrapping_mul(2_654_435_761) % 0xffff_ffff)
    }

    fn touch(&mut self, id: &str) {
        self.seq += 1;
        self.seqs.insert(id.to_string(), self.seq);
    }

    /// CouchDB's pick among the leaves: the highest revision.
    fn winner(&self, id: &str) -> Option<&(String, Value)> {
        self.docs.get(id)?.iter().max_by_key(|(r, _)| (generation(r), r.clone()))
    }

    /// The database deleted and created again: everything gone, the
    /// sequence from 0 again (revisions stay unlike any seen before).
    pub(crate) fn recreate(&mut self) {
        let made = self.made;
        *self = ModelServer { made, ..ModelServer::default() };
    }

    /// Another tab of the same browser wrote each checkpoint document:
    /// the revision a tab holds is stale (its next write gets a 409).
    pub(super) fn rewrite_checkpoints(&mut self) {
        for (rev, _) in self.locals.values_mut() {
            let g = generation(rev.strip_prefix("0-").unwrap_or("0")) + 1;
            *rev = format!("0-{g}");
        }
    }

    /// Answers one request of the replicator as CouchDB would; `None` for
    /// a longpoll with nothing new, which the server holds.
    pub(crate) fn answer(&mut self, http: &Http) -> Option<Answer> {
        let ok = |status: u16, body: Value| Some(Answer { status, body: Ok(body), timed_out: false });
        let (path, query) = http.path.split_once('?').unwrap_or((http.path.as_str(), ""));
        let param = |name: &str| {
            query.split('&').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('='))).map(decode)
        };
        let missing = || ok(404, json!({"error": "not_found", "reason": "missing"}));
        match (http.method, path) {
            ("POST", "_bulk_docs") => ok(201, self.bulk_docs(http.body.as_ref()?)),
            ("GET", "_changes") => {
                let since = param("since").and_then(|s| s.parse().ok()).unwrap_or(0);
                let reply = self.changes(since);
                let quiet = reply["results"].as_array().is_some_and(Vec::is_empty);
                if quiet && param("feed").as_deref() == Some("longpoll") {
                    return None;
                }
                ok(200, reply)
            }
            ("GET", p) if p.starts_with("_local/") => match self.locals.get(&decode(p)) {
                Some((rev, body)) => {
                    let mut d = body.clone();
                    d["_id"] = json!(decode(p));
                    d["_rev"] = json!(rev);
                    ok(200, d)
                }
                None => missing(),
            },
            ("PUT", p) if p.starts_with("_local/") => {
                let id = decode(p);
                let body = http.body.clone()?;
                let held = self.locals.get(&id).map(|(r, _)| r.clone());
                if body.get("_rev").and_then(Value::as_str) != held.as_deref() {
                    return ok(409, json!({"error": "conflict", "reason": "Document update conflict."}));
                }
                let g = held.as_deref().and_then(|r| r.strip_prefix("0-")).map_or(0, generation) + 1;
                let rev = format!("0-{g}");
                self.locals.insert(id.clone(), (rev.clone(), body));
                ok(201, json!({"ok": true, "id": id, "rev": rev}))
            }
            ("GET", p) => match self.get(&decode(p), param("rev").as_deref()) {
                Some(doc) => ok(200, doc),
                None => missing(),
            },
            _ => ok(405, json!({"error": "method_not_allowed", "reason": "Only GET, PUT, POST allowed"})),
        }
    }

    pub(super) fn bulk_docs(&mut self, body: &Value) -> Value {
        let mut out = Vec::new();
        for doc in body["docs"].as_array().into_iter().flatten() {
            let id = doc["_id"].as_str().unwrap_or("").to_string();
            let rev = doc.get("_rev").and_then(Value::as_str).map(str::to_string);
            let leaves = self.docs.get(&id).cloned().unwrap_or_default();
            let at = rev.as_ref().and_then(|r| leaves.iter().position(|(l, _)| l == r));
            let ok = match (&rev, at) {
                (None, _) => leaves.is_empty(),
                (Some(_), Some(_)) => true,
                (Some(_), None) => false,
            };
            if !ok {
                out.push(json!({"id": id, "error": "conflict", "reason": "Document update conflict."}));
                continue;
            }
            let g = rev.as_deref().map_or(0, generation) + 1;
            let new = self.new_rev(g);
            let mut leaves = leaves;
            if let Some(i) = at {
                leaves.remove(i);
            }
            if doc.get("_deleted") != Some(&json!(true)) {
                let mut body = doc.clone();
                body.as_object_mut().map(|o| {
                    o.remove("_id");
                    o.remove("_rev")
                });
                leaves.push((new.clone(), body));
            }
            self.docs.insert(id.clone(), leaves);
            self.touch(&id);
            out.push(json!({"id": id, "ok": true, "rev": new}));
        }
        Value::Array(out)
    }

    /// What the server holds of each annotation (each document's winning
    /// leaf), and whether no document is left in conflict.
    pub(crate) fn winners(&self, document: &str) -> (BTreeMap<String, Entry>, bool) {
        let winners = self
            .docs
            .keys()
            .filter_map(|id| from_doc(&self.get(id, None)?, document).ok())
            .map(|i| (i.entry.id().to_string(), i.entry))
            .collect();
        (winners, self.docs.values().all(|leaves| leaves.len() == 1))
    }

    /// Another node's edit arriving by replication: a second leaf.
    pub(super) fn replicate_in(&mut self, document: &str, entry: &Entry) {
        let doc = to_doc(document, entry, None);
        let id = doc["_id"].as_str().unwrap_or("").to_string();
        let rev = self.new_rev(1 + self.docs.get(&id).map_or(0, |l| l.len() as u64));
        let mut body = doc;
        body.as_object_mut().map(|o| o.remove("_id"));
        self.docs.entry(id.clone()).or_default().push((rev, body));
        self.touch(&id);
    }

    fn full(&self, id: &str, rev: &str, body: &Value, conflicts: bool) -> Value {
        let mut d = body.clone();
        d["_id"] = json!(id);
        d["_rev"] = json!(rev);
        if conflicts {
            let others: Vec<&String> = self.docs[id].iter().map(|(r, _)| r).filter(|r| r.as_str() != rev).collect();
            if !others.is_empty() {
                d["_conflicts"] = json!(others);
            }
        }
        d
    }

    pub(super) fn get(&self, id: &str, rev: Option<&str>) -> Option<Value> {
        let (r, body) = match rev {
            Some(rev) => self.docs.get(id)?.iter().find(|(r, _)| r == rev)?,
            None => self.winner(id)?,
        };
        Some(self.full(id, r, body, rev.is_none()))
    }

    fn changes(&self, since: u64) -> Value {
        let mut rows: Vec<(u64, &String)> =
            self.seqs.iter().filter(|(_, &s)| s > since).map(|(id, &s)| (s, id)).collect();
        rows.sort();
        let more = rows.len() > PULL_BATCH;
        rows.truncate(PULL_BATCH);
        let last = rows.last().map_or(since, |r| r.0);
        let results: Vec<Value> = rows
            .iter()
            .map(|(s, id)| match self.winner(id) {
                Some((rev, body)) => json!({"seq": s, "id": id, "doc": self.full(id, rev, body, true)}),
                None => {
                    json!({"seq": s, "id": id, "deleted": true, "doc": {"_id": id, "_rev": "9-z", "_deleted": true}})
                }
            })
            .collect();
        json!({"results": results, "last_seq": last, "pending": u64::from(more)})
    }
}

#[derive(Default)]
pub(super) struct Client {
    pub(super) local: Replica,
    pub(super) state: SyncState,
}

impl Client {
    pub(super) fn edit(&mut self, entry: &Entry) {
        let before = self.local.clone();
        let one = match entry {
            Entry::Live(a) => Replica { annotations: vec![a.clone()], deleted: vec![] },
            Entry::Gone(t) => Replica { annotations: vec![], deleted: vec![t.clone()] },
        };
        self.local = crate::merge::merge(&self.local, &one);
        self.state.queue_changes(&before, &self.local);
    }

    pub(super) fn push(&mut self, server: &mut ModelServer) {
        let Some((body, sent)) = push_body(DOC, &self.local, &self.state) else { return };
        let reply = server.bulk_docs(&body);
        let (conflicts, refused) = apply_pushed(DOC, &mut self.state, &sent, &reply).expect("a list");
        assert!(refused.is_empty(), "{refused:?}");
        // A conflict: fetch the server's version and merge; the next push
        // goes on its revision.
        for id in conflicts {
            let doc_id = doc_id(DOC, &AnnotationId::parse(&id).expect("an id"));
            if let Some(doc) = server.get(&doc_id, None) {
                let incoming = from_doc(&doc, DOC).expect("ours");
                self.take(server, vec![incoming]);
            }
        }
    }

    fn take(&mut self, server: &mut ModelServer, docs: Vec<Incoming>) {
        self.local = apply_pulled(&mut self.state, &self.local, &docs);
        for d in docs.iter().filter(|d| !d.conflicts.is_empty()) {
            let id = doc_id(DOC, d.entry.id());
            let leaves: Vec<Incoming> = d
                .conflicts
                .iter()
                .filter_map(|r| server.get(&id, Some(r)))
                .filter_map(|v| from_doc(&v, DOC).ok())
                .collect();
            let (merged, r, body) = settle(DOC, &mut self.state, &self.local, d, &leaves);
            self.local = merged;
            let reply = server.bulk_docs(&body);
            apply_settled(&mut self.state, &r, &reply);
        }
    }

    pub(super) fn pull(&mut self, server: &mut ModelServer) {
        loop {
            let since = self.state.checkpoint.as_ref().and_then(Value::as_u64).unwrap_or(0);
            let changes = read_changes(&server.changes(since), DOC).expect("a reply");
            assert!(changes.refused.is_empty(), "{:?}", changes.refused);
            self.take(server, changes.docs);
            self.state.checkpoint = changes.last_seq;
            if !changes.more {
                break;
            }
        }
    }
}
