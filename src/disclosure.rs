//! A button that shows or hides what follows it (`aria-expanded`), for
//! the popover's longer forms, so its tab order stays short until asked.
//! Its owner keeps whether it is open: the popover must render (and be
//! placed again) when a form in it grows.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DisclosureProps {
    pub label: AttrValue,
    pub open: bool,
    pub on_toggle: Callback<()>,
    pub children: Html,
}

#[component]
pub fn Disclosure(props: &DisclosureProps) -> Html {
    html! {
        <div class="disclosure-block">
            <button type="button" class="disclosure" aria-expanded={props.open.to_string()}
                    onclick={props.on_toggle.reform(|_: MouseEvent| ())}>
                { props.label.clone() }
            </button>
            if props.open {
                { props.children.clone() }
            }
        </div>
    }
}
