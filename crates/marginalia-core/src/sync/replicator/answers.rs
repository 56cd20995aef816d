//! What each answer changes: a push's accepted and conflicting documents,
//! a pull's changes, our checkpoint read back or written, a conflict's
//! leaves and its settling; a server that lost everything, started over.

use super::io::{documents, get, post_bulk, unreadable};
use super::{Answer, Deadline, Effect, Http, Purpose, Replicator, Rewind};
use crate::merge::Replica;
use crate::sync::resolve::{apply_settled, settle};
use crate::sync::state::{apply_pulled, apply_pushed, read_changes, Since};
use crate::sync::status::{after, checkpoint_path, encode_component, Next, Status};
use crate::sync::wire::{doc_id, Incoming};
use serde_json::{json, Value};

impl Replicator {
    pub(super) fn answered(&mut self, purpose: Purpose, answers: Vec<Answer>, local: &Replica) {
        let none = Answer::none("no answer");
        let first = answers.first().unwrap_or(&none);
        match purpose {
            Purpose::Push(sent) => {
                self.pushing = false;
                let Some(body) = first.ok_body() else { return self.failed(first) };
                let key = self.key().to_string();
                match apply_pushed(&key, &mut self.state, &sent, body) {
                    Ok((conflicts, refused)) => {
                        self.ok();
                        if let Some(first) = refused.first() {
                            self.status = Status::Refused(first.clone());
                        }
                        self.store();
                        if conflicts.is_empty() {
                            self.kick(local);
                        } else {
                            let ids: Vec<crate::AnnotationId> =
                                conflicts.iter().filter_map(|id| crate::AnnotationId::parse(id)).collect();
                            let requests = ids
                                .iter()
                                .map(|id| format!("{}?conflicts=true", encode_component(&doc_id(&key, id))))
                                .map(|p| get(p, Deadline::Short))
                                .collect();
                            let ids = ids.iter().map(|id| id.to_string()).collect();
                            self.send(Purpose::Fetch(ids), requests);
                        }
                    }
                    Err(why) => self.failed(&unreadable(why)),
                }
            }
            // The versions are taken; `Taken` sends what waits, and pulls.
            Purpose::Fetch(ids) => {
                // A conflict on a document the server does not have (purged,
                // or a database created again): the revision held here is
                // of a version gone, and the next push goes without it.
                for (id, answer) in ids.iter().zip(&answers) {
                    if answer.status == 404 {
                        self.state.revs.remove(id);
                    }
                }
                self.take(&documents(&answers, self.key()), local)
            }
            Purpose::Pull(since) => {
                self.pulling = false;
                if first.timed_out {
                    // A quiet longpoll ended by our deadline: ask again, from
                    // reading our checkpoint back. A database deleted and
                    // created again answers a pull with nothing, and would
                    // never be told from a quiet one: it has lost our
                    // checkpoint with everything else.
                    self.verified = false;
                    return self.kick(local);
                }
                let Some(body) = first.ok_body() else { return self.failed(first) };
                let changes = match read_changes(body, self.key()) {
                    Ok(c) => c,
                    Err(why) => return self.failed(&unreadable(why)),
                };
                self.take(&changes.docs, local);
                self.ok();
                self.caught_up = !changes.more;
                if changes.docs.iter().any(|d| !d.conflicts.is_empty()) {
                    if self.state.settle_from.is_none() {
                        self.state.settle_from = Some(Since { since: since.clone() });
                    }
                } else if !self.settling() && self.state.settle_from.as_ref().is_some_and(|f| f.since == since) {
                    // Pulled again from there, and nothing is in conflict
                    // now (settled elsewhere meanwhile).
                    self.state.settle_from = None;
                }
                if let Some(first) = changes.refused.first() {
                    self.status = Status::Refused(first.clone());
                }
                if changes.last_seq.is_some() && changes.last_seq != self.state.checkpoint {
                    self.state.checkpoint = changes.last_seq;
                    self.checkpoint();
                }
                self.store();
                let rewind = Rewind { since, reached: self.state.checkpoint.clone() };
                for d in changes.docs.into_iter().filter(|d| !d.conflicts.is_empty()) {
                    self.leaves(d, rewind.clone());
                }
            }
            Purpose::Verify => {
                self.pulling = false;
                match first.status {
                    // Our checkpoint is gone: the server lost this article's
                    // documents, or is another one. Start over, sending all.
                    404 => return self.start_over(local),
                    200..=299 => {
                        // The revision as the server has it: one written just
                        // before a reload may never have been stored here.
                        let rev = first.ok_body().and_then(|v| v.get("_rev")).and_then(Value::as_str);
                        if let Some(rev) = rev.filter(|r| r.len() <= 256) {
                            self.state.checkpoint_rev = Some(rev.to_string());
                        }
                        self.ok();
                    }
                    _ => return self.failed(first),
                }
                self.verified = true;
                self.store();
                self.kick(local);
            }
            Purpose::Leaves(current, rewind) => {
                // A leaf deleted meanwhile (404) is settled already.
                if let Some(bad) = answers.iter().find(|a| a.ok_body().is_none() && a.status != 404) {
                    return self.unsettled(&rewind, &bad.clone());
                }
                let leaves = documents(&answers, self.key());
                let key = self.key().to_string();
                let (merged, resolution, body) = settle(&key, &mut self.state, local, &current, &leaves);
                self.take_merged(merged, local);
                self.send(Purpose::Settle(Box::new(resolution), rewind), vec![post_bulk(body)]);
            }
            Purpose::Settle(resolution, rewind) => {
                apply_settled(&mut self.state, &resolution, first.body.as_ref().unwrap_or(&Value::Null));
                let deleted = first.ok_body().and_then(Value::as_array).is_some_and(|rows| {
                    rows.iter().all(|row| row.get("error").is_none() || row.get("error") == Some(&json!("not_found")))
                });
                if !deleted {
                    return self.unsettled(&rewind, first);
                }
                if !self.settling() {
                    self.state.settle_from = None;
                }
                self.ok();
                self.store();
                self.kick(local);
            }
            Purpose::Checkpoint { written, again } => {
                if first.status == 409 {
                    if again {
                        // Written again before ours: tried later, from reading
                        // its revision (it may be gone by then).
                        self.checkpointing = false;
                        return self.retry(Status::Syncing);
                    }
                    // Written meanwhile elsewhere (another tab), or gone: read
                    // its revision, and write over it.
                    let path = checkpoint_path(self.key(), &self.replica);
                    return self.send(Purpose::CheckpointRev { written }, vec![get(path, Deadline::Short)]);
                }
                self.checkpointing = false;
                match after(first.status, &first.reason()) {
                    Next::Carry => {
                        let rev = first.ok_body().and_then(|v| v.get("rev")).and_then(Value::as_str);
                        match rev.filter(|r| r.len() <= 256) {
                            Some(rev) => self.state.checkpoint_rev = Some(rev.to_string()),
                            // A body that could not be read (too large, not
                            // JSON): said, and tried again after a backoff.
                            None if first.body.is_err() => return self.failed(first),
                            // Kept, with no revision to give: changes must
                            // not wait for one.
                            None => self.unanchored = true,
                        }
                    }
                    // Offline, or the server down: tried again after a backoff.
                    // Offline, the server down, or signed out: as any request.
                    Next::Retry(_) | Next::Stop(Status::SignIn) => return self.failed(first),
                    // Refused for good: this server will not keep it for us,
                    // and changes must not wait for it.
                    Next::Stop(_) => self.unanchored = true,
                }
                self.store();
                // Pulls that ended while it was on its way: the newest now.
                if self.state.checkpoint.as_ref() != Some(&written) {
                    self.checkpoint();
                }
                // Changes that waited for the checkpoint to be kept.
                self.kick(local);
            }
            // Not stale but gone: the server lost everything (as a `Verify`
            // would find).
            Purpose::CheckpointRev { .. } if first.status == 404 => self.start_over(local),
            Purpose::CheckpointRev { written } => {
                let rev = first.ok_body().and_then(|v| v.get("_rev")).and_then(Value::as_str).map(str::to_string);
                match rev {
                    Some(rev) => self.put_checkpoint(written, Some(rev), true),
                    // Never written without a revision here: that would
                    // create it in a database created again meanwhile.
                    None => {
                        self.checkpointing = false;
                        self.failed(first);
                    }
                }
            }
        }
    }

    /// The server lost what it had of this article (our checkpoint document
    /// is gone): everything is pulled from the start and sent again. What is
    /// on its way was asked of the server as it was, and its answers are
    /// dropped: a pull from the old checkpoint would skip the new start.
    fn start_over(&mut self, local: &Replica) {
        self.state.restart(local);
        self.forget_in_flight();
        self.verified = true;
        self.store();
        self.kick(local);
    }

    /// Takes documents from the server into the annotations here.
    fn take(&mut self, docs: &[Incoming], local: &Replica) {
        // An edit made here but not saved yet (the save waits for an idle
        // moment) is queued now: `seen` moves past it when this is taken,
        // and the save that follows would then find nothing new to send.
        self.state.queue_changes(&self.seen, local);
        let merged = apply_pulled(&mut self.state, local, docs);
        self.out.push(Effect::Take(merged));
    }

    /// As `take`, for a merge already made (a conflict's leaves settled).
    fn take_merged(&mut self, merged: Replica, local: &Replica) {
        self.state.queue_changes(&self.seen, local);
        self.out.push(Effect::Take(merged));
    }

    /// Whether a conflict's leaves or its settling write are on their way.
    fn settling(&self) -> bool {
        self.in_flight.values().any(|p| matches!(p, Purpose::Leaves(..) | Purpose::Settle(..)))
    }

    /// Fetches a conflicted document's other leaves, to settle them.
    fn leaves(&mut self, current: Incoming, rewind: Rewind) {
        let id = encode_component(&doc_id(self.key(), current.entry.id()));
        let requests = current
            .conflicts
            .iter()
            .map(|rev| get(format!("{id}?rev={}", encode_component(rev)), Deadline::Short))
            .collect();
        self.send(Purpose::Leaves(Box::new(current), rewind), requests);
    }

    /// A conflict the server still holds: found again by the next pull, from
    /// where the pull that found it started (unless a later pull moved on,
    /// and will meet the document again when it next changes).
    fn unsettled(&mut self, rewind: &Rewind, answer: &Answer) {
        if self.state.checkpoint == rewind.reached {
            self.state.checkpoint.clone_from(&rewind.since);
            self.caught_up = false;
            self.store();
        }
        match answer.ok_body() {
            // Answered, but a row was refused: tried again after a backoff.
            Some(_) => self.retry(Status::Syncing),
            None => self.failed(answer),
        }
    }

    /// Keeps the pull checkpoint on the server too, in a `_local` document
    /// (never replicated), so that a reload finds where it was.
    fn checkpoint(&mut self) {
        if self.checkpointing {
            return;
        }
        let Some(seq) = self.state.checkpoint.clone() else { return };
        self.checkpointing = true;
        let rev = self.state.checkpoint_rev.clone();
        self.put_checkpoint(seq, rev, false);
    }

    pub(super) fn put_checkpoint(&mut self, written: Value, rev: Option<String>, again: bool) {
        let mut doc = json!({ "last_seq": written });
        if let Some(rev) = rev {
            doc["_rev"] = json!(rev);
        }
        let path = checkpoint_path(self.key(), &self.replica);
        let put = Http { method: "PUT", path, body: Some(doc), deadline: Deadline::Short };
        self.send(Purpose::Checkpoint { written, again }, vec![put]);
    }
}
