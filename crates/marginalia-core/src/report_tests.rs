//! The report's tables of cases: what it lists and in what order, how it
//! counts, and that no reader's text comes through as markup.

use super::*;
use crate::annotation::AnnotationId;
use crate::document::Document;
use crate::review::{Attribution, Review};
use crate::span::Span;
use crate::tag::Tag;

const TEXT: &str =
    "The mayor said “the barrier protects 4300 homes” on Monday. Rain fell. “We will act” said Ana Lima. Taxes rose.";
/// 2026-12-02T09:00Z.
const NOW: u64 = 1_796_202_000_000;
/// 2026-12-01T15:00Z.
const REVIEWED: u64 = 1_796_137_200_000;

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

/// Four claims (three checked, one in progress) and two quotes, stored
/// out of document order.
fn article() -> Vec<Annotation> {
    let mut homes =
        review(ann("c1", "claim", "the barrier protects"), Status::Checked, Some("false"), "Ana", Some(REVIEWED));
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
        review(ann("c4", "claim", "We will act"), Status::InProgress, None, "", None),
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
   - Verdict: **False** (checked by Ana, 2026-12-01)
   - Said by: Mayor Amara Okafor
   - Explanation: The report says 3400\\.
   - Sources:
     - [Flood report](https://www.gov.uk/report)
     - [https\\:\\/\\/example\\.org\\/data\\?a\\=1\\&b\\=\\(2\\)](https://example.org/data?a=1&b=%282%29)
2. “Rain fell”
   - Verdict: **True** (checked)
3. “We will act”
   - Verdict: none yet (in progress)
4. “Taxes rose”
   - Verdict: **gone \\(not on this scale\\)** (checked by Ana)

## Quotes

1. “the barrier protects 4300 homes” — Mayor Amara Okafor, 2026\\-11\\-30, Council meeting
2. “We will act” — speaker unknown
";
    assert_eq!(report.to_markdown(NOW), want);
}

#[test]
fn lines_in_document_order_with_counts_speakers_and_verdicts() {
    let report = Report::build("t", &article(), &Scale::default());
    let ids = |lines: Vec<&str>| lines.join(" ");
    assert_eq!(ids(report.claims.iter().map(|c| c.id.as_str()).collect()), "c1 c2 c4 c3");
    assert_eq!(ids(report.quotes.iter().map(|q| q.id.as_str()).collect()), "q1 q2");
    assert_eq!(report.status_counts(), [(Status::ToCheck, 0), (Status::InProgress, 1), (Status::Checked, 3)]);
    let verdicts: Vec<Option<&str>> = report.claims.iter().map(|c| c.verdict.as_deref()).collect();
    assert_eq!(verdicts, [Some("False"), Some("True"), None, Some("gone (not on this scale)")]);
    let speakers: Vec<Option<&str>> = report.claims.iter().map(|c| c.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Mayor Amara Okafor"), None, None, None]);
    assert_eq!(report.claims[0].reviewed, Some(REVIEWED));
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
    // A claim with no review at all is still listed, as to check.
    let plain = Report::build("t", &[ann("c9", "claim", "Rain fell")], &Scale::default());
    assert_eq!(plain.claims[0].status, Status::ToCheck);
    assert_eq!(plain.status_counts()[0], (Status::ToCheck, 1));
    assert!(plain.to_markdown(NOW).contains("1 claim: 0 checked, 0 in progress, 1 to check. 0 quotes."));
    assert!(plain.to_markdown(NOW).contains("   - Verdict: none yet (to check)\n"));
}

#[test]
fn the_speaker_comes_from_the_smallest_attributed_quote() {
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
    let speakers: Vec<Option<&str>> = report.claims.iter().map(|c| c.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("The mayor"), Some("Reporter")]);
    assert_eq!(report.claims[0].speaker.as_deref(), speaker_of(&anns[2], &anns).map(|at| at.speaker.as_str()));
}

#[test]
fn empty_reports_and_long_lists() {
    let empty = Report::build("  ", &[], &Scale::default()).to_markdown(0);
    assert_eq!(
        empty,
        "# Fact-check report\n\nGenerated 1970-01-01. 0 claims: 0 checked, 0 in progress, 0 to check. 0 quotes.\n\n\
         ## Claims\n\nNo claims are tagged.\n\n## Quotes\n\nNo quotes are tagged.\n"
    );
    // A blank speaker set by hand is no speaker.
    let mut blank = Report::build("t", &article(), &Scale::default());
    blank.claims[0].speaker = Some(" ".into());
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
    // In progress: its verdict line has no `**` of ours to tell apart.
    let mut a = review(ann("c1", "claim", "Rain fell"), Status::InProgress, Some("false"), "<b>Ana</b>", None);
    a.quote.exact = "<script>alert(1)</script>\n# heading".into();
    if let Some(r) = a.review.as_mut() {
        r.explanation =
            "[click](javascript:alert(1)) ![x](https://evil.example/x.png) **bold** _it_ `c`\n\n1. list".into();
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
    let md = Report::build("<img src=x onerror=alert(1)>", &[a, q], &Scale::default()).to_markdown(NOW);
    assert!(md.contains("[ok](https://example.org/a%29]%28javascript:alert%281%29)"), "{md}");
    assert!(md.contains("\\[safe\\]\\(javascript\\:alert\\(1\\)\\) (not linked: javascript\\:alert\\(1\\) is not"));
    assert!(md.contains("(not linked: not a web address)"));
    // Each line is one of ours, and what follows our own markup at its
    // start is, once every backslash pair is read as literal text, free
    // of anything a renderer would take as markup, but for our one link.
    let ours = ["# Fact-check report", "## Claims", "## Quotes", "1. ", "   - ", "     - ", "Generated "];
    let mut links = 0;
    for line in md.lines().filter(|l| !l.is_empty()) {
        let prefix = ours.iter().find(|p| line.starts_with(**p)).unwrap_or_else(|| panic!("not ours: {line:?}"));
        let live = unescaped(&line[prefix.len()..]);
        links += live.matches("](").count();
        for markup in ['<', '>', '*', '_', '!', '#', '`', '&'] {
            assert!(!live.contains(markup), "{markup:?} in {line:?}");
        }
    }
    assert_eq!(links, 1, "{md}");
}

/// The Markdown without its backslash-escaped characters.
fn unescaped(md: &str) -> String {
    let mut out = String::new();
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn md_text_escapes_every_ascii_punctuation() {
    let cases = [
        ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\<\\/script\\>"),
        ("[a](javascript:alert(1))", "\\[a\\]\\(javascript\\:alert\\(1\\)\\)"),
        ("![img](x.png)", "\\!\\[img\\]\\(x\\.png\\)"),
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("# heading", "\\# heading"),
        ("1. list", "1\\. list"),
        ("- item", "\\- item"),
        ("`code` ~~gone~~ | a |", "\\`code\\` \\~\\~gone\\~\\~ \\| a \\|"),
        ("&amp; &#106;", "\\&amp\\; \\&\\#106\\;"),
        ("back\\slash", "back\\\\slash"),
        ("one\ntwo\r\nthree\u{2028}four\tfive", "one two  three four five"),
        ("Zoë 東京 — “ok” 😀", "Zoë 東京 — “ok” 😀"),
        ("", ""),
    ];
    for (text, want) in cases {
        assert_eq!(md_text(text), want, "{text:?}");
    }
}

#[test]
fn md_url_encodes_what_could_end_or_escape_a_destination() {
    let cases = [
        ("https://example.org/a(b)c", "https://example.org/a%28b%29c"),
        ("https://example.org/<script>", "https://example.org/%3Cscript%3E"),
        ("https://example.org/\"x\"", "https://example.org/%22x%22"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/a\\)", "https://example.org/a%5C%29"),
        ("https://example.org/`{|}^", "https://example.org/%60%7B%7C%7D%5E"),
        ("https://example.org/\u{a0}\u{85}", "https://example.org/%C2%A0%C2%85"),
        ("https://x.org/p?a=1&b=2;c=%20#frag", "https://x.org/p?a=1&b=2;c=%20#frag"),
        ("https://[::1]:8080/~u/*!$'+,@", "https://[::1]:8080/~u/*!$'+,@"),
        ("https://例え.jp/ページ", "https://例え.jp/ページ"),
    ];
    for (url, want) in cases {
        assert_eq!(md_url(url), want, "{url:?}");
    }
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
        ("\"", "“\\\"”"),
        ("plain", "“plain”"),
    ];
    for (text, want) in cases {
        assert_eq!(quoted(text), want, "{text:?}");
    }
}
