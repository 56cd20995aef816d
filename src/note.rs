//! The note editor inside the popover: plain text, saved on request.

use marginalia_core::AnnotationId;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoteProps {
    pub id: AnnotationId,
    pub note: AttrValue,
    pub on_save: Callback<(AnnotationId, String)>,
}

#[component]
pub fn NoteEditor(props: &NoteProps) -> Html {
    let area = use_node_ref();
    let field = format!("note-{}", props.id);
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
    html! {
        <form class="note-editor" {onsubmit}>
            <label for={field.clone()}>{ "Note" }</label>
            <textarea id={field} ref={area} rows="3" defaultvalue={props.note.clone()} />
            <button type="submit">{ "Save note" }</button>
        </form>
    }
}
