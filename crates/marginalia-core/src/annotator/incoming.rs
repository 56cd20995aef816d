//! What comes from outside the reader's own actions: another tab's copy
//! (merge), the host's edited text (rebase), and the embedder's or a
//! file's annotations (replace, put one, import).

use super::{bucket_by_paragraph, document_order, Annotator};
use crate::annotation::{Annotation, AnnotationId};
use crate::document::Document;
use crate::history::{Change, History, Step};
use crate::merge::{merge, Replica, Tombstone};
use std::rc::Rc;

impl Annotator {
    /// The same annotations over a changed text (the host edited its
    /// article): each is placed again through the anchoring rules, orphans
    /// included (their text may be back); those that no longer fit become
    /// orphans, never dropped. Undo history is of the old text, so it goes.
    /// Returns how many moved.
    pub fn rebase(&mut self, doc: Rc<Document>) -> usize {
        let all = std::mem::take(&mut self.items).into_iter().chain(std::mem::take(&mut self.orphaned));
        let placed = crate::anchor::place_all(&doc, all);
        let mut items = placed.anchored;
        items.sort_by(document_order);
        self.buckets = bucket_by_paragraph(&doc, &items);
        self.items = items;
        self.orphaned = placed.orphaned;
        self.doc = doc;
        self.history = History::default();
        placed.moved
    }

    /// This copy as a merge replica.
    pub fn replica(&self) -> Replica {
        Replica { annotations: self.all(), deleted: self.deleted.clone() }
    }

    /// Whether `other` lacks something this copy holds (or holds something
    /// else): then this copy must be written back, or the difference is lost.
    pub fn differs_from(&self, other: &Replica) -> bool {
        let empty = Replica::default();
        merge(&self.replica(), &empty) != merge(other, &empty)
    }

    /// Merges another copy of this document's annotations (another tab's
    /// save) into this one: by id, the later edit wins, deletions hold.
    /// Returns whether anything here changed.
    pub fn merge_in(&mut self, other: &Replica) -> bool {
        let mine = self.replica();
        let merged = merge(&mine, other);
        if merged == merge(&mine, &Replica::default()) {
            return false;
        }
        let (items, orphaned): (Vec<Annotation>, Vec<Annotation>) =
            merged.annotations.into_iter().partition(|a| a.is_anchored_in(&self.doc));
        self.items = items;
        self.items.sort_by(document_order);
        self.orphaned = orphaned;
        self.deleted = merged.deleted;
        self.rebucket();
        true
    }

    /// Replaces every annotation (an embedder's `setAnnotations`). Those
    /// removed get tombstones, so other tabs drop them too; one that comes
    /// back after its tombstone counts as modified now, so the old deletion
    /// does not win over it elsewhere.
    pub fn replace_all(&mut self, incoming: Vec<Annotation>, now_ms: u64) {
        for gone in self.items.iter().chain(&self.orphaned) {
            if !incoming.iter().any(|a| a.id == gone.id) {
                self.deleted.retain(|t| t.id != gone.id);
                self.deleted.push(Tombstone { id: gone.id.clone(), at: now_ms.max(gone.updated + 1) });
            }
        }
        let mut items = incoming;
        for a in &mut items {
            // Only a tombstone that would win over this version forces a new
            // time; older ones stay, harmless, for other copies.
            if let Some(t) = self.deleted.iter().find(|t| t.id == a.id && t.at >= a.updated) {
                a.updated = now_ms.max(t.at + 1);
            }
        }
        let (items, orphaned): (Vec<Annotation>, Vec<Annotation>) =
            items.into_iter().filter(|a| a.span.end() <= self.doc.len()).partition(|a| a.is_anchored_in(&self.doc));
        self.items = items;
        self.items.sort_by(document_order);
        self.items.dedup_by(|a, b| a.id == b.id);
        self.orphaned = orphaned;
        self.rebucket();
        // The embedder replaced everything: older steps no longer apply.
        self.history.clear();
    }

    /// Adds imported annotations. One whose id is already here (drawn or
    /// orphaned) is skipped, never overwritten: an import only adds.
    /// Returns the changes (one per annotation added) and the ids skipped.
    /// The embedder puts one annotation: added when its id is new, else it
    /// replaces the one with that id (and counts as changed now, so other
    /// copies take it). One undoable step; returns the change.
    pub fn put_one(&mut self, a: Annotation, now_ms: u64) -> Change {
        let before = self.items.iter().chain(&self.orphaned).find(|b| b.id == a.id).cloned();
        let restamp = before.is_some();
        let label = if restamp { "Annotation changed by the page" } else { "Annotation added by the page" };
        let step = Step { label: label.into(), changes: vec![Change { id: a.id.clone(), before, after: Some(a) }] };
        self.put(&step, now_ms, restamp);
        self.history.record(step.clone());
        let mut change = step.changes.into_iter().next().expect("one change");
        change.after = self.get(&change.id).cloned().or(change.after);
        change
    }

    pub fn add_all(&mut self, incoming: Vec<Annotation>, now_ms: u64) -> (Vec<Change>, Vec<AnnotationId>) {
        let mut skipped = Vec::new();
        let mut changes: Vec<Change> = Vec::new();
        for a in incoming {
            let known =
                self.items.iter().chain(&self.orphaned).any(|b| b.id == a.id) || changes.iter().any(|c| c.id == a.id);
            if known || a.span.end() > self.doc.len() {
                skipped.push(a.id);
            } else {
                changes.push(Change { id: a.id.clone(), before: None, after: Some(a) });
            }
        }
        let step = Step { label: format!("{} annotation(s) imported", changes.len()), changes };
        self.put(&step, now_ms, false);
        self.history.record(step.clone());
        (step.changes, skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{annotator, claim, env, id_of, quote, span};
    use super::*;
    use crate::annotator::Action;

    #[test]
    fn rebasing_on_an_edited_text_moves_orphans_and_brings_back() {
        let mut an = annotator("Intro.\nThe council voted to build it.\nEnd.");
        let voted = id_of(&an.apply(Action::Create { span: span(19, 24), tag: claim() }, env(1)).expect("made"));
        let end = id_of(&an.apply(Action::Create { span: span(38, 41), tag: quote() }, env(2)).expect("made"));
        // A paragraph is inserted before, and the last one is rewritten.
        let moved =
            an.rebase(Rc::new(Document::from_text("Intro.\nA correction.\nThe council voted to build it.\nFin.")));
        assert_eq!(moved, 1);
        let got = an.get(&voted).expect("still anchored");
        assert_eq!(&an.document().text()[..][got.span.start()..got.span.end()], "voted");
        assert!(an.get(&end).is_none() && an.orphaned().iter().any(|a| a.id == end), "orphaned, not lost");
        assert!(!an.history().can_undo(), "undo was of the old text");
        // The text comes back: so does the orphan.
        an.rebase(Rc::new(Document::from_text("Intro.\nThe council voted to build it.\nEnd.")));
        assert_eq!(an.get(&end).map(|a| a.quote.exact.as_str()), Some("End"));
        assert!(an.orphaned().is_empty());
    }

    #[test]
    fn put_one_adds_a_new_id_and_replaces_a_known_one() {
        let mut an = annotator("One two three");
        let doc = an.document().clone();
        let a = Annotation::new(&doc, AnnotationId::generate(1, 1), span(0, 3), claim(), 5);
        let added = an.put_one(a.clone(), 10);
        assert!(added.before.is_none());
        assert_eq!(an.get(&a.id).map(|x| x.quote.exact.as_str()), Some("One"));
        let mut moved = a.clone();
        moved.span = span(4, 7);
        moved.quote = crate::annotation::TextQuote::capture(&doc, moved.span);
        moved.tag = quote();
        let changed = an.put_one(moved, 20);
        assert_eq!(changed.before.map(|b| b.span), Some(span(0, 3)));
        let now = an.get(&a.id).expect("still there");
        assert_eq!((now.span, now.tag.clone(), now.quote.exact.as_str()), (span(4, 7), quote(), "two"));
        assert!(now.updated >= 20, "a change counts as newer than the copy it replaced");
        assert_eq!(an.annotations().len(), 1);
        an.apply(Action::Undo, env(30)).expect("undone");
        assert_eq!(an.get(&a.id).map(|x| x.span), Some(span(0, 3)));
    }

    #[test]
    fn two_tabs_merge_without_losing_either_side() {
        let mut a = annotator("One two three four five");
        let mut b = annotator("One two three four five");
        a.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
        let shared = Replica { annotations: a.all(), deleted: vec![] };
        assert!(b.merge_in(&shared));
        // Concurrently: a adds, b deletes the shared one and adds its own.
        a.apply(Action::Create { span: span(4, 7), tag: quote() }, env(2)).expect("created");
        let gone = b.annotations()[0].id.clone();
        b.apply(Action::Delete { id: gone.clone() }, env(3)).expect("deleted");
        b.apply(Action::Create { span: span(8, 13), tag: quote() }, env(4)).expect("created");
        let from_a = Replica { annotations: a.all(), deleted: a.deleted().to_vec() };
        let from_b = Replica { annotations: b.all(), deleted: b.deleted().to_vec() };
        assert!(a.merge_in(&from_b));
        assert!(b.merge_in(&from_a));
        let texts = |an: &Annotator| an.annotations().iter().map(|x| x.quote.exact.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&a), ["two", "three"]);
        assert_eq!(texts(&a), texts(&b));
        assert!(!a.merge_in(&from_b), "merging the same copy again changes nothing");
        // a now holds what b's copy lacked (a's own quote): a must write back.
        assert!(a.differs_from(&from_b));
        assert!(!a.differs_from(&a.replica()));
    }

    #[test]
    fn replacing_leaves_tombstones_and_a_comeback_wins_over_them() {
        let mut an = annotator("One two three");
        an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
        let saved = an.all();
        an.replace_all(Vec::new(), 100);
        assert!(an.annotations().is_empty());
        let other_tab = Replica { annotations: saved.clone(), deleted: vec![] };
        assert!(!an.merge_in(&other_tab), "an older copy elsewhere does not bring it back");
        an.replace_all(saved.clone(), 200);
        assert_eq!(an.annotations().len(), 1);
        assert!(an.annotations()[0].updated > 100);
        // A tab that only saw the clearing merges the comeback and keeps it.
        let mut cleared = annotator("One two three");
        cleared
            .merge_in(&Replica { annotations: vec![], deleted: vec![Tombstone { id: saved[0].id.clone(), at: 100 }] });
        assert!(cleared.merge_in(&Replica { annotations: an.all(), deleted: an.deleted().to_vec() }));
        assert_eq!(cleared.annotations().len(), 1);
        // Setting the same list again changes nothing, not even times.
        let before = an.all();
        an.replace_all(before.clone(), 300);
        assert_eq!(an.all(), before);
    }

    #[test]
    fn import_adds_and_never_overwrites() {
        let mut an = annotator("One two three");
        let made = an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
        let doc = an.document().clone();
        let mut same_id = Annotation::new(&doc, id_of(&made).clone(), span(4, 7), quote(), 9);
        same_id.updated = 99;
        let fresh = Annotation::new(&doc, AnnotationId::generate(5, 5), span(8, 13), quote(), 9);
        let (added, skipped) = an.add_all(vec![same_id, fresh.clone()], 10);
        assert_eq!((added.len(), skipped), (1, vec![id_of(&made)]));
        assert_eq!(an.get(&id_of(&made)).map(|a| a.tag.clone()), Some(claim()), "the existing one is untouched");
        assert_eq!(an.get(&fresh.id), Some(&fresh));
        assert_eq!(an.annotations().len(), 2);
    }
}
