//! The widget's listeners on the window and the document: keys, the
//! selection, other tabs' saves, the page being hidden or left, the reader's
//! own scrolling (which the suggestions list follows), the page's article
//! chunks drawn or not. Each turns a browser event into a message (or, for
//! the chunks, a repaint); what it means is `input.rs`'s and the core's.

use super::input::is_typing;
use super::{App, Context, Msg, Source};
use crate::{selection, storage};
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

impl App {
    /// Hears which chunks of the page's article the browser draws, so that
    /// only their highlights are painted (`article::Painted::shows`). Each
    /// chunk says so with `contentvisibilityautostatechange`, which does
    /// not bubble: heard in the capture phase, on the article. A printed
    /// page draws them all without a word: `beforeprint` paints every
    /// chunk's, `afterprint` goes back. Set again if the article element
    /// is another one.
    pub(super) fn watch_chunks(&mut self, ctx: &Context<Self>) {
        let Some(article) = self.article_ref.cast::<Element>() else { return };
        let Some(window) = web_sys::window() else { return };
        if self.chunks_watched.as_ref().is_some_and(|(e, _)| e.is_same_node(Some(&article))) {
            return;
        }
        let (settle, article_ref, root_ref) = (self.settle.clone(), self.article_ref.clone(), self.root_ref.clone());
        let failed = ctx.link().callback(|_| Msg::PaintFailed);
        // A change to what is drawn, then a run: from a task of its own,
        // so never while a run holds `settle`.
        let repaint = move |change: Box<dyn FnOnce(&mut crate::settle::Settle)>| {
            let (settle, article_ref, root_ref, failed) =
                (settle.clone(), article_ref.clone(), root_ref.clone(), failed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                change(&mut settle.borrow_mut());
                crate::settle::queue(&settle, &article_ref, &root_ref, failed);
            });
        };
        let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
        // One event per chunk: on 1 MB, the ~90 chunks off screen each say
        // they are skipped as the article is first laid out, a task apiece.
        // A repaint each was ~1–1.5 ms, a hundred of them inside the load.
        // Gathered instead, and painted once, in the next frame before it
        // is drawn (the event follows the frame that decided; the chunk is
        // near the window, not yet in it). A print cannot wait: below.
        let chunk_changed = {
            let repaint = repaint.clone();
            once_a_frame(window.clone(), move |changes: Vec<(Element, bool)>| {
                repaint(Box::new(move |s| {
                    for (chunk, drawn) in &changes {
                        s.chunk_drawn(chunk, *drawn);
                    }
                }))
            })
        };
        let chunks = EventListener::new_with_options(&article, "contentvisibilityautostatechange", options, move |e| {
            let Some(chunk) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let skipped = js_sys::Reflect::get(e, &"skipped".into()).ok().and_then(|v| v.as_bool());
            chunk_changed((chunk, skipped == Some(false)));
        });
        let print = {
            let repaint = repaint.clone();
            EventListener::new(&window, "beforeprint", move |_| repaint(Box::new(|s| s.printing(true))))
        };
        let printed = EventListener::new(&window, "afterprint", move |_| repaint(Box::new(|s| s.printing(false))));
        self.chunks_watched = Some((article, [chunks, print, printed]));
    }

    pub(super) fn listen(&mut self, ctx: &Context<Self>) {
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
        // Unsaved changes are written before the page goes away or out of
        // sight: at once, from the listener (a message could wait behind the
        // renderer's handed-back work, and a page left never runs it), and
        // then by the widget, which also shows what the save merged.
        let (mirror, store) = (ctx.props().mirror.clone(), self.store.clone());
        let flush = ctx.link().callback(move |_: ()| {
            super::persist::write_on_leaving(&mirror, &store);
            Msg::Flush
        });
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
        let on_storage =
            ctx.link().batch_callback(|e: web_sys::StorageEvent| e.key().map(|key| Msg::Stored(key, e.new_value())));
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
        // Labels follow their text; a scroll moves it, and what lies under
        // the closed side panel's button when its corner is ours to choose.
        let labelled = self.labelled.clone();
        let link = ctx.link().clone();
        let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
        self.listeners.push(EventListener::new_with_options(&window, "scroll", options, move |_| {
            if labelled.get() {
                link.send_message(Msg::Scrolled);
            }
        }));
        // Once a scroll has ended, what the launcher lies over is read
        // again: once per scroll, not per frame.
        if ctx.props().side_panel && ctx.props().launcher.is_none() {
            let link = ctx.link().clone();
            self.listeners.push(EventListener::new(&window, "scrollend", move |_| link.send_message(Msg::Launcher)));
        }
        // The suggestions list follows where the reader is, read once a
        // scroll ends: the reader's own scroll (wheel, touch, keys, the
        // scrollbar), not one made by code (ours bringing a highlight into
        // view, a host's script, a test reaching a card), which would move
        // the cards under a click about to land.
        let own = Rc::new(Cell::new(false));
        for kind in ["wheel", "touchmove", "keydown", "pointerdown"] {
            let own = own.clone();
            let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
            self.listeners.push(EventListener::new_with_options(&window, kind, options, move |e| {
                if reader_scrolls(e) {
                    own.set(true);
                }
            }));
        }
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&window, "scrollend", move |_| {
            if own.replace(false) {
                link.send_message(Msg::ReadTo);
            }
        }));
        // Where highlights are boxes (no CSS.highlights), a resize moves them.
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&window, "resize", move |_| link.send_message(Msg::Resized)));
        if let Source::InPlace { map } = &ctx.props().source {
            self.listen_in_place(ctx, &window, map.root().clone());
        }
    }
}

/// Whether `e` is a reader starting to scroll the page: a wheel, a touch
/// moving, a key that scrolls, or a press on the page's own scrollbar (whose
/// target is the root element).
fn reader_scrolls(e: &web_sys::Event) -> bool {
    match e.type_().as_str() {
        "keydown" => e.dyn_ref::<KeyboardEvent>().is_some_and(|k| {
            matches!(k.key().as_str(), " " | "PageDown" | "PageUp" | "ArrowDown" | "ArrowUp" | "Home" | "End")
        }),
        "pointerdown" => {
            let root = gloo::utils::document().document_element();
            e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|t| Some(t) == root)
        }
        _ => true,
    }
}

/// Gathers what it is given and hands it all to `then` at once, in the
/// next frame before it is drawn (at once if no frame can be asked for).
fn once_a_frame<T: 'static>(window: web_sys::Window, then: impl Fn(Vec<T>) + Clone + 'static) -> impl Fn(T) {
    let gathered: Rc<RefCell<Vec<T>>> = Rc::default();
    move |item| {
        let first = {
            let mut list = gathered.borrow_mut();
            list.push(item);
            list.len() == 1
        };
        if !first {
            return;
        }
        let apply = {
            let (gathered, then) = (gathered.clone(), then.clone());
            move || then(std::mem::take(&mut *gathered.borrow_mut()))
        };
        let frame = wasm_bindgen::closure::Closure::once_into_js(apply.clone());
        if window.request_animation_frame(frame.unchecked_ref()).is_err() {
            apply();
        }
    }
}
