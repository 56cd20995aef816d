//! Storage's timing: an article opened with what storage holds, a save
//! scheduled after the frame that shows a change (at an idle moment), and
//! the write on leaving the page. What is read, merged and written is the
//! session's (`marginalia_core::session`).

use super::{document_key, App, Context, Mirror, Msg, Source};
use crate::article::ArticleView;
use crate::clock;
use crate::storage::Store;
use marginalia_core::codec;
use marginalia_core::drafts::Drafts;
use marginalia_core::merge::Replica;
use marginalia_core::session::{leaving_value, Event};
use marginalia_core::sync::state_key;
use marginalia_core::{review, Annotation, Document};
use std::rc::Rc;

/// The longest a write shorter than a frame waits for an idle period.
const SHORT_WITHIN_MS: f64 = 500.0;

/// The longest a longer write waits for a quiet page; also how long a
/// hidden tab (which runs no frames) waits.
const LONG_WITHIN_MS: f64 = 1_000.0;

/// An idle period this long means no frame is due: the page is quiet
/// (Chromium's idle periods are 50 ms when nothing is drawn).
const QUIET_MS: f64 = 45.0;

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
        let key = document_key(id, &doc);
        self.peer.watch(codec::annotations_key(&key));
        self.rejected =
            self.store.read(&codec::rejected_key(&key)).map(|raw| codec::decode_rejected(&raw)).unwrap_or_default();
        self.pending = Rc::default();
        self.pending_marks = Rc::default();
        self.suggested = false;
        let stored = self.store.stored(&key);
        let sync_state = self.sync.as_ref().and_then(|_| self.store.read(&state_key(&key)));
        let now_ms = clock::env().now_ms;
        // From here the article's key is the session's (`session.key()`).
        self.update_session(ctx, Event::Open { key, doc, stored, sync_state, now_ms });
        self.show(ctx);
        let lacking = review::off_scale(
            self.session.annotator().all().iter().filter_map(|a| a.review.as_deref()),
            &ctx.props().scale,
        );
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
    pub(super) fn show(&mut self, ctx: &Context<Self>) {
        self.current = None;
        self.hover = Vec::new();
        if !matches!(ctx.props().source, Source::InPlace { .. }) {
            let view = ArticleView { doc: self.session.annotator().document().clone(), blocks: self.blocks.clone() };
            self.settle.borrow_mut().show(view);
        }
        self.list_changed(ctx);
    }

    /// Saves in an idle period after the frame showing the change, so that
    /// the write sits neither between the reader's click and the highlight
    /// nor in a frame's way. How long a period depends on how long the
    /// write takes (the last one's time):
    ///
    /// - shorter than a frame (a log entry: 6–12 ms at 1 MB × 10,000): the
    ///   first idle period, whatever is left of it, or half a second on;
    /// - longer, or not known yet (the first write is the whole envelope:
    ///   12–19 ms for 1,000 annotations, 63–93 ms for 10,000): an idle
    ///   period with no frame due ([`QUIET_MS`]), or a second on. Taken
    ///   as nothing, the first write ran between two frames of the
    ///   article's first showing and held up the second; waiting for a
    ///   period as long as itself, it waited for its half-second deadline
    ///   (browsers give 50 ms at most) and ran wherever that fell: inside
    ///   the reader's next tag (an add at 1 MB × 10,000 in place went from
    ///   21 to 148 ms over the browser's own highlight).
    ///
    /// Changes in one frame are written once. Hiding or leaving the page,
    /// unmounting and opening another article write at once, so the delay
    /// never loses work.
    pub(super) fn save_soon(&mut self, ctx: &Context<Self>) {
        self.unsaved = true;
        {
            let mut shared = ctx.props().mirror.0.borrow_mut();
            shared.unsaved = !self.read_only(ctx);
            shared.drafts = Rc::new(self.session.annotator().drafts().list());
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
                    let short = cost.get().is_some_and(|ms| ms < ONE_FRAME_MS);
                    let (at_least, within) = if short { (0.0, SHORT_WITHIN_MS) } else { (QUIET_MS, LONG_WITHIN_MS) };
                    let due = clock::now_ms() + within;
                    crate::idle::when_idle_for(window, move || at_least, Some(due), move || flush());
                }
                None => {
                    gloo::timers::callback::Timeout::new(0, move || flush()).forget();
                }
            }
        });
        // A hidden tab runs no frames: then a second at most.
        let link = ctx.link().clone();
        let fallback =
            gloo::timers::callback::Timeout::new(LONG_WITHIN_MS as u32, move || link.send_message(Msg::Flush));
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

    pub(super) fn signal_saved(&self, ctx: &Context<Self>, key: &str) {
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
        self.save_cost.set(Some(clock::now_ms() - started));
    }

    /// The session merges what storage holds and writes (`session.rs`
    /// carries the write).
    fn write(&mut self, ctx: &Context<Self>) {
        let _timing = clock::Measure::start("marginalia:save");
        let stored = self.store.stored(self.session.key());
        self.update_session(ctx, Event::Save { stored, now_ms: clock::env().now_ms });
    }
}

/// A write shorter than this runs in the first idle period, whatever is
/// left of it (small articles, and a log entry, save as soon as they can).
const ONE_FRAME_MS: f64 = 16.0;

/// Writes what waits to be written, at once, from the mirror: called by the
/// `pagehide` listener itself. A message to the widget would wait behind
/// whatever the renderer handed back to the browser (Yew works in slices),
/// and a page being left never runs it. What to write is the session's
/// rule (`leaving_value`: merged with what storage holds).
pub fn write_on_leaving(mirror: &Mirror, store: &Store) {
    let (key, doc, ours, drafts) = {
        let shared = mirror.0.borrow();
        if !shared.unsaved || shared.key.is_empty() {
            return;
        }
        let annotations: Vec<Annotation> = shared.annotations.iter().chain(shared.orphaned.iter()).cloned().collect();
        let ours = Replica { annotations, deleted: shared.deleted.to_vec() };
        (shared.key.clone(), shared.doc.clone(), ours, Drafts::from_list(shared.drafts.to_vec()))
    };
    let stored = store.stored(&key);
    let Some(puts) = leaving_value(&key, &doc, ours, drafts, &stored) else { return };
    if store.put(&puts).is_ok() {
        mirror.0.borrow_mut().unsaved = false;
    }
}
