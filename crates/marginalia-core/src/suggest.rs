//! Suggestions as the model knows them: what the rules propose (`Kind`,
//! `Suggestion`, `Confidence`), what the reader rejected (`Rejection`), and
//! what is left to decide (`pending`). The rules themselves are the
//! `marginalia-suggest` crate, built for speed apart from the size-built rest.

use crate::annotation::Annotation;
use crate::span::Span;
use serde::{Deserialize, Serialize};

pub mod wire;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Claim,
    Quote,
    Caption,
}

impl Kind {
    /// The standard tag id this kind suggests.
    pub fn tag_id(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Quote => "quote",
            Kind::Caption => "caption",
        }
    }
}

/// How a quote suggestion's note names the speaker the rules found.
pub const SPEAKER_NOTE: &str = "Speaker: ";

/// The speaker an accepted quote suggestion's note names, if it still
/// does: what the attribution editor offers first, for the reader to confirm.
pub fn speaker_in_note(note: &str) -> Option<&str> {
    let name = note.strip_prefix(SPEAKER_NOTE)?.trim();
    (!name.is_empty() && !name.contains('\n')).then_some(name)
}

/// How sure the rules are. "Accept all" takes the high ones unless the
/// reader asks for the low ones too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Low,
    #[default]
    High,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "high confidence",
            Confidence::Low => "low confidence",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: Kind,
    pub span: Span,
    /// Why, for the reader: the speaker of a quote, the cue of a claim.
    pub note: String,
    pub confidence: Confidence,
}

/// A suggestion the reader rejected, remembered for the document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rejection {
    pub tag: String,
    pub start: usize,
    pub end: usize,
}

impl Rejection {
    pub fn of(s: &Suggestion) -> Rejection {
        Rejection { tag: s.kind.tag_id().to_string(), start: s.span.start(), end: s.span.end() }
    }
}

/// The suggestions still to show: not rejected, and not overlapping an
/// annotation of the same tag (never a duplicate of the reader's own).
pub fn pending(found: Vec<Suggestion>, annotations: &[Annotation], rejected: &[Rejection]) -> Vec<Suggestion> {
    let tagged = Tagged::new(annotations);
    found.into_iter().filter(|s| !rejected.contains(&Rejection::of(s))).filter(|s| !tagged.covers(s)).collect()
}

/// Where in `pending` (already decided to show) a suggestion is now
/// overlapped by an annotation of its tag, in order: what an edit of the
/// reader's settled. `pending`'s rule for one list that is already
/// filtered, without copying it: an edit on 1 MB asks this of 10,000
/// suggestions, and only the settled ones leave.
pub fn settled(pending: &[Suggestion], annotations: &[Annotation]) -> Vec<usize> {
    let tagged = Tagged::new(annotations);
    pending.iter().enumerate().filter(|(_, s)| tagged.covers(s)).map(|(i, _)| i).collect()
}

/// The spans of the annotations of each kind's tag.
struct Tagged([(Kind, Covered); 3]);

impl Tagged {
    fn new(annotations: &[Annotation]) -> Tagged {
        let of =
            |k: Kind| (k, Covered::new(annotations.iter().filter(|a| a.tag.as_str() == k.tag_id()).map(|a| a.span)));
        Tagged([of(Kind::Quote), of(Kind::Caption), of(Kind::Claim)])
    }

    /// Whether an annotation of `s`'s tag overlaps it.
    fn covers(&self, s: &Suggestion) -> bool {
        self.0.iter().any(|(k, covered)| *k == s.kind && covered.overlaps(s.span.start(), s.span.end()))
    }
}

/// Spans sorted by start with the running maximum of their ends, so
/// "does any overlap [start, end)?" is one binary search, not a scan: on
/// 1 MB the scan was 10,000 suggestions × 10,000 annotations per edit.
struct Covered {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covered {
    fn new(spans: impl Iterator<Item = Span>) -> Covered {
        let mut spans: Vec<Span> = spans.collect();
        spans.sort_unstable_by_key(|s| s.start());
        let starts = spans.iter().map(|s| s.start()).collect();
        let max_end = spans
            .iter()
            .scan(0, |m, s| {
                *m = (*m).max(s.end());
                Some(*m)
            })
            .collect();
        Covered { starts, max_end }
    }

    /// Whether a span with `s.start < end && start < s.end` exists.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let before_end = self.starts.partition_point(|&s| s < end);
        before_end > 0 && self.max_end[before_end - 1] > start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::document::Document;
    use crate::tag::Tag;

    proptest::proptest! {
        /// The binary search answers exactly what a scan of every span would.
        #[test]
        fn covered_agrees_with_a_scan(
            spans in proptest::collection::vec((0usize..200, 1usize..40), 0..30),
            probe in (0usize..220, 1usize..40),
        ) {
            let spans: Vec<Span> = spans.iter().filter_map(|&(s, l)| Span::new(s, s + l).ok()).collect();
            let (start, end) = (probe.0, probe.0 + probe.1);
            let scan = spans.iter().any(|s| s.overlaps(start, end));
            proptest::prop_assert_eq!(Covered::new(spans.into_iter()).overlaps(start, end), scan);
        }
    }

    fn found(kind: Kind, start: usize, end: usize) -> Suggestion {
        let span = Span::new(start, end).expect("valid");
        Suggestion { kind, span, note: String::new(), confidence: Confidence::High }
    }

    #[test]
    fn pending_drops_rejected_and_already_tagged() {
        let doc = Document::from_text("H\n“We will act now,” she said on Monday, 3 May.");
        let quote = found(Kind::Quote, 2, 21);
        let claim = found(Kind::Claim, 2, 48);
        let both = vec![quote.clone(), claim.clone()];
        let tag = |id: &str| Tag::parse(id).expect("valid");
        let mine = |id: &str| {
            Annotation::new(&doc, AnnotationId::generate(0, 0), Span::new(3, 21).expect("valid"), tag(id), 0)
        };
        // A quote of the reader's own over the suggested quote hides it, and
        // only it: the claim is another tag.
        assert_eq!(pending(both.clone(), &[mine("quote")], &[]), vec![claim.clone()]);
        assert_eq!(pending(both.clone(), &[mine("caption")], &[]), both);
        assert_eq!(pending(both.clone(), &[], &[Rejection::of(&claim)]), vec![quote]);
        // A rejection is of that very span: a longer claim still shows.
        let other = found(Kind::Claim, 2, 40);
        assert_eq!(pending(vec![other.clone()], &[], &[Rejection::of(&claim)]), vec![other]);
    }

    /// `settled` names exactly what `pending` would drop from a list it
    /// already passed, in order.
    #[test]
    fn settled_is_what_pending_drops() {
        let doc = Document::from_text("H\n“We will act now,” she said on Monday, 3 May. Taxes rose 4%.");
        let list = vec![found(Kind::Quote, 2, 21), found(Kind::Claim, 2, 48), found(Kind::Claim, 49, 64)];
        let tag = |id: &str| Tag::parse(id).expect("valid");
        let mine = |id: &str, start: usize, end: usize| {
            Annotation::new(&doc, AnnotationId::generate(0, 0), Span::new(start, end).expect("valid"), tag(id), 0)
        };
        let cases: [(Vec<Annotation>, Vec<usize>); 5] = [
            (vec![], vec![]),
            // Another tag over it settles nothing.
            (vec![mine("caption", 2, 64)], vec![]),
            (vec![mine("quote", 3, 10)], vec![0]),
            // One claim over both claims, touching neither's outside.
            (vec![mine("claim", 40, 55)], vec![1, 2]),
            // Ends that only meet do not overlap.
            (vec![mine("claim", 48, 49), mine("quote", 21, 30)], vec![]),
        ];
        for (annotations, want) in cases {
            assert_eq!(settled(&list, &annotations), want, "{annotations:?}");
            let kept: Vec<Suggestion> =
                list.iter().enumerate().filter(|(i, _)| !want.contains(i)).map(|(_, s)| s.clone()).collect();
            assert_eq!(pending(list.clone(), &annotations, &[]), kept);
        }
    }

    #[test]
    fn the_speaker_a_note_names() {
        let cases: [(&str, Option<&str>); 5] = [
            ("Speaker: Jane Doe", Some("Jane Doe")),
            ("Speaker:  Ana Ruiz ", Some("Ana Ruiz")),
            ("Speaker: ", None),
            ("Reader's note: Speaker: X", None),
            ("Speaker: two\nlines", None),
        ];
        for (note, want) in cases {
            assert_eq!(speaker_in_note(note), want, "{note:?}");
        }
    }
}
