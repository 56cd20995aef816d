//! The fast path of [`decode_annotations`](super::decode_annotations): an
//! envelope of the current schema, for this document, whose every item and
//! tombstone reads, decoded straight into its types by the small reader in
//! `json/`. The migrations and the per-item reports need `serde_json` and
//! its generic `Value`; a module that only paints (`marginalia-first-paint`)
//! calls this instead and carries none of it. Anything else is `None`, and
//! the full decode says what is wrong.

use super::{Decoded, SCHEMA};
use crate::annotation::Annotation;
use crate::document::Document;
use crate::drafts::Draft;
use crate::merge::Tombstone;
use serde::Deserialize;

#[derive(Deserialize)]
struct Current {
    schema: u32,
    document: String,
    annotations: Vec<Annotation>,
    #[serde(default)]
    deleted: Vec<Tombstone>,
    #[serde(default)]
    drafts: Vec<Draft>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    outline: Option<String>,
}

/// What [`decode_annotations`](super::decode_annotations) gives for `raw`,
/// when it is a current envelope of `document` that reads whole.
pub fn read_current(raw: &str, document: &str, doc: &Document) -> Option<Decoded> {
    let envelope: Current = crate::json::from_str(raw)?;
    if envelope.schema != SCHEMA || envelope.document != document {
        return None;
    }
    let placed =
        super::place_saved(doc, envelope.fingerprint.as_deref(), envelope.outline.as_deref(), envelope.annotations);
    Some(Decoded {
        anchored: placed.anchored,
        orphaned: placed.orphaned,
        moved: placed.moved,
        deleted: envelope.deleted,
        drafts: envelope.drafts,
        refused: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{decode_annotations, encode_annotations};
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::span::Span;
    use crate::tag::TagSet;
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog")
    }

    fn ann(d: &Document, i: u64, start: usize, end: usize) -> Annotation {
        let tag = TagSet::standard().defs()[0].tag.clone();
        Annotation::new(d, AnnotationId::generate(i, i), Span::new(start, end).expect("span"), tag, i)
    }

    #[test]
    fn what_it_reads_and_what_it_leaves_to_the_full_decode() {
        let d = doc();
        let good = encode_annotations("k", &d, &[ann(&d, 1, 0, 8), ann(&d, 2, 11, 20)], &[], &[]);
        let moved = {
            let edited = Document::from_text("New first line\nHeadline 😀\n“We will,” she said.\nPictured: a dog");
            encode_annotations("k", &edited, &[ann(&edited, 1, 15, 23)], &[], &[])
        };
        let one_bad = good.replacen(r#""tag":"claim""#, r#""tag":"Not A Tag""#, 1);
        // (value, read by the fast path)
        let cases: &[(&str, bool)] = &[
            (&good, true),
            (&moved, true),
            (r#"{"schema":7,"document":"k","annotations":[]}"#, true),
            (include_str!("../../tests/fixtures/schema-1.json"), false),
            (include_str!("../../tests/fixtures/schema-2.json"), false),
            (include_str!("../../tests/fixtures/schema-3.json"), false),
            (include_str!("../../tests/fixtures/schema-4.json"), false),
            (include_str!("../../tests/fixtures/schema-5.json"), false),
            (include_str!("../../tests/fixtures/schema-6.json"), false),
            (r#"{"schema":8,"document":"k","annotations":[]}"#, false),
            (r#"{"schema":7,"document":"another","annotations":[]}"#, false),
            (&one_bad, false),
            ("not json", false),
            ("", false),
        ];
        for (raw, read) in cases {
            let fast = read_current(raw, "k", &d);
            assert_eq!(fast.is_some(), *read, "{raw}");
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), decode_annotations(raw, "k", &d), "{raw}");
            }
        }
    }

    proptest! {
        #[test]
        fn it_agrees_with_the_full_decode_wherever_it_reads(
            lines in prop::collection::vec("[a-z😀東ש \"<>]{1,12}", 1..4),
            picks in prop::collection::vec((0usize..60, 1usize..10), 0..8),
            edit in "[a-z ]{0,6}",
        ) {
            let d = Document::from_paragraphs(&lines);
            prop_assume!(!d.is_empty());
            let anns: Vec<Annotation> = picks
                .iter()
                .enumerate()
                .filter_map(|(i, &(s, w))| {
                    let span = Span::new(s, (s + w).min(d.len())).ok()?;
                    Some(ann(&d, i as u64 + 1, span.start(), span.end()))
                })
                .collect();
            let raw = encode_annotations("k", &d, &anns, &[], &[]);
            // Read against the text as written, and as edited since.
            let mut edited_lines = lines.clone();
            edited_lines[0].insert_str(0, &edit);
            for text in [d.clone(), Document::from_paragraphs(&edited_lines)] {
                prop_assert_eq!(read_current(&raw, "k", &text).map(Ok), Some(decode_annotations(&raw, "k", &text)));
            }
        }
    }
}
