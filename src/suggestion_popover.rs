//! The popover a suggested (dashed) highlight opens, where it stands in
//! the article: what the rules suggest and why, **Accept** (as the
//! suggested tag, or another), **Accept with** the speaker found, and
//! **Reject**. The same decisions as the panel's list, made in place.

use crate::float::use_position;
use crate::popover::quote_line;
use marginalia_core::suggest::speaker_in_note;
use marginalia_core::{Annotation, AnnotationId, Tag, TagSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuggestionPopoverProps {
    pub x: f64,
    pub y: f64,
    /// The suggestion as drawn (its suggestion id, span and tag).
    pub mark: Annotation,
    /// Why the rules suggest it (the speaker they found, for a quote).
    pub reason: AttrValue,
    pub tags: Rc<TagSet>,
    /// Accept as a tag, with the speaker found or not; `None` rejects.
    pub on_decide: Callback<(AnnotationId, Option<(Tag, bool)>)>,
    pub on_close: Callback<()>,
}

#[component]
pub fn SuggestionPopover(props: &SuggestionPopoverProps) -> Html {
    let node = use_node_ref();
    use_position(node.clone(), props.x, props.y);
    let wrap = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| crate::float::wrap_tab(&node, &e))
    };
    let a = &props.mark;
    let decide = |decision: Option<(Tag, bool)>| {
        let id = a.id.clone();
        props.on_decide.reform(move |_: MouseEvent| (id.clone(), decision.clone()))
    };
    let speaker = speaker_in_note(&props.reason).filter(|_| a.tag.as_str() == marginalia_core::annotation::QUOTE);
    let own = props.tags.label(&a.tag).to_lowercase();
    html! {
        <div class="popover suggestion-popover" role="dialog" aria-label={format!("Suggested {own}")}
             ref={node} onkeydown={wrap}>
            <section class="popover-item" data-annotation-id={a.id.to_string()}>
                { quote_line(a, &props.tags, 80) }
                if !props.reason.is_empty() {
                    <p class="panel-why">{ format!("Why suggested: {}", props.reason) }</p>
                }
                <div class="popover-actions">
                    if let Some(name) = speaker {
                        <button type="button" class="accept-speaker" onclick={decide(Some((a.tag.clone(), true)))}>
                            { format!("Accept with {name}") }
                        </button>
                    }
                    <button type="button" class="accept" onclick={decide(Some((a.tag.clone(), false)))}>{ "Accept" }</button>
                    <button type="button" class="reject" onclick={decide(None)}>{ "Reject" }</button>
                </div>
                <div role="group" aria-label="Accept as" class="tag-group">
                    { for props.tags.defs().iter().filter(|d| d.tag != a.tag).map(|def| html! {
                        <button type="button" class="tag-button" data-tag={def.tag.to_string()}
                                onclick={decide(Some((def.tag.clone(), false)))}>
                            { format!("Accept as {}", def.label.to_lowercase()) }
                        </button>
                    }) }
                </div>
            </section>
            <button type="button" class="close" aria-label="Close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
        </div>
    }
}
