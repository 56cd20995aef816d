//! The suggestions the panel shows: what is left for the reader to decide,
//! and the same as annotations to paint.

use marginalia_core::suggest::{pending, Rejection, Suggestion};
use marginalia_core::{Annotation, AnnotationId, Document, Tag, TagSet};

/// The lowest of `indices`: where the next suggestion moves up to.
pub(super) fn first(indices: &[usize]) -> usize {
    indices.iter().copied().min().unwrap_or(0)
}

/// `list` without the entries at `indices` (one pass: "accept all" on
/// 1 MB names 10,000 of them).
pub(super) fn without<T: Clone>(list: &[T], indices: &[usize]) -> Vec<T> {
    let mut gone = vec![false; list.len()];
    for &i in indices {
        if let Some(g) = gone.get_mut(i) {
            *g = true;
        }
    }
    list.iter().zip(gone).filter(|(_, g)| !g).map(|(s, _)| s.clone()).collect()
}

/// What of `found` the reader still has to decide: not already annotated
/// with the same tag, not rejected in this document, and of a tag this
/// widget has. The panel and the handle's `suggest()` both show this list,
/// so a suggestion's index (its `s-N` id) is the same in both.
pub fn left_to_decide(
    found: Vec<Suggestion>,
    annotations: &[Annotation],
    rejected: &[Rejection],
    tags: &TagSet,
) -> Vec<Suggestion> {
    pending(found, annotations, rejected)
        .into_iter()
        .filter(|s| Tag::parse(s.kind.tag_id()).is_some_and(|t| tags.get(&t).is_some()))
        .collect()
}

/// Pending suggestions as annotations to draw, with ids no saved one can
/// have: one for each, in the same order (the list's indices are the
/// marks'), as `left_to_decide` keeps only suggestions of a tag there is.
pub(super) fn suggestion_marks(doc: &Document, pending: &[Suggestion]) -> Vec<Annotation> {
    pending
        .iter()
        .filter_map(|s| {
            let tag = Tag::parse(s.kind.tag_id())?;
            Some(Annotation::new(doc, AnnotationId::suggestion(&tag, s.span), s.span, tag, 0))
        })
        .collect()
}
