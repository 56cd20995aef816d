//! The side panel: counts per tag and the list of annotations in document order.

use marginalia_core::{Annotation, AnnotationId, TagSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub items: Rc<Vec<Annotation>>,
    pub tags: Rc<TagSet>,
    /// Annotations whose text is no longer in the article: listed, never drawn.
    pub orphaned: Rc<Vec<Annotation>>,
    pub on_show: Callback<AnnotationId>,
}

/// At most `max` code points of `text`, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((byte, _)) => format!("{}…", &text[..byte]),
        None => text.to_string(),
    }
}

#[component]
pub fn Panel(props: &PanelProps) -> Html {
    let tags = &props.tags;
    let counts: Vec<String> = tags
        .defs()
        .iter()
        .map(|d| tags.count_phrase(&d.tag, props.items.iter().filter(|a| a.tag == d.tag).count()))
        .collect();
    html! {
        <aside class="panel" aria-labelledby="panel-heading">
            <h2 id="panel-heading">{ "Annotations" }</h2>
            <p class="counts" data-testid="counts">{ counts.join(" · ") }</p>
            if props.items.is_empty() {
                <p class="empty">{ "Select text in the article to tag it." }</p>
            }
            <ol class="annotation-list" aria-label="Annotations">
                { for props.items.iter().map(|a| {
                    let id = a.id.clone();
                    let onclick = props.on_show.reform(move |_: MouseEvent| id.clone());
                    html! {
                        <li key={a.id.to_string()} data-annotation-id={a.id.to_string()} data-tag={a.tag.to_string()}>
                            <button type="button" class="panel-item" {onclick}>
                                <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
                                <span class="panel-quote">{ shorten(&a.quote.exact, 140) }</span>
                                if !a.note.is_empty() {
                                    <span class="panel-note">{ shorten(&a.note, 200) }</span>
                                }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if !props.orphaned.is_empty() {
                <section class="orphaned" aria-labelledby="orphaned-heading">
                    <h3 id="orphaned-heading">{ "Orphaned" }</h3>
                    <p>{ "Their text is no longer in the article. They are kept, and not drawn anywhere." }</p>
                    <ul aria-label="Orphaned annotations">
                        { for props.orphaned.iter().map(|a| html! {
                            <li key={a.id.to_string()} data-annotation-id={a.id.to_string()}>
                                <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
                                { format!(" “{}”", shorten(&a.quote.exact, 140)) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </aside>
    }
}
