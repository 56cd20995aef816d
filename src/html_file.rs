//! An article opened as an `.html` file (a saved news page): its text, one
//! paragraph per block, and what its `<head>` says of it (address, title,
//! publisher, date) for the Article details. The file is parsed by
//! `DOMParser` into an inert document: no script runs, nothing loads, and
//! only text comes out; the page never renders the file's HTML.

use marginalia_core::article_details::Metadata;
use web_sys::{DomParser, SupportedType};

/// The blocks whose text is a paragraph of the article.
const BLOCKS: &str = "h1, h2, h3, h4, h5, h6, p, li, blockquote, figcaption, pre, dt, dd";

/// Whether `text` is an HTML document rather than plain text: it starts,
/// past blank space and a byte-order mark, with a doctype or `<html>`.
pub fn is_html(text: &str) -> bool {
    let start: String = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).chars().take(15).collect();
    let start = start.to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The article's text (a block per line) and the page's metadata, or
/// `None` when the browser cannot parse it.
pub fn read(html: &str) -> Option<(String, Metadata)> {
    let doc = DomParser::new().ok()?.parse_from_string(html, SupportedType::TextHtml).ok()?;
    let metadata = crate::metadata::read(&doc);
    // What is never the article's text, even inside a paragraph.
    if let Ok(list) = doc.query_selector_all("script, style, noscript, template") {
        for node in (0..list.length()).filter_map(|i| list.item(i)) {
            if let Some(parent) = node.parent_node() {
                let _ = parent.remove_child(&node);
            }
        }
    }
    let root = doc.query_selector("article").ok().flatten().or_else(|| doc.body().map(Into::into))?;
    let list = root.query_selector_all(BLOCKS).ok()?;
    let blocks: Vec<web_sys::Element> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into(n).ok())
        .collect();
    // Innermost blocks only: a list item holding a paragraph is one line.
    let lines: Vec<String> = blocks
        .iter()
        .filter(|b| !blocks.iter().any(|o| o != *b && b.contains(Some(o))))
        .filter_map(|b| b.text_content())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();
    Some((lines.join("\n"), metadata))
}
