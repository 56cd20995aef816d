//! The annotator's state. The reader's changes are [`Action`]s through
//! `apply`, which returns an [`Outcome`] whose changes the shell repaints;
//! what comes from elsewhere (another tab, the host, a file) goes through
//! `incoming` (merge, rebase, replace, put, import). All of it is called
//! by the session alone (`crate::session`: each is one of its events);
//! outside this crate the annotator is read only. No clock, no storage,
//! no DOM.

use crate::annotation::{document_order, Annotation, AnnotationId, NOTE_LIMIT};
use crate::document::Document;
use crate::drafts::{Draft, Drafts, Fields, Form};
use crate::field_times::Field;
use crate::history::{Change, DraftChange, History, Step};
use crate::merge::Tombstone;
use crate::review::{Attribution, Review, Scale};
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
    /// Accepts suggestions: annotations marked as proposed by software,
    /// each with the rule's reason kept beside it. `with_speakers`: a quote
    /// whose reason names the speaker the rules found gets that speaker as
    /// its attribution, as if typed (the reader confirmed it).
    Accept {
        items: Vec<(Span, Tag, String)>,
        with_speakers: bool,
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
    /// Sets a claim's fact-check (see [`checking`]); `None` removes it.
    Review {
        id: AnnotationId,
        review: Option<Review>,
    },
    /// Sets who said a quote, and when and where; `None` removes it.
    Attribute {
        id: AnnotationId,
        attribution: Option<Attribution>,
    },
    /// Drops what the reader typed into a form and did not save; undo
    /// brings it back.
    Discard {
        id: AnnotationId,
        form: Form,
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
    OutOfRange {
        span: Span,
        len: usize,
    },
    Blank,
    Duplicate(AnnotationId),
    Unknown(AnnotationId),
    UnknownTag(Tag),
    /// A review or attribution that cannot be saved, and why.
    Invalid(Vec<String>),
    NothingToUndo,
    NothingToRedo,
    NoDraft(Form),
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
            ActionError::Invalid(problems) => write!(f, "not saved: {}", problems.join("; ")),
            ActionError::NothingToUndo => f.write_str("there is nothing to undo"),
            ActionError::NothingToRedo => f.write_str("there is nothing to redo"),
            ActionError::NoDraft(form) => write!(f, "there is no draft of the {} to discard", form.label()),
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
    /// The verdicts a claim's review may give.
    scale: Rc<Scale>,
    /// Drawn annotations, in document order (start, then longer first, then id).
    items: Vec<Annotation>,
    /// Annotations whose quote no longer matches the text: kept and saved, never drawn.
    orphaned: Vec<Annotation>,
    /// `buckets[p]`: indices into `items` of the annotations touching paragraph `p`.
    buckets: Vec<Vec<usize>>,
    /// Deletions, saved so another tab's older copy cannot revive them.
    deleted: Vec<Tombstone>,
    /// What the reader typed into forms and has not saved.
    drafts: Drafts,
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
        let scale = Rc::default();
        Annotator {
            doc,
            tags,
            scale,
            items,
            orphaned,
            buckets,
            deleted: Vec::new(),
            drafts: Drafts::default(),
            history: History::default(),
        }
    }

    /// Reviews give verdicts of this scale (a host's `ratings`).
    pub fn with_scale(mut self, scale: Rc<Scale>) -> Annotator {
        self.scale = scale;
        self
    }

    pub fn scale(&self) -> &Rc<Scale> {
        &self.scale
    }

    /// The deletions known so far (from storage).
    pub fn with_deleted(mut self, deleted: Vec<Tombstone>) -> Annotator {
        self.deleted = deleted;
        self
    }

    pub fn deleted(&self) -> &[Tombstone] {
        &self.deleted
    }

    /// The drafts known so far (from storage).
    pub fn with_drafts(mut self, drafts: Drafts) -> Annotator {
        self.drafts = drafts;
        self
    }

    pub fn drafts(&self) -> &Drafts {
        &self.drafts
    }

    /// The reader typed into `id`'s `form`: its fields as they now are are
    /// its draft. Not a step to undo (the field has its own); the draft
    /// ends when the form is saved or the draft discarded.
    pub(crate) fn type_draft(
        &mut self,
        id: &AnnotationId,
        form: Form,
        fields: Fields,
        now_ms: u64,
    ) -> Result<(), ActionError> {
        if self.held(id).is_none() {
            return Err(ActionError::Unknown(id.clone()));
        }
        let at = self.drafts.held(id, form).map_or(now_ms, |d| now_ms.max(d.at + 1));
        self.drafts.put(Draft { id: id.clone(), form, fields, at });
        Ok(())
    }

    /// Takes another tab's drafts; whether anything here changed.
    pub(crate) fn merge_drafts(&mut self, other: &Drafts) -> bool {
        self.drafts.merge(other)
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

    /// The annotation with this id, drawn or orphaned.
    pub fn held(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.items.iter().chain(&self.orphaned).find(|a| &a.id == id)
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
            let current = self.items.iter().chain(&self.orphaned).find(|a| &a.id == id).cloned();
            if let Some(c) = &current {
                touch(c.span);
            }
            self.items.retain(|a| &a.id != id);
            self.orphaned.retain(|a| &a.id != id);
            let tomb_at = self.deleted.iter().find(|t| &t.id == id).map(|t| t.at);
            match &change.after {
                Some(after) => {
                    let mut a = after.clone();
                    if restamp {
                        let newest = current.as_ref().map_or(0, |c| c.updated).max(tomb_at.unwrap_or(0));
                        let at = now_ms.max(newest + 1);
                        // Only the parts the step changed are put back (a
                        // verdict another tab set meanwhile stays), each
                        // counting as changed now, so an undone edit does
                        // not come back from another copy.
                        a = match (&current, &change.before) {
                            (Some(c), Some(b)) => {
                                for f in Field::ALL.into_iter().filter(|f| f.same(b, after)) {
                                    f.copy(c, &mut a);
                                }
                                a.stamped(c, at)
                            }
                            (Some(c), None) => a.stamped(c, at),
                            (None, _) => Annotation { updated: at, ..a },
                        };
                    } else if tomb_at.is_some_and(|at| at >= a.updated) {
                        a.updated = now_ms.max(tomb_at.unwrap_or(0) + 1);
                    }
                    // Put back where it was: an orphan (undoing its deletion) stays one.
                    if a.is_anchored_in(&self.doc) {
                        touch(a.span);
                        self.items.push(a);
                    } else {
                        self.orphaned.push(a);
                    }
                }
                None => {
                    let last = change.before.as_ref().map_or(0, |b| b.updated);
                    self.deleted.retain(|t| &t.id != id);
                    // The tombstone keeps what was deleted, for the merge.
                    let was = current.as_ref().or(change.before.as_ref());
                    self.deleted.push(Tombstone::of(id.clone(), now_ms.max(last + 1), was));
                }
            }
        }
        for d in &step.drafts {
            match &d.after {
                Some(fields) => {
                    let at = self.drafts.held(&d.id, d.form).map_or(now_ms, |h| now_ms.max(h.at + 1));
                    self.drafts.put(Draft { id: d.id.clone(), form: d.form, fields: fields.clone(), at });
                }
                None => self.drafts.clear(&d.id, d.form, now_ms),
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

mod checking;
mod incoming;
mod plan;

pub(crate) use incoming::same_version;
pub use incoming::{judge, judge_all, Given, Older};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod drafts_tests;
