//! A claim's review and a quote's attribution as standard W3C bodies, and
//! back: the verdict with purpose `assessing`, the explanation
//! `describing`, the status `classifying` (with the reviewer as its
//! `creator` and the review date as its `modified`), each source a
//! `linking` SpecificResource, the speaker an `identifying` body. What the
//! model has no term for uses schema.org terms, which its context defines
//! (`schema:identifier` for the rating's id, `schema:name` for a source's
//! title, `schema:dateCreated` and `schema:location` for when and where a
//! quote was said).

use crate::annotation::Annotation;
use crate::review::{Attribution, ClaimFacts, Review, Scale, Source, Status};
use crate::time::{parse_rfc3339, to_rfc3339};
use serde_json::{json, Value};

/// The review's and the attribution's bodies, to follow the tag and note.
pub fn bodies_of(a: &Annotation, scale: &Scale) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(r) = a.shown_review() {
        if let Some(v) = &r.verdict {
            let label = scale.get(v).map_or(v.as_str(), |r| r.label.as_str());
            out.push(json!({ "type": "TextualBody", "purpose": "assessing", "value": label, "schema:identifier": v }));
        }
        if !r.explanation.is_empty() {
            out.push(
                json!({ "type": "TextualBody", "purpose": "describing", "value": r.explanation, "format": "text/plain" }),
            );
        }
        let status = r.status.id();
        let mut body = json!({ "type": "TextualBody", "purpose": "classifying", "value": status });
        if !r.reviewer.is_empty() {
            body["creator"] = json!({ "type": "Person", "name": r.reviewer });
        }
        if let Some(at) = r.reviewed {
            body["modified"] = json!(to_rfc3339(at));
        }
        if !r.claim.is_empty() {
            body["schema:itemReviewed"] = claim_facts_out(&r.claim);
        }
        out.push(body);
        for s in &r.sources {
            let mut source = json!({ "id": s.url, "type": "Text" });
            if !s.title.is_empty() {
                source["schema:name"] = json!(s.title);
            }
            out.push(json!({ "type": "SpecificResource", "purpose": "linking", "source": source }));
        }
    }
    if let Some(at) = a.shown_attribution() {
        let mut body = json!({ "type": "TextualBody", "purpose": "identifying", "value": at.speaker });
        if !at.date.is_empty() {
            body["schema:dateCreated"] = json!(at.date);
        }
        if !at.venue.is_empty() {
            body["schema:location"] = json!(at.venue);
        }
        out.push(body);
    }
    out
}

/// The review and attribution an item's bodies carry, or why they cannot
/// be taken (a verdict not on `scale`). Nothing of either is `None`.
pub fn read_bodies(bodies: &[&Value], scale: &Scale) -> Result<(Option<Review>, Option<Attribution>), String> {
    let with = |purpose: &'static str| bodies.iter().copied().filter(move |b| purpose_of(b) == Some(purpose));
    let text = |b: &Value, key: &str| b.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    let mut review = Review::default();
    let mut any = false;
    if let Some(b) = with("assessing").next() {
        let (id, label) = (text(b, "schema:identifier"), text(b, "value"));
        let rating = scale.get(&id).or_else(|| scale.find(&label)).ok_or_else(|| {
            let offered: Vec<&str> = scale.ratings().iter().map(|r| r.label.as_str()).collect();
            format!("its verdict “{label}” is not on this rating scale (offered: {})", offered.join(", "))
        })?;
        review.verdict = Some(rating.id.clone());
        any = true;
    }
    if let Some(b) = with("describing").next() {
        review.explanation = text(b, "value");
        any = true;
    }
    if let Some(b) = with("classifying").find(|b| Status::from_id(&text(b, "value")).is_some()) {
        let name = text(b, "value");
        review.status = Status::from_id(&name).unwrap_or_default();
        review.reviewer = b.get("creator").map(|c| text(c, "name")).unwrap_or_default();
        review.reviewed = b.get("modified").and_then(Value::as_str).and_then(parse_rfc3339);
        review.claim = b.get("schema:itemReviewed").map(claim_facts_in).unwrap_or_default();
        any = true;
    }
    for b in with("linking") {
        let source = b.get("source");
        let url = match source {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(o) => text(o, "id"),
            None => String::new(),
        };
        let title = source.map(|o| text(o, "schema:name")).unwrap_or_default();
        review.sources.push(Source { url, title });
        any = true;
    }
    let attribution = with("identifying").next().map(|b| Attribution {
        speaker: text(b, "value"),
        date: text(b, "schema:dateCreated"),
        venue: text(b, "schema:location"),
    });
    let attribution = attribution.filter(|a| !a.speaker.is_empty());
    let review = any.then_some(review);
    if let Some(r) = &review {
        let problems = r.problems(scale, "");
        if !problems.is_empty() {
            return Err(format!("its review cannot be used: {}", problems.join("; ")));
        }
    }
    Ok((review, attribution))
}

/// What the review says about the claim, as a schema.org `Claim` (the
/// status body's `schema:itemReviewed`): the claimant its `schema:author`.
fn claim_facts_out(c: &ClaimFacts) -> Value {
    let mut claim = json!({ "type": "schema:Claim" });
    if !c.claimant.is_empty() {
        let mut author = json!({ "type": "schema:Person", "schema:name": c.claimant });
        if !c.job_title.is_empty() {
            author["schema:jobTitle"] = json!(c.job_title);
        }
        if !c.same_as.is_empty() {
            author["schema:sameAs"] = json!(c.same_as);
        }
        claim["schema:author"] = author;
    }
    if !c.date.is_empty() {
        claim["schema:datePublished"] = json!(c.date);
    }
    if !c.appearances.is_empty() {
        claim["schema:appearance"] = json!(c.appearances);
    }
    claim
}

fn claim_facts_in(claim: &Value) -> ClaimFacts {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    let author = claim.get("schema:author");
    let appearances = match claim.get("schema:appearance") {
        Some(Value::Array(list)) => list.iter().map(|v| text(Some(v))).collect(),
        Some(one) => vec![text(Some(one))],
        None => Vec::new(),
    };
    ClaimFacts {
        claimant: text(author.and_then(|a| a.get("schema:name"))),
        job_title: text(author.and_then(|a| a.get("schema:jobTitle"))),
        same_as: text(author.and_then(|a| a.get("schema:sameAs"))),
        date: text(claim.get("schema:datePublished")),
        appearances,
    }
    .tidied()
}

fn purpose_of(b: &Value) -> Option<&str> {
    b.get("purpose").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::super::{to_w3c, Importer};
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::document::Document;
    use crate::review::Rating;
    use crate::span::Span;
    use crate::tag::Tag;

    fn claim_with_review() -> (Document, Annotation) {
        let doc = Document::from_text("The barrier will protect 4,300 homes, the mayor said.");
        let mut a = Annotation::new(
            &doc,
            AnnotationId::generate(1_800_000_000_000, 3),
            Span::new(4, 36).expect("valid"),
            Tag::parse("claim").expect("tag"),
            1_800_000_000_000,
        );
        a.review = Some(Box::new(Review {
            claim: ClaimFacts {
                claimant: "Amara Okafor".into(),
                job_title: "Council leader".into(),
                same_as: "https://www.wikidata.org/wiki/Q42".into(),
                date: "2026-11-30".into(),
                appearances: vec!["https://x.example/speech".into()],
            },
            verdict: Some("mostly-true".into()),
            explanation: "The agency's report gives 4,100.".into(),
            sources: vec![
                Source { url: "https://www.gov.uk/report".into(), title: "Flood report".into() },
                Source { url: "https://example.org/data".into(), title: String::new() },
            ],
            status: Status::Checked,
            reviewer: "A. Checker".into(),
            reviewed: Some(1_800_000_100_000),
        }));
        a.attribution = Some(Box::new(Attribution {
            speaker: "Amara Okafor".into(),
            date: "2026-11-30".into(),
            venue: "Council".into(),
        }));
        (doc, a)
    }

    #[test]
    fn a_review_and_an_attribution_round_trip_as_standard_bodies() {
        let (doc, a) = claim_with_review();
        let w3c = to_w3c(&a, "urn:x");
        let purposes: Vec<&str> =
            w3c["body"].as_array().expect("bodies").iter().filter_map(|b| b["purpose"].as_str()).collect();
        // A claim exports its review; its speaker only shows on a quote.
        assert_eq!(purposes, ["tagging", "assessing", "describing", "classifying", "linking", "linking"]);
        assert_eq!(w3c["body"][1]["value"], "Mostly true");
        assert_eq!(w3c["body"][3]["creator"]["name"], "A. Checker");
        assert_eq!(w3c["body"][4]["source"]["schema:name"], "Flood report");
        assert_eq!(
            w3c["body"][3]["schema:itemReviewed"]["schema:author"]["schema:sameAs"],
            "https://www.wikidata.org/wiki/Q42"
        );
        let back = Importer::new(&doc, 0).import(&w3c).expect("imports");
        assert_eq!((back.review, back.attribution), (a.review.clone(), None));
        let quote = Annotation { tag: crate::tag::Tag::parse("quote").expect("tag"), ..a.clone() };
        let w3c = to_w3c(&quote, "urn:x");
        let purposes: Vec<&str> =
            w3c["body"].as_array().expect("bodies").iter().filter_map(|b| b["purpose"].as_str()).collect();
        assert_eq!(purposes, ["tagging", "identifying"]);
        let back = Importer::new(&doc, 0).import(&w3c).expect("imports");
        assert_eq!((back.review, back.attribution), (None, a.attribution));
    }

    #[test]
    fn bodies_from_elsewhere() {
        let doc = Document::from_text("The barrier will protect 4,300 homes.");
        let item = |bodies: Value| {
            let mut all = vec![json!({"purpose": "tagging", "value": "claim"})];
            all.extend(bodies.as_array().cloned().unwrap_or_default());
            json!({"type": "Annotation", "body": all,
                   "target": {"selector": {"type": "TextQuoteSelector", "exact": "will protect 4,300 homes"}}})
        };
        let host = Scale::new(vec![
            Rating { id: "correct".into(), label: "Correct".into(), value: 1 },
            Rating { id: "wrong".into(), label: "Wrong".into(), value: 0 },
        ])
        .expect("scale");
        type Case = (Value, Option<Scale>, Result<Option<&'static str>, &'static str>);
        let cases: Vec<Case> = vec![
            (json!([{"purpose": "assessing", "value": "FALSE"}]), None, Ok(Some("false"))),
            (json!([{"purpose": "assessing", "value": "Pants on fire"}]), None, Err("not on this rating scale")),
            (
                json!([{"purpose": "assessing", "value": "x", "schema:identifier": "wrong"}]),
                Some(host.clone()),
                Ok(Some("wrong")),
            ),
            (json!([{"purpose": "assessing", "value": "Correct"}]), Some(host), Ok(Some("correct"))),
            (json!([{"purpose": "classifying", "value": "checked"}]), None, Err("needs a verdict")),
            (
                json!([{"purpose": "linking", "type": "SpecificResource", "source": "javascript:alert(1)"}]),
                None,
                Err("not a web address"),
            ),
            (json!([{"purpose": "classifying", "value": "opinion"}]), None, Ok(None)),
        ];
        for (bodies, scale, want) in cases {
            let imp = Importer::new(&doc, 0);
            let imp = match &scale {
                Some(s) => imp.with_scale(s),
                None => imp,
            };
            let got = imp.import(&item(bodies.clone()));
            match (got, want) {
                (Ok(a), Ok(v)) => assert_eq!(a.review.and_then(|r| r.verdict).as_deref(), v, "{bodies}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{bodies}: {e}"),
                (g, w) => panic!("{bodies}: got {g:?}, want {w:?}"),
            }
        }
    }
}
