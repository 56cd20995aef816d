//! In place, the article is the host's element: the events the page's
//! `<article>` gets from Yew are listened to on it instead, keys at the
//! window (the host's article cannot be given focus without changing it),
//! and changes to it are observed. Nothing is set on the host's element.

use super::input::{is_mouse, is_typing, point};
use super::{App, Context, Msg};
use crate::{keys, selection};
use gloo::events::{EventListener, EventListenerOptions};
use marginalia_dom::targets::{interactive, reading_target};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

impl App {
    /// In place the article is the host's element: the events the page's
    /// `<article>` gets from Yew are listened to on it, keys at the window
    /// (the host's article cannot be given focus without changing it), and
    /// changes to it are observed.
    pub(super) fn listen_in_place(&mut self, ctx: &Context<Self>, window: &web_sys::Window, host: Element) {
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&host, "mouseup", move |_| link.send_message(Msg::SelectionDone)));
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&host, "click", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() else { return };
            // A link or a control of the host's does what the host made it do.
            if interactive(e.target()) || !selection::is_collapsed() {
                return;
            }
            let (x, y) = point(e);
            link.send_message(Msg::Clicked { x, y });
        }));
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&host, "pointermove", move |e| {
            if let Some(e) = e.dyn_ref::<web_sys::PointerEvent>().filter(|e| is_mouse(e)) {
                link.send_message(Msg::Hover(Some(point(e))));
            }
        }));
        let link = ctx.link().clone();
        self.listeners.push(EventListener::new(&host, "pointerleave", move |_| link.send_message(Msg::Hover(None))));
        let (link, gate, settle) = (ctx.link().clone(), self.gate.clone(), self.settle.clone());
        let options = EventListenerOptions::enable_prevent_default();
        self.listeners.push(EventListener::new_with_options(window, "keydown", options, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
            let Some(map) = settle.borrow().map() else { return };
            if is_typing(e) || !reading_target(e, map.root()) {
                return;
            }
            // The picker's and popover's own keys are the other listener's.
            let key = e.key();
            if gate.floating.get() && (key == "Escape" || (key.len() == 1 && key.bytes().all(|b| b.is_ascii_digit()))) {
                return;
            }
            if gate.reading.get() && e.key() == "Escape" {
                link.send_message(Msg::StopReading);
                return;
            }
            // Arrows scroll the host's page unless the reader asked to read
            // with the keyboard, or extends a selection already in the article.
            let caret_key =
                matches!(e.key().as_str(), "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End");
            let in_article = selection::caret(&map).is_some();
            let wanted = match e.key().as_str() {
                _ if caret_key => gate.reading.get() || (e.shift_key() && in_article),
                "Enter" => gate.reading.get() || gate.chosen.get() || (in_article && !selection::is_collapsed()),
                "Delete" | "Backspace" => gate.chosen.get(),
                _ => true,
            };
            if wanted {
                if let Some(key) = keys::article_key(e, &map, gate.shortcuts.get()) {
                    link.send_message(Msg::ArticleKey(key));
                }
            }
        }));
        let link = ctx.link().clone();
        self.observer = crate::observe::Observer::watch(&host, move || link.send_message(Msg::HostChanged));
    }
}

/// What the window's key listener must know of the state while the event
/// still dispatches (it decides on `preventDefault` there).
#[derive(Default)]
pub(super) struct KeyGate {
    /// A picker or popover is open.
    pub floating: Cell<bool>,
    /// A highlight is chosen (Enter and Delete act on it).
    pub chosen: Cell<bool>,
    /// The reader asked to read the host's article with the keyboard.
    pub reading: Cell<bool>,
    /// Single-key shortcuts are on.
    pub shortcuts: Cell<bool>,
}
