//! The annotation editor, docked beside the article (or a sheet along the
//! bottom of a narrow window): one annotation's tags, its fact-check or
//! speaker, and its note. The popover over the text stays small; the long
//! forms are here, where they never cover the words being checked (where it
//! docks is `marginalia_core::dock`'s rule). What is typed is a draft held
//! by the core, so closing the editor by any means loses nothing.

use crate::attribution_editor::AttributionEditor;
use crate::claim_fields::Offered;
use crate::disclosure::Disclosure;
use crate::drafts::DraftProps;
use crate::note::NoteEditor;
use crate::popover::{checked, kept_aside, quote_line, tag_buttons};
use crate::review_editor::ReviewEditor;
use marginalia_core::dock::Dock;
use marginalia_core::drafts::{Drafts, Fields, Form};
use marginalia_core::review::{Attribution, Review, Scale};
use marginalia_core::{annotation, Annotation, AnnotationId, Tag, TagSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub item: Annotation,
    pub dock: Dock,
    pub tags: Rc<TagSet>,
    pub scale: Rc<Scale>,
    /// The name this browser reviews under (empty: not given yet).
    pub reviewer: AttrValue,
    pub on_retag: Callback<(AnnotationId, Tag)>,
    pub on_note: Callback<(AnnotationId, String)>,
    pub on_review: Callback<(AnnotationId, Option<Review>)>,
    pub on_reviewer: Callback<String>,
    pub on_attribute: Callback<(AnnotationId, Option<Attribution>)>,
    pub on_close: Callback<()>,
    /// What the reader typed into these forms and did not save.
    pub drafts: Rc<Drafts>,
    pub on_draft: Callback<(AnnotationId, Form, Fields)>,
    pub on_discard: Callback<(AnnotationId, Form)>,
    /// The last message, when it came from here (else empty).
    #[prop_or_default]
    pub status: AttrValue,
    /// What a claim's fields offer (its quote's speaker, the article's
    /// speakers and date).
    #[prop_or_default]
    pub offered: Offered,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let node = use_node_ref();
    // The fact-check or speaker form starts open: it is what the editor is
    // opened for. The reader may fold it to reach the note.
    let open = use_state(|| true);
    let toggle = {
        let open = open.clone();
        Callback::from(move |()| open.set(!*open))
    };
    let a = &props.item;
    let draft = |form: Form| DraftProps {
        fields: props.drafts.get(&a.id, form).map(|d| d.fields.clone()),
        on_draft: props.on_draft.clone(),
        on_discard: props.on_discard.clone(),
    };
    // Tab stays inside; Escape closes, from a text field too (what was typed
    // is a draft, so closing loses nothing), and goes no further.
    let keys = {
        let (node, on_close) = (node.clone(), props.on_close.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                on_close.emit(());
            } else {
                crate::float::wrap_tab(&node, &e);
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <aside class="editor" role="dialog" aria-label="Edit annotation" data-dock={props.dock.as_str()}
               data-annotation-id={a.id.to_string()} ref={node} onkeydown={keys}>
            <div class="editor-head">
                { quote_line(a, &props.tags, 200) }
                <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
            </div>
            { kept_aside(a, &props.tags) }
            { tag_buttons(a, &props.tags, &props.on_retag) }
            if a.tag.as_str() == annotation::CLAIM {
                <Disclosure open={*open} on_toggle={toggle.clone()}
                            label={checked(a, &props.scale).map_or("Fact-check".into(), |s| format!("Fact-check ({s})"))}>
                    <ReviewEditor id={a.id.clone()}
                                  review={a.review.as_deref().cloned()} scale={props.scale.clone()}
                                  reviewer={props.reviewer.clone()} on_save={props.on_review.clone()}
                                  on_reviewer={props.on_reviewer.clone()} draft={draft(Form::Review)}
                                  offered={props.offered.clone()} />
                </Disclosure>
            }
            if a.tag.as_str() == annotation::QUOTE {
                <Disclosure open={*open} on_toggle={toggle}
                            label={a.attribution.as_ref().map_or("Who said it".into(), |at| format!("Speaker: {}", at.speaker))}>
                    <AttributionEditor quote={a.clone()} on_save={props.on_attribute.clone()} draft={draft(Form::Speaker)} />
                </Disclosure>
            }
            <NoteEditor id={a.id.clone()} note={AttrValue::from(a.note.clone())} on_save={props.on_note.clone()}
                        draft={draft(Form::Note)} />
            // What the last control here did, kept in sight at the editor's foot.
            if !props.status.is_empty() {
                <p class="status-near" aria-hidden="true">{ props.status.clone() }</p>
            }
        </aside>
    }
}
