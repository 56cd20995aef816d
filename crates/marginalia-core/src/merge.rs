//! Merging two copies of one document's annotations — this tab's and what
//! another tab (or widget) saved — so that concurrent edits lose nothing.
//!
//! A last-writer-wins set: annotations are matched by id and the later
//! `updated` wins; a deletion leaves a tombstone with its time, which beats
//! any version of that annotation not updated after it. The merge is
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

/// Which of two versions of one annotation wins.
fn later<'a>(a: &'a Annotation, b: &'a Annotation) -> &'a Annotation {
    if version_order(b, a).is_gt() {
        b
    } else {
        a
    }
}

pub fn merge(a: &Replica, b: &Replica) -> Replica {
    let mut deleted: BTreeMap<&AnnotationId, u64> = BTreeMap::new();
    for t in a.deleted.iter().chain(&b.deleted) {
        let at = deleted.entry(&t.id).or_insert(t.at);
        *at = (*at).max(t.at);
    }
    let mut live: BTreeMap<&AnnotationId, &Annotation> = BTreeMap::new();
    for x in a.annotations.iter().chain(&b.annotations) {
        live.entry(&x.id).and_modify(|kept| *kept = later(kept, x)).or_insert(x);
    }
    // A version updated after its deletion (an undo, or an edit racing a
    // delete) survives; the tombstone stays for older copies elsewhere.
    let annotations =
        live.into_values().filter(|x| deleted.get(&x.id).is_none_or(|&at| x.updated > at)).cloned().collect();
    let deleted = deleted.into_iter().map(|(id, at)| Tombstone { id: id.clone(), at }).collect();
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
        let tomb = Tombstone { id: x.id.clone(), at: 40 };
        let a = Replica { annotations: vec![], deleted: vec![tomb.clone()] };
        let b = Replica { annotations: vec![x.clone()], deleted: vec![] };
        let m = merge(&a, &b);
        assert!(m.annotations.is_empty());
        assert_eq!(m.deleted, vec![tomb.clone()]);
        // An edit after the deletion brings it back (undo of a delete).
        let revived = ann(1, 0, "quote", 50);
        let m = merge(&a, &Replica { annotations: vec![revived.clone()], deleted: vec![] });
        assert_eq!(m.annotations, vec![revived]);
    }

    fn replica() -> impl Strategy<Value = Replica> {
        let anns = prop::collection::vec((0u64..6, 0usize..20, 0usize..3, 0u64..50), 0..6);
        let dels = prop::collection::vec((0u64..6, 0u64..50), 0..3);
        (anns, dels).prop_map(|(anns, dels)| {
            let tags = ["claim", "quote", "caption"];
            let mut seen = std::collections::HashSet::new();
            Replica {
                // One version per id within a replica, as in storage.
                annotations: anns
                    .into_iter()
                    .filter(|(id, ..)| seen.insert(*id))
                    .map(|(id, s, t, u)| ann(id, s, tags[t], u))
                    .collect(),
                deleted: dels.into_iter().map(|(id, at)| Tombstone { id: AnnotationId::generate(0, id), at }).collect(),
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
