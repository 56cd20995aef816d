//! The reader's selection: read as code points through the text map, set
//! to a highlight's range (`j`/`k`), moved like a caret.
//!
//! On the stand-alone page the article lives in a shadow root, where
//! `Selection.getRangeAt` may not see in; `getComposedRanges` (called
//! through `Reflect`, as web-sys has no binding yet) gives the real
//! boundary points.

use crate::text_map::TextMap;
use js_sys::{Array, Object, Reflect};
use marginalia_core::offsets::Round;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DomRect, Element, Node, Selection, ShadowRoot};

/// The reader's current selection, in code points of the document text, and
/// the rectangle it occupies on screen (for placing the picker).
pub struct Picked {
    pub start: usize,
    pub end: usize,
    pub rect: Option<DomRect>,
}

/// A boundary point: a node and an offset in it.
type Point = (Node, u32);

fn selection() -> Option<Selection> {
    web_sys::window()?.get_selection().ok()?
}

/// Whether nothing is selected (a click, not a drag). Not
/// `Selection.isCollapsed`: a selection from the host page into the shadow
/// root reports collapsed while it holds text.
pub fn is_collapsed() -> bool {
    selection().is_none_or(|s| s.range_count() == 0 || String::from(s.to_string()).is_empty())
}

/// The current selection if it covers some of the article.
pub fn current(map: &TextMap) -> Option<Picked> {
    let sel = selection()?;
    if sel.range_count() == 0 {
        return None;
    }
    let (from, to) = boundaries(&sel, map.root())?;
    let start = map.to_cp(&from.0, from.1, Round::Down)?;
    let end = map.to_cp(&to.0, to.1, Round::Up)?;
    // The rectangle of the part inside the article, where the picker goes.
    let rect = map.range(start, end).map(|r| r.get_bounding_client_rect());
    (start < end).then_some(Picked { start, end, rect })
}

/// The code point of the caret (the selection's focus), if it is in the article.
pub fn caret(map: &TextMap) -> Option<usize> {
    let sel = selection()?;
    if sel.range_count() == 0 {
        return None;
    }
    let (_, to) = boundaries(&sel, map.root())?;
    map.root().contains(Some(&to.0)).then(|| map.to_cp(&to.0, to.1, Round::Down)).flatten()
}

/// Selects code points `[start, end)`.
pub fn select(map: &TextMap, start: usize, end: usize) -> bool {
    let (Some(sel), Some(range)) = (selection(), map.range(start, end)) else { return false };
    let _ = sel.remove_all_ranges();
    sel.add_range(&range).is_ok()
}

/// Puts a collapsed caret at code point `cp`.
pub fn collapse(map: &TextMap, cp: usize) {
    let (Some(sel), Some((node, offset))) = (selection(), map.to_dom(cp, true)) else { return };
    let _ = sel.collapse_with_offset(Some(&node), offset);
}

/// The selection's first range as boundary points that may lie inside the
/// article's shadow root.
fn boundaries(sel: &Selection, article: &Element) -> Option<(Point, Point)> {
    if let Some(root) = article.get_root_node().dyn_ref::<ShadowRoot>() {
        if let Some(points) = composed(sel, root) {
            return Some(points);
        }
    }
    let range = sel.get_range_at(0).ok()?;
    Some((
        (range.start_container().ok()?, range.start_offset().ok()?),
        (range.end_container().ok()?, range.end_offset().ok()?),
    ))
}

fn composed(sel: &Selection, root: &ShadowRoot) -> Option<(Point, Point)> {
    let method =
        Reflect::get(sel, &JsValue::from_str("getComposedRanges")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("shadowRoots"), &Array::of1(root)).ok()?;
    // The standard takes an options dictionary; early builds took the roots as arguments.
    let ranges = method.call1(sel, &options).ok().or_else(|| method.call1(sel, root).ok())?.dyn_into::<Array>().ok()?;
    let range = ranges.get(0);
    let node = |key: &str| Reflect::get(&range, &JsValue::from_str(key)).ok()?.dyn_into::<Node>().ok();
    let offset = |key: &str| Reflect::get(&range, &JsValue::from_str(key)).ok()?.as_f64().map(|n| n as u32);
    Some(((node("startContainer")?, offset("startOffset")?), (node("endContainer")?, offset("endOffset")?)))
}

/// Moves or extends the selection like a caret would (`Selection.modify`),
/// starting from the article's first character if the selection is not in
/// it yet.
pub fn modify(map: &TextMap, alter: &str, direction: &str, granularity: &str) {
    let Some(sel) = selection() else { return };
    let article = map.root();
    let inside = boundaries(&sel, article).is_some_and(|(from, _)| article.contains(Some(&from.0)));
    if sel.range_count() == 0 || !inside {
        collapse_at_start(map, &sel);
        if alter == "move" {
            return;
        }
    }
    let _ = sel.modify(alter, direction, granularity);
}

fn collapse_at_start(map: &TextMap, sel: &Selection) {
    if let Some((node, offset)) = map.to_dom(0, false) {
        let _ = sel.collapse_with_offset(Some(&node), offset);
    }
}

/// Clears the selection (after tagging it, so the highlight shows plainly).
pub fn clear() {
    if let Some(sel) = selection() {
        let _ = sel.remove_all_ranges();
    }
}
