//! Storage glue: a document's saved annotations read (and reported, or
//! quarantined) when it opens, merged with other tabs' saves, and written
//! after the frame that shows a change.

use super::{document_key, App, Context, Mirror, Msg, Source};
use crate::article::ArticleView;
use crate::clock;
use crate::storage::Store;
use marginalia_core::codec::{self, CodecError};
use marginalia_core::drafts::Drafts;
use marginalia_core::merge::{merge, Replica};
use marginalia_core::{review, Annotation, Annotator, Document};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// The longest a save waits for the browser to be idle after its frame.
const IDLE_WITHIN_MS: u32 = 500;

/// On the widget's element while changes wait to be written.
const UNSAVED_ATTR: &str = "data-marginalia-unsaved";

impl App {
    /// Shows `doc` with its saved annotations, reporting anything unreadable.
    ///
    /// A save still pending (see `save_soon`) belongs to the document being
    /// left: it is written now, under that document's key, before the key
    /// and the annotations change. Left for later, it would write the new
    /// document's state instead, and the last change made to the old one
    /// would be lost.
    pub(super) fn open_document(&mut self, ctx: &Context<Self>, doc: Rc<Document>) {
        self.flush(ctx);
        self.frozen = None;
        let id = ctx.props().document_id.as_deref().filter(|_| !matches!(ctx.props().source, Source::Page { .. }));
        self.key = document_key(id, &doc);
        self.peer.watch(codec::annotations_key(&self.key));
        self.rejected = self
            .store
            .read(&codec::rejected_key(&self.key))
            .map(|raw| codec::decode_rejected(&raw))
            .unwrap_or_default();
        self.pending = Rc::default();
        self.pending_marks = Rc::default();
        self.suggested = false;
        let saved = self.read_saved(&doc).unwrap_or_default();
        let tags = self.annotator.tags().clone();
        let scale = ctx.props().scale.clone();
        let drafts = Drafts::from_list(saved.drafts);
        let annotator = Annotator::new(doc, tags, saved.anchored, saved.orphaned)
            .with_deleted(saved.deleted)
            .with_drafts(drafts)
            .with_scale(scale);
        self.show(ctx, annotator);
        let lacking =
            review::off_scale(self.annotator.all().iter().filter_map(|a| a.review.as_deref()), &ctx.props().scale);
        if !lacking.is_empty() {
            let names: Vec<String> = lacking.iter().map(|v| format!("“{v}”")).collect();
            self.error = Some(format!(
                "Some claims have a verdict this site's rating scale does not have ({}). They are kept as they \
                 are, and left out of ClaimReview until they are given a verdict from this scale.",
                names.join(", ")
            ));
        }
    }

    /// Renders a new state from scratch.
    pub(super) fn show(&mut self, ctx: &Context<Self>, annotator: Annotator) {
        self.annotator = annotator;
        self.current = None;
        self.hover = Vec::new();
        if !matches!(ctx.props().source, Source::InPlace { .. }) {
            let view = ArticleView { doc: self.annotator.document().clone(), blocks: self.blocks.clone() };
            self.settle.borrow_mut().show(view);
        }
        self.list_changed(ctx);
    }

    /// The saved annotations of `doc`, or `None` when nothing usable is
    /// saved. Problems are reported; a damaged value is quarantined; a
    /// value from a newer version is shown read-only and never overwritten.
    pub(super) fn read_saved(&mut self, doc: &Document) -> Option<codec::Decoded> {
        let raw = self.store.read(&codec::annotations_key(&self.key))?;
        self.decode_saved(doc, raw)
    }

    /// A saved value of this document's key (read, or carried by another
    /// tab's storage event), decoded as [`read_saved`](Self::read_saved) says.
    fn decode_saved(&mut self, doc: &Document, raw: String) -> Option<codec::Decoded> {
        let key = codec::annotations_key(&self.key);
        match codec::decode_annotations(&raw, &self.key, doc) {
            Ok(decoded) => {
                if decoded.moved > 0 {
                    self.status = format!("{} annotation(s) moved to follow edits in the article", decoded.moved);
                }
                if !decoded.refused.is_empty() {
                    self.error = Some(format!(
                        "{} saved annotation(s) could not be read and were left out: {}.",
                        decoded.refused.len(),
                        decoded.refused.join("; ")
                    ));
                }
                Some(decoded)
            }
            Err(e @ CodecError::NewerSchema(_)) => {
                self.frozen = Some(format!(
                    "These annotations were saved by a newer version of Marginalia ({e}). \
                     They are shown read-only, and nothing is saved, so none of them is lost."
                ));
                codec::peek_newer(&raw, &self.key, doc)
            }
            Err(e) => {
                // Quarantine the damaged value before the key is overwritten,
                // once: the save that follows reads it again.
                if self.quarantined.as_deref() == Some(raw.as_str()) {
                    return None;
                }
                let backup = format!("{key}:corrupt:{}", clock::env().now_ms);
                self.quarantined = Some(raw.clone());
                self.error = Some(match self.store.write(&backup, &raw) {
                    Ok(()) => format!(
                        "Saved annotations for this article could not be read: {e}. A copy was kept under “{backup}”."
                    ),
                    Err(_) => format!("Saved annotations for this article could not be read: {e}."),
                });
                None
            }
        }
    }

    /// Merges into the state here what another tab saved (`carried`, the
    /// value its storage event brought) and what storage holds now: by
    /// then storage may hold this tab's own later save, which did not
    /// have the other tab's edit, and the event's value is the only copy
    /// of it left (the merge is idempotent, so reading both loses
    /// nothing). Re-renders if that changed anything. Returns whether it
    /// did, and the copy storage holds, when it is not this view's own.
    pub(super) fn merge_stored(&mut self, ctx: &Context<Self>, carried: Option<String>) -> (bool, Option<Replica>) {
        if self.frozen.is_some() {
            return (false, None);
        }
        let doc = self.annotator.document().clone();
        let key = codec::annotations_key(&self.key);
        let (mut changed, mut stored, mut drafts) = (false, None, false);
        let read = self.store.read(&key);
        for (raw, is_storage) in carried.map(|c| (c, false)).into_iter().chain(read.map(|r| (r, true))) {
            // What this view wrote last: nothing to merge (a comparison;
            // hashing 2 MB twice per save cost ~16 ms).
            if Some(&raw) == self.last_written.as_ref() {
                continue;
            }
            let Some(saved) = self.decode_saved(&doc, raw) else { continue };
            // The drafts typed in another tab come here too (a draft
            // changes nothing drawn: no re-render for it alone).
            drafts |= self.annotator.merge_drafts(&Drafts::from_list(saved.drafts));
            let other = Replica {
                annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(),
                deleted: saved.deleted,
            };
            changed |= self.annotator.merge_in(&other);
            if is_storage {
                stored = Some(other);
            }
        }
        if changed {
            self.list_changed(ctx);
            self.forget_in_popover();
        }
        (changed || drafts, stored)
    }

    /// Saves at the first idle period after the frame showing the change
    /// that is long enough for the write (as long as the last one took), or
    /// after half a second: on 1 MB with 10,000 annotations writing takes
    /// ~35–60 ms, which would otherwise sit between the reader's click and
    /// the highlight, or delay the frame after it (an add measured 212 ms
    /// at 1 MB × 10,000 with the write in the task after the frame, 121 ms
    /// at the first idle moment). Changes in one frame are written once.
    /// Hiding or leaving the page, unmounting and opening another article
    /// write at once, so the delay never loses work.
    pub(super) fn save_soon(&mut self, ctx: &Context<Self>) {
        self.unsaved = true;
        {
            let mut shared = ctx.props().mirror.0.borrow_mut();
            shared.unsaved = !self.read_only(ctx);
            shared.drafts = Rc::new(self.annotator.drafts().list());
        }
        if self.save_due.is_some() {
            return;
        }
        self.signal_unsaved(ctx);
        let link = ctx.link().clone();
        let cost = self.save_cost.clone();
        let frame = gloo::render::request_animation_frame(move |_| {
            // The frame callback runs before paint; idle periods come after
            // the paint and the frame's other work. Flush is idempotent: a
            // late call finds nothing unsaved, so none is ever cancelled.
            let flush: Rc<dyn Fn()> = Rc::new(move || link.send_message(Msg::Flush));
            let idle =
                web_sys::window().filter(|w| js_sys::Reflect::has(w, &"requestIdleCallback".into()).unwrap_or(false));
            match idle {
                Some(window) => {
                    let due = clock::now_ms() + f64::from(IDLE_WITHIN_MS);
                    when_idle_for(window, cost, due, flush);
                }
                None => {
                    gloo::timers::callback::Timeout::new(0, move || flush()).forget();
                }
            }
        });
        // A hidden tab runs no frames: then a second at most.
        let link = ctx.link().clone();
        let fallback = gloo::timers::callback::Timeout::new(1_000, move || link.send_message(Msg::Flush));
        self.save_due = Some((frame, fallback));
    }

    /// Writes unsaved changes now instead of after the pending frame.
    pub(super) fn flush(&mut self, ctx: &Context<Self>) {
        self.save_due = None;
        if self.unsaved {
            self.save(ctx);
        }
        self.signal_unsaved(ctx);
    }

    /// The widget's element carries `data-marginalia-unsaved` exactly while
    /// changes wait to be written (a failed write keeps it), and a write
    /// dispatches `marginalia:saved` (`detail.key`: the storage key) from
    /// it. A host that must know its reader's work is stored before it
    /// navigates away waits on these, and so do the end-to-end tests, since
    /// when a save runs depends on idle time (`save_soon`), not on a clock.
    fn signal_unsaved(&self, ctx: &Context<Self>) {
        let Some(view) = &ctx.props().view else { return };
        // Set or removed only when it changes: a host's MutationObserver
        // hears one record per change, not one per save attempt.
        if view.has_attribute(UNSAVED_ATTR) == self.unsaved {
            return;
        }
        let _ = if self.unsaved { view.set_attribute(UNSAVED_ATTR, "") } else { view.remove_attribute(UNSAVED_ATTR) };
    }

    fn signal_saved(&self, ctx: &Context<Self>, key: &str) {
        let Some(view) = &ctx.props().view else { return };
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"key".into(), &key.into());
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("marginalia:saved", &init) {
            let _ = view.dispatch_event(&event);
        }
    }

    /// Saves now, first merging in whatever another tab saved meanwhile.
    /// A failed write leaves `unsaved` set, so leaving the page, or this
    /// article, tries again rather than dropping the changes.
    pub(super) fn save(&mut self, ctx: &Context<Self>) {
        self.unsaved = false;
        if self.read_only(ctx) || !self.store.is_available() {
            return;
        }
        let started = clock::now_ms();
        self.write(ctx);
        self.save_cost.set(clock::now_ms() - started);
    }

    fn write(&mut self, ctx: &Context<Self>) {
        let _timing = clock::Measure::start("marginalia:save");
        self.merge_stored(ctx, None);
        let doc = self.annotator.document();
        let key = codec::annotations_key(&self.key);
        let all = self.annotator.annotations().iter().chain(self.annotator.orphaned());
        let drafts = self.annotator.drafts().list();
        let raw = self.encoder.encode(&self.key, doc, all, self.annotator.deleted(), &drafts);
        match self.store.write(&key, &raw) {
            Ok(()) => {
                self.last_written = Some(raw);
                ctx.props().mirror.0.borrow_mut().unsaved = false;
                // A failed save's message stays until one succeeds.
                if self.error.as_deref().is_some_and(|e| e.starts_with("Not saved")) {
                    self.error = None;
                }
                self.peer.announce(&key);
                self.signal_saved(ctx, &key);
                self.sync_saved(ctx);
            }
            Err(why) => {
                self.unsaved = true;
                self.error = Some(format!(
                    "Not saved: {why}. Your annotations are kept in this tab and saving is retried on the next change."
                ));
            }
        }
    }
}

/// A write shorter than this runs in the first idle period, whatever is
/// left of it (small articles save as soon as they can).
const ONE_FRAME_MS: f64 = 16.0;

/// Runs `then` in the first idle period with at least `cost` milliseconds
/// left (what the last save took), or at `due` (a performance.now() time)
/// when none comes: a long write never pushes back a frame in progress.
fn when_idle_for(window: web_sys::Window, cost: Rc<Cell<f64>>, due: f64, then: Rc<dyn Fn()>) {
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout((due - clock::now_ms()).max(1.0) as u32);
    let again = window.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |deadline: web_sys::IdleDeadline| {
        let enough = cost.get() < ONE_FRAME_MS || deadline.time_remaining() >= cost.get();
        if enough || deadline.did_timeout() || clock::now_ms() >= due {
            then();
        } else {
            when_idle_for(again, cost, due, then);
        }
    });
    let _ = window.request_idle_callback_with_options(callback.unchecked_ref(), &options);
}

/// Writes what waits to be written, at once, from the mirror: called by the
/// `pagehide` listener itself. A message to the widget would wait behind
/// whatever the renderer handed back to the browser (Yew works in slices),
/// and a page being left never runs it. The stored value is merged in
/// first, as every save does; a value that does not read cleanly (damaged,
/// newer, with items refused) is left to the widget, which keeps it.
pub fn write_on_leaving(mirror: &Mirror, store: &Store) {
    let (key, doc, ours, deleted, drafts) = {
        let shared = mirror.0.borrow();
        if !shared.unsaved || shared.key.is_empty() {
            return;
        }
        let ours: Vec<Annotation> = shared.annotations.iter().chain(shared.orphaned.iter()).cloned().collect();
        (shared.key.clone(), shared.doc.clone(), ours, shared.deleted.clone(), shared.drafts.clone())
    };
    let storage_key = codec::annotations_key(&key);
    let mut replica = Replica { annotations: ours, deleted: deleted.to_vec() };
    let mut drafts = Drafts::from_list(drafts.to_vec());
    if let Some(raw) = store.read(&storage_key) {
        match codec::decode_annotations(&raw, &key, &doc) {
            Ok(saved) if saved.refused.is_empty() => {
                drafts.merge(&Drafts::from_list(saved.drafts));
                let stored = Replica {
                    annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(),
                    deleted: saved.deleted,
                };
                replica = merge(&replica, &stored);
            }
            _ => return,
        }
    }
    let raw = codec::encode_annotations(&key, &doc, &replica.annotations, &replica.deleted, &drafts.list());
    if store.write(&storage_key, &raw).is_ok() {
        mirror.0.borrow_mut().unsaved = false;
    }
}
