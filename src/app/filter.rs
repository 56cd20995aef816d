//! What the panel's tag filters leave drawn: a tag switched off is hidden
//! in the article as well as in the list, not drawn, not clicked, stepped
//! over by `j`/`k`.

use super::App;
use marginalia_core::{Annotation, Tag};
use std::rc::Rc;

/// Which list `filtered` reads.
#[derive(Clone, Copy)]
pub(super) enum Which {
    List = 0,
    Pending = 1,
}

/// A filtered list: the list it was made from, the tags hidden then, and it.
pub(super) type Shown = Option<(Rc<Vec<Annotation>>, Vec<Tag>, Rc<Vec<Annotation>>)>;

impl App {
    /// The annotations (or suggestions) to paint: those of the tags the
    /// panel's filters show. The same `Rc` while neither the list nor the
    /// filters change, so `settle` repaints only on a change.
    pub(super) fn filtered(&mut self, which: Which) -> Rc<Vec<Annotation>> {
        let all = match which {
            Which::List => &self.list,
            Which::Pending => &self.pending_marks,
        };
        if self.query.hidden.is_empty() {
            return all.clone();
        }
        let slot = &mut self.shown[which as usize];
        if let Some((from, hidden, shown)) = slot {
            if Rc::ptr_eq(from, all) && *hidden == self.query.hidden {
                return shown.clone();
            }
        }
        let shown: Rc<Vec<Annotation>> =
            Rc::new(all.iter().filter(|a| !self.query.hidden.contains(&a.tag)).cloned().collect());
        *slot = Some((all.clone(), self.query.hidden.clone(), shown.clone()));
        shown
    }
}
