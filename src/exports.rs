//! What each export holds, for the page's downloads and the handle's
//! `export(format)` alike: W3C JSON-LD, CSV, ClaimReview JSON-LD and the
//! Markdown report. The core writes them; this names the files and finds
//! the article's address.

use crate::transfer::Format;
use marginalia_core::claimreview::{self, Organization, Publication};
use marginalia_core::report::Report;
use marginalia_core::review::Scale;
use marginalia_core::{interchange, Annotation, Document};
use serde_json::Value;
use wasm_bindgen::JsCast;

/// Everything an export is made from.
pub struct Sources<'a> {
    pub key: &'a str,
    pub doc: &'a Document,
    /// Drawn and orphaned alike: a file keeps everything.
    pub annotations: &'a [Annotation],
    pub scale: &'a Scale,
    pub organization: Option<&'a Organization>,
    pub now_ms: u64,
}

/// One export's content: JSON data, or text.
pub enum Content {
    Json(Value),
    Text(String),
}

pub struct File {
    pub name: String,
    pub mime: &'static str,
    pub content: Content,
    /// What it holds, for the status line: "5 annotation(s)".
    pub count: String,
}

impl File {
    pub fn text(&self) -> String {
        match &self.content {
            Content::Json(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
            Content::Text(t) => t.clone(),
        }
    }
}

/// The format a handle's `export(name)` names.
pub fn format_named(name: &str) -> Option<Format> {
    match name {
        "w3c" => Some(Format::W3c),
        "csv" => Some(Format::Csv),
        "claimreview" => Some(Format::ClaimReview),
        "report" => Some(Format::Report),
        _ => None,
    }
}

pub fn make(format: Format, s: &Sources) -> File {
    let title = s.doc.title();
    let all = s.annotations.len();
    match format {
        Format::W3c => File {
            name: interchange::file_name(title, "jsonld"),
            mime: "application/ld+json",
            content: Content::Json(interchange::to_collection(s.key, s.doc, s.annotations, s.scale, s.now_ms)),
            count: format!("{all} annotation(s)"),
        },
        Format::Csv => File {
            name: interchange::file_name(title, "csv"),
            mime: "text/csv",
            content: Content::Text(interchange::to_csv(s.annotations, s.scale)),
            count: format!("{all} annotation(s)"),
        },
        Format::ClaimReview => {
            let url = article_url();
            let publication =
                Publication { article_url: &url, organization: s.organization, scale: s.scale, now_ms: s.now_ms };
            let reviews = claimreview::claim_reviews(s.annotations, &publication);
            let n = reviews.as_array().map_or(0, Vec::len);
            File {
                name: interchange::file_name(title, "claimreview.jsonld"),
                mime: "application/ld+json",
                content: Content::Json(reviews),
                count: format!("{n} checked claim(s)"),
            }
        }
        Format::Report => {
            let report = Report::build(title, s.annotations, s.scale);
            let count = format!("{} claim(s) and {} quote(s)", report.claims.len(), report.quotes.len());
            File {
                name: interchange::file_name(title, "md"),
                mime: "text/markdown",
                content: Content::Text(report.to_markdown(s.now_ms)),
                count,
            }
        }
    }
}

/// Where the article appears: the page's canonical address if it names
/// one, else its own address without the fragment.
pub fn article_url() -> String {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return String::new() };
    let canonical = document
        .query_selector("link[rel=canonical][href]")
        .ok()
        .flatten()
        .and_then(|l| l.dyn_into::<web_sys::HtmlLinkElement>().ok())
        .map(|l| l.href())
        .filter(|href| marginalia_core::review::is_web_url(href));
    canonical.unwrap_or_else(|| {
        let href = document.url().unwrap_or_default();
        href.split('#').next().unwrap_or_default().to_string()
    })
}
