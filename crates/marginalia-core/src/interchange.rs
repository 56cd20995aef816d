//! Files in and out: a W3C `AnnotationCollection` and CSV for export, and
//! reading whatever annotation file a reader brings — ours, Recogito's (W3C
//! with UTF-16 positions), Hypothesis's (W3C, or its API rows with `tags`).
//!
//! Reading a file only finds its items (our CSV's rows made W3C items by
//! [`crate::csv_in`]); [`crate::w3c::Importer`] anchors each one, and every
//! refusal names the item (or row) and says why.

use crate::anchor::Anchored;
use crate::annotation::Annotation;
use crate::document::Document;
use crate::review::Scale;
use crate::time::to_rfc3339;
use crate::w3c::{self, Importer, Unplaced, CONTEXT};
use serde_json::{json, Value};

/// Files larger than this are refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// Who made an export: recorded as the W3C `generator`.
pub const GENERATOR_IRI: &str = "urn:marginalia:software";

/// The annotations of one document as a W3C AnnotationCollection with one
/// embedded page; verdicts are labelled from `scale`.
pub fn to_collection(document: &str, doc: &Document, annotations: &[Annotation], scale: &Scale, now_ms: u64) -> Value {
    let source = w3c::source_iri(document);
    let id = format!("{source}#annotations");
    let items: Vec<Value> = annotations
        .iter()
        .map(|a| {
            let mut item = w3c::to_w3c_rated(a, &source, scale);
            // The collection's @context covers its items.
            if let Some(obj) = item.as_object_mut() {
                obj.remove("@context");
            }
            item
        })
        .collect();
    json!({
        "@context": CONTEXT,
        "id": id,
        "type": "AnnotationCollection",
        "label": format!("Marginalia annotations: {}", doc.title()),
        "total": items.len(),
        "generated": to_rfc3339(now_ms),
        "generator": { "id": GENERATOR_IRI, "type": "Software", "name": "Marginalia" },
        "first": { "id": format!("{id}-page-1"), "type": "AnnotationPage", "startIndex": 0, "items": items },
    })
}

/// A download's file name from the article's title: `marginalia-<first
/// eight words, lowercased, hyphenated>.<extension>`.
pub fn file_name(title: &str, extension: &str) -> String {
    let words: Vec<String> =
        title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8).map(str::to_lowercase).collect();
    let slug = if words.is_empty() { "article".to_string() } else { words.join("-") };
    format!("marginalia-{slug}.{extension}")
}

/// The CSV's columns.
pub const CSV_HEADER: &str = "id,tag,start,end,quote,note,created,modified,verdict,status,explanation,sources,speaker";

/// One row per annotation: id, tag, start, end, quote, note, created,
/// modified, then a claim's fact-check (verdict label from `scale`,
/// status, explanation, source URLs one per line) and a quote's speaker;
/// RFC 4180 quoting, CRLF line ends, every text cell made inert.
pub fn to_csv(annotations: &[Annotation], scale: &Scale) -> String {
    let mut out = format!("{CSV_HEADER}\r\n");
    for a in annotations {
        let review = a.shown_review();
        let verdict = review.and_then(|r| r.verdict.as_deref()).map(|v| scale.get(v).map_or(v, |r| r.label.as_str()));
        let sources: Vec<&str> = review.map(|r| r.sources.iter().map(|s| s.url.as_str()).collect()).unwrap_or_default();
        let fields = [
            inert(&a.id.to_string()),
            inert(a.tag.as_str()),
            a.span.start().to_string(),
            a.span.end().to_string(),
            inert(&a.quote.exact),
            inert(&a.note),
            to_rfc3339(a.created),
            to_rfc3339(a.updated),
            inert(verdict.unwrap_or_default()),
            review.map_or(String::new(), |r| r.status.label().to_string()),
            inert(review.map_or("", |r| r.explanation.as_str())),
            inert(&sources.join("\n")),
            inert(a.shown_attribution().map_or("", |at| at.speaker.as_str())),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A text cell as a spreadsheet will not run it: one that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, Calc
/// and Sheets (a note `=HYPERLINK(…)` from an imported file would be a
/// live link), so it gets a leading apostrophe, as OWASP's CSV-injection
/// advice says; the apostrophe is shown, the formula is not run. A text
/// that already begins with apostrophes before such a character gets one
/// more, so [`uninert`] gives every text back as it was.
pub fn inert(text: &str) -> String {
    if looks_inert_or_formula(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A cell as it was before [`inert`]: the apostrophe it added taken off.
/// An apostrophe before anything but a formula character was written by
/// the reader, and stays.
pub fn uninert(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_inert_or_formula(rest) => rest,
        _ => cell,
    }
}

/// Apostrophes (any number, none included) then a formula character.
fn looks_inert_or_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The items of a file a reader imports, each in W3C shape or why it could
/// not be read, with the name the reader knows it by.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub entries: Vec<Entry>,
    /// What an entry is, for the report: `item` (JSON), `row` (CSV).
    pub unit: &'static str,
}

/// One item of a file: `item 3`, or `row 4` as a spreadsheet numbers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub item: Result<Value, String>,
}

impl Batch {
    /// Every entry anchored by `importer`, in order, as a W3C import is
    /// (an id seen earlier in the file refuses the later one); an entry
    /// that could not be read is refused with why.
    pub fn import(&self, importer: &Importer) -> Vec<Result<(Annotation, Anchored), Unplaced>> {
        let readable = self.entries.iter().filter_map(|e| e.item.as_ref().ok());
        let mut placed = importer.import_each(readable).into_iter();
        self.entries
            .iter()
            .map(|e| match &e.item {
                // The importer answers every item it is given, in order.
                Ok(_) => {
                    placed.next().unwrap_or_else(|| Err(Unplaced { reason: "not placed".into(), orphaned: false }))
                }
                Err(why) => Err(Unplaced { reason: why.clone(), orphaned: false }),
            })
            .collect()
    }

    /// Item `i` when it could be read (not copied, as `values` does).
    pub fn item(&self, i: usize) -> Option<&Value> {
        self.entries.get(i)?.item.as_ref().ok()
    }

    /// W3C items as they are given (a file's, the handle's list), each
    /// named by its place.
    pub fn of_items(items: Vec<Value>) -> Batch {
        let entries = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| Entry { name: format!("item {}", i + 1), item: Ok(item) })
            .collect();
        Batch { entries, unit: "item" }
    }

    /// An import report ([`crate::placement::report`]) of a CSV's rows
    /// with each entry's row (`"row": "row 4"`) beside its index, which
    /// counts rows read, not the file's rows.
    pub fn name_rows(&self, report: &mut crate::placement::Report) {
        if self.unit != "row" {
            return;
        }
        let name = |index: usize| self.entries.get(index).map(|e| e.name.clone());
        for item in &mut report.items {
            item.row = name(item.index);
        }
        for refusal in &mut report.refused {
            refusal.row = name(refusal.index);
        }
    }
}

/// What a reader imports: a JSON file (see [`read_file`]) or our CSV (its
/// first character not `{` or `[`), or why the file as a whole cannot be
/// read.
pub fn read_batch(bytes: &[u8]) -> Result<Batch, String> {
    let text = text_of(bytes)?;
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    if text.trim_start().starts_with(['{', '[']) {
        return read_file(bytes).map(Batch::of_items);
    }
    Ok(Batch { entries: crate::csv_in::read(text)?, unit: "row" })
}

/// A file's text, BOM and all, or why it is refused unread: too large, or
/// not UTF-8.
fn text_of(bytes: &[u8]) -> Result<&str, String> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "the file is {} MB; files over {} MB are refused",
            bytes.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())?;
    Ok(text.trim_start_matches('\u{feff}'))
}

/// The annotation items of a file, in W3C shape, or why the file as a whole
/// cannot be read. Accepted: an array, an AnnotationCollection (embedded
/// first page), an AnnotationPage, one annotation, Hypothesis API rows
/// (`{"rows": […]}` or an array of them).
pub fn read_file(bytes: &[u8]) -> Result<Vec<Value>, String> {
    let text = text_of(bytes)?;
    let value: Value = serde_json::from_str(text).map_err(|e| format!("the file is not JSON ({e})"))?;
    let items = match &value {
        Value::Array(items) => items.clone(),
        Value::Object(obj) => {
            let kind = |name: &str| obj.get("type").and_then(Value::as_str) == Some(name);
            if kind("AnnotationCollection") {
                obj.get("first")
                    .and_then(|f| f.get("items"))
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or("the collection has no embedded first page of items")?
            } else if kind("AnnotationPage") {
                obj.get("items").and_then(Value::as_array).cloned().ok_or("the page has no items")?
            } else if let Some(rows) = obj.get("rows").and_then(Value::as_array) {
                rows.clone()
            } else if obj.contains_key("target") {
                vec![value.clone()]
            } else {
                return Err("the file holds no annotations (no items, rows or target)".into());
            }
        }
        _ => return Err("the file holds no annotations".into()),
    };
    Ok(items.into_iter().map(from_hypothesis_row).collect())
}

/// A Hypothesis API row (`tags`, `text`, `updated`, no `type`) in W3C shape;
/// anything else as it is.
fn from_hypothesis_row(item: Value) -> Value {
    let Some(obj) = item.as_object() else { return item };
    if obj.contains_key("type") || !obj.contains_key("tags") {
        return item;
    }
    let mut body: Vec<Value> = obj
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().map(|t| json!({"type": "TextualBody", "purpose": "tagging", "value": t})).collect())
        .unwrap_or_default();
    if let Some(text) = obj.get("text").and_then(Value::as_str).filter(|t| !t.is_empty()) {
        body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": text}));
    }
    let mut out =
        json!({"type": "Annotation", "body": body, "target": obj.get("target").cloned().unwrap_or(Value::Null)});
    for (from, to) in [("id", "id"), ("created", "created"), ("updated", "modified")] {
        if let Some(v) = obj.get(from) {
            out[to] = v.clone();
        }
    }
    out
}

#[cfg(test)]
#[path = "interchange_tests.rs"]
mod tests;
