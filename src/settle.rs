//! What must happen after a render and before the reader's next key or
//! click: the article painted from its views, focus where it belongs, a new
//! article scrolled to its start.
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

use crate::article::{Painted, ParagraphView};
use crate::{clock, keys};
use marginalia_core::AnnotationId;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::NodeRef;

/// Where to put focus after a render.
pub enum FocusTarget {
    Picker,
    Popover,
    Highlight(AnnotationId),
    /// The same button of the suggestion now at `at` after one was decided
    /// (the last one, or Suggest, when none is left there), so a keyboard
    /// user stays in the list.
    Suggestion {
        at: usize,
        reject: bool,
    },
    Article,
}

/// The state the next settle applies.
#[derive(Default)]
pub struct Settle {
    painted: Painted,
    views: Vec<Rc<ParagraphView>>,
    focus: Option<FocusTarget>,
    to_start: bool,
    queued: bool,
}

pub type Shared = Rc<RefCell<Settle>>;

impl Settle {
    /// Takes what the render about to happen (or just done) should show.
    pub fn want(&mut self, views: &[Rc<ParagraphView>], focus: Option<FocusTarget>, to_start: bool) {
        if self.views.len() != views.len() || !self.views.iter().zip(views).all(|(a, b)| Rc::ptr_eq(a, b)) {
            self.views = views.to_vec();
        }
        if focus.is_some() {
            self.focus = focus;
        }
        self.to_start |= to_start;
    }

    /// Paints, scrolls and focuses as wanted; an error if painting failed.
    pub fn run(&mut self, article: &NodeRef) -> Result<(), JsValue> {
        self.queued = false;
        let Some(article) = article.cast::<Element>() else { return Ok(()) };
        let painted = clock::measured("marginalia:paint", || self.painted.sync(&article, &self.views));
        // A new article starts at its start, not wherever the last one was
        // scrolled to (where its chunks would not be laid out yet).
        if std::mem::take(&mut self.to_start) && article.get_bounding_client_rect().top() < 0.0 {
            article.scroll_into_view_with_bool(true);
        }
        if let Some(target) = self.focus.take() {
            put_focus(&article, target);
        }
        painted
    }
}

/// Queues [`Settle::run`] as a microtask, once; `on_error` hears a failed paint.
pub fn queue(settle: &Shared, article: &NodeRef, on_error: yew::Callback<()>) {
    {
        let mut s = settle.borrow_mut();
        if s.queued {
            return;
        }
        s.queued = true;
    }
    let (settle, article) = (settle.clone(), article.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let failed = settle.borrow_mut().run(&article).is_err();
        if failed {
            on_error.emit(());
        }
    });
}

fn put_focus(article: &Element, target: FocusTarget) {
    let root = article.get_root_node();
    let focus = |selector: &str| {
        root.dyn_ref::<ShadowRoot>()
            .and_then(|r| r.query_selector(selector).ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            .is_some_and(|el| el.focus().is_ok())
    };
    let done = match &target {
        FocusTarget::Picker => focus(".picker button"),
        FocusTarget::Popover => focus(".popover button"),
        FocusTarget::Highlight(id) => keys::focus_highlight(article, id.as_str()),
        FocusTarget::Suggestion { at, reject } => {
            let button = if *reject { "reject" } else { "accept" };
            focus(&format!(".suggestion-list > li:nth-child({}) button.{button}", at + 1))
                || focus(&format!(".suggestion-list > li:last-child button.{button}"))
                || focus("button.suggest")
        }
        FocusTarget::Article => false,
    };
    if !done {
        if let Some(article) = article.dyn_ref::<HtmlElement>() {
            let _ = article.focus();
        }
    }
}
