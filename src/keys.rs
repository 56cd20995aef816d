//! Keyboard-only reading: a caret and selection in the article without
//! relying on the browser's caret browsing, and the highlight shortcuts.
//!
//! Arrow keys move a collapsed selection (`Selection.modify`), Shift+Arrow
//! extends it; Ctrl or Alt moves by word, Home/End to the line's ends. `j`
//! and `k` move focus between highlights; on a focused highlight Enter opens
//! it and Delete removes it.

use crate::selection;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// What a key in the article asks for, once the caret has been moved.
pub enum ArticleKey {
    /// Shift+Arrow changed the selection: show the picker for it.
    Extended,
    /// Enter on the article: open the picker for the selection.
    OpenPicker,
    /// `j` / `k`: the next or previous highlight.
    Step(isize),
    /// Enter on a focused highlight: open it.
    OpenHighlight(Element),
    /// Delete or Backspace on a focused highlight.
    DeleteHighlight(Element),
}

/// Handles the caret keys itself (so it can `preventDefault` while the
/// event dispatches) and says what else the key asks for.
pub fn article_key(e: &KeyboardEvent, article: &Element, shortcuts: bool) -> Option<ArticleKey> {
    let key = e.key();
    let mark = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| el.closest("mark[data-annotation-id]").ok().flatten());
    if let Some(mark) = mark {
        match key.as_str() {
            "Enter" => {
                e.prevent_default();
                return Some(ArticleKey::OpenHighlight(mark));
            }
            "Delete" | "Backspace" => {
                e.prevent_default();
                return Some(ArticleKey::DeleteHighlight(mark));
            }
            _ => {}
        }
    }
    if let Some((direction, granularity)) = motion(e) {
        e.prevent_default();
        let alter = if e.shift_key() { "extend" } else { "move" };
        selection::modify(article, alter, direction, granularity);
        return e.shift_key().then_some(ArticleKey::Extended);
    }
    let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
    match key.as_str() {
        "Enter" if plain => {
            e.prevent_default();
            Some(ArticleKey::OpenPicker)
        }
        "j" if plain && shortcuts => Some(ArticleKey::Step(1)),
        "k" if plain && shortcuts => Some(ArticleKey::Step(-1)),
        _ => None,
    }
}

fn motion(e: &KeyboardEvent) -> Option<(&'static str, &'static str)> {
    let by_word = e.ctrl_key() || e.alt_key();
    Some(match e.key().as_str() {
        "ArrowLeft" => ("backward", if by_word { "word" } else { "character" }),
        "ArrowRight" => ("forward", if by_word { "word" } else { "character" }),
        "ArrowUp" => ("backward", "line"),
        "ArrowDown" => ("forward", "line"),
        "Home" => ("backward", "lineboundary"),
        "End" => ("forward", "lineboundary"),
        _ => return None,
    })
}

/// The labelled (first) mark of each highlight, in document order.
fn highlight_starts(article: &Element) -> Vec<HtmlElement> {
    article
        .query_selector_all("mark[data-label]")
        .map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect())
        .unwrap_or_default()
}

/// Focuses the highlight `step` places from the focused one (or from the
/// start), and returns its annotation id.
pub fn step(article: &Element, focused: Option<Element>, step: isize) -> Option<String> {
    let starts = highlight_starts(article);
    if starts.is_empty() {
        return None;
    }
    let here = focused.and_then(|f| {
        let id = f.get_attribute("data-annotation-id")?;
        starts.iter().position(|m| m.get_attribute("data-annotation-id").as_deref() == Some(&id))
    });
    let next = match here {
        Some(i) => i.checked_add_signed(step).filter(|&n| n < starts.len())?,
        None if step > 0 => 0,
        None => starts.len() - 1,
    };
    let mark = &starts[next];
    let _ = mark.focus();
    mark.get_attribute("data-annotation-id")
}

/// Focuses the labelled mark of annotation `id`; false if it is not drawn.
pub fn focus_highlight(article: &Element, id: &str) -> bool {
    let found = article
        .query_selector(&format!("mark[data-label][data-annotation-id=\"{id}\"]"))
        .ok()
        .flatten()
        .and_then(|m| m.dyn_into::<HtmlElement>().ok());
    found.is_some_and(|m| m.focus().is_ok())
}
