//! The tag picker shown next to a fresh selection.

use marginalia_core::Tag;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// Viewport position (CSS pixels) of the picker's top-left corner.
    pub x: f64,
    pub y: f64,
    pub on_pick: Callback<Tag>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn Picker(props: &PickerProps) -> Html {
    let style = format!("left:{:.0}px;top:{:.0}px", props.x, props.y);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="picker" role="toolbar" aria-label="Tag the selection" {style}>
            { for Tag::ALL.iter().map(|&tag| {
                let on_pick = props.on_pick.reform(move |_: MouseEvent| tag);
                html! {
                    <button type="button" class={classes!("tag-button", tag.as_str())} data-tag={tag.as_str()}
                            aria-keyshortcuts={tag.key().to_string()} onclick={on_pick}
                            // Keep the selection alive while the button is pressed.
                            onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}>
                        { tag.label() }<kbd aria-hidden="true">{ tag.key() }</kbd>
                    </button>
                }
            }) }
            <button type="button" class="cancel" aria-label="Cancel" aria-keyshortcuts="Escape" onclick={cancel}
                    onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}>{ "×" }</button>
        </div>
    }
}
