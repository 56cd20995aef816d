//! The annotator's tables of cases and properties: actions, undo, buckets.

use super::*;
use crate::merge::Replica;
use proptest::prelude::*;

pub(super) fn env(n: u64) -> Env {
    Env { now_ms: 1_700_000_000_000 + n, entropy: n }
}

pub(super) fn span(a: usize, b: usize) -> Span {
    Span::new(a, b).expect("valid")
}

pub(super) fn annotator(text: &str) -> Annotator {
    Annotator::new(Rc::new(Document::from_text(text)), Rc::default(), Vec::new(), Vec::new())
}

pub(super) fn id_of(outcome: &Outcome) -> AnnotationId {
    outcome.changes[0].id.clone()
}

pub(super) fn tag(id: &str) -> Tag {
    Tag::parse(id).expect("valid tag")
}

pub(super) fn claim() -> Tag {
    tag("claim")
}

pub(super) fn quote() -> Tag {
    tag("quote")
}

#[test]
fn tidy_selection_table() {
    let doc = Document::from_text("The UK will join.\nNext line");
    let cases = [
        ((0, 3), Some((0, 3))),
        ((3, 7), Some((4, 6))),     // " UK " loses its spaces
        ((16, 19), Some((16, 19))), // ".\nN": only the ends are trimmed
        ((17, 18), None),           // just the paragraph break
        ((3, 4), None),             // just a space
        ((5, 5), None),
        ((24, 99), Some((24, 27))), // clamped to the end
        ((99, 120), None),
    ];
    for ((a, b), want) in cases {
        let got = tidy_selection(&doc, a, b).map(|s| (s.start(), s.end()));
        assert_eq!(got, want, "selection {a}..{b}");
    }
}

#[test]
fn covering_finds_every_highlight_under_a_character_smallest_first() {
    let mut an = annotator("One two three\nFour five");
    let wide = id_of(&an.apply(Action::Create { span: span(0, 19), tag: claim() }, env(1)).expect("made"));
    let mid = id_of(&an.apply(Action::Create { span: span(4, 13), tag: quote() }, env(2)).expect("made"));
    let small = id_of(&an.apply(Action::Create { span: span(4, 7), tag: claim() }, env(3)).expect("made"));
    let ids = |cp| an.covering(cp).into_iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    let cases = [
        (0, vec![wide.clone()]),
        (4, vec![small.clone(), mid.clone(), wide.clone()]),
        (7, vec![mid.clone(), wide.clone()]), // the end is not covered
        (13, vec![wide.clone()]),             // the paragraph break
        (15, vec![wide.clone()]),             // across it
        (19, vec![]),
        (99, vec![]),
    ];
    for (cp, want) in cases {
        assert_eq!(ids(cp), want, "cp {cp}");
    }
}

#[test]
fn create_retag_delete_report_touched_paragraphs() {
    let mut an = annotator("One two\nThree four\nFive");
    let made = an.apply(Action::Create { span: span(4, 13), tag: claim() }, env(1)).expect("created");
    assert_eq!(made.touched, 0..2);
    assert_eq!(made.message, "Claim added");
    assert_eq!(an.get(&id_of(&made)).map(|a| a.quote.exact.as_str()), Some("two\nThree"));

    let re = an.apply(Action::Retag { id: id_of(&made).clone(), tag: quote() }, env(2)).expect("retagged");
    assert_eq!(re.message, "Claim changed to Quote");
    assert_eq!(an.annotations().iter().filter(|a| a.tag == quote()).count(), 1);
    assert_eq!(an.get(&id_of(&made)).map(|a| (a.created, a.updated)), Some((env(1).now_ms, env(2).now_ms)));

    let del = an.apply(Action::Delete { id: id_of(&made).clone() }, env(3)).expect("deleted");
    assert_eq!(del.touched, 0..2);
    assert!(an.annotations().is_empty());
    assert_eq!(an.apply(Action::Delete { id: id_of(&made).clone() }, env(4)), Err(ActionError::Unknown(id_of(&made))));
}

#[test]
fn refusals() {
    let mut an = annotator("ab cd");
    assert!(matches!(
        an.apply(Action::Create { span: span(0, 9), tag: claim() }, env(1)),
        Err(ActionError::OutOfRange { .. })
    ));
    assert_eq!(an.apply(Action::Create { span: span(2, 3), tag: claim() }, env(1)), Err(ActionError::Blank));
    let first = an.apply(Action::Create { span: span(0, 2), tag: claim() }, env(1)).expect("created");
    assert_eq!(
        an.apply(Action::Create { span: span(0, 2), tag: claim() }, env(2)),
        Err(ActionError::Duplicate(id_of(&first)))
    );
    // The same span with another tag is a second annotation.
    assert!(an.apply(Action::Create { span: span(0, 2), tag: quote() }, env(3)).is_ok());
}

#[test]
fn every_change_undoes_and_redoes() {
    let mut an = annotator("One two three four");
    let tags = |an: &Annotator| {
        an.annotations().iter().map(|a| (a.quote.exact.clone(), a.tag.to_string(), a.note.clone())).collect::<Vec<_>>()
    };
    let made = an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let id = id_of(&made);
    an.apply(Action::Retag { id: id.clone(), tag: quote() }, env(2)).expect("retagged");
    an.apply(Action::Note { id: id.clone(), text: "  check the figure  ".into() }, env(3)).expect("noted");
    assert_eq!(tags(&an), [("One".into(), "quote".into(), "check the figure".into())]);
    let undone = an.apply(Action::Undo, env(4)).expect("undo note");
    assert_eq!(undone.message, "Undone: Note saved");
    assert_eq!(tags(&an), [("One".into(), "quote".into(), String::new())]);
    an.apply(Action::Undo, env(5)).expect("undo retag");
    assert_eq!(tags(&an), [("One".into(), "claim".into(), String::new())]);
    let gone = an.apply(Action::Undo, env(6)).expect("undo create");
    assert!(an.annotations().is_empty());
    assert_eq!(gone.changes[0].after, None, "the shell hears of a deletion");
    assert!(an.deleted().iter().any(|t| t.id == id), "other tabs drop it too");
    assert_eq!(an.apply(Action::Undo, env(7)), Err(ActionError::NothingToUndo));
    for _ in 0..3 {
        an.apply(Action::Redo, env(8)).expect("redo");
    }
    assert_eq!(tags(&an), [("One".into(), "quote".into(), "check the figure".into())]);
    assert!(an.get(&id).is_some_and(|a| a.updated > an.deleted()[0].at), "back, and newer than its tombstone");
    assert_eq!(an.apply(Action::Redo, env(9)), Err(ActionError::NothingToRedo));
    // An undo is a change of its own: it wins over the copy saved before it.
    let saved = Replica { annotations: an.all(), deleted: an.deleted().to_vec() };
    an.apply(Action::Undo, env(20)).expect("undo the note again");
    an.merge_in(&saved);
    assert_eq!(an.get(&id).map(|a| a.note.as_str()), Some(""));
    an.apply(Action::Redo, env(21)).expect("redo the note");
    // Delete and undo; import and undo.
    an.apply(Action::Delete { id: id.clone() }, env(10)).expect("deleted");
    an.apply(Action::Undo, env(11)).expect("undo delete");
    assert_eq!(an.annotations().len(), 1);
    let doc = an.document().clone();
    let batch = vec![
        Annotation::new(&doc, AnnotationId::generate(1, 1), span(4, 7), claim(), 1),
        Annotation::new(&doc, AnnotationId::generate(1, 2), span(8, 13), claim(), 1),
    ];
    assert_eq!(an.add_all(batch, 12).0.len(), 2);
    assert_eq!(an.annotations().len(), 3);
    let undone = an.apply(Action::Undo, env(13)).expect("undo import");
    assert_eq!((an.annotations().len(), undone.changes.len()), (1, 2));
}

#[test]
fn both_copies_are_tagged_and_undone_together() {
    let mut an = annotator("A caption here\nA caption here\nBody");
    let out = an
        .apply(Action::CreateMany { spans: vec![span(0, 14), span(15, 29)], tag: tag("caption") }, env(1))
        .expect("created");
    assert_eq!(out.message, "2 captions added");
    assert_eq!(out.touched, 0..2);
    assert_eq!(an.annotations().len(), 2);
    assert_ne!(an.annotations()[0].id, an.annotations()[1].id);
    an.apply(Action::Undo, env(2)).expect("undo");
    assert!(an.annotations().is_empty());
}

proptest! {
    #[test]
    fn any_order_of_creation_paints_and_hits_the_same(
        picks in prop::collection::vec((0usize..30, 1usize..8, 0usize..3), 1..10),
        rotate in 0usize..10,
    ) {
        let doc = Rc::new(Document::from_text("Alpha beta gamma\ndelta 😀 epsilon\nzeta"));
        let tags = TagSet::standard();
        let actions: Vec<(Span, Tag)> = picks
            .iter()
            .filter_map(|&(s, w, t)| Some((tidy_selection(&doc, s, s + w)?, tags.defs()[t].tag.clone())))
            .collect();
        // What is painted (span and tag of each, in order) and what a
        // click on each code point finds.
        let run = |order: Vec<(Span, Tag)>| {
            let mut an = Annotator::new(doc.clone(), Rc::default(), Vec::new(), Vec::new());
            for (i, (span, tag)) in order.into_iter().enumerate() {
                let _ = an.apply(Action::Create { span, tag }, env(i as u64));
            }
            let painted: Vec<(Span, Tag)> = an.annotations().iter().map(|a| (a.span, a.tag.clone())).collect();
            let hits: Vec<Vec<(Span, Tag)>> = (0..doc.len())
                .map(|cp| {
                    let mut found: Vec<(Span, Tag)> = an.covering(cp).iter().map(|a| (a.span, a.tag.clone())).collect();
                    found.sort();
                    found
                })
                .collect();
            (painted, hits)
        };
        let mut other = actions.clone();
        let len = other.len();
        other.rotate_left(rotate % len.max(1));
        other.reverse();
        // Identical span+tag pairs are refused as duplicates, so the sets agree.
        let (mut a, mut b) = (run(actions), run(other));
        a.0.sort();
        b.0.sort();
        prop_assert_eq!(a, b);
    }
}

/// A retag keeps a claim's fact-check out of sight (nothing exports it)
/// and a retag back brings it back, each said.
#[test]
fn retagging_keeps_a_review_out_of_sight_and_brings_it_back() {
    let mut an = annotator("One two three");
    let id = id_of(&an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("made"));
    let review = crate::review::Review {
        verdict: Some("false".into()),
        status: crate::review::Status::Checked,
        reviewer: "A. Checker".into(),
        ..Default::default()
    };
    an.apply(Action::Review { id: id.clone(), review: Some(review.clone()) }, env(2)).expect("reviewed");
    let caption = tag("caption");
    let out = an.apply(Action::Retag { id: id.clone(), tag: caption }, env(3)).expect("retagged");
    assert_eq!(out.message, "Claim changed to Caption; its fact-check is kept, out of sight");
    let a = an.get(&id).expect("held").clone();
    let verdict = |r: Option<&crate::review::Review>| r.and_then(|r| r.verdict.clone());
    assert_eq!(
        (verdict(a.review.as_deref()), a.shown_review(), a.kept_aside()),
        (review.verdict.clone(), None, Some("fact-check"))
    );
    let w3c = crate::w3c::to_w3c_rated(&a, "urn:x", &crate::review::Scale::default());
    let bodies = w3c["body"].as_array().cloned().unwrap_or_default();
    assert!(!bodies.is_empty() && bodies.iter().all(|b| b["purpose"] != "assessing"), "{bodies:?}");
    let out = an.apply(Action::Retag { id: id.clone(), tag: claim() }, env(4)).expect("retagged");
    assert_eq!(out.message, "Caption changed to Claim; its fact-check is back");
    assert_eq!(verdict(an.get(&id).and_then(|a| a.shown_review())), review.verdict);
}

#[test]
fn accepting_keeps_the_rules_reason_beside_the_annotation_not_as_its_note() {
    let text = "The barrier will protect 4,300 homes. “We will,” she said.";
    let mut an = annotator(text);
    let items = vec![(span(4, 36), claim(), "numbers".to_string()), (span(38, 48), quote(), String::new())];
    let out = an.apply(Action::Accept { items, with_speakers: false }, env(1)).expect("accepted");
    assert_eq!(out.message, "2 suggestion(s) accepted");
    let claim_ann = an.annotations().iter().find(|a| a.tag == claim()).cloned().expect("the claim");
    assert!(claim_ann.suggested);
    assert_eq!((claim_ann.note.as_str(), claim_ann.suggested_because.as_str()), ("", "numbers"));
    // In W3C: no commenting body from a rule; the reason is a classifying
    // body by the software, and it comes back on import.
    let w3c = crate::w3c::to_w3c(&claim_ann, "urn:x");
    let bodies = w3c["body"].as_array().cloned().unwrap_or_default();
    assert!(bodies.iter().all(|b| b["purpose"] != "commenting"), "{bodies:?}");
    let reason = bodies.iter().find(|b| b["value"] == "numbers").expect("the reason body");
    assert_eq!(
        (reason["purpose"].as_str(), reason["creator"]["type"].as_str()),
        (Some("classifying"), Some("Software"))
    );
    let back = crate::w3c::Importer::new(an.document(), 0).import(&w3c).expect("imports");
    assert_eq!((back.suggested, back.suggested_because.as_str(), back.note.as_str()), (true, "numbers", ""));
    // One step: Undo takes both away.
    an.apply(Action::Undo, env(2)).expect("undone");
    assert!(an.annotations().is_empty());
}

#[test]
fn accepting_quotes_with_their_speakers_records_each_speaker_found() {
    let text = "“We will,” said Mara Lind. “Soon,” someone said. The barrier costs £48m.";
    let speaker = format!("{}Mara Lind", crate::suggest::SPEAKER_NOTE);
    let items = || {
        vec![
            (span(0, 10), quote(), speaker.clone()),
            (span(26, 33), quote(), String::new()),
            (span(48, 72), claim(), "numbers".to_string()),
        ]
    };
    // (with_speakers, speakers recorded in document order, message)
    let cases = [
        (true, vec![Some("Mara Lind"), None], "3 suggestion(s) accepted, 1 with the speaker found"),
        (false, vec![None, None], "3 suggestion(s) accepted"),
    ];
    for (with_speakers, want, message) in cases {
        let mut an = annotator(text);
        let out = an.apply(Action::Accept { items: items(), with_speakers }, env(1)).expect("accepted");
        assert_eq!(out.message, message);
        let got: Vec<Option<String>> = an
            .annotations()
            .iter()
            .filter(|a| a.tag == quote())
            .map(|a| a.attribution.as_ref().map(|at| at.speaker.clone()))
            .collect();
        assert_eq!(got, want.iter().map(|w| w.map(String::from)).collect::<Vec<_>>(), "{with_speakers}");
        // A claim never gets a speaker.
        assert!(an.annotations().iter().filter(|a| a.tag == claim()).all(|a| a.attribution.is_none()));
    }
}

#[test]
fn a_version_placed_elsewhere_is_not_a_difference_to_write_back() {
    let mut an = annotator("One two three.\nFour five six.");
    an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let here = Replica { annotations: an.all(), deleted: an.deleted().to_vec() };
    assert!(!an.differs_from(&here));
    // Another view placed the same version on its own text.
    let mut elsewhere = here.clone();
    elsewhere.annotations[0].span = span(4, 7);
    elsewhere.annotations[0].quote.exact = "two".into();
    assert!(!an.differs_from(&elsewhere), "the same version, placed on another text");
    // A later version, or a part that differs, is a difference.
    let mut later = here.clone();
    later.annotations[0].updated += 1;
    assert!(an.differs_from(&later));
    let mut noted = here.clone();
    noted.annotations[0].note = "a note".into();
    assert!(an.differs_from(&noted));
    assert!(an.differs_from(&Replica::default()));
}
