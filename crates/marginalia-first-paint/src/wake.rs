//! First use: the events after which the reader needs the annotator. Each
//! is the very event the annotator itself acts on, so the loader can hand
//! it on once the annotator is mounted:
//!
//! - a selection ended in the article (`mouseup`; after a touch, the
//!   `selectionchange` that makes one);
//! - a click or tap on a highlight (not on a link or control of the host's);
//! - Enter or Shift+Arrow with a selection in the article, or `j`/`k`
//!   (next/previous highlight), while nothing else has focus;
//! - the launcher's button;
//! - and, with no event to act on, another tab saving this article (a
//!   `storage` event for its key) or the host changing its text (`lib.rs`).
//!
//! A selection being made (before the mouse is let go) calls `prefetch`,
//! so the annotator is on its way while the reader drags.
//!
//! Scrolling, reading and clicking elsewhere wake nothing. `wake` is
//! called once; the listeners go when the first paint is destroyed.

use crate::article::Article;
use crate::launcher::LAUNCHER_ATTR;
use js_sys::Function;
use marginalia_core::Span;
use marginalia_dom::targets::{interactive, reading_target};
use marginalia_dom::{hit, keys, selection};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, EventTarget, KeyboardEvent, MouseEvent, PointerEvent, StorageEvent};

/// Event listeners, removed when dropped.
type Handler = Closure<dyn FnMut(Event)>;

pub struct Listeners(Vec<(EventTarget, &'static str, Handler)>);

impl Drop for Listeners {
    fn drop(&mut self) {
        for (target, kind, f) in &self.0 {
            let _ = target.remove_event_listener_with_callback(kind, f.as_ref().unchecked_ref());
        }
    }
}

impl Listeners {
    pub(crate) fn add(&mut self, target: &EventTarget, kind: &'static str, f: impl FnMut(Event) + 'static) {
        let f = Handler::new(f);
        if target.add_event_listener_with_callback(kind, f.as_ref().unchecked_ref()).is_ok() {
            self.0.push((target.clone(), kind, f));
        }
    }
}

/// Calls `wake` once, with the event of the first use (or `null`).
#[derive(Clone)]
pub struct Once {
    done: Rc<Cell<bool>>,
    wake: Rc<Function>,
}

impl Once {
    pub fn new(wake: Function) -> Once {
        Once { done: Rc::default(), wake: Rc::new(wake) }
    }

    /// Lets the next use call `wake` again (the load it asked for failed).
    pub fn rearm(&self) {
        self.done.set(false);
    }

    pub fn fired(&self) -> bool {
        self.done.get()
    }

    pub fn fire(&self, e: &JsValue) {
        if !self.done.replace(true) {
            let _ = self.wake.call1(&JsValue::NULL, e);
        }
    }
}

pub fn listen(
    article: &Article,
    view: &Element,
    spans: Vec<Span>,
    storage_keys: [String; 2],
    once: Once,
    prefetch: Option<Once>,
) -> Listeners {
    let mut listeners = Listeners(Vec::new());
    let host = article.host();
    let (Some(window), Some(document)) = (web_sys::window(), host.owner_document()) else { return listeners };
    let touching = Rc::new(Cell::new(false));
    let any = !spans.is_empty();
    // A selection in the article: the map is read only for one that
    // reaches into it (`article.rs`).
    let selected = |at: &Article| at.selection_touches() && at.with(|m| selection::current(m).is_some());

    let (on, at) = (once.clone(), article.clone());
    listeners.add(host, "mouseup", move |e| {
        if selected(&at) {
            on.fire(&e);
        }
    });
    let (on, at) = (once.clone(), article.clone());
    listeners.add(host, "click", move |e| {
        let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
        if !any || interactive(e.target()) || !selection::is_collapsed() {
            return;
        }
        let x = f64::from(m.client_x());
        let y = f64::from(m.client_y());
        if at.with(|m| hit::cp_at(m, x, y)).is_some_and(|cp| spans.iter().any(|s| s.contains(cp))) {
            on.fire(&e);
        }
    });
    // Another tab saved this article (its envelope, or its log).
    let on = once.clone();
    listeners.add(&window, "storage", move |e| {
        if e.dyn_ref::<StorageEvent>().and_then(StorageEvent::key).is_some_and(|k| storage_keys.contains(&k)) {
            on.fire(&e);
        }
    });
    let touch = touching.clone();
    listeners.add(&window, "pointerdown", move |e| {
        if let Some(e) = e.dyn_ref::<PointerEvent>() {
            touch.set(e.pointer_type() == "touch");
        }
    });
    let (on, at) = (once.clone(), article.clone());
    listeners.add(&document, "selectionchange", move |e| {
        // It fires all through a drag: once woken, or (for a mouse) once
        // the prefetch has gone, there is nothing more to do here.
        let idle = on.fired() || (!touching.get() && prefetch.as_ref().is_none_or(Once::fired));
        if idle || !selected(&at) {
            return;
        }
        if touching.get() {
            on.fire(&e);
        } else if let Some(prefetch) = &prefetch {
            prefetch.fire(&JsValue::NULL);
        }
    });
    let (on, at) = (once.clone(), article.clone());
    listeners.add(&window, "keydown", move |e| {
        let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
        if !reading_target(k, at.host()) {
            return;
        }
        let plain = !(k.ctrl_key() || k.meta_key() || k.alt_key());
        let wanted = match k.key().as_str() {
            "Enter" => plain && selected(&at),
            _ if keys::motion(k).is_some() => {
                k.shift_key() && at.selection_touches() && at.with(|m| selection::caret(m).is_some())
            }
            "j" | "k" => plain && any,
            _ => false,
        };
        if wanted {
            // The annotator does what the key asks once it is mounted.
            if k.key() != "j" && k.key() != "k" {
                e.prevent_default();
            }
            on.fire(&e);
        }
    });
    if let Some(button) =
        view.shadow_root().and_then(|s| s.query_selector(&format!("[{LAUNCHER_ATTR}]")).ok().flatten())
    {
        let (on, pressed) = (once, button.clone());
        listeners.add(&button, "click", move |e| {
            let _ = pressed.set_attribute("aria-busy", "true");
            on.fire(&e);
        });
    }
    listeners
}
