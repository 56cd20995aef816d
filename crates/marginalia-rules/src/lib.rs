//! The suggestion rules as a WebAssembly module of their own
//! (`marginalia_rules_glue.js`, `marginalia_rules_bg.wasm`).
//!
//! A first selection does not need them, so they are not in the annotator's
//! download (issue 30): the annotator loads this module on the first
//! Suggest, or ahead of it when the browser is idle (`src/rules.rs`). Only
//! text crosses: the article's document text in, the suggestions out as the
//! core's wire lines (`marginalia_core::suggest::wire`), which the annotator
//! reads as it would any untrusted input.

use marginalia_core::suggest::wire;
use marginalia_core::Document;
use wasm_bindgen::prelude::wasm_bindgen;

/// Every suggestion in `text` (a document text: its paragraphs joined by
/// `\n`, so reading it again gives the same paragraphs and positions).
#[wasm_bindgen]
pub fn suggest(text: &str) -> String {
    wire::encode(&marginalia_suggest::suggest(&Document::from_text(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What crosses is what the rules found on the annotator's document:
    /// the same spans, read back against the same length.
    #[test]
    fn the_annotator_reads_back_what_the_rules_found() {
        let doc = Document::from_text(
            "Council backs the plan\n“We will build 400 homes by 2027,” said Mayor Ana Ruiz on Monday.\nUnemployment fell to 4.1% last year, the highest drop since 2009.",
        );
        let found = marginalia_suggest::suggest(&doc);
        assert!(!found.is_empty(), "the rules find something here");
        assert_eq!(wire::decode(&suggest(&doc.text()), doc.len()), Ok(found));
    }
}
