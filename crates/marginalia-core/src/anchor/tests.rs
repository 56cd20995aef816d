//! The anchoring rules' tables of cases and properties.

use super::*;
use proptest::prelude::*;

/// Anchors `quote` (with its context, made on `old` at `span`) in `new`.
fn reanchor(old: &str, span: (usize, usize), new: &str) -> Option<(String, How)> {
    let old_doc = Document::from_text(old);
    let q = TextQuote::capture(&old_doc, Span::new(span.0, span.1).expect("valid"));
    let new_doc = Document::from_text(new);
    let text = Text::new(&new_doc);
    let (got, how) = text.anchor(&Selectors { quote: Some(&q), position: Some(span) })?;
    Some((new_doc.slice(got.start(), got.end()), how))
}

fn span_of(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let byte = text.match_indices(needle).nth(nth).expect("needle present").0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

const STORY: &str = "The UK will join most European nations.\n“We will act,” she said on Tuesday.\nPictured: a soldier in Pokrovsk\nPictured: a soldier in Pokrovsk\nThe court was first proposed in 2022.";

#[test]
fn table_of_edit_scenarios() {
    use How::*;
    let claim = span_of(STORY, "first proposed in 2022", 0);
    let quote = span_of(STORY, "“We will act,”", 0);
    let second_caption = span_of(STORY, "Pictured: a soldier in Pokrovsk", 1);
    type Case<'a> = (&'a str, (usize, usize), String, Option<(&'a str, How)>);
    let cases: Vec<Case> = vec![
        ("unchanged", claim, STORY.into(), Some(("first proposed in 2022", Position))),
        ("insertion before", claim, format!("Breaking: {STORY}"), Some(("first proposed in 2022", Quote))),
        ("insertion after", claim, format!("{STORY} More soon."), Some(("first proposed in 2022", Position))),
        (
            "insertion inside the span",
            claim,
            STORY.replace("in 2022", "in mid-2022"),
            Some(("first proposed in mid-2022", Fuzzy)),
        ),
        ("deletion inside the span", claim, STORY.replace("in 2022", "2022"), Some(("first proposed 2022", Fuzzy))),
        (
            "a rewrite beyond a fifth of the quote orphans it",
            claim,
            STORY.replace("first proposed in 2022", "first formally proposed in 2022"),
            None,
        ),
        (
            "paragraph inserted",
            quote,
            STORY.replace("\n“We", "\nA new paragraph here.\n“We"),
            Some(("“We will act,”", Quote)),
        ),
        (
            "paragraph moved",
            quote,
            "“We will act,” she said on Tuesday.\nThe UK will join most European nations.\nPictured: x".into(),
            Some(("“We will act,”", Quote)),
        ),
        ("a changed quote mark", quote, STORY.replace('”', "\""), Some(("“We will act,\"", Fuzzy))),
        (
            "whitespace changes",
            claim,
            STORY.replace("first proposed", "first   proposed"),
            Some(("first proposed in 2022", Position)),
        ),
        (
            "second of two captions stays second",
            second_caption,
            format!("Intro.\n{STORY}"),
            Some(("Pictured: a soldier in Pokrovsk", Quote)),
        ),
        ("the quote is gone", quote, "Nothing left of it.".into(), None),
        ("a short quote does not match fuzzily", span_of(STORY, "2022", 0), STORY.replace("2022", "2023"), None),
    ];
    for (name, span, new, want) in cases {
        let got = reanchor(STORY, span, &new);
        let got = got.as_ref().map(|(t, h)| (t.as_str(), *h));
        assert_eq!(got, want, "{name}");
    }
    // The second caption lands on the second copy, not the first.
    let doc = Document::from_text(&format!("Intro.\n{STORY}"));
    let old = Document::from_text(STORY);
    let q = TextQuote::capture(&old, Span::new(second_caption.0, second_caption.1).expect("valid"));
    let (span, _) =
        Text::new(&doc).anchor(&Selectors { quote: Some(&q), position: Some(second_caption) }).expect("anchored");
    assert_eq!(span.start(), second_caption.0 + 7);
}

#[test]
fn a_stale_position_past_the_end_of_a_shorter_text_is_safe() {
    let q = TextQuote { exact: "a long enough quote".into(), prefix: String::new(), suffix: String::new() };
    for text in ["", "short", "a long enough quotf"] {
        let doc = Document::from_text(text);
        let got = Text::new(&doc).anchor(&Selectors { quote: Some(&q), position: Some((3841, 3860)) });
        assert!(got.is_none_or(|(s, _)| s.end() <= doc.len()), "{text:?}");
    }
}

/// Anchors selectors written the way other tools write them.
fn place(text: &str, exact: &str, prefix: &str, suffix: &str, position: Option<(usize, usize)>) -> Option<String> {
    let doc = Document::from_text(text);
    let q = TextQuote { exact: exact.into(), prefix: prefix.into(), suffix: suffix.into() };
    let (span, _) = Text::new(&doc).anchor(&Selectors { quote: Some(&q), position })?;
    // Which occurrence: the text before it says.
    let before: String = doc.text().chars().take(span.start()).collect();
    Some(format!(
        "{}|{}",
        before.chars().rev().take(8).collect::<String>().chars().rev().collect::<String>(),
        doc.slice(span.start(), span.end())
    ))
}

#[test]
fn selectors_from_other_tools_anchor_exactly() {
    const T: &str = "In May the council met.\nIn June the council voted.\nThe council said no.";
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str, Option<(usize, usize)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        // Raw blank lines and runs of spaces, as textContent counts them.
        ("a quote across a blank line", "met.\n\nIn June", "", "", None, Some("council |met.\nIn June")),
        ("runs of spaces", "the   council\tvoted", "", "", None, Some("In June |the council voted")),
        ("a trailing space at a paragraph's end", "met. ", "", "", None, Some("council |met.\n")),
        // Context decides among identical quotes, even when it does not
        // sit exactly against the quote or lacks its space.
        ("context exactly against", "the council", "In June ", "", None, Some("In June |the council")),
        ("context without its space", "the council", "In June", " voted", None, Some("In June |the council")),
        ("context one word off", "the council", "June", "voted.", None, Some("In June |the council")),
        ("suffix only", "the council", "", " met", None, Some("In May |the council")),
        // No deciding context: the position hint, then the first.
        ("no context, a hint near the second", "the council", "", "", Some((33, 44)), Some("In June |the council")),
        ("no context, no hint", "the council", "", "", None, Some("In May |the council")),
        (
            "an exact occurrence beats a fuzzy one",
            "council said",
            "",
            "",
            Some((8, 20)),
            Some("ed.\nThe |council said"),
        ),
        ("not in the text at all", "a sentence nobody wrote", "", "", None, None),
    ];
    for (name, exact, prefix, suffix, position, want) in cases {
        assert_eq!(place(T, exact, prefix, suffix, position).as_deref(), want, "{name}");
    }
}

#[test]
fn position_alone_or_nothing() {
    let doc = Document::from_text("abcdef");
    let text = Text::new(&doc);
    assert_eq!(text.anchor(&Selectors { quote: None, position: Some((1, 3)) }).map(|x| x.1), Some(How::Position));
    assert_eq!(text.anchor(&Selectors { quote: None, position: Some((4, 9)) }), None);
    assert_eq!(text.anchor(&Selectors { quote: None, position: None }), None);
}

/// A text of numbered paragraphs whose sentences repeat, as a long article's
/// boilerplate does: every quote below occurs once per paragraph.
fn repeated(paragraphs: usize) -> Document {
    let lines: Vec<String> =
        (0..paragraphs).map(|i| format!("[{i}] The council met. The mayor said no to the plan.")).collect();
    Document::from_paragraphs(&lines)
}

/// Where `needle` starts in paragraph `p` of [`repeated`]'s text.
fn find_in(doc: &Document, p: usize, needle: &str) -> usize {
    let para = &doc.paragraphs()[p];
    para.start() + para.text().find(needle).map_or(0, |b| para.text()[..b].chars().count())
}

fn plan_in(doc: &Document, p: usize) -> usize {
    find_in(doc, p, "the plan")
}

#[test]
fn real_world_selector_shapes() {
    let doc = repeated(40);
    let text = Text::new(&doc);
    let at = |p: usize| plan_in(&doc, p);
    let quote = |exact: &str, prefix: &str, suffix: &str| TextQuote {
        exact: exact.into(),
        prefix: prefix.into(),
        suffix: suffix.into(),
    };
    type Case<'a> = (&'a str, TextQuote, Option<(usize, usize)>, Option<(usize, How, Decided)>);
    let cases: Vec<Case> = vec![
        // Positions counted over a text with a blank line between paragraphs:
        // off by one per paragraph before, searched outward from the hint.
        (
            "hint off by 1 per paragraph",
            quote("the plan", "", ""),
            Some((at(20) + 20, at(20) + 28)),
            Some((at(20), How::Quote, Decided::Hint)),
        ),
        (
            "hint off by 3 per paragraph",
            quote("the plan", "", ""),
            Some((at(8) + 24, at(8) + 32)),
            Some((at(8), How::Quote, Decided::Hint)),
        ),
        // What stays ambiguous: identical copies, no deciding context, and a
        // hint off by more than half the gap between them: the nearer wins.
        (
            "drift past half the gap between copies",
            quote("the plan", "", ""),
            Some((at(30) + 30, at(30) + 38)),
            Some((at(31), How::Quote, Decided::Hint)),
        ),
        (
            "hint off by a constant",
            quote("the plan", "", ""),
            Some((at(7) - 12, at(7) - 4)),
            Some((at(7), How::Quote, Decided::Hint)),
        ),
        (
            "hint past the end",
            quote("the plan", "", ""),
            Some((1_000_000, 1_000_008)),
            Some((at(39), How::Quote, Decided::Hint)),
        ),
        ("no hint: the first", quote("the plan", "", ""), None, Some((at(0), How::Quote, Decided::First))),
        // Context names the paragraph, whatever the hint says.
        (
            "context decides over the hint",
            quote("The council", "[12] ", ""),
            Some((5, 16)),
            Some((find_in(&doc, 12, "The council"), How::Quote, Decided::Context)),
        ),
        (
            "trimmed context",
            quote("The council", "[12]", ""),
            None,
            Some((find_in(&doc, 12, "The council"), How::Quote, Decided::Context)),
        ),
        (
            "context longer than 32",
            quote("the plan", "[21] The council met. The mayor said no to ", ""),
            None,
            Some((at(21), How::Quote, Decided::Context)),
        ),
        (
            "context shorter than 32",
            quote("the plan", "", ".\n[9] The"),
            None,
            Some((at(8), How::Quote, Decided::Context)),
        ),
        (
            "raw whitespace in quote and context",
            quote("plan.\n\n[5]   The", "to the ", ""),
            None,
            Some((at(4) + 4, How::Quote, Decided::Only)),
        ),
        (
            "exact position",
            quote("the plan", "", ""),
            Some((at(3), at(3) + 8)),
            Some((at(3), How::Position, Decided::Only)),
        ),
        (
            "an empty quote: the position alone",
            quote("", "", ""),
            Some((at(3), at(3) + 8)),
            Some((at(3), How::Position, Decided::Only)),
        ),
        ("an empty quote and no position", quote("", "", ""), None, None),
    ];
    for (name, q, position, want) in cases {
        let got = text.place(&Selectors { quote: Some(&q), position }).map(|a| (a.span.start(), a.how, a.decided));
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_long_quote_is_matched_fuzzily_within_bounds() {
    // A 10 KB quote in a long text, one word in each 500 changed: found
    // where it is, or orphaned when it is not there at all.
    let words: Vec<String> = (0..30_000).map(|i| format!("w{i}")).collect();
    let doc = Document::from_text(&words.join(" "));
    let start = words[..12_000].iter().map(|w| w.chars().count() + 1).sum::<usize>();
    let exact: String = doc.slice(start, start + 10_000);
    let changed: String = exact
        .split(' ')
        .enumerate()
        .map(|(i, w)| if i % 500 == 7 { "CHANGED" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    let text = Text::new(&doc);
    let q = TextQuote { exact: changed, prefix: String::new(), suffix: String::new() };
    let found = text.place(&Selectors { quote: Some(&q), position: None }).expect("found fuzzily");
    assert_eq!(found.how, How::Fuzzy);
    assert!(found.span.start().abs_diff(start) <= 8 && found.span.end().abs_diff(start + 10_000) <= 8, "{found:?}");
    assert!(found.score > 0.98, "{found:?}");
    let absent = TextQuote { exact: "zq ".repeat(3_400), prefix: String::new(), suffix: String::new() };
    assert_eq!(text.place(&Selectors { quote: Some(&absent), position: Some((500, 10_700)) }), None);
}

proptest! {
    #[test]
    fn unchanged_text_gives_back_the_original_span(
        lines in prop::collection::vec("[a-c😀]{1,10}", 1..4),
        a in 0usize..1000, w in 0usize..1000,
    ) {
        let doc = Document::from_paragraphs(&lines);
        let a = a % doc.len();
        let w = 1 + w % (doc.len() - a);
        let span = Span::new(a, a + w).expect("valid");
        let q = TextQuote::capture(&doc, span);
        let got = Text::new(&doc).anchor(&Selectors { quote: Some(&q), position: Some((a, a + w)) });
        prop_assert_eq!(got, Some((span, How::Position)));
    }

    #[test]
    fn a_quote_present_in_the_text_is_never_placed_on_other_text(
        lines in prop::collection::vec("[ab😀 ]{1,12}", 1..5),
        a in 0usize..1000, w in 0usize..1000,
        prefix in "[ab\n ]{0,8}", suffix in "[ab\n ]{0,8}", hint in proptest::option::of(0usize..80),
        raw in proptest::bool::ANY,
    ) {
        let doc = Document::from_paragraphs(&lines);
        prop_assume!(!doc.is_empty());
        let a = a % doc.len();
        let w = 1 + w % (doc.len() - a);
        let wanted = doc.slice(a, a + w);
        // As another tool may write it: paragraph breaks as blank lines.
        let exact = if raw { wanted.replace('\n', "\n\n") } else { wanted.clone() };
        let q = TextQuote { exact, prefix, suffix };
        let selectors = Selectors { quote: Some(&q), position: hint.map(|h| (h, h + w)) };
        let got = Text::new(&doc).anchor(&selectors);
        // Scanning and the q-gram index find the same.
        prop_assert_eq!(Text::indexed(&doc).anchor(&selectors), got);
        let (span, how) = got.expect("an exact occurrence is always found");
        prop_assert_ne!(how, How::Fuzzy);
        let placed = doc.slice(span.start(), span.end());
        // The same text, up to what whitespace separates it.
        prop_assert_eq!(collapse_whitespace(&placed), collapse_whitespace(&wanted));
    }

    #[test]
    fn any_anchor_is_inside_the_text(
        old in "[a-d😀][a-d😀 \n]{0,40}", new in "[a-d😀 \n]{0,40}",
        a in 0usize..1000, w in 0usize..1000, p in 0usize..60,
    ) {
        let old_doc = Document::from_text(&old);
        let a = a % old_doc.len();
        let w = 1 + w % (old_doc.len() - a);
        let q = TextQuote::capture(&old_doc, Span::new(a, a + w).expect("valid"));
        let new_doc = Document::from_text(&new);
        if let Some((span, _)) = Text::new(&new_doc).anchor(&Selectors { quote: Some(&q), position: Some((p, p + w)) }) {
            prop_assert!(span.end() <= new_doc.len());
            // Code points, so never inside a surrogate pair or UTF-8 sequence.
            prop_assert!(!new_doc.slice(span.start(), span.end()).is_empty());
        }
    }

    /// Placing what anchoring captured gives it back where it is.
    #[test]
    fn anchoring_is_idempotent(
        lines in prop::collection::vec("[ab😀 ]{1,12}", 1..5),
        exact in "[ab]{1,6}", prefix in "[ab ]{0,6}", hint in proptest::option::of(0usize..80),
    ) {
        let doc = Document::from_paragraphs(&lines);
        let text = Text::new(&doc);
        let q = TextQuote { exact, prefix, suffix: String::new() };
        if let Some(first) = text.place(&Selectors { quote: Some(&q), position: hint.map(|h| (h, h + 3)) }) {
            let again = TextQuote::capture(&doc, first.span);
            let second = text.place(&Selectors { quote: Some(&again), position: Some((first.span.start(), first.span.end())) });
            prop_assert_eq!(second.map(|a| (a.span, a.how)), Some((first.span, How::Position)));
        }
    }
}

/// A quote that occurs once is decided by being the only one, even when it
/// is shorter than a q-gram (every position of its first letter is a
/// candidate, and only one holds it) and has context.
#[test]
fn a_short_quote_that_occurs_once_is_the_only_one() {
    let doc = Document::from_text("We told them the old bridge would hold.\nOthers were bold.");
    let text = Text::indexed(&doc);
    // "bri": its first letter starts "bridge" and "bold"; only one holds it.
    let q = TextQuote { exact: "bri".into(), prefix: "the old ".into(), suffix: "dge".into() };
    let got = text.place(&Selectors { quote: Some(&q), position: None }).map(|a| (a.span.start(), a.decided));
    assert_eq!(got, Some((21, Decided::Only)));
    // And a quote that does occur more than once is decided by its context.
    let q = TextQuote { exact: "old".into(), prefix: "the ".into(), suffix: " bridge".into() };
    let got = text.place(&Selectors { quote: Some(&q), position: None }).map(|a| a.decided);
    assert_eq!(got, Some(Decided::Context));
}
