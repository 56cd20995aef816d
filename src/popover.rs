//! The small popover for the highlights under a click: for each, its text,
//! its tags, what its note and check say, **Edit** (the docked editor, with
//! the long forms) and **Delete**. Small, so it covers little of the text
//! it is about; the pieces the editor shows too are here.

use crate::float::use_position;
use marginalia_core::annotation::unquoted;
use marginalia_core::review::Scale;
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
    pub on_edit: Callback<AnnotationId>,
    pub on_delete: Callback<AnnotationId>,
    pub on_close: Callback<()>,
    pub scale: Rc<Scale>,
    /// The last message, when it came from here (else empty).
    #[prop_or_default]
    pub status: AttrValue,
}

/// What a claim's fact-check and a quote's speaker say, in one line.
pub fn checked(a: &Annotation, scale: &Scale) -> Option<String> {
    if let Some(r) = a.shown_review() {
        let verdict = r.verdict.as_deref().map(|v| scale.get(v).map_or(v, |r| r.label.as_str()));
        return Some(format!("{}: {}", r.status.label(), verdict.unwrap_or("no verdict yet")));
    }
    a.shown_attribution().map(|at| format!("Said by {}", at.speaker))
}

/// The tag's label and the quoted words, cut at `max` characters.
pub fn quote_line(a: &Annotation, tags: &TagSet, max: usize) -> Html {
    html! {
        <p class="popover-quote">
            <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
            { format!(" “{}”", crate::panel::shorten(unquoted(&a.quote.exact), max)) }
        </p>
    }
}

/// A retag never drops the work: said, so a click on the wrong tag alarms no one.
pub fn kept_aside(a: &Annotation, tags: &TagSet) -> Html {
    let Some(kept) = a.kept_aside() else { return Html::default() };
    html! {
        <p class="kept-aside">{ format!(
            "Its {kept} is kept while it is a {}: tag it {} again to see it.",
            tags.label(&a.tag).to_lowercase(),
            if kept == "speaker" { "a quote" } else { "a claim" }
        ) }</p>
    }
}

/// One button per tag, the annotation's own pressed.
pub fn tag_buttons(a: &Annotation, tags: &TagSet, on_retag: &Callback<(AnnotationId, Tag)>) -> Html {
    html! {
        <div role="group" aria-label="Tag" class="tag-group">
            { for tags.defs().iter().map(|def| {
                let id = a.id.clone();
                let tag = def.tag.clone();
                let on_retag = on_retag.reform(move |_: MouseEvent| (id.clone(), tag.clone()));
                html! {
                    <button type="button" class="tag-button" data-tag={def.tag.to_string()}
                            aria-pressed={(a.tag == def.tag).to_string()} onclick={on_retag}>
                        { def.label.clone() }
                    </button>
                }
            }) }
        </div>
    }
}

#[component]
pub fn Popover(props: &PopoverProps) -> Html {
    let node = use_node_ref();
    use_position(node.clone(), props.x, props.y);
    let close = props.on_close.reform(|_: MouseEvent| ());
    let wrap = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| crate::float::wrap_tab(&node, &e))
    };
    html! {
        <div class="popover" role="dialog" aria-label="Edit highlight" ref={node.clone()} onkeydown={wrap}>
            { for props.items.iter().map(|a| {
                let id = a.id.clone();
                let on_delete = props.on_delete.reform(move |_: MouseEvent| id.clone());
                let id = a.id.clone();
                let on_edit = props.on_edit.reform(move |_: MouseEvent| id.clone());
                html! {
                    <section class="popover-item" data-annotation-id={a.id.to_string()}>
                        { quote_line(a, &props.tags, 80) }
                        { kept_aside(a, &props.tags) }
                        if !a.note.is_empty() {
                            <p class="note">{ crate::panel::shorten(&a.note, 140) }</p>
                        }
                        if let Some(text) = checked(a, &props.scale) {
                            <p class="checked">{ text }</p>
                        }
                        if !props.read_only {
                            { tag_buttons(a, &props.tags, &props.on_retag) }
                            <div class="popover-actions">
                                <button type="button" class="edit" onclick={on_edit}>{ "Edit" }</button>
                                <button type="button" class="delete" onclick={on_delete}>{ "Delete" }</button>
                            </div>
                        }
                    </section>
                }
            }) }
            if !props.status.is_empty() {
                <p class="status-near" aria-hidden="true">{ props.status.clone() }</p>
            }
            <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
        </div>
    }
}
