//! The controls under the panel: Undo and Redo, and moving annotations in
//! and out as files — W3C JSON-LD, CSV, ClaimReview and report downloads,
//! and importing a W3C (or Recogito or Hypothesis) file or our own CSV.

use crate::loader::use_text_file;
use marginalia_core::interchange::MAX_IMPORT_BYTES;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    W3c,
    Csv,
    /// schema.org ClaimReview JSON-LD for every checked claim.
    ClaimReview,
    /// The Fact Check Markup Tool's `ClaimReviewMarkupPage` JSON.
    ClaimReviewMarkup,
    /// The fact-check report, Markdown.
    Report,
}

#[derive(Properties, PartialEq)]
pub struct TransferProps {
    pub on_download: Callback<Format>,
    /// Open the report in its own window, to print.
    pub on_print: Callback<()>,
    pub on_import: Callback<Result<String, String>>,
    /// Read-only widgets offer downloads only.
    pub can_import: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
}

#[component]
pub fn Transfer(props: &TransferProps) -> Html {
    let on_file = use_text_file(MAX_IMPORT_BYTES as f64, props.on_import.clone());
    let download = |format: Format| props.on_download.reform(move |_: MouseEvent| format);
    html! {
        <>
        if props.can_import {
            <div class="history" role="group" aria-label="History">
                // aria-disabled, not disabled: a button that disables itself
                // while focused would drop focus to the page.
                <button type="button" aria-keyshortcuts="Control+Z Meta+Z" aria-disabled={(!props.can_undo).to_string()}
                        onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ "Undo" }</button>
                <button type="button" aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z" aria-disabled={(!props.can_redo).to_string()}
                        onclick={props.on_redo.reform(|_: MouseEvent| ())}>{ "Redo" }</button>
            </div>
        }
        <div class="transfer" role="group" aria-label="Annotation files">
            <button type="button" onclick={download(Format::W3c)}>{ "Download annotations" }</button>
            <button type="button" onclick={download(Format::Csv)}>{ "Download CSV" }</button>
            <button type="button" onclick={download(Format::ClaimReview)}>{ "Download ClaimReview" }</button>
            <button type="button" onclick={download(Format::ClaimReviewMarkup)}>{ "Download Fact Check Markup" }</button>
            <button type="button" onclick={download(Format::Report)}>{ "Download report" }</button>
            <button type="button" onclick={props.on_print.reform(|_: MouseEvent| ())}>{ "Print report" }</button>
            if props.can_import {
                <label class="file-button">
                    { "Import annotations" }
                    <input type="file" accept=".json,.jsonld,.csv,application/json,application/ld+json,text/csv" onchange={on_file} />
                </label>
            }
        </div>
        </>
    }
}
