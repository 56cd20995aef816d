//! The storage codec: what Marginalia writes to localStorage and reads back.
//!
//! Each document's annotations live under their own key, in a versioned
//! envelope `{"schema": 1, "fingerprint": "…", "annotations": […]}`. Decoding
//! never gives up on a whole envelope because of one bad item: each item is
//! checked on its own and every refusal is reported, so the shell can tell
//! the reader and keep the raw value rather than overwrite it.

use crate::annotation::Annotation;
use crate::document::{Document, Fingerprint};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The envelope version this build writes and reads.
pub const SCHEMA: u32 = 1;

/// Every key Marginalia owns starts with this; it never touches another.
pub const KEY_PREFIX: &str = "marginalia:v1:";

/// The key of the article the page shows, so a loaded article survives reload.
pub const ARTICLE_KEY: &str = "marginalia:v1:article";

/// The key of one document's annotations.
pub fn annotations_key(fingerprint: &Fingerprint) -> String {
    format!("{KEY_PREFIX}doc:{fingerprint}")
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    schema: u32,
    fingerprint: &'a str,
    annotations: &'a [Annotation],
}

#[derive(Deserialize)]
struct EnvelopeIn {
    schema: u32,
    fingerprint: String,
    annotations: Vec<Value>,
}

#[derive(Serialize, Deserialize)]
struct ArticleEnvelope {
    schema: u32,
    paragraphs: Vec<String>,
}

/// Why a stored value could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecError {
    /// Not JSON, or not an envelope.
    Malformed(String),
    /// Written by a newer Marginalia; left untouched so no data is lost.
    NewerSchema(u32),
    /// The envelope belongs to another document.
    WrongDocument { expected: String, found: String },
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Malformed(why) => write!(f, "the saved data is damaged ({why})"),
            CodecError::NewerSchema(v) => {
                write!(f, "the saved data is from a newer version of Marginalia (schema {v}); it was left as it is")
            }
            CodecError::WrongDocument { expected, found } => {
                write!(f, "the saved data belongs to another article ({found}, not {expected})")
            }
        }
    }
}

impl std::error::Error for CodecError {}

/// What was read from an envelope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Annotations whose quote is still the text at their span.
    pub anchored: Vec<Annotation>,
    /// Annotations whose quote no longer matches: kept, never drawn.
    pub orphaned: Vec<Annotation>,
    /// One line per item that could not be read, saying which and why.
    pub refused: Vec<String>,
}

pub fn encode_annotations(fingerprint: &Fingerprint, annotations: &[Annotation]) -> String {
    let out = EnvelopeOut { schema: SCHEMA, fingerprint: fingerprint.as_str(), annotations };
    // Serialising plain structs of strings and integers cannot fail.
    serde_json::to_string(&out).unwrap_or_default()
}

pub fn decode_annotations(raw: &str, doc: &Document) -> Result<Decoded, CodecError> {
    let schema = serde_json::from_str::<Value>(raw)
        .map_err(|e| CodecError::Malformed(e.to_string()))?
        .get("schema")
        .and_then(Value::as_u64)
        .ok_or_else(|| CodecError::Malformed("no schema number".into()))?;
    if schema > u64::from(SCHEMA) {
        return Err(CodecError::NewerSchema(u32::try_from(schema).unwrap_or(u32::MAX)));
    }
    let envelope: EnvelopeIn = serde_json::from_str(raw).map_err(|e| CodecError::Malformed(e.to_string()))?;
    debug_assert_eq!(envelope.schema, SCHEMA);
    let expected = doc.fingerprint().as_str();
    if envelope.fingerprint != expected {
        return Err(CodecError::WrongDocument { expected: expected.into(), found: envelope.fingerprint });
    }
    let mut decoded = Decoded::default();
    for (i, item) in envelope.annotations.into_iter().enumerate() {
        match serde_json::from_value::<Annotation>(item) {
            Ok(a) if a.is_anchored_in(doc) => decoded.anchored.push(a),
            Ok(a) => decoded.orphaned.push(a),
            Err(e) => decoded.refused.push(format!("item {}: {e}", i + 1)),
        }
    }
    Ok(decoded)
}

pub fn encode_article(doc: &Document) -> String {
    let paragraphs = doc.paragraphs().iter().map(|p| p.text().to_string()).collect();
    serde_json::to_string(&ArticleEnvelope { schema: SCHEMA, paragraphs }).unwrap_or_default()
}

pub fn decode_article(raw: &str) -> Result<Document, CodecError> {
    let envelope: ArticleEnvelope = serde_json::from_str(raw).map_err(|e| CodecError::Malformed(e.to_string()))?;
    if envelope.schema > SCHEMA {
        return Err(CodecError::NewerSchema(envelope.schema));
    }
    let doc = Document::from_paragraphs(&envelope.paragraphs);
    if doc.is_empty() {
        return Err(CodecError::Malformed("the article has no text".into()));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::span::Span;
    use crate::tag::Tag;
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog")
    }

    fn ann(doc: &Document, i: u64, start: usize, end: usize, tag: Tag) -> Annotation {
        Annotation::new(
            doc,
            AnnotationId::generate(1_700_000_000_000 + i, i),
            Span::new(start, end).expect("valid"),
            tag,
            1_700_000_000_000 + i,
        )
    }

    #[test]
    fn envelope_round_trips_and_is_versioned() {
        let d = doc();
        let anns = vec![ann(&d, 1, 0, 8, Tag::Claim), ann(&d, 2, 11, 20, Tag::Quote)];
        let raw = encode_annotations(d.fingerprint(), &anns);
        let value: Value = serde_json::from_str(&raw).expect("json");
        assert_eq!(value["schema"], 1);
        assert_eq!(value["fingerprint"], d.fingerprint().as_str());
        let back = decode_annotations(&raw, &d).expect("decodes");
        assert_eq!(back.anchored, anns);
        assert!(back.orphaned.is_empty() && back.refused.is_empty());
    }

    #[test]
    fn table_of_bad_values() {
        let d = doc();
        let fp = d.fingerprint().as_str();
        type Expect = fn(&CodecError) -> bool;
        let cases: &[(&str, Expect)] = &[
            ("not json", |e| matches!(e, CodecError::Malformed(_))),
            ("[]", |e| matches!(e, CodecError::Malformed(_))),
            (r#"{"schema":"1"}"#, |e| matches!(e, CodecError::Malformed(_))),
            (r#"{"schema":2,"whatever":true}"#, |e| matches!(e, CodecError::NewerSchema(2))),
            (r#"{"schema":1,"fingerprint":"0000000000000000","annotations":[]}"#, |e| {
                matches!(e, CodecError::WrongDocument { .. })
            }),
        ];
        for (raw, is_expected) in cases {
            let err = decode_annotations(raw, &d).expect_err(raw);
            assert!(is_expected(&err), "{raw}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
        // A good envelope with one bad item keeps the good one.
        let good = serde_json::to_value(ann(&d, 1, 0, 8, Tag::Claim)).expect("value");
        let raw = serde_json::json!({"schema": 1, "fingerprint": fp, "annotations": [good, {"id": "x"}]}).to_string();
        let back = decode_annotations(&raw, &d).expect("decodes");
        assert_eq!(back.anchored.len(), 1);
        assert_eq!(back.refused.len(), 1);
        assert!(back.refused[0].starts_with("item 2"), "{:?}", back.refused);
    }

    #[test]
    fn a_quote_that_no_longer_matches_is_orphaned_not_dropped() {
        let d = doc();
        let mut a = ann(&d, 1, 0, 8, Tag::Claim);
        a.quote.exact = "Deadline".into();
        let raw = encode_annotations(d.fingerprint(), std::slice::from_ref(&a));
        let back = decode_annotations(&raw, &d).expect("decodes");
        assert_eq!(back.orphaned, vec![a]);
        assert!(back.anchored.is_empty());
    }

    #[test]
    fn article_round_trips() {
        let d = doc();
        assert_eq!(decode_article(&encode_article(&d)), Ok(d));
        assert!(decode_article(r#"{"schema":1,"paragraphs":["  "]}"#).is_err());
        assert!(decode_article("{").is_err());
    }

    #[test]
    fn keys_are_namespaced_by_fingerprint() {
        let a = annotations_key(Document::from_text("one").fingerprint());
        let b = annotations_key(Document::from_text("two").fingerprint());
        assert!(a.starts_with(KEY_PREFIX) && b.starts_with(KEY_PREFIX));
        assert_ne!(a, b);
    }

    proptest! {
        #[test]
        fn codec_round_trips_any_annotations(
            lines in prop::collection::vec("[a-z😀東ש \"<>]{1,12}", 1..4),
            picks in prop::collection::vec((0usize..60, 1usize..10, 0usize..3, any::<u64>()), 0..8),
        ) {
            let d = Document::from_paragraphs(&lines);
            prop_assume!(!d.is_empty());
            let anns: Vec<Annotation> = picks
                .iter()
                .filter_map(|&(s, w, t, n)| {
                    let span = Span::new(s, (s + w).min(d.len())).ok()?;
                    Some(Annotation::new(&d, AnnotationId::generate(n, n), span, Tag::ALL[t], n >> 11))
                })
                .collect();
            let back = decode_annotations(&encode_annotations(d.fingerprint(), &anns), &d).expect("decodes");
            prop_assert_eq!(back.anchored, anns);
            prop_assert_eq!(decode_article(&encode_article(&d)).ok(), Some(d));
        }
    }
}
