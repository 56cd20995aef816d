//! What a reader has typed into a form and not saved: one draft per
//! annotation and form (its note, its fact-check, its speaker). A reader who
//! loses a typed explanation once stops trusting the tool, so a draft is
//! part of the model: saved with the annotations (schema 4), so closing a
//! form by any means, a reload, another article and a second tab keep it.
//! Only Discard drops one, and undo brings it back. Drafts are the reader's
//! own: never exported, never sent by sync.
//!
//! Between tabs a draft is last-writer-wins by its time, like an
//! annotation; a draft discarded or saved stays as an empty one (a
//! tombstone), so another tab's older copy does not bring it back.

use crate::annotation::AnnotationId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which form of an annotation a draft is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Note,
    /// A claim's fact-check.
    Review,
    /// A quote's speaker, date and venue.
    Speaker,
}

impl Form {
    pub const ALL: [Form; 3] = [Form::Note, Form::Review, Form::Speaker];

    pub fn label(self) -> &'static str {
        match self {
            Form::Note => "note",
            Form::Review => "fact-check",
            Form::Speaker => "speaker",
        }
    }
}

/// The fields of a form as typed, by the form's own names.
pub type Fields = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub id: AnnotationId,
    pub form: Form,
    /// Empty once discarded or saved.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: Fields,
    /// When it was last typed into, discarded or saved (ms).
    pub at: u64,
}

impl Draft {
    /// Not discarded, not saved: something the reader typed and kept.
    pub fn is_live(&self) -> bool {
        !self.fields.is_empty()
    }

    fn key(&self) -> (AnnotationId, Form) {
        (self.id.clone(), self.form)
    }
}

/// Which of two drafts with one key wins: the later, then a fixed order on
/// the fields, so every tab picks the same one.
fn later<'a>(a: &'a Draft, b: &'a Draft) -> &'a Draft {
    if (b.at, &b.fields) > (a.at, &a.fields) {
        b
    } else {
        a
    }
}

/// Every draft of a document, tombstones included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drafts {
    items: BTreeMap<(AnnotationId, Form), Draft>,
}

impl Drafts {
    /// From a saved list; of two with one key, the later.
    pub fn from_list(list: Vec<Draft>) -> Drafts {
        let mut drafts = Drafts::default();
        for d in list {
            drafts.merge_one(d);
        }
        drafts
    }

    /// Everything to save, tombstones included, in key order.
    pub fn list(&self) -> Vec<Draft> {
        self.items.values().cloned().collect()
    }

    /// The live draft of `id`'s `form`.
    pub fn get(&self, id: &AnnotationId, form: Form) -> Option<&Draft> {
        self.items.get(&(id.clone(), form)).filter(|d| d.is_live())
    }

    /// The draft as held, live or not (what an undo puts back).
    pub fn held(&self, id: &AnnotationId, form: Form) -> Option<&Draft> {
        self.items.get(&(id.clone(), form))
    }

    /// The forms of `id` with a live draft.
    pub fn forms_of(&self, id: &AnnotationId) -> Vec<Form> {
        Form::ALL.into_iter().filter(|&f| self.get(id, f).is_some()).collect()
    }

    /// How many live drafts there are.
    pub fn count(&self) -> usize {
        self.items.values().filter(|d| d.is_live()).count()
    }

    /// Sets a draft as it is (typing, an undo putting one back).
    pub fn put(&mut self, draft: Draft) {
        self.items.insert(draft.key(), draft);
    }

    /// Empties the draft of `id`'s `form` at `now_ms` (discarded or saved).
    pub fn clear(&mut self, id: &AnnotationId, form: Form, now_ms: u64) {
        let at = self.items.get(&(id.clone(), form)).map_or(now_ms, |d| now_ms.max(d.at + 1));
        self.put(Draft { id: id.clone(), form, fields: Fields::new(), at });
    }

    fn merge_one(&mut self, d: Draft) -> bool {
        match self.items.get(&d.key()) {
            Some(held) if later(held, &d) == held => false,
            _ => {
                self.items.insert(d.key(), d);
                true
            }
        }
    }

    /// Takes another copy's drafts (another tab's save): per annotation and
    /// form the later wins. Returns whether anything here changed.
    pub fn merge(&mut self, other: &Drafts) -> bool {
        let mut changed = false;
        for d in other.items.values() {
            changed |= self.merge_one(d.clone());
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft(id: u64, form: Form, text: &str, at: u64) -> Draft {
        let fields =
            if text.is_empty() { Fields::new() } else { Fields::from([("text".to_string(), text.to_string())]) };
        Draft { id: AnnotationId::generate(0, id), form, fields, at }
    }

    #[test]
    fn table_of_drafts_between_tabs() {
        // (what happened, this tab's, the other tab's, the text that wins; "" none)
        let cases: Vec<(&str, Vec<Draft>, Vec<Draft>, &str)> = vec![
            ("only here", vec![draft(1, Form::Note, "mine", 5)], vec![], "mine"),
            ("only there", vec![], vec![draft(1, Form::Note, "theirs", 5)], "theirs"),
            (
                "both typed: the later",
                vec![draft(1, Form::Note, "mine", 5)],
                vec![draft(1, Form::Note, "theirs", 6)],
                "theirs",
            ),
            ("discarded here after", vec![draft(1, Form::Note, "", 9)], vec![draft(1, Form::Note, "theirs", 6)], ""),
            (
                "typed there after a discard",
                vec![draft(1, Form::Note, "", 5)],
                vec![draft(1, Form::Note, "new", 6)],
                "new",
            ),
            ("same time: a fixed order", vec![draft(1, Form::Note, "a", 5)], vec![draft(1, Form::Note, "b", 5)], "b"),
        ];
        for (what, here, there, want) in cases {
            for (a, b) in [(&here, &there), (&there, &here)] {
                let mut mine = Drafts::from_list(a.clone());
                mine.merge(&Drafts::from_list(b.clone()));
                let got = mine.get(&AnnotationId::generate(0, 1), Form::Note).map(|d| d.fields["text"].as_str());
                assert_eq!(got.unwrap_or(""), want, "{what}");
            }
        }
    }

    #[test]
    fn forms_are_apart_and_counted() {
        let mut d = Drafts::from_list(vec![draft(1, Form::Note, "n", 1), draft(1, Form::Review, "r", 2)]);
        let id = AnnotationId::generate(0, 1);
        assert_eq!(d.forms_of(&id), [Form::Note, Form::Review]);
        assert_eq!(d.count(), 2);
        d.clear(&id, Form::Note, 3);
        assert_eq!((d.count(), d.forms_of(&id)), (1, vec![Form::Review]));
        assert!(d.held(&id, Form::Note).is_some_and(|t| !t.is_live() && t.at == 3), "a tombstone stays");
        assert_eq!(d.list().len(), 2);
    }

    fn any_draft() -> impl Strategy<Value = Draft> {
        (0u64..3, 0usize..3, "[ab]{0,2}", 0u64..5).prop_map(|(id, f, t, at)| draft(id, Form::ALL[f], &t, at))
    }

    proptest! {
        /// The merge's laws: however tabs hear of each other, they agree.
        #[test]
        fn merging_is_commutative_associative_idempotent(
            a in prop::collection::vec(any_draft(), 0..6),
            b in prop::collection::vec(any_draft(), 0..6),
            c in prop::collection::vec(any_draft(), 0..6),
        ) {
            let (a, b, c) = (Drafts::from_list(a), Drafts::from_list(b), Drafts::from_list(c));
            let merged = |x: &Drafts, y: &Drafts| { let mut m = x.clone(); m.merge(y); m };
            prop_assert_eq!(merged(&a, &b), merged(&b, &a));
            prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
            prop_assert_eq!(merged(&a, &a), a.clone());
            let mut again = merged(&a, &b);
            prop_assert!(!again.merge(&b), "merging the same copy again changes nothing");
        }
    }
}
