//! Mounting: turns any element into an annotator.
//!
//! On a host's article (`Article::Host`) the widget works **in place**: the
//! element's subtree stays exactly what the host made (no node added,
//! moved or changed, no attribute set). Its text is read through the text
//! map, highlights are painted over it through `CSS.highlights`, and the
//! controls (panel, picker, popover, label, status) live in an element of
//! the widget's own, with a shadow root, placed where the `panel` option
//! says: in an element of the host's, or at the end of `<body>` as a
//! collapsible side panel. The `::highlight()` rules go in a stylesheet
//! adopted by the document (the article's text is in the document's tree).
//!
//! With text given (`Article::Text`) or on the stand-alone page, the
//! element is the widget's: its nodes are set aside, the widget renders in
//! a shadow root there, and `destroy` puts the very nodes back.

use crate::app::{document_key, App, AppProps, Mirror, Source, WidgetEvent};
use crate::article::Block;
use crate::rules::Rules;
use crate::text_map::TextMap;
use js_sys::Array;
use marginalia_core::claimreview::Organization;
use marginalia_core::review::Scale;
use marginalia_core::{theme, Document, TagSet};
use marginalia_dom::sheet::{constructed, HighlightSheet};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Element, Node, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, Callback};

/// The widget's stylesheet; the tag colours are added per tag set.
const STYLE: &str = marginalia_dom::sheet::WIDGET;

/// Marks the element the widget renders into.
pub const VIEW_ATTR: &str = "data-marginalia";

pub enum Article {
    /// The stand-alone page: the reader's last article, else this one.
    Page(Rc<str>),
    /// Text given by the embedder: each non-empty line a paragraph.
    Text(String),
    /// The host element's own article, annotated in place.
    Host,
}

pub use marginalia_dom::options::PanelPlace;

pub struct Options {
    pub article: Article,
    pub document_id: Option<String>,
    pub tags: TagSet,
    /// The verdicts a claim can get (the `ratings` option).
    pub scale: Scale,
    /// Who publishes the fact-checks (the `organization` option).
    pub organization: Option<Organization>,
    /// The fact-check's own address (the `factCheckUrl` option).
    pub fact_check_url: Option<marginalia_core::fact_check_url::Template>,
    /// The article's details the host gives (the `article` option): they
    /// win over what the page's metadata says.
    pub details: marginalia_core::article_details::ArticleDetails,
    pub read_only: bool,
    pub panel: PanelPlace,
    /// Whether a side panel starts open; `None`: if it fits beside the
    /// article.
    pub panel_open: Option<bool>,
    /// The closed side panel's corner; `None`: chosen clear of the host's controls.
    pub launcher: Option<marginalia_core::dock::Corner>,
    /// Run the suggestions when mounted.
    pub suggest: bool,
    /// Where the suggestion rules come from (`src/rules.rs`).
    pub rules: crate::rules::Source,
    /// The document's sheet of these tags' `::highlight()` rules, already
    /// adopted by the first paint this widget replaces: taken over rather
    /// than a second one adopted and the first taken out, each of which
    /// made the browser restyle the whole page (two passes of ~35 ms on a
    /// 1 MB article).
    pub highlight_sheet: Option<CssStyleSheet>,
    /// Sync with a CouchDB-compatible server (the `sync` option).
    pub sync: Option<marginalia_core::sync::Config>,
    pub on_event: Callback<WidgetEvent>,
}

thread_local! {
    /// The hosts annotated in place now: a second widget on one is refused.
    static IN_PLACE: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
}

pub struct Widget {
    host: Element,
    view: Element,
    /// The host's nodes set aside (not in place), to put back.
    original: Vec<Node>,
    /// The document-level sheet of `::highlight()` rules (in place).
    document_sheet: Option<HighlightSheet>,
    app: Option<AppHandle<App>>,
    mirror: Mirror,
    rules: Rules,
}

fn fail(what: &'static str) -> impl Fn(JsValue) -> String {
    move |e| format!("{what}: {e:?}")
}

pub fn mount(host: &Element, options: Options) -> Result<Widget, String> {
    let taken = IN_PLACE.with(|hosts| hosts.borrow().iter().any(|h| h.is_same_node(Some(host))));
    if taken || host.query_selector(&format!(":scope > [{VIEW_ATTR}]")).ok().flatten().is_some() {
        return Err("this element already has a Marginalia widget".into());
    }
    let document = host.owner_document().ok_or("the element is not in a document")?;
    let in_place = matches!(options.article, Article::Host);
    // In place, the highlight rules are on the document before the host's
    // text is read (`marginalia_dom::sheet`); taken out again if the mount
    // fails.
    let mut document_sheet = match (in_place, options.highlight_sheet) {
        (false, _) => None,
        (true, Some(sheet)) => Some(HighlightSheet::taken_over(&document, sheet)),
        (true, None) => Some(HighlightSheet::adopt(&document, &options.tags)?),
    };
    let (source, loader) = match options.article {
        Article::Page(fallback) => (Source::Page { fallback }, true),
        Article::Text(text) => {
            let doc = Document::from_text(&text);
            let blocks = vec![Block::Paragraph; doc.paragraphs().len()];
            (Source::Fixed { doc: Rc::new(doc), blocks: Rc::new(blocks) }, false)
        }
        Article::Host => (Source::InPlace { map: Rc::new(TextMap::read(host)) }, false),
    };
    let fixed_doc = match &source {
        Source::Fixed { doc, .. } => Some(doc.clone()),
        Source::InPlace { map } => Some(Rc::new(map.document().clone())),
        Source::Page { .. } => None,
    };
    if fixed_doc.as_ref().is_some_and(|d| d.is_empty()) {
        return Err("the article has no text to annotate".into());
    }
    if let PanelPlace::In(el) = &options.panel {
        if host.contains(Some(el)) {
            return Err("the panel's element must not be inside the article".into());
        }
    }

    let view = document.create_element("div").map_err(fail("could not create the view"))?;
    view.set_attribute(VIEW_ATTR, "").map_err(fail("could not mark the view"))?;
    let mut original = Vec::new();
    if in_place {
        let place: Node = match &options.panel {
            PanelPlace::In(el) => el.clone().into(),
            _ => document.body().ok_or("the document has no body")?.into(),
        };
        place.append_child(&view).map_err(fail("could not insert the controls"))?;
        IN_PLACE.with(|hosts| hosts.borrow_mut().push(host.clone()));
    } else {
        let children = host.child_nodes();
        original = (0..children.length()).filter_map(|i| children.item(i)).collect();
        for node in &original {
            host.remove_child(node).map_err(fail("could not set the article aside"))?;
        }
        host.append_child(&view).map_err(fail("could not insert the view"))?;
    }
    let shadow = view.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).map_err(fail("no shadow root"))?;
    let rules = format!("{STYLE}\n{}{}", theme::tag_rules(&options.tags), theme::highlight_rules(&options.tags));
    let sheet = constructed(&rules)?;
    shadow.set_adopted_style_sheets(&Array::of1(&sheet));
    let root = document.create_element("div").map_err(fail("could not create the root"))?;
    shadow.append_child(&root).map_err(fail("could not insert the root"))?;

    // The handle may be asked for annotations (or given some) before the
    // component's first render: the mirror knows the document from the start.
    let mirror = Mirror::default();
    if let Some(doc) = fixed_doc {
        let mut shared = mirror.0.borrow_mut();
        shared.key = document_key(options.document_id.as_deref(), &doc);
        shared.doc = doc;
        shared.tags = Rc::new(options.tags.clone());
    }
    let scale = Rc::new(options.scale);
    {
        let mut shared = mirror.0.borrow_mut();
        shared.scale = scale.clone();
        shared.organization = options.organization.clone().map(Rc::new);
    }
    // The page's own metadata, overridden field by field by the host's option.
    let details = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| marginalia_core::article_details::ArticleDetails::from_metadata(&crate::metadata::read(&d)))
        .unwrap_or_default()
        .overridden_by(&options.details);
    let details = Rc::new(details);
    let fact_check_url = options.fact_check_url.map(Rc::new);
    {
        let mut shared = mirror.0.borrow_mut();
        shared.details = details.clone();
        shared.fact_check_url = fact_check_url.clone();
    }
    let rules = Rules::new(options.rules);
    let read_only = options.read_only;
    let props = AppProps {
        source,
        document_id: options.document_id.map(Into::into),
        tags: Rc::new(options.tags),
        scale,
        organization: options.organization.map(Rc::new),
        details,
        fact_check_url,
        read_only: options.read_only,
        panel: options.panel != PanelPlace::Hidden,
        side_panel: in_place && options.panel == PanelPlace::Side,
        panel_open: options.panel_open,
        launcher: options.launcher,
        document_sheet: document_sheet.as_ref().map(|s| s.sheet().clone()),
        loader,
        suggest: options.suggest,
        rules: rules.clone(),
        sync: options.sync.map(Rc::new),
        on_event: options.on_event,
        mirror: mirror.clone(),
        view: Some(view.clone()),
    };
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    // A reader who may suggest finds the rules loaded by the first Suggest.
    if !read_only {
        rules.prefetch();
    }
    // Mounted: the sheet is this widget's to take out.
    if let Some(sheet) = &mut document_sheet {
        sheet.own();
    }
    Ok(Widget { host: host.clone(), view, original, document_sheet, app: Some(app), mirror, rules })
}

impl Widget {
    /// The shadow root the widget renders in (open, for tests and hosts).
    pub fn shadow_root(&self) -> Option<web_sys::ShadowRoot> {
        self.view.shadow_root()
    }

    /// The widget's own element, holding its shadow root.
    pub fn view(&self) -> &Element {
        &self.view
    }

    pub fn mirror(&self) -> &Mirror {
        &self.mirror
    }

    /// The suggestion rules this widget loads (the handle's `suggest()`).
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn app(&self) -> Option<&AppHandle<App>> {
        self.app.as_ref()
    }

    /// Unmounts: every range, listener, observer and element the widget
    /// added goes, and nothing else; nodes set aside go back. Safe to call twice.
    pub fn destroy(&mut self) {
        let Some(app) = self.app.take() else { return };
        let unpaint = self.mirror.0.borrow_mut().unpaint.take();
        if let Some(unpaint) = unpaint {
            unpaint();
        }
        app.destroy();
        self.view.remove();
        // Dropped: taken out of the document's sheets.
        self.document_sheet = None;
        IN_PLACE.with(|hosts| hosts.borrow_mut().retain(|h| !h.is_same_node(Some(&self.host))));
        for node in &self.original {
            let _ = self.host.append_child(node);
        }
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.destroy();
    }
}
