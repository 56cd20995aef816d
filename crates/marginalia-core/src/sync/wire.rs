//! One annotation, or one deletion, as a CouchDB document, and back: what
//! the server sends is untrusted, so every document is size-capped and
//! shape-checked, and an annotation is read with the same checks as an
//! imported or stored one (its id, tag and span; its note's length).

use crate::annotation::{Annotation, AnnotationId, NOTE_LIMIT};
use crate::merge::Tombstone;
use serde_json::{json, Map, Value};

/// The largest document read from the server, in bytes of JSON: a note at
/// its limit with a full review fits many times over; more is an attack
/// or a fault, never a reader's work.
pub const MAX_DOC_BYTES: usize = 256 * 1024;
/// The longest `_rev` taken: CouchDB's are `N-` and 32 hex digits.
const MAX_REV: usize = 256;
/// The marker of our documents, and the version of their shape.
const SHAPE: u64 = 1;

/// What one document holds: an annotation as it is now, or its deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Live(Annotation),
    Gone(Tombstone),
}

impl Entry {
    pub fn id(&self) -> &AnnotationId {
        match self {
            Entry::Live(a) => &a.id,
            Entry::Gone(t) => &t.id,
        }
    }

    /// When it was last changed (ms since the epoch).
    pub fn stamp(&self) -> u64 {
        match self {
            Entry::Live(a) => a.updated,
            Entry::Gone(t) => t.at,
        }
    }
}

/// The `_id` of an annotation's document: the document key and the
/// annotation id, so one database can hold many articles. Never starts
/// with `_` (CouchDB reserves those).
pub fn doc_id(document: &str, id: &AnnotationId) -> String {
    format!("marginalia:{document}:{id}")
}

/// The document for an entry, with the revision it replaces (none for a
/// first write).
/// A version's fingerprint: two versions of one annotation that differ in
/// anything, even made in the same millisecond, differ here.
pub fn version_of(entry: &Entry) -> u64 {
    crate::document::fnv1a(to_doc("", entry, None).to_string().as_bytes())
}

pub fn to_doc(document: &str, entry: &Entry, rev: Option<&str>) -> Value {
    let mut doc = Map::new();
    doc.insert("_id".into(), Value::String(doc_id(document, entry.id())));
    if let Some(rev) = rev {
        doc.insert("_rev".into(), Value::String(rev.into()));
    }
    doc.insert("marginalia".into(), json!(SHAPE));
    doc.insert("document".into(), Value::String(document.into()));
    match entry {
        // Serialising plain structs of strings and integers cannot fail.
        Entry::Live(a) => doc.insert("annotation".into(), serde_json::to_value(a).unwrap_or(Value::Null)),
        // With what it was when deleted, so every replica merges a revival
        // with the same knowledge (see `Tombstone::last`).
        Entry::Gone(t) => doc.insert("deleted".into(), serde_json::to_value(t).unwrap_or(Value::Null)),
    };
    Value::Object(doc)
}

/// A document read from the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub rev: String,
    pub entry: Entry,
    /// The revisions in conflict with this one (`_conflicts`), to resolve.
    pub conflicts: Vec<String>,
}

/// Why a document from the server was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Another article's, a design document, or one deleted outright: not
    /// ours to read, and nothing lost by leaving it.
    NotOurs,
    /// Ours, but damaged or hostile: said to the reader, and left on the
    /// server untouched.
    Refused(String),
}

/// Reads one document of `document`'s annotations.
pub fn from_doc(value: &Value, document: &str) -> Result<Incoming, Skip> {
    let refuse = |why: &str| Err(Skip::Refused(why.to_string()));
    let Some(obj) = value.as_object() else { return refuse("not an object") };
    let id = obj.get("_id").and_then(Value::as_str).unwrap_or("");
    let prefix = format!("marginalia:{document}:");
    let Some(annotation_id) = id.strip_prefix(prefix.as_str()) else { return Err(Skip::NotOurs) };
    if obj.get("_deleted").and_then(Value::as_bool) == Some(true) {
        return Err(Skip::NotOurs);
    }
    if obj.get("document").and_then(Value::as_str) != Some(document) || obj.get("marginalia") != Some(&json!(SHAPE)) {
        return refuse(&format!("{id}: not a Marginalia annotation of this article"));
    }
    if serde_json::to_string(value).map_or(true, |s| s.len() > MAX_DOC_BYTES) {
        return refuse(&format!("{id}: larger than {} KB", MAX_DOC_BYTES / 1024));
    }
    let rev = match obj.get("_rev").and_then(Value::as_str) {
        Some(r) if !r.is_empty() && r.len() <= MAX_REV => r.to_string(),
        _ => return refuse(&format!("{id}: no revision")),
    };
    let conflicts = match obj.get("_conflicts") {
        None => Vec::new(),
        Some(Value::Array(revs)) => {
            let revs: Vec<String> =
                revs.iter().filter_map(Value::as_str).filter(|r| r.len() <= MAX_REV).map(str::to_string).collect();
            revs
        }
        Some(_) => return refuse(&format!("{id}: malformed conflicts")),
    };
    let entry = match (obj.get("annotation"), obj.get("deleted")) {
        (Some(a), None) => {
            let a: Annotation = serde_json::from_value(a.clone()).map_err(|e| Skip::Refused(format!("{id}: {e}")))?;
            if a.note.chars().count() > NOTE_LIMIT {
                return refuse(&format!("{id}: note longer than {NOTE_LIMIT} characters"));
            }
            Entry::Live(a)
        }
        (None, Some(t)) => {
            let t: Tombstone = serde_json::from_value(t.clone()).map_err(|e| Skip::Refused(format!("{id}: {e}")))?;
            Entry::Gone(t)
        }
        _ => return refuse(&format!("{id}: neither an annotation nor a deletion")),
    };
    // A document may not speak for another annotation than its `_id` names.
    if entry.id().as_str() != annotation_id {
        return refuse(&format!("{id}: holds another annotation ({})", entry.id()));
    }
    Ok(Incoming { rev, entry, conflicts })
}
