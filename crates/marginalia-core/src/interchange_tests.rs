//! Files in and out: the collection's round trip, file names, CSV's
//! quoting and inert cells, the files other tools write.

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
        // The reader's own apostrophes: one more only where uninert would take one.
        ("'tis", "'tis"),
        ("'=1", "''=1"),
        ("''-x", "'''-x"),
        ("'", "'"),
    ];
    for (text, want) in cases {
        assert_eq!(inert(text), want, "{text:?}");
        // Read back as written.
        assert_eq!(uninert(want), text, "{want:?}");
    }
    // A cell written elsewhere: an apostrophe before anything but a formula is the writer's.
    for cell in ["'tis", "'", "''", "'a=b", "rock 'n' roll"] {
        assert_eq!(uninert(cell), cell);
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
    quote.attribution = Some(Box::new(crate::review::Attribution { speaker: "-Mayor".into(), ..Default::default() }));
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
    // What Import annotations reads: JSON items named by number; a JSON
    // file's problems stay JSON's, whatever follows its first character.
    let batch = read_batch(br#"[{"type":"Annotation"},{}]"#).expect("reads");
    let names: Vec<&str> = batch.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!((batch.unit, names), ("item", vec!["item 1", "item 2"]));
    assert!(read_batch(b"\xef\xbb\xbf {").is_err_and(|e| e.contains("not JSON")));
    assert!(read_batch(&vec![b' '; MAX_IMPORT_BYTES + 1]).is_err_and(|e| e.contains("refused")));
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
    /// Whatever a cell held, the spreadsheet-safe copy reads back as it.
    #[test]
    fn inert_then_uninert_is_the_text(text in r"['=+\-@\t\ra-z ]{0,12}") {
        let cell = inert(&text);
        prop_assert_eq!(uninert(&cell), text.as_str());
        prop_assert!(!inert(&text).starts_with(['=', '+', '-', '@', '\t', '\r']));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let d = doc();
        if let Ok(items) = read_file(&bytes) {
            let _ = Importer::new(&d, 0).with_tags(&TagSet::standard()).import_all(&items);
        }
        if let Ok(batch) = read_batch(&bytes) {
            let _ = batch.import(&Importer::new(&d, 0).with_tags(&TagSet::standard()));
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
