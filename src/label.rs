//! The text label of the highlight under the pointer or chosen: its tag in
//! words, drawn in the widget's shadow root where `app/label.rs` places it
//! (beside the highlight, over no text), never inside the article.

use crate::float::use_position;
use marginalia_core::Tag;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabelProps {
    pub text: String,
    pub tag: Tag,
    /// Viewport position of the label's top-left corner.
    pub x: f64,
    pub y: f64,
}

#[component]
pub fn Label(props: &LabelProps) -> Html {
    let node = use_node_ref();
    use_position(node.clone(), props.x, props.y);
    // Hidden from screen readers: the live region announces the same.
    html! {
        <span class="hl-label" data-tag={props.tag.to_string()} aria-hidden="true" ref={node}>{ &props.text }</span>
    }
}
