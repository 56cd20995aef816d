//! Reading our own CSV download back: RFC 4180 records (quoted cells,
//! doubled quotes, line breaks inside quotes, CRLF or LF line ends, a
//! UTF-8 byte-order mark), and each row as a W3C annotation item, so a CSV
//! import is anchored and reported exactly as a W3C one is.

use crate::annotation::AnnotationId;
use crate::interchange::{uninert, Entry, CSV_HEADER};
use crate::review::Status;
use crate::w3c::ANNOTATION_IRI;
use serde_json::{json, Value};
use std::iter::Peekable;
use std::str::Chars;

/// The columns a row cannot be placed without; the others are read when
/// the file has them (a spreadsheet may have dropped some).
const REQUIRED: [&str; 5] = ["id", "tag", "start", "end", "quote"];

/// One record: its row number as a spreadsheet numbers it (the header is
/// row 1), and its cells, or why they cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub row: usize,
    pub cells: Result<Vec<String>, String>,
}

/// Every record of `text`, a blank line being a record of one empty cell.
pub fn records(text: &str) -> Vec<Record> {
    let mut chars = text.strip_prefix('\u{feff}').unwrap_or(text).chars().peekable();
    let mut out = Vec::new();
    while chars.peek().is_some() {
        out.push(Record { row: out.len() + 1, cells: record(&mut chars) });
    }
    out
}

/// One record, up to and including its line end. A malformed cell spoils
/// the record, not the file: the next line end starts the next one.
fn record(chars: &mut Peekable<Chars>) -> Result<Vec<String>, String> {
    let mut cells = Vec::new();
    let mut problem = None;
    loop {
        let (text, why) = cell(chars);
        if problem.is_none() {
            problem = why.map(|why| format!("cell {} {why}", cells.len() + 1));
        }
        cells.push(text);
        match chars.next() {
            Some(',') => continue,
            Some('\r') => {
                chars.next_if_eq(&'\n');
                break;
            }
            _ => break,
        }
    }
    problem.map_or(Ok(cells), Err)
}

/// One cell, stopping before the comma or line end after it; with what is
/// wrong with it, if anything.
fn cell(chars: &mut Peekable<Chars>) -> (String, Option<&'static str>) {
    let mut text = String::new();
    if chars.next_if_eq(&'"').is_none() {
        let mut why = None;
        while let Some(c) = chars.next_if(|c| !matches!(c, ',' | '\r' | '\n')) {
            if c == '"' {
                why = Some("has a double quote but is not in quotes");
            }
            text.push(c);
        }
        return (text, why);
    }
    loop {
        match chars.next() {
            // Unclosed: it ran to the end of the file, taking every line after it.
            None => return (text, Some("opens a quote that is never closed")),
            Some('"') if chars.next_if_eq(&'"').is_some() => text.push('"'),
            Some('"') => break,
            Some(c) => text.push(c),
        }
    }
    let mut stray = false;
    while chars.next_if(|c| !matches!(c, ',' | '\r' | '\n')).is_some() {
        stray = true;
    }
    (text, stray.then_some("has text after its closing quote"))
}

/// The rows of a CSV file with our columns as W3C items, each named by its
/// row; or, when its header lacks columns we need, which.
pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let mut records = records(text).into_iter();
    let header = match records.next().map(|r| r.cells) {
        Some(Ok(cells)) => cells,
        Some(Err(why)) => return Err(format!("its first line, the header, cannot be read: {why}")),
        None => return Err("the file is empty".into()),
    };
    let columns = Columns::of(&header)?;
    Ok(records
        .filter(|r| r.cells.as_ref().map_or(true, |c| c.len() > 1 || !c[0].is_empty()))
        .map(|r| Entry { name: format!("row {}", r.row), item: r.cells.and_then(|cells| columns.item(&cells)) })
        .collect())
}

/// Where each of our columns is in a file's header.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    /// The header's names (trimmed, any case), or which columns we need
    /// are missing.
    fn of(header: &[String]) -> Result<Columns, String> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let missing: Vec<&str> = REQUIRED.into_iter().filter(|c| !names.iter().any(|n| n == c)).collect();
        if let Some(twice) = names.iter().enumerate().find(|(i, n)| !n.is_empty() && names[..*i].contains(n)) {
            return Err(format!("the CSV has the column “{}” twice", twice.1));
        }
        match (missing.is_empty(), names.len()) {
            (true, _) => Ok(Columns { names }),
            (false, 1) => Err(format!(
                "it is not JSON, and as CSV it lacks the columns {} (our CSV's columns are {})",
                missing.join(", "),
                CSV_HEADER.replace(',', ", ")
            )),
            (false, _) => Err(format!(
                "the CSV lacks the column(s) {} (our CSV's columns are {})",
                missing.join(", "),
                CSV_HEADER.replace(',', ", ")
            )),
        }
    }

    /// A cell by column name, read back as written (the apostrophe that
    /// made it inert taken off); empty when the file has no such column.
    fn get(&self, cells: &[String], name: &str) -> String {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| cells.get(i))
            .map(|c| uninert(c).to_string())
            .unwrap_or_default()
    }

    /// A row as the W3C item our export would have written for it: the tag
    /// and note, the fact-check and speaker as standard bodies, the quote
    /// and position as selectors.
    fn item(&self, cells: &[String]) -> Result<Value, String> {
        if cells.len() != self.names.len() {
            return Err(format!("it has {} cells where the header has {}", cells.len(), self.names.len()));
        }
        let get = |name: &str| self.get(cells, name);
        let tag = get("tag");
        if tag.trim().is_empty() {
            return Err("its tag is empty".into());
        }
        let mut body = vec![json!({ "type": "TextualBody", "purpose": "tagging", "value": tag })];
        body.extend(self.bodies(cells)?);
        let mut selector = Vec::new();
        let quote = get("quote");
        if !quote.is_empty() {
            selector.push(json!({ "type": "TextQuoteSelector", "exact": quote }));
        }
        if let Some((start, end)) = position(&get("start"), &get("end"))? {
            selector.push(json!({ "type": "TextPositionSelector", "start": start, "end": end }));
        }
        let mut item = json!({ "type": "Annotation", "body": body, "target": { "selector": selector } });
        let id = get("id");
        if !id.trim().is_empty() {
            // Our own ids come back as themselves; another's stays a name.
            let id = id.trim();
            item["id"] =
                json!(AnnotationId::parse(id).map_or_else(|| id.to_string(), |_| format!("{ANNOTATION_IRI}{id}")));
        }
        for time in ["created", "modified"] {
            let at = get(time);
            if !at.trim().is_empty() {
                item[time] = json!(at.trim());
            }
        }
        Ok(item)
    }

    /// The note, the fact-check (verdict, explanation, status, sources one
    /// per line) and the speaker, as the W3C export writes them.
    fn bodies(&self, cells: &[String]) -> Result<Vec<Value>, String> {
        let get = |name: &str| self.get(cells, name);
        let text = |purpose: &str, value: String| json!({ "type": "TextualBody", "purpose": purpose, "value": value });
        let mut out = Vec::new();
        for (column, purpose) in [("note", "commenting"), ("verdict", "assessing"), ("explanation", "describing")] {
            let value = get(column);
            if !value.trim().is_empty() {
                out.push(text(purpose, value));
            }
        }
        let status = get("status");
        if !status.trim().is_empty() {
            out.push(text("classifying", status_id(&status)?.into()));
        }
        for url in get("sources").lines().map(str::trim).filter(|u| !u.is_empty()) {
            out.push(
                json!({ "type": "SpecificResource", "purpose": "linking", "source": { "id": url, "type": "Text" } }),
            );
        }
        let speaker = get("speaker");
        if !speaker.trim().is_empty() {
            out.push(text("identifying", speaker));
        }
        Ok(out)
    }
}

/// A status as the CSV writes it (its label) or as stored (its id).
fn status_id(cell: &str) -> Result<&'static str, String> {
    let wanted = cell.trim().to_lowercase();
    Status::ALL
        .into_iter()
        .find(|s| s.label().to_lowercase() == wanted || s.id() == wanted)
        .map(Status::id)
        .ok_or_else(|| format!("its status “{}” is not one of To check, In progress, Checked", cell.trim()))
}

/// Start and end, both given as whole numbers, or both empty (placed by
/// the quote alone).
fn position(start: &str, end: &str) -> Result<Option<(u64, u64)>, String> {
    let (start, end) = (start.trim(), end.trim());
    if start.is_empty() && end.is_empty() {
        return Ok(None);
    }
    let number = |name: &str, cell: &str| {
        cell.parse::<u64>().map_err(|_| format!("its {name} “{cell}” is not a whole number of characters"))
    };
    Ok(Some((number("start", start)?, number("end", end)?)))
}

#[cfg(test)]
#[path = "csv_in_tests.rs"]
mod tests;
