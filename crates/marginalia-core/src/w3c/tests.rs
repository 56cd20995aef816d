//! The W3C reader and writer: tables of bodies, selectors and round trips.

use super::*;
use crate::span::Span;

const TEXT: &str = "Caption of the photo\nCaption of the photo\nShe said “we will” on Monday.";

fn doc() -> Document {
    Document::from_text(TEXT)
}

fn claim_at(doc: &Document, start: usize, end: usize) -> Annotation {
    let span = Span::new(start, end).expect("valid");
    Annotation::new(
        doc,
        AnnotationId::generate(1_700_000_000_000, 7),
        span,
        Tag::parse("claim").expect("valid"),
        1_700_000_000_000,
    )
}

#[test]
fn export_has_the_w3c_shape() {
    let d = doc();
    let v = to_w3c(&claim_at(&d, 51, 60), &source_iri("story 1/2"));
    assert_eq!(v["@context"], CONTEXT);
    assert_eq!(v["type"], "Annotation");
    assert!(v["id"].as_str().is_some_and(|id| id.starts_with(ANNOTATION_IRI)));
    assert_eq!(v["body"][0], json!({"type": "TextualBody", "purpose": "tagging", "value": "claim"}));
    assert_eq!(v["target"]["source"], "urn:marginalia:document:story%201%2F2");
    assert_eq!(v["target"]["selector"][0]["exact"], "“we will”");
    assert_eq!(v["target"]["selector"][1], json!({"type": "TextPositionSelector", "start": 51, "end": 60}));
    assert_eq!(v["created"], "2023-11-14T22:13:20.000Z");
}

#[test]
fn accepted_suggestions_are_created_by_software() {
    let d = doc();
    let mut a = claim_at(&d, 51, 60);
    a.suggested = true;
    let v = to_w3c(&a, "urn:x");
    assert_eq!(v["creator"]["type"], "Software");
    assert_eq!(v["generator"]["type"], "Software");
    assert!(Importer::new(&d, 0).import(&v).is_ok_and(|back| back.suggested));
    assert!(to_w3c(&claim_at(&d, 51, 60), "urn:x").get("creator").is_none());
}

#[test]
fn source_iri_keeps_absolute_iris() {
    assert_eq!(source_iri("https://news.example/story"), "https://news.example/story");
    assert_eq!(source_iri("urn:isbn:123"), "urn:isbn:123");
    assert_eq!(source_iri("abc123"), "urn:marginalia:document:abc123");
    assert_eq!(source_iri("1:x"), "urn:marginalia:document:1%3Ax");
    assert_eq!(source_iri("https://x/ é"), "urn:marginalia:document:https%3A%2F%2Fx%2F%20%C3%A9");
}

#[test]
fn export_then_import_is_the_identity() {
    let d = doc();
    let mut a = claim_at(&d, 51, 60);
    a.note = "Check <b>this</b> — “sourced?”".into();
    let v = to_w3c(&a, "urn:x");
    assert_eq!(
        v["body"][1],
        json!({"type": "TextualBody", "purpose": "commenting", "value": a.note, "format": "text/plain"})
    );
    let back = Importer::new(&d, 0).import(&to_w3c(&a, "urn:x")).expect("imports");
    assert_eq!(back, a);
}

#[test]
fn table_of_anchoring_cases() {
    let d = doc();
    let imp = Importer::new(&d, 5);
    let item = |selectors: Value| {
        json!({"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "caption"},
               "target": {"source": "urn:x", "selector": selectors}})
    };
    let quote = |exact: &str, prefix: &str, suffix: &str| json!({"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix});
    let pos = |s: usize, e: usize| json!({"type": "TextPositionSelector", "start": s, "end": e});
    type Case<'a> = (&'a str, Value, Result<(usize, usize), &'a str>);
    let cases: Vec<Case> = vec![
        ("position and matching quote", json!([quote("Caption", "", ""), pos(21, 28)]), Ok((21, 28))),
        ("position only", pos(0, 7), Ok((0, 7))),
        ("quote only: first copy by default", quote("Caption of the photo", "", ""), Ok((0, 20))),
        ("prefix picks the second copy", quote("Caption of the photo", "photo\n", ""), Ok((21, 41))),
        ("suffix picks the first copy", quote("photo", "", "\nCaption"), Ok((15, 20))),
        ("stale position, the quote decides", json!([quote("we will", "“", "”"), pos(0, 7)]), Ok((52, 59))),
        ("nearest copy to a stale position", json!([quote("Caption", "", ""), pos(22, 29)]), Ok((21, 28))),
        ("quote not in the text", quote("we won't", "", ""), Err("is not in the text")),
        ("position out of range", pos(60, 99), Err("outside the text")),
        ("no selectors", json!([]), Err("no target")),
    ];
    for (name, selectors, want) in cases {
        let got = imp.import(&item(selectors)).map(|a| (a.span.start(), a.span.end()));
        match (got, want) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "{name}"),
            (Err(g), Err(w)) => assert!(g.contains(w), "{name}: {g}"),
            (g, w) => panic!("{name}: got {g:?}, want {w:?}"),
        }
    }
}

#[test]
fn table_of_refused_items() {
    let d = doc();
    let imp = Importer::new(&d, 0);
    let target = json!({"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 3}});
    let cases = [
        (json!("text"), "not an object"),
        (json!({"type": "Note"}), "type"),
        (json!({"type": "Annotation", "target": target}), "tagging body"),
        (
            json!({"type": "Annotation", "body": {"purpose": "tagging", "value": "<b>x</b>"}, "target": target}),
            "not tags",
        ),
        (json!({"type": "Annotation", "body": {"purpose": "tagging", "value": "claim"}}), "no target"),
    ];
    for (item, why) in cases {
        let err = imp.import(&item).expect_err(&item.to_string());
        assert!(err.contains(why), "{item}: {err}");
    }
}

#[test]
fn foreign_ids_are_stable_and_duplicates_refused() {
    let d = doc();
    let imp = Importer::new(&d, 0);
    let item = json!({"id": "https://hypothes.is/a/AbC", "type": ["Annotation"],
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "hm"}, {"purpose": "tagging", "value": "quote"}],
        "target": [{"source": "https://x", "selector": [{"type": "TextQuoteSelector", "exact": "Monday"}]}]});
    let results = imp.import_all(&[item.clone(), item]);
    let first = results[0].as_ref().expect("imports");
    assert_eq!(first.tag.as_str(), "quote");
    assert_eq!(
        imp.import(&json!({"id": "https://hypothes.is/a/AbC", "type": "Annotation",
        "body": {"purpose": "tagging", "value": "quote"},
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "Monday"}}}))
            .map(|a| a.id),
        Ok(first.id.clone())
    );
    assert!(results[1].as_ref().is_err_and(|e| e.contains("twice")));
}
