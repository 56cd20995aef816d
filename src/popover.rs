//! The popover for the highlights under a click: retag, note or delete
//! each; a claim's fact-check and a quote's speaker.

use crate::attribution_editor::AttributionEditor;
use crate::disclosure::Disclosure;
use crate::drafts::DraftProps;
use crate::float::use_position;
use crate::note::NoteEditor;
use crate::review_editor::ReviewEditor;
use marginalia_core::annotation::unquoted;
use marginalia_core::drafts::{Drafts, Fields, Form};
use marginalia_core::review::{Attribution, Review, Scale};
use marginalia_core::{Annotation, AnnotationId, Tag, TagSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PopoverProps {
    pub x: f64,
    pub y: f64,
    /// The annotations under the click, outermost first.
    pub items: Vec<Annotation>,
    pub tags: Rc<TagSet>,
    /// Read-only widgets show the highlights without the controls.
    pub read_only: bool,
    pub on_retag: Callback<(AnnotationId, Tag)>,
    pub on_note: Callback<(AnnotationId, String)>,
    pub on_delete: Callback<AnnotationId>,
    pub on_close: Callback<()>,
    pub scale: Rc<Scale>,
    /// The name this browser reviews under (empty: not given yet).
    pub reviewer: AttrValue,
    pub on_review: Callback<(AnnotationId, Option<Review>)>,
    pub on_reviewer: Callback<String>,
    pub on_attribute: Callback<(AnnotationId, Option<Attribution>)>,
    /// Opened to check: the fact-check and speaker forms start open.
    #[prop_or_default]
    pub checking: bool,
    /// What the reader typed into these forms and did not save.
    #[prop_or_default]
    pub drafts: Rc<Drafts>,
    #[prop_or_default]
    pub on_draft: Callback<(AnnotationId, Form, Fields)>,
    #[prop_or_default]
    pub on_discard: Callback<(AnnotationId, Form)>,
}

/// What a claim's fact-check and a quote's speaker say, for read-only views.
fn checked(a: &Annotation, scale: &Scale) -> Option<String> {
    if let Some(r) = a.shown_review() {
        let verdict = r.verdict.as_deref().map(|v| scale.get(v).map_or(v, |r| r.label.as_str()));
        return Some(format!("{}: {}", r.status.label(), verdict.unwrap_or("no verdict yet")));
    }
    a.shown_attribution().map(|at| format!("Said by {}", at.speaker))
}

#[component]
pub fn Popover(props: &PopoverProps) -> Html {
    let node = use_node_ref();
    use_position(node.clone(), props.x, props.y);
    // The ids whose form is open: all of them when opened to check, else
    // those with a fact-check or speaker draft (what was being typed).
    let open = {
        let ids: Vec<AnnotationId> = props
            .items
            .iter()
            .filter(|a| props.checking || props.drafts.forms_of(&a.id).iter().any(|f| *f != Form::Note))
            .map(|a| a.id.clone())
            .collect();
        use_state(move || ids)
    };
    let toggle = |id: &AnnotationId| {
        let (open, id) = (open.clone(), id.clone());
        Callback::from(move |()| {
            let mut next = (*open).clone();
            match next.iter().position(|o| *o == id) {
                Some(i) => {
                    next.remove(i);
                }
                None => next.push(id.clone()),
            }
            open.set(next);
        })
    };
    let is_open = |id: &AnnotationId| open.contains(id);
    let draft = |id: &AnnotationId, form: Form| DraftProps {
        fields: props.drafts.get(id, form).map(|d| d.fields.clone()),
        on_draft: props.on_draft.clone(),
        on_discard: props.on_discard.clone(),
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let wrap = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| crate::float::wrap_tab(&node, &e))
    };
    let tags = &props.tags;
    html! {
        <div class="popover" role="dialog" aria-label="Edit highlight" ref={node.clone()} onkeydown={wrap}>
            { for props.items.iter().map(|a| {
                let id = a.id.clone();
                let on_delete = props.on_delete.reform(move |_: MouseEvent| id.clone());
                html! {
                    <section class="popover-item" data-annotation-id={a.id.to_string()}>
                        <p class="popover-quote">
                            <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
                            { format!(" “{}”", crate::panel::shorten(unquoted(&a.quote.exact), 80)) }
                        </p>
                        if let Some(kept) = a.kept_aside() {
                            // A retag never drops the work: said, so a click on the wrong tag alarms no one.
                            <p class="kept-aside">{ format!(
                                "Its {kept} is kept while it is a {}: tag it {} again to see it.",
                                tags.label(&a.tag).to_lowercase(),
                                if kept == "speaker" { "a quote" } else { "a claim" }
                            ) }</p>
                        }
                        if !props.read_only {
                            <div role="group" aria-label="Tag">
                                { for tags.defs().iter().map(|def| {
                                    let id = a.id.clone();
                                    let tag = def.tag.clone();
                                    let on_retag = props.on_retag.reform(move |_: MouseEvent| (id.clone(), tag.clone()));
                                    html! {
                                        <button type="button" class="tag-button" data-tag={def.tag.to_string()}
                                                aria-pressed={(a.tag == def.tag).to_string()} onclick={on_retag}>
                                            { def.label.clone() }
                                        </button>
                                    }
                                }) }
                            </div>
                            <NoteEditor id={a.id.clone()} note={AttrValue::from(a.note.clone())} on_save={props.on_note.clone()}
                                        draft={draft(&a.id, Form::Note)} />
                            if a.tag.as_str() == "claim" {
                                <Disclosure key={format!("review-{}", a.id)} open={is_open(&a.id)} on_toggle={toggle(&a.id)}
                                            label={checked(a, &props.scale).map_or("Fact-check".into(), |s| format!("Fact-check ({s})"))}>
                                    <ReviewEditor id={a.id.clone()}
                                                  review={a.review.as_deref().cloned()} scale={props.scale.clone()}
                                                  reviewer={props.reviewer.clone()} on_save={props.on_review.clone()}
                                                  on_reviewer={props.on_reviewer.clone()} draft={draft(&a.id, Form::Review)} />
                                </Disclosure>
                            }
                            if a.tag.as_str() == "quote" {
                                <Disclosure key={format!("speaker-{}", a.id)} open={is_open(&a.id)} on_toggle={toggle(&a.id)}
                                            label={a.attribution.as_ref().map_or("Who said it".into(), |at| format!("Speaker: {}", at.speaker))}>
                                    <AttributionEditor quote={a.clone()} on_save={props.on_attribute.clone()}
                                                       draft={draft(&a.id, Form::Speaker)} />
                                </Disclosure>
                            }
                            <button type="button" class="delete" onclick={on_delete}>{ "Delete" }</button>
                        } else {
                            if !a.note.is_empty() {
                                <p class="note">{ a.note.clone() }</p>
                            }
                            if let Some(text) = checked(a, &props.scale) {
                                <p class="checked">{ text }</p>
                            }
                        }
                    </section>
                }
            }) }
            <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
        </div>
    }
}
