//! The storage codec: what Marginalia writes to localStorage and reads back.
//!
//! Each document's annotations live under their own key, in a versioned
//! envelope `{"schema": 4, "document": "…", "fingerprint": "…",
//! "annotations": […], "deleted": [{"id", "at"}], "drafts": [{"id", "form",
//! "fields", "at"}], "outline": "len.hash …"}`. `outline` (optional) is each
//! paragraph's length and hash, so positions survive an edit of the text
//! made while no widget was looking. `document` is the document key: the host's
//! `documentId`, or else the text's fingerprint. `fingerprint` records the
//! text the annotations were made on. Decoding
//! never gives up on a whole envelope because of one bad item: each item is
//! checked on its own and every refusal is reported, so the shell can tell
//! the reader and keep the raw value rather than overwrite it.

mod current;

pub use current::read_current;

use crate::anchor::place_all;
use crate::annotation::Annotation;
use crate::document::Document;
use crate::drafts::Draft;
use crate::merge::Tombstone;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The envelope version this build writes and reads.
pub const SCHEMA: u32 = 4;

/// The article envelope's version (it has not changed).
const ARTICLE_SCHEMA: u32 = 1;

/// `MIGRATIONS[n - 1]` turns a schema `n` envelope into schema `n + 1`;
/// they run one version at a time, and `tests/fixtures/schema-<n>.json`
/// keeps a value of every past schema to test them on.
const MIGRATIONS: [fn(Value) -> Value; (SCHEMA - 1) as usize] = [v1_to_v2, v2_to_v3, v3_to_v4];

/// Schema 2 added tombstones, so a deletion in one tab is not undone by
/// another tab's older copy.
fn v1_to_v2(mut v: Value) -> Value {
    v["deleted"] = Value::Array(Vec::new());
    v["schema"] = Value::from(2);
    v
}

/// Schema 3 added a claim's `review` and a quote's `attribution`, both
/// optional, so a schema 2 value reads as it is. The number still changes:
/// a schema 2 build must not read a verdict it would drop and then write
/// the annotation back without it.
fn v2_to_v3(mut v: Value) -> Value {
    v["schema"] = Value::from(3);
    v
}

/// Schema 4 added the reader's drafts (what was typed into a form and not
/// saved), so a schema 3 build, which would write the envelope back
/// without them, must not read it.
fn v3_to_v4(mut v: Value) -> Value {
    v["drafts"] = Value::Array(Vec::new());
    v["schema"] = Value::from(4);
    v
}

/// Every key Marginalia owns starts with this; it never touches another.
pub const KEY_PREFIX: &str = "marginalia:v1:";

/// The key of the article the page shows, so a loaded article survives reload.
pub const ARTICLE_KEY: &str = "marginalia:v1:article";

/// The name this browser's reader reviews claims under: asked once.
pub const REVIEWER_KEY: &str = "marginalia:v1:reviewer";

/// The storage key of the suggestions rejected in one document.
pub fn rejected_key(document: &str) -> String {
    format!("{KEY_PREFIX}rejected:{document}")
}

pub fn encode_rejected(rejected: &[crate::suggest::Rejection]) -> String {
    serde_json::to_string(rejected).unwrap_or_default()
}

/// Rejections read leniently: a damaged list only means suggestions come back.
pub fn decode_rejected(raw: &str) -> Vec<crate::suggest::Rejection> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// The storage key of one document's annotations, from its document key.
pub fn annotations_key(document: &str) -> String {
    format!("{KEY_PREFIX}doc:{document}")
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    schema: u32,
    document: &'a str,
    fingerprint: &'a str,
    annotations: &'a [Annotation],
    deleted: &'a [Tombstone],
    drafts: &'a [Draft],
    outline: &'a str,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    document: String,
    annotations: Vec<Value>,
    #[serde(default)]
    deleted: Vec<Value>,
    #[serde(default)]
    drafts: Vec<Value>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    outline: Option<String>,
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
    /// Annotations whose quote could not be found again: kept, never drawn.
    pub orphaned: Vec<Annotation>,
    /// How many of `anchored` had to move to follow an edit of the text.
    pub moved: usize,
    /// Deletions, so another copy cannot bring them back.
    pub deleted: Vec<Tombstone>,
    /// What the reader typed and did not save, tombstones included.
    pub drafts: Vec<Draft>,
    /// One line per item that could not be read, saying which and why.
    pub refused: Vec<String>,
}

pub fn encode_annotations(
    document: &str,
    doc: &Document,
    annotations: &[Annotation],
    deleted: &[Tombstone],
    drafts: &[Draft],
) -> String {
    let fingerprint = doc.fingerprint().as_str();
    let outline = &crate::anchor::outline(doc);
    let out = EnvelopeOut { schema: SCHEMA, document, fingerprint, annotations, deleted, drafts, outline };
    // Serialising plain structs of strings and integers cannot fail.
    serde_json::to_string(&out).unwrap_or_default()
}

/// Reads the envelope of document key `document`. Each annotation is checked
/// against the text it is applied to: one whose quote is no longer at its
/// span (the host's article changed) is re-anchored, or else orphaned,
/// never dropped.
pub fn decode_annotations(raw: &str, document: &str, doc: &Document) -> Result<Decoded, CodecError> {
    let (schema, value) = parse(raw)?;
    if schema > u64::from(SCHEMA) {
        return Err(CodecError::NewerSchema(u32::try_from(schema).unwrap_or(u32::MAX)));
    }
    let mut value = value;
    for migration in MIGRATIONS.iter().skip(usize::try_from(schema).unwrap_or(1).saturating_sub(1)) {
        value = migration(value);
    }
    read_envelope(value, document, doc)
}

/// A value written by a newer schema, read as far as this version
/// understands it, to show read-only; `None` if not even that works.
pub fn peek_newer(raw: &str, document: &str, doc: &Document) -> Option<Decoded> {
    let (_, value) = parse(raw).ok()?;
    read_envelope(value, document, doc).ok()
}

fn parse(raw: &str) -> Result<(u64, Value), CodecError> {
    let value: Value = serde_json::from_str(raw).map_err(|e| CodecError::Malformed(e.to_string()))?;
    let schema = value
        .get("schema")
        .and_then(Value::as_u64)
        .filter(|&s| s >= 1)
        .ok_or_else(|| CodecError::Malformed("no schema number".into()))?;
    Ok((schema, value))
}

fn read_envelope(value: Value, document: &str, doc: &Document) -> Result<Decoded, CodecError> {
    let envelope: EnvelopeIn = serde_json::from_value(value).map_err(|e| CodecError::Malformed(e.to_string()))?;
    if envelope.document != document {
        return Err(CodecError::WrongDocument { expected: document.into(), found: envelope.document });
    }
    let mut decoded = Decoded::default();
    let mut items = Vec::new();
    for (i, item) in envelope.annotations.into_iter().enumerate() {
        match serde_json::from_value::<Annotation>(item) {
            Ok(a) => items.push(a),
            Err(e) => decoded.refused.push(format!("item {}: {e}", i + 1)),
        }
    }
    let placed = place_saved(doc, envelope.fingerprint.as_deref(), envelope.outline.as_deref(), items);
    (decoded.anchored, decoded.orphaned, decoded.moved) = (placed.anchored, placed.orphaned, placed.moved);
    // A tombstone that cannot be read is dropped: it protects nothing valid.
    decoded.deleted = envelope.deleted.into_iter().filter_map(|t| serde_json::from_value(t).ok()).collect();
    for (i, d) in envelope.drafts.into_iter().enumerate() {
        match serde_json::from_value::<Draft>(d) {
            Ok(d) => decoded.drafts.push(d),
            Err(e) => decoded.refused.push(format!("draft {}: {e}", i + 1)),
        }
    }
    Ok(decoded)
}

/// Places saved annotations in `doc`. When the text changed since they were
/// saved (its fingerprint is another) and the saved value has the outline
/// of the text they were saved on, they are carried through that edit
/// paragraph by paragraph first (`Shift::from_outline`), so an edit made
/// while no widget was looking moves no highlight onto another copy of its
/// words; else by the anchoring rules alone.
pub(crate) fn place_saved(
    doc: &Document,
    fingerprint: Option<&str>,
    outline: Option<&str>,
    items: Vec<Annotation>,
) -> crate::anchor::Placed {
    let changed = fingerprint.is_some_and(|f| f != doc.fingerprint().as_str());
    match outline.filter(|_| changed).and_then(|o| crate::anchor::Shift::from_outline(o, doc)) {
        Some(shift) => crate::anchor::place_shifted(doc, &shift, items, Vec::new()),
        None => place_all(doc, items),
    }
}

pub fn encode_article(doc: &Document) -> String {
    let paragraphs = doc.paragraphs().iter().map(|p| p.text().to_string()).collect();
    serde_json::to_string(&ArticleEnvelope { schema: ARTICLE_SCHEMA, paragraphs }).unwrap_or_default()
}

pub fn decode_article(raw: &str) -> Result<Document, CodecError> {
    let envelope: ArticleEnvelope = serde_json::from_str(raw).map_err(|e| CodecError::Malformed(e.to_string()))?;
    if envelope.schema > ARTICLE_SCHEMA {
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
    use crate::tag::{Tag, TagSet};

    fn claim() -> Tag {
        Tag::parse("claim").expect("valid")
    }

    fn quote() -> Tag {
        Tag::parse("quote").expect("valid")
    }
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog")
    }

    fn key(doc: &Document) -> String {
        doc.fingerprint().to_string()
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
        let anns = vec![ann(&d, 1, 0, 8, claim()), ann(&d, 2, 11, 20, quote())];
        let raw = encode_annotations("story-42", &d, &anns, &[], &[]);
        let value: Value = serde_json::from_str(&raw).expect("json");
        assert_eq!(value["schema"], SCHEMA);
        assert_eq!(value["document"], "story-42");
        assert_eq!(value["fingerprint"], d.fingerprint().as_str());
        let back = decode_annotations(&raw, "story-42", &d).expect("decodes");
        assert_eq!(back.anchored, anns);
        assert!(back.orphaned.is_empty() && back.refused.is_empty());
    }

    #[test]
    fn table_of_bad_values() {
        let d = doc();
        let fp = key(&d);
        type Expect = fn(&CodecError) -> bool;
        let cases: &[(&str, Expect)] = &[
            ("not json", |e| matches!(e, CodecError::Malformed(_))),
            ("[]", |e| matches!(e, CodecError::Malformed(_))),
            (r#"{"schema":"1"}"#, |e| matches!(e, CodecError::Malformed(_))),
            (r#"{"schema":5,"whatever":true}"#, |e| matches!(e, CodecError::NewerSchema(5))),
            (r#"{"schema":0}"#, |e| matches!(e, CodecError::Malformed(_))),
            (r#"{"schema":2,"document":"another","annotations":[]}"#, |e| {
                matches!(e, CodecError::WrongDocument { .. })
            }),
        ];
        for (raw, is_expected) in cases {
            let err = decode_annotations(raw, &fp, &d).expect_err(raw);
            assert!(is_expected(&err), "{raw}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
        // A good envelope with one bad item keeps the good one.
        let good = serde_json::to_value(ann(&d, 1, 0, 8, claim())).expect("value");
        let raw = serde_json::json!({"schema": 2, "document": fp, "annotations": [good, {"id": "x"}]}).to_string();
        let back = decode_annotations(&raw, &fp, &d).expect("decodes");
        assert_eq!(back.anchored.len(), 1);
        assert_eq!(back.refused.len(), 1);
        assert!(back.refused[0].starts_with("item 2"), "{:?}", back.refused);
    }

    #[test]
    fn a_quote_that_no_longer_matches_is_orphaned_not_dropped() {
        let d = doc();
        let mut a = ann(&d, 1, 0, 8, claim());
        a.quote.exact = "Zqxjwvkp".into();
        let raw = encode_annotations(&key(&d), &d, std::slice::from_ref(&a), &[], &[]);
        let back = decode_annotations(&raw, &key(&d), &d).expect("decodes");
        assert_eq!(back.orphaned, vec![a]);
        assert!(back.anchored.is_empty());
    }

    #[test]
    fn a_host_document_id_survives_an_edit_of_its_text() {
        let before = doc();
        let a = ann(&before, 1, 0, 8, claim());
        let raw = encode_annotations("story-42", &before, std::slice::from_ref(&a), &[], &[]);
        // The host corrected a later paragraph: same id, new fingerprint.
        let after = Document::from_text("Headline 😀\n“We will,” she said on Monday.\nPictured: a dog");
        assert_ne!(before.fingerprint(), after.fingerprint());
        let back = decode_annotations(&raw, "story-42", &after).expect("decodes");
        assert_eq!(back.anchored, vec![a]);
        assert_eq!(back.moved, 0);
    }

    #[test]
    fn annotations_follow_an_edit_of_the_text() {
        let before = doc();
        let a = ann(&before, 1, 11, 21, quote()); // “We will,”
        let raw = encode_annotations("story-42", &before, std::slice::from_ref(&a), &[], &[]);
        let after = Document::from_text("Breaking\nHeadline 😀\n“We will,” she said.\nPictured: a dog");
        let back = decode_annotations(&raw, "story-42", &after).expect("decodes");
        assert_eq!(back.moved, 1);
        assert_eq!(after.slice(back.anchored[0].span.start(), back.anchored[0].span.end()), "“We will,”");
        assert!(back.anchored[0].is_anchored_in(&after));
    }

    #[test]
    fn every_past_schema_fixture_migrates() {
        // The fixture's document, written by schema 1 before tombstones.
        let d = Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog");
        let raw = include_str!("../../tests/fixtures/schema-1.json");
        let back = decode_annotations(raw, "story-42", &d).expect("a schema 1 value still reads");
        let got: Vec<(&str, &str, &str)> =
            back.anchored.iter().map(|a| (a.id.as_str(), a.tag.as_str(), a.quote.exact.as_str())).collect();
        assert_eq!(got, [("a1-1", "claim", "Headline"), ("a1-2", "quote", "“We will,”")]);
        assert!(back.deleted.is_empty() && back.refused.is_empty() && back.orphaned.is_empty());
        // Schema 2: tombstones, no reviews yet.
        let raw = include_str!("../../tests/fixtures/schema-2.json");
        let back = decode_annotations(raw, "story-42", &d).expect("a schema 2 value still reads");
        assert_eq!(back.anchored.len(), 2);
        assert_eq!(back.deleted.len(), 1);
        assert!(back.anchored.iter().all(|a| a.review.is_none() && a.attribution.is_none()));
        // Schema 3: a claim's review and a quote's speaker; no drafts yet.
        let d = Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog");
        let raw = include_str!("../../tests/fixtures/schema-3.json");
        let back = decode_annotations(raw, "story-42", &d).expect("a schema 3 value still reads");
        let verdict = back.anchored[0].review.as_ref().and_then(|r| r.verdict.clone());
        let speaker = back.anchored[1].attribution.as_ref().map(|a| a.speaker.clone());
        assert_eq!((verdict.as_deref(), speaker.as_deref()), (Some("false"), Some("Jo Mayor")));
        assert!(back.drafts.is_empty() && back.refused.is_empty() && back.deleted.len() == 1);
        // Written back, it is schema 4, and reads the same.
        let again = encode_annotations("story-42", &d, &back.anchored, &back.deleted, &back.drafts);
        assert!(again.starts_with(r#"{"schema":4,"#));
        assert_eq!(decode_annotations(&again, "story-42", &d).map(|b| b.anchored), Ok(back.anchored));
        assert_eq!(MIGRATIONS.len() as u32, SCHEMA - 1, "one migration per past schema");
    }

    #[test]
    fn drafts_round_trip_and_a_bad_one_is_reported() {
        let d = doc();
        let draft = crate::drafts::Draft {
            id: AnnotationId::generate(1, 2),
            form: crate::drafts::Form::Review,
            fields: [("explanation".to_string(), "Half of it <b>typed</b>".to_string())].into(),
            at: 77,
        };
        let raw = encode_annotations("k", &d, &[], &[], std::slice::from_ref(&draft));
        assert_eq!(decode_annotations(&raw, "k", &d).expect("decodes").drafts, vec![draft.clone()]);
        let mut value: Value = serde_json::from_str(&raw).expect("json");
        value["drafts"].as_array_mut().expect("list").push(serde_json::json!({"id": "x", "form": "poem"}));
        let back = decode_annotations(&value.to_string(), "k", &d).expect("decodes");
        assert_eq!(back.drafts, vec![draft]);
        assert_eq!(back.refused.len(), 1, "{:?}", back.refused);
        assert!(back.refused[0].starts_with("draft 2"));
    }

    /// Saved on one text, read on the text the host edited meanwhile (a
    /// paragraph inserted above a caption printed twice): the outline
    /// carries each highlight to its own copy; without it, context cannot
    /// tell the copies apart and the old position picks the wrong one.
    #[test]
    fn an_edit_made_while_no_widget_looked_is_followed_through_the_outline() {
        let caption = "Pictured: the barrier at Millbridge, seen from the north bank of the River Wendle in November";
        let old = Document::from_text(&format!("Headline\n{caption}\n{caption}\nEnd."));
        let note = "An editor's note of about sixty characters, added this morning.";
        let new = Document::from_text(&format!("Headline\n{note}\n{caption}\n{caption}\nEnd."));
        let text = old.text();
        let second = text.match_indices("north bank").nth(1).map(|(b, _)| text[..b].chars().count()).expect("twice");
        let a = ann(&old, 1, second, second + 10, claim());
        let raw = encode_annotations("story", &old, std::slice::from_ref(&a), &[], &[]);
        let new_text = new.text();
        let copies: Vec<usize> =
            new_text.match_indices("north bank").map(|(b, _)| new_text[..b].chars().count()).collect();
        let placed = |raw: &str| decode_annotations(raw, "story", &new).expect("decodes").anchored[0].span.start();
        assert_eq!(placed(&raw), copies[1], "the second copy, as saved");
        assert_eq!(read_current(&raw, "story", &new).map(|d| d.anchored[0].span.start()), Some(copies[1]));
        let mut value: Value = serde_json::from_str(&raw).expect("json");
        value.as_object_mut().expect("object").remove("outline");
        assert_eq!(placed(&value.to_string()), copies[0], "without the outline, the nearer copy");
    }

    #[test]
    fn tombstones_round_trip() {
        let d = doc();
        let t = Tombstone { id: crate::annotation::AnnotationId::generate(1, 2), at: 77 };
        let raw = encode_annotations("k", &d, &[], std::slice::from_ref(&t), &[]);
        assert_eq!(decode_annotations(&raw, "k", &d).expect("decodes").deleted, vec![t]);
    }

    #[test]
    fn a_newer_schema_can_still_be_peeked_at() {
        let d = doc();
        let a = ann(&d, 1, 0, 8, claim());
        let raw = serde_json::json!({"schema": 9, "document": "k", "annotations": [a], "newThing": {}}).to_string();
        assert_eq!(decode_annotations(&raw, "k", &d), Err(CodecError::NewerSchema(9)));
        assert_eq!(peek_newer(&raw, "k", &d).map(|p| p.anchored.len()), Some(1));
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
        let a = annotations_key(Document::from_text("one").fingerprint().as_str());
        let b = annotations_key(Document::from_text("two").fingerprint().as_str());
        assert!(a.starts_with(KEY_PREFIX) && b.starts_with(KEY_PREFIX));
        assert_ne!(a, b);
    }

    proptest! {
        #[test]
        fn the_decoder_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let d = doc();
            let raw = String::from_utf8_lossy(&bytes);
            let _ = decode_annotations(&raw, "k", &d);
            let _ = peek_newer(&raw, "k", &d);
            let _ = decode_article(&raw);
        }

        #[test]
        fn the_decoder_never_panics_on_envelope_shaped_junk(
            junk in r#"\{"schema":[0-9],"document":"k","annotations":\[(\{"id":"a","span":\{"start":[0-9]{1,3},"end":[0-9]{1,3}\},"tag":"claim","quote":\{"exact":"[a-z]{0,5}","prefix":"","suffix":""\},"created":1,"updated":1\},?){0,3}\]\}"#,
        ) {
            let _ = decode_annotations(&junk, "k", &doc());
        }

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
                    Some(Annotation::new(&d, AnnotationId::generate(n, n), span, TagSet::standard().defs()[t].tag.clone(), n >> 11))
                })
                .collect();
            let back = decode_annotations(&encode_annotations(&key(&d), &d, &anns, &[], &[]), &key(&d), &d).expect("decodes");
            prop_assert_eq!(back.anchored, anns);
            prop_assert_eq!(decode_article(&encode_article(&d)).ok(), Some(d));
        }
    }
}
