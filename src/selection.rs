//! The one module that maps DOM selections to code points.
//!
//! Every paragraph element carries `data-para="<index>"`; inside one, the
//! text nodes in document order are exactly the paragraph's text (added
//! markup is elements and CSS-generated labels, never text), so the UTF-16
//! length of a range from the paragraph's start to a boundary is that
//! boundary's UTF-16 offset in the paragraph. The core turns it into code
//! points, rounding out of surrogate pairs. Boundaries outside the article
//! are clamped to its start or end.
//!
//! The article lives in a shadow root, where `Selection.getRangeAt` may not
//! see in; `getComposedRanges` (called through `Reflect`, as web-sys has no
//! binding yet) gives the real boundary points.

use js_sys::{Array, Object, Reflect};
use marginalia_core::offsets::{cp_of_utf16_rounded, utf16_of_cp, Round};
use marginalia_core::Document;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DomRect, Element, Node, Range, Selection, ShadowRoot};

/// The attribute naming a paragraph element's index.
pub const PARA_ATTR: &str = "data-para";

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
pub fn current(article: &Element, doc: &Document) -> Option<Picked> {
    let sel = selection()?;
    if sel.range_count() == 0 {
        return None;
    }
    let (from, to) = boundaries(&sel, article)?;
    let start = boundary(article, doc, &from.0, from.1, Round::Down)?;
    let end = boundary(article, doc, &to.0, to.1, Round::Up)?;
    // The rectangle of the part inside the article, where the picker goes.
    let rect = range_of(article, doc, start, end).map(|r| r.get_bounding_client_rect());
    (start < end).then_some(Picked { start, end, rect })
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
pub fn modify(article: &Element, alter: &str, direction: &str, granularity: &str) {
    let Some(sel) = selection() else { return };
    let inside = boundaries(&sel, article).is_some_and(|(from, _)| article.contains(Some(&from.0)));
    if sel.range_count() == 0 || !inside {
        let first = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_tree_walker_with_what_to_show(article, 4).ok()) // SHOW_TEXT
            .and_then(|walker| walker.next_node().ok().flatten());
        if let Some(text) = first {
            let _ = sel.collapse_with_offset(Some(&text), 0);
        }
        if alter == "move" {
            return;
        }
    }
    let _ = sel.modify(alter, direction, granularity);
}

/// Clears the selection (after tagging it, so the highlight shows plainly).
pub fn clear() {
    if let Some(sel) = selection() {
        let _ = sel.remove_all_ranges();
    }
}

/// The code point at a DOM boundary point `(node, offset)`.
fn boundary(article: &Element, doc: &Document, node: &Node, offset: u32, round: Round) -> Option<usize> {
    if !article.contains(Some(node)) {
        // Outside the article: before it clamps to 0, after it to the end.
        // Across the shadow boundary, the shadow host stands for the article.
        let anchor: Node = match article.get_root_node().dyn_into::<ShadowRoot>() {
            Ok(root) if node.get_root_node() != Node::from(root.clone()) => root.host().into(),
            _ => article.clone().into(),
        };
        let around = web_sys::window()?.document()?.create_range().ok()?;
        around.select_node(&anchor).ok()?;
        // Fails for a point in another tree (another widget's shadow root).
        let before = match around.compare_point(node, offset).ok()? {
            -1 => true,
            1 => false,
            // On the range's own boundary: before if at its start.
            _ => around.start_container().ok().as_ref() == Some(node) && offset <= around.start_offset().ok()?,
        };
        return Some(if before { 0 } else { doc.len() });
    }
    match paragraph_of(node) {
        Some((para, index)) => {
            let p = doc.paragraphs().get(index)?;
            let range = web_sys::window()?.document()?.create_range().ok()?;
            range.set_start(&para, 0).ok()?;
            range.set_end(node, offset).ok()?;
            let units = String::from(range.to_string()).encode_utf16().count();
            Some(p.start() + cp_of_utf16_rounded(p.text(), units, round))
        }
        // Between paragraphs: the start of the first paragraph after the point.
        None => {
            let paragraphs = article.query_selector_all(&format!("[{PARA_ATTR}]")).ok()?;
            let point = web_sys::window()?.document()?.create_range().ok()?;
            point.set_start(node, offset).ok()?;
            point.collapse_with_to_start(true);
            for i in 0..paragraphs.length() {
                let Some(para) = paragraphs.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
                // comparePoint is 1 when the paragraph's start lies after the point.
                if point.compare_point(&para, 0).ok()? >= 0 {
                    let index = para_index(&para)?;
                    return doc.paragraphs().get(index).map(|p| p.start());
                }
            }
            Some(doc.len())
        }
    }
}

/// The paragraph element holding `node` and its index.
fn paragraph_of(node: &Node) -> Option<(Element, usize)> {
    let element = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    let para = element.closest(&format!("[{PARA_ATTR}]")).ok()??;
    let index = para_index(&para)?;
    Some((para, index))
}

fn para_index(para: &Element) -> Option<usize> {
    para.get_attribute(PARA_ATTR)?.parse().ok()
}

/// A DOM range selecting code points `[start, end)` of the document text:
/// the inverse of [`current`], which the browser tests check it against.
pub fn range_of(article: &Element, doc: &Document, start: usize, end: usize) -> Option<Range> {
    let range = web_sys::window()?.document()?.create_range().ok()?;
    let (sn, so) = locate(article, doc, start)?;
    let (en, eo) = locate(article, doc, end)?;
    range.set_start(&sn, so).ok()?;
    range.set_end(&en, eo).ok()?;
    Some(range)
}

/// The text node and UTF-16 offset of code point `cp`.
fn locate(article: &Element, doc: &Document, cp: usize) -> Option<Point> {
    let index = doc.paragraph_at(cp).or_else(|| doc.paragraphs().len().checked_sub(1))?;
    let p = &doc.paragraphs()[index];
    let within = cp.clamp(p.start(), p.end()) - p.start();
    let mut units = utf16_of_cp(p.text(), within)?;
    let para = article.query_selector(&format!("[{PARA_ATTR}=\"{index}\"]")).ok()??;
    let walker = web_sys::window()?.document()?.create_tree_walker_with_what_to_show(&para, 4).ok()?; // SHOW_TEXT
    let mut last = None;
    while let Ok(Some(text)) = walker.next_node() {
        let len = text.text_content().map_or(0, |t| t.encode_utf16().count());
        if units <= len {
            return Some((text, units as u32));
        }
        units -= len;
        last = Some((text, len as u32));
    }
    last
}
