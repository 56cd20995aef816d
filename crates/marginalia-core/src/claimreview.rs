//! schema.org `ClaimReview` JSON-LD for every checked claim, so search
//! engines and fact-check aggregators can read the verdicts a page
//! publishes; which checked claims cannot be published, and why; and who
//! said a claim (the attribution of the quote it sits in).

use crate::annotation::Annotation;
use crate::article_details::ArticleDetails;
use crate::fact_check_url::Template;
use crate::review::{is_iso_date, is_web_url, Attribution, ClaimFacts, Rating, Review, Scale, Status};
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
    /// The article the claims appear in: its address, title, publisher
    /// and date, read from the host page, an option or the reader's form.
    pub article: &'a ArticleDetails,
    /// The fact-check's own address, for each claim (`factCheckUrl`).
    pub fact_check_url: Option<&'a Template>,
    pub organization: Option<&'a Organization>,
    pub scale: &'a Scale,
    pub now_ms: u64,
}

/// A checked claim with everything both published formats write.
#[derive(Clone, Debug)]
pub struct Ready<'a> {
    pub claim: &'a Annotation,
    pub review: &'a Review,
    pub rating: &'a Rating,
    /// The fact-check's address.
    pub url: String,
    /// Who made the claim: the review's claimant, else the speaker of the
    /// attributed quote around it.
    pub claimant: Option<ClaimFacts>,
    /// When it was made: the review's claim date, else the quote's date,
    /// else the article's.
    pub date: String,
    /// Where it appeared: the article first, then the others given.
    pub appearances: Vec<String>,
}

/// A checked claim left out, and everything it lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    pub id: String,
    pub claim: String,
    pub missing: Vec<String>,
}

/// The checked claims in document order, each ready or left out with
/// why: the one decision every published format follows, so each checked
/// claim is in exactly one list and none is dropped without a word.
pub fn prepare<'a>(annotations: &'a [Annotation], p: &Publication<'a>) -> (Vec<Ready<'a>>, Vec<LeftOut>) {
    let mut claims: Vec<&Annotation> = annotations.iter().filter(|a| checked(a, p.scale).is_some()).collect();
    claims.sort_by_key(|a| (a.span.start(), a.span.end()));
    let article_url = p.article.url.trim();
    let (mut ready, mut left) = (Vec::new(), Vec::new());
    for a in claims {
        let mut missing = Vec::new();
        let found = match checked(a, p.scale) {
            Some(Ok(found)) => Some(found),
            Some(Err(why)) => {
                missing.push(why);
                None
            }
            None => None,
        };
        if p.fact_check_url.is_none() {
            missing.push("no fact-check address (the factCheckUrl option, or Fact-check address)".into());
        }
        if !is_web_url(article_url) {
            missing
                .push("no article address (the page's canonical link, the article option, or Article details)".into());
        }
        match (found, p.fact_check_url) {
            (Some((review, rating)), Some(template)) if missing.is_empty() => {
                let speaker = speaker_of(a, annotations);
                let claimant = claimant_of(a, annotations);
                let date =
                    [review.claim.date.trim(), speaker.map_or("", |at| at.date.trim()), p.article.published.trim()]
                        .into_iter()
                        .find(|d| is_iso_date(d))
                        .unwrap_or("")
                        .to_string();
                let mut appearances = vec![article_url.to_string()];
                for other in review.claim.appearances.iter().map(|u| u.trim()) {
                    if is_web_url(other) && !appearances.iter().any(|u| u == other) {
                        appearances.push(other.to_string());
                    }
                }
                let url = template.render(a.id.as_str(), &a.quote.exact);
                ready.push(Ready { claim: a, review, rating, url, claimant, date, appearances });
            }
            _ => left.push(LeftOut { id: a.id.to_string(), claim: a.quote.exact.clone(), missing }),
        }
    }
    (ready, left)
}

/// One `ClaimReview` per ready claim (see [`prepare`]), in document order,
/// as a JSON array.
pub fn claim_reviews(annotations: &[Annotation], publication: &Publication) -> Value {
    let (best, worst) = ends(publication.scale);
    let (ready, _) = prepare(annotations, publication);
    let items = ready.into_iter().map(|r| {
        let review = r.review;
        let mut item = json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": r.url,
            "claimReviewed": r.claim.quote.exact,
            "datePublished": date_of(review.reviewed.unwrap_or(publication.now_ms)),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": r.rating.value,
                "bestRating": best,
                "worstRating": worst,
                "alternateName": r.rating.label,
            },
            "itemReviewed": claim_item(&r, publication.article),
        });
        if let Some(author) = author(publication.organization, &review.reviewer) {
            item["author"] = author;
        }
        if !review.explanation.trim().is_empty() {
            item["reviewBody"] = json!(review.explanation);
        }
        let citation: Vec<Value> = citations(review)
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

/// The review's sources fit to publish. `problems` refuses other
/// addresses when a review is saved, but a stored one may predate that: a
/// `javascript:` citation must not reach a consumer that renders it.
pub(crate) fn citations(review: &Review) -> impl Iterator<Item = &crate::review::Source> {
    review.sources.iter().filter(|s| is_web_url(&s.url))
}

/// What the reader is told when checked claims are left out, or `None`.
pub fn left_out_message(left: &[LeftOut]) -> Option<String> {
    if left.is_empty() {
        return None;
    }
    let each: Vec<String> = left
        .iter()
        .map(|l| {
            let words: String = l.claim.chars().take(60).collect();
            let more = if l.claim.chars().count() > 60 { "…" } else { "" };
            format!("“{words}{more}”: {}", l.missing.join(", "))
        })
        .collect();
    Some(format!("{} checked claim(s) not published: {}.", left.len(), each.join("; ")))
}

/// Who made a claim: the claimant its review names, else the speaker of
/// the attributed quote around it. The one rule the published formats
/// and the report follow.
pub fn claimant_of(claim: &Annotation, annotations: &[Annotation]) -> Option<ClaimFacts> {
    match claim.shown_review().filter(|r| !r.claim.claimant.trim().is_empty()) {
        Some(r) => Some(r.claim.clone()),
        None => speaker_of(claim, annotations)
            .map(|at| ClaimFacts { claimant: at.speaker.trim().to_string(), ..ClaimFacts::default() }),
    }
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

/// The speakers named in the article (the attributed quotes'), each once,
/// in document order: offered when a claimant is typed.
pub fn speakers(annotations: &[Annotation]) -> Vec<String> {
    let mut quotes: Vec<&Annotation> = annotations.iter().filter(|q| q.tag.as_str() == QUOTE).collect();
    quotes.sort_by_key(|q| (q.span.start(), q.span.end()));
    let mut out: Vec<String> = Vec::new();
    for name in quotes.iter().filter_map(|q| q.shown_attribution()).map(|at| at.speaker.trim()) {
        if !name.is_empty() && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The checked claims [`claim_reviews`] leaves out, each with why, so the
/// shell can tell the reader rather than drop them silently: (id, reasons),
/// in document order.
pub fn unpublishable(annotations: &[Annotation], publication: &Publication) -> Vec<(String, String)> {
    prepare(annotations, publication).1.into_iter().map(|l| (l.id, l.missing.join("; "))).collect()
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
pub(crate) fn ends(scale: &Scale) -> (i32, i32) {
    let values = scale.ratings().iter().map(|r| r.value);
    (values.clone().max().unwrap_or(0), values.min().unwrap_or(0))
}

/// `YYYY-MM-DD`, UTC: the day of an instant, as schema.org dates are.
pub fn date_of(ms: u64) -> String {
    let stamp = to_rfc3339(ms);
    stamp.split('T').next().unwrap_or(&stamp).to_string()
}

/// The organisation, else the reviewer as a person, else none: a made-up
/// author would misstate who vouches for the verdict.
pub(crate) fn author(organization: Option<&Organization>, reviewer: &str) -> Option<Value> {
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

/// The claim as said: by whom, when, and where it appeared (the article
/// first, as its first appearance).
fn claim_item(r: &Ready, article: &ArticleDetails) -> Value {
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    let appearances: Vec<Value> = r
        .appearances
        .iter()
        .enumerate()
        .map(
            |(i, url)| {
                if i == 0 {
                    creative_work(url, article)
                } else {
                    json!({ "@type": "CreativeWork", "url": url })
                }
            },
        )
        .collect();
    if let Some(first) = appearances.first() {
        item.insert("firstAppearance".into(), first.clone());
    }
    item.insert(
        "appearance".into(),
        if appearances.len() == 1 { appearances[0].clone() } else { Value::Array(appearances) },
    );
    if let Some(c) = &r.claimant {
        let mut author = json!({ "@type": "Person", "name": c.claimant.trim() });
        if !c.job_title.trim().is_empty() {
            author["jobTitle"] = json!(c.job_title.trim());
        }
        if is_web_url(c.same_as.trim()) {
            author["sameAs"] = json!(c.same_as.trim());
        }
        item.insert("author".into(), author);
    }
    if !r.date.is_empty() {
        item.insert("datePublished".into(), json!(r.date));
    }
    Value::Object(item)
}

/// The article as a schema.org work: its address, and its title,
/// publisher and date where known.
fn creative_work(url: &str, article: &ArticleDetails) -> Value {
    let mut work = json!({ "@type": "CreativeWork", "url": url });
    if !article.title.trim().is_empty() {
        work["headline"] = json!(article.title.trim());
    }
    if !article.publisher.trim().is_empty() {
        work["publisher"] = json!({ "@type": "Organization", "name": article.publisher.trim() });
    }
    if !article.published.trim().is_empty() {
        work["datePublished"] = json!(article.published.trim());
    }
    work
}

#[cfg(test)]
#[path = "claimreview_tests.rs"]
mod tests;
