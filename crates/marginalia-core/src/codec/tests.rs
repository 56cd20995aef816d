//! The envelope: round trips, bad values, each past schema's fixture migrated, saved spans carried through edits, keys.

use super::*;
use crate::annotation::AnnotationId;
use crate::field_times::Field;
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
        (r#"{"schema":9,"whatever":true}"#, |e| matches!(e, CodecError::NewerSchema(9))),
        (r#"{"schema":0}"#, |e| matches!(e, CodecError::Malformed(_))),
        (r#"{"schema":2,"document":"another","annotations":[]}"#, |e| matches!(e, CodecError::WrongDocument { .. })),
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
    // Schema 4: drafts; no claim facts in a review yet.
    let raw = include_str!("../../tests/fixtures/schema-4.json");
    let back = decode_annotations(raw, "story-42", &d).expect("a schema 4 value still reads");
    assert_eq!(back.drafts.len(), 1);
    assert!(back.anchored[0]
        .review
        .as_ref()
        .is_some_and(|r| r.claim.is_empty() && r.verdict.as_deref() == Some("false")));
    // Schema 5: a review's claim facts; an accepted suggestion's reason
    // was its note, and stays the note.
    let raw = include_str!("../../tests/fixtures/schema-5.json");
    let back = decode_annotations(raw, "story-42", &d).expect("a schema 5 value still reads");
    let facts = back.anchored[0].review.as_ref().map(|r| r.claim.claimant.clone());
    assert_eq!(facts.as_deref(), Some("Jo Mayor"));
    let accepted = &back.anchored[1];
    assert!(
        accepted.suggested && accepted.suggested_because.is_empty() && accepted.note == "Said at the council meeting."
    );
    // Schema 6: a rule's reason kept beside the note; no part's time yet,
    // so every part counts as changed when the annotation was.
    let raw = include_str!("../../tests/fixtures/schema-6.json");
    let back = decode_annotations(raw, "story-42", &d).expect("a schema 6 value still reads");
    let claim = &back.anchored[0];
    assert!(claim.times.is_unset());
    assert!(Field::ALL.iter().all(|&f| claim.changed_at(f) == 1_700_000_000_005));
    assert_eq!(back.anchored[1].suggested_because, "Speaker: Jo Mayor");
    // Written back, it is the current schema, and reads the same.
    let again = encode_annotations("story-42", &d, &back.anchored, &back.deleted, &back.drafts);
    assert!(again.starts_with(&format!(r#"{{"schema":{SCHEMA},"#)));
    assert_eq!(decode_annotations(&again, "story-42", &d).map(|b| b.anchored), Ok(back.anchored.clone()));
    // A part changed on its own keeps its own time through a save.
    let edited = Annotation { note: "Ask the clerk.".into(), ..claim.clone() }.stamped(claim, 1_700_000_000_100);
    let saved = encode_annotations("story-42", &d, std::slice::from_ref(&edited), &[], &[]);
    assert!(saved.contains(r#""fieldTimes":{"tag":1700000000005"#), "{saved}");
    let read = decode_annotations(&saved, "story-42", &d).expect("decodes");
    assert_eq!(read.anchored[0].changed_at(Field::Note), 1_700_000_000_100);
    assert_eq!(read.anchored[0].changed_at(Field::Review), 1_700_000_000_005);
    // Schema 7: each part's time; no log beside it yet.
    let raw = include_str!("../../tests/fixtures/schema-7.json");
    let seven = decode_annotations(raw, "story-42", &d).expect("a schema 7 value still reads");
    assert_eq!(seven.anchored[0].changed_at(Field::Note), 1_700_000_000_007);
    assert_eq!(seven.anchored[0].changed_at(Field::Tag), 1_700_000_000_005);
    assert_eq!((seven.drafts.len(), seven.deleted.len()), (1, 1));
    assert_eq!(MIGRATIONS.len() as u32, SCHEMA - 1, "one migration per past schema");
}

/// Schema 8's log, over a schema 7 envelope (what the first save after
/// an upgrade leaves): the full decode and the first paint's read agree.
#[test]
fn a_log_is_read_over_its_envelope() {
    let d = Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog");
    let base = include_str!("../../tests/fixtures/schema-7.json").replace(r#""schema":7"#, r#""schema":8"#);
    let log = include_str!("../../tests/fixtures/schema-8-log.txt");
    let decoded = decode_annotations(&base, "story-42", &d).expect("reads");
    let text = (decoded.fingerprint.as_deref(), decoded.outline.as_deref());
    let placed = place_log(read_log(log, "story-42").expect("reads"), &d, text);
    let merged = crate::merge::merge(
        &crate::merge::Replica { annotations: decoded.anchored.clone(), deleted: decoded.deleted.clone() },
        &crate::merge::Replica { annotations: placed.anchored.clone(), deleted: placed.deleted.clone() },
    );
    let got: Vec<(&str, &str)> = merged.annotations.iter().map(|a| (a.id.as_str(), a.note.as_str())).collect();
    // a1-1's note from the log; a1-2 deleted by it; a1-4 added.
    assert_eq!(got, [("a1-1", "Check the minutes of 3 May."), ("a1-4", "")]);
    assert_eq!(merged.annotations[0].review, decoded.anchored[0].review, "the review stays the envelope's");
    let fast = read_current(&base, Some(log), "story-42", &d).expect("the first paint reads it");
    let fast: Vec<&str> = fast.anchored.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(fast, ["a1-1", "a1-4"]);
    // A log on another text, or another document's, is left to the annotator.
    let moved = log.replace("5f2d62238ab6cf0b", "0000000000000000");
    assert!(read_current(&base, Some(&moved), "story-42", &d).is_none());
    assert!(read_current(&base, Some("not json"), "story-42", &d).is_none());
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
    let copies: Vec<usize> = new_text.match_indices("north bank").map(|(b, _)| new_text[..b].chars().count()).collect();
    let placed = |raw: &str| decode_annotations(raw, "story", &new).expect("decodes").anchored[0].span.start();
    assert_eq!(placed(&raw), copies[1], "the second copy, as saved");
    assert_eq!(read_current(&raw, None, "story", &new).map(|d| d.anchored[0].span.start()), Some(copies[1]));
    let mut value: Value = serde_json::from_str(&raw).expect("json");
    value.as_object_mut().expect("object").remove("outline");
    assert_eq!(placed(&value.to_string()), copies[0], "without the outline, the nearer copy");
}

#[test]
fn tombstones_round_trip() {
    let d = doc();
    let t = Tombstone { id: crate::annotation::AnnotationId::generate(1, 2), at: 77, last: None };
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
