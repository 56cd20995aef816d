//! Places a floating box (picker, popover) at viewport coordinates through
//! the CSSOM: a `style` attribute would be inline style, which a strict
//! Content-Security-Policy (`style-src 'self'`) blocks. Keeps Tab inside a
//! dialog (`wrap_tab`).

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Moves the element behind `node` to `(x, y)` after each render, then
/// pulls it back inside the window by its real size (a popover with a note
/// editor is taller than a guess, and grows when a form in it opens).
#[hook]
pub fn use_position(node: NodeRef, x: f64, y: f64) {
    use_effect(move || {
        let Some(el) = node.get().and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { return };
        let style = el.style();
        // Whole pixels, formatted as integers: float formatting costs the bundle ~15 KB.
        let px = |v: f64| format!("{}px", v.round() as i64);
        let _ = style.set_property("left", &px(x));
        let _ = style.set_property("top", &px(y));
        let (vw, vh) = viewport();
        let rect = el.get_bounding_client_rect();
        if rect.right() > vw - 8.0 {
            let _ = style.set_property("left", &px((vw - 8.0 - rect.width()).max(8.0)));
        }
        if rect.bottom() > vh - 8.0 {
            let _ = style.set_property("top", &px((vh - 8.0 - rect.height()).max(8.0)));
        }
    });
}

/// The window's inner size (800 × 600 if it cannot be read).
pub fn viewport() -> (f64, f64) {
    web_sys::window()
        .map(|w| {
            let num = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
            (num(w.inner_width()), num(w.inner_height()))
        })
        .unwrap_or((800.0, 600.0))
}

/// Where to put a floating box under a point, kept inside the viewport.
pub fn place_below(left: f64, bottom: f64, top: f64) -> (f64, f64) {
    const WIDTH: f64 = 300.0;
    const HEIGHT: f64 = 160.0;
    let (vw, vh) = viewport();
    let x = left.clamp(8.0, (vw - WIDTH - 8.0).max(8.0));
    // Below the selection, or above it when there is no room below.
    let y = if bottom + 8.0 + HEIGHT > vh && top - HEIGHT - 8.0 > 0.0 { top - HEIGHT - 8.0 } else { bottom + 8.0 };
    (x, y)
}

/// Keeps Tab inside `container` (a dialog): past its last control focus
/// goes to its first, before its first to its last, so a keyboard reader
/// never lands on the page behind it; Escape is the way out. For a
/// `keydown` handler on the container.
pub fn wrap_tab(container: &NodeRef, e: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if e.key() != "Tab" {
        return;
    }
    let Some(root) = container.cast::<web_sys::Element>() else { return };
    let Ok(list) = root.query_selector_all(
        "button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled])",
    ) else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> =
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return };
    // The focused element, seen from inside the shadow root the dialog is in.
    let active = root
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|r| r.active_element())
        .or_else(|| web_sys::window()?.document()?.active_element());
    let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>());
    let to = match (e.shift_key(), at(first), at(last)) {
        (true, true, _) => last,
        (false, _, true) => first,
        _ => return,
    };
    e.prevent_default();
    let _ = to.focus();
}
