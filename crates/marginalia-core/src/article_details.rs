//! The article's details a published fact-check names: its address,
//! title, publisher and date. On a host page they are read from the page's
//! own metadata, most trusted first; a mount option or the reader's form
//! overrides them field by field. Every decision is here; the shell only
//! collects what the page says.

use crate::review::{is_iso_date, is_web_url, Field};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Each field may be empty (not known).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDetails {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher: String,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub published: String,
}

/// What a page's `<head>` says, as the shell finds it: each value as
/// written, `None` where the page has none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `<link rel=canonical>`, resolved against the page.
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub og_title: Option<String>,
    pub og_site_name: Option<String>,
    /// `<meta property="article:published_time">`.
    pub published_time: Option<String>,
    /// The text of each `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
}

/// The longest title or publisher kept.
pub const DETAIL_LIMIT: usize = 300;

impl ArticleDetails {
    /// Read from a page's metadata, in the order of trust: the canonical
    /// link, then Open Graph (and `article:published_time`), then JSON-LD
    /// `NewsArticle`/`Article`. A value that does not fit its field (an
    /// address that is not http(s), a date that is not one) is passed
    /// over for the next.
    pub fn from_metadata(m: &Metadata) -> ArticleDetails {
        let article =
            m.json_ld.iter().find_map(|text| serde_json::from_str::<Value>(text).ok().and_then(|v| find_article(&v)));
        let ld = |key: &str| article.as_ref().and_then(|a| ld_text(a.get(key)));
        let ld_url = article.as_ref().and_then(|a| {
            ld_text(a.get("url"))
                .or_else(|| a.get("mainEntityOfPage").and_then(|p| ld_text(Some(p)).or_else(|| ld_text(p.get("@id")))))
        });
        let publisher = article.as_ref().and_then(|a| match a.get("publisher") {
            Some(Value::Array(list)) => list.iter().find_map(|p| ld_text(p.get("name"))),
            Some(p) => ld_text(p.get("name")).or_else(|| ld_text(Some(p))),
            None => None,
        });
        let first = |candidates: Vec<Option<String>>, fits: fn(&str) -> bool| {
            candidates.into_iter().flatten().map(|c| c.trim().to_string()).find(|c| !c.is_empty() && fits(c))
        };
        ArticleDetails {
            url: first(vec![m.canonical.clone(), m.og_url.clone(), ld_url], is_web_url).unwrap_or_default(),
            title: first(vec![m.og_title.clone(), ld("headline"), ld("name")], |t| t.chars().count() <= DETAIL_LIMIT)
                .unwrap_or_default(),
            publisher: first(vec![m.og_site_name.clone(), publisher], |t| t.chars().count() <= DETAIL_LIMIT)
                .unwrap_or_default(),
            published: first(
                vec![m.published_time.as_deref().and_then(day), ld("datePublished").as_deref().and_then(day)],
                is_iso_date,
            )
            .unwrap_or_default(),
        }
    }

    /// These details with every field `over` gives taken from it.
    pub fn overridden_by(&self, over: &ArticleDetails) -> ArticleDetails {
        let pick = |o: &String, s: &String| if o.trim().is_empty() { s.clone() } else { o.trim().to_string() };
        ArticleDetails {
            url: pick(&over.url, &self.url),
            title: pick(&over.title, &self.title),
            publisher: pick(&over.publisher, &self.publisher),
            published: pick(&over.published, &self.published),
        }
    }

    pub fn tidied(&self) -> ArticleDetails {
        ArticleDetails::default().overridden_by(self)
    }

    /// What stops these details being used, each with its field: an
    /// address that is not http(s), a date that is not one or is after
    /// `today` (empty when unknown), a title or publisher too long.
    pub fn problems_by_field(&self, today: &str) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if !self.url.is_empty() && !is_web_url(&self.url) {
            out.push((
                Field::ArticleUrl,
                format!("the article's address {:?} is not a web address (http:// or https://)", self.url),
            ));
        }
        if self.title.chars().count() > DETAIL_LIMIT {
            out.push((Field::ArticleTitle, format!("the title is longer than {DETAIL_LIMIT} characters")));
        }
        if self.publisher.chars().count() > DETAIL_LIMIT {
            out.push((Field::Publisher, format!("the publisher is longer than {DETAIL_LIMIT} characters")));
        }
        if !self.published.is_empty() {
            if !is_iso_date(&self.published) {
                out.push((Field::Published, format!("the date {:?} is not a date like 2026-11-30", self.published)));
            } else if !today.is_empty() && self.published.as_str() > today {
                out.push((Field::Published, format!("the date {} is after today", self.published)));
            }
        }
        out
    }
}

/// Where the reader's own details of a document are kept (the page's
/// Article details form): beside its annotations, under its key.
pub fn details_key(document: &str) -> String {
    format!("{}details:{document}", crate::codec::KEY_PREFIX)
}

/// The fact-check address template the reader gave on the page: one per
/// browser, like the reviewer's name.
pub const FACT_CHECK_URL_KEY: &str = "marginalia:v1:fact-check-url";

#[derive(Serialize, Deserialize)]
struct Stored {
    schema: u32,
    details: ArticleDetails,
}

/// The stored form of the reader's details.
pub fn encode(details: &ArticleDetails) -> String {
    serde_json::to_string(&Stored { schema: 1, details: details.clone() }).unwrap_or_default()
}

/// The reader's details back, or why not (a damaged or newer value is
/// said, and left where it is).
pub fn decode(raw: &str) -> Result<ArticleDetails, String> {
    let stored: Stored =
        serde_json::from_str(raw).map_err(|e| format!("the saved article details are damaged ({e})"))?;
    if stored.schema > 1 {
        return Err(format!("the saved article details are from a newer version (schema {})", stored.schema));
    }
    Ok(stored.details.tidied())
}

/// The first `NewsArticle` or `Article` (or a kind of either) in a JSON-LD
/// value: itself, an item of an array, or of an `@graph`.
fn find_article(v: &Value) -> Option<Value> {
    match v {
        Value::Array(list) => list.iter().find_map(find_article),
        Value::Object(o) => {
            let is_article = |t: &Value| {
                t.as_str().is_some_and(|t| {
                    t == "Article" || t.ends_with("NewsArticle") || t == "BlogPosting" || t == "Report"
                })
            };
            let typed = match o.get("@type") {
                Some(Value::Array(types)) => types.iter().any(is_article),
                Some(t) => is_article(t),
                None => false,
            };
            if typed {
                Some(v.clone())
            } else {
                o.get("@graph").and_then(find_article)
            }
        }
        _ => None,
    }
}

/// A JSON-LD value as text: a string, or the first string of an array.
fn ld_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(list) => list.iter().find_map(|x| x.as_str().map(str::to_string)),
        _ => None,
    }
}

/// The day of an ISO 8601 date or date-time (`2026-11-30T08:00:00Z`), as
/// written (the publisher's own day, whatever its offset).
fn day(text: &str) -> Option<String> {
    let d = text.trim().get(..10)?;
    is_iso_date(d).then(|| d.to_string())
}

#[cfg(test)]
#[path = "article_details_tests.rs"]
mod tests;
