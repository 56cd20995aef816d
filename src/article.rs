//! The stand-alone page's article: plain paragraphs, one text node each,
//! written into the `<article>` element once per document. Highlights are
//! not elements: `paint` draws them over this text, as over a host's.

use marginalia_core::{Document, Span};
use std::rc::Rc;
use wasm_bindgen::{intern, JsCast, JsValue};
use web_sys::{Element, Text};

/// How a paragraph of the document is shown: the host's heading levels are
/// kept; a text file's first line is the headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8),
    Paragraph,
}

impl Block {
    pub fn heading_level(self) -> Option<u8> {
        match self {
            Block::Heading(level) => Some(level),
            Block::Paragraph => None,
        }
    }
}

/// What the article shows: the document and how each paragraph is shown.
#[derive(Clone)]
pub struct ArticleView {
    pub doc: Rc<Document>,
    pub blocks: Rc<Vec<Block>>,
}

/// The same view: compared by pointer, as a 1 MB document is costly to compare.
impl PartialEq for ArticleView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc) && Rc::ptr_eq(&self.blocks, &other.blocks)
    }
}

/// The paragraphs as written into the `<article>` element.
///
/// Written with direct DOM calls, not by Yew: on 1 MB Yew's per-node work
/// was most of the time to first paint. The shape: `<p class="para">` (or
/// `<hN>`) holding one text node. Text goes in only as text nodes: the
/// article is never parsed as HTML.
#[derive(Default)]
pub struct Painted {
    /// The element written into; another one (Yew re-created it) means write again.
    into: Option<Element>,
    shown: Option<ArticleView>,
    chunks: Vec<Element>,
    /// Paragraphs per chunk, and which chunks the browser draws now; all
    /// of them while the page is printed.
    size: usize,
    drawn: Vec<bool>,
    printing: bool,
    texts: Vec<Text>,
}

/// Paragraphs per chunk. Each chunk is skipped as a whole while off screen
/// (`content-visibility: auto`): on 1 MB (6,000 paragraphs) it cut the
/// browser's layout and style work of a load from ~190 ms to ~45 ms.
/// Articles of up to [`UNCHUNKED`] paragraphs are not chunked.
const CHUNK: usize = 64;
const UNCHUNKED: usize = 2 * CHUNK;

/// Chunks laid out from the first frame: only the ones after them are
/// skipped (class `skip`). Until its first frame a skipped chunk has its
/// estimated size, and text measured or pressed on inside it before then is
/// not where the frame puts it: a drag begun at once started on the wrong
/// line. 128 paragraphs are taller than any screen, and a new article is
/// shown from its start, so what is on screen when it appears is laid out.
const LAID_OUT: usize = 2;

impl Painted {
    /// Makes `article` show `view`; true if it wrote anything (the text
    /// nodes are new, so every range over the old ones is stale).
    pub fn sync(&mut self, article: &Element, view: &ArticleView) -> Result<bool, JsValue> {
        let same_home = self.into.as_ref().is_some_and(|e| e.is_same_node(Some(article)));
        if same_home && self.shown.as_ref() == Some(view) {
            return Ok(false);
        }
        let doc = article.owner_document().ok_or_else(|| JsValue::from_str("the article has no document"))?;
        for chunk in self.chunks.drain(..) {
            chunk.remove();
        }
        self.texts.clear();
        self.drawn.clear();
        // One fragment, one insertion: the browser lays out once.
        let fragment = doc.create_document_fragment();
        let paragraphs = view.doc.paragraphs();
        let chunked = paragraphs.len() > UNCHUNKED;
        let size = if chunked { CHUNK } else { paragraphs.len().max(1) };
        let create_text: js_sys::Function =
            js_sys::Reflect::get(&doc, &JsValue::from_str("createTextNode"))?.dyn_into()?;
        for (n, group) in paragraphs.chunks(size).enumerate() {
            let chunk = doc.create_element("div")?;
            chunk.set_class_name(if !chunked {
                "chunk whole"
            } else if n < LAID_OUT {
                "chunk"
            } else {
                "chunk skip"
            });
            for (i, p) in group.iter().enumerate() {
                let index = n * size + i;
                let name = match view.blocks.get(index).copied().unwrap_or(Block::Paragraph) {
                    Block::Heading(level) => ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1],
                    Block::Paragraph => "p",
                };
                let el = doc.create_element(intern(name))?;
                el.set_class_name(intern("para"));
                // For the tests and for hosts' scripts: which paragraph this is.
                el.set_attribute(intern("data-para"), &index.to_string())?;
                let text: Text = create_text.call1(&doc, &JsValue::from_str(p.text()))?.dyn_into()?;
                el.append_child(&text)?;
                chunk.append_child(&el)?;
                self.texts.push(text);
            }
            fragment.append_child(&chunk)?;
            self.chunks.push(chunk);
            // Drawn until the browser says otherwise: it says so when a
            // chunk's state changes, and a chunk near the window when it is
            // written (tiny text, a page zoomed far out) never changes, so
            // it must not start as skipped. The chunks off screen are each
            // said skipped within a frame or two.
            self.drawn.push(true);
        }
        article.append_child(&fragment)?;
        self.size = size;
        self.into = Some(article.clone());
        self.shown = Some(view.clone());
        Ok(true)
    }

    /// The text node of each paragraph, in order.
    pub fn texts(&self) -> &[Text] {
        &self.texts
    }

    /// Whether `span` is in a chunk the browser draws now: only those
    /// chunks' highlights are painted. Chromium makes every highlight's
    /// range on the page again after any change to the DOM (a count in the
    /// panel, an attribute): on 1 MB with 10,000 ranges that was 10–15 ms
    /// in each frame after an edit, and 10,000 ranges were made at load.
    /// A chunk off screen is not drawn, so neither are its highlights; the
    /// browser draws a chunk again before it comes on screen (it renders
    /// those near the window), and says so (`chunk_drawn`).
    pub fn shows(&self, span: Span) -> bool {
        let Some(view) = self.shown.as_ref().filter(|_| !self.printing) else { return true };
        let touched = view.doc.paragraphs_touched(span);
        let last = touched.end.saturating_sub(1).max(touched.start);
        // A span past the chunks (none is) is painted rather than lost.
        self.drawn.get(touched.start / self.size..=last / self.size).is_none_or(|d| d.contains(&true))
    }

    /// Whether every span `shows`: nothing is skipped (an article not in
    /// chunks, or all drawn), or the page is printed. Asked once per
    /// repaint, so a short article's annotations are not each looked up.
    pub fn draws_all(&self) -> bool {
        self.printing || !self.drawn.contains(&false)
    }

    /// The page is printed (`beforeprint`), or no longer (`afterprint`):
    /// a printed page draws every chunk, and says so to no one. True if
    /// that changes what `shows` answers.
    pub fn set_printing(&mut self, printing: bool) -> bool {
        std::mem::replace(&mut self.printing, printing) != printing
    }

    /// The browser began (`drawn`) or stopped drawing `chunk` (its
    /// `contentvisibilityautostatechange`); true if that changes what
    /// `shows` answers.
    pub fn chunk_drawn(&mut self, chunk: &Element, drawn: bool) -> bool {
        let Some(at) = self.chunks.iter().position(|c| c.is_same_node(Some(chunk))) else { return false };
        self.drawn.get_mut(at).is_some_and(|d| std::mem::replace(d, drawn) != drawn)
    }
}
