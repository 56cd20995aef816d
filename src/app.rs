//! The annotator component: owns the core state, turns DOM events into core
//! actions, saves after every change, tells the embedder, and renders
//! article, panel, picker and popover. Decisions are the core's; this is the
//! thin shell. It is always mounted by `widget::mount`, in a shadow root.

use crate::article::{Block, ParagraphView, Pending};
use crate::float::place_below;
use crate::keys::{self, ArticleKey};
use crate::loader::Loader;
use crate::panel::{Panel, QueryChange};
use crate::picker::Picker;
use crate::popover::Popover;
use crate::settle::{self, FocusTarget};
use crate::storage::{self, Store};
use crate::suggestions::Suggestions;
use crate::transfer::{Format, Transfer};
use crate::{clock, selection};
use gloo::events::{EventListener, EventListenerOptions};
use marginalia_core::codec::{self, CodecError, ARTICLE_KEY};
use marginalia_core::history::Change;
use marginalia_core::interchange;
use marginalia_core::merge::Replica;
use marginalia_core::query::Query;
use marginalia_core::repeat::neighbour_copy;
use marginalia_core::suggest::{pending, Kind, Rejection, Suggestion};
use marginalia_core::w3c::Importer;
use marginalia_core::{
    tidy_selection, Action, Annotation, AnnotationId, Annotator, Document, Fingerprint, Span, Tag, TagSet,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

const PAINT_FAILED: &str = "The article could not be drawn. Reload the page to try again.";

/// The article shown on the stand-alone page until the reader opens another.
pub const SAMPLE_ARTICLE: &str = include_str!("sample-article.txt");

/// Where the article comes from.
#[derive(Clone, PartialEq)]
pub enum Source {
    /// The stand-alone page: the last article the reader opened, else `fallback`.
    Page { fallback: Rc<str> },
    /// A host's article, fixed for the widget's life.
    Fixed { doc: Rc<Document>, blocks: Rc<Vec<Block>> },
}

/// What the embedder hears about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Create,
    Update,
    Delete,
    Select,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Create => "create",
            EventKind::Update => "update",
            EventKind::Delete => "delete",
            EventKind::Select => "select",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WidgetEvent {
    pub kind: EventKind,
    pub annotation: Annotation,
    /// The document key, from which the W3C target source is named.
    pub document: String,
}

/// The state the embed handle reads synchronously: the document key, the
/// document and its annotations, updated after every change.
#[derive(Clone, Default)]
pub struct Mirror(pub Rc<RefCell<Shared>>);

pub struct Shared {
    pub key: String,
    pub doc: Rc<Document>,
    pub tags: Rc<TagSet>,
    pub annotations: Rc<Vec<Annotation>>,
    /// Saved annotations whose text is gone: exported, never drawn.
    pub orphaned: Rc<Vec<Annotation>>,
    /// What the handle's `setAnnotations` gave that the widget has not
    /// taken yet. Kept here rather than in a message so a widget not yet
    /// drawn takes them before its first render, and draws once.
    pub incoming: Option<Vec<Annotation>>,
    /// Suggestions the reader rejected in this document.
    pub rejected: Rc<Vec<Rejection>>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            key: String::new(),
            doc: Rc::new(Document::from_text("")),
            tags: Rc::default(),
            annotations: Rc::default(),
            orphaned: Rc::default(),
            incoming: None,
            rejected: Rc::default(),
        }
    }
}

impl PartialEq for Mirror {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub source: Source,
    /// The host's id for the document; else the text's fingerprint is used.
    #[prop_or_default]
    pub document_id: Option<AttrValue>,
    #[prop_or_default]
    pub tags: Rc<TagSet>,
    #[prop_or_default]
    pub read_only: bool,
    #[prop_or(true)]
    pub panel: bool,
    /// Show the Open article / Paste article controls (the stand-alone page).
    #[prop_or_default]
    pub loader: bool,
    /// Run the suggestions as soon as the article is shown.
    #[prop_or_default]
    pub suggest: bool,
    #[prop_or_default]
    pub on_event: Callback<WidgetEvent>,
    #[prop_or_default]
    pub mirror: Mirror,
}

pub enum Msg {
    /// The mouse or keyboard may have finished a selection.
    SelectionDone,
    Pick(Tag),
    CancelPicker,
    /// A click in the article, with the annotations under it.
    Clicked {
        ids: Vec<AnnotationId>,
        x: f64,
        y: f64,
    },
    Retag(AnnotationId, Tag),
    Note(AnnotationId, String),
    Undo,
    Redo,
    Delete(AnnotationId),
    ClosePopover,
    Show(AnnotationId),
    Load(Result<String, String>),
    /// The embedder replaced every annotation.
    Replace,
    Download(Format),
    /// An annotation file's text, or why it could not be read.
    Import(Result<String, String>),
    /// Another tab or widget saved this storage key.
    Stored(String),
    /// A key meant for the open picker or popover.
    Key(String),
    /// The panel's filter, search or order changed.
    Query(QueryChange),
    /// The picker's "Tag both copies" switch.
    ToggleBoth,
    /// A key in the article that asks for more than moving the caret.
    ArticleKey(ArticleKey),
    /// Single-key shortcuts (j, k) on or off.
    ToggleShortcuts,
    /// Run the suggestions engine on the article, or show what the embed
    /// handle's `suggest()` already found, so the rules run once.
    Suggest(Option<Vec<Suggestion>>),
    /// Write unsaved changes now: their frame is painted, or the page is
    /// being hidden or left.
    Flush,
    /// Painting the article failed after a render.
    PaintFailed,
    /// Accept or reject pending suggestions, by index.
    Accept(Vec<usize>),
    Reject(Vec<usize>),
}

struct PickerAt {
    span: Span,
    /// The same text in the neighbouring paragraph, if any.
    copy: Option<Span>,
    /// Whether the reader chose to tag the copy too.
    both: bool,
    x: f64,
    y: f64,
}

struct PopoverAt {
    ids: Vec<AnnotationId>,
    x: f64,
    y: f64,
}

pub struct App {
    store: Store,
    annotator: Annotator,
    blocks: Rc<Vec<Block>>,
    /// The document key: the host's id, or the fingerprint.
    key: String,
    views: Vec<Rc<ParagraphView>>,
    /// Whether `views` were built with `aria-details` (see `details`).
    views_details: bool,
    /// The paint, scroll and focus each render owes (see `settle`).
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
    /// The panel's list, rebuilt only when annotations change.
    list: Rc<Vec<Annotation>>,
    /// Suggestions waiting for the reader, and how they are drawn.
    pending: Rc<Vec<Suggestion>>,
    pending_marks: Rc<Pending>,
    /// Whether Suggest has run for this document.
    suggested: bool,
    /// Suggestions the reader rejected in this document (saved).
    rejected: Vec<Rejection>,
    picker: Option<PickerAt>,
    popover: Option<PopoverAt>,
    query: Query,
    /// Single-key shortcuts are on (the reader can turn them off).
    shortcuts: bool,
    /// Where focus goes after the next render, so it is never lost.
    focus_next: Option<FocusTarget>,
    /// A new article was opened: show its start once it is painted.
    to_start: bool,
    /// The highlight a popover was opened from, to return focus to.
    opener: Option<AnnotationId>,
    /// Why storage cannot be used, shown as a banner for the whole visit.
    storage_problem: Option<String>,
    /// Why the saved annotations of this document must not be overwritten
    /// (written by a newer version); saving is held back while set.
    frozen: Option<String>,
    /// The last error, shown until the next success.
    error: Option<String>,
    /// The damaged value last copied aside, so it is copied only once.
    quarantined: Option<String>,
    /// A hash of the value this widget last wrote: when storage still holds
    /// it, nobody else saved, and there is nothing to merge.
    last_written: Option<Fingerprint>,
    /// The live region's message.
    status: String,
    article_ref: NodeRef,
    /// Whether a picker or popover is open, read by the key listener, which
    /// must decide on `preventDefault` while the event is still dispatching.
    floating: Rc<Cell<bool>>,
    /// Whether the last pointer down was a finger.
    touching: Rc<Cell<bool>>,
    /// Window listeners (keys, other tabs' saves), removed when dropped.
    listeners: Vec<EventListener>,
    peer: storage::Peer,
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
            annotator: Annotator::new(Rc::new(Document::from_text("")), tags, Vec::new(), Vec::new()),
            blocks,
            key: String::new(),
            views: Vec::new(),
            views_details: false,
            settle: Rc::default(),
            orphaned: Rc::default(),
            on_show: ctx.link().callback(Msg::Show),
            on_query: ctx.link().callback(Msg::Query),
            unsaved: false,
            save_due: None,
            list: Rc::default(),
            pending: Rc::default(),
            pending_marks: Rc::default(),
            suggested: false,
            rejected: Vec::new(),
            picker: None,
            popover: None,
            query: Query::default(),
            shortcuts: true,
            focus_next: None,
            to_start: false,
            opener: None,
            storage_problem,
            frozen: None,
            error,
            quarantined: None,
            last_written: None,
            status: String::new(),
            article_ref: NodeRef::default(),
            floating: Rc::default(),
            touching: Rc::default(),
            listeners: Vec::new(),
            peer: storage::Peer::join(ctx.link().callback(Msg::Stored)),
        };
        app.open_document(ctx, doc);
        app.take_incoming(ctx);
        if ctx.props().suggest {
            app.suggest(ctx, None);
        }
        app
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        if self.unsaved {
            self.save(ctx);
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        self.owe_settle();
        if self.settle.borrow_mut().run(&self.article_ref).is_err() {
            self.error = Some(PAINT_FAILED.into());
        }
        if first_render {
            self.listen(ctx);
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let render = self.handle(ctx, msg);
        if render {
            // Before any other task, even if Yew yields before `rendered`.
            self.owe_settle();
            settle::queue(&self.settle, &self.article_ref, ctx.link().callback(|_| Msg::PaintFailed));
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let props = ctx.props();
        let on_mouseup = link.callback(|_: MouseEvent| Msg::SelectionDone);
        let on_keydown = {
            let (article, shortcuts) = (self.article_ref.clone(), self.shortcuts);
            link.batch_callback(move |e: KeyboardEvent| {
                let article = article.cast::<Element>()?;
                keys::article_key(&e, &article, shortcuts).map(Msg::ArticleKey)
            })
        };
        let on_click = link.batch_callback(|e: MouseEvent| {
            let ids = marks_under(&e);
            // A drag that ends on a highlight is a selection, not a click.
            let collapsed = selection::is_collapsed();
            collapsed.then(|| Msg::Clicked { ids, x: f64::from(e.client_x()), y: f64::from(e.client_y()) })
        });
        let storage_note = match (&self.storage_problem, &self.frozen) {
            (Some(why), _) => Some(format!(
                "Your annotations are not being saved: {why}. They are kept only until this page is closed; \
                 use Download annotations to keep a copy."
            )),
            (None, Some(why)) => Some(why.clone()),
            _ => None,
        };
        let tags = self.annotator.tags().clone();
        html! {
            <div class="marginalia">
                if props.loader {
                    <header class="toolbar">
                        <span class="brand">{ "Marginalia" }</span>
                        <Loader on_load={link.callback(Msg::Load)} />
                    </header>
                }
                if let Some(note) = storage_note {
                    <p class="banner warning" role="alert">{ note }</p>
                }
                if let Some(error) = &self.error {
                    <p class="banner error" role="alert">{ error }</p>
                }
                <div class="layout">
                    <div class={classes!("columns", (!props.panel).then_some("no-panel"))}>
                        <article class="article" ref={self.article_ref.clone()} onmouseup={on_mouseup}
                                 tabindex="0" aria-label="Article: use the arrow keys to move, Shift and arrows to select"
                                 onkeydown={on_keydown} onclick={on_click}>
                            // The paragraphs are painted into it after each
                            // render (`Painted`), not by Yew.
                        </article>
                        if props.panel {
                            <div class="side">
                                <Panel items={self.list.clone()} tags={tags.clone()} orphaned={self.orphaned.clone()}
                                       on_show={self.on_show.clone()} query={self.query.clone()}
                                       on_query={self.on_query.clone()} />
                                if !self.read_only(ctx) {
                                    <Suggestions pending={self.pending.clone()} doc={self.annotator.document().clone()}
                                                 tags={tags.clone()} ran={self.suggested}
                                                 on_suggest={link.callback(|_| Msg::Suggest(None))}
                                                 on_accept={link.callback(Msg::Accept)} on_reject={link.callback(Msg::Reject)} />
                                }
                                <Transfer on_download={link.callback(Msg::Download)} on_import={link.callback(Msg::Import)}
                                          can_import={!self.read_only(ctx)}
                                          can_undo={self.annotator.history().can_undo()}
                                          can_redo={self.annotator.history().can_redo()}
                                          on_undo={link.callback(|_| Msg::Undo)} on_redo={link.callback(|_| Msg::Redo)} />
                                <label class="shortcuts">
                                    <input type="checkbox" checked={self.shortcuts}
                                           onchange={link.callback(|_: Event| Msg::ToggleShortcuts)} />
                                    { "Single-key shortcuts (j, k: next and previous highlight)" }
                                </label>
                            </div>
                        }
                    </div>
                </div>
                if let Some(p) = &self.picker {
                    <Picker x={p.x} y={p.y} tags={tags.clone()} on_pick={link.callback(Msg::Pick)}
                            on_cancel={link.callback(|_| Msg::CancelPicker)}
                            copy={p.copy.is_some()} both={p.both} on_toggle_both={link.callback(|_| Msg::ToggleBoth)} />
                }
                if let Some(p) = &self.popover {
                    <Popover x={p.x} y={p.y} tags={tags} read_only={self.read_only(ctx)}
                             items={p.ids.iter().filter_map(|id| self.annotator.get(id).cloned()).collect::<Vec<_>>()}
                             on_retag={link.callback(|(id, tag)| Msg::Retag(id, tag))}
                             on_note={link.callback(|(id, text)| Msg::Note(id, text))}
                             on_delete={link.callback(Msg::Delete)}
                             on_close={link.callback(|_| Msg::ClosePopover)} />
                }
                <p class="status" role="status" aria-live="polite">{ &self.status }</p>
            </div>
        }
    }
}

impl App {
    /// What a message does; `true` to render.
    fn handle(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::PaintFailed => {
                let before = self.error.clone();
                self.error = Some(PAINT_FAILED.into());
                self.error != before
            }

            Msg::SelectionDone => self.selection_done(ctx),
            Msg::Pick(tag) => self.pick(ctx, tag),
            Msg::CancelPicker => self.cancel_picker(),
            Msg::Clicked { mut ids, x, y } => {
                if self.picker.is_some() {
                    return false;
                }
                // A pending suggestion is decided in the panel, not here.
                ids.retain(|id| !id.is_suggestion());
                if let Some(a) = ids.last().and_then(|id| self.annotator.get(id)) {
                    self.tell(ctx, EventKind::Select, a.clone());
                }
                self.popover = (!ids.is_empty()).then(|| {
                    let (x, y) = place_below(x, y, y);
                    PopoverAt { ids, x, y }
                });
                true
            }
            Msg::Retag(id, tag) => {
                self.act(ctx, Action::Retag { id, tag });
                true
            }
            Msg::Note(id, text) => {
                self.act(ctx, Action::Note { id, text });
                true
            }
            Msg::Undo => {
                if !self.read_only(ctx) {
                    self.act(ctx, Action::Undo);
                }
                true
            }
            Msg::Redo => {
                if !self.read_only(ctx) {
                    self.act(ctx, Action::Redo);
                }
                true
            }
            Msg::Delete(id) => {
                self.act(ctx, Action::Delete { id: id.clone() });
                self.forget_in_popover();
                // The button that had focus is gone with the highlight.
                self.focus_next =
                    Some(if self.popover.is_some() { FocusTarget::Popover } else { FocusTarget::Article });
                self.opener = None;
                true
            }
            Msg::ClosePopover => {
                self.close_popover();
                true
            }
            Msg::Show(id) => {
                if let Some(a) = self.annotator.get(&id) {
                    self.tell(ctx, EventKind::Select, a.clone());
                }
                self.emphasise(&id);
                false
            }
            Msg::Load(Ok(text)) => {
                let doc = Document::from_text(&text);
                if doc.is_empty() {
                    self.error = Some("That article has no text to annotate.".into());
                    return true;
                }
                // This article's last changes go under its own key first; if
                // storage refuses them, it stays open rather than lose them.
                self.flush(ctx);
                if self.unsaved {
                    let why = self.error.take().unwrap_or_default();
                    self.error = Some(format!(
                        "{why} The other article was not opened, so nothing of this one is lost: download the \
                         annotations or free some space, then open it again."
                    ));
                    return true;
                }
                self.picker = None;
                self.popover = None;
                self.error = None;
                if let Err(why) = self.store.write(ARTICLE_KEY, &codec::encode_article(&doc)) {
                    self.error = Some(format!("The article is open but could not be saved: {why}."));
                }
                self.blocks = page_blocks(&doc);
                self.open_document(ctx, Rc::new(doc));
                self.to_start = true;
                self.status = format!("Opened “{}”", crate::panel::shorten(self.annotator.document().title(), 60));
                true
            }
            Msg::Load(Err(why)) => {
                self.error = Some(why);
                true
            }
            Msg::Replace => self.take_incoming(ctx),
            Msg::Flush => {
                let before = self.error.clone();
                self.flush(ctx);
                self.error != before
            }
            Msg::Download(format) => {
                let doc = self.annotator.document();
                let all = self.annotator.all();
                let (name, mime, text) = match format {
                    Format::W3c => (
                        interchange::file_name(doc.title(), "jsonld"),
                        "application/ld+json",
                        serde_json::to_string_pretty(&interchange::to_collection(
                            &self.key,
                            doc,
                            &all,
                            clock::env().now_ms,
                        ))
                        .unwrap_or_default(),
                    ),
                    Format::Csv => (interchange::file_name(doc.title(), "csv"), "text/csv", interchange::to_csv(&all)),
                };
                match crate::download::save(&name, mime, &text) {
                    Ok(()) => self.status = format!("Downloaded {} annotation(s) as {name}", all.len()),
                    Err(why) => self.error = Some(format!("The download failed: {why}.")),
                }
                true
            }
            Msg::Import(Err(why)) => {
                self.error = Some(why);
                true
            }
            Msg::Import(Ok(text)) => {
                self.import(ctx, &text);
                true
            }
            Msg::Stored(key) => {
                if key != codec::annotations_key(&self.key) {
                    return false;
                }
                // Another tab or widget saved this document: merge its copy.
                // If it lacked something held here (both saved at once), write
                // the merge back, or that work would be lost on reload. Equal
                // copies write nothing, so tabs do not echo each other.
                let (changed, stored) = self.merge_stored(ctx);
                if changed {
                    self.status = "Updated from another view of this article".into();
                }
                if stored.is_some_and(|stored| self.annotator.differs_from(&stored)) {
                    self.save(ctx);
                }
                true
            }
            Msg::Key(key) => self.key(ctx, key),
            Msg::Query(change) => {
                change.apply(&mut self.query);
                true
            }
            Msg::ToggleShortcuts => {
                self.shortcuts = !self.shortcuts;
                true
            }
            Msg::ArticleKey(key) => self.article_key(ctx, key),
            Msg::Suggest(found) => {
                self.suggest(ctx, found);
                true
            }
            Msg::Accept(indices) => {
                let items: Vec<_> = indices
                    .iter()
                    .filter_map(|&i| self.pending.get(i))
                    .filter_map(|s| Some((s.span, Tag::parse(s.kind.tag_id())?, s.note.clone())))
                    .collect();
                let remaining = without(&self.pending, &indices);
                self.set_pending(ctx, remaining);
                self.act(ctx, Action::Accept { items });
                self.focus_next = Some(FocusTarget::Suggestion { at: first(&indices), reject: false });
                true
            }
            Msg::Reject(indices) => {
                self.rejected.extend(indices.iter().filter_map(|&i| self.pending.get(i)).map(Rejection::of));
                if let Err(why) =
                    self.store.write(&codec::rejected_key(&self.key), &codec::encode_rejected(&self.rejected))
                {
                    if self.store.is_available() {
                        self.error = Some(format!("The rejection could not be saved: {why}."));
                    }
                }
                ctx.props().mirror.0.borrow_mut().rejected = Rc::new(self.rejected.clone());
                let remaining = without(&self.pending, &indices);
                self.status = format!("{} suggestion(s) rejected", self.pending.len() - remaining.len());
                self.set_pending(ctx, remaining);
                self.focus_next = Some(FocusTarget::Suggestion { at: first(&indices), reject: true });
                true
            }
            Msg::ToggleBoth => {
                if let Some(p) = &mut self.picker {
                    p.both = !p.both;
                }
                true
            }
        }
    }
}

/// The key a document's annotations are saved under: the host's id, else
/// the text's fingerprint.
pub fn document_key(document_id: Option<&str>, doc: &Document) -> String {
    document_id.map_or_else(|| doc.fingerprint().to_string(), str::to_string)
}

/// `list` without the entries at `indices`.
/// The lowest of `indices`: where the next suggestion moves up to.
fn first(indices: &[usize]) -> usize {
    indices.iter().copied().min().unwrap_or(0)
}

fn without(list: &[Suggestion], indices: &[usize]) -> Vec<Suggestion> {
    list.iter().enumerate().filter(|(i, _)| !indices.contains(i)).map(|(_, s)| s.clone()).collect()
}

/// What of `found` the reader still has to decide: not already annotated
/// with the same tag, not rejected in this document, and of a tag this
/// widget has. The panel and the handle's `suggest()` both show this list,
/// so a suggestion's index (its `s-N` id) is the same in both.
pub fn left_to_decide(
    found: Vec<Suggestion>,
    annotations: &[Annotation],
    rejected: &[Rejection],
    tags: &TagSet,
) -> Vec<Suggestion> {
    pending(found, annotations, rejected)
        .into_iter()
        .filter(|s| Tag::parse(s.kind.tag_id()).is_some_and(|t| tags.get(&t).is_some()))
        .collect()
}

/// The suggestion rules on `doc`, timed as the User Timing measure
/// `marginalia:suggest` (what the benchmark reports as their wasm time).
pub fn find_suggestions(doc: &Document) -> Vec<Suggestion> {
    clock::measured("marginalia:suggest", || marginalia_core::suggest::suggest(doc))
}

/// Pending suggestions as annotations to draw, with ids no saved one can have.
fn suggestion_marks(doc: &Document, pending: &[Suggestion]) -> Vec<Annotation> {
    pending
        .iter()
        .filter_map(|s| {
            let tag = Tag::parse(s.kind.tag_id())?;
            Some(Annotation::new(doc, AnnotationId::suggestion(&tag, s.span), s.span, tag, 0))
        })
        .collect()
}

/// A text file's blocks: the first line is the headline.
fn page_blocks(doc: &Document) -> Rc<Vec<Block>> {
    Rc::new((0..doc.paragraphs().len()).map(|i| if i == 0 { Block::Heading(1) } else { Block::Paragraph }).collect())
}

/// Whether a key event is typing into a field, where keys are the reader's text.
fn is_typing(e: &KeyboardEvent) -> bool {
    // The first node of the composed path: at the window, a key typed inside
    // the shadow root is retargeted to its host.
    let target = e.composed_path().get(0).dyn_into::<Element>().ok();
    target.is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.closest("[contenteditable]").ok().flatten().is_some()
    })
}

/// The annotation ids of the marks enclosing an event's target, outermost first.
fn marks_under(e: &MouseEvent) -> Vec<AnnotationId> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|el| ids_around(&el)).unwrap_or_default()
}

/// The annotation ids of the marks enclosing `el` (itself included), outermost first.
fn ids_around(el: &Element) -> Vec<AnnotationId> {
    let mut ids = Vec::new();
    let mut node = Some(el.clone());
    while let Some(el) = node {
        if el.has_attribute(selection::PARA_ATTR) {
            break;
        }
        // Highlights too deep to draw here are named on the innermost mark.
        if let Some(also) = el.get_attribute("data-also") {
            ids.extend(also.split(' ').rev().filter_map(AnnotationId::parse));
        }
        if let Some(id) = el.get_attribute("data-annotation-id").and_then(|id| AnnotationId::parse(&id)) {
            ids.push(id);
        }
        node = el.parent_element();
    }
    ids.reverse();
    ids
}

impl App {
    fn listen(&mut self, ctx: &Context<Self>) {
        let Some(window) = web_sys::window() else { return };
        // Touch: a long-press selection ends with no mouseup, so the picker
        // follows `selectionchange` once it settles, after a touch only.
        let touching = self.touching.clone();
        self.listeners.push(EventListener::new(&window, "pointerdown", move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::PointerEvent>() {
                touching.set(e.pointer_type() == "touch");
            }
        }));
        if let Some(document) = window.document() {
            let touching = self.touching.clone();
            let link = ctx.link().clone();
            let settle: Rc<RefCell<Option<gloo::timers::callback::Timeout>>> = Rc::default();
            self.listeners.push(EventListener::new(&document, "selectionchange", move |_| {
                // A tap leaves a collapsed caret: that is a click, not a selection.
                if touching.get() && !selection::is_collapsed() {
                    let link = link.clone();
                    *settle.borrow_mut() =
                        Some(gloo::timers::callback::Timeout::new(350, move || link.send_message(Msg::SelectionDone)));
                }
            }));
        }
        // Unsaved changes are written before the page goes away or out of sight.
        let flush = ctx.link().callback(|_: ()| Msg::Flush);
        let on_hide = flush.clone();
        self.listeners.push(EventListener::new(&window, "pagehide", move |_| on_hide.emit(())));
        if let Some(document) = window.document() {
            let hidden = document.clone();
            self.listeners.push(EventListener::new(&document, "visibilitychange", move |_| {
                if hidden.visibility_state() == web_sys::VisibilityState::Hidden {
                    flush.emit(());
                }
            }));
        }
        let on_storage = ctx.link().batch_callback(|e: web_sys::StorageEvent| e.key().map(Msg::Stored));
        self.listeners.push(EventListener::new(&window, "storage", move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                on_storage.emit(e.clone());
            }
        }));
        let link = ctx.link().clone();
        let floating = self.floating.clone();
        let me = self.peer.id();
        let options = EventListenerOptions::enable_prevent_default();
        self.listeners.push(EventListener::new_with_options(&window, "keydown", options, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
            if is_typing(e) {
                // A text field's own undo belongs to the field.
                return;
            }
            if (e.ctrl_key() || e.meta_key()) && !e.alt_key() && e.key().eq_ignore_ascii_case("z") {
                // Several widgets on a page: the one the reader last used answers.
                if storage::last_active() == Some(me) {
                    e.prevent_default();
                    link.send_message(if e.shift_key() { Msg::Redo } else { Msg::Undo });
                }
                return;
            }
            if !floating.get() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let key = e.key();
            let digit = key.len() == 1 && key.bytes().all(|b| b.is_ascii_digit());
            if key == "Escape" || digit {
                e.prevent_default();
                link.send_message(Msg::Key(key));
            }
        }));
    }

    /// Hands the paint, scroll and focus this state needs to `settle`, and
    /// tells the key listener whether a picker or popover is open.
    fn owe_settle(&mut self) {
        self.floating.set(self.picker.is_some() || self.popover.is_some());
        let focus = self.focus_next.take();
        self.settle.borrow_mut().want(&self.views, focus, std::mem::take(&mut self.to_start));
    }

    /// Shows `doc` with its saved annotations, reporting anything unreadable.
    ///
    /// A save still pending (see `save_soon`) belongs to the document being
    /// left: it is written now, under that document's key, before the key
    /// and the annotations change. Left for later, it would write the new
    /// document's state instead, and the last change made to the old one
    /// would be lost.
    fn open_document(&mut self, ctx: &Context<Self>, doc: Rc<Document>) {
        self.flush(ctx);
        self.frozen = None;
        let id = ctx.props().document_id.as_deref().filter(|_| matches!(ctx.props().source, Source::Fixed { .. }));
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
        self.show(ctx, Annotator::new(doc, tags, saved.anchored, saved.orphaned).with_deleted(saved.deleted));
    }

    /// Renders a new state from scratch.
    fn show(&mut self, ctx: &Context<Self>, annotator: Annotator) {
        self.annotator = annotator;
        self.rebuild_views(ctx);
        self.list_changed(ctx);
    }

    /// The panel list and the embedder's mirror follow the annotations.
    fn list_changed(&mut self, ctx: &Context<Self>) {
        self.list = Rc::new(self.annotator.annotations().to_vec());
        let mut shared = ctx.props().mirror.0.borrow_mut();
        shared.key.clone_from(&self.key);
        shared.doc = self.annotator.document().clone();
        shared.tags = self.annotator.tags().clone();
        shared.annotations = self.list.clone();
        self.orphaned = Rc::new(self.annotator.orphaned().to_vec());
        shared.orphaned = self.orphaned.clone();
        shared.rejected = Rc::new(self.rejected.clone());
    }

    /// The saved annotations of `doc`, or `None` when nothing usable is
    /// saved. Problems are reported; a damaged value is quarantined; a
    /// value from a newer version is shown read-only and never overwritten.
    fn read_saved(&mut self, doc: &Document) -> Option<codec::Decoded> {
        let key = codec::annotations_key(&self.key);
        let raw = self.store.read(&key)?;
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

    /// Merges what storage holds for this document into the state here, and
    /// re-renders if that changed anything. Returns whether it did, and the
    /// stored copy.
    fn merge_stored(&mut self, ctx: &Context<Self>) -> (bool, Option<Replica>) {
        if self.frozen.is_some() {
            return (false, None);
        }
        let unchanged = self.store.read(&codec::annotations_key(&self.key)).map(|raw| Fingerprint::of_text(&raw));
        if unchanged.is_some() && unchanged == self.last_written {
            return (false, None);
        }
        let doc = self.annotator.document().clone();
        let Some(saved) = self.read_saved(&doc) else { return (false, None) };
        let other =
            Replica { annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(), deleted: saved.deleted };
        if !self.annotator.merge_in(&other) {
            return (false, Some(other));
        }
        self.rebuild_views(ctx);
        self.list_changed(ctx);
        self.forget_in_popover();
        (true, Some(other))
    }

    /// Whether changes are refused: by the embedder, or because the saved
    /// data is from a newer version.
    fn read_only(&self, ctx: &Context<Self>) -> bool {
        ctx.props().read_only || self.frozen.is_some()
    }

    /// Whether highlights point at their panel entry (`aria-details`): up
    /// to `DETAILS_LIMIT` annotations. Past it, every entry the panel does
    /// not render would need an empty placeholder, which tells a screen
    /// reader nothing and costs a node (10,000 on a long article). The
    /// popover gives every highlight its details either way.
    fn details(&self, ctx: &Context<Self>) -> bool {
        ctx.props().panel && self.annotator.annotations().len() <= crate::panel::DETAILS_LIMIT
    }

    /// Builds every paragraph's view afresh.
    fn rebuild_views(&mut self, ctx: &Context<Self>) {
        self.views_details = self.details(ctx);
        self.views = ParagraphView::build_all(&self.annotator, &self.blocks, self.views_details, &self.pending_marks);
    }

    /// Rebuilds the views of `range`; all of them if whether highlights
    /// point at the panel (`details`) changed since they were built.
    fn refresh_views(&mut self, ctx: &Context<Self>, range: std::ops::Range<usize>) {
        if self.details(ctx) != self.views_details {
            self.rebuild_views(ctx);
            return;
        }
        ParagraphView::refresh(
            &mut self.views,
            &self.annotator,
            &self.blocks,
            self.views_details,
            &self.pending_marks,
            range,
        );
    }

    /// Applies an action, refreshes what it touched, saves, and tells the embedder.
    fn act(&mut self, ctx: &Context<Self>, action: Action) {
        self.peer.activate();
        match self.annotator.apply(action, clock::env()) {
            Ok(outcome) => {
                self.refresh_views(ctx, outcome.touched);
                // A suggestion the reader just tagged by hand is no longer pending.
                if !self.pending.is_empty() {
                    let left = pending((*self.pending).clone(), self.annotator.annotations(), &self.rejected);
                    if left.len() != self.pending.len() {
                        self.set_pending(ctx, left);
                    }
                }
                self.list_changed(ctx);
                self.forget_in_popover();
                self.status = outcome.message;
                self.save_soon(ctx);
                self.tell_changes(ctx, outcome.changes);
            }
            Err(e) => {
                self.status = format!("Not changed: {e}");
            }
        }
    }

    /// Tells the embedder of each annotation created, changed or removed.
    fn tell_changes(&self, ctx: &Context<Self>, changes: Vec<Change>) {
        for change in changes {
            let (kind, annotation) = match (change.before, change.after) {
                (None, Some(a)) => (EventKind::Create, a),
                (Some(_), Some(a)) => (EventKind::Update, a),
                (Some(a), None) => (EventKind::Delete, a),
                (None, None) => continue,
            };
            self.tell(ctx, kind, annotation);
        }
    }

    fn tell(&self, ctx: &Context<Self>, kind: EventKind, annotation: Annotation) {
        ctx.props().on_event.emit(WidgetEvent { kind, annotation, document: self.key.clone() });
    }

    /// Saves once the frame showing the change is painted: on 1 MB with
    /// 10,000 annotations writing takes ~60 ms, which would otherwise sit
    /// between the reader's click and the highlight. Changes in one frame
    /// are written once. Hiding or leaving the page, and unmounting, write
    /// at once, so the delay never loses work.
    fn save_soon(&mut self, ctx: &Context<Self>) {
        self.unsaved = true;
        if self.save_due.is_some() {
            return;
        }
        let link = ctx.link().clone();
        let frame = gloo::render::request_animation_frame(move |_| {
            // The frame callback runs before paint; the task after it, after.
            gloo::timers::callback::Timeout::new(0, move || link.send_message(Msg::Flush)).forget();
        });
        // A hidden tab runs no frames: then a second at most.
        let link = ctx.link().clone();
        let fallback = gloo::timers::callback::Timeout::new(1_000, move || link.send_message(Msg::Flush));
        self.save_due = Some((frame, fallback));
    }

    /// Writes unsaved changes now instead of after the pending frame.
    fn flush(&mut self, ctx: &Context<Self>) {
        self.save_due = None;
        if self.unsaved {
            self.save(ctx);
        }
    }

    /// Saves now, first merging in whatever another tab saved meanwhile.
    /// A failed write leaves `unsaved` set, so leaving the page, or this
    /// article, tries again rather than dropping the changes.
    fn save(&mut self, ctx: &Context<Self>) {
        self.unsaved = false;
        if self.read_only(ctx) || !self.store.is_available() {
            return;
        }
        let _timing = clock::Measure::start("marginalia:save");
        self.merge_stored(ctx);
        let doc = self.annotator.document();
        let key = codec::annotations_key(&self.key);
        let raw = codec::encode_annotations(&self.key, doc, &self.annotator.all(), self.annotator.deleted());
        match self.store.write(&key, &raw) {
            Ok(()) => {
                self.last_written = Some(Fingerprint::of_text(&raw));
                // A failed save's message stays until one succeeds.
                if self.error.as_deref().is_some_and(|e| e.starts_with("Not saved")) {
                    self.error = None;
                }
                self.peer.announce(&key);
            }
            Err(why) => {
                self.unsaved = true;
                self.error = Some(format!(
                    "Not saved: {why}. Your annotations are kept in this tab and saving is retried on the next change."
                ));
            }
        }
    }

    fn key(&mut self, ctx: &Context<Self>, key: String) -> bool {
        if self.picker.is_some() {
            if key == "Escape" {
                return self.cancel_picker();
            }
            if let Some(tag) = self.annotator.tags().from_key(&key).cloned() {
                return self.pick(ctx, tag);
            }
        } else if self.popover.is_some() && key == "Escape" {
            self.close_popover();
            return true;
        }
        false
    }

    /// The reader may have finished a selection: offer the picker for it.
    fn selection_done(&mut self, ctx: &Context<Self>) -> bool {
        self.peer.activate();
        if self.read_only(ctx) {
            return false;
        }
        let article = self.article_ref.cast::<Element>();
        let picked = article.and_then(|a| selection::current(&a, self.annotator.document()));
        let span = picked.as_ref().and_then(|p| tidy_selection(self.annotator.document(), p.start, p.end));
        self.popover = None;
        self.picker = match (span, picked) {
            (Some(span), Some(p)) => {
                // A finger rests on the selection's end: keep clear of it.
                let finger = if self.touching.get() { 36.0 } else { 0.0 };
                let (x, y) = p.rect.map_or((16.0, 16.0), |r| place_below(r.left(), r.bottom() + finger, r.top()));
                let copy = neighbour_copy(self.annotator.document(), span);
                Some(PickerAt { span, copy, both: false, x, y })
            }
            _ => None,
        };
        true
    }

    /// Tags the picker's span, by button or by key.
    fn pick(&mut self, ctx: &Context<Self>, tag: Tag) -> bool {
        let Some(picker) = self.picker.take() else { return false };
        selection::clear();
        let action = match picker.copy.filter(|_| picker.both) {
            Some(copy) => Action::CreateMany { spans: vec![picker.span, copy], tag },
            None => Action::Create { span: picker.span, tag },
        };
        let before = self.list.len();
        self.act(ctx, action);
        // Focus follows the new highlight, so the keyboard carries on from it.
        if self.list.len() > before {
            let newest = self.list.iter().max_by_key(|a| a.created).map(|a| a.id.clone());
            self.focus_next = newest.map(FocusTarget::Highlight);
        }
        true
    }

    fn cancel_picker(&mut self) -> bool {
        self.picker = None;
        self.status = "Cancelled".into();
        self.focus_next = Some(FocusTarget::Article);
        true
    }

    /// Closes the popover and gives focus back to the highlight it came from.
    fn close_popover(&mut self) {
        self.popover = None;
        self.focus_next = Some(match self.opener.take() {
            Some(id) => FocusTarget::Highlight(id),
            None => FocusTarget::Article,
        });
    }

    fn article_key(&mut self, ctx: &Context<Self>, key: ArticleKey) -> bool {
        let Some(article) = self.article_ref.cast::<Element>() else { return false };
        match key {
            // Handled here, not as another message: Yew may yield to the
            // browser between messages, and the next key would come first.
            ArticleKey::Extended => self.selection_done(ctx),
            ArticleKey::OpenPicker => {
                self.focus_next = Some(FocusTarget::Picker);
                self.selection_done(ctx)
            }
            ArticleKey::Step(step) => {
                let focused =
                    article.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().and_then(|r| r.active_element());
                let Some(id) = keys::step(&article, focused, step).and_then(|id| AnnotationId::parse(&id)) else {
                    self.status =
                        if step > 0 { "No highlight after this one" } else { "No highlight before this one" }.into();
                    return true;
                };
                if let Some(a) = self.annotator.get(&id).cloned() {
                    let position = self.list.iter().position(|x| x.id == id).map_or(0, |i| i + 1);
                    self.status = format!(
                        "{} {position} of {}: {}",
                        self.annotator.tags().label(&a.tag),
                        self.list.len(),
                        crate::panel::shorten(&a.quote.exact, 80)
                    );
                    self.tell(ctx, EventKind::Select, a);
                }
                true
            }
            ArticleKey::OpenHighlight(mark) => {
                let ids = ids_around(&mark);
                let rect = mark.get_bounding_client_rect();
                self.opener = mark.get_attribute("data-annotation-id").and_then(|id| AnnotationId::parse(&id));
                let (x, y) = place_below(rect.left(), rect.bottom(), rect.top());
                self.popover = Some(PopoverAt { ids, x, y });
                self.focus_next = Some(FocusTarget::Popover);
                true
            }
            ArticleKey::DeleteHighlight(mark) => {
                if self.read_only(ctx) {
                    return false;
                }
                if let Some(id) = mark.get_attribute("data-annotation-id").and_then(|id| AnnotationId::parse(&id)) {
                    self.act(ctx, Action::Delete { id });
                    self.focus_next = Some(FocusTarget::Article);
                }
                true
            }
        }
    }

    /// Runs the rules on the article (unless `found` is their result
    /// already) and shows what is left to decide.
    fn suggest(&mut self, ctx: &Context<Self>, found: Option<Vec<Suggestion>>) {
        let found = found.unwrap_or_else(|| find_suggestions(self.annotator.document()));
        let left = left_to_decide(found, self.annotator.annotations(), &self.rejected, self.annotator.tags());
        let count = |k: Kind| left.iter().filter(|s| s.kind == k).count();
        self.status = format!(
            "{} suggestion(s): {} quotes, {} captions, {} claims",
            left.len(),
            count(Kind::Quote),
            count(Kind::Caption),
            count(Kind::Claim)
        );
        self.suggested = true;
        self.set_pending(ctx, left);
    }

    /// Shows `left` as the pending suggestions, repainting only the
    /// paragraphs whose suggestions changed (ids do not depend on order).
    fn set_pending(&mut self, ctx: &Context<Self>, left: Vec<Suggestion>) {
        let doc = self.annotator.document();
        let next = Pending::new(doc, suggestion_marks(doc, &left));
        let changed = next.changed(&self.pending_marks);
        self.pending_marks = Rc::new(next);
        self.pending = Rc::new(left);
        if changed.len() > self.views.len() / 2 {
            self.rebuild_views(ctx);
            return;
        }
        for p in changed {
            self.refresh_views(ctx, p..p + 1);
        }
    }

    /// Replaces every annotation with what the embed handle set, if it set
    /// anything since the last time.
    fn take_incoming(&mut self, ctx: &Context<Self>) -> bool {
        let Some(items) = ctx.props().mirror.0.borrow_mut().incoming.take() else { return false };
        self.annotator.replace_all(items, clock::env().now_ms);
        self.rebuild_views(ctx);
        self.list_changed(ctx);
        self.forget_in_popover();
        self.status = "Annotations replaced".into();
        self.save_soon(ctx);
        true
    }

    /// Adds the valid items of an annotation file; reports every refusal.
    /// Nothing already here is overwritten: an import only adds.
    fn import(&mut self, ctx: &Context<Self>, text: &str) {
        let items = match interchange::read_file(text.as_bytes()) {
            Ok(items) => items,
            Err(why) => {
                self.error = Some(format!("Nothing was imported: {why}."));
                return;
            }
        };
        let doc = self.annotator.document().clone();
        let tags = self.annotator.tags().clone();
        let mut valid = Vec::new();
        let mut refused = Vec::new();
        for (i, result) in
            Importer::new(&doc, clock::env().now_ms).with_tags(&tags).import_all(&items).into_iter().enumerate()
        {
            match result {
                Ok(a) => valid.push(a),
                Err(why) => refused.push(format!("item {}: {why}", i + 1)),
            }
        }
        let (created, skipped) = self.annotator.add_all(valid, clock::env().now_ms);
        let added = created.len();
        self.rebuild_views(ctx);
        self.list_changed(ctx);
        self.save_soon(ctx);
        self.tell_changes(ctx, created);
        self.status = format!("Imported {added} annotation(s)");
        if !skipped.is_empty() {
            self.status.push_str(&format!("; {} already here were kept as they are", skipped.len()));
        }
        self.error = (!refused.is_empty())
            .then(|| format!("{} item(s) of the file were not imported: {}.", refused.len(), refused.join("; ")));
    }

    /// Drops annotations that no longer exist from an open popover.
    fn forget_in_popover(&mut self) {
        if let Some(p) = &mut self.popover {
            p.ids.retain(|id| self.annotator.get(id).is_some());
            if p.ids.is_empty() {
                self.popover = None;
            }
        }
    }

    /// Scrolls to a highlight and briefly emphasises it.
    fn emphasise(&self, id: &AnnotationId) {
        let Some(article) = self.article_ref.cast::<Element>() else { return };
        // Ids are validated to [A-Za-z0-9_:.-], so they are safe in a selector.
        let Ok(marks) = article.query_selector_all(&format!("mark[data-annotation-id=\"{id}\"]")) else { return };
        let marks: Vec<Element> = (0..marks.length()).filter_map(|i| marks.item(i)?.dyn_into().ok()).collect();
        if let Some(first) = marks.first() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            first.scroll_into_view_with_scroll_into_view_options(&options);
        }
        for mark in &marks {
            let _ = mark.class_list().add_1("flash");
        }
        gloo::timers::callback::Timeout::new(1600, move || {
            for mark in &marks {
                let _ = mark.class_list().remove_1("flash");
            }
        })
        .forget();
    }
}
