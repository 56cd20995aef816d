//! Which character is under a point: the caret position the browser finds
//! there, then the nearest character to it whose box holds the point. Highlights are not elements, so a click is hit-tested this way
//! and the core says which annotations cover that character.

use crate::text_map::TextMap;
use js_sys::{Array, Function, Object, Reflect};
use marginalia_core::offsets::Round;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Node, ShadowRoot, Text};

/// The code point of the character under viewport point `(x, y)`, if it is
/// article text. Past the end of a line, or between paragraphs, is none.
pub fn cp_at(map: &TextMap, x: f64, y: f64) -> Option<usize> {
    let document = map.root().owner_document()?;
    let (node, offset) = caret_at(&document, map.root().get_root_node().dyn_ref::<ShadowRoot>(), x, y)?;
    let text = node.dyn_ref::<Text>()?;
    let len = text.length();
    let range = document.create_range().ok()?;
    for start in nearest_first(offset, len) {
        range.set_start(text, start).ok()?;
        range.set_end(text, start + 1).ok()?;
        let rects = range.get_client_rects()?;
        let inside = (0..rects.length())
            .filter_map(|i| rects.get(i))
            .any(|r| x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom() && r.width() > 0.0);
        if inside {
            return map.to_cp(&node, start, Round::Down);
        }
    }
    None
}

/// How far from the caret a character is looked for. In a paragraph that
/// mixes directions the browser may put the caret at the far end of the run
/// the point is in (the first letter of a Latin word in a Hebrew sentence
/// gets the caret after the word), so the characters next to the caret are
/// not always the one clicked; a run longer than this is rare in prose.
const REACH: u32 = 256;

/// The offsets of the characters to test, nearest the caret first: the one
/// after it, the one before, then outwards, within `REACH` and the node.
fn nearest_first(offset: u32, len: u32) -> impl Iterator<Item = u32> {
    (0..REACH)
        .flat_map(move |d| [offset.checked_add(d), offset.checked_sub(d + 1)])
        .flatten()
        .filter(move |&start| start < len)
}

/// `caretPositionFromPoint`, told about the shadow root the article is in
/// (else it answers with the shadow host); `caretRangeFromPoint` where the
/// browser has only that.
fn caret_at(document: &Document, shadow: Option<&ShadowRoot>, x: f64, y: f64) -> Option<(Node, u32)> {
    let method = |name: &str| Reflect::get(document, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok();
    let (x, y) = (JsValue::from_f64(x), JsValue::from_f64(y));
    if let Some(position) = method("caretPositionFromPoint") {
        let options = Object::new();
        if let Some(root) = shadow {
            Reflect::set(&options, &JsValue::from_str("shadowRoots"), &Array::of1(root)).ok()?;
        }
        let found = position.call3(document, &x, &y, &options).ok()?;
        let node = Reflect::get(&found, &JsValue::from_str("offsetNode")).ok()?.dyn_into::<Node>().ok()?;
        let offset = Reflect::get(&found, &JsValue::from_str("offset")).ok()?.as_f64()? as u32;
        return Some((node, offset));
    }
    let range = method("caretRangeFromPoint")?.call2(document, &x, &y).ok()?.dyn_into::<web_sys::Range>().ok()?;
    Some((range.start_container().ok()?, range.start_offset().ok()?))
}

#[cfg(test)]
mod tests {
    use super::nearest_first;

    #[test]
    fn characters_are_tried_nearest_the_caret_first() {
        let cases: [(u32, u32, &[u32]); 4] =
            [(2, 5, &[2, 1, 3, 0, 4]), (0, 3, &[0, 1, 2]), (3, 3, &[2, 1, 0]), (0, 0, &[])];
        for (offset, len, want) in cases {
            assert_eq!(nearest_first(offset, len).collect::<Vec<_>>(), want, "caret {offset} in {len}");
        }
    }
}
