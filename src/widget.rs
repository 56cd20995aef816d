//! Mounting: turns any element into an annotator.
//!
//! The element's own content is read as the article (unless the embedder
//! gives the text), set aside node by node, and the widget renders in a
//! shadow root in its place, with its stylesheet adopted there: the host's
//! CSS cannot reach in and ours cannot leak out. `destroy` unmounts and puts
//! the original nodes back, so the host's DOM is exactly what it was.

use crate::app::{document_key, App, AppProps, Mirror, Source, WidgetEvent};
use crate::article::Block;
use js_sys::Array;
use marginalia_core::document::normalise_paragraph;
use marginalia_core::{theme, Document, TagSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, HtmlElement, Node, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, Callback};

/// The widget's stylesheet; the tag colours are added per tag set.
const STYLE: &str = include_str!("../styles/widget.css");

/// Marks the element the widget renders into, inside the host.
pub const VIEW_ATTR: &str = "data-marginalia";

/// Which elements of a host's content are the article's blocks, in order.
const BLOCKS: &str = "h1, h2, h3, h4, h5, h6, p, li, figcaption, blockquote, pre, dt, dd";

pub enum Article {
    /// The stand-alone page: the reader's last article, else this one.
    Page(Rc<str>),
    /// Text given by the embedder: each non-empty line a paragraph.
    Text(String),
    /// The host element's own paragraphs and headings.
    Host,
}

pub struct Options {
    pub article: Article,
    pub document_id: Option<String>,
    pub tags: TagSet,
    pub read_only: bool,
    pub panel: bool,
    /// Run the suggestions when mounted.
    pub suggest: bool,
    pub on_event: Callback<WidgetEvent>,
}

pub struct Widget {
    host: Element,
    view: Element,
    original: Vec<Node>,
    app: Option<AppHandle<App>>,
    mirror: Mirror,
}

pub fn mount(host: &Element, options: Options) -> Result<Widget, String> {
    if host.query_selector(&format!(":scope > [{VIEW_ATTR}]")).ok().flatten().is_some() {
        return Err("this element already has a Marginalia widget".into());
    }
    let document = host.owner_document().ok_or("the element is not in a document")?;
    let (source, loader) = match options.article {
        Article::Page(fallback) => (Source::Page { fallback }, true),
        Article::Text(text) => {
            let doc = Document::from_text(&text);
            let blocks = vec![Block::Paragraph; doc.paragraphs().len()];
            (Source::Fixed { doc: Rc::new(doc), blocks: Rc::new(blocks) }, false)
        }
        Article::Host => {
            let (blocks, texts): (Vec<Block>, Vec<String>) = host_blocks(host).into_iter().unzip();
            (Source::Fixed { doc: Rc::new(Document::from_paragraphs(&texts)), blocks: Rc::new(blocks) }, false)
        }
    };
    if let Source::Fixed { doc, .. } = &source {
        if doc.is_empty() {
            return Err("the article has no text to annotate".into());
        }
    }
    fn fail(what: &'static str) -> impl Fn(wasm_bindgen::JsValue) -> String {
        move |e| format!("{what}: {e:?}")
    }

    let original: Vec<Node> = {
        let children = host.child_nodes();
        (0..children.length()).filter_map(|i| children.item(i)).collect()
    };
    for node in &original {
        host.remove_child(node).map_err(fail("could not set the article aside"))?;
    }
    let view = document.create_element("div").map_err(fail("could not create the view"))?;
    view.set_attribute(VIEW_ATTR, "").map_err(fail("could not mark the view"))?;
    host.append_child(&view).map_err(fail("could not insert the view"))?;
    let shadow = view.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).map_err(fail("no shadow root"))?;
    // A constructed stylesheet: no <style> element, so a strict CSP allows it.
    let sheet = CssStyleSheet::new().map_err(fail("no constructable stylesheets"))?;
    let rules = format!("{STYLE}\n{}{}", theme::tag_rules(&options.tags), theme::highlight_rules(&options.tags));
    sheet.replace_sync(&rules).map_err(fail("bad stylesheet"))?;
    shadow.set_adopted_style_sheets(&Array::of1(&sheet));
    let root = document.create_element("div").map_err(fail("could not create the root"))?;
    shadow.append_child(&root).map_err(fail("could not insert the root"))?;

    // The handle may be asked for annotations (or given some) before the
    // component's first render: the mirror knows the document from the start.
    let mirror = Mirror::default();
    if let Source::Fixed { doc, .. } = &source {
        let mut shared = mirror.0.borrow_mut();
        shared.key = document_key(options.document_id.as_deref(), doc);
        shared.doc = doc.clone();
        shared.tags = Rc::new(options.tags.clone());
    }
    let props = AppProps {
        source,
        document_id: options.document_id.map(Into::into),
        tags: Rc::new(options.tags),
        read_only: options.read_only,
        panel: options.panel,
        loader,
        suggest: options.suggest,
        on_event: options.on_event,
        mirror: mirror.clone(),
    };
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    Ok(Widget { host: host.clone(), view, original, app: Some(app), mirror })
}

/// The host's blocks, innermost first: a `<p>` inside an `<li>` is one block.
fn host_blocks(host: &Element) -> Vec<(Block, String)> {
    let found: Vec<Element> = host
        .query_selector_all(BLOCKS)
        .map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect())
        .unwrap_or_default();
    let leaves = found.iter().filter(|el| !found.iter().any(|other| *other != **el && el.contains(Some(other))));
    let mut blocks: Vec<(Block, String)> = leaves
        .map(|el| {
            let block = match el.tag_name().as_bytes() {
                [b'H', level @ b'1'..=b'6'] => Block::Heading(level - b'0'),
                _ => Block::Paragraph,
            };
            (block, visible_text(el))
        })
        .filter(|(_, text)| !normalise_paragraph(text).is_empty())
        .collect();
    if blocks.is_empty() {
        // No block elements: each line of the host's text is a paragraph.
        blocks = visible_text(host)
            .lines()
            .filter(|l| !normalise_paragraph(l).is_empty())
            .map(|l| (Block::Paragraph, l.to_string()))
            .collect();
    }
    blocks
}

/// The text a reader sees: `innerText` turns `<br>` into a line break and
/// skips hidden elements; `textContent` where there is no layout.
fn visible_text(el: &Element) -> String {
    match el.dyn_ref::<HtmlElement>() {
        Some(html) => html.inner_text(),
        None => el.text_content().unwrap_or_default(),
    }
}

impl Widget {
    /// The shadow root the widget renders in (open, for tests and hosts).
    pub fn shadow_root(&self) -> Option<web_sys::ShadowRoot> {
        self.view.shadow_root()
    }

    pub fn mirror(&self) -> &Mirror {
        &self.mirror
    }

    pub fn app(&self) -> Option<&AppHandle<App>> {
        self.app.as_ref()
    }

    /// Unmounts, drops every listener the widget added, and gives the host
    /// its original nodes back. Safe to call twice.
    pub fn destroy(&mut self) {
        let Some(app) = self.app.take() else { return };
        app.destroy();
        self.view.remove();
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
