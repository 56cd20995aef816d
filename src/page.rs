//! The stand-alone page: one user of the same `widget::mount` the embed API
//! calls, with the reader's own article and the Open / Paste controls.

use crate::app::SAMPLE_ARTICLE;
use crate::widget::{self, Article, Options};
use marginalia_core::review::Scale;
use marginalia_core::TagSet;
use yew::Callback;

/// Mounts the annotator on `#app`, or on `<body>` if the page has none;
/// `rules` are the suggestion rules (the page binary loads their module).
pub fn start(rules: crate::rules::Source) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(host) = document.get_element_by_id("app").or_else(|| document.body().map(Into::into)) else { return };
    let options = Options {
        article: Article::Page(SAMPLE_ARTICLE.into()),
        document_id: None,
        tags: TagSet::standard(),
        scale: Scale::default(),
        organization: None,
        fact_check_url: None,
        details: Default::default(),
        read_only: false,
        panel: widget::PanelPlace::Side,
        panel_open: None,
        launcher: None,
        suggest: false,
        rules,
        highlight_sheet: None,
        sync: None,
        on_event: Callback::noop(),
    };
    match widget::mount(&host, options) {
        // The page's widget lives as long as the page.
        Ok(widget) => std::mem::forget(widget),
        Err(e) => web_sys::console::error_1(&format!("Marginalia could not start: {e}").into()),
    }
}
