//! What a page's `<head>` says about its article (canonical link, Open
//! Graph, `article:published_time`, JSON-LD), collected as written for
//! `ArticleDetails::from_metadata`, which decides what to trust. Only
//! `<head>` and JSON-LD scripts are read: the article itself is not.

use marginalia_core::article_details::Metadata;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// The metadata of `document` (the host page, or a parsed `.html` file).
pub fn read(document: &Document) -> Metadata {
    let one = |selector: &str| document.query_selector(selector).ok().flatten();
    let content = |property: &str| {
        one(&format!("meta[property=\"{property}\"][content], meta[name=\"{property}\"][content]"))
            .and_then(|m| m.get_attribute("content"))
    };
    let scripts = document.query_selector_all("script[type=\"application/ld+json\"]").ok();
    let json_ld = scripts
        .map(|list| (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect())
        .unwrap_or_default();
    Metadata {
        canonical: one("link[rel=canonical][href]").and_then(|l| absolute(document, &l)),
        og_url: content("og:url"),
        og_title: content("og:title"),
        og_site_name: content("og:site_name"),
        published_time: content("article:published_time"),
        json_ld,
    }
}

/// A link's address resolved against its page (`href` as the browser reads it).
fn absolute(document: &Document, link: &Element) -> Option<String> {
    let href = link.get_attribute("href")?;
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    web_sys::Url::new_with_base(&href, &base)
        .ok()
        .map(|u| u.href())
        .or_else(|| link.dyn_ref::<web_sys::HtmlLinkElement>().map(|l| l.href()))
}
