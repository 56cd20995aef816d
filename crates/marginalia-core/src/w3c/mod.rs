//! W3C Web Annotation JSON-LD: annotations out, and in again.
//!
//! Out: one `Annotation` per highlight, its tag as a `TextualBody` with
//! purpose `tagging`, its target a `TextQuoteSelector` plus a
//! `TextPositionSelector` counted in code points over the document text.
//!
//! In: an item is anchored by its selectors (see [`crate::anchor`]), never
//! by trusting offsets blindly.

use crate::anchor::{percent, Anchored, How, Selectors, Text};
use crate::annotation::{Annotation, AnnotationId, TextQuote};
use crate::document::{Document, Fingerprint};
use crate::review::Scale;
use crate::tag::{Tag, TagSet};
use crate::time::{parse_rfc3339, to_rfc3339};
use serde_json::{json, Map, Value};
use std::rc::Rc;

mod bodies;
mod stream;
pub use stream::{import_array, Imported};

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
pub(crate) const ANNOTATION_IRI: &str = "urn:marginalia:annotation:";
const DOCUMENT_IRI: &str = "urn:marginalia:document:";

/// The IRI of a document key: the key itself when it is already an absolute
/// IRI (a host's canonical URL), else a `urn:marginalia:document:` name.
pub fn source_iri(document: &str) -> String {
    if is_absolute_iri(document) {
        document.to_string()
    } else {
        format!("{DOCUMENT_IRI}{}", percent_encode(document))
    }
}

fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else { return false };
    !rest.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && text.chars().all(|c| c.is_ascii_graphic())
}

/// `text` percent-encoded, every byte but RFC 3986's unreserved ones (for
/// a URN, a URL path segment or a query value).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The W3C agent for what the suggestions engine proposed.
pub fn software_agent() -> Value {
    json!({ "id": "urn:marginalia:software:suggest", "type": "Software", "name": "Marginalia suggestions" })
}

/// One annotation as a W3C Web Annotation object.
pub fn to_w3c(a: &Annotation, source: &str) -> Value {
    to_w3c_rated(a, source, &Scale::default())
}

/// [`to_w3c`] with verdicts labelled from `scale` (a host's own).
pub fn to_w3c_rated(a: &Annotation, source: &str, scale: &Scale) -> Value {
    let mut out = plain_w3c(a, source, scale);
    if a.suggested {
        out["creator"] = software_agent();
        out["generator"] = software_agent();
    }
    out
}

fn plain_w3c(a: &Annotation, source: &str, scale: &Scale) -> Value {
    json!({
        "@context": CONTEXT,
        "id": format!("{ANNOTATION_IRI}{}", a.id),
        "type": "Annotation",
        "created": to_rfc3339(a.created),
        "modified": to_rfc3339(a.updated),
        "body": body(a, scale),
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.quote.exact,
                    "prefix": a.quote.prefix,
                    "suffix": a.quote.suffix,
                },
                { "type": "TextPositionSelector", "start": a.span.start(), "end": a.span.end() },
            ],
        },
    })
}

/// The tag as a tagging body, and the note, if any, as a commenting body.
fn body(a: &Annotation, scale: &Scale) -> Value {
    let mut body = vec![json!({ "type": "TextualBody", "purpose": "tagging", "value": a.tag.as_str() })];
    if !a.note.is_empty() {
        body.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/plain" }));
    }
    body.extend(bodies::bodies_of(a, scale));
    if a.suggested && !a.suggested_because.is_empty() {
        body.push(reason_body(&a.suggested_because));
    }
    Value::Array(body)
}

/// Why the rules suggested an annotation, as W3C: a `classifying` body
/// (the software classified the text, e.g. as holding numbers) whose
/// creator is the suggestions software, never a `commenting` body, which
/// is the reader's note.
fn reason_body(reason: &str) -> Value {
    json!({ "type": "TextualBody", "purpose": "classifying", "value": reason, "format": "text/plain",
            "creator": software_agent() })
}

/// The reason a [`reason_body`] carries, if the item has one.
fn reason_of(body: Option<&Value>) -> String {
    bodies_in(body)
        .into_iter()
        .filter(|b| b.get("purpose").and_then(Value::as_str) == Some("classifying"))
        .filter(|b| b.get("creator").and_then(|c| c.get("type")).and_then(Value::as_str) == Some("Software"))
        .find_map(|b| b.get("value")?.as_str())
        .map(|r| r.trim().chars().take(200).collect())
        .unwrap_or_default()
}

/// An item's bodies, one or many.
fn bodies_in(body: Option<&Value>) -> Vec<&Value> {
    match body {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

/// The first commenting body's text: the note, kept as plain text.
fn note_of(body: Option<&Value>) -> String {
    bodies_in(body)
        .into_iter()
        .filter(|b| b.get("purpose").and_then(Value::as_str) == Some("commenting"))
        .find_map(|b| b.get("value")?.as_str())
        .map(|note| note.chars().take(crate::annotation::NOTE_LIMIT).collect())
        .unwrap_or_default()
}

/// Anchors W3C annotations in one document. Built once per batch, since it
/// holds the document text for quote search.
pub struct Importer<'a> {
    doc: &'a Document,
    text: Rc<Text>,
    now_ms: u64,
    tags: Option<&'a TagSet>,
    /// The verdicts a review may give (the standard scale when `None`).
    scale: Option<&'a Scale>,
}

/// Why one item was refused.
pub type Refusal = String;

/// A batch being imported item by item ([`Importer::importing`]): an id
/// seen earlier in the batch refuses the later item.
pub struct Importing<'i, 'a> {
    importer: &'i Importer<'a>,
    seen: std::collections::HashSet<AnnotationId>,
    /// Made once: the standard scale is a list of owned ratings.
    standard: Scale,
}

impl Importing<'_, '_> {
    /// The next item of the batch, anchored, or why not.
    pub fn next(&mut self, item: &Value) -> Result<(Annotation, Anchored), Unplaced> {
        let scale = self.importer.scale.unwrap_or(&self.standard);
        let (a, how) = self.importer.import_one(item, scale)?;
        if self.seen.insert(a.id.clone()) {
            Ok((a, how))
        } else {
            Err(Unplaced::refused(format!("the id {} appears twice", a.id)))
        }
    }
}

impl<'a> Importer<'a> {
    pub fn new(doc: &'a Document, now_ms: u64) -> Importer<'a> {
        Importer::sharing(doc, Rc::new(Text::new(doc)), now_ms)
    }

    /// With the anchoring text (and its index) of `doc` built earlier: a
    /// host adding one annotation at a time pays for it once per document.
    pub fn sharing(doc: &'a Document, text: Rc<Text>, now_ms: u64) -> Importer<'a> {
        Importer { doc, text, now_ms, tags: None, scale: None }
    }

    /// Accept only tags of `tags`, matching ids and labels case-insensitively
    /// (files from other tools write `Claim`); an item's first such tag wins.
    /// Read verdicts on this scale (a host's `ratings`), by id or label.
    pub fn with_scale(mut self, scale: &'a Scale) -> Importer<'a> {
        self.scale = Some(scale);
        self
    }

    pub fn with_tags(mut self, tags: &'a TagSet) -> Importer<'a> {
        self.tags = Some(tags);
        self
    }

    /// Every item anchored, or the reason it was refused, in input order.
    /// An id seen earlier in the batch refuses the later item.
    pub fn import_all(&self, items: &[Value]) -> Vec<Result<Annotation, Refusal>> {
        self.import_reported(items).into_iter().map(|r| r.map(|(a, _)| a).map_err(|u| u.reason)).collect()
    }

    /// As [`Importer::import_all`], saying how each item was anchored (what
    /// the import report gives a host), or whether it was refused for want
    /// of its text (orphaned) or for its shape.
    pub fn import_reported(&self, items: &[Value]) -> Vec<Result<(Annotation, Anchored), Unplaced>> {
        self.import_each(items.iter())
    }

    /// As [`Importer::import_reported`], over borrowed items (a batch's,
    /// not copied: at 10,000 items the copy and its drop were a fifth of
    /// the import).
    pub fn import_each<'v>(
        &self,
        items: impl Iterator<Item = &'v Value>,
    ) -> Vec<Result<(Annotation, Anchored), Unplaced>> {
        let mut importing = self.importing();
        items.map(|item| importing.next(item)).collect()
    }

    /// One batch's import, item after item: what it has seen so far.
    pub fn importing(&self) -> Importing<'_, 'a> {
        Importing { importer: self, seen: std::collections::HashSet::new(), standard: Scale::default() }
    }

    pub fn import(&self, item: &Value) -> Result<Annotation, Refusal> {
        self.import_one(item, self.scale.unwrap_or(&Scale::default())).map(|(a, _)| a).map_err(|u| u.reason)
    }

    fn import_one(&self, item: &Value, scale: &Scale) -> Result<(Annotation, Anchored), Unplaced> {
        let obj = item.as_object().ok_or(Unplaced::refused("not an object".into()))?;
        if !has_type(obj.get("type"), "Annotation") {
            return Err(Unplaced::refused("its type is not Annotation".into()));
        }
        let tag = self.tag_of(obj.get("body")).map_err(Unplaced::refused)?;
        let target =
            target_of(obj.get("target")).ok_or(Unplaced::refused("it has no target with a selector".into()))?;
        let (review, attribution) =
            bodies::read_bodies(&bodies_in(obj.get("body")), scale).map_err(Unplaced::refused)?;
        let found = self.anchor(&target)?;
        let span = found.span;
        let id = match obj.get("id").and_then(Value::as_str) {
            Some(iri) => id_of(iri),
            None => id_of(&format!("{tag}:{}:{}", span.start(), span.end())),
        };
        let time = |key: &str| obj.get(key).and_then(Value::as_str).and_then(parse_rfc3339);
        let created = time("created").unwrap_or(self.now_ms);
        let annotation = Annotation {
            id,
            span,
            tag,
            quote: TextQuote::capture(self.doc, span),
            note: note_of(obj.get("body")),
            suggested: obj.get("creator").and_then(|c| c.get("type")).and_then(Value::as_str) == Some("Software"),
            suggested_because: reason_of(obj.get("body")),
            fuzzy: (found.how == How::Fuzzy).then(|| percent(found.score)),
            review: review.map(Box::new),
            attribution: attribution.map(Box::new),
            created,
            // No `modified`: no claim to be older than anything held, so
            // an embedder's edit without one counts as made now.
            updated: time("modified").unwrap_or(self.now_ms.max(created)),
            // W3C has one `modified` for the whole annotation.
            times: Default::default(),
        };
        Ok((annotation, found))
    }

    /// The first tagging body's tag (of the set, when there is one).
    fn tag_of(&self, body: Option<&Value>) -> Result<Tag, Refusal> {
        let values: Vec<&str> = bodies_in(body)
            .into_iter()
            .filter(|b| b.get("purpose").and_then(Value::as_str) == Some("tagging"))
            .filter_map(|b| b.get("value")?.as_str())
            .map(str::trim)
            .collect();
        if values.is_empty() {
            return Err("it has no tagging body".into());
        }
        let found = match self.tags {
            None => values.iter().find_map(|v| Tag::parse(v)),
            Some(set) => values.iter().find_map(|v| {
                let v = v.to_lowercase();
                set.defs().iter().find(|d| d.tag.as_str() == v || d.label.to_lowercase() == v).map(|d| d.tag.clone())
            }),
        };
        found.ok_or_else(|| {
            let offered = self.tags.map_or(String::new(), |set| {
                let ids: Vec<&str> = set.defs().iter().map(|d| d.tag.as_str()).collect();
                format!(" (offered: {})", ids.join(", "))
            });
            format!("its tags ({}) are not tags this widget uses{offered}", values.join(", "))
        })
    }

    fn anchor(&self, t: &Target) -> Result<Anchored, Unplaced> {
        let selectors = Selectors { quote: t.quote.as_ref(), position: t.position };
        if let Some(found) = self.text.place(&selectors) {
            return Ok(found);
        }
        Err(match (&t.quote, t.position) {
            (Some(q), _) => {
                Unplaced { reason: format!("its quote “{}” is not in the text", short(&q.exact)), orphaned: true }
            }
            (None, Some((s, e))) => Unplaced {
                reason: format!("its position {s}..{e} is outside the text (length {})", self.text.len()),
                orphaned: true,
            },
            (None, None) => Unplaced::refused("it has no TextQuoteSelector or TextPositionSelector".into()),
        })
    }
}

/// An item not imported: why, and whether for want of its text (it has
/// selectors that fit nothing here: orphaned) rather than its shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    pub reason: Refusal,
    pub orphaned: bool,
}

impl Unplaced {
    fn refused(reason: Refusal) -> Unplaced {
        Unplaced { reason, orphaned: false }
    }
}

fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((b, _)) => format!("{}…", &text[..b]),
        None => text.to_string(),
    }
}

fn has_type(value: Option<&Value>, name: &str) -> bool {
    match value {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(name)),
        _ => false,
    }
}

/// Our own ids come back as themselves; anyone else's become a stable id
/// derived from their IRI, so importing the same file twice does not duplicate.
fn id_of(iri: &str) -> AnnotationId {
    iri.strip_prefix(ANNOTATION_IRI)
        .and_then(AnnotationId::parse)
        .or_else(|| AnnotationId::parse(&format!("x{}", Fingerprint::of_text(iri))))
        .unwrap_or_else(|| AnnotationId::generate(0, 0))
}

struct Target {
    quote: Option<TextQuote>,
    position: Option<(usize, usize)>,
}

fn target_of(target: Option<&Value>) -> Option<Target> {
    let target = match target? {
        Value::Array(items) => items.iter().find(|t| t.get("selector").is_some())?,
        one => one,
    };
    let selectors: Vec<&Map<String, Value>> = match target.get("selector")? {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(one) => vec![one],
        _ => return None,
    };
    let of_type = |name: &str| selectors.iter().copied().find(|s| has_type(s.get("type"), name));
    let text = |s: &Map<String, Value>, key: &str| s.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let quote = of_type("TextQuoteSelector").map(|s| TextQuote {
        exact: text(s, "exact"),
        prefix: text(s, "prefix"),
        suffix: text(s, "suffix"),
    });
    let position = of_type("TextPositionSelector").and_then(|s| {
        let n = |key: &str| s.get(key).and_then(Value::as_u64).and_then(|v| usize::try_from(v).ok());
        Some((n("start")?, n("end")?))
    });
    (quote.is_some() || position.is_some()).then_some(Target { quote, position })
}

#[cfg(test)]
mod tests;
