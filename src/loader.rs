//! The controls that bring in another article: a `.txt` or `.html` file
//! (a saved news page, read by `html_file`), or pasted text.

use gloo::file::callbacks::FileReader;
use gloo::file::File;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Larger files are refused before reading: a long news article is under 1 MB.
pub const MAX_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

#[derive(Properties, PartialEq)]
pub struct LoaderProps {
    /// The text of a loaded article, or why it could not be read.
    pub on_load: Callback<Result<String, String>>,
}

/// A `change` handler for a file input that reads the chosen file as text
/// and hands the text, or why it could not be read, to `on_load`. Files over
/// `max_bytes` are refused before reading.
#[hook]
pub fn use_text_file(max_bytes: f64, on_load: Callback<Result<String, String>>) -> Callback<Event> {
    // The reader must live until the read finishes; dropping it cancels it.
    let reading: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
        let Some(file) = input.files().and_then(|list| list.get(0)) else { return };
        // Let the same file be chosen again later.
        input.set_value("");
        let file = File::from(file);
        if file.size() as f64 > max_bytes {
            let mb = (max_bytes / (1024.0 * 1024.0)).round() as u64;
            on_load.emit(Err(format!("“{}” is larger than {mb} MB; choose a smaller file.", file.name())));
            return;
        }
        let name = file.name();
        let on_load = on_load.clone();
        let task = gloo::file::callbacks::read_as_text(&file, move |result| {
            on_load.emit(result.map_err(|e| format!("“{name}” could not be read as text ({e}).")));
        });
        *reading.borrow_mut() = Some(task);
    })
}

#[component]
pub fn Loader(props: &LoaderProps) -> Html {
    let pasting = use_state(|| false);
    let draft = use_node_ref();
    let on_file = use_text_file(MAX_BYTES, props.on_load.clone());

    let toggle = {
        let pasting = pasting.clone();
        Callback::from(move |_: MouseEvent| pasting.set(!*pasting))
    };
    let use_text = {
        let pasting = pasting.clone();
        let draft = draft.clone();
        let on_load = props.on_load.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = draft.cast::<HtmlTextAreaElement>() {
                on_load.emit(Ok(area.value()));
            }
            pasting.set(false);
        })
    };

    html! {
        <div class="loader">
            <label class="file-button">
                { "Open article" }
                <input type="file" accept=".txt,.html,.htm,text/plain,text/html" onchange={on_file} />
            </label>
            <button type="button" aria-expanded={pasting.to_string()} onclick={toggle}>{ "Paste article" }</button>
            if *pasting {
                <form class="paste-form" onsubmit={use_text}>
                    <label for="paste-text">{ "Article text (each line a paragraph)" }</label>
                    <textarea id="paste-text" ref={draft} rows="8" />
                    <button type="submit">{ "Use this text" }</button>
                </form>
            }
        </div>
    }
}
