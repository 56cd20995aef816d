//! The tag picker shown next to a fresh selection.

use crate::float::use_position;
use marginalia_core::{Tag, TagSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// Viewport position (CSS pixels) of the picker's top-left corner.
    pub x: f64,
    pub y: f64,
    pub tags: Rc<TagSet>,
    pub on_pick: Callback<Tag>,
    pub on_cancel: Callback<()>,
    /// The selected text is also in the neighbouring paragraph.
    pub copy: bool,
    pub both: bool,
    pub on_toggle_both: Callback<()>,
}

#[component]
pub fn Picker(props: &PickerProps) -> Html {
    let node = use_node_ref();
    use_position(node.clone(), props.x, props.y);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    // Pressing a button must not clear the selection it is about to tag.
    let keep_selection = Callback::from(|e: MouseEvent| e.prevent_default());
    html! {
        <div class="picker" role="toolbar" aria-label="Tag the selection" ref={node}>
            { for props.tags.defs().iter().map(|def| {
                let tag = def.tag.clone();
                let key = props.tags.key(&def.tag).map(String::from).unwrap_or_default();
                let on_pick = props.on_pick.reform(move |_: MouseEvent| tag.clone());
                html! {
                    <button type="button" class="tag-button" data-tag={def.tag.to_string()}
                            aria-keyshortcuts={key.clone()} onclick={on_pick} onmousedown={keep_selection.clone()}>
                        { def.label.clone() }<kbd aria-hidden="true">{ key }</kbd>
                    </button>
                }
            }) }
            if props.copy {
                <button type="button" class="both" aria-pressed={props.both.to_string()}
                        title="The same text is in the neighbouring paragraph"
                        onclick={props.on_toggle_both.reform(|_: MouseEvent| ())} onmousedown={keep_selection.clone()}>
                    { "Tag both copies" }
                </button>
            }
            <button type="button" class="cancel" aria-label="Cancel" aria-keyshortcuts="Escape" onclick={cancel}
                    onmousedown={keep_selection}>{ "×" }</button>
        </div>
    }
}
