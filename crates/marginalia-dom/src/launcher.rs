//! Which corner the launcher (the closed side panel's button, and the
//! first paint's that stands for it) takes: the `launcher` option's, or the
//! first where it covers none of the host's links and controls in the
//! window now (`marginalia_core::dock::free_corner` decides; this reads the
//! page). Shared by the first paint and the annotator, so the button does
//! not jump when one replaces the other.

use marginalia_core::dock::{self, Corner, Rect};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// What counts as a host's control: what a reader clicks or tabs to.
const CONTROLS: &str =
    "a[href], button, input, select, textarea, summary, label, [role=button], [role=link], [tabindex]";

/// The corner for `launcher` (the widget's element holding it is marked
/// `ours`, an attribute selector, and is left out), or `asked` if given;
/// `None` if the window cannot be measured.
pub fn corner(document: &Document, launcher: &Element, ours: &str, asked: Option<Corner>) -> Option<Corner> {
    if asked.is_some() {
        return asked;
    }
    let window = web_sys::window()?;
    let r = launcher.get_bounding_client_rect();
    let size = (r.width(), r.height());
    let width = window.inner_width().ok()?.as_f64()?;
    let height = window.inner_height().ok()?.as_f64()?;
    let controls = controls_in_view(document, ours, width, height);
    Some(dock::free_corner(|corner| {
        let spot = corner.place(width, height, size);
        controls.iter().filter(|c| c.iter().any(|r| overlaps(r, &spot))).count()
    }))
}

/// The line boxes of each of the host's controls in the window (a link
/// may wrap), leaving out the widget's own.
fn controls_in_view(document: &Document, ours: &str, width: f64, height: f64) -> Vec<Vec<Rect>> {
    let Ok(list) = document.query_selector_all(CONTROLS) else { return Vec::new() };
    let in_view = |r: &Rect| {
        r.right > r.left && r.bottom > r.top && r.bottom > 0.0 && r.top < height && r.right > 0.0 && r.left < width
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .filter(|el| el.closest(ours).ok().flatten().is_none())
        .map(|el| {
            let rects = el.get_client_rects();
            (0..rects.length())
                .filter_map(|i| rects.get(i))
                .map(|r| Rect { left: r.left(), top: r.top(), right: r.right(), bottom: r.bottom() })
                .filter(in_view)
                .collect::<Vec<_>>()
        })
        .filter(|rects| !rects.is_empty())
        .collect()
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}
