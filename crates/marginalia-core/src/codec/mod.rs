//! The storage codec: what Marginalia writes to localStorage and reads back.
//!
//! Each document's annotations live under their own key, in a versioned
//! envelope `{"schema": 8, "document": "…", "fingerprint": "…",
//! "annotations": […], "deleted": [{"id", "at"}], "drafts": [{"id", "form",
//! "fields", "at"}], "outline": "len.hash …"}`. `outline` (optional) is each
//! paragraph's length and hash, so positions survive an edit of the text
//! made while no widget was looking. `document` is the document key: the host's
//! `documentId`, or else the text's fingerprint. `fingerprint` records the
//! text the annotations were made on. Decoding
//! never gives up on a whole envelope because of one bad item: each item is
//! checked on its own and every refusal is reported, so the shell can tell
//! the reader and keep the raw value rather than overwrite it.
//!
//! Beside the envelope, `log.rs`: what each save since the envelope was
//! last written whole changed, under a key of its own.

mod current;
mod log;

#[cfg(test)]
pub(crate) use current::read_current;
pub use current::{read_saved, Deletion, Gone, Item, Mark, MarkQuote, Marks, Saved, Version};
pub use log::{compact_at, entry, header, log_key, read_log, Log};

use crate::anchor::place_all;
use crate::annotation::Annotation;
use crate::document::Document;
use crate::drafts::Draft;
use crate::merge::Tombstone;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The envelope version this build writes and reads.
pub const SCHEMA: u32 = 8;

/// The article envelope's version (it has not changed).
const ARTICLE_SCHEMA: u32 = 1;

/// `MIGRATIONS[n - 1]` turns a schema `n` envelope into schema `n + 1`;
/// they run one version at a time, and `tests/fixtures/schema-<n>.json`
/// keeps a value of every past schema to test them on.
const MIGRATIONS: [fn(Value) -> Value; (SCHEMA - 1) as usize] =
    [v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5, v5_to_v6, v6_to_v7, v7_to_v8];

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

/// Schema 5 added what a review says about the claim (`review.claim`: the
/// claimant, the claim's date, other appearances), optional, so a schema 4
/// value reads as it is; the number changes so that a schema 4 build does
/// not read them and write the review back without them.
fn v4_to_v5(mut v: Value) -> Value {
    v["schema"] = Value::from(5);
    v
}

/// Schema 6 keeps why the rules suggested an accepted annotation beside it
/// (`suggestedBecause`), where schema 5 wrote it as the note. A schema 5
/// note is left as it is: the reader may have written it since, and no
/// rule can tell the two apart.
fn v5_to_v6(mut v: Value) -> Value {
    v["schema"] = Value::from(6);
    v
}

/// Schema 7 added when each part of an annotation last changed
/// (`fieldTimes`), so that changes to different parts made at once in two
/// tabs are both kept. A schema 6 annotation has none: every part changed
/// when it did, which is what no times mean, so it reads as it is. The
/// number changes so that a schema 6 build, which would write the times
/// away, does not read it.
fn v6_to_v7(mut v: Value) -> Value {
    v["schema"] = Value::from(7);
    v
}

/// Schema 8 added the log beside the envelope (`log.rs`): a save writes
/// what changed there, and the envelope alone is no longer all that is
/// stored. A schema 7 value has no log, and reads as it is; the number
/// changes so that a schema 7 build, which would read the envelope
/// without the log and show an old state, holds it read-only instead.
fn v7_to_v8(mut v: Value) -> Value {
    v["schema"] = Value::from(8);
    v
}

/// Every key Marginalia owns starts with this; it never touches another.
pub const KEY_PREFIX: &str = "marginalia:v1:";

/// The key of the article the page shows, so a loaded article survives reload.
pub const ARTICLE_KEY: &str = "marginalia:v1:article";

/// The name this browser's reader reviews claims under: asked once.
pub const REVIEWER_KEY: &str = "marginalia:v1:reviewer";

/// The key a document's annotations are saved under: the host's
/// `documentId`, else the text's fingerprint. The annotator and the first
/// paint both go through here, so they read and write the same key.
pub fn document_key(document_id: Option<&str>, doc: &Document) -> String {
    document_id.map_or_else(|| doc.fingerprint().to_string(), str::to_string)
}

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
    /// The fingerprint and outline of the text they were saved on (a
    /// log beside the envelope is placed through them too).
    pub fingerprint: Option<String>,
    pub outline: Option<String>,
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
    (decoded.fingerprint, decoded.outline) = (envelope.fingerprint, envelope.outline);
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

/// A log's items (`read_log`) as one copy, placed in `doc` like the
/// envelope's: through the envelope's outline (`base`: the fingerprint and
/// outline it was saved with) when the log was written on its text.
pub fn place_log(log: Log, doc: &Document, base: (Option<&str>, Option<&str>)) -> Decoded {
    let joined = crate::merge::merge(
        &crate::merge::Replica { annotations: log.annotations, deleted: log.deleted },
        &crate::merge::Replica::default(),
    );
    let outline = base.1.filter(|_| base.0 == Some(log.fingerprint.as_str()));
    let placed = place_saved(doc, Some(&log.fingerprint), outline, joined.annotations);
    Decoded {
        anchored: placed.anchored,
        orphaned: placed.orphaned,
        moved: placed.moved,
        deleted: joined.deleted,
        drafts: crate::drafts::Drafts::from_list(log.drafts).list(),
        refused: log.refused,
        fingerprint: Some(log.fingerprint),
        outline: None,
    }
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
mod tests;
