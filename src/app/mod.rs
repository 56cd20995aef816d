//! The annotator component: owns the core state, turns DOM events into core
//! actions, saves after every change, tells the embedder, and renders the
//! panel, picker, popover and label. Decisions are the core's; this is the
//! thin shell. The article is painted by `settle` (paragraphs on the page,
//! highlights through `paint`), not by Yew.
//!
//! - `actions`: what each message does to the state;
//! - `input`: keys, the selection, clicks and hover; `listeners`: the
//!   window's and the document's listeners that bring them;
//! - `host`: in place, the listeners on the host's article and the window;
//! - `pending`: the suggestions left to decide;
//! - `persist`: storage (read, merge, save);
//! - `view`: rendering;
//! - `events`: what the embedder hears, and the mirror its handle reads;
//! - `msg`: the messages, one per thing that can happen;
//! - `files`: the downloads;
//! - `session`: events into the core's session, and its effects carried out;
//! - `sync`: sync's requests and timer; `sign_in`: the page's sync
//!   settings, sign-in and stop.

mod actions;
mod deciding;
mod editing;
mod events;
mod files;
mod filter;
mod host;
mod incoming;
mod input;
mod label;
mod launcher;
mod listeners;
mod msg;
mod near;
mod pending;
mod persist;
mod props;
mod publishing;
mod session;
mod sign_in;
mod sync;
mod view;

pub use events::{EventKind, HostOp, Mirror, Shared, WidgetEvent};
pub use marginalia_core::codec::document_key;
pub use msg::Msg;
pub use pending::left_to_decide;
use pending::{first, suggestion_marks, without};
pub use props::{AppProps, Source};

use crate::article::Block;
use crate::clock;
use crate::panel::QueryChange;
use crate::settle::{self, FocusTarget, Settle, Surface};
use crate::storage::{self, Store};
use crate::text_map::TextMap;
use gloo::events::EventListener;
use marginalia_core::codec::{self, ARTICLE_KEY};
use marginalia_core::query::Query;
use marginalia_core::session::Session;
use marginalia_core::suggest::{Rejection, Suggestion};
use marginalia_core::{Annotation, AnnotationId, Document, Span, Tag};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

const PAINT_FAILED: &str = "The article could not be drawn. Reload the page to try again.";

/// The article shown on the stand-alone page until the reader opens another.
pub const SAMPLE_ARTICLE: &str = include_str!("../sample-article.txt");

pub(crate) struct PickerAt {
    span: Span,
    /// The same text in the neighbouring paragraph, if any.
    copy: Option<Span>,
    /// Whether the reader chose to tag the copy too.
    both: bool,
    x: f64,
    y: f64,
}

pub(crate) struct PopoverAt {
    ids: Vec<AnnotationId>,
    x: f64,
    y: f64,
}

/// The annotation open in the docked editor, and where it docks.
pub(crate) struct EditorAt {
    id: AnnotationId,
    dock: marginalia_core::dock::Dock,
}

/// The text label of the highlight under the pointer or chosen, and where
/// it is drawn (viewport pixels): colour is never the only signal.
pub(crate) struct LabelAt {
    text: String,
    tag: Tag,
    x: f64,
    y: f64,
}

pub struct App {
    store: Store,
    /// The reader's work and every decision on it: the core's session.
    session: Session,
    blocks: Rc<Vec<Block>>,
    /// The article writing, highlight painting, scroll and focus each render
    /// owes (see `settle`), and the text map they were made with.
    settle: settle::Shared,
    orphaned: Rc<Vec<Annotation>>,
    /// Made once, so the panel's props stay equal and it re-renders only
    /// when its list or query changes, not on every picker or status change.
    on_show: Callback<AnnotationId>,
    on_query: Callback<QueryChange>,
    /// Changes not yet written to storage, and the frame after which they
    /// will be (see `save_soon`).
    unsaved: bool,
    save_due: Option<(gloo::render::AnimationFrame, gloo::timers::callback::Timeout)>,
    /// How long the last save took (ms), none before the first: a save
    /// longer than a frame waits for a quiet page (`save_soon`).
    save_cost: Rc<std::cell::Cell<Option<f64>>>,
    /// The annotations in document order: the panel's list and what the
    /// painter draws. A new `Rc` whenever they change.
    list: Rc<Vec<Annotation>>,
    /// Suggestions waiting for the reader, and the same as annotations to draw.
    pending: Rc<Vec<Suggestion>>,
    pending_marks: Rc<Vec<Annotation>>,
    /// The first suggestion the list shows: the reading position's.
    suggest_from: usize,
    /// Whether Suggest has run for this document.
    suggested: bool,
    /// How many times Suggest has run: each run shows the reading position.
    suggest_runs: u32,
    /// A Suggest waits for the rules' module to load.
    rules_waiting: bool,
    /// Suggestions the reader rejected in this document (saved).
    rejected: Vec<Rejection>,
    picker: Option<PickerAt>,
    popover: Option<PopoverAt>,
    editor: Option<EditorAt>,
    /// The chosen highlight (`j`/`k`, just made, shown from the panel,
    /// clicked): shown active and labelled; Enter and Delete act on it.
    current: Option<AnnotationId>,
    /// The highlights under the mouse, smallest first.
    hover: Vec<AnnotationId>,
    label: Option<LabelAt>,
    /// Whether a label is shown, read by the scroll listener.
    labelled: Rc<Cell<bool>>,
    /// The side panel is open.
    panel_open: bool,
    /// The corner the closed side panel's button sits in.
    corner: marginalia_core::dock::Corner,
    /// The side panel was just closed: its button's corner is chosen after the render.
    relaunch: bool,
    /// The index of the pointer-cursor rule in the document sheet, while
    /// the mouse is over a highlight in place.
    cursor_rule: Option<u32>,
    /// Watches the host's article for changes (in place).
    observer: Option<crate::observe::Observer>,
    query: Query,
    /// What is painted while the filters hide some tags (see `filtered`).
    shown: [filter::Shown; 2],
    /// Single-key shortcuts are on (the reader can turn them off).
    shortcuts: bool,
    /// The name this browser reviews claims under (asked once, stored).
    reviewer: String,
    /// The reader's own article details and fact-check address.
    typed: publishing::Typed,
    /// Where focus goes after the next render, so it is never lost.
    focus_next: Option<FocusTarget>,
    /// A new article was opened: show its start once it is painted.
    to_start: bool,
    /// The highlight a popover was opened from, chosen again when it closes.
    opener: Option<AnnotationId>,
    /// Why storage cannot be used, shown as a banner for the whole visit.
    storage_problem: Option<String>,
    /// Why the saved annotations of this document must not be overwritten
    /// (written by a newer version); saving is held back while set.
    frozen: Option<String>,
    /// The last error, shown until the next success.
    error: Option<String>,
    /// The live region's message.
    status: String,
    /// Where the message is shown too: by the control that caused it.
    status_near: Option<near::Near>,
    article_ref: NodeRef,
    /// An element of the widget's own tree, for finding its controls.
    root_ref: NodeRef,
    /// Whether a picker, popover or editor is open, read by the key listener, which
    /// must decide on `preventDefault` while the event is still dispatching.
    floating: Rc<Cell<bool>>,
    /// The same and more for the in-place key listener.
    gate: Rc<host::KeyGate>,
    /// The reader asked to read the host's article with the keyboard.
    reading: bool,
    /// Whether the last pointer down was a finger.
    touching: Rc<Cell<bool>>,
    /// Window listeners (keys, other tabs' saves), removed when dropped.
    listeners: Vec<EventListener>,
    /// The page's article and the listeners telling `settle` which of its
    /// chunks the browser draws, and when the page is printed
    /// (`listeners::watch_chunks`).
    chunks_watched: Option<(web_sys::Element, [EventListener; 3])>,
    peer: storage::Peer,
    /// Sync with a server, when the host asked for it.
    sync: Option<crate::sync::Sync>,
    /// The page's Sync form: the settings kept, why the last ones failed,
    /// a sign-in on its way (the core's `SignIn`).
    sign_in: marginalia_core::sync::SignIn,
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let (store, storage_problem) = Store::open();
        let mut error = None;
        let (doc, blocks) = match &props.source {
            Source::Fixed { doc, blocks } => (doc.clone(), blocks.clone()),
            Source::InPlace { map } => {
                let doc = Rc::new(map.document().clone());
                let blocks = Rc::new(vec![Block::Paragraph; doc.paragraphs().len()]);
                (doc, blocks)
            }
            Source::Page { fallback } => {
                let doc = match store.read(ARTICLE_KEY).map(|raw| codec::decode_article(&raw)) {
                    Some(Ok(doc)) => doc,
                    Some(Err(e)) => {
                        error = Some(format!("The last article could not be restored: {e}."));
                        Document::from_text(fallback)
                    }
                    None => Document::from_text(fallback),
                };
                let blocks = page_blocks(&doc);
                (Rc::new(doc), blocks)
            }
        };
        let tags = props.tags.clone();
        let mut app = App {
            store,
            session: Session::new(tags, props.scale.clone(), props.read_only),
            blocks,
            settle: Rc::new(RefCell::new(Settle::new(match &props.source {
                Source::InPlace { map } => Surface::Host(map.clone()),
                _ => Surface::Page(None),
            }))),
            orphaned: Rc::default(),
            on_show: ctx.link().callback(Msg::Show),
            on_query: ctx.link().callback(Msg::Query),
            unsaved: false,
            save_due: None,
            save_cost: Rc::default(),
            list: Rc::default(),
            pending: Rc::default(),
            pending_marks: Rc::default(),
            suggest_from: 0,
            suggested: false,
            suggest_runs: 0,
            rules_waiting: false,
            rejected: Vec::new(),
            picker: None,
            popover: None,
            editor: None,
            current: None,
            hover: Vec::new(),
            label: None,
            labelled: Rc::default(),
            corner: props.launcher.unwrap_or(marginalia_core::dock::Corner::TopRight),
            relaunch: false,
            panel_open: !props.side_panel || props.panel_open.unwrap_or_else(|| side_panel_fits(&props.source)),
            cursor_rule: None,
            observer: None,
            query: Query::default(),
            shown: [None, None],
            shortcuts: true,
            reviewer: String::new(),
            typed: Default::default(),
            focus_next: None,
            to_start: false,
            opener: None,
            storage_problem,
            frozen: None,
            error,
            status: String::new(),
            status_near: None,
            article_ref: NodeRef::default(),
            root_ref: NodeRef::default(),
            floating: Rc::default(),
            gate: Rc::default(),
            reading: false,
            touching: Rc::default(),
            listeners: Vec::new(),
            chunks_watched: None,
            peer: storage::Peer::join(ctx.link().callback(|key| Msg::Stored(key, None))),
            sync: None,
            sign_in: Default::default(),
        };
        app.reviewer = app.store.read(codec::REVIEWER_KEY).unwrap_or_default();
        let settle = app.settle.clone();
        props.mirror.0.borrow_mut().unpaint = Some(Rc::new(move || {
            if let Ok(mut settle) = settle.try_borrow_mut() {
                settle.unpaint();
            }
        }));
        app.open_document(ctx, doc);
        app.take_incoming(ctx);
        if let Some(config) = props.sync.clone() {
            app.start_sync(ctx, config);
        }
        app.sync_from_settings(ctx);
        if ctx.props().suggest {
            app.suggest(ctx, None);
        }
        // At once, not after the first render: Yew may yield before it, and
        // a selection made in a host's article meanwhile would be missed.
        app.listen(ctx);
        app
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        if self.unsaved {
            self.save(ctx);
        }
        self.settle.borrow_mut().unpaint();
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        // Measured once it is drawn (and drawn closed): the launcher's corner.
        if first_render || std::mem::take(&mut self.relaunch) {
            ctx.link().send_message(Msg::Launcher);
        }
        self.watch_chunks(ctx);
        self.owe_settle();
        if self.settle.borrow_mut().run(&self.article_ref, &self.root_ref).is_err() {
            self.error = Some(PAINT_FAILED.into());
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let (near, said) = (near::Near::of(&msg), self.status.clone());
        let render = self.handle(ctx, msg);
        // A new message is shown by the control that caused it (or only
        // in the live region).
        if self.status != said {
            self.status_near = near;
        }
        if render {
            // Before any other task, even if Yew yields before `rendered`.
            self.owe_settle();
            settle::queue(&self.settle, &self.article_ref, &self.root_ref, ctx.link().callback(|_| Msg::PaintFailed));
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.render(ctx)
    }
}

impl App {
    /// Hands what this state needs painted, focused and scrolled to
    /// `settle`, and tells the key listener whether a picker or popover is open.
    fn owe_settle(&mut self) {
        self.floating.set(self.picker.is_some() || self.popover.is_some() || self.editor.is_some());
        let focus = self.focus_next.take();
        let active: Option<Span> = self.current.as_ref().and_then(|id| self.held_or_pending(id)).map(|a| a.span);
        let (list, pending) = (self.filtered(filter::Which::List), self.filtered(filter::Which::Pending));
        self.settle.borrow_mut().want(&list, &pending, active, focus, std::mem::take(&mut self.to_start));
        self.labelled.set(self.label.is_some());
        self.gate.floating.set(self.floating.get());
        self.gate.chosen.set(self.current.is_some());
        self.gate.reading.set(self.reading);
        self.gate.shortcuts.set(self.shortcuts);
    }

    /// The text map of the article as last painted.
    /// An annotation held, or a pending suggestion as drawn.
    fn held_or_pending(&self, id: &AnnotationId) -> Option<&Annotation> {
        if id.is_suggestion() {
            self.pending_marks.iter().find(|a| &a.id == id)
        } else {
            self.session.annotator().get(id)
        }
    }

    fn map(&self) -> Option<Rc<TextMap>> {
        self.settle.borrow().map()
    }

    /// Whether changes are refused: by the embedder, or because the saved
    /// data is from a newer version.
    fn read_only(&self, ctx: &Context<Self>) -> bool {
        ctx.props().read_only || self.frozen.is_some()
    }

    /// How many ranges the painter has added or removed (for the tests
    /// that show one edit repaints only what it touched).
    pub fn paint_operations(&self) -> u64 {
        self.settle.borrow().painter().operations()
    }
}

/// A text file's blocks: the first line is the headline.
fn page_blocks(doc: &Document) -> Rc<Vec<Block>> {
    Rc::new((0..doc.paragraphs().len()).map(|i| if i == 0 { Block::Heading(1) } else { Block::Paragraph }).collect())
}

/// Whether the side panel can be open without covering the host's article:
/// the window has room for it right of the article. Else it starts closed.
pub(super) fn side_panel_fits(source: &Source) -> bool {
    let Source::InPlace { map } = source else { return true };
    let width = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).unwrap_or(0.0);
    width - map.root().get_bounding_client_rect().right() >= 340.0
}
