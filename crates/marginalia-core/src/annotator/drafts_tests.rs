//! Drafts in the annotator: typed, saved with their form, discarded, and
//! each brought back by undo.

use super::tests::{annotator, claim, env, id_of, span};
use super::*;

fn text(t: &str) -> Fields {
    Fields::from([("text".to_string(), t.to_string())])
}

#[test]
fn table_of_what_happens_to_a_draft() {
    type Steps = fn(&mut Annotator, &AnnotationId);
    // (what the reader did, the steps, the note then, the note's draft then)
    let cases: Vec<(&str, Steps, &str, Option<&str>)> = vec![
        (
            "typed, then the form closed by any means: kept",
            |an, id| {
                an.type_draft(id, Form::Note, text("half a tho"), 10).expect("typed");
            },
            "",
            Some("half a tho"),
        ),
        (
            "typed and saved: the note, no draft",
            |an, id| {
                an.type_draft(id, Form::Note, text("done"), 10).expect("typed");
                an.apply(Action::Note { id: id.clone(), text: "done".into() }, env(11)).expect("saved");
            },
            "done",
            None,
        ),
        (
            "saved, then undone: the draft is back, the note not",
            |an, id| {
                an.type_draft(id, Form::Note, text("done"), 10).expect("typed");
                an.apply(Action::Note { id: id.clone(), text: "done".into() }, env(11)).expect("saved");
                an.apply(Action::Undo, env(12)).expect("undone");
            },
            "",
            Some("done"),
        ),
        (
            "discarded",
            |an, id| {
                an.type_draft(id, Form::Note, text("oops"), 10).expect("typed");
                an.apply(Action::Discard { id: id.clone(), form: Form::Note }, env(11)).expect("discarded");
            },
            "",
            None,
        ),
        (
            "discarded, then undone: back",
            |an, id| {
                an.type_draft(id, Form::Note, text("oops"), 10).expect("typed");
                an.apply(Action::Discard { id: id.clone(), form: Form::Note }, env(11)).expect("discarded");
                an.apply(Action::Undo, env(12)).expect("undone");
            },
            "",
            Some("oops"),
        ),
        (
            "discarded, undone, redone: gone again",
            |an, id| {
                an.type_draft(id, Form::Note, text("oops"), 10).expect("typed");
                an.apply(Action::Discard { id: id.clone(), form: Form::Note }, env(11)).expect("discarded");
                an.apply(Action::Undo, env(12)).expect("undone");
                an.apply(Action::Redo, env(13)).expect("redone");
            },
            "",
            None,
        ),
        (
            "a fact-check saved leaves the note's draft alone",
            |an, id| {
                an.type_draft(id, Form::Note, text("keep me"), 10).expect("typed");
                let review = crate::review::Review { status: crate::review::Status::InProgress, ..Default::default() };
                an.apply(Action::Review { id: id.clone(), review: Some(review) }, env(11)).expect("saved");
            },
            "",
            Some("keep me"),
        ),
        (
            "a field emptied is a draft too (it would remove the note)",
            |an, id| {
                an.apply(Action::Note { id: id.clone(), text: "old".into() }, env(9)).expect("saved");
                an.type_draft(id, Form::Note, text(""), 10).expect("typed");
            },
            "old",
            Some(""),
        ),
    ];
    for (what, steps, note, draft) in cases {
        let mut an = annotator("One two three");
        let id = id_of(&an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("made"));
        steps(&mut an, &id);
        assert_eq!(an.get(&id).map(|a| a.note.as_str()), Some(note), "{what}: the note");
        let got = an.drafts().get(&id, Form::Note).map(|d| d.fields["text"].as_str());
        assert_eq!(got, draft, "{what}: the draft");
    }
}

#[test]
fn nothing_to_discard_and_an_unknown_annotation_are_refused() {
    let mut an = annotator("One two three");
    let id = id_of(&an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("made"));
    assert_eq!(
        an.apply(Action::Discard { id: id.clone(), form: Form::Review }, env(2)),
        Err(ActionError::NoDraft(Form::Review))
    );
    let stranger = AnnotationId::generate(9, 9);
    assert_eq!(an.type_draft(&stranger, Form::Note, text("x"), 3), Err(ActionError::Unknown(stranger)));
}

#[test]
fn an_invalid_fact_check_is_not_saved_and_its_draft_stays() {
    let mut an = annotator("One two three");
    let id = id_of(&an.apply(Action::Create { span: span(0, 3), tag: claim() }, env(1)).expect("made"));
    let fields = Fields::from([("verdict".to_string(), "false".to_string())]);
    an.type_draft(&id, Form::Review, fields.clone(), 5).expect("typed");
    let bad = crate::review::Review {
        verdict: Some("no-such-verdict".into()),
        status: crate::review::Status::Checked,
        ..Default::default()
    };
    assert!(matches!(
        an.apply(Action::Review { id: id.clone(), review: Some(bad) }, env(6)),
        Err(ActionError::Invalid(_))
    ));
    assert_eq!(an.drafts().get(&id, Form::Review).map(|d| &d.fields), Some(&fields));
}
