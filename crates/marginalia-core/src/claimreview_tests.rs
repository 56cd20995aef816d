//! The ClaimReview output's tables of cases: which claims are published,
//! who said them, who vouches for them, and on what range of ratings.

use super::*;
use crate::annotation::AnnotationId;
use crate::article_details::ArticleDetails;
use crate::document::Document;
use crate::fact_check_url::Template;
use crate::review::Source;
use crate::span::Span;
use crate::tag::Tag;

const TEXT: &str =
    "The minister said: “The council told us ‘the barrier will protect 4,300 homes’ last year.” Rain fell on 2 homes.";
/// 2026-12-02T09:00Z.
const NOW: u64 = 1_796_202_000_000;
/// 2026-12-01T15:00Z.
const REVIEWED: u64 = 1_796_137_200_000;
const ARTICLE: &str = "https://news.example/flood";
const OUTER: &str = "“The council told us ‘the barrier will protect 4,300 homes’ last year.”";
const INNER: &str = "‘the barrier will protect 4,300 homes’";
const HOMES: &str = "the barrier will protect 4,300 homes";

fn span_of(needle: &str) -> Span {
    let byte = TEXT.find(needle).expect("in the text");
    let start = TEXT[..byte].chars().count();
    Span::new(start, start + needle.chars().count()).expect("not empty")
}

fn ann(id: &str, tag: &str, needle: &str) -> Annotation {
    let doc = Document::from_text(TEXT);
    let id = AnnotationId::parse(id).expect("id");
    Annotation::new(&doc, id, span_of(needle), Tag::parse(tag).expect("tag"), NOW)
}

fn reviewed(mut a: Annotation, status: Status, verdict: Option<&str>) -> Annotation {
    a.review = Some(Box::new(Review {
        verdict: verdict.map(String::from),
        status,
        reviewer: "Ana".into(),
        reviewed: Some(REVIEWED),
        ..Review::default()
    }));
    a
}

fn said(mut a: Annotation, speaker: &str, date: &str) -> Annotation {
    a.attribution = Some(Box::new(Attribution { speaker: speaker.into(), date: date.into(), venue: String::new() }));
    a
}

fn checked(id: &str, needle: &str, verdict: &str) -> Annotation {
    reviewed(ann(id, "claim", needle), Status::Checked, Some(verdict))
}

const CHECKS: &str = "https://checks.example/{id}";

fn article() -> ArticleDetails {
    ArticleDetails { url: ARTICLE.into(), ..ArticleDetails::default() }
}

fn template() -> Template {
    Template::parse(CHECKS).expect("template")
}

fn publish(annotations: &[Annotation], organization: Option<&Organization>, scale: &Scale) -> Vec<Value> {
    let (article, template) = (article(), template());
    let publication =
        Publication { article: &article, fact_check_url: Some(&template), organization, scale, now_ms: NOW };
    claim_reviews(annotations, &publication).as_array().cloned().expect("an array")
}

fn refused(annotations: &[Annotation], scale: &Scale) -> Vec<(String, String)> {
    let (article, template) = (article(), template());
    let publication =
        Publication { article: &article, fact_check_url: Some(&template), organization: None, scale, now_ms: NOW };
    unpublishable(annotations, &publication)
}

#[test]
fn a_checked_claim_in_full() {
    let org = Organization::new("Full Fact", "https://fullfact.example").expect("valid");
    let mut claim = checked("c1", HOMES, "false");
    if let Some(r) = claim.review.as_mut() {
        r.explanation = "The agency's report gives 3,400.".into();
        r.sources = vec![
            Source { url: "https://www.gov.uk/report".into(), title: "Flood report".into() },
            Source { url: "https://example.org/data".into(), title: " ".into() },
            Source { url: "javascript:alert(1)".into(), title: "stored before sources were checked".into() },
        ];
    }
    let anns = [said(ann("q1", "quote", INNER), "Council spokesperson", "2025-11-30"), claim];
    let got = publish(&anns, Some(&org), &Scale::default());
    let want = json!([{
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/c1",
        "claimReviewed": HOMES,
        "datePublished": "2026-12-01",
        "author": { "@type": "Organization", "name": "Full Fact", "url": "https://fullfact.example" },
        "reviewRating": {
            "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 0, "alternateName": "False",
        },
        "reviewBody": "The agency's report gives 3,400.",
        "citation": [
            { "@type": "CreativeWork", "url": "https://www.gov.uk/report", "name": "Flood report" },
            { "@type": "CreativeWork", "url": "https://example.org/data" },
        ],
        "itemReviewed": {
            "@type": "Claim",
            "appearance": { "@type": "CreativeWork", "url": ARTICLE },
            "firstAppearance": { "@type": "CreativeWork", "url": ARTICLE },
            "author": { "@type": "Person", "name": "Council spokesperson" },
            "datePublished": "2025-11-30",
        },
    }]);
    assert_eq!(Value::Array(got), want);
}

#[test]
fn only_checked_claims_with_a_verdict_on_the_scale_are_published() {
    type Case = (&'static str, Option<(Status, Option<&'static str>)>, Result<bool, &'static str>);
    // (tag, review, Ok(published) or Err(why it is unpublishable)).
    let cases: [Case; 9] = [
        ("claim", Some((Status::Checked, Some("false"))), Ok(true)),
        ("claim", Some((Status::Checked, Some("unverifiable"))), Ok(true)),
        ("claim", Some((Status::InProgress, Some("false"))), Ok(false)),
        ("claim", Some((Status::ToCheck, None)), Ok(false)),
        ("claim", None, Ok(false)),
        ("quote", Some((Status::Checked, Some("false"))), Ok(false)),
        ("caption", Some((Status::Checked, Some("true"))), Ok(false)),
        ("claim", Some((Status::Checked, None)), Err("no verdict")),
        ("claim", Some((Status::Checked, Some("pants-on-fire"))), Err("not on this rating scale")),
    ];
    let scale = Scale::default();
    for (tag, review, want) in cases {
        let mut a = ann("a1", tag, HOMES);
        if let Some((status, verdict)) = review {
            a = reviewed(a, status, verdict);
        }
        let anns = [a];
        let (published, refused) = (publish(&anns, None, &scale), refused(&anns, &scale));
        match want {
            Ok(yes) => {
                assert_eq!(published.len(), usize::from(yes), "{tag} {review:?}");
                assert!(refused.is_empty(), "{tag} {review:?}: {refused:?}");
            }
            Err(why) => {
                assert!(published.is_empty(), "{tag} {review:?}");
                assert_eq!(refused.len(), 1, "{tag} {review:?}");
                assert_eq!(refused[0].0, "a1");
                assert!(refused[0].1.contains(why), "{}", refused[0].1);
            }
        }
    }
}

#[test]
fn a_verdict_off_a_host_scale_is_unpublishable_not_dropped() {
    let r = |id: &str, value| Rating { id: id.into(), label: id.to_uppercase(), value };
    let host = Scale::new(vec![r("correct", 1), r("wrong", 0)]).expect("valid");
    let anns = [checked("c1", HOMES, "false"), checked("c2", "last year", "wrong")];
    let published = publish(&anns, None, &host);
    assert_eq!(published.len(), 1);
    assert_eq!(published[0]["url"], "https://checks.example/c2");
    let refused = refused(&anns, &host);
    assert_eq!(refused, [("c1".to_string(), "its verdict \"false\" is not on this rating scale".to_string())]);
}

#[test]
fn the_speaker_is_the_smallest_attributed_quote_around_the_claim() {
    let minister = |a| said(a, "The minister", "2026-11-30");
    let council = |a| said(a, "Council spokesperson", "");
    type Case = (&'static str, Vec<Annotation>, &'static str, Option<&'static str>);
    let cases: Vec<Case> = vec![
        (
            "nested: the inner wins",
            vec![minister(ann("q1", "quote", OUTER)), council(ann("q2", "quote", INNER))],
            HOMES,
            Some("Council spokesperson"),
        ),
        (
            "inner has no attribution",
            vec![minister(ann("q1", "quote", OUTER)), ann("q2", "quote", INNER)],
            HOMES,
            Some("The minister"),
        ),
        (
            "inner's speaker is blank",
            vec![minister(ann("q1", "quote", OUTER)), said(ann("q2", "quote", INNER), "  ", "")],
            HOMES,
            Some("The minister"),
        ),
        (
            "only the outer contains it",
            vec![minister(ann("q1", "quote", OUTER)), council(ann("q2", "quote", INNER))],
            "last year",
            Some("The minister"),
        ),
        ("a quote that only overlaps", vec![council(ann("q2", "quote", INNER))], "4,300 homes’ last", None),
        ("not a quote", vec![minister(ann("k1", "caption", OUTER))], HOMES, None),
        ("outside every quote", vec![minister(ann("q1", "quote", OUTER))], "Rain fell", None),
    ];
    for (why, mut anns, claim, want) in cases {
        let c = ann("c1", "claim", claim);
        assert_eq!(speaker_of(&c, &anns).map(|at| at.speaker.as_str()), want, "{why}");
        // And in the ClaimReview, with the quote's date when it has one.
        anns.push(reviewed(c, Status::Checked, Some("true")));
        let item = &publish(&anns, None, &Scale::default())[0]["itemReviewed"];
        assert_eq!(item["author"]["name"].as_str(), want, "{why}");
        let date = want.filter(|s| *s == "The minister").map(|_| "2026-11-30");
        assert_eq!(item["datePublished"].as_str(), date, "{why}");
    }
}

#[test]
fn who_vouches_for_the_verdict() {
    let with_url = Organization::new("  Full Fact ", "https://fullfact.example").expect("valid");
    let no_url = Organization::new("Full Fact", "").expect("valid");
    // Not through `new`: the fields are public.
    let blank = Organization { name: " ".into(), url: "javascript:alert(1)".into() };
    let bad_url = Organization { name: "Full Fact".into(), url: "javascript:alert(1)".into() };
    let org = |name: &str| json!({ "@type": "Organization", "name": name });
    let cases = [
        (
            Some(&with_url),
            "Ana",
            json!({ "@type": "Organization", "name": "Full Fact", "url": "https://fullfact.example" }),
        ),
        (Some(&no_url), "Ana", org("Full Fact")),
        (Some(&bad_url), "Ana", org("Full Fact")),
        (Some(&blank), "Ana", json!({ "@type": "Person", "name": "Ana" })),
        (None, " Ana ", json!({ "@type": "Person", "name": "Ana" })),
        (None, "  ", Value::Null),
    ];
    for (organization, reviewer, want) in cases {
        let mut c = checked("c1", HOMES, "true");
        if let Some(r) = c.review.as_mut() {
            r.reviewer = reviewer.into();
        }
        let item = &publish(&[c], organization, &Scale::default())[0];
        assert_eq!(item.get("author").cloned().unwrap_or(Value::Null), want, "{organization:?} {reviewer:?}");
    }
}

#[test]
fn best_and_worst_span_every_value_of_the_scale() {
    let r = |id: &str, value| Rating { id: id.into(), label: id.to_uppercase(), value };
    let cases = [
        (Scale::default(), "unverifiable", (0, 5, 0)),
        (Scale::default(), "true", (5, 5, 0)),
        (Scale::new(vec![r("wrong", -2), r("right", 2), r("unclear", 0)]).expect("valid"), "wrong", (-2, 2, -2)),
        (Scale::new(vec![r("low", 10), r("high", 100)]).expect("valid"), "high", (100, 100, 10)),
    ];
    for (scale, verdict, (value, best, worst)) in cases {
        let rating = &publish(&[checked("c1", HOMES, verdict)], None, &scale)[0]["reviewRating"];
        assert_eq!(rating["ratingValue"], value, "{verdict}");
        assert_eq!((rating["bestRating"].clone(), rating["worstRating"].clone()), (json!(best), json!(worst)));
        assert_eq!(ends(&scale), (best, worst));
    }
}

#[test]
fn reviews_follow_document_order_whatever_the_stored_order() {
    let anns = [
        checked("c3", "Rain fell", "true"),
        checked("c2", "the barrier will protect", "false"),
        checked("c1", "the barrier", "false"),
        reviewed(ann("c4", "claim", "last year"), Status::Checked, None),
        reviewed(ann("c5", "claim", "The minister"), Status::Checked, Some("nope")),
    ];
    let urls: Vec<String> = publish(&anns, None, &Scale::default())
        .iter()
        .filter_map(|item| item["url"].as_str().and_then(|u| u.rsplit('/').next()).map(String::from))
        .collect();
    assert_eq!(urls, ["c1", "c2", "c3"]);
    let refused: Vec<String> = refused(&anns, &Scale::default()).into_iter().map(|(id, _)| id).collect();
    assert_eq!(refused, ["c5", "c4"]);
}

#[test]
fn dates_urls_and_bodies() {
    let mut undated = checked("c1", HOMES, "true");
    if let Some(r) = undated.review.as_mut() {
        r.reviewed = None;
        r.explanation = " \n ".into();
    }
    let (article, template) = (article(), Template::parse("https://checks.example/{slug}").expect("template"));
    let scale = Scale::default();
    let publication = Publication {
        article: &article,
        fact_check_url: Some(&template),
        organization: None,
        scale: &scale,
        now_ms: NOW,
    };
    let items = claim_reviews(&[undated], &publication);
    let item = &items[0];
    assert_eq!(item["datePublished"], "2026-12-02", "no review date: the day of publishing");
    assert_eq!(item["url"], "https://checks.example/the-barrier-will-protect-4-300-homes", "the claim's own address");
    assert_eq!(item["itemReviewed"]["appearance"]["url"], ARTICLE);
    for key in ["reviewBody", "citation"] {
        assert!(item.get(key).is_none(), "{key}");
    }
    assert_eq!(claim_reviews(&[], &publication), json!([]));
    for (ms, day) in [(0, "1970-01-01"), (REVIEWED, "2026-12-01"), (NOW, "2026-12-02")] {
        assert_eq!(date_of(ms), day);
    }
}

#[test]
fn organizations_are_checked() {
    let ok = Organization::new("  Full Fact  ", " https://fullfact.example/ ").expect("valid");
    assert_eq!(ok, Organization { name: "Full Fact".into(), url: "https://fullfact.example/".into() });
    assert_eq!(Organization::new("Full Fact", "").map(|o| o.url), Ok(String::new()));
    assert!(Organization::new(&"é".repeat(ORGANIZATION_NAME_LIMIT), "").is_ok());
    let cases = [
        ("", "", "blank"),
        (" \t ", "https://fullfact.example", "blank"),
        ("Full Fact", "javascript:alert(1)", "not a web address"),
        ("Full Fact", "fullfact.example", "not a web address"),
        (&"é".repeat(ORGANIZATION_NAME_LIMIT + 1), "", "longer than"),
    ];
    for (name, url, why) in cases {
        let err = Organization::new(name, url).expect_err(why);
        assert!(err.contains(why), "{name:?} {url:?}: {err}");
    }
}

/// A publication of the test article with these parts.
fn with<'a>(article: &'a ArticleDetails, template: Option<&'a Template>, scale: &'a Scale) -> Publication<'a> {
    Publication { article, fact_check_url: template, organization: None, scale, now_ms: NOW }
}

#[test]
fn table_of_what_a_missing_part_leaves_out() {
    let scale = Scale::default();
    let t = template();
    let (good, local, none) = (
        article(),
        ArticleDetails { url: "http://127.0.0.1:8080/index.html".into(), ..ArticleDetails::default() },
        ArticleDetails::default(),
    );
    let anns = [checked("c1", HOMES, "false"), reviewed(ann("c2", "claim", "Rain fell"), Status::Checked, None)];
    // (article, template, published ids, left out (id, what is missing))
    type Case<'a> = (&'a ArticleDetails, Option<&'a Template>, Vec<&'a str>, Vec<(&'a str, Vec<&'a str>)>);
    let cases: [Case; 4] = [
        (&good, Some(&t), vec!["c1"], vec![("c2", vec!["no verdict"])]),
        (
            &good,
            None,
            vec![],
            vec![("c1", vec!["no fact-check address"]), ("c2", vec!["no verdict", "no fact-check address"])],
        ),
        (
            &none,
            Some(&t),
            vec![],
            vec![("c1", vec!["no article address"]), ("c2", vec!["no verdict", "no article address"])],
        ),
        // A local address is an address: only a template or a canonical
        // link names a published page, and the shell never passes one.
        (&local, Some(&t), vec!["c1"], vec![("c2", vec!["no verdict"])]),
    ];
    for (article, template, want_ready, want_left) in cases {
        let (ready, left) = prepare(&anns, &with(article, template, &scale));
        let ids: Vec<&str> = ready.iter().map(|r| r.claim.id.as_str()).collect();
        assert_eq!(ids, want_ready, "{article:?} {template:?}");
        assert_eq!(left.len(), want_left.len());
        for (l, (id, missing)) in left.iter().zip(want_left) {
            assert_eq!(l.id, id);
            assert_eq!(l.missing.len(), missing.len(), "{l:?}");
            for (got, want) in l.missing.iter().zip(missing) {
                assert!(got.contains(want), "{got} vs {want}");
            }
        }
    }
    let message = left_out_message(&prepare(&anns, &with(&good, None, &scale)).1).expect("said");
    assert!(
        message.starts_with(
            "2 checked claim(s) not published: “the barrier will protect 4,300 homes”: no fact-check address"
        ),
        "{message}"
    );
    assert_eq!(left_out_message(&[]), None);
}

#[test]
fn the_claimant_date_and_appearances_come_from_the_review_first() {
    let scale = Scale::default();
    let (t, details) = (
        template(),
        ArticleDetails {
            published: "2026-11-20".into(),
            title: "Flood".into(),
            publisher: "The Courier".into(),
            ..article()
        },
    );
    let mut claim = checked("c1", HOMES, "false");
    let quote = said(ann("q1", "quote", INNER), "Council spokesperson", "2025-11-30");
    let facts = |a: &mut Annotation, f: ClaimFacts| {
        if let Some(r) = a.review.as_mut() {
            r.claim = f;
        }
    };
    // The quote's speaker and date when the review names none.
    let (ready, _) = prepare(std::slice::from_ref(&claim), &with(&details, Some(&t), &scale));
    assert!(ready[0].claimant.is_none());
    assert_eq!(ready[0].date, "2026-11-20", "no quote around it: the article's date");
    let both = [quote.clone(), claim.clone()];
    let (ready, _) = prepare(&both, &with(&details, Some(&t), &scale));
    assert_eq!(ready[0].claimant.as_ref().map(|c| c.claimant.as_str()), Some("Council spokesperson"));
    assert_eq!(ready[0].date, "2025-11-30");
    // The review's own facts win, and its appearances follow the article.
    facts(
        &mut claim,
        ClaimFacts {
            claimant: "Amara Okafor".into(),
            job_title: "Council leader".into(),
            same_as: "https://www.wikidata.org/wiki/Q42".into(),
            date: "2026-11-02".into(),
            appearances: vec!["https://tv.example/clip".into(), ARTICLE.into()],
        },
    );
    let both = [quote, claim];
    let items = claim_reviews(&both, &with(&details, Some(&t), &scale));
    let item = &items[0]["itemReviewed"];
    assert_eq!(
        item["author"],
        json!({ "@type": "Person", "name": "Amara Okafor", "jobTitle": "Council leader", "sameAs": "https://www.wikidata.org/wiki/Q42" })
    );
    assert_eq!(item["datePublished"], "2026-11-02");
    assert_eq!(
        item["firstAppearance"],
        json!({ "@type": "CreativeWork", "url": ARTICLE, "headline": "Flood", "publisher": { "@type": "Organization", "name": "The Courier" }, "datePublished": "2026-11-20" })
    );
    assert_eq!(item["appearance"][1], json!({ "@type": "CreativeWork", "url": "https://tv.example/clip" }));
    assert_eq!(item["appearance"].as_array().map(Vec::len), Some(2), "the article once");
}

#[test]
fn a_markup_page_in_full() {
    let scale = Scale::default();
    let org = Organization::new("Full Fact", "https://fullfact.example").expect("valid");
    let t = template();
    let details = ArticleDetails { published: "2026-11-20".into(), ..article() };
    let mut claim = checked("c1", HOMES, "false");
    if let Some(r) = claim.review.as_mut() {
        r.explanation = "The agency's report gives 3,400.".into();
        r.claim = ClaimFacts {
            claimant: "Amara Okafor".into(),
            same_as: "https://www.wikidata.org/wiki/Q42".into(),
            ..ClaimFacts::default()
        };
    }
    let publication = Publication {
        article: &details,
        fact_check_url: Some(&t),
        organization: Some(&org),
        scale: &scale,
        now_ms: NOW,
    };
    let pages = crate::claimreview_markup::markup_pages(&[claim], &publication);
    assert_eq!(
        pages,
        json!([{
            "pageUrl": "https://checks.example/c1",
            "publishDate": "2026-12-01",
            "claimReviewAuthor": { "name": "Full Fact" },
            "claimReviewMarkups": [{
                "url": "https://checks.example/c1",
                "claimReviewed": HOMES,
                "claimDate": "2026-11-20",
                "claimFirstAppearance": ARTICLE,
                "claimAppearances": [ARTICLE],
                "claimAuthor": { "name": "Amara Okafor", "sameAs": "https://www.wikidata.org/wiki/Q42" },
                "rating": { "textualRating": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 0, "ratingExplanation": "The agency's report gives 3,400." },
            }],
        }])
    );
    // Nothing ready: no page.
    let none = Publication { fact_check_url: None, ..publication };
    assert_eq!(crate::claimreview_markup::markup_pages(&[checked("c1", HOMES, "false")], &none), json!([]));
}
