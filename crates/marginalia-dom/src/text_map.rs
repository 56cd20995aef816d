//! The one module that maps DOM positions to code points and back.
//!
//! A [`TextMap`] is the document text of a DOM subtree (the rule is in
//! ARCHITECTURE.md, "The document text of a DOM"): which elements are
//! blocks, what is skipped, and how `<br>` and whitespace count. Walking the
//! DOM is this module's, carried out in JavaScript (`dom.js`, one call per
//! walk, given the lists below); collapsing a block's text and keeping the
//! map between the two countings is the core's (`textmap::BlockMap`).
//!
//! Boundary points outside the subtree clamp to its start or end; a point
//! between text nodes counts as the start of the next text.

use js_sys::{Array, Uint32Array};
use marginalia_core::offsets::split_utf16;
use marginalia_core::offsets::Round;
use marginalia_core::textmap::{BlockMap, Part};
use marginalia_core::Document;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Node, Range, StaticRange, Text};

#[wasm_bindgen(module = "/src/dom.js")]
extern "C" {
    /// The text nodes under `root`, their data joined, and the layout of
    /// their blocks (see `blocks_of`).
    fn walk(root: &Element, blocks: &str, skipped: &str, skip_attr: &str) -> Array;
    #[wasm_bindgen(catch)]
    fn static_range(start: &Text, start_offset: u32, end: &Text, end_offset: u32) -> Result<StaticRange, JsValue>;
}

/// A `<br>` among a block's parts, in `walk`'s layout.
const BREAK: u32 = u32::MAX;

/// Elements whose start and end end a paragraph.
const BLOCKS: &[&str] = &[
    "ADDRESS",
    "ARTICLE",
    "ASIDE",
    "BLOCKQUOTE",
    "BODY",
    "CAPTION",
    "DD",
    "DETAILS",
    "DIALOG",
    "DIV",
    "DL",
    "DT",
    "FIELDSET",
    "FIGCAPTION",
    "FIGURE",
    "FOOTER",
    "FORM",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "HEADER",
    "HGROUP",
    "HR",
    "LI",
    "MAIN",
    "MENU",
    "NAV",
    "OL",
    "P",
    "PRE",
    "SECTION",
    "SUMMARY",
    "TABLE",
    "TBODY",
    "TD",
    "TFOOT",
    "TH",
    "THEAD",
    "TR",
    "UL",
];

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "TEXTAREA", "SELECT", "OPTION", "BUTTON", "INPUT", "IFRAME", "OBJECT",
    "SVG", "svg", "MATH", "math", "CANVAS", "VIDEO", "AUDIO", "HEAD",
];

/// The attribute a host puts on what is not article (bylines, ads, share
/// bars): the element and everything in it are left out.
pub const SKIP_ATTR: &str = "data-marginalia-skip";

/// One paragraph's text nodes (`None` for a `<br>`) and its map.
struct Block {
    parts: Vec<Option<Text>>,
    map: BlockMap,
    /// The heading level of the innermost `<hN>` around it, if any.
    heading: Option<u8>,
}

pub struct TextMap {
    root: Element,
    blocks: Vec<Block>,
    /// Every text node in a block, in document order: (node, block, part).
    index: Vec<(Text, usize, usize)>,
    doc: Document,
}

impl TextMap {
    /// The document text of `root`'s subtree, by the documented rule. The
    /// walk runs in JavaScript (`dom.js`), in one call, the text coming
    /// back as one string: node by node from here, reading a 1 MB article
    /// took 107 ms of its first paint (profile build), 62–87 ms so.
    pub fn read(root: &Element) -> TextMap {
        let out = walk(root, &BLOCKS.join(" "), &SKIPPED.join(" "), SKIP_ATTR);
        let nodes: Array = out.get(0).unchecked_into();
        let joined = out.get(1).as_string().unwrap_or_default();
        let layout = out.get(2).dyn_into::<Uint32Array>().map(|l| l.to_vec()).unwrap_or_default();
        TextMap::from_blocks(root, blocks_of(&nodes, &joined, &layout))
    }

    /// Paragraph elements that each hold exactly one text node, paragraph
    /// `i` of `doc` (what `article::Painted` writes): no walk, nothing read.
    pub fn of_paragraphs(root: &Element, texts: Vec<Text>, doc: &Document, headings: &[Option<u8>]) -> TextMap {
        let blocks = texts
            .into_iter()
            .zip(doc.paragraphs())
            .enumerate()
            .map(|(i, (node, p))| {
                let map = BlockMap::build(&[Part::Text(p.text())]);
                Block { parts: vec![Some(node)], map, heading: headings.get(i).copied().flatten() }
            })
            .collect();
        TextMap::from_blocks(root, blocks)
    }

    fn from_blocks(root: &Element, blocks: Vec<Block>) -> TextMap {
        let blocks: Vec<Block> = blocks.into_iter().filter(|b| !b.map.is_empty()).collect();
        let doc = Document::from_paragraphs(blocks.iter().map(|b| b.map.text()));
        let mut index = Vec::new();
        for (b, block) in blocks.iter().enumerate() {
            for (p, part) in block.parts.iter().enumerate() {
                if let Some(text) = part {
                    index.push((text.clone(), b, p));
                }
            }
        }
        TextMap { root: root.clone(), blocks, index, doc }
    }

    /// The document text this map counts in.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn root(&self) -> &Element {
        &self.root
    }

    /// The heading level of each paragraph (`None` for other blocks).
    pub fn headings(&self) -> Vec<Option<u8>> {
        self.blocks.iter().map(|b| b.heading).collect()
    }

    /// The code point at DOM boundary point `(node, offset)`.
    pub fn to_cp(&self, node: &Node, offset: u32, round: Round) -> Option<usize> {
        if !self.root.contains(Some(node)) {
            return self.outside(node, offset);
        }
        if let Some(i) = self.find_text(node) {
            let (_, b, p) = &self.index[i];
            return Some(self.doc.paragraphs().get(*b)?.start() + self.blocks[*b].map.to_cp(*p, offset, round));
        }
        // An element's boundary, or text that is not article: the start of
        // the first article text after it.
        let point = new_range()?;
        point.set_start(node, offset).ok()?;
        let after = self.index.partition_point(|(t, _, _)| point.compare_point(t, 0).is_ok_and(|c| c < 0));
        let Some((_, b, p)) = self.index.get(after) else { return Some(self.doc.len()) };
        Some(self.doc.paragraphs().get(*b)?.start() + self.blocks[*b].map.to_cp(*p, 0, round))
    }

    /// A point outside the root: before it is 0, after it the end. Across
    /// a shadow boundary, the shadow host stands for the root.
    fn outside(&self, node: &Node, offset: u32) -> Option<usize> {
        let mut anchor: Node = self.root.clone().into();
        while let Some(root) = anchor.get_root_node().dyn_ref::<web_sys::ShadowRoot>() {
            if node.get_root_node() == anchor.get_root_node() {
                break;
            }
            anchor = root.host().into();
        }
        let around = new_range()?;
        around.select_node(&anchor).ok()?;
        // Fails for a point in another tree (another widget's shadow root).
        let before = match around.compare_point(node, offset).ok()? {
            -1 => true,
            1 => false,
            _ => around.start_container().ok().as_ref() == Some(node) && offset <= around.start_offset().ok()?,
        };
        Some(if before { 0 } else { self.doc.len() })
    }

    /// The index entry of text node `node`: a binary search in document order.
    fn find_text(&self, node: &Node) -> Option<usize> {
        if node.node_type() != Node::TEXT_NODE {
            return None;
        }
        // compareDocumentPosition: FOLLOWING (4) means the argument comes after.
        let at = self.index.partition_point(|(t, _, _)| {
            !t.is_same_node(Some(node)) && t.compare_document_position(node) & Node::DOCUMENT_POSITION_FOLLOWING != 0
        });
        self.index.get(at).filter(|(t, _, _)| t.is_same_node(Some(node))).map(|_| at)
    }

    /// The text node and UTF-16 offset of code point `cp`. An `end` point
    /// at a paragraph's end stays in that paragraph.
    pub fn to_dom(&self, cp: usize, end: bool) -> Option<(Text, u32)> {
        let paragraphs = self.doc.paragraphs();
        let index = if end && cp > 0 { self.doc.paragraph_at(cp - 1) } else { self.doc.paragraph_at(cp) }
            .or_else(|| paragraphs.len().checked_sub(1))?;
        let p = &paragraphs[index];
        let within = cp.clamp(p.start(), p.end()) - p.start();
        let block = self.blocks.get(index)?;
        let (part, unit) = block.map.to_dom(within)?;
        Some((block.parts.get(part)?.clone()?, unit))
    }

    /// A live DOM range over code points `[start, end)`.
    pub fn range(&self, start: usize, end: usize) -> Option<Range> {
        let (sn, so) = self.to_dom(start, false)?;
        let (en, eo) = self.to_dom(end, true)?;
        let range = new_range()?;
        range.set_start(&sn, so).ok()?;
        range.set_end(&en, eo).ok()?;
        Some(range)
    }

    /// A static range over `[start, end)`: what the painter hands the
    /// browser, which does not have to keep it updated through mutations.
    pub fn static_range(&self, start: usize, end: usize) -> Option<StaticRange> {
        let (sn, so) = self.to_dom(start, false)?;
        let (en, eo) = self.to_dom(end, true)?;
        static_range(&sn, so, &en, eo).ok()
    }
}

fn new_range() -> Option<Range> {
    web_sys::window()?.document()?.create_range().ok()
}

/// `walk`'s answer as blocks: `layout` is, for each block, its heading
/// level (0: none), its number of parts, then each part's length in UTF-16
/// units (`BREAK` for a `<br>`); the text parts take their nodes from
/// `nodes` and their text from `joined`, in order.
fn blocks_of(nodes: &Array, joined: &str, layout: &[u32]) -> Vec<Block> {
    let mut shapes = Vec::new();
    let mut rest = layout;
    while let [heading, count, tail @ ..] = rest {
        let (lens, after) = tail.split_at((*count as usize).min(tail.len()));
        shapes.push((*heading, lens));
        rest = after;
    }
    let lengths: Vec<u32> = shapes.iter().flat_map(|(_, lens)| lens.iter().copied()).filter(|&l| l != BREAK).collect();
    let mut texts = split_utf16(joined, &lengths).into_iter();
    let mut node = 0;
    shapes
        .into_iter()
        .map(|(heading, lens)| {
            let mut parts = Vec::with_capacity(lens.len());
            let mut data = Vec::with_capacity(lens.len());
            for &len in lens {
                if len == BREAK {
                    parts.push(None);
                    data.push(None);
                } else {
                    // `walk` lists text nodes only (node type 3).
                    parts.push(Some(nodes.get(node).unchecked_into::<Text>()));
                    data.push(texts.next());
                    node += 1;
                }
            }
            let raw: Vec<Part<'_>> = data.iter().map(|d| d.as_deref().map_or(Part::Break, Part::Text)).collect();
            let heading = u8::try_from(heading).ok().filter(|&h| h > 0);
            Block { parts, map: BlockMap::build(&raw), heading }
        })
        .collect()
}
