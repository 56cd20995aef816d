//! The popover for the highlights under a click: retag or delete each.

use marginalia_core::{Annotation, AnnotationId, Tag};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PopoverProps {
    pub x: f64,
    pub y: f64,
    /// The annotations under the click, outermost first.
    pub items: Vec<Annotation>,
    pub on_retag: Callback<(AnnotationId, Tag)>,
    pub on_delete: Callback<AnnotationId>,
    pub on_close: Callback<()>,
}

#[component]
pub fn Popover(props: &PopoverProps) -> Html {
    let style = format!("left:{:.0}px;top:{:.0}px", props.x, props.y);
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="popover" role="dialog" aria-label="Edit highlight" {style}>
            { for props.items.iter().map(|a| {
                let id = a.id.clone();
                let on_delete = props.on_delete.reform(move |_: MouseEvent| id.clone());
                html! {
                    <section class="popover-item" data-annotation-id={a.id.to_string()}>
                        <p class="popover-quote"><span class={classes!("tag-label", a.tag.as_str())}>{ a.tag.label() }</span>
                            { format!(" “{}”", crate::panel::shorten(&a.quote.exact, 80)) }</p>
                        <div role="group" aria-label="Tag">
                            { for Tag::ALL.iter().map(|&tag| {
                                let id = a.id.clone();
                                let on_retag = props.on_retag.reform(move |_: MouseEvent| (id.clone(), tag));
                                html! {
                                    <button type="button" class={classes!("tag-button", tag.as_str())}
                                            aria-pressed={(a.tag == tag).to_string()} onclick={on_retag}>
                                        { tag.label() }
                                    </button>
                                }
                            }) }
                        </div>
                        <button type="button" class="delete" onclick={on_delete}>{ "Delete" }</button>
                    </section>
                }
            }) }
            <button type="button" class="close" aria-label="Close" onclick={close}>{ "×" }</button>
        </div>
    }
}
