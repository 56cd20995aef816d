//! Merging two copies of one document's annotations — this tab's and what
//! another tab (or widget) saved — so that concurrent edits lose nothing.
//!
//! A last-writer-wins set, per part: annotations are matched by id, and
//! each part of one (tag, place, note, review, speaker) comes from the
//! version that changed it last, so a verdict set in one tab and a note in
//! another are both kept; a deletion leaves a tombstone with its time,
//! which beats any version of that annotation not updated after it. The merge is
//! commutative, associative and idempotent, so the order in which tabs hear
//! of each other does not matter.

use crate::annotation::{Annotation, AnnotationId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A deletion: the annotation `id` was deleted at `at` (ms since the epoch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: AnnotationId,
    pub at: u64,
    /// What it was when deleted, every copy heard of merged in (schema 7):
    /// a copy revived later (an undo, an edit racing the deletion) is then
    /// merged part by part with all that was known, whichever copies met
    /// first, so the merge stays associative. Absent in older saves and
    /// while it is live again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Box<Annotation>>,
}

impl Tombstone {
    /// `id` deleted at `at`, as `last` was.
    pub fn of(id: AnnotationId, at: u64, last: Option<&Annotation>) -> Tombstone {
        Tombstone { id, at, last: last.map(|a| Box::new(a.clone().canonical())) }
    }
}

/// One side of a merge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replica {
    pub annotations: Vec<Annotation>,
    pub deleted: Vec<Tombstone>,
}

/// How two versions of one annotation order: the later update, then a
/// fixed order on the content, down to the whole of it, so every side
/// (another tab, the sync server) picks the same one.
pub(crate) fn version_order(a: &Annotation, b: &Annotation) -> std::cmp::Ordering {
    let key = |x: &Annotation| (x.updated, x.tag.clone(), x.span, x.created, x.note.clone());
    key(a).cmp(&key(b)).then_with(|| {
        // Versions alike in all of that differ in a review or an
        // attribution: their JSON decides (serialising cannot fail).
        let json = |x: &Annotation| serde_json::to_string(x).unwrap_or_default();
        if a == b {
            std::cmp::Ordering::Equal
        } else {
            json(a).cmp(&json(b))
        }
    })
}

/// Two versions of one annotation as one: each part (tag, place, note,
/// review, speaker) from the version that changed it last, the rest from
/// the version that wins as a whole (see [`crate::field_times`]).
fn later(a: &Annotation, b: &Annotation) -> Annotation {
    let base = if version_order(b, a).is_gt() { b } else { a };
    crate::field_times::combine(a, b, base)
}

/// Whether version `x` outlives its id's deletion at `deleted_at`: a
/// version updated after it (an undo, or an edit racing a delete)
/// survives; the tombstone stays for older copies elsewhere.
pub(crate) fn live(x: &Annotation, deleted_at: Option<u64>) -> bool {
    live_at(x.updated, deleted_at)
}

/// [`live`] of a version updated at `updated`.
pub(crate) fn live_at(updated: u64, deleted_at: Option<u64>) -> bool {
    deleted_at.is_none_or(|at| updated > at)
}

pub fn merge(a: &Replica, b: &Replica) -> Replica {
    let mut deleted: BTreeMap<&AnnotationId, u64> = BTreeMap::new();
    for t in a.deleted.iter().chain(&b.deleted) {
        let at = deleted.entry(&t.id).or_insert(t.at);
        *at = (*at).max(t.at);
    }
    // Every version of each id joined, the deleted ones' last versions too.
    let mut joined: BTreeMap<&AnnotationId, Annotation> = BTreeMap::new();
    let lasts = a.deleted.iter().chain(&b.deleted).filter_map(|t| t.last.as_deref());
    for x in a.annotations.iter().chain(&b.annotations).chain(lasts) {
        match joined.get_mut(&x.id) {
            Some(kept) => *kept = later(kept, x),
            None => {
                joined.insert(&x.id, x.clone().canonical());
            }
        }
    }
    let live = |x: &Annotation| live(x, deleted.get(&x.id).copied());
    let deleted = deleted
        .iter()
        .map(|(&id, &at)| {
            let last = joined.get(id).filter(|x| !live(x)).map(|x| Box::new(x.clone()));
            Tombstone { id: id.clone(), at, last }
        })
        .collect();
    let annotations = joined.into_values().filter(|x| live(x)).collect();
    Replica { annotations, deleted }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::span::Span;
    use crate::tag::Tag;
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("abcdefghijklmnopqrstuvwxyz")
    }

    fn ann(id: u64, start: usize, tag: &str, updated: u64) -> Annotation {
        let mut a = Annotation::new(
            &doc(),
            AnnotationId::generate(0, id),
            Span::new(start, start + 3).expect("valid"),
            Tag::parse(tag).expect("valid"),
            1,
        );
        a.updated = updated;
        a
    }

    fn ids(r: &Replica) -> Vec<(String, String, u64)> {
        r.annotations.iter().map(|a| (a.id.to_string(), a.tag.to_string(), a.updated)).collect()
    }

    #[test]
    fn table_of_two_tab_scenarios() {
        let x = ann(1, 0, "claim", 10);
        // Both tabs add their own annotation: both kept.
        let a = Replica { annotations: vec![x.clone(), ann(2, 5, "quote", 20)], deleted: vec![] };
        let b = Replica { annotations: vec![x.clone(), ann(3, 9, "caption", 21)], deleted: vec![] };
        assert_eq!(merge(&a, &b).annotations.len(), 3);
        // Both retag the same one: the later edit wins, on both sides.
        let a = Replica { annotations: vec![ann(1, 0, "quote", 30)], deleted: vec![] };
        let b = Replica { annotations: vec![ann(1, 0, "caption", 31)], deleted: vec![] };
        assert_eq!(ids(&merge(&a, &b)), ids(&merge(&b, &a)));
        assert_eq!(merge(&a, &b).annotations[0].tag.as_str(), "caption");
        // One deletes what the other still has: deleted, and stays deleted.
        let tomb = Tombstone { id: x.id.clone(), at: 40, last: None };
        let a = Replica { annotations: vec![], deleted: vec![tomb.clone()] };
        let b = Replica { annotations: vec![x.clone()], deleted: vec![] };
        let m = merge(&a, &b);
        assert!(m.annotations.is_empty());
        // The tombstone keeps what it deleted.
        assert_eq!(m.deleted, vec![Tombstone::of(x.id.clone(), 40, Some(&x))]);
        // An edit after the deletion brings it back (undo of a delete).
        let revived = ann(1, 0, "quote", 50);
        let m = merge(&a, &Replica { annotations: vec![revived.clone()], deleted: vec![] });
        assert_eq!(m.annotations, vec![revived]);
    }

    #[test]
    fn table_of_parts_changed_at_once() {
        // Both tabs start from one claim saved at 10.
        let base = ann(1, 0, "claim", 10);
        let edit = |f: &dyn Fn(&mut Annotation), at: u64| {
            let mut x = base.clone();
            f(&mut x);
            x.stamped(&base, at)
        };
        let verdict = |x: &mut Annotation| {
            x.review = Some(Box::new(crate::review::Review { verdict: Some("false".into()), ..Default::default() }))
        };
        let note = |x: &mut Annotation| x.note = "Ask the clerk".into();
        // One tab sets a verdict, the other a note, at once: both kept,
        // whichever is heard first.
        let a = Replica { annotations: vec![edit(&verdict, 20)], deleted: vec![] };
        let b = Replica { annotations: vec![edit(&note, 21)], deleted: vec![] };
        for m in [merge(&a, &b), merge(&b, &a)] {
            let x = &m.annotations[0];
            assert_eq!(
                (x.note.as_str(), x.review.as_ref().and_then(|r| r.verdict.as_deref())),
                ("Ask the clerk", Some("false"))
            );
            assert_eq!(x.updated, 21);
        }
        // A tag and a place: both kept.
        let retag = |x: &mut Annotation| x.tag = Tag::parse("quote").expect("valid");
        let moved = |x: &mut Annotation| x.span = Span::new(2, 5).expect("valid");
        let m = merge(
            &Replica { annotations: vec![edit(&retag, 30)], deleted: vec![] },
            &Replica { annotations: vec![edit(&moved, 25)], deleted: vec![] },
        );
        assert_eq!((m.annotations[0].tag.as_str(), m.annotations[0].span), ("quote", Span::new(2, 5).expect("valid")));
        // The same part changed in both: the later change wins.
        let other_note = |x: &mut Annotation| x.note = "Call the council".into();
        let m = merge(
            &Replica { annotations: vec![edit(&note, 40)], deleted: vec![] },
            &Replica { annotations: vec![edit(&other_note, 41)], deleted: vec![] },
        );
        assert_eq!(m.annotations[0].note, "Call the council");
        // A copy from before part times (an older save or peer) counts
        // every part as changed when it was: a later note still wins.
        let old = Annotation { note: "Old".into(), updated: 15, ..base.clone() };
        let m = merge(
            &Replica { annotations: vec![old], deleted: vec![] },
            &Replica { annotations: vec![edit(&verdict, 20)], deleted: vec![] },
        );
        assert_eq!((m.annotations[0].note.as_str(), m.annotations[0].review.is_some()), ("Old", true));
    }

    fn replica() -> impl Strategy<Value = Replica> {
        // Versions of a few ids, each with a tag, a place, a note and the
        // times its parts changed, some before and some after its `updated`
        // was last set by a change to another part.
        let anns = prop::collection::vec((0u64..6, 0usize..20, 0usize..3, 1u64..50, 0usize..3, 0u64..50), 0..6);
        let dels = prop::collection::vec((0u64..6, 0u64..50), 0..3);
        (anns, dels).prop_map(|(anns, dels)| {
            let tags = ["claim", "quote", "caption"];
            let notes = ["", "check", "ask"];
            let mut seen = std::collections::HashSet::new();
            Replica {
                // One version per id within a replica, as in storage.
                annotations: anns
                    .into_iter()
                    .filter(|(id, ..)| seen.insert(*id))
                    .map(|(id, s, t, u, n, nt)| {
                        let mut x = ann(id, s, tags[t], u);
                        x.note = notes[n].into();
                        // A part's time is never after the whole's.
                        x.times.set(crate::field_times::Field::Note, nt.min(u));
                        x.canonical()
                    })
                    .collect(),
                deleted: dels
                    .into_iter()
                    .map(|(id, at)| Tombstone { id: AnnotationId::generate(0, id), at, last: None })
                    .collect(),
            }
        })
    }

    fn canonical(r: Replica) -> Replica {
        // merge with an empty replica sorts and dedups.
        merge(&r, &Replica::default())
    }

    proptest! {
        #[test]
        fn merge_is_commutative(a in replica(), b in replica()) {
            prop_assert_eq!(merge(&a, &b), merge(&b, &a));
        }

        #[test]
        fn merge_is_idempotent(a in replica()) {
            let once = canonical(a);
            prop_assert_eq!(merge(&once, &once), once.clone());
        }

        #[test]
        fn merge_is_associative(a in replica(), b in replica(), c in replica()) {
            prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
        }

        #[test]
        fn no_part_changed_later_is_lost(a in replica(), b in replica()) {
            let m = merge(&a, &b);
            for x in a.annotations.iter().chain(&b.annotations) {
                if let Some(y) = m.annotations.iter().find(|y| y.id == x.id) {
                    for f in crate::field_times::Field::ALL {
                        prop_assert!(y.changed_at(f) >= x.changed_at(f), "{:?} of {} went back", f, x.id);
                        if y.changed_at(f) == x.changed_at(f) && f == crate::field_times::Field::Note {
                            // Two notes changed at once: one is kept whole.
                            prop_assert!(a.annotations.iter().chain(&b.annotations).any(|z| z.note == y.note));
                        }
                    }
                }
            }
        }

        #[test]
        fn nothing_undeleted_is_lost(a in replica(), b in replica()) {
            let m = merge(&a, &b);
            for x in a.annotations.iter().chain(&b.annotations) {
                let deleted_after = m.deleted.iter().any(|t| t.id == x.id && t.at >= x.updated);
                let kept = m.annotations.iter().any(|y| y.id == x.id && y.updated >= x.updated);
                prop_assert!(kept || deleted_after, "{} lost", x.id);
            }
        }
    }
}
