//! The host's article as the first paint reads it: its text map, read when
//! first needed.
//!
//! Why: most readers of an article have nothing saved for it, and for them
//! the first paint paints nothing; reading a long article's DOM at mount
//! (at 1 MB, 10,000 paragraphs: a computed style and a walk per element,
//! ~90 ms) would be paid by every reader for nothing. With a `documentId`
//! the storage key is known without the text, so the map is read only if
//! something is saved, or at the reader's first selection or key in the
//! article. Once read, a change of the host's article forgets it (read
//! again when next needed).

use marginalia_dom::text_map::TextMap;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Element;

/// The article's element and its map, if read; clones share both.
#[derive(Clone)]
pub struct Article {
    host: Element,
    map: Rc<RefCell<Option<TextMap>>>,
}

impl Article {
    /// The article, its map not read yet.
    pub fn unread(host: &Element) -> Article {
        Article { host: host.clone(), map: Rc::default() }
    }

    pub fn host(&self) -> &Element {
        &self.host
    }

    /// `f` of the map, read now if it is not.
    pub fn with<R>(&self, f: impl FnOnce(&TextMap) -> R) -> R {
        let mut map = self.map.borrow_mut();
        f(map.get_or_insert_with(|| TextMap::read(&self.host)))
    }

    /// The map as the host's article is now.
    pub fn set(&self, map: TextMap) {
        *self.map.borrow_mut() = Some(map);
    }

    /// The host changed the article: the map is read again when next needed.
    pub fn forget(&self) {
        *self.map.borrow_mut() = None;
    }

    /// Whether the reader's selection reaches into the article (no map is
    /// read to tell: a selection elsewhere on the page is most of them).
    pub fn selection_touches(&self) -> bool {
        let selection = web_sys::window().and_then(|w| w.get_selection().ok().flatten());
        selection.is_some_and(|s| {
            s.range_count() > 0 && s.contains_node_with_allow_partial_containment(&self.host, true).unwrap_or(false)
        })
    }
}
