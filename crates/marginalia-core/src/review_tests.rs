//! The review values' tables: problems by field, attributions, dates, scales, off-scale verdicts.

use super::*;

#[test]
fn table_of_attribution_problems() {
    let long = "x".repeat(ATTRIBUTION_LIMIT + 1);
    let at = |speaker: &str, date: &str, venue: &str| Attribution {
        speaker: speaker.into(),
        date: date.into(),
        venue: venue.into(),
    };
    let cases = [
        (at("Amara Okafor", "", ""), vec![], "a name alone"),
        (at("Amara Okafor", "2026-11-30", "Council chamber"), vec![], "all three"),
        (at("", "2026-11-30", ""), vec![Field::Speaker], "a date with no one to have said it"),
        (at("", "", "Council chamber"), vec![Field::Speaker], "a place with no one"),
        (at(&long, "", ""), vec![Field::Speaker], "a name past the limit is refused, not cut"),
        (at("Amara Okafor", "30/11/2026", ""), vec![Field::SaidOn], "not a date"),
        (at("Amara Okafor", "", &long), vec![Field::Venue], "a place past the limit"),
        (at("", "30/11/2026", &long), vec![Field::Speaker, Field::SaidOn, Field::Venue], "every problem at once"),
    ];
    for (a, want, why) in cases {
        let got: Vec<Field> = a.problems_by_field().into_iter().map(|(f, _)| f).collect();
        assert_eq!(got, want, "{why}");
    }
}

#[test]
fn tidying_an_attribution_trims_it_and_an_empty_one_is_none() {
    let typed =
        Attribution { speaker: " Amara Okafor ".into(), date: " 2026-11-30".into(), venue: "\tChamber ".into() };
    let tidy = typed.tidied().expect("kept");
    assert_eq!(
        (tidy.speaker.as_str(), tidy.date.as_str(), tidy.venue.as_str()),
        ("Amara Okafor", "2026-11-30", "Chamber")
    );
    assert_eq!(Attribution { speaker: "  ".into(), ..Attribution::default() }.tidied(), None);
    let date_only = Attribution { date: "2026-11-30".into(), ..Attribution::default() };
    assert!(date_only.tidied().is_some(), "a date alone is kept, to be refused");
}

#[test]
fn iso_dates() {
    for (text, ok) in
        [("2026-11-30", true), ("2026-13-01", false), ("2026-1-01", false), ("30-11-2026", false), ("", false)]
    {
        assert_eq!(is_iso_date(text), ok, "{text:?}");
    }
}

#[test]
fn each_problem_names_its_field() {
    let scale = Scale::default();
    let long = "x".repeat(EXPLANATION_LIMIT + 1);
    let review = |verdict: Option<&str>, status, url: &str, explanation: &str| Review {
        claim: Default::default(),
        verdict: verdict.map(String::from),
        explanation: explanation.into(),
        sources: vec![Source { url: url.into(), title: String::new() }],
        status,
        reviewer: String::new(),
        reviewed: None,
    };
    let cases = [
        (review(None, Status::Checked, "https://a.example", ""), vec![Field::Verdict]),
        (review(Some("pants"), Status::Checked, "https://a.example", ""), vec![Field::Verdict]),
        (review(Some("false"), Status::Checked, "javascript:alert(1)", ""), vec![Field::Sources]),
        (review(Some("false"), Status::InProgress, "https://a.example", &long), vec![Field::Explanation]),
        (review(Some("false"), Status::Checked, "https://a.example", "fine"), vec![]),
    ];
    for (r, want) in cases {
        let got: Vec<Field> = r.problems_by_field(&scale, "").into_iter().map(|(f, _)| f).collect();
        assert_eq!(got, want, "{r:?}");
        assert_eq!(r.problems(&scale, "").len(), want.len());
    }
}

#[test]
fn verdicts_off_a_scale() {
    let review = |v: Option<&str>| Review { verdict: v.map(str::to_string), ..Default::default() };
    let host = Scale::new(vec![
        Rating { id: "correct".into(), label: "Correct".into(), value: 1 },
        Rating { id: "wrong".into(), label: "Wrong".into(), value: 0 },
    ])
    .expect("scale");
    let reviews =
        [review(Some("true")), review(None), review(Some("correct")), review(Some("true")), review(Some("false"))];
    let cases: [(&Scale, Vec<&str>); 2] = [(&host, vec!["true", "false"]), (&Scale::default(), vec!["correct"])];
    for (scale, want) in cases {
        assert_eq!(off_scale(&reviews, scale), want);
    }
}

#[test]
fn web_urls() {
    let cases = [
        ("https://www.ons.gov.uk/report?x=1#t", true),
        ("http://example.org", true),
        ("https://例え.jp/ページ", true),
        ("javascript:alert(1)", false),
        ("https://", false),
        ("https:///path", false),
        ("//example.org", false),
        ("ftp://example.org", false),
        ("https://exa mple.org", false),
        ("https://example.org/\"><script>", true), // inert as text; never rendered as HTML
        ("", false),
    ];
    for (url, ok) in cases {
        assert_eq!(is_web_url(url), ok, "{url:?}");
    }
}

#[test]
fn scales_and_their_ends() {
    let scale = Scale::default();
    assert_eq!((scale.best(), scale.worst()), (5, 0));
    assert_eq!(scale.find("Mostly TRUE").map(|r| r.id.as_str()), Some("mostly-true"));
    assert_eq!(scale.find("pants on fire"), None);
    let r = |id: &str, value| Rating { id: id.into(), label: id.to_uppercase(), value };
    let host = Scale::new(vec![r("wrong", -2), r("right", 2), r("unclear", 0)]).expect("valid");
    assert_eq!(host.ratings().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["right", "unclear", "wrong"]);
    assert_eq!((host.best(), host.worst()), (2, -2));
    // Ratings of one value stay in the host's order.
    let ties = Scale::new(vec![r("c", 0), r("a", 1), r("d", 0), r("b", 1), r("e", 2)]).expect("valid");
    assert_eq!(ties.ratings().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["e", "a", "b", "c", "d"]);
    type Case = (Vec<Rating>, &'static str);
    let bad: [Case; 5] = [
        (vec![r("only", 1)], "at least two"),
        (vec![r("a", 1), r("a", 2)], "twice"),
        (vec![r("A b", 1), r("c", 2)], "not lowercase"),
        (vec![r("a", 1), Rating { id: "b".into(), label: " ".into(), value: 2 }], "blank"),
        (vec![r("a", 1), r("b", 1)], "same value"),
    ];
    for (ratings, why) in bad {
        let err = Scale::new(ratings).expect_err(why);
        assert!(err.contains(why), "{err}");
    }
}

#[test]
fn what_makes_a_review_invalid() {
    let scale = Scale::default();
    let ok = Review {
        claim: Default::default(),
        verdict: Some("false".into()),
        explanation: "The report says 3,400.".into(),
        sources: vec![Source { url: "https://www.gov.uk/report".into(), title: "The report".into() }],
        status: Status::Checked,
        reviewer: "A. Checker".into(),
        reviewed: Some(1_800_000_000_000),
    };
    assert!(ok.problems(&scale, "").is_empty());
    type Case = (Review, &'static str);
    let cases: [Case; 4] = [
        (Review { verdict: None, ..ok.clone() }, "needs a verdict"),
        (Review { verdict: Some("pants-on-fire".into()), ..ok.clone() }, "not on this rating scale"),
        (
            Review { sources: vec![Source { url: "javascript:alert(1)".into(), title: String::new() }], ..ok.clone() },
            "not a web address",
        ),
        (Review { explanation: "x".repeat(EXPLANATION_LIMIT + 1), ..ok.clone() }, "longer than"),
    ];
    for (review, why) in cases {
        let problems = review.problems(&scale, "");
        assert!(problems.iter().any(|p| p.contains(why)), "{why}: {problems:?}");
    }
    // In progress without a verdict is fine.
    assert!(Review { verdict: None, status: Status::InProgress, ..ok }.problems(&scale, "").is_empty());
}

#[test]
fn stored_shape() {
    let review = Review { verdict: Some("true".into()), status: Status::InProgress, ..Review::default() };
    assert_eq!(serde_json::to_string(&review).expect("json"), r#"{"verdict":"true","status":"in-progress"}"#);
    let back: Review = serde_json::from_str(r#"{"status":"checked","verdict":"false"}"#).expect("reads");
    assert_eq!(back.status, Status::Checked);
    assert_eq!(serde_json::from_str::<Review>("{}").expect("defaults"), Review::default());
}
