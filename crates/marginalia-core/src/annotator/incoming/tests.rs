//! Tables of what an item from elsewhere does here: `judge`, `replace_all`, `put_one`, merges.

use super::super::tests::{annotator, claim, env, id_of, quote, span};
use super::*;
use crate::annotator::Action;
use crate::field_times::{Field, FieldTimes};
use crate::span::Span;

#[test]
fn rebasing_on_an_edited_text_moves_orphans_and_brings_back() {
    let mut an = annotator("Intro.\nThe council voted to build it.\nEnd.");
    let voted = id_of(&an.apply(Action::Create { span: span(19, 24), tag: claim() }, env(1)).expect("made"));
    let end = id_of(&an.apply(Action::Create { span: span(38, 41), tag: quote() }, env(2)).expect("made"));
    // A paragraph is inserted before, and the last one is rewritten.
    let moved = an.rebase(Rc::new(Document::from_text("Intro.\nA correction.\nThe council voted to build it.\nFin.")));
    assert_eq!(moved, 1);
    let got = an.get(&voted).expect("still anchored");
    assert_eq!(&an.document().text()[..][got.span.start()..got.span.end()], "voted");
    assert!(an.get(&end).is_none() && an.orphaned().iter().any(|a| a.id == end), "orphaned, not lost");
    assert!(!an.history().can_undo(), "undo was of the old text");
    // The text comes back: so does the orphan.
    an.rebase(Rc::new(Document::from_text("Intro.\nThe council voted to build it.\nEnd.")));
    assert_eq!(an.get(&end).map(|a| a.quote.exact.as_str()), Some("End"));
    assert!(an.orphaned().is_empty());
}

/// The highlights on words printed twice stay on their own copy when the
/// host edits elsewhere: inserts, deletes or replaces before, between
/// and after the copies (the old position would pick the other copy).
/// One whose words the host deleted is orphaned, not moved onto
/// another copy that was there all along.
#[test]
fn rebasing_keeps_each_highlight_on_its_own_copy() {
    const CAPTION: &str = "Pictured: the flood barrier at Millbridge";
    let old =
        format!("Barrier opens.\nThe council said it voted.\n{CAPTION}\nThe council said it waited.\n{CAPTION}\nEnd.");
    let note = "An editor's note of about fifty characters, added.\n";
    // (what the host did: where, what it removed, what it put there)
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("inserted above both", "The council said it voted", "", note),
        ("inserted between", "The council said it waited", "", note),
        ("inserted after", "End.", "", note),
        ("deleted above", "The council said it voted", "The council said it voted.\n", ""),
        ("deleted between", "The council said it waited", "The council said it waited.\n", ""),
        ("replaced above", " voted.", " voted.", " voted on a barrier."),
        ("replaced between", "it waited", "it", "it had"),
    ];
    let cp = |text: &str, byte: usize| text[..byte].chars().count();
    let spans = |text: &str, needle: &str| -> Vec<Span> {
        text.match_indices(needle).map(|(b, _)| span(cp(text, b), cp(text, b) + needle.chars().count())).collect()
    };
    for (what, at, removed, inserted) in cases {
        let byte = old.find(at).expect("the place is in the text");
        let new = format!("{}{inserted}{}", &old[..byte], &old[byte + removed.len()..]);
        let (from, gone, delta) = (cp(&old, byte), removed.chars().count(), inserted.chars().count());
        for word in ["barrier", "the", "The council said", CAPTION] {
            let mut an = annotator(&old);
            let made: Vec<(AnnotationId, Span)> = spans(&old, word)
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let made = an.apply(Action::Create { span: s, tag: claim() }, env(i as u64 + 1));
                    (id_of(&made.expect("made")), s)
                })
                .collect();
            an.rebase(Rc::new(Document::from_text(&new)));
            for (id, was) in made {
                let want = if was.end() <= from {
                    Some(was)
                } else if was.start() >= from + gone {
                    Some(span(was.start() - gone + delta, was.end() - gone + delta))
                } else {
                    None // its words were removed
                };
                let got = an.get(&id).map(|a| a.span);
                assert_eq!(got, want, "{what} / {word:?} at {was:?}");
                if want.is_none() {
                    assert!(an.orphaned().iter().any(|a| a.id == id), "{what} / {word:?}: kept as an orphan");
                }
            }
        }
    }
}

#[test]
fn put_one_adds_a_new_id_and_replaces_a_known_one() {
    let mut an = annotator("One two three");
    let doc = an.document().clone();
    let a = Annotation::new(&doc, AnnotationId::generate(1, 1), span(0, 3), claim(), 5);
    let added = an.put_one(a.clone(), 10).expect("taken").expect("a change");
    assert!(added.before.is_none());
    assert_eq!(an.get(&a.id).map(|x| x.quote.exact.as_str()), Some("One"));
    let mut moved = a.clone();
    moved.span = span(4, 7);
    moved.quote = crate::annotation::TextQuote::capture(&doc, moved.span);
    moved.tag = quote();
    let changed = an.put_one(moved, 20).expect("taken").expect("a change");
    assert_eq!(changed.before.map(|b| b.span), Some(span(0, 3)));
    let now = an.get(&a.id).expect("still there");
    assert_eq!((now.span, now.tag.clone(), now.quote.exact.as_str()), (span(4, 7), quote(), "two"));
    assert!(now.updated >= 20, "a change counts as newer than the copy it replaced");
    assert_eq!(an.annotations().len(), 1);
    an.apply(Action::Undo, env(30)).expect("undone");
    assert_eq!(an.get(&a.id).map(|x| x.span), Some(span(0, 3)));
}

/// The embedder's edits are edits: the rule of `Given`, case by case.
#[test]
fn table_of_what_a_given_annotation_does() {
    let doc = Document::from_text("One two three");
    let held = {
        let mut a = Annotation::new(&doc, AnnotationId::generate(1, 1), span(0, 3), claim(), 5);
        a.note = "b: first".into();
        a.updated = 50;
        a
    };
    let with = |f: &dyn Fn(&mut Annotation)| {
        let mut a = held.clone();
        f(&mut a);
        a
    };
    let cases: Vec<(&str, Option<&Annotation>, Annotation, Given)> = vec![
        ("a new id is added as given", None, held.clone(), Given::New(held.clone())),
        ("the same, same time", Some(&held), held.clone(), Given::Same),
        ("the same, an older time: nothing to refuse", Some(&held), with(&|a| a.updated = 1), Given::Same),
        ("the same, a newer time: no change either", Some(&held), with(&|a| a.updated = 90), Given::Same),
        (
            "a note changed, the same time: changed now",
            Some(&held),
            with(&|a| a.note = "a: corrected".into()),
            // Only the note counts as changed now; the rest as when it was.
            Given::Changed(with(&|a| {
                a.note = "a: corrected".into();
                a.updated = 100;
                a.times = FieldTimes::all(50).with(Field::Note, 0);
            })),
        ),
        (
            "a tag changed, a later time: changed now",
            Some(&held),
            with(&|a| (a.tag, a.updated) = (quote(), 70)),
            Given::Changed(with(&|a| {
                (a.tag, a.updated) = (quote(), 100);
                a.times = FieldTimes::all(50).with(Field::Tag, 0);
            })),
        ),
        (
            "changed, but older than held: refused",
            Some(&held),
            with(&|a| (a.note, a.updated) = ("stale".into(), 49)),
            Given::Older(Older { given: 49, held: 50 }),
        ),
        (
            "the fuzzy score alone is not something the embedder edits",
            Some(&held),
            with(&|a| a.fuzzy = Some(80)),
            Given::Same,
        ),
    ];
    for (what, held, given, want) in cases {
        assert_eq!(judge(held, given, 100), want, "{what}");
    }
    // Held at a time after "now" (another device's clock): still later.
    let ahead = with(&|a| a.updated = 500);
    let got = judge(Some(&ahead), with(&|a| (a.note, a.updated) = ("x".into(), 500)), 100);
    assert!(matches!(got, Given::Changed(a) if a.updated == 501));
}

/// Issue 32, defect 2: an edit through `setAnnotations` that keeps the
/// read `modified` wins over what was saved, in this copy and when
/// merged with the saved copy (what the save does first).
#[test]
fn an_edit_given_with_the_same_time_wins_over_the_saved_copy() {
    let mut an = annotator("One two three");
    let made = an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("made");
    an.apply(Action::Note { id: id_of(&made), text: "b: first".into() }, env(10)).expect("noted");
    let saved = an.replica();
    let mut edited = an.all();
    edited[0].note = "a: corrected".into();
    an.replace_all(edited, 20);
    assert_eq!(an.annotations()[0].note, "a: corrected");
    an.merge_in(&saved);
    assert_eq!(an.annotations()[0].note, "a: corrected", "the saved copy is older than the edit");
    // An older copy given back is refused: the held edit stays.
    let mut stale = saved.annotations.clone();
    stale[0].note = "c: stale".into();
    stale[0].updated = 5;
    an.replace_all(stale.clone(), 30);
    assert_eq!(an.annotations()[0].note, "a: corrected");
    assert!(matches!(an.put_one(stale[0].clone(), 40), Err(Older { given: 5, .. })));
    assert_eq!(an.put_one(an.all()[0].clone(), 50), Ok(None), "the same again changes nothing");
}

/// Issue 32, defect 1: an orphan can be deleted, and the deletion undone
/// leaves it an orphan (never drawn on other text).
#[test]
fn an_orphan_is_deleted_and_undone_as_an_orphan() {
    let mut an = annotator("They voted on Monday.");
    let made = an.apply(Action::Create { span: span(5, 20), tag: claim() }, env(1)).expect("made");
    let id = id_of(&made);
    an.rebase(Rc::new(Document::from_text("They voted on Friday.")));
    assert!(an.get(&id).is_none() && an.held(&id).is_some(), "orphaned");
    let out = an.apply(Action::Delete { id: id.clone() }, env(5)).expect("an orphan can be deleted");
    assert_eq!(out.changes.len(), 1);
    assert!(an.held(&id).is_none() && an.deleted().iter().any(|t| t.id == id));
    an.apply(Action::Undo, env(6)).expect("undone");
    assert!(an.get(&id).is_none(), "not drawn on other words");
    assert_eq!(an.orphaned().iter().map(|a| &a.id).collect::<Vec<_>>(), [&id]);
}

#[test]
fn two_tabs_merge_without_losing_either_side() {
    let mut a = annotator("One two three four five");
    let mut b = annotator("One two three four five");
    a.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let shared = Replica { annotations: a.all(), deleted: vec![] };
    assert!(b.merge_in(&shared));
    // Concurrently: a adds, b deletes the shared one and adds its own.
    a.apply(Action::Create { span: span(4, 7), tag: quote() }, env(2)).expect("created");
    let gone = b.annotations()[0].id.clone();
    b.apply(Action::Delete { id: gone.clone() }, env(3)).expect("deleted");
    b.apply(Action::Create { span: span(8, 13), tag: quote() }, env(4)).expect("created");
    let from_a = Replica { annotations: a.all(), deleted: a.deleted().to_vec() };
    let from_b = Replica { annotations: b.all(), deleted: b.deleted().to_vec() };
    assert!(a.merge_in(&from_b));
    assert!(b.merge_in(&from_a));
    let texts = |an: &Annotator| an.annotations().iter().map(|x| x.quote.exact.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&a), ["two", "three"]);
    assert_eq!(texts(&a), texts(&b));
    assert!(!a.merge_in(&from_b), "merging the same copy again changes nothing");
    // a now holds what b's copy lacked (a's own quote): a must write back.
    assert!(a.differs_from(&from_b));
    assert!(!a.differs_from(&a.replica()));
}

/// Another copy's version of the same edit, placed elsewhere by its
/// own anchoring, does not move the highlight drawn here; a newer
/// version whose span does not hold its quote here is placed by its
/// quote, not orphaned.
#[test]
fn a_merged_copy_does_not_move_a_highlight_onto_other_words() {
    let text = "Photo: the slip at dawn.\nPhoto: the slip at dawn.\nEnd.";
    let mut an = annotator(text);
    let made = an.apply(Action::Create { span: span(11, 15), tag: claim() }, env(1)).expect("made");
    let id = id_of(&made);
    let here = an.get(&id).expect("drawn").clone();
    // The other copy has it on the second "slip", the same edit (which
    // the merge's order alone would pick: the later span).
    let elsewhere = Annotation { span: span(36, 40), ..here.clone() };
    an.merge_in(&Replica { annotations: vec![elsewhere.clone()], deleted: vec![] });
    assert_eq!(an.get(&id).map(|a| a.span), Some(span(11, 15)), "the same edit: placed here");
    // A newer edit there (a note), with a span that holds nothing here: placed by its quote.
    let newer = Annotation { span: span(2, 6), note: "From the other tab".into(), updated: here.updated + 5, ..here };
    assert!(an.merge_in(&Replica { annotations: vec![newer], deleted: vec![] }));
    let got = an.get(&id).expect("still drawn");
    assert_eq!(
        (got.note.as_str(), &an.document().text()[got.span.start()..got.span.end()]),
        ("From the other tab", "slip")
    );
    assert!(an.orphaned().is_empty());
}

#[test]
fn replacing_leaves_tombstones_and_a_comeback_wins_over_them() {
    let mut an = annotator("One two three");
    an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let saved = an.all();
    an.replace_all(Vec::new(), 100);
    assert!(an.annotations().is_empty());
    let other_tab = Replica { annotations: saved.clone(), deleted: vec![] };
    assert!(!an.merge_in(&other_tab), "an older copy elsewhere does not bring it back");
    an.replace_all(saved.clone(), 200);
    assert_eq!(an.annotations().len(), 1);
    assert!(an.annotations()[0].updated > 100);
    // A tab that only saw the clearing merges the comeback and keeps it.
    let mut cleared = annotator("One two three");
    cleared.merge_in(&Replica {
        annotations: vec![],
        deleted: vec![Tombstone { id: saved[0].id.clone(), at: 100, last: None }],
    });
    assert!(cleared.merge_in(&Replica { annotations: an.all(), deleted: an.deleted().to_vec() }));
    assert_eq!(cleared.annotations().len(), 1);
    // Setting the same list again changes nothing, not even times.
    let before = an.all();
    an.replace_all(before.clone(), 300);
    assert_eq!(an.all(), before);
}

#[test]
fn import_adds_and_never_overwrites() {
    let mut an = annotator("One two three");
    let made = an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let doc = an.document().clone();
    let mut same_id = Annotation::new(&doc, id_of(&made).clone(), span(4, 7), quote(), 9);
    same_id.updated = 99;
    let fresh = Annotation::new(&doc, AnnotationId::generate(5, 5), span(8, 13), quote(), 9);
    let (added, skipped) = an.add_all(vec![same_id, fresh.clone()], 10);
    assert_eq!((added.len(), skipped), (1, vec![id_of(&made)]));
    assert_eq!(an.get(&id_of(&made)).map(|a| a.tag.clone()), Some(claim()), "the existing one is untouched");
    assert_eq!(an.get(&fresh.id), Some(&fresh));
    assert_eq!(an.annotations().len(), 2);
}

/// Issue 29: two tabs change different parts of one annotation at once (a
/// verdict in one, a note in the other): each tab ends with both. An undo
/// in one, after the other heard the edit, stays undone there too.
#[test]
fn parts_changed_at_once_in_two_tabs_are_both_kept() {
    let mut a = annotator("One two three four five");
    let mut b = annotator("One two three four five");
    let made = a.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("created");
    let id = id_of(&made);
    assert!(b.merge_in(&a.replica()));
    let review = crate::review::Review { verdict: Some("false".into()), ..Default::default() };
    a.apply(Action::Review { id: id.clone(), review: Some(review) }, env(10)).expect("reviewed");
    b.apply(Action::Note { id: id.clone(), text: "Ask the clerk".into() }, env(11)).expect("noted");
    let (from_a, from_b) = (a.replica(), b.replica());
    assert!(a.merge_in(&from_b));
    assert!(b.merge_in(&from_a));
    for tab in [&a, &b] {
        let x = tab.get(&id).expect("kept");
        assert_eq!(x.note, "Ask the clerk");
        assert_eq!(x.review.as_ref().and_then(|r| r.verdict.as_deref()), Some("false"));
    }
    assert_eq!(a.replica(), b.replica());
    // b undoes its note; a, which has the note, hears of the undo: gone in both.
    b.apply(Action::Undo, env(20)).expect("undone");
    assert!(a.merge_in(&b.replica()));
    assert!(!b.merge_in(&a.replica()) || b.get(&id).is_some_and(|x| x.note.is_empty()));
    for tab in [&a, &b] {
        let x = tab.get(&id).expect("kept");
        assert_eq!(
            (x.note.as_str(), x.review.is_some()),
            ("", true),
            "the undone note stays undone, the verdict stays"
        );
    }
}
