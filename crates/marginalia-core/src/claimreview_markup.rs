//! The Fact Check Markup Tool's format: `ClaimReviewMarkupPage` objects as
//! Google's Fact Check Tools API defines them (`pageUrl`, `publishDate`,
//! `claimReviewAuthor`, `claimReviewMarkups[]` with `claimAuthor` and
//! `rating`), one page per fact-check address, written from the same
//! ready claims as the ClaimReview JSON-LD (`claimreview::prepare`), so
//! both formats publish the same claims with the same facts.

use crate::claimreview::{date_of, ends, prepare, Publication, Ready};
use crate::review::is_web_url;
use crate::Annotation;
use serde_json::{json, Map, Value};

/// An array of `ClaimReviewMarkupPage`: claims that share a fact-check
/// address (a template without `{id}` or `{slug}` in it is refused, but
/// two claims may still render alike) are one page, in document order.
pub fn markup_pages(annotations: &[Annotation], publication: &Publication) -> Value {
    let (ready, _) = prepare(annotations, publication);
    let mut pages: Vec<(String, Vec<&Ready>)> = Vec::new();
    for r in &ready {
        match pages.iter_mut().find(|(url, _)| *url == r.url) {
            Some((_, list)) => list.push(r),
            None => pages.push((r.url.clone(), vec![r])),
        }
    }
    let (best, worst) = ends(publication.scale);
    let pages = pages.into_iter().map(|(url, claims)| {
        let published =
            claims.iter().map(|r| r.review.reviewed.unwrap_or(publication.now_ms)).max().unwrap_or(publication.now_ms);
        let mut page = Map::new();
        page.insert("pageUrl".into(), json!(url));
        page.insert("publishDate".into(), json!(date_of(published)));
        let reviewer = claims.first().map_or("", |r| r.review.reviewer.as_str());
        // The API's author has a name and an image only; an image is not
        // ours to invent.
        if let Some(author) = crate::claimreview::author(publication.organization, reviewer) {
            page.insert("claimReviewAuthor".into(), json!({ "name": author["name"] }));
        }
        let markups: Vec<Value> = claims.iter().map(|r| markup(r, best, worst)).collect();
        page.insert("claimReviewMarkups".into(), Value::Array(markups));
        Value::Object(page)
    });
    Value::Array(pages.collect())
}

/// One claim's `ClaimReviewMarkup`.
fn markup(r: &Ready, best: i32, worst: i32) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), json!(r.url));
    m.insert("claimReviewed".into(), json!(r.claim.quote.exact));
    if !r.date.is_empty() {
        m.insert("claimDate".into(), json!(r.date));
    }
    if let Some(first) = r.appearances.first() {
        m.insert("claimFirstAppearance".into(), json!(first));
    }
    m.insert("claimAppearances".into(), json!(r.appearances));
    if let Some(c) = &r.claimant {
        let mut author = json!({ "name": c.claimant.trim() });
        if !c.job_title.trim().is_empty() {
            author["jobTitle"] = json!(c.job_title.trim());
        }
        if is_web_url(c.same_as.trim()) {
            author["sameAs"] = json!(c.same_as.trim());
        }
        m.insert("claimAuthor".into(), author);
    }
    let mut rating = json!({
        "textualRating": r.rating.label,
        "ratingValue": r.rating.value,
        "bestRating": best,
        "worstRating": worst,
    });
    if !r.review.explanation.trim().is_empty() {
        rating["ratingExplanation"] = json!(r.review.explanation.trim());
    }
    m.insert("rating".into(), rating);
    Value::Object(m)
}
