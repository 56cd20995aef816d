//! What the annotator component is given: where its article comes from
//! (`Source`) and the host's options (`AppProps`).

use super::{Mirror, WidgetEvent};
use crate::article::Block;
use crate::text_map::TextMap;
use marginalia_core::claimreview::Organization;
use marginalia_core::review::Scale;
use marginalia_core::{Document, TagSet};
use std::rc::Rc;
use yew::prelude::*;

/// Where the article comes from.
#[derive(Clone)]
pub enum Source {
    /// The stand-alone page: the last article the reader opened, else `fallback`.
    Page { fallback: Rc<str> },
    /// Text given by the embedder, shown by the widget, fixed for its life.
    Fixed { doc: Rc<Document>, blocks: Rc<Vec<Block>> },
    /// A host's own article, annotated in place; the map is of its DOM
    /// as mounted (the widget reads it again when the host changes it).
    InPlace { map: Rc<TextMap> },
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Page { fallback: a }, Source::Page { fallback: b }) => a == b,
            (Source::Fixed { doc: a, blocks: x }, Source::Fixed { doc: b, blocks: y }) => {
                Rc::ptr_eq(a, b) && Rc::ptr_eq(x, y)
            }
            (Source::InPlace { map: a }, Source::InPlace { map: b }) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub source: Source,
    /// The host's id for the document; else the text's fingerprint is used.
    #[prop_or_default]
    pub document_id: Option<AttrValue>,
    #[prop_or_default]
    pub tags: Rc<TagSet>,
    /// The verdicts a claim can get: the host's `ratings`, or the default.
    #[prop_or_default]
    pub scale: Rc<Scale>,
    /// Who publishes the fact-checks, named in the ClaimReview export.
    #[prop_or_default]
    pub organization: Option<Rc<Organization>>,
    /// The article's details from the host page and the `article` option.
    #[prop_or_default]
    pub details: Rc<marginalia_core::article_details::ArticleDetails>,
    /// The fact-check's own address (`factCheckUrl`).
    #[prop_or_default]
    pub fact_check_url: Option<Rc<marginalia_core::fact_check_url::Template>>,
    #[prop_or_default]
    pub read_only: bool,
    #[prop_or(true)]
    pub panel: bool,
    /// In place, the panel is a collapsible side panel fixed to the window.
    #[prop_or_default]
    pub side_panel: bool,
    /// Whether the side panel starts open; `None`: if it fits.
    #[prop_or_default]
    pub panel_open: Option<bool>,
    /// The closed side panel's corner; `None`: clear of the host's controls.
    #[prop_or_default]
    pub launcher: Option<marginalia_core::dock::Corner>,
    /// In place, the document-level sheet of `::highlight()` rules, where
    /// the pointer cursor over highlighted text is set (the host's article
    /// takes no class or attribute of ours).
    #[prop_or_default]
    pub document_sheet: Option<web_sys::CssStyleSheet>,
    /// Show the Open article / Paste article controls (the stand-alone page).
    #[prop_or_default]
    pub loader: bool,
    /// Run the suggestions as soon as the article is shown.
    #[prop_or_default]
    pub suggest: bool,
    /// The suggestion rules, loaded on the first Suggest.
    #[prop_or_default]
    pub rules: crate::rules::Rules,
    /// Sync with a CouchDB-compatible server (the `sync` option); off by default.
    #[prop_or_default]
    pub sync: Option<Rc<marginalia_core::sync::Config>>,
    #[prop_or_default]
    pub on_event: Callback<WidgetEvent>,
    #[prop_or_default]
    pub mirror: Mirror,
    /// The widget's own element (`[data-marginalia]`), which says whether
    /// changes wait to be written (see `persist::App::signal_unsaved`).
    #[prop_or_default]
    pub view: Option<web_sys::Element>,
}
