//! Keyboard-only reading: a caret and selection in the article without
//! relying on the browser's caret browsing, and the highlight shortcuts.
//!
//! Arrow keys move a collapsed selection (`Selection.modify`), Shift+Arrow
//! extends it; Ctrl or Alt moves by word, Home/End to the line's ends. `j`
//! and `k` select the next or previous highlight; Enter opens the picker
//! for a selection, or the chosen highlight's popover; Delete removes the
//! chosen highlight. Highlights are not elements, so "chosen" is the
//! app's state, not focus.

use crate::selection;
use crate::text_map::TextMap;
use web_sys::KeyboardEvent;

/// What a key in the article asks for, once the caret has been moved.
pub enum ArticleKey {
    /// Shift+Arrow changed the selection: show the picker for it.
    Extended,
    /// The caret moved: no highlight is chosen any more.
    Moved,
    /// Enter: the picker for the selection, or the chosen highlight's popover.
    Enter,
    /// `j` / `k`: the next or previous highlight.
    Step(isize),
    /// Delete or Backspace: remove the chosen highlight.
    Delete,
}

/// Handles the caret keys itself (so it can `preventDefault` while the
/// event dispatches) and says what else the key asks for.
pub fn article_key(e: &KeyboardEvent, map: &TextMap, shortcuts: bool) -> Option<ArticleKey> {
    if let Some((direction, granularity)) = motion(e) {
        e.prevent_default();
        let alter = if e.shift_key() { "extend" } else { "move" };
        selection::modify(map, alter, direction, granularity);
        return Some(if e.shift_key() { ArticleKey::Extended } else { ArticleKey::Moved });
    }
    let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
    match e.key().as_str() {
        "Enter" if plain => {
            e.prevent_default();
            Some(ArticleKey::Enter)
        }
        "Delete" | "Backspace" if plain => {
            e.prevent_default();
            Some(ArticleKey::Delete)
        }
        "j" if plain && shortcuts => Some(ArticleKey::Step(1)),
        "k" if plain && shortcuts => Some(ArticleKey::Step(-1)),
        _ => None,
    }
}

/// The caret motion a key asks for: direction and granularity.
pub fn motion(e: &KeyboardEvent) -> Option<(&'static str, &'static str)> {
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
