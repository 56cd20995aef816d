//! Undo and redo. Every change is recorded as the before and after of each
//! annotation it touched, so one mechanism undoes a create, a retag, a note
//! edit, a delete or a whole import: undo puts the befores back, redo the
//! afters. A step also carries the drafts it ended (a note saved, a draft
//! discarded), so undo brings those back too. Per document and per page
//! load; nothing here is saved.

use crate::annotation::{Annotation, AnnotationId};
use crate::drafts::{Fields, Form};

/// One annotation's state around a change; `None` is "did not exist".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: AnnotationId,
    pub before: Option<Annotation>,
    pub after: Option<Annotation>,
}

/// One draft's state around a change (discarded, saved, put back by an
/// undo): its fields, `None` for "no draft".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftChange {
    pub id: AnnotationId,
    pub form: Form,
    pub before: Option<Fields>,
    pub after: Option<Fields>,
}

/// What one reader action changed, with its description ("Claim added").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub changes: Vec<Change>,
    pub label: String,
    /// The drafts it discarded or saved (a note saved ends its draft).
    pub drafts: Vec<DraftChange>,
}

impl Step {
    /// The same step the other way round.
    pub fn inverse(&self) -> Step {
        Step {
            changes: self
                .changes
                .iter()
                .map(|c| Change { id: c.id.clone(), before: c.after.clone(), after: c.before.clone() })
                .collect(),
            label: self.label.clone(),
            drafts: self
                .drafts
                .iter()
                .map(|d| DraftChange {
                    id: d.id.clone(),
                    form: d.form,
                    before: d.after.clone(),
                    after: d.before.clone(),
                })
                .collect(),
        }
    }

    /// Whether it changed nothing at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.drafts.is_empty()
    }
}

/// How many steps are kept: an hour's work, and a bound on memory.
const LIMIT: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// A new step; whatever could be redone is gone.
    pub fn record(&mut self, step: Step) {
        if step.is_empty() {
            return;
        }
        self.undo.push(step);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The step to undo, already moved to the redo stack.
    pub fn undo(&mut self) -> Option<Step> {
        let step = self.undo.pop()?;
        self.redo.push(step.clone());
        Some(step)
    }

    pub fn redo(&mut self) -> Option<Step> {
        let step = self.redo.pop()?;
        self.undo.push(step.clone());
        Some(step)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(n: u64) -> Step {
        Step {
            changes: vec![Change { id: crate::annotation::AnnotationId::generate(0, n), before: None, after: None }],
            label: format!("step {n}"),
            drafts: Vec::new(),
        }
    }

    #[test]
    fn undo_redo_stacks() {
        let mut h = History::default();
        assert!(h.undo().is_none() && !h.can_redo());
        h.record(step(1));
        h.record(step(2));
        assert_eq!(h.undo().map(|s| s.label), Some("step 2".into()));
        assert!(h.can_redo());
        assert_eq!(h.redo().map(|s| s.label), Some("step 2".into()));
        h.undo();
        h.record(step(3));
        assert!(!h.can_redo(), "a new step drops the redo stack");
        h.record(Step { label: "nothing".into(), ..Step::default() });
        assert_eq!(h.undo().map(|s| s.label), Some("step 3".into()));
        for n in 0..(LIMIT as u64 + 10) {
            h.record(step(n));
        }
        assert_eq!(h.undo.len(), LIMIT);
    }
}
