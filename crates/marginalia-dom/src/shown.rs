//! What a painter shows, by annotation: found by id, and after each sync
//! the items that sync did not see taken out. Both painters (`paint`,
//! `overlay`) keep theirs here, in a list indexed by a
//! `HashMap<AnnotationId, usize>` — the map type the storage codec's
//! reader uses too: each map type is code of its own in the first paint.

use marginalia_core::{AnnotationId, Span, Tag};
use std::collections::HashMap;

/// What is drawn for each annotation (`T`: its ranges or boxes), with the
/// tag and span it was drawn for.
pub(crate) struct Shown<T> {
    at: HashMap<AnnotationId, usize>,
    items: Vec<Item<T>>,
    /// The sync under way: an item not stamped with it by its end goes.
    round: u32,
}

struct Item<T> {
    id: AnnotationId,
    seen: u32,
    tag: Tag,
    span: Span,
    drawn: T,
}

impl<T> Default for Shown<T> {
    fn default() -> Self {
        Shown { at: HashMap::new(), items: Vec::new(), round: 0 }
    }
}

impl<T> Shown<T> {
    /// Starts a sync: what it does not see goes at [`Shown::sweep`].
    pub fn start(&mut self) {
        self.round = self.round.wrapping_add(1);
    }

    /// Whether `id` is shown with this tag and span; either way it is seen.
    pub fn unchanged(&mut self, id: &AnnotationId, tag: &Tag, span: Span) -> bool {
        let Some(item) = self.at.get(id).and_then(|&i| self.items.get_mut(i)) else { return false };
        item.seen = self.round;
        item.tag == *tag && item.span == span
    }

    /// Takes `id` out, giving back what was drawn for it.
    pub fn remove(&mut self, id: &AnnotationId) -> Option<T> {
        let i = self.at.remove(id)?;
        let item = self.items.swap_remove(i);
        if let Some(moved) = self.items.get(i) {
            self.at.insert(moved.id.clone(), i);
        }
        Some(item.drawn)
    }

    /// Adds what was drawn for `id`, which is not shown (taken out first).
    pub fn insert(&mut self, id: AnnotationId, tag: Tag, span: Span, drawn: T) {
        self.at.insert(id.clone(), self.items.len());
        self.items.push(Item { id, seen: self.round, tag, span, drawn });
    }

    /// Ends a sync: takes out what it did not see, each given to `gone`.
    pub fn sweep(&mut self, mut gone: impl FnMut(T)) {
        let mut i = 0;
        while let Some(item) = self.items.get(i) {
            if item.seen == self.round {
                i += 1;
                continue;
            }
            let id = item.id.clone();
            match self.remove(&id) {
                // The last item took its place: looked at next, at `i`.
                Some(drawn) => gone(drawn),
                None => i += 1,
            }
        }
    }

    /// Takes everything out.
    pub fn drain(&mut self) -> impl Iterator<Item = T> + '_ {
        self.at.clear();
        self.items.drain(..).map(|item| item.drawn)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Shown;
    use marginalia_core::{AnnotationId, Span, Tag};

    #[test]
    fn a_sync_keeps_what_it_saw_and_hands_back_the_rest() {
        let id = |i: u64| AnnotationId::generate(i, i);
        let (tag, span) = (Tag::parse("claim").expect("tag"), Span::new(0, 4).expect("span"));
        let mut shown = Shown::default();
        shown.start();
        for i in 0..6 {
            shown.insert(id(i), tag.clone(), span, i);
        }
        shown.sweep(|_| panic!("all were seen"));
        // The next sync sees 1, 4 and 5 (5 with another span), and 9, new.
        shown.start();
        let other = Span::new(1, 4).expect("span");
        assert!(shown.unchanged(&id(1), &tag, span) && shown.unchanged(&id(4), &tag, span));
        assert!(!shown.unchanged(&id(5), &tag, other) && !shown.unchanged(&id(9), &tag, span));
        assert_eq!(shown.remove(&id(5)), Some(5));
        shown.insert(id(5), tag.clone(), other, 50);
        shown.insert(id(9), tag.clone(), span, 90);
        let mut gone = Vec::new();
        shown.sweep(|drawn| gone.push(drawn));
        gone.sort_unstable();
        assert_eq!(gone, [0, 2, 3]);
        // What stays is found by its id, as it is now.
        shown.start();
        assert!(shown.unchanged(&id(5), &tag, other) && !shown.unchanged(&id(0), &tag, span));
        for (i, drawn) in [(1, 1), (4, 4), (5, 50), (9, 90)] {
            assert_eq!(shown.remove(&id(i)), Some(drawn));
        }
        assert!(shown.is_empty() && shown.drain().next().is_none());
    }
}
