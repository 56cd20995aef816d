//! The controls that move annotations in and out as files: W3C JSON-LD and
//! CSV downloads, and importing a W3C (or Recogito or Hypothesis) file.

use crate::loader::use_text_file;
use marginalia_core::interchange::MAX_IMPORT_BYTES;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    W3c,
    Csv,
}

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub on_download: Callback<Format>,
    pub on_import: Callback<Result<String, String>>,
    /// Read-only widgets offer downloads only.
    pub can_import: bool,
}

#[component]
pub fn Transfer(props: &TransferProps) -> Html {
    let on_file = use_text_file(MAX_IMPORT_BYTES as f64, props.on_import.clone());
    let download = |format: Format| props.on_download.reform(move |_: MouseEvent| format);
    html! {
        <div class="transfer" role="group" aria-label="Annotation files">
            <button type="button" onclick={download(Format::W3c)}>{ "Download annotations" }</button>
            <button type="button" onclick={download(Format::Csv)}>{ "Download CSV" }</button>
            if props.can_import {
                <label class="file-button">
                    { "Import annotations" }
                    <input type="file" accept=".json,.jsonld,application/json,application/ld+json" onchange={on_file} />
                </label>
            }
        </div>
    }
}
