//! The note editor: plain text, saved on request. What is typed is the
//! note's draft (the core keeps it, saved with the annotations), so closing
//! the form, a reload or another tab never loses it; only Discard does.

use crate::drafts::{fields, DraftProps};
use marginalia_core::drafts::Form;
use marginalia_core::AnnotationId;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoteProps {
    pub id: AnnotationId,
    pub note: AttrValue,
    pub on_save: Callback<(AnnotationId, String)>,
    #[prop_or_default]
    pub draft: DraftProps,
}

#[component]
pub fn NoteEditor(props: &NoteProps) -> Html {
    let area = use_node_ref();
    let field = format!("note-{}", props.id);
    let typed = props.draft.field("text");
    let shown = typed.clone().unwrap_or_else(|| props.note.to_string());
    // The draft or the note changed from outside (saved, discarded, undone,
    // another tab): the field shows it; what is being typed equals it.
    {
        let area = area.clone();
        use_effect_with(shown.clone(), move |shown| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                if a.value() != *shown {
                    a.set_value(shown);
                }
            }
        });
    }
    let onsubmit = {
        let area = area.clone();
        let id = props.id.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                on_save.emit((id.clone(), area.value()));
            }
        })
    };
    let oninput = {
        let (id, on_draft) = (props.id.clone(), props.draft.on_draft.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_draft.emit((id.clone(), Form::Note, fields([("text", a.value())])));
            }
        })
    };
    html! {
        <form class="note-editor" {onsubmit}>
            <label for={field.clone()}>{ "Note" }</label>
            <textarea id={field} ref={area} rows="3" defaultvalue={shown} {oninput} />
            <button type="submit">{ "Save note" }</button>
            { props.draft.discard_button(&props.id, Form::Note, typed.is_some()) }
        </form>
    }
}
