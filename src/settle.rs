//! What must happen after a render and before the reader's next key or
//! click: the page's article written, the highlights painted over it (or
//! over the host's), the text map those were made with kept for reading
//! selections, focus where it belongs, a new article scrolled to its start.
//!
//! Yew 0.23's scheduler yields to the browser (a `setTimeout`) once it has
//! worked for 16 ms, and it may yield between a render and that render's
//! `rendered()`. On a slow or busy machine a Tab or a mouseup then arrived
//! in between: the Tab moved focus from the article before the picker took
//! it (and the picker took it back, so the Tab was lost), and a selection
//! could be read against a DOM not yet painted for the state it belongs to.
//! So every update that renders also queues this work as a microtask,
//! which runs as soon as the scheduler's synchronous run ends, yielded or
//! not, and before any other task; `rendered()` runs it too, whichever
//! comes first, and the second run finds nothing left to do.

use crate::article::{ArticleView, Painted};
use crate::paint::Painter;
use crate::text_map::TextMap;
use marginalia_core::{Annotation, Span};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::NodeRef;

/// Where to put focus after a render.
pub enum FocusTarget {
    Picker,
    Popover,
    /// The editor's first field.
    Editor,
    /// The same button of the suggestion now at `at` after one was decided
    /// (the last one, or Suggest, when none is left there), so a keyboard
    /// user stays in the list.
    Suggestion {
        at: usize,
        reject: bool,
    },
    Article,
}

/// What the article element shows.
pub enum Surface {
    /// The stand-alone page's: Yew's `<article>`, written from this view.
    Page(Option<ArticleView>),
    /// A host's own element, read in place into this map.
    Host(Rc<TextMap>),
}

/// The state the next settle applies.
pub struct Settle {
    surface: Surface,
    painted: Painted,
    map: Option<Rc<TextMap>>,
    painter: Painter,
    /// The annotations and pending suggestions to paint, and whether they
    /// changed since they were painted.
    annotations: Rc<Vec<Annotation>>,
    pending: Rc<Vec<Annotation>>,
    repaint: bool,
    active: Option<Span>,
    active_shown: Option<Option<Span>>,
    focus: Option<FocusTarget>,
    to_start: bool,
    queued: bool,
    /// The widget is gone: a run still queued must not paint again.
    gone: bool,
}

pub type Shared = Rc<RefCell<Settle>>;

impl Settle {
    pub fn new(surface: Surface) -> Settle {
        let map = match &surface {
            Surface::Host(map) => Some(map.clone()),
            Surface::Page(_) => None,
        };
        Settle {
            surface,
            painted: Painted::default(),
            map,
            painter: Painter::default(),
            annotations: Rc::default(),
            pending: Rc::default(),
            repaint: true,
            active: None,
            active_shown: None,
            focus: None,
            to_start: false,
            queued: false,
            gone: false,
        }
    }

    /// Takes what the render about to happen (or just done) should show.
    pub fn want(
        &mut self,
        annotations: &Rc<Vec<Annotation>>,
        pending: &Rc<Vec<Annotation>>,
        active: Option<Span>,
        focus: Option<FocusTarget>,
        to_start: bool,
    ) {
        if !Rc::ptr_eq(&self.annotations, annotations) || !Rc::ptr_eq(&self.pending, pending) {
            self.annotations = annotations.clone();
            self.pending = pending.clone();
            self.repaint = true;
        }
        self.active = active;
        if focus.is_some() {
            self.focus = focus;
        }
        self.to_start |= to_start;
    }

    /// The page shows `view` from the next settle on.
    pub fn show(&mut self, view: ArticleView) {
        self.surface = Surface::Page(Some(view));
    }

    /// The host's article was read again (it changed): paint over the new map.
    pub fn remap(&mut self, map: Rc<TextMap>) {
        self.painter.clear();
        self.surface = Surface::Host(map.clone());
        self.map = Some(map);
        self.repaint = true;
        self.active_shown = None;
    }

    /// The browser began (`drawn`) or stopped drawing a chunk of the
    /// page's article: its highlights are painted, or taken away, next run.
    pub fn chunk_drawn(&mut self, chunk: &Element, drawn: bool) {
        self.repaint |= self.painted.chunk_drawn(chunk, drawn);
    }

    /// The page is being printed, or no longer: every chunk's highlights
    /// are painted for the print, then only the drawn ones' again.
    pub fn printing(&mut self, printing: bool) {
        self.repaint |= self.painted.set_printing(printing);
    }

    /// The map of the article as last settled.
    pub fn map(&self) -> Option<Rc<TextMap>> {
        self.map.clone()
    }

    pub fn painter(&self) -> &Painter {
        &self.painter
    }

    /// Removes every highlight this widget painted, for good: the widget
    /// is being destroyed, and a run still queued paints nothing.
    pub fn unpaint(&mut self) {
        self.gone = true;
        self.painter.clear();
    }

    /// Writes, paints, scrolls and focuses as wanted; an error if writing
    /// the article failed.
    pub fn run(&mut self, article: &NodeRef, controls: &NodeRef) -> Result<(), JsValue> {
        self.queued = false;
        if self.gone {
            return Ok(());
        }
        let element = match &self.surface {
            Surface::Page(_) => article.cast::<Element>(),
            Surface::Host(map) => Some(map.root().clone()),
        };
        let Some(element) = element else { return Ok(()) };
        if let Surface::Page(Some(view)) = &self.surface {
            let wrote = crate::clock::measured("marginalia:paint", || self.painted.sync(&element, view))?;
            if wrote {
                self.painter.clear();
                let headings: Vec<Option<u8>> = view.blocks.iter().map(|b| b.heading_level()).collect();
                self.map = Some(Rc::new(TextMap::of_paragraphs(
                    &element,
                    self.painted.texts().to_vec(),
                    &view.doc,
                    &headings,
                )));
                self.repaint = true;
                self.active_shown = None;
            }
        }
        let shadow = controls.cast::<Element>().and_then(|c| c.get_root_node().dyn_into::<ShadowRoot>().ok());
        if let Some(map) = self.map.clone() {
            let stale = self.painter.stale();
            if std::mem::take(&mut self.repaint) || stale {
                // On the page, what is in chunks the browser draws now
                // (`Painted::shows`); a host's article is not in chunks.
                let every = !matches!(self.surface, Surface::Page(_)) || self.painted.draws_all();
                let items: Vec<&Annotation> = (self.annotations.iter().chain(self.pending.iter()))
                    .filter(|a| every || self.painted.shows(a.span))
                    .collect();
                crate::clock::measured("marginalia:highlight", || self.painter.sync(&map, &items, shadow.as_ref()));
            }
            if self.active_shown != Some(self.active) || stale {
                self.painter.set_active(&map, self.active, shadow.as_ref());
                self.active_shown = Some(self.active);
            }
        }
        // A new article starts at its start, not wherever the last one was
        // scrolled to (where its chunks would not be laid out yet).
        if std::mem::take(&mut self.to_start) && element.get_bounding_client_rect().top() < 0.0 {
            element.scroll_into_view_with_bool(true);
        }
        if let Some(target) = self.focus.take() {
            put_focus(&element, controls, target);
        }
        Ok(())
    }
}

/// Queues [`Settle::run`] as a microtask, once; `on_error` hears a failed paint.
pub fn queue(settle: &Shared, article: &NodeRef, controls: &NodeRef, on_error: yew::Callback<()>) {
    {
        let mut s = settle.borrow_mut();
        if s.queued {
            return;
        }
        s.queued = true;
    }
    let (settle, article, controls) = (settle.clone(), article.clone(), controls.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let failed = settle.borrow_mut().run(&article, &controls).is_err();
        if failed {
            on_error.emit(());
        }
    });
}

/// `controls` is an element of the widget's own shadow tree; `article`,
/// the page's `<article>` (focusable) or a host's element (focused only if
/// it is focusable already: its attributes are the host's).
fn put_focus(article: &Element, controls: &NodeRef, target: FocusTarget) {
    let root = controls.cast::<Element>().map(|c| c.get_root_node());
    let focus = |selector: &str| {
        root.as_ref()
            .and_then(|r| r.dyn_ref::<ShadowRoot>())
            .and_then(|r| r.query_selector(selector).ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            .is_some_and(|el| el.focus().is_ok())
    };
    let done = match &target {
        FocusTarget::Picker => focus(".picker button"),
        FocusTarget::Popover => focus(".popover button"),
        FocusTarget::Editor => focus(".editor select, .editor textarea, .editor input"),
        FocusTarget::Suggestion { at, reject } => {
            let button = if *reject { "reject" } else { "accept" };
            focus(&format!(".suggestion-list > li[data-index=\"{at}\"] button.{button}"))
                || focus(&format!(".suggestion-list > li:last-child button.{button}"))
                || focus("button.suggest")
        }
        FocusTarget::Article => false,
    };
    if !done && needs_focus(article) {
        if let Some(article) = article.dyn_ref::<HtmlElement>() {
            // Without scrolling: focus scrolls an element that is not
            // wholly in view, and the article seldom is. Near the page's
            // top each tag jumped the reader's page (24 px in the bench)
            // and repainted all of it; the reader's place is theirs.
            let still = web_sys::FocusOptions::new();
            still.set_prevent_scroll(true);
            let _ = article.focus_with_options(&still);
        }
    }
}

/// Whether `focus()` would move focus to `article`: it does not have it
/// already, and it can take it (the page's article has a `tabindex`; a
/// host's, only if the host gave it one). Asked first because `focus()`
/// brings the whole page's style up to date before it looks: on a host's
/// 1 MB article, 9 ms of each tag (profile build), for a call that then
/// did nothing.
fn needs_focus(article: &Element) -> bool {
    if !(article.has_attribute("tabindex") || article.has_attribute("contenteditable")) {
        return false;
    }
    let active = js_sys::Reflect::get(&article.get_root_node(), &JsValue::from_str("activeElement")).ok();
    !active.and_then(|a| a.dyn_into::<Element>().ok()).is_some_and(|a| a.is_same_node(Some(article)))
}
