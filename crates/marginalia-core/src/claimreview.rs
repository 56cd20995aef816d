//! schema.org `ClaimReview` JSON-LD for every checked claim, so search
//! engines and fact-check aggregators can read the verdicts a page
//! publishes; which checked claims cannot be published, and why; and who
//! said a claim (the attribution of the quote it sits in).

use crate::annotation::Annotation;
use crate::review::{is_web_url, Attribution, Rating, Review, Scale, Status};
use crate::time::to_rfc3339;
use serde_json::{json, Map, Value};

/// The longest organisation name accepted, in code points.
pub const ORGANIZATION_NAME_LIMIT: usize = 200;

use crate::annotation::QUOTE;

/// The fact-checking organisation that publishes the reviews (the
/// `organization: { name, url }` mount option).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Organization {
    pub name: String,
    pub url: String,
}

impl Organization {
    /// A host's option, checked: the name not blank (trimmed, at most
    /// [`ORGANIZATION_NAME_LIMIT`] code points), the url empty or an
    /// http(s) address; otherwise why not, in words.
    pub fn new(name: &str, url: &str) -> Result<Organization, String> {
        let (name, url) = (name.trim(), url.trim());
        if name.is_empty() {
            return Err("the organization's name is blank".into());
        }
        if name.chars().count() > ORGANIZATION_NAME_LIMIT {
            return Err(format!("the organization's name is longer than {ORGANIZATION_NAME_LIMIT} characters"));
        }
        if !url.is_empty() && !is_web_url(url) {
            return Err(format!("the organization's url {url:?} is not a web address (http:// or https://)"));
        }
        Ok(Organization { name: name.into(), url: url.into() })
    }
}

/// Where and by whom the reviews are published, and when (for reviews
/// that carry no date of their own).
#[derive(Clone, Copy, Debug)]
pub struct Publication<'a> {
    /// Where the article appears: the shell passes its canonical URL, or
    /// its location without the fragment.
    pub article_url: &'a str,
    pub organization: Option<&'a Organization>,
    pub scale: &'a Scale,
    pub now_ms: u64,
}

/// One `ClaimReview` per claim whose review is checked with a verdict on
/// the scale, in document order (by span start, then end), as a JSON array.
pub fn claim_reviews(annotations: &[Annotation], publication: &Publication) -> Value {
    // A fragment already on the URL would make every claim's `url` carry
    // two, and no longer identify the claim.
    let article = publication.article_url.split('#').next().unwrap_or("");
    let (best, worst) = ends(publication.scale);
    let mut claims: Vec<(&Annotation, &Review, &Rating)> = annotations
        .iter()
        .filter_map(|a| match checked(a, publication.scale)? {
            Ok((review, rating)) => Some((a, review, rating)),
            Err(_) => None,
        })
        .collect();
    claims.sort_by_key(|(a, _, _)| (a.span.start(), a.span.end()));
    let items = claims.into_iter().map(|(a, review, rating)| {
        let mut item = json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": format!("{article}#marginalia-{}", a.id),
            "claimReviewed": a.quote.exact,
            "datePublished": date_of(review.reviewed.unwrap_or(publication.now_ms)),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": rating.value,
                "bestRating": best,
                "worstRating": worst,
                "alternateName": rating.label,
            },
            "itemReviewed": claim_item(a, annotations, article),
        });
        if let Some(author) = author(publication.organization, &review.reviewer) {
            item["author"] = author;
        }
        if !review.explanation.trim().is_empty() {
            item["reviewBody"] = json!(review.explanation);
        }
        // `problems` refuses other addresses when a review is saved, but a
        // stored one may predate that: a `javascript:` citation must not
        // reach a consumer that renders it as a link.
        let citation: Vec<Value> = review
            .sources
            .iter()
            .filter(|s| is_web_url(&s.url))
            .map(|s| {
                let mut work = json!({ "@type": "CreativeWork", "url": s.url });
                if !s.title.trim().is_empty() {
                    work["name"] = json!(s.title);
                }
                work
            })
            .collect();
        if !citation.is_empty() {
            item["citation"] = Value::Array(citation);
        }
        item
    });
    Value::Array(items.collect())
}

/// The speaker of a claim: the attribution of the smallest quote (tag
/// `quote`) whose span contains the claim's and whose speaker is named.
pub fn speaker_of<'a>(claim: &Annotation, annotations: &'a [Annotation]) -> Option<&'a Attribution> {
    annotations
        .iter()
        .filter(|q| q.tag.as_str() == QUOTE && q.id != claim.id)
        .filter(|q| q.span.start() <= claim.span.start() && claim.span.end() <= q.span.end())
        .filter_map(|q| q.shown_attribution().filter(|at| !at.speaker.trim().is_empty()).map(|at| (q, at)))
        .min_by_key(|(q, _)| q.span.len())
        .map(|(_, at)| at)
}

/// The checked claims [`claim_reviews`] leaves out, each with why, so the
/// shell can tell the reader rather than drop them silently: (id, reason),
/// in document order.
pub fn unpublishable(annotations: &[Annotation], scale: &Scale) -> Vec<(String, String)> {
    let mut out: Vec<(&Annotation, String)> =
        annotations.iter().filter_map(|a| checked(a, scale)?.err().map(|why| (a, why))).collect();
    out.sort_by_key(|(a, _)| (a.span.start(), a.span.end()));
    out.into_iter().map(|(a, why)| (a.id.to_string(), why)).collect()
}

/// A checked claim's review and its rating, or why it cannot be
/// published; `None` for anything that is not a checked claim. The one
/// decision both [`claim_reviews`] and [`unpublishable`] follow, so every
/// checked claim is in exactly one of them.
fn checked<'a>(a: &'a Annotation, scale: &'a Scale) -> Option<Result<(&'a Review, &'a Rating), String>> {
    let review = a.shown_review().filter(|r| r.status == Status::Checked)?;
    let Some(verdict) = review.verdict.as_deref() else {
        return Some(Err("it is marked checked but has no verdict".into()));
    };
    let Some(rating) = scale.get(verdict) else {
        return Some(Err(format!("its verdict {verdict:?} is not on this rating scale")));
    };
    // A ClaimReview must say what claim it reviews.
    if a.quote.exact.trim().is_empty() {
        return Some(Err("its claim text is blank".into()));
    }
    Some(Ok((review, rating)))
}

/// The highest and lowest values of the scale, computed rather than taken
/// from its ends: a rating such as Unverifiable (0) may sit outside the
/// range of truth, and a validator flags any `ratingValue` outside
/// `worstRating..=bestRating`.
fn ends(scale: &Scale) -> (i32, i32) {
    let values = scale.ratings().iter().map(|r| r.value);
    (values.clone().max().unwrap_or(0), values.min().unwrap_or(0))
}

/// `YYYY-MM-DD`, UTC: the day of an instant, as schema.org dates are.
pub(crate) fn date_of(ms: u64) -> String {
    let stamp = to_rfc3339(ms);
    stamp.split('T').next().unwrap_or(&stamp).to_string()
}

/// The organisation, else the reviewer as a person, else none: a made-up
/// author would misstate who vouches for the verdict.
fn author(organization: Option<&Organization>, reviewer: &str) -> Option<Value> {
    // The fields are public, so an organisation may not have come through
    // `Organization::new`: check again rather than publish a blank name.
    if let Some(org) = organization.filter(|o| !o.name.trim().is_empty()) {
        let mut author = json!({ "@type": "Organization", "name": org.name.trim() });
        if is_web_url(org.url.trim()) {
            author["url"] = json!(org.url.trim());
        }
        return Some(author);
    }
    let reviewer = reviewer.trim();
    (!reviewer.is_empty()).then(|| json!({ "@type": "Person", "name": reviewer }))
}

/// The claim as said: where it appears, and by whom and when when the
/// quote around it is attributed.
fn claim_item(claim: &Annotation, annotations: &[Annotation], article: &str) -> Value {
    let appearance = json!({ "@type": "CreativeWork", "url": article });
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    item.insert("appearance".into(), appearance.clone());
    item.insert("firstAppearance".into(), appearance);
    if let Some(at) = speaker_of(claim, annotations) {
        item.insert("author".into(), json!({ "@type": "Person", "name": at.speaker.trim() }));
        if !at.date.trim().is_empty() {
            item.insert("datePublished".into(), json!(at.date.trim()));
        }
    }
    Value::Object(item)
}

#[cfg(test)]
#[path = "claimreview_tests.rs"]
mod tests;
