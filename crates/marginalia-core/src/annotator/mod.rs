//! The annotator's state and its one `update` function, Crux-style: the shell
//! turns DOM events into [`Action`]s, applies them here, and repaints what
//! the returned [`Outcome`]'s changes name. No clock, no storage, no DOM.
//! What comes from elsewhere (another tab, the host, a file) is `incoming`.

use crate::annotation::{Annotation, AnnotationId, NOTE_LIMIT};
use crate::document::Document;
use crate::history::{Change, History, Step};
use crate::merge::Tombstone;
use crate::span::Span;
use crate::tag::{Tag, TagSet};
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// What a reader can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Create {
        span: Span,
        tag: Tag,
    },
    /// The same tag on several spans at once (a caption and its repeat), as
    /// one step to undo.
    CreateMany {
        spans: Vec<Span>,
        tag: Tag,
    },
    Retag {
        id: AnnotationId,
        tag: Tag,
    },
    /// Accepts suggestions: annotations marked as proposed by software, with
    /// the suggestion's note (a quote's speaker).
    Accept {
        items: Vec<(Span, Tag, String)>,
    },
    /// Sets the note; an empty one removes it.
    Note {
        id: AnnotationId,
        text: String,
    },
    Delete {
        id: AnnotationId,
    },
    /// The reader checked a fuzzily placed annotation: it is where it belongs.
    Confirm {
        id: AnnotationId,
    },
    Undo,
    Redo,
}

/// What the shell must supply for an action: the time and fresh random bits.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    pub now_ms: u64,
    pub entropy: u64,
}

/// The result of an applied action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Each annotation created (before `None`), changed, or removed (after
    /// `None`), so the shell can tell its embedder.
    pub changes: Vec<Change>,
    /// The paragraphs whose rendering changed.
    pub touched: Range<usize>,
    /// A short sentence for the live region ("Claim added").
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    OutOfRange { span: Span, len: usize },
    Blank,
    Duplicate(AnnotationId),
    Unknown(AnnotationId),
    UnknownTag(Tag),
    NothingToUndo,
    NothingToRedo,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::OutOfRange { span, len } => {
                write!(f, "the selection {}..{} is outside the article (length {len})", span.start(), span.end())
            }
            ActionError::Blank => f.write_str("the selection has no text"),
            ActionError::Duplicate(_) => f.write_str("that text already has this tag"),
            ActionError::Unknown(id) => write!(f, "no annotation {id}"),
            ActionError::UnknownTag(tag) => write!(f, "no tag {tag} is offered here"),
            ActionError::NothingToUndo => f.write_str("there is nothing to undo"),
            ActionError::NothingToRedo => f.write_str("there is nothing to redo"),
        }
    }
}

impl std::error::Error for ActionError {}

/// Turns a raw selection `[start, end)` into the span to tag: clamped to the
/// document, with whitespace and paragraph breaks trimmed from both ends.
/// `None` when nothing but whitespace is left.
pub fn tidy_selection(doc: &Document, start: usize, end: usize) -> Option<Span> {
    let (start, end) = (start.min(doc.len()), end.min(doc.len()));
    if start >= end {
        return None;
    }
    let text = doc.slice(start, end);
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    if lead == end - start {
        return None;
    }
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    Span::new(start + lead, end - trail).ok()
}

/// The document and its annotations.
#[derive(Clone, Debug)]
pub struct Annotator {
    doc: Rc<Document>,
    tags: Rc<TagSet>,
    /// Drawn annotations, in document order (start, then longer first, then id).
    items: Vec<Annotation>,
    /// Annotations whose quote no longer matches the text: kept and saved, never drawn.
    orphaned: Vec<Annotation>,
    /// `buckets[p]`: indices into `items` of the annotations touching paragraph `p`.
    buckets: Vec<Vec<usize>>,
    /// Deletions, saved so another tab's older copy cannot revive them.
    deleted: Vec<Tombstone>,
    history: History,
}

/// For each paragraph, the indices of the annotations that touch it: a
/// click or a paragraph's repaint looks at its own bucket only.
fn bucket_by_paragraph(doc: &Document, annotations: &[Annotation]) -> Vec<Vec<usize>> {
    let mut buckets = vec![Vec::new(); doc.paragraphs().len()];
    for (i, a) in annotations.iter().enumerate() {
        for p in doc.paragraphs_touched(a.span) {
            buckets[p].push(i);
        }
    }
    buckets
}

fn document_order(a: &Annotation, b: &Annotation) -> std::cmp::Ordering {
    a.span.start().cmp(&b.span.start()).then(b.span.end().cmp(&a.span.end())).then(a.id.cmp(&b.id))
}

impl Annotator {
    pub fn new(
        doc: Rc<Document>,
        tags: Rc<TagSet>,
        mut items: Vec<Annotation>,
        orphaned: Vec<Annotation>,
    ) -> Annotator {
        items.retain(|a| a.span.end() <= doc.len());
        items.sort_by(document_order);
        items.dedup_by(|a, b| a.id == b.id);
        let buckets = bucket_by_paragraph(&doc, &items);
        Annotator { doc, tags, items, orphaned, buckets, deleted: Vec::new(), history: History::default() }
    }

    /// The deletions known so far (from storage).
    pub fn with_deleted(mut self, deleted: Vec<Tombstone>) -> Annotator {
        self.deleted = deleted;
        self
    }

    pub fn deleted(&self) -> &[Tombstone] {
        &self.deleted
    }

    pub fn document(&self) -> &Rc<Document> {
        &self.doc
    }

    pub fn tags(&self) -> &Rc<TagSet> {
        &self.tags
    }

    /// The drawn annotations, in document order.
    pub fn annotations(&self) -> &[Annotation] {
        &self.items
    }

    pub fn orphaned(&self) -> &[Annotation] {
        &self.orphaned
    }

    /// Everything to save: drawn and orphaned alike.
    pub fn all(&self) -> Vec<Annotation> {
        self.items.iter().chain(&self.orphaned).cloned().collect()
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.items.iter().find(|a| &a.id == id)
    }

    /// The runs to render for paragraph `index`.
    /// The annotations touching paragraph `index`.
    pub fn in_paragraph(&self, index: usize) -> impl Iterator<Item = &Annotation> {
        self.buckets.get(index).into_iter().flatten().map(|&i| &self.items[i])
    }

    /// The annotations covering code point `cp`, smallest first (what a
    /// click on that character opens), ties by start.
    pub fn covering(&self, cp: usize) -> Vec<&Annotation> {
        let Some(p) = self.doc.paragraph_at(cp) else { return Vec::new() };
        let mut found: Vec<&Annotation> =
            self.in_paragraph(p).filter(|a| a.span.start() <= cp && cp < a.span.end()).collect();
        found.sort_by_key(|a| (a.span.len(), a.span.start(), a.span.end()));
        found
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn apply(&mut self, action: Action, env: Env) -> Result<Outcome, ActionError> {
        let (step, undoing) = match action {
            Action::Undo => (self.history.undo().ok_or(ActionError::NothingToUndo)?.inverse(), Some("Undone")),
            Action::Redo => (self.history.redo().ok_or(ActionError::NothingToRedo)?, Some("Redone")),
            action => {
                let step = self.plan(action, env)?;
                self.history.record(step.clone());
                (step, None)
            }
        };
        let touched = self.put(&step, env.now_ms, undoing.is_some());
        let message = match undoing {
            Some(verb) => format!("{verb}: {}", step.label),
            None => step.label.clone(),
        };
        Ok(Outcome { changes: step.changes, touched, message })
    }

    /// The change an action makes, worked out without making it.
    fn plan(&self, action: Action, env: Env) -> Result<Step, ActionError> {
        let existing = |id: &AnnotationId| self.get(id).cloned().ok_or_else(|| ActionError::Unknown(id.clone()));
        let one = |before: Option<Annotation>, after: Option<Annotation>, label: String| {
            let id = before.as_ref().or(after.as_ref()).map(|a| a.id.clone());
            Step { changes: id.map(|id| Change { id, before, after }).into_iter().collect(), label }
        };
        match action {
            Action::Create { span, tag } => {
                if span.end() > self.doc.len() {
                    return Err(ActionError::OutOfRange { span, len: self.doc.len() });
                }
                if self.tags.get(&tag).is_none() {
                    return Err(ActionError::UnknownTag(tag));
                }
                if tidy_selection(&self.doc, span.start(), span.end()).is_none() {
                    return Err(ActionError::Blank);
                }
                if let Some(same) = self.items.iter().find(|a| a.span == span && a.tag == tag) {
                    return Err(ActionError::Duplicate(same.id.clone()));
                }
                let label = format!("{} added", self.tags.label(&tag));
                let id = AnnotationId::generate(env.now_ms, env.entropy);
                Ok(one(None, Some(Annotation::new(&self.doc, id, span, tag, env.now_ms)), label))
            }
            Action::CreateMany { spans, tag } => {
                let mut changes = Vec::new();
                for (i, span) in spans.into_iter().enumerate() {
                    let env = Env { now_ms: env.now_ms, entropy: env.entropy.wrapping_add(i as u64) };
                    changes.extend(self.plan(Action::Create { span, tag: tag.clone() }, env)?.changes);
                }
                let label = self.tags.count_phrase(&tag, changes.len()) + " added";
                Ok(Step { changes, label })
            }
            Action::Accept { items } => {
                let mut changes = Vec::new();
                for (i, (span, tag, note)) in items.into_iter().enumerate() {
                    let env = Env { now_ms: env.now_ms, entropy: env.entropy.wrapping_add(i as u64) };
                    // One already tagged the same is skipped, not an error.
                    let Ok(step) = self.plan(Action::Create { span, tag }, env) else { continue };
                    changes.extend(step.changes.into_iter().map(|mut c| {
                        if let Some(a) = &mut c.after {
                            a.suggested = true;
                            a.note = note.clone();
                        }
                        c
                    }));
                }
                let label = format!("{} suggestion(s) accepted", changes.len());
                Ok(Step { changes, label })
            }
            Action::Retag { id, tag } => {
                if self.tags.get(&tag).is_none() {
                    return Err(ActionError::UnknownTag(tag));
                }
                let before = existing(&id)?;
                let label = format!("{} changed to {}", self.tags.label(&before.tag), self.tags.label(&tag));
                let after = Annotation { tag, updated: env.now_ms, ..before.clone() };
                Ok(one(Some(before), Some(after), label))
            }
            Action::Note { id, text } => {
                let before = existing(&id)?;
                let note: String = text.trim().chars().take(NOTE_LIMIT).collect();
                let label = if note.is_empty() { "Note removed" } else { "Note saved" }.to_string();
                let after = Annotation { note, updated: env.now_ms, ..before.clone() };
                Ok(one(Some(before), Some(after), label))
            }
            Action::Confirm { id } => {
                let before = existing(&id)?;
                let after = Annotation { fuzzy: None, updated: env.now_ms, ..before.clone() };
                Ok(one(Some(before), Some(after), "Placement confirmed".to_string()))
            }
            Action::Delete { id } => {
                let before = existing(&id)?;
                let label = format!("{} deleted", self.tags.label(&before.tag));
                Ok(one(Some(before), None, label))
            }
            Action::Undo | Action::Redo => Ok(Step { changes: Vec::new(), label: String::new() }),
        }
    }

    /// Makes every annotation of a step what its `after` says, and returns
    /// the paragraphs touched. A removal leaves a tombstone; with `restamp`
    /// (undo, redo) the state put back counts as modified now, so that it
    /// wins when tabs merge, over the copy it replaces and over a tombstone.
    fn put(&mut self, step: &Step, now_ms: u64, restamp: bool) -> Range<usize> {
        let mut touched: Option<Range<usize>> = None;
        let mut touch = |span: Span| {
            let r = self.doc.paragraphs_touched(span);
            touched = Some(match touched.take() {
                Some(t) => t.start.min(r.start)..t.end.max(r.end),
                None => r,
            });
        };
        for change in &step.changes {
            let id = &change.id;
            let current = self.items.iter().chain(&self.orphaned).find(|a| &a.id == id).map(|a| (a.span, a.updated));
            if let Some((span, _)) = current {
                touch(span);
            }
            self.items.retain(|a| &a.id != id);
            self.orphaned.retain(|a| &a.id != id);
            let tomb_at = self.deleted.iter().find(|t| &t.id == id).map(|t| t.at);
            match &change.after {
                Some(after) => {
                    let mut a = after.clone();
                    if restamp {
                        let newest = current.map_or(0, |(_, u)| u).max(tomb_at.unwrap_or(0));
                        a.updated = now_ms.max(newest + 1);
                    } else if tomb_at.is_some_and(|at| at >= a.updated) {
                        a.updated = now_ms.max(tomb_at.unwrap_or(0) + 1);
                    }
                    touch(a.span);
                    self.items.push(a);
                }
                None => {
                    let last = change.before.as_ref().map_or(0, |b| b.updated);
                    self.deleted.retain(|t| &t.id != id);
                    self.deleted.push(Tombstone { id: id.clone(), at: now_ms.max(last + 1) });
                }
            }
        }
        self.items.sort_by(document_order);
        self.rebucket();
        touched.unwrap_or(0..0)
    }

    /// Indices shift on insert and remove, so buckets are rebuilt: one linear
    /// pass over the annotations, with no re-segmentation.
    fn rebucket(&mut self) {
        self.buckets = bucket_by_paragraph(&self.doc, &self.items);
    }
}

mod incoming;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::Replica;
    use proptest::prelude::*;

    pub(super) fn env(n: u64) -> Env {
        Env { now_ms: 1_700_000_000_000 + n, entropy: n }
    }

    pub(super) fn span(a: usize, b: usize) -> Span {
        Span::new(a, b).expect("valid")
    }

    pub(super) fn annotator(text: &str) -> Annotator {
        Annotator::new(Rc::new(Document::from_text(text)), Rc::default(), Vec::new(), Vec::new())
    }

    pub(super) fn id_of(outcome: &Outcome) -> AnnotationId {
        outcome.changes[0].id.clone()
    }

    pub(super) fn tag(id: &str) -> Tag {
        Tag::parse(id).expect("valid tag")
    }

    pub(super) fn claim() -> Tag {
        tag("claim")
    }

    pub(super) fn quote() -> Tag {
        tag("quote")
    }

    #[test]
    fn tidy_selection_table() {
        let doc = Document::from_text("The UK will join.\nNext line");
        let cases = [
            ((0, 3), Some((0, 3))),
            ((3, 7), Some((4, 6))),     // " UK " loses its spaces
            ((16, 19), Some((16, 19))), // ".\nN": only the ends are trimmed
            ((17, 18), None),           // just the paragraph break
            ((3, 4), None),             // just a space
            ((5, 5), None),
            ((24, 99), Some((24, 27))), // clamped to the end
            ((99, 120), None),
        ];
        for ((a, b), want) in cases {
            let got = tidy_selection(&doc, a, b).map(|s| (s.start(), s.end()));
            assert_eq!(got, want, "selection {a}..{b}");
        }
    }

    #[test]
    fn covering_finds_every_highlight_under_a_character_smallest_first() {
        let mut an = annotator("One two three\nFour five");
        let wide = id_of(&an.apply(Action::Create { span: span(0, 19), tag: claim() }, env(1)).expect("made"));
        let mid = id_of(&an.apply(Action::Create { span: span(4, 13), tag: quote() }, env(2)).expect("made"));
        let small = id_of(&an.apply(Action::Create { span: span(4, 7), tag: claim() }, env(3)).expect("made"));
        let ids = |cp| an.covering(cp).into_iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        let cases = [
            (0, vec![wide.clone()]),
            (4, vec![small.clone(), mid.clone(), wide.clone()]),
            (7, vec![mid.clone(), wide.clone()]), // the end is not covered
            (13, vec![wide.clone()]),             // the paragraph break
            (15, vec![wide.clone()]),             // across it
            (19, vec![]),
            (99, vec![]),
        ];
        for (cp, want) in cases {
            assert_eq!(ids(cp), want, "cp {cp}");
        }
    }

    #[test]
    fn create_retag_delete_report_touched_paragraphs() {
        let mut an = annotator("One two\nThree four\nFive");
        let made = an.apply(Action::Create { span: span(4, 13), tag: claim() }, env(1)).expect("created");
        assert_eq!(made.touched, 0..2);
        assert_eq!(made.message, "Claim added");
        assert_eq!(an.get(&id_of(&made)).map(|a| a.quote.exact.as_str()), Some("two\nThree"));

        let re = an.apply(Action::Retag { id: id_of(&made).clone(), tag: quote() }, env(2)).expect("retagged");
        assert_eq!(re.message, "Claim changed to Quote");
        assert_eq!(an.annotations().iter().filter(|a| a.tag == quote()).count(), 1);
        assert_eq!(an.get(&id_of(&made)).map(|a| (a.created, a.updated)), Some((env(1).now_ms, env(2).now_ms)));

        let del = an.apply(Action::Delete { id: id_of(&made).clone() }, env(3)).expect("deleted");
        assert_eq!(del.touched, 0..2);
        assert!(an.annotations().is_empty());
        assert_eq!(
            an.apply(Action::Delete { id: id_of(&made).clone() }, env(4)),
            Err(ActionError::Unknown(id_of(&made)))
        );
    }

    #[test]
    fn refusals() {
        let mut an = annotator("ab cd");
        assert!(matches!(
            an.apply(Action::Create { span: span(0, 9), tag: claim() }, env(1)),
            Err(ActionError::OutOfRange { .. })
        ));
        assert_eq!(an.apply(Action::Create { span: span(2, 3), tag: claim() }, env(1)), Err(ActionError::Blank));
        let first = an.apply(Action::Create { span: span(0, 2), tag: claim() }, env(1)).expect("created");
        assert_eq!(
            an.apply(Action::Create { span: span(0, 2), tag: claim() }, env(2)),
            Err(ActionError::Duplicate(id_of(&first)))
        );
        // The same span with another tag is a second annotation.
        assert!(an.apply(Action::Create { span: span(0, 2), tag: quote() }, env(3)).is_ok());
    }

    #[test]
    fn every_change_undoes_and_redoes() {
        let mut an = annotator("One two three four");
        let tags = |an: &Annotator| {
            an.annotations()
                .iter()
                .map(|a| (a.quote.exact.clone(), a.tag.to_string(), a.note.clone()))
                .collect::<Vec<_>>()
        };
        let made = an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
        let id = id_of(&made);
        an.apply(Action::Retag { id: id.clone(), tag: quote() }, env(2)).expect("retagged");
        an.apply(Action::Note { id: id.clone(), text: "  check the figure  ".into() }, env(3)).expect("noted");
        assert_eq!(tags(&an), [("One".into(), "quote".into(), "check the figure".into())]);
        let undone = an.apply(Action::Undo, env(4)).expect("undo note");
        assert_eq!(undone.message, "Undone: Note saved");
        assert_eq!(tags(&an), [("One".into(), "quote".into(), String::new())]);
        an.apply(Action::Undo, env(5)).expect("undo retag");
        assert_eq!(tags(&an), [("One".into(), "claim".into(), String::new())]);
        let gone = an.apply(Action::Undo, env(6)).expect("undo create");
        assert!(an.annotations().is_empty());
        assert_eq!(gone.changes[0].after, None, "the shell hears of a deletion");
        assert!(an.deleted().iter().any(|t| t.id == id), "other tabs drop it too");
        assert_eq!(an.apply(Action::Undo, env(7)), Err(ActionError::NothingToUndo));
        for _ in 0..3 {
            an.apply(Action::Redo, env(8)).expect("redo");
        }
        assert_eq!(tags(&an), [("One".into(), "quote".into(), "check the figure".into())]);
        assert!(an.get(&id).is_some_and(|a| a.updated > an.deleted()[0].at), "back, and newer than its tombstone");
        assert_eq!(an.apply(Action::Redo, env(9)), Err(ActionError::NothingToRedo));
        // An undo is a change of its own: it wins over the copy saved before it.
        let saved = Replica { annotations: an.all(), deleted: an.deleted().to_vec() };
        an.apply(Action::Undo, env(20)).expect("undo the note again");
        an.merge_in(&saved);
        assert_eq!(an.get(&id).map(|a| a.note.as_str()), Some(""));
        an.apply(Action::Redo, env(21)).expect("redo the note");
        // Delete and undo; import and undo.
        an.apply(Action::Delete { id: id.clone() }, env(10)).expect("deleted");
        an.apply(Action::Undo, env(11)).expect("undo delete");
        assert_eq!(an.annotations().len(), 1);
        let doc = an.document().clone();
        let batch = vec![
            Annotation::new(&doc, AnnotationId::generate(1, 1), span(4, 7), claim(), 1),
            Annotation::new(&doc, AnnotationId::generate(1, 2), span(8, 13), claim(), 1),
        ];
        assert_eq!(an.add_all(batch, 12).0.len(), 2);
        assert_eq!(an.annotations().len(), 3);
        let undone = an.apply(Action::Undo, env(13)).expect("undo import");
        assert_eq!((an.annotations().len(), undone.changes.len()), (1, 2));
    }

    #[test]
    fn both_copies_are_tagged_and_undone_together() {
        let mut an = annotator("A caption here\nA caption here\nBody");
        let out = an
            .apply(Action::CreateMany { spans: vec![span(0, 14), span(15, 29)], tag: tag("caption") }, env(1))
            .expect("created");
        assert_eq!(out.message, "2 captions added");
        assert_eq!(out.touched, 0..2);
        assert_eq!(an.annotations().len(), 2);
        assert_ne!(an.annotations()[0].id, an.annotations()[1].id);
        an.apply(Action::Undo, env(2)).expect("undo");
        assert!(an.annotations().is_empty());
    }

    proptest! {
        #[test]
        fn any_order_of_creation_paints_and_hits_the_same(
            picks in prop::collection::vec((0usize..30, 1usize..8, 0usize..3), 1..10),
            rotate in 0usize..10,
        ) {
            let doc = Rc::new(Document::from_text("Alpha beta gamma\ndelta 😀 epsilon\nzeta"));
            let tags = TagSet::standard();
            let actions: Vec<(Span, Tag)> = picks
                .iter()
                .filter_map(|&(s, w, t)| Some((tidy_selection(&doc, s, s + w)?, tags.defs()[t].tag.clone())))
                .collect();
            // What is painted (span and tag of each, in order) and what a
            // click on each code point finds.
            let run = |order: Vec<(Span, Tag)>| {
                let mut an = Annotator::new(doc.clone(), Rc::default(), Vec::new(), Vec::new());
                for (i, (span, tag)) in order.into_iter().enumerate() {
                    let _ = an.apply(Action::Create { span, tag }, env(i as u64));
                }
                let painted: Vec<(Span, Tag)> = an.annotations().iter().map(|a| (a.span, a.tag.clone())).collect();
                let hits: Vec<Vec<(Span, Tag)>> = (0..doc.len())
                    .map(|cp| {
                        let mut found: Vec<(Span, Tag)> = an.covering(cp).iter().map(|a| (a.span, a.tag.clone())).collect();
                        found.sort();
                        found
                    })
                    .collect();
                (painted, hits)
            };
            let mut other = actions.clone();
            let len = other.len();
            other.rotate_left(rotate % len.max(1));
            other.reverse();
            // Identical span+tag pairs are refused as duplicates, so the sets agree.
            let (mut a, mut b) = (run(actions), run(other));
            a.0.sort();
            b.0.sort();
            prop_assert_eq!(a, b);
        }
    }
}
