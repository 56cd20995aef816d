//! The report's tables of cases: what it lists and in what order, the
//! facts it gives each claim and their wording, how it counts, and that no
//! reader's text comes through as markup.

use super::*;
use crate::annotation::AnnotationId;
use crate::document::Document;
use crate::markdown::tests::shown;
use crate::review::{Attribution, Review};
use crate::span::Span;
use crate::tag::Tag;

const TEXT: &str =
    "The mayor said “the barrier protects 4300 homes” on Monday. Rain fell. “We will act” said Ana Lima. Taxes rose.";
/// 2026-12-02T09:00Z.
const NOW: u64 = 1_796_202_000_000;
/// 2026-12-01T15:00Z.
const REVIEWED_AT: u64 = 1_796_137_200_000;

fn ann(id: &str, tag: &str, needle: &str) -> Annotation {
    let byte = TEXT.find(needle).expect("in the text");
    let start = TEXT[..byte].chars().count();
    let span = Span::new(start, start + needle.chars().count()).expect("not empty");
    let id = AnnotationId::parse(id).expect("id");
    Annotation::new(&Document::from_text(TEXT), id, span, Tag::parse(tag).expect("tag"), NOW)
}

fn review(mut a: Annotation, status: Status, verdict: Option<&str>, reviewer: &str, at: Option<u64>) -> Annotation {
    a.review = Some(Box::new(Review {
        verdict: verdict.map(String::from),
        status,
        reviewer: reviewer.into(),
        reviewed: at,
        ..Review::default()
    }));
    a
}

fn source(url: &str, title: &str) -> Source {
    Source { url: url.into(), title: title.into() }
}

/// Four claims (three checked, one in progress with a verdict) and two
/// quotes, stored out of document order.
fn article() -> Vec<Annotation> {
    let mut homes =
        review(ann("c1", "claim", "the barrier protects"), Status::Checked, Some("false"), "Ana", Some(REVIEWED_AT));
    if let Some(r) = homes.review.as_mut() {
        r.explanation = "The report says 3400.".into();
        r.sources = vec![
            source("https://www.gov.uk/report", "Flood report"),
            source("https://example.org/data?a=1&b=(2)", " "),
        ];
    }
    let mut mayor = ann("q1", "quote", "“the barrier protects 4300 homes”");
    mayor.attribution = Some(Box::new(Attribution {
        speaker: "Mayor Amara Okafor".into(),
        date: "2026-11-30".into(),
        venue: "Council meeting".into(),
    }));
    vec![
        review(ann("c3", "claim", "Taxes rose"), Status::Checked, Some("gone"), "Ana", None),
        ann("q2", "quote", "“We will act”"),
        review(ann("c4", "claim", "We will act"), Status::InProgress, Some("misleading"), "Bo", None),
        homes,
        review(ann("c2", "claim", "Rain fell"), Status::Checked, Some("true"), "", None),
        mayor,
        ann("k1", "caption", "Monday"),
    ]
}

#[test]
fn the_whole_report() {
    let report = Report::build(" Flood barrier approved ", &article(), &Scale::default());
    let want = "\
# Fact-check report: Flood barrier approved

Generated 2026-12-02. 4 claims: 3 checked, 1 in progress, 0 to check. 2 quotes.

## Claims

1. “the barrier protects”
   - Verdict: False
   - Status: Checked
   - Said by: Mayor Amara Okafor
   - Reviewer: Ana
   - Reviewed on: 2026-12-01
   - Explanation: The report says 3400.
   - Sources:
     - [Flood report](https://www.gov.uk/report)
     - [https\\://example.org/data?a=1&b=(2)](https://example.org/data?a=1&b=%282%29)
2. “Rain fell”
   - Verdict: True
   - Status: Checked
3. “We will act”
   - Verdict: Misleading (in progress)
   - Status: In progress
   - Reviewer: Bo
4. “Taxes rose”
   - Verdict: gone (not on this scale)
   - Status: Checked
   - Reviewer: Ana

## Quotes

1. “the barrier protects 4300 homes” — Mayor Amara Okafor, 2026-11-30, Council meeting
2. “We will act” — speaker unknown
";
    assert_eq!(report.to_markdown(NOW), want);
}

/// A claim's facts as `label: value` lines, sources as `text -> link (note)`.
fn fact_lines(c: &ClaimLine) -> Vec<String> {
    c.facts()
        .into_iter()
        .map(|f| match f.value {
            FactValue::Text(t) => format!("{}: {t}", f.label),
            FactValue::Sources(list) => {
                let each: Vec<String> =
                    list.iter().map(|s| format!("{} -> {:?} ({})", s.text, s.link.as_deref(), s.note)).collect();
                format!("{}: {}", f.label, each.join(" | "))
            }
        })
        .collect()
}

#[test]
fn each_claim_has_its_facts_in_one_wording() {
    let scale = Scale::default();
    let facts = |a: Annotation| fact_lines(&Report::build("t", &[a], &scale).claims[0]);
    let claim = || ann("c1", "claim", "Rain fell");
    let checked = review(claim(), Status::Checked, Some("false"), " Ana ", Some(REVIEWED_AT));
    assert_eq!(facts(checked), ["Verdict: False", "Status: Checked", "Reviewer: Ana", "Reviewed on: 2026-12-01"]);
    // A verdict given while the check goes on is provisional, and says so.
    let provisional = review(claim(), Status::InProgress, Some("false"), "Ana", None);
    assert_eq!(facts(provisional), ["Verdict: False (in progress)", "Status: In progress", "Reviewer: Ana"]);
    let early = review(claim(), Status::ToCheck, Some("true"), "", None);
    assert_eq!(facts(early), ["Verdict: True (to check)", "Status: To check"]);
    let none_yet = review(claim(), Status::InProgress, None, "", None);
    assert_eq!(facts(none_yet), ["Verdict: none yet", "Status: In progress"]);
    // Older data may hold a checked claim with no verdict: not invented.
    assert_eq!(facts(review(claim(), Status::Checked, None, "", None)), ["Verdict: none given", "Status: Checked"]);
    let gone = review(claim(), Status::InProgress, Some("pants-on-fire"), "", None);
    assert_eq!(facts(gone)[0], "Verdict: pants-on-fire (not on this scale; in progress)");
    assert_eq!(facts(claim()), ["Verdict: none yet", "Status: To check"]);
    let mut sourced = review(claim(), Status::Checked, Some("true"), "", None);
    if let Some(r) = sourced.review.as_mut() {
        r.explanation = "  Seen.\n ".into();
        r.sources = vec![
            source("https://a.example/x", "A"),
            source("https://b.example/y", ""),
            source("ftp://c.example/z", "C"),
            source("javascript:alert(1)", ""),
        ];
    }
    assert_eq!(
        facts(sourced)[2..],
        [
            "Explanation: Seen.".to_string(),
            "Sources: A -> Some(\"https://a.example/x\") () | https://b.example/y -> Some(\"https://b.example/y\") () | \
             C -> None (not linked: ftp://c.example/z is not a web address) | \
             javascript:alert(1) -> None (not linked: not a web address)"
                .to_string()
        ]
    );
}

#[test]
fn lines_in_document_order_with_counts_claimants_and_verdicts() {
    let report = Report::build("t", &article(), &Scale::default());
    let ids = |lines: Vec<&str>| lines.join(" ");
    assert_eq!(ids(report.claims.iter().map(|c| c.id.as_str()).collect()), "c1 c2 c4 c3");
    assert_eq!(ids(report.quotes.iter().map(|q| q.id.as_str()).collect()), "q1 q2");
    assert_eq!(report.status_counts(), [(Status::ToCheck, 0), (Status::InProgress, 1), (Status::Checked, 3)]);
    let verdicts: Vec<String> = report.claims.iter().map(ClaimLine::verdict_words).collect();
    assert_eq!(verdicts, ["False", "True", "Misleading (in progress)", "gone (not on this scale)"]);
    let claimants: Vec<Option<&str>> = report.claims.iter().map(|c| c.claimant.as_deref()).collect();
    assert_eq!(claimants, [Some("Mayor Amara Okafor"), None, None, None]);
    assert_eq!(report.claims[0].reviewed, Some(REVIEWED_AT));
    assert_eq!(report.heading(), "Fact-check report: t");
    assert_eq!(report.summary(NOW), "Generated 2026-12-02. 4 claims: 3 checked, 1 in progress, 0 to check. 2 quotes.");
    assert_eq!(
        report.quotes[1],
        QuoteLine {
            id: "q2".into(),
            quote: "“We will act”".into(),
            speaker: None,
            date: String::new(),
            venue: String::new(),
        }
    );
    assert_eq!(report.quotes[0].credit(), "Mayor Amara Okafor, 2026-11-30, Council meeting");
    assert_eq!(report.quotes[1].credit(), "speaker unknown");
    // A claim with no review at all is still listed, as to check.
    let plain = Report::build("t", &[ann("c9", "claim", "Rain fell")], &Scale::default());
    assert_eq!(plain.claims[0].status, Status::ToCheck);
    assert_eq!(plain.status_counts()[0], (Status::ToCheck, 1));
    assert!(plain.to_markdown(NOW).contains("1 claim: 0 checked, 0 in progress, 1 to check. 0 quotes."));
    assert!(plain.to_markdown(NOW).contains("   - Verdict: none yet\n   - Status: To check\n"));
}

#[test]
fn the_claimant_is_the_speaker_of_the_smallest_attributed_quote() {
    let said = |mut a: Annotation, who: &str| {
        a.attribution = Some(Box::new(Attribution { speaker: who.into(), ..Attribution::default() }));
        a
    };
    let anns = [
        said(ann("q1", "quote", "The mayor said “the barrier protects 4300 homes” on Monday."), "Reporter"),
        said(ann("q2", "quote", "“the barrier protects 4300 homes”"), "The mayor"),
        ann("c1", "claim", "4300 homes"),
        ann("c2", "claim", "on Monday"),
    ];
    let report = Report::build("t", &anns, &Scale::default());
    let claimants: Vec<Option<&str>> = report.claims.iter().map(|c| c.claimant.as_deref()).collect();
    assert_eq!(claimants, [Some("The mayor"), Some("Reporter")]);
    assert_eq!(
        report.claims[0].claimant.as_deref(),
        crate::claimreview::speaker_of(&anns[2], &anns).map(|at| at.speaker.as_str())
    );
    assert!(fact_lines(&report.claims[1]).contains(&"Said by: Reporter".to_string()));
    // A claimant the review names comes first, as in ClaimReview.
    let mut named = anns.clone();
    named[2].review = Some(Box::new(crate::review::Review {
        claim: crate::review::ClaimFacts { claimant: "Amara Okafor".into(), ..Default::default() },
        ..Default::default()
    }));
    let report = Report::build("t", &named, &Scale::default());
    assert_eq!(report.claims[0].claimant.as_deref(), Some("Amara Okafor"));
}

#[test]
fn empty_reports_and_long_lists() {
    let empty = Report::build("  ", &[], &Scale::default()).to_markdown(0);
    assert_eq!(
        empty,
        "# Fact-check report\n\nGenerated 1970-01-01. 0 claims: 0 checked, 0 in progress, 0 to check. 0 quotes.\n\n\
         ## Claims\n\nNo claims are tagged.\n\n## Quotes\n\nNo quotes are tagged.\n"
    );
    // A blank claimant or speaker set by hand is none.
    let mut blank = Report::build("t", &article(), &Scale::default());
    blank.claims[0].claimant = Some(" ".into());
    blank.quotes[0].speaker = Some(" ".into());
    let md = blank.to_markdown(NOW);
    assert!(!md.contains("Said by"), "{md}");
    assert!(md.contains("homes” — speaker unknown, 2026"), "{md}");
    // From the tenth item the text starts a column later; so must the lines under it.
    let many: Vec<Annotation> = (0..10).map(|i| ann(&format!("c{i}"), "claim", "Rain fell")).collect();
    let md = Report::build("t", &many, &Scale::default()).to_markdown(NOW);
    assert!(md.contains("9. “Rain fell”\n   - Verdict"), "{md}");
    assert!(md.contains("10. “Rain fell”\n    - Verdict"), "{md}");
}

#[test]
fn reader_text_never_becomes_markup() {
    let mut a = review(ann("c1", "claim", "Rain fell"), Status::InProgress, Some("false"), "<b>Ana</b>", None);
    a.quote.exact = "<script>alert(1)</script>\n# heading".into();
    if let Some(r) = a.review.as_mut() {
        r.explanation = "[click](javascript:alert(1)) ![x](https://evil.example/x.png) **bold** _it_ `c` ~~s~~ \
                         &#106; <https://evil.example> www.evil.example a@evil.example\n\n1. list"
            .into();
        r.sources = vec![
            source("javascript:alert(1)", "[safe](javascript:alert(1))"),
            source("data:text/html,<script>alert(1)</script>", ""),
            source("https://example.org/a)](javascript:alert(1)", "ok"),
        ];
    }
    let mut q = ann("q1", "quote", "“We will act”");
    q.attribution = Some(Box::new(Attribution {
        speaker: "<i>x</i>".into(),
        date: "](javascript:alert(1))".into(),
        venue: "\n## venue".into(),
    }));
    let md = Report::build("<img src=x onerror=alert(1)> #", &[a, q], &Scale::default()).to_markdown(NOW);
    assert!(md.contains("[ok](https://example.org/a%29]%28javascript:alert%281%29)"), "{md}");
    assert!(md.contains("\\[safe\\](javascript:alert(1)) (not linked: javascript:alert(1) is not"), "{md}");
    assert!(md.contains("(not linked: not a web address)"));
    // Each line is one of ours, and what follows our own markup at its
    // start could open no link, image, code, HTML, entity or emphasis.
    let ours = ["# Fact-check report", "## Claims", "## Quotes", "1. ", "   - ", "     - ", "Generated "];
    let mut links = 0;
    for line in md.lines().filter(|l| !l.is_empty()) {
        let prefix = ours.iter().find(|p| line.starts_with(**p)).unwrap_or_else(|| panic!("not ours: {line:?}"));
        let mut rest = &line[prefix.len()..];
        if let Some((label, url)) = our_link(rest) {
            assert!(url.starts_with("https://") && !url.contains(['(', ')', '<', '>', ' ']), "{line:?}");
            links += 1;
            rest = label;
        }
        assert_eq!(live_markup(rest), Vec::<String>::new(), "{line:?}");
        // A heading's last run of `#` after a space would be dropped.
        assert!(!(line.starts_with('#') && line.ends_with(" #")), "{line:?}");
    }
    assert_eq!(links, 1, "{md}");
}

/// `[label](url)`, our own link of a source, split.
fn our_link(rest: &str) -> Option<(&str, &str)> {
    let inner = rest.strip_prefix('[')?.strip_suffix(')')?;
    let at = inner.match_indices("](").map(|(i, _)| i).find(|i| !inner[..*i].ends_with('\\'))?;
    Some((&inner[..at], &inner[at + 2..]))
}

/// What CommonMark (and GitHub's extensions) would read as the start of
/// markup in `md`: each character not escaped by a backslash that could
/// open a tag or autolink, a link, an image, a code span, an entity, or
/// open or close emphasis (a delimiter with a non-space beside it, but `_`
/// inside a word).
fn live_markup(md: &str) -> Vec<String> {
    let mut live: Vec<(char, bool)> = Vec::new();
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(n)) if n.is_ascii_punctuation() => {
                chars.next();
                live.push((n, false));
            }
            _ => live.push((c, true)),
        }
    }
    let at = |i: usize| live.get(i).map(|(c, _)| *c);
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    for (i, &(c, is_live)) in live.iter().enumerate() {
        let (prev, next) = (i.checked_sub(1).and_then(at), at(i + 1));
        let rest: String = live[i + 1..].iter().map(|(c, _)| c).collect();
        let markup = is_live
            && match c {
                '<' => !space(next),
                '[' | ']' | '`' => true,
                '*' | '~' => !(space(prev) && space(next)),
                '_' => !((space(prev) && space(next)) || (word(prev) && word(next))),
                '&' => rest.find(';').is_some_and(|e| e > 0 && e < 33 && !rest[..e].contains(' ')),
                ':' => rest.starts_with("//"),
                '@' => word(prev) && word(next),
                '.' => i >= 3 && live[i - 3..i].iter().all(|(c, _)| *c == 'w'),
                _ => false,
            };
        if markup {
            found.push(format!("{c} at {i} in {md:?}"));
        }
    }
    found
}

#[test]
fn what_is_escaped_reads_back_as_written() {
    let mut a = review(ann("c1", "claim", "Rain fell"), Status::Checked, Some("false"), "O'Brien", None);
    let explanation = "£12.6 million last year, up from £9.1m (2024): \"a rise\" - the council's figure.";
    if let Some(r) = a.review.as_mut() {
        r.explanation = explanation.into();
    }
    let md = Report::build("t", &[a], &Scale::default()).to_markdown(NOW);
    assert!(md.contains(&format!("   - Explanation: {explanation}\n")), "{md}");
    assert!(md.contains("   - Reviewer: O'Brien\n"), "{md}");
    let tricky = "a *b* [c] <d> & &amp; `e` \\ _f_";
    let mut b = review(ann("c1", "claim", "Rain fell"), Status::Checked, Some("true"), "", None);
    if let Some(r) = b.review.as_mut() {
        r.explanation = tricky.into();
    }
    let md = Report::build("t", &[b], &Scale::default()).to_markdown(NOW);
    let line = md.lines().find_map(|l| l.strip_prefix("   - Explanation: ")).expect("an explanation");
    assert_eq!(shown(line), tricky);
}

#[test]
fn quote_marks_around_a_quote_are_not_doubled() {
    let cases = [
        ("“We will act”", "“We will act”"),
        ("\"We will act\"", "“We will act”"),
        ("«Nous agirons»", "“Nous agirons”"),
        ("the workers’", "“the workers’”"),
        ("“unbalanced", "““unbalanced”"),
        ("“", "““”"),
        ("\"", "“\"”"),
        ("plain", "“plain”"),
    ];
    for (text, want) in cases {
        assert_eq!(in_quotes(text), want, "{text:?}");
    }
}
