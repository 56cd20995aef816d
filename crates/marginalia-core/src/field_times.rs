//! When each part of an annotation last changed, so that two tabs or two
//! readers who change different parts of one annotation at once both keep
//! theirs: a verdict in one and a note in the other, a tag and a speaker.
//! The merge takes each part from the version that changed it last
//! (schema 7); a version that does not say (older saves, older peers)
//! counts every part as changed when it was.

use crate::annotation::Annotation;
use serde::{Deserialize, Serialize};

/// The parts of an annotation that change on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Tag,
    /// Where it is: its span, its quote and whether it was placed fuzzily.
    Span,
    Note,
    Review,
    Attribution,
}

impl Field {
    pub const ALL: [Field; 5] = [Field::Tag, Field::Span, Field::Note, Field::Review, Field::Attribution];

    /// Whether `a` and `b` agree on this part.
    pub fn same(self, a: &Annotation, b: &Annotation) -> bool {
        match self {
            Field::Tag => a.tag == b.tag,
            Field::Span => a.span == b.span && a.quote == b.quote && a.fuzzy == b.fuzzy,
            Field::Note => a.note == b.note,
            Field::Review => a.review == b.review,
            Field::Attribution => a.attribution == b.attribution,
        }
    }

    /// Makes `to`'s part what `from`'s is.
    pub fn copy(self, from: &Annotation, to: &mut Annotation) {
        match self {
            Field::Tag => to.tag = from.tag.clone(),
            Field::Span => {
                to.span = from.span;
                to.quote = from.quote.clone();
                to.fuzzy = from.fuzzy;
            }
            Field::Note => to.note = from.note.clone(),
            Field::Review => to.review = from.review.clone(),
            Field::Attribution => to.attribution = from.attribution.clone(),
        }
    }

    /// The part as JSON: the fixed order two versions changed at the same
    /// millisecond fall back on, so every side picks the same one.
    fn value(self, a: &Annotation) -> String {
        let json = |v: Result<String, serde_json::Error>| v.unwrap_or_default();
        match self {
            Field::Tag => a.tag.to_string(),
            Field::Span => json(serde_json::to_string(&(a.span, &a.quote, a.fuzzy))),
            Field::Note => a.note.clone(),
            Field::Review => json(serde_json::to_string(&a.review)),
            Field::Attribution => json(serde_json::to_string(&a.attribution)),
        }
    }
}

/// Milliseconds since the epoch at which each part last changed; 0 where it
/// changed when the annotation last did (its `updated`). That is the one
/// way each is written, so two copies that mean the same compare equal,
/// and a save from before schema 7 (no times) means every part changed
/// with the annotation. Boxed, and absent while every part changed with the
/// annotation (most of them): an annotation stays small.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Times", into = "Times")]
pub struct FieldTimes(Option<Box<Times>>);

/// [`FieldTimes`] as written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Times {
    #[serde(skip_serializing_if = "is_zero")]
    tag: u64,
    #[serde(skip_serializing_if = "is_zero")]
    span: u64,
    #[serde(skip_serializing_if = "is_zero")]
    note: u64,
    #[serde(skip_serializing_if = "is_zero")]
    review: u64,
    #[serde(skip_serializing_if = "is_zero")]
    attribution: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl From<Times> for FieldTimes {
    fn from(t: Times) -> FieldTimes {
        FieldTimes((t != Times::default()).then(|| Box::new(t)))
    }
}

impl From<FieldTimes> for Times {
    fn from(t: FieldTimes) -> Times {
        t.0.map(|b| *b).unwrap_or_default()
    }
}

impl Times {
    fn slot(&mut self, f: Field) -> &mut u64 {
        match f {
            Field::Tag => &mut self.tag,
            Field::Span => &mut self.span,
            Field::Note => &mut self.note,
            Field::Review => &mut self.review,
            Field::Attribution => &mut self.attribution,
        }
    }
}

impl FieldTimes {
    pub fn is_unset(&self) -> bool {
        self.0.is_none()
    }

    pub fn get(&self, f: Field) -> u64 {
        self.0.as_deref().map_or(0, |t| *t.clone().slot(f))
    }

    pub fn set(&mut self, f: Field, at: u64) {
        let mut t: Times = std::mem::take(self).into();
        *t.slot(f) = at;
        *self = t.into();
    }

    /// `self` with `f` at `at`.
    pub fn with(mut self, f: Field, at: u64) -> FieldTimes {
        self.set(f, at);
        self
    }

    /// Every part as changed at `at`.
    pub fn all(at: u64) -> FieldTimes {
        Field::ALL.into_iter().fold(FieldTimes::default(), |t, f| t.with(f, at))
    }
}

impl Annotation {
    /// When `f` last changed: its own time, or the annotation's where the
    /// version does not say.
    pub fn changed_at(&self, f: Field) -> u64 {
        match self.times.get(f) {
            0 => self.updated,
            at => at,
        }
    }

    /// The one way its times are written: 0 for a part that changed when
    /// the annotation last did.
    pub fn canonical(mut self) -> Annotation {
        for f in Field::ALL {
            if self.times.get(f) == self.updated {
                self.times.set(f, 0);
            }
        }
        self
    }

    /// This version as an edit of `before` made at `at`: `updated`, and the
    /// time of each part that differs from `before`'s; the others keep
    /// `before`'s.
    pub fn stamped(mut self, before: &Annotation, at: u64) -> Annotation {
        for f in Field::ALL {
            let t = if f.same(&self, before) { before.changed_at(f) } else { at };
            self.times.set(f, t);
        }
        self.updated = at;
        self.canonical()
    }
}

/// Two versions of one annotation as one: each part from the version that
/// changed it last (at the same millisecond, a fixed order of the part's
/// content), the rest from `base`, the version that wins as a whole.
/// Every choice is a maximum, so the merge stays commutative, associative
/// and idempotent.
pub fn combine(a: &Annotation, b: &Annotation, base: &Annotation) -> Annotation {
    let mut out = base.clone();
    for f in Field::ALL {
        let key = |x: &Annotation| x.changed_at(f);
        let from = match key(a).cmp(&key(b)) {
            std::cmp::Ordering::Greater => a,
            std::cmp::Ordering::Less => b,
            std::cmp::Ordering::Equal if f.same(a, b) => a,
            std::cmp::Ordering::Equal => {
                if f.value(a) >= f.value(b) {
                    a
                } else {
                    b
                }
            }
        };
        f.copy(from, &mut out);
        out.times.set(f, from.changed_at(f));
    }
    out.updated = a.updated.max(b.updated);
    out.canonical()
}
