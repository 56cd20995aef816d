//! What comes from outside the reader's own actions: another tab's copy
//! (merge), the host's edited text (rebase), and the embedder's or a
//! file's annotations (replace, put one, import) — each the work of one of
//! the session's events, and crate-private for that.

use super::{bucket_by_paragraph, document_order, Annotator};
use crate::annotation::{Annotation, AnnotationId};
use crate::document::Document;
use crate::history::{Change, History, Step};
use crate::merge::{merge, Replica, Tombstone};
use std::fmt;
use std::rc::Rc;

/// What an annotation given by the embedder (`setAnnotations`,
/// `addAnnotation`, `updateAnnotation`) does to the one held with its id.
/// The embedder's edits are edits: one that differs from the one held is
/// a change made now, whatever its `modified` says (a page that read an
/// annotation and changed its note keeps that time), unless it is older
/// than the one held: then it would undo a later edit, and is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// No annotation has its id: added as given.
    New(Annotation),
    /// All a reader sees of it (words, tag, note, review, attribution) is
    /// as held: nothing changes, not even times.
    Same,
    /// A change, timed now (and after the held version).
    Changed(Annotation),
    /// Differs, and is older than the one held: refused.
    Older(Older),
}

/// A given annotation's `modified` (ms) before the held one's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Older {
    pub given: u64,
    pub held: u64,
}

impl fmt::Display for Older {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "older than the annotation held here (modified {} before {}): read it again and change that",
            crate::time::to_rfc3339(self.given),
            crate::time::to_rfc3339(self.held)
        )
    }
}

/// Judges `given` against `held` (the one with its id, if any), by the rule of [`Given`].
pub fn judge(held: Option<&Annotation>, given: Annotation, now_ms: u64) -> Given {
    let Some(held) = held else { return Given::New(given) };
    let seen =
        |a: &Annotation| (a.span, a.tag.clone(), a.note.clone(), a.suggested, a.review.clone(), a.attribution.clone());
    if seen(held) == seen(&given) {
        Given::Same
    } else if given.updated < held.updated {
        Given::Older(Older { given: given.updated, held: held.updated })
    } else {
        let at = now_ms.max(held.updated + 1);
        Given::Changed(given.stamped(held, at))
    }
}

/// A whole list given to replace what is held (`setAnnotations`), each
/// item `(index, annotation)` judged against `held(id)`: what to hold
/// then, and the refusals by index, with why. Of two items with one id,
/// the first counts.
pub fn judge_all(
    held: impl Fn(&AnnotationId) -> Option<Annotation>,
    given: impl IntoIterator<Item = (usize, Annotation)>,
    now_ms: u64,
) -> (Vec<Annotation>, Vec<(usize, String)>) {
    let (mut keep, mut refused) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for (index, a) in given {
        if !seen.insert(a.id.clone()) {
            refused.push((index, "an earlier item has the same id".to_string()));
            continue;
        }
        let before = held(&a.id);
        match (judge(before.as_ref(), a, now_ms), before) {
            (Given::New(a) | Given::Changed(a), _) => keep.push(a),
            (Given::Same, Some(before)) => keep.push(before),
            (Given::Older(older), Some(before)) => {
                refused.push((index, older.to_string()));
                keep.push(before);
            }
            (Given::Same | Given::Older(_), None) => {} // judged against nothing: cannot be
        }
    }
    (keep, refused)
}

impl Annotator {
    /// The same annotations over a changed text (the host edited its
    /// article): each drawn one is carried through the edit (the old and
    /// the new text diffed) to where its own characters went, and kept
    /// there if its quote is; else, like the orphans (their text may be
    /// back), placed again through the anchoring rules. Those that no
    /// longer fit become orphans, never dropped. Undo history is of the
    /// old text, so it goes. Returns how many moved.
    pub(crate) fn rebase(&mut self, doc: Rc<Document>) -> usize {
        let shift = crate::anchor::Shift::between(&self.doc, &doc);
        let (drawn, orphans) = (std::mem::take(&mut self.items), std::mem::take(&mut self.orphaned));
        let placed = crate::anchor::place_shifted(&doc, &shift, drawn, orphans);
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
    /// Where a version is placed is not a difference when it is the same
    /// version (same `updated`): each view places it on its own text (a
    /// host's edit seen at another moment, a saved value placed through its
    /// outline), and `merge_in` keeps this view's placement. Counting it
    /// made two such tabs write back to each other for ever, each write
    /// another storage event.
    pub fn differs_from(&self, other: &Replica) -> bool {
        let empty = Replica::default();
        let (mine, theirs) = (merge(&self.replica(), &empty), merge(other, &empty));
        if mine.deleted != theirs.deleted || mine.annotations.len() != theirs.annotations.len() {
            return true;
        }
        let theirs: std::collections::HashMap<&AnnotationId, &Annotation> =
            theirs.annotations.iter().map(|a| (&a.id, a)).collect();
        mine.annotations.iter().any(|a| theirs.get(&a.id).is_none_or(|t| !same_version(a, t)))
    }

    /// Merges another copy of this document's annotations (another tab's
    /// save) into this one: by id, the later edit wins, deletions hold.
    /// Returns whether anything here changed.
    ///
    /// Where an annotation is in this text is this copy's to say: another
    /// copy's version of the same edit (the same `updated`) placed
    /// elsewhere (re-anchored on its own, by quote and context) does not
    /// move one drawn here, and a version whose span does not hold its
    /// quote here is placed by the anchoring rules, not orphaned on sight.
    pub(crate) fn merge_in(&mut self, other: &Replica) -> bool {
        let mine = self.replica();
        let theirs = Replica {
            annotations: other
                .annotations
                .iter()
                .map(|o| match self.get(&o.id) {
                    Some(here) if here.updated == o.updated && here.span != o.span => {
                        Annotation { span: here.span, quote: here.quote.clone(), fuzzy: here.fuzzy, ..o.clone() }
                    }
                    _ => o.clone(),
                })
                .collect(),
            deleted: other.deleted.clone(),
        };
        let merged = merge(&mine, &theirs);
        if merged == merge(&mine, &Replica::default()) {
            return false;
        }
        let (items, misplaced): (Vec<Annotation>, Vec<Annotation>) =
            merged.annotations.into_iter().partition(|a| a.is_anchored_in(&self.doc));
        let placed = crate::anchor::place_all(&self.doc, misplaced);
        self.items = items;
        self.items.extend(placed.anchored);
        self.items.sort_by(document_order);
        self.orphaned = placed.orphaned;
        self.deleted = merged.deleted;
        self.rebucket();
        true
    }

    /// Replaces every annotation (an embedder's `setAnnotations`), the list
    /// judged by [`judge_all`]: one older than the one held leaves it as it
    /// is. Those removed get tombstones, so other tabs drop them too; one
    /// that comes back after its tombstone counts as modified now, so the
    /// old deletion does not win over it elsewhere.
    pub(crate) fn replace_all(&mut self, incoming: Vec<Annotation>, now_ms: u64) {
        let (mut items, _) = judge_all(|id| self.held(id).cloned(), incoming.into_iter().enumerate(), now_ms);
        for a in &mut items {
            // Only a tombstone that would win over a version new here forces
            // a new time; older ones stay, harmless, for other copies.
            if let Some(t) = self.deleted.iter().find(|t| t.id == a.id && t.at >= a.updated) {
                a.updated = now_ms.max(t.at + 1);
            }
        }
        let kept: std::collections::HashSet<&AnnotationId> = items.iter().map(|a| &a.id).collect();
        let gone: Vec<Tombstone> = self
            .items
            .iter()
            .chain(&self.orphaned)
            .filter(|a| !kept.contains(&a.id))
            .map(|a| Tombstone::of(a.id.clone(), now_ms.max(a.updated + 1), Some(a)))
            .collect();
        self.deleted.retain(|t| !gone.iter().any(|g| g.id == t.id));
        self.deleted.extend(gone);
        // An orphan kept (given unchanged, or refused as older) stays one.
        let (items, orphaned): (Vec<Annotation>, Vec<Annotation>) =
            items.into_iter().partition(|a| a.is_anchored_in(&self.doc));
        self.items = items;
        self.items.sort_by(document_order);
        self.orphaned = orphaned;
        self.rebucket();
        // The embedder replaced everything: older steps no longer apply.
        self.history.clear();
    }

    /// The embedder puts one annotation: added when its id is new, else it
    /// replaces the one with that id as a change made now ([`judge`]). One
    /// undoable step; the change, `None` when nothing changed, or why it
    /// was refused.
    pub(crate) fn put_one(&mut self, a: Annotation, now_ms: u64) -> Result<Option<Change>, Older> {
        let before = self.held(&a.id).cloned();
        let after = match judge(before.as_ref(), a, now_ms) {
            Given::New(a) | Given::Changed(a) => a,
            Given::Same => return Ok(None),
            Given::Older(older) => return Err(older),
        };
        let restamp = before.is_some();
        let label = if restamp { "Annotation changed by the page" } else { "Annotation added by the page" };
        let id = after.id.clone();
        let step = Step {
            label: label.into(),
            changes: vec![Change { id: id.clone(), before, after: Some(after) }],
            drafts: Vec::new(),
        };
        self.put(&step, now_ms, restamp);
        self.history.record(step.clone());
        Ok(step.changes.into_iter().next().map(|mut change| {
            change.after = self.held(&id).cloned().or(change.after);
            change
        }))
    }

    /// Adds imported annotations. One whose id is already here (drawn or
    /// orphaned) is skipped, never overwritten: an import only adds.
    /// Returns the changes (one per annotation added) and the ids skipped.
    pub(crate) fn add_all(&mut self, incoming: Vec<Annotation>, now_ms: u64) -> (Vec<Change>, Vec<AnnotationId>) {
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
        let step = Step { label: format!("{} annotation(s) imported", changes.len()), changes, drafts: Vec::new() };
        self.put(&step, now_ms, false);
        self.history.record(step.clone());
        (step.changes, skipped)
    }
}

#[cfg(test)]
mod tests;

/// Whether `theirs` is `mine` as far as keeping it goes: the same version,
/// wherever each view placed it (see `Annotator::differs_from`).
pub(crate) fn same_version(mine: &Annotation, theirs: &Annotation) -> bool {
    if mine == theirs {
        return true;
    }
    if mine.updated != theirs.updated {
        return false;
    }
    let mut placed = theirs.clone();
    crate::field_times::Field::Span.copy(mine, &mut placed);
    placed == *mine
}
