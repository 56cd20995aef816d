//! The one module that maps DOM selections to code points.
//!
//! Every paragraph element carries `data-para="<index>"`; inside one, the
//! text nodes in document order are exactly the paragraph's text (added
//! markup is elements and CSS-generated labels, never text), so the UTF-16
//! length of a range from the paragraph's start to a boundary is that
//! boundary's UTF-16 offset in the paragraph. The core turns it into code
//! points, rounding out of surrogate pairs. Boundaries outside the article
//! are clamped to its start or end.

use marginalia_core::offsets::{cp_of_utf16_rounded, Round};
use marginalia_core::Document;
use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element, Node, Range};

/// The attribute naming a paragraph element's index.
pub const PARA_ATTR: &str = "data-para";

/// The reader's current selection, in code points of the document text, and
/// the rectangle it occupies on screen (for placing the picker).
pub struct Picked {
    pub start: usize,
    pub end: usize,
    pub rect: Option<DomRect>,
}

/// The current selection if it is not collapsed and touches the article.
pub fn current(article: &Element, doc: &Document) -> Option<Picked> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    if !range.intersects_node(article).unwrap_or(false) {
        return None;
    }
    let start = boundary(article, doc, &range.start_container().ok()?, range.start_offset().ok()?, Round::Down)?;
    let end = boundary(article, doc, &range.end_container().ok()?, range.end_offset().ok()?, Round::Up)?;
    Some(Picked { start, end, rect: Some(range.get_bounding_client_rect()) })
}

/// Clears the selection (after tagging it, so the highlight shows plainly).
pub fn clear() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}

/// The code point at a DOM boundary point `(node, offset)`.
fn boundary(article: &Element, doc: &Document, node: &Node, offset: u32, round: Round) -> Option<usize> {
    if !article.contains(Some(node)) {
        // Outside the article: before it clamps to 0, after it to the end.
        let after = node.compare_document_position(article) & Node::DOCUMENT_POSITION_PRECEDING != 0;
        return Some(if after { doc.len() } else { 0 });
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
    let document = web_sys::window()?.document()?;
    let range = document.create_range().ok()?;
    let (sn, so) = locate(article, doc, start)?;
    let (en, eo) = locate(article, doc, end)?;
    range.set_start(&sn, so).ok()?;
    range.set_end(&en, eo).ok()?;
    Some(range)
}

/// The text node and UTF-16 offset of code point `cp`.
fn locate(article: &Element, doc: &Document, cp: usize) -> Option<(Node, u32)> {
    let index = doc.paragraph_at(cp).or_else(|| doc.paragraphs().len().checked_sub(1))?;
    let p = &doc.paragraphs()[index];
    let within = cp.clamp(p.start(), p.end()) - p.start();
    let mut units = marginalia_core::offsets::utf16_of_cp(p.text(), within)?;
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
