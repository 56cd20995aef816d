//! Places a floating box (picker, popover) at viewport coordinates through
//! the CSSOM: a `style` attribute would be inline style, which a strict
//! Content-Security-Policy (`style-src 'self'`) blocks.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Moves the element behind `node` to `(x, y)` after each render.
#[hook]
pub fn use_position(node: NodeRef, x: f64, y: f64) {
    use_effect_with((node, x.to_bits(), y.to_bits()), move |(node, _, _)| {
        if let Some(el) = node.get().and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            let style = el.style();
            // Whole pixels, formatted as integers: float formatting costs the bundle ~15 KB.
            let _ = style.set_property("left", &format!("{}px", x.round() as i64));
            let _ = style.set_property("top", &format!("{}px", y.round() as i64));
        }
    });
}

/// Where to put a floating box under a point, kept inside the viewport.
pub fn place_below(left: f64, bottom: f64, top: f64) -> (f64, f64) {
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
