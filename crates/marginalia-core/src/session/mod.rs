//! The annotator's session as one update: an article opened, the reader's
//! action, the host's edited text, another tab's save, a save due, a write
//! done, and everything sync hears are [`Event`]s into [`Session::update`],
//! which changes the annotations through the annotator and returns the
//! [`Effect`]s the shell carries out — writes, what to say, what to redraw,
//! and sync's requests and timers. The shell keeps the view and the
//! browser; every decision about the reader's work is here, so a native
//! model-based test drives the very code the widget runs (`tests.rs`).
//!
//! `keeper.rs`: storage's side (read, merge, write); `held.rs`: what
//! storage holds, so a save writes only what it lacks.

mod held;
mod keeper;

pub use keeper::{leaving_value, Put, Stored};
#[cfg(test)]
mod saving_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod world;

use crate::annotation::{Annotation, AnnotationId};
use crate::annotator::{ActionError, Annotator, Env, Older, Outcome};
use crate::document::Document;
use crate::drafts::{Drafts, Fields, Form};
use crate::history::Change;
use crate::merge::Replica;
use crate::review::Scale;
use crate::sync::{self, Replicator};
use crate::tag::TagSet;
use crate::Action;
use keeper::Keeper;
use std::rc::Rc;

/// What happened.
pub enum Event<'a> {
    /// An article opened under `key` (`codec::document_key`): what storage
    /// holds of its annotations, and of its sync state.
    Open {
        key: String,
        doc: Rc<Document>,
        stored: Stored,
        sync_state: Option<String>,
        now_ms: u64,
    },
    /// The reader did something.
    Act(Action, Env),
    /// The reader typed into a form (kept as its draft, saved like an edit).
    Type {
        id: AnnotationId,
        form: Form,
        fields: Fields,
        now_ms: u64,
    },
    /// The embedder's `setAnnotations`: every annotation replaced (each
    /// judged against the one held).
    Replace(Vec<Annotation>, u64),
    /// The embedder's single put, judged the same way.
    Put(Annotation, u64),
    /// A file's valid items: added, nothing here overwritten.
    Import(Vec<Annotation>, u64),
    /// The host edited its article: every annotation placed again.
    HostText(Rc<Document>),
    /// Another view saved this article: the key and value its storage
    /// event carried, and what storage holds now.
    OtherTab {
        carried: Option<(String, String)>,
        stored: Stored,
        now_ms: u64,
    },
    /// Time to write: what storage holds now (merged in first).
    Save {
        stored: Stored,
        now_ms: u64,
    },
    /// The last [`Effect::Write`] was carried out (its writes handed
    /// back), or why not.
    Written(Result<Vec<Put>, String>),
    /// Sync starts (or starts again) with this replicator; the article's
    /// sync state as stored.
    StartSync(Box<Replicator>, Option<String>),
    StopSync,
    /// Something for sync (a kick, an answer, a timer).
    Sync(sync::Event<'a>),
}

/// What the shell carries out, in order.
#[derive(Debug)]
pub enum Effect {
    /// Write these, in order (a value, or a key removed), then say how it
    /// went ([`Event::Written`]); none when storage holds everything.
    Write(Vec<Put>),
    /// Keep a damaged value aside at `key`, and say `said` (or `unsaid`
    /// when that write fails too).
    Aside { key: String, value: String, said: String, unsaid: String },
    /// The written value is stored under `key`: tell the page and other tabs.
    Saved { key: String },
    /// The reader's action, done or refused.
    Applied(Result<Outcome, ActionError>),
    /// The embedder's put: what it changed, or why it was refused.
    Put(Box<Result<Option<Change>, Older>>),
    /// An import's additions, and the ids already here (kept as they are).
    Imported { created: Vec<Change>, skipped: Vec<AnnotationId> },
    /// The annotations changed other than by the reader's hand (another
    /// tab, the server, the host's text): the list and paint again.
    Changed,
    /// Changes to write soon (the server's, the host's text).
    SaveSoon,
    /// A sentence for the live region.
    Status(String),
    /// An error, shown until the next success.
    Error(String),
    /// A failed save's error is over.
    SavedAgain,
    /// A newer version's annotations are stored: shown read-only, nothing
    /// written.
    Frozen(String),
    /// Sync's requests, its state to store, its timer, its problems.
    Sync(sync::Effect),
}

pub struct Session {
    annotator: Annotator,
    keeper: Keeper,
    sync: Option<Replicator>,
    /// The host made the widget read-only: nothing is written.
    read_only: bool,
}

impl Session {
    /// No article yet: the first [`Event::Open`] brings one.
    pub fn new(tags: Rc<TagSet>, scale: Rc<Scale>, read_only: bool) -> Session {
        let annotator =
            Annotator::new(Rc::new(Document::from_text("")), tags, Vec::new(), Vec::new()).with_scale(scale);
        Session { annotator, keeper: Keeper::default(), sync: None, read_only }
    }

    /// The annotations, read by the view (changed only by [`update`](Self::update)).
    pub fn annotator(&self) -> &Annotator {
        &self.annotator
    }

    pub fn sync(&self) -> Option<&Replicator> {
        self.sync.as_ref()
    }

    /// The open article's key.
    pub fn key(&self) -> &str {
        &self.keeper.key
    }

    /// Whether a newer version's value is stored (nothing is written).
    pub fn frozen(&self) -> bool {
        self.keeper.frozen
    }

    pub fn update(&mut self, event: Event<'_>) -> Vec<Effect> {
        let mut out = Vec::new();
        match event {
            Event::Open { key, doc, stored, sync_state, now_ms } => {
                self.keeper = Keeper::new(key);
                let (saved, log) = self.keeper.read(stored, &doc, now_ms, &mut out);
                let saved = saved.unwrap_or_default();
                let tags = self.annotator.tags().clone();
                let scale = self.annotator.scale().clone();
                self.annotator = Annotator::new(doc, tags, saved.anchored, saved.orphaned)
                    .with_deleted(saved.deleted)
                    .with_drafts(Drafts::from_list(saved.drafts))
                    .with_scale(scale);
                // What the saves since the envelope was written changed.
                if let Some(log) = log {
                    self.annotator.merge_drafts(&Drafts::from_list(log.drafts));
                    let annotations = log.anchored.into_iter().chain(log.orphaned).collect();
                    self.annotator.merge_in(&Replica { annotations, deleted: log.deleted });
                }
                self.open_sync(sync_state, &mut out);
            }
            Event::Act(action, env) => out.push(Effect::Applied(self.annotator.apply(action, env))),
            Event::Type { id, form, fields, now_ms } => match self.annotator.type_draft(&id, form, fields, now_ms) {
                Ok(()) => out.push(Effect::SaveSoon),
                Err(why) => out.push(Effect::Status(format!("Not kept: {why}"))),
            },
            Event::Replace(items, now_ms) => self.annotator.replace_all(items, now_ms),
            Event::Put(annotation, now_ms) => {
                out.push(Effect::Put(Box::new(self.annotator.put_one(annotation, now_ms))))
            }
            Event::Import(items, now_ms) => {
                let (created, skipped) = self.annotator.add_all(items, now_ms);
                out.push(Effect::Imported { created, skipped });
            }
            Event::HostText(doc) => {
                let orphans_before = self.annotator.orphaned().len();
                let moved = self.annotator.rebase(doc);
                let orphaned = self.annotator.orphaned().len();
                out.push(Effect::Changed);
                out.push(Effect::SaveSoon);
                out.push(Effect::Status(match (moved, orphaned.cmp(&orphans_before)) {
                    (_, std::cmp::Ordering::Greater) => format!(
                        "The article changed: {moved} annotation(s) moved with their text, {} no longer found (kept \
                         in the panel)",
                        orphaned - orphans_before
                    ),
                    (0, _) => "The article changed; every annotation is where it was".into(),
                    _ => format!("The article changed: {moved} annotation(s) moved with their text"),
                }));
            }
            Event::OtherTab { carried, stored, now_ms } => {
                let (changed, any) = self.keeper.merge_stored(&mut self.annotator, carried, stored, now_ms, &mut out);
                if changed {
                    out.push(Effect::Changed);
                }
                if any {
                    out.push(Effect::Status("Updated from another view of this article".into()));
                }
                // If storage lacks something held here (both saved at once,
                // or the event's value was overwritten since), it is
                // written back, or that work would be lost on reload.
                // Equal copies write nothing: tabs do not echo.
                let lacking = self.keeper.lacking(&self.annotator);
                if !lacking.is_empty() {
                    self.put(lacking, &mut out);
                }
            }
            Event::Save { stored, now_ms } => self.write(stored, now_ms, &mut out),
            Event::Written(Ok(puts)) => {
                self.keeper.written(puts);
                out.push(Effect::SavedAgain);
                out.push(Effect::Saved { key: self.keeper.storage_key() });
                self.tell_sync(sync::Event::Saved, &mut out);
            }
            Event::Written(Err(why)) => {
                self.keeper.forget();
                out.push(Effect::Error(format!(
                    "Not saved: {why}. Your annotations are kept in this tab and saving is retried on the next change."
                )));
            }
            Event::StartSync(replicator, state) => {
                self.sync = Some(*replicator);
                self.open_sync(state, &mut out);
            }
            Event::StopSync => self.sync = None,
            Event::Sync(event) => self.tell_sync(event, &mut out),
        }
        out
    }

    /// Merges what storage holds, then writes what it lacks (unless the
    /// value stored is a newer version's, or the widget is read-only).
    fn write(&mut self, stored: Stored, now_ms: u64, out: &mut Vec<Effect>) {
        if self.keeper.frozen || self.read_only {
            return;
        }
        let (changed, _) = self.keeper.merge_stored(&mut self.annotator, None, stored, now_ms, out);
        if changed {
            out.push(Effect::Changed);
        }
        self.put(self.keeper.lacking(&self.annotator), out);
    }

    /// Writes `lacking` (what storage lacks, just worked out), unless the
    /// value stored is a newer version's or the widget is read-only.
    fn put(&mut self, lacking: held::Lacking, out: &mut Vec<Effect>) {
        if self.keeper.frozen || self.read_only {
            return;
        }
        out.push(Effect::Write(self.keeper.save(&self.annotator, lacking)));
    }

    /// The replicator, opened on this article when it is not yet.
    fn open_sync(&mut self, stored: Option<String>, out: &mut Vec<Effect>) {
        let Some(sync) = self.sync.as_mut() else { return };
        if self.keeper.key.is_empty() || sync.document() == Some(self.keeper.key.as_str()) {
            return;
        }
        let local = self.annotator.replica();
        let open = sync::Event::Open { document: &self.keeper.key, stored: stored.as_deref() };
        let mut effects = sync.update(open, &local);
        effects.extend(sync.update(sync::Event::Kick, &local));
        self.carry_sync(effects, out);
    }

    fn tell_sync(&mut self, event: sync::Event<'_>, out: &mut Vec<Effect>) {
        let Some(sync) = self.sync.as_mut() else { return };
        let effects = sync.update(event, &self.annotator.replica());
        self.carry_sync(effects, out);
    }

    /// The server's versions are taken in here; the rest is the shell's.
    fn carry_sync(&mut self, effects: Vec<sync::Effect>, out: &mut Vec<Effect>) {
        for effect in effects {
            match effect {
                sync::Effect::Take(merged) => {
                    if self.annotator.merge_in(&merged) {
                        out.push(Effect::Changed);
                        out.push(Effect::SaveSoon);
                    }
                    // At once: the replicator learns what the annotations
                    // are now (the annotator may place a version anew).
                    self.tell_sync(sync::Event::Taken, out);
                }
                other => out.push(Effect::Sync(other)),
            }
        }
    }
}
