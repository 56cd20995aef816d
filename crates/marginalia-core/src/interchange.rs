//! Files in and out: a W3C `AnnotationCollection` and CSV for export, and
//! reading whatever annotation file a reader brings — ours, Recogito's (W3C
//! with UTF-16 positions), Hypothesis's (W3C, or its API rows with `tags`).
//!
//! Reading a file only finds its items; [`crate::w3c::Importer`] anchors
//! each one, and every refusal names the item and says why.

use crate::annotation::Annotation;
use crate::document::Document;
use crate::review::Scale;
use crate::time::to_rfc3339;
use crate::w3c::{self, CONTEXT};
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
/// advice says; the apostrophe is shown, the formula is not run.
pub fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The annotation items of a file, in W3C shape, or why the file as a whole
/// cannot be read. Accepted: an array, an AnnotationCollection (embedded
/// first page), an AnnotationPage, one annotation, Hypothesis API rows
/// (`{"rows": […]}` or an array of them).
pub fn read_file(bytes: &[u8]) -> Result<Vec<Value>, String> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "the file is {} MB; files over {} MB are refused",
            bytes.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())?;
    let value: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| format!("the file is not JSON ({e})"))?;
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
mod tests {
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::span::Span;
    use crate::tag::{Tag, TagSet};
    use crate::w3c::Importer;
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("Flood barrier 😀 approved\n“We will act,” she said, “now.”")
    }

    fn ann(d: &Document, start: usize, end: usize, tag: &str) -> Annotation {
        let span = Span::new(start, end).expect("valid");
        Annotation::new(
            d,
            AnnotationId::generate(1_700_000_000_000, start as u64),
            span,
            Tag::parse(tag).expect("valid"),
            1_700_000_000_000,
        )
    }

    #[test]
    fn collection_round_trips_through_read_file_and_import() {
        let d = doc();
        let anns = vec![ann(&d, 0, 13, "claim"), ann(&d, 25, 39, "quote")];
        let file = to_collection("story-1", &d, &anns, &Scale::default(), 1_800_000_000_000).to_string();
        let value: Value = serde_json::from_str(&file).expect("json");
        assert_eq!(value["type"], "AnnotationCollection");
        assert_eq!(value["total"], 2);
        assert_eq!(value["generator"]["type"], "Software");
        assert!(value["first"]["items"][0].get("@context").is_none());
        let items = read_file(file.as_bytes()).expect("reads");
        let back: Vec<Annotation> =
            Importer::new(&d, 0).import_all(&items).into_iter().map(|r| r.expect("imports")).collect();
        assert_eq!(back, anns);
    }

    #[test]
    fn file_names_from_titles() {
        assert_eq!(
            file_name("City council approves £48 million flood barrier", "jsonld"),
            "marginalia-city-council-approves-48-million-flood-barrier.jsonld"
        );
        assert_eq!(file_name("“Ça va?” — Zoë's 東京 diary", "csv"), "marginalia-ça-va-zoë-s-東京-diary.csv");
        assert_eq!(file_name("  ", "csv"), "marginalia-article.csv");
    }

    #[test]
    fn formulas_are_made_inert() {
        let cases = [
            ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("a = b", "a = b"),
            ("“=”", "“=”"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(inert(text), want, "{text:?}");
        }
        // In the file: the note's cell starts with the apostrophe, quoted as RFC 4180 wants.
        let d = doc();
        let mut a = ann(&d, 0, 13, "claim");
        a.note = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
        let csv = to_csv(&[a], &Scale::default());
        assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","), "{csv}");
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        let d = doc();
        let mut quote = ann(&d, 25, 39, "quote");
        quote.attribution =
            Some(Box::new(crate::review::Attribution { speaker: "-Mayor".into(), ..Default::default() }));
        let csv = to_csv(&[quote], &Scale::default());
        let mut lines = csv.split("\r\n");
        assert_eq!(lines.next(), Some(CSV_HEADER));
        let row = lines.next().expect("row");
        assert!(row.contains(",quote,25,39,\"“We will act,”\",,2023-11-14T22:13:20.000Z,"), "{row}");
        // No fact-check; the speaker's leading dash made inert.
        assert!(row.ends_with(",,,,,'-Mayor"), "{row}");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("a\nb"), "\"a\nb\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn table_of_files() {
        let ok = |text: &str| read_file(text.as_bytes()).map(|items| items.len());
        assert_eq!(ok("[]"), Ok(0));
        assert_eq!(ok(r#"{"type":"AnnotationPage","items":[{"type":"Annotation"}]}"#), Ok(1));
        assert_eq!(ok(r#"{"type":"Annotation","target":{}}"#), Ok(1));
        assert_eq!(ok(r#"{"rows":[{"tags":["claim"],"target":[]}],"total":1}"#), Ok(1));
        assert_eq!(ok("\u{feff}[]"), Ok(0));
        for (bad, why) in [
            ("", "not JSON"),
            ("{", "not JSON"),
            ("42", "no annotations"),
            (r#"{"hello":1}"#, "no annotations"),
            (r#"{"type":"AnnotationCollection","total":0}"#, "first page"),
        ] {
            let err = read_file(bad.as_bytes()).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(read_file(&[0xff, 0xfe]).is_err_and(|e| e.contains("UTF-8")));
        assert!(read_file(&vec![b' '; MAX_IMPORT_BYTES + 1]).is_err_and(|e| e.contains("refused")));
    }

    #[test]
    fn recogito_utf16_positions_and_hypothesis_rows_anchor() {
        let d = doc();
        // Recogito counts UTF-16 units: "approved" starts at 16 code points, 17 units (the emoji is 2).
        let recogito = json!([{
            "@context": CONTEXT, "id": "https://recogito.example/a/1", "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Claim"}],
            "target": {"source": "https://x", "selector": [
                {"type": "TextQuoteSelector", "exact": "approved"},
                {"type": "TextPositionSelector", "start": 17, "end": 25}]}
        }]);
        // Hypothesis API rows: quote only, and position only.
        let hypothesis = json!({"total": 2, "rows": [
            {"id": "h1", "tags": ["quote", "misc"], "text": "a note", "updated": "2024-01-02T03:04:05.000Z",
             "target": [{"source": "https://x", "selector": [{"type": "TextQuoteSelector", "exact": "now."}]}]},
            {"id": "h2", "tags": ["caption"], "target": [{"source": "https://x", "selector": [
                {"type": "TextPositionSelector", "start": 0, "end": 5}]}]}
        ]});
        let tags = TagSet::standard();
        for (file, want) in
            [(recogito, vec![("claim", "approved")]), (hypothesis, vec![("quote", "now."), ("caption", "Flood")])]
        {
            let items = read_file(file.to_string().as_bytes()).expect("reads");
            let got: Vec<(String, String)> = Importer::new(&d, 0)
                .with_tags(&tags)
                .import_all(&items)
                .into_iter()
                .map(|r| r.expect("imports"))
                .map(|a| (a.tag.to_string(), a.quote.exact))
                .collect();
            let want: Vec<(String, String)> = want.into_iter().map(|(t, q)| (t.to_string(), q.to_string())).collect();
            assert_eq!(got, want);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let d = doc();
            if let Ok(items) = read_file(&bytes) {
                let _ = Importer::new(&d, 0).with_tags(&TagSet::standard()).import_all(&items);
            }
        }

        #[test]
        fn arbitrary_json_shapes_never_panic(
            json in r#"\{"type":"(Annotation|AnnotationPage)","(items|target|body)":(\[|\{)("selector"|"start"|"exact"|1|-3|"x"|\{|\}|\[|\]|,|:){0,30}"#,
        ) {
            let d = doc();
            if let Ok(items) = read_file(json.as_bytes()) {
                let _ = Importer::new(&d, 0).import_all(&items);
            }
        }
    }
}
