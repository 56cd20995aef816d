//! Which event targets are the article's and which are controls: a key or
//! click meant for a link or control of the host's (or ours) is left to it.

use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget, KeyboardEvent};

/// Whether a key at the window is meant for the host's article: nothing
/// has focus (the body), or the article itself, but not a link or control
/// in it, nor anything of the widget's own.
pub fn reading_target(e: &KeyboardEvent, article: &Element) -> bool {
    let Some(target) = e.composed_path().get(0).dyn_into::<Element>().ok() else { return true };
    let body = matches!(target.tag_name().as_str(), "BODY" | "HTML");
    (body || article.contains(Some(&target))) && !interactive(Some(target.into()))
}

/// Whether an event target is (inside) a link or a control.
pub fn interactive(target: Option<EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| {
            el.closest("a[href], button, input, select, textarea, summary, [contenteditable]").ok().flatten()
        })
        .is_some()
}
