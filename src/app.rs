//! The annotator page: owns the core state, turns DOM events into core
//! actions, saves after every change, and renders article, panel, picker
//! and popover. Decisions are the core's; this is the thin shell.

use crate::article::{Paragraph, ParagraphView};
use crate::loader::Loader;
use crate::panel::Panel;
use crate::picker::Picker;
use crate::popover::Popover;
use crate::storage::Store;
use crate::{clock, selection};
use gloo::events::{EventListener, EventListenerOptions};
use marginalia_core::codec::{self, CodecError, ARTICLE_KEY};
use marginalia_core::{tidy_selection, Action, Annotation, AnnotationId, Annotator, Document, Span, Tag};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// The article shown when the reader has not loaded one of their own.
pub const SAMPLE_ARTICLE: &str = include_str!("sample-article.txt");

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The article to show when none was loaded before; the sample otherwise.
    #[prop_or_default]
    pub article: Option<AttrValue>,
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
    Delete(AnnotationId),
    ClosePopover,
    Show(AnnotationId),
    Load(Result<String, String>),
    /// Another tab wrote this storage key.
    Stored(String),
    /// A key meant for the open picker or popover.
    Key(String),
}

struct PickerAt {
    span: Span,
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
    views: Vec<Rc<ParagraphView>>,
    /// The panel's list, rebuilt only when annotations change.
    list: Rc<Vec<Annotation>>,
    picker: Option<PickerAt>,
    popover: Option<PopoverAt>,
    /// Why storage cannot be used, shown as a banner for the whole visit.
    storage_problem: Option<String>,
    /// Why the saved annotations of this document must not be overwritten
    /// (written by a newer version); saving is held back while set.
    frozen: Option<String>,
    /// The last error, shown until the next success.
    error: Option<String>,
    /// The live region's message.
    status: String,
    article_ref: NodeRef,
    /// Whether a picker or popover is open, read by the key listener, which
    /// must decide on `preventDefault` while the event is still dispatching.
    floating: Rc<Cell<bool>>,
    /// Window listeners (keys, other tabs' saves), removed when dropped.
    listeners: Vec<EventListener>,
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let (store, storage_problem) = Store::open();
        let mut error = None;
        let doc = match store.read(ARTICLE_KEY).map(|raw| codec::decode_article(&raw)) {
            Some(Ok(doc)) => doc,
            Some(Err(e)) => {
                error = Some(format!("The last article could not be restored: {e}."));
                default_document(ctx.props())
            }
            None => default_document(ctx.props()),
        };
        let mut app = App {
            store,
            annotator: Annotator::new(Rc::new(Document::from_text("")), Vec::new(), Vec::new()),
            views: Vec::new(),
            list: Rc::default(),
            picker: None,
            popover: None,
            storage_problem,
            frozen: None,
            error,
            status: String::new(),
            article_ref: NodeRef::default(),
            floating: Rc::default(),
            listeners: Vec::new(),
        };
        app.open_document(doc);
        app
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        self.floating.set(self.picker.is_some() || self.popover.is_some());
        if first_render {
            let link = ctx.link().clone();
            let floating = self.floating.clone();
            if let Some(window) = web_sys::window() {
                let options = EventListenerOptions::enable_prevent_default();
                let on_storage = ctx.link().batch_callback(|e: web_sys::StorageEvent| e.key().map(Msg::Stored));
                self.listeners.push(EventListener::new(&window, "storage", move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                        on_storage.emit(e.clone());
                    }
                }));
                self.listeners.push(EventListener::new_with_options(&window, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if !floating.get() || is_typing(e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    let key = e.key();
                    if key == "Escape" || Tag::from_key(&key).is_some() {
                        e.prevent_default();
                        link.send_message(Msg::Key(key));
                    }
                }));
            }
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::SelectionDone => {
                let article = self.article_ref.cast::<Element>();
                let picked = article.and_then(|a| selection::current(&a, self.annotator.document()));
                let span = picked.as_ref().and_then(|p| tidy_selection(self.annotator.document(), p.start, p.end));
                self.popover = None;
                self.picker = match (span, picked) {
                    (Some(span), Some(p)) => {
                        let (x, y) = p.rect.map_or((16.0, 16.0), |r| place_below(r.left(), r.bottom(), r.top()));
                        Some(PickerAt { span, x, y })
                    }
                    _ => None,
                };
                true
            }
            Msg::Pick(tag) => self.pick(tag),
            Msg::CancelPicker => self.cancel_picker(),
            Msg::Clicked { ids, x, y } => {
                if self.picker.is_some() {
                    return false;
                }
                self.popover = (!ids.is_empty()).then(|| {
                    let (x, y) = place_below(x, y, y);
                    PopoverAt { ids, x, y }
                });
                true
            }
            Msg::Retag(id, tag) => {
                self.act(Action::Retag { id, tag });
                true
            }
            Msg::Delete(id) => {
                self.act(Action::Delete { id: id.clone() });
                if let Some(p) = &mut self.popover {
                    p.ids.retain(|i| *i != id);
                    if p.ids.is_empty() {
                        self.popover = None;
                    }
                }
                true
            }
            Msg::ClosePopover => {
                self.popover = None;
                true
            }
            Msg::Show(id) => {
                self.emphasise(&id);
                false
            }
            Msg::Load(Ok(text)) => {
                let doc = Document::from_text(&text);
                if doc.is_empty() {
                    self.error = Some("That article has no text to annotate.".into());
                    return true;
                }
                self.picker = None;
                self.popover = None;
                self.error = None;
                if let Err(why) = self.store.write(ARTICLE_KEY, &codec::encode_article(&doc)) {
                    self.error = Some(format!("The article is open but could not be saved: {why}."));
                }
                self.open_document(doc);
                self.status = format!("Opened “{}”", crate::panel::shorten(self.annotator.document().title(), 60));
                true
            }
            Msg::Stored(key) => {
                let doc = self.annotator.document().clone();
                if key != codec::annotations_key(doc.fingerprint()) {
                    return false;
                }
                // Another tab saved this article: adopt its state, so that
                // neither tab's next save overwrites the other's work.
                let (anchored, orphaned) = self.read_saved(&doc);
                self.show(Annotator::new(doc, anchored, orphaned));
                if let Some(p) = &mut self.popover {
                    p.ids.retain(|id| self.annotator.get(id).is_some());
                    if p.ids.is_empty() {
                        self.popover = None;
                    }
                }
                self.status = "Updated from another tab".into();
                true
            }
            Msg::Load(Err(why)) => {
                self.error = Some(why);
                true
            }
            Msg::Key(e) => self.key(e),
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_mouseup = link.callback(|_: MouseEvent| Msg::SelectionDone);
        let on_keyup = link.batch_callback(|e: KeyboardEvent| e.shift_key().then_some(Msg::SelectionDone));
        let on_click = link.batch_callback(|e: MouseEvent| {
            let ids = marks_under(&e);
            // A drag that ends on a highlight is a selection, not a click.
            let collapsed =
                web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_none_or(|s| s.is_collapsed());
            collapsed.then(|| Msg::Clicked { ids, x: f64::from(e.client_x()), y: f64::from(e.client_y()) })
        });
        let storage_note = match (&self.storage_problem, &self.frozen) {
            (Some(why), _) => Some(format!(
                "Your annotations are not being saved: {why}. They are kept only until this page is closed."
            )),
            (None, Some(why)) => Some(why.clone()),
            _ => None,
        };
        html! {
            <div class="marginalia">
                <header class="toolbar">
                    <span class="brand">{ "Marginalia" }</span>
                    <Loader on_load={link.callback(Msg::Load)} />
                </header>
                if let Some(note) = storage_note {
                    <p class="banner warning" role="alert">{ note }</p>
                }
                if let Some(error) = &self.error {
                    <p class="banner error" role="alert">{ error }</p>
                }
                <div class="layout">
                    <article class="article" ref={self.article_ref.clone()} onmouseup={on_mouseup}
                             onkeyup={on_keyup} onclick={on_click}>
                        { for self.views.iter().map(|view| html! {
                            <Paragraph key={view.index} view={view.clone()} />
                        }) }
                    </article>
                    <Panel items={self.list.clone()} orphaned={self.annotator.orphaned().len()}
                           on_show={link.callback(Msg::Show)} />
                </div>
                if let Some(p) = &self.picker {
                    <Picker x={p.x} y={p.y} on_pick={link.callback(Msg::Pick)}
                            on_cancel={link.callback(|_| Msg::CancelPicker)} />
                }
                if let Some(p) = &self.popover {
                    <Popover x={p.x} y={p.y}
                             items={p.ids.iter().filter_map(|id| self.annotator.get(id).cloned()).collect::<Vec<_>>()}
                             on_retag={link.callback(|(id, tag)| Msg::Retag(id, tag))}
                             on_delete={link.callback(Msg::Delete)}
                             on_close={link.callback(|_| Msg::ClosePopover)} />
                }
                <p class="status" role="status" aria-live="polite">{ &self.status }</p>
            </div>
        }
    }
}

fn default_document(props: &AppProps) -> Document {
    Document::from_text(props.article.as_deref().unwrap_or(SAMPLE_ARTICLE))
}

/// Where to put a floating box under a point, kept inside the viewport.
fn place_below(left: f64, bottom: f64, top: f64) -> (f64, f64) {
    const WIDTH: f64 = 300.0;
    const HEIGHT: f64 = 160.0;
    let (vw, vh) = web_sys::window()
        .map(|w| {
            let num = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
            (num(w.inner_width()), num(w.inner_height()))
        })
        .unwrap_or((800.0, 600.0));
    let x = left.clamp(8.0, (vw - WIDTH - 8.0).max(8.0));
    // Below the selection, or above it when there is no room below.
    let y = if bottom + 8.0 + HEIGHT > vh && top - HEIGHT - 8.0 > 0.0 { top - HEIGHT - 8.0 } else { bottom + 8.0 };
    (x, y)
}

/// Whether a key event is typing into a field, where keys are the reader's text.
fn is_typing(e: &KeyboardEvent) -> bool {
    e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.closest("[contenteditable]").ok().flatten().is_some()
    })
}

/// The annotation ids of the marks enclosing an event's target, outermost first.
fn marks_under(e: &MouseEvent) -> Vec<AnnotationId> {
    let mut ids = Vec::new();
    let mut node = e.target().and_then(|t| t.dyn_into::<Element>().ok());
    while let Some(el) = node {
        if el.has_attribute(selection::PARA_ATTR) {
            break;
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
    /// Shows `doc` with its saved annotations, reporting anything unreadable.
    fn open_document(&mut self, doc: Document) {
        self.frozen = None;
        let doc = Rc::new(doc);
        let (anchored, orphaned) = self.read_saved(&doc);
        self.show(Annotator::new(doc, anchored, orphaned));
    }

    /// Renders a new state from scratch.
    fn show(&mut self, annotator: Annotator) {
        self.annotator = annotator;
        self.views = (0..self.annotator.document().paragraphs().len())
            .map(|i| ParagraphView::build(&self.annotator, i))
            .collect();
        self.list = Rc::new(self.annotator.annotations().to_vec());
    }

    /// The saved annotations of `doc`, anchored and orphaned. Problems are
    /// reported; a damaged value is copied aside, a newer one freezes saving.
    fn read_saved(&mut self, doc: &Document) -> (Vec<Annotation>, Vec<Annotation>) {
        let key = codec::annotations_key(doc.fingerprint());
        let Some(raw) = self.store.read(&key) else { return (Vec::new(), Vec::new()) };
        match codec::decode_annotations(&raw, doc) {
            Ok(decoded) => {
                if !decoded.refused.is_empty() {
                    self.error = Some(format!(
                        "{} saved annotation(s) could not be read and were left out: {}.",
                        decoded.refused.len(),
                        decoded.refused.join("; ")
                    ));
                }
                (decoded.anchored, decoded.orphaned)
            }
            Err(e @ CodecError::NewerSchema(_)) => {
                self.frozen = Some(format!(
                    "Saved annotations for this article were not loaded: {e}. Changes made now are not saved."
                ));
                (Vec::new(), Vec::new())
            }
            Err(e) => {
                // Keep the damaged value beside the key before it is overwritten.
                let backup = format!("{key}:damaged");
                self.error = Some(match self.store.write(&backup, &raw) {
                    Ok(()) => format!(
                        "Saved annotations for this article could not be read: {e}. A copy was kept under “{backup}”."
                    ),
                    Err(_) => format!("Saved annotations for this article could not be read: {e}."),
                });
                (Vec::new(), Vec::new())
            }
        }
    }

    /// Applies an action, refreshes what it touched, and saves.
    fn act(&mut self, action: Action) {
        match self.annotator.apply(action, clock::env()) {
            Ok(outcome) => {
                ParagraphView::refresh(&mut self.views, &self.annotator, outcome.touched);
                self.list = Rc::new(self.annotator.annotations().to_vec());
                self.status = outcome.message;
                self.save();
            }
            Err(e) => {
                self.status = format!("Not changed: {e}");
            }
        }
    }

    fn save(&mut self) {
        if self.frozen.is_some() || !self.store.is_available() {
            return;
        }
        let doc = self.annotator.document();
        let raw = codec::encode_annotations(doc.fingerprint(), &self.annotator.all());
        match self.store.write(&codec::annotations_key(doc.fingerprint()), &raw) {
            Ok(()) => {
                // A failed save's message stays until one succeeds.
                if self.error.as_deref().is_some_and(|e| e.starts_with("Not saved")) {
                    self.error = None;
                }
            }
            Err(why) => {
                self.error = Some(format!(
                    "Not saved: {why}. Your annotations are kept in this tab and saving is retried on the next change."
                ));
            }
        }
    }

    fn key(&mut self, key: String) -> bool {
        if self.picker.is_some() {
            if key == "Escape" {
                return self.cancel_picker();
            }
            if let Some(tag) = Tag::from_key(&key) {
                return self.pick(tag);
            }
        } else if self.popover.is_some() && key == "Escape" {
            self.popover = None;
            return true;
        }
        false
    }

    /// Tags the picker's span, by button or by key.
    fn pick(&mut self, tag: Tag) -> bool {
        let Some(picker) = self.picker.take() else { return false };
        selection::clear();
        self.act(Action::Create { span: picker.span, tag });
        true
    }

    fn cancel_picker(&mut self) -> bool {
        self.picker = None;
        self.status = "Cancelled".into();
        true
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
