//! What each export holds, for the page's downloads and the handle's
//! `export(format)` alike: W3C JSON-LD, CSV, ClaimReview JSON-LD, the Fact
//! Check Markup Tool's pages and the Markdown report. The core writes
//! them; this names the files, and says why a published format has nothing
//! to hold rather than write an empty file.

use crate::transfer::Format;
use marginalia_core::article_details::ArticleDetails;
use marginalia_core::claimreview::{self, Organization, Publication};
use marginalia_core::claimreview_markup::markup_pages;
use marginalia_core::fact_check_url::Template;
use marginalia_core::report::Report;
use marginalia_core::review::Scale;
use marginalia_core::{interchange, Annotation, Document};
use serde_json::Value;

/// Everything an export is made from.
pub struct Sources<'a> {
    pub key: &'a str,
    pub doc: &'a Document,
    /// Drawn and orphaned alike: a file keeps everything.
    pub annotations: &'a [Annotation],
    pub scale: &'a Scale,
    pub organization: Option<&'a Organization>,
    /// The article's address, title, publisher and date.
    pub details: &'a ArticleDetails,
    /// The fact-check's own address (`factCheckUrl`).
    pub fact_check_url: Option<&'a Template>,
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
        "claimreview-markup" => Some(Format::ClaimReviewMarkup),
        "report" => Some(Format::Report),
        _ => None,
    }
}

/// The file `format` makes, or why there is none: a published format
/// (ClaimReview, the Markup Tool's) with no claim ready to publish writes
/// no file, and says what is missing.
pub fn make(format: Format, s: &Sources) -> Result<File, String> {
    let title = s.doc.title();
    let all = s.annotations.len();
    let publication = Publication {
        article: s.details,
        fact_check_url: s.fact_check_url,
        organization: s.organization,
        scale: s.scale,
        now_ms: s.now_ms,
    };
    Ok(match format {
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
        Format::ClaimReview | Format::ClaimReviewMarkup => {
            let (ready, left) = claimreview::prepare(s.annotations, &publication);
            if ready.is_empty() {
                return Err(claimreview::left_out_message(&left).unwrap_or_else(|| "Nothing is checked yet".into()));
            }
            let n = ready.len();
            let (content, extension, mime) = match format {
                Format::ClaimReview => (
                    claimreview::claim_reviews(s.annotations, &publication),
                    "claimreview.jsonld",
                    "application/ld+json",
                ),
                _ => (markup_pages(s.annotations, &publication), "claimreview-markup.json", "application/json"),
            };
            File {
                name: interchange::file_name(title, extension),
                mime,
                content: Content::Json(content),
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
    })
}
