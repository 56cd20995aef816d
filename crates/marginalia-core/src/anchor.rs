//! Anchoring: where an annotation belongs in a (possibly changed) text.
//!
//! In order, like Hypothesis: the old position if the text there is still
//! the quote; else the exact quote whose prefix and suffix fit best, nearest
//! the old position; else a fuzzy match of the quote (bounded edit distance)
//! scored on quote, context and distance, refused below a threshold that is
//! stricter for short quotes; else nothing, and the caller keeps the
//! annotation as an orphan. A span returned is always inside the text.

use crate::annotation::{Annotation, TextQuote};
use crate::document::Document;
use crate::span::Span;

/// Annotations placed in a (changed) text: those that fit, moved where
/// needed, and the orphans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    pub anchored: Vec<Annotation>,
    pub orphaned: Vec<Annotation>,
    /// How many of `anchored` moved to follow an edit.
    pub moved: usize,
}

/// Places each annotation in `doc`: where its quote still is at its span,
/// else by the rules above (quote and context, then fuzzy), its quote and
/// context captured again there; else orphaned, never dropped.
pub fn place_all(doc: &Document, items: impl IntoIterator<Item = Annotation>) -> Placed {
    let mut placed = Placed::default();
    let mut text = None; // built only if something moved
    for mut a in items {
        if a.is_anchored_in(doc) {
            placed.anchored.push(a);
            continue;
        }
        let text = text.get_or_insert_with(|| Text::new(doc));
        let selectors = Selectors { quote: Some(&a.quote), position: Some((a.span.start(), a.span.end())) };
        match text.anchor(&selectors) {
            Some((span, _)) => {
                a.span = span;
                a.quote = TextQuote::capture(doc, span);
                placed.moved += 1;
                placed.anchored.push(a);
            }
            None => placed.orphaned.push(a),
        }
    }
    placed
}

/// How an annotation was anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Position,
    Quote,
    Fuzzy,
}

/// What anchoring needs: the quote, and where it was (if known).
#[derive(Clone, Debug)]
pub struct Selectors<'a> {
    pub quote: Option<&'a TextQuote>,
    pub position: Option<(usize, usize)>,
}

/// The document text as code points, built once for many annotations,
/// with its paragraph breaks read as spaces: selectors from other tools
/// count a text with blank lines and raw whitespace, and are read the way
/// the document text is built (every whitespace run one space), so a
/// quote spanning two paragraphs matches whatever whitespace it carries.
/// The document text's own whitespace is single already, so positions are
/// the same in both.
pub struct Text {
    chars: Vec<char>,
}

/// Every run of ASCII whitespace as one space: the document text's rule,
/// applied to a selector's `exact`, `prefix` or `suffix`. Not trimmed: a
/// quote's own leading or trailing space is part of what it selects.
pub fn collapse_whitespace(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if out.last() != Some(&' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Text {
    pub fn new(doc: &Document) -> Text {
        Text { chars: doc.text().chars().map(|c| if c.is_ascii_whitespace() { ' ' } else { c }).collect() }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    fn slice_eq(&self, start: usize, quote: &[char]) -> bool {
        self.chars.get(start..start + quote.len()) == Some(quote)
    }

    /// Anchors by the rules above; `None` means orphaned.
    pub fn anchor(&self, s: &Selectors) -> Option<(Span, How)> {
        let len = self.len();
        let position = s.position.and_then(|(a, b)| Span::new(a, b).ok()).filter(|p| p.end() <= len);
        let Some(q) = s.quote.filter(|q| !q.exact.is_empty()) else {
            return position.map(|p| (p, How::Position));
        };
        let exact = collapse_whitespace(&q.exact);
        if let Some(p) = position {
            if p.len() == exact.len() && self.slice_eq(p.start(), &exact) {
                return Some((p, How::Position));
            }
        }
        let near = s.position.map(|(a, _)| a);
        if let Some(span) = self.exact(q, &exact, near) {
            return Some((span, How::Quote));
        }
        self.fuzzy(q, &exact, near).map(|span| (span, How::Fuzzy))
    }

    /// Every occurrence of the quote: the best context first (fuzzy: a
    /// prefix that does not end exactly at the quote, or lacks a space,
    /// still counts for what it shares), then the nearest to the position
    /// hint, then the first.
    fn exact(&self, q: &TextQuote, exact: &[char], near: Option<usize>) -> Option<Span> {
        let (prefix, suffix) = (collapse_whitespace(&q.prefix), collapse_whitespace(&q.suffix));
        let (Some(&first), Some(last_start)) = (exact.first(), self.len().checked_sub(exact.len())) else {
            return None;
        };
        let mut best: Option<(f64, usize, usize)> = None; // (context, distance, start)
        for start in 0..=last_start {
            if self.chars[start] != first || !self.slice_eq(start, exact) {
                continue;
            }
            let context = self.context(start, start + exact.len(), &prefix, &suffix);
            let distance = near.map_or(0, |n| n.abs_diff(start));
            let better =
                best.is_none_or(|(c, d, _)| context > c + 1e-9 || ((context - c).abs() <= 1e-9 && distance < d));
            if better {
                best = Some((context, distance, start));
            }
        }
        best.and_then(|(_, _, start)| Span::new(start, start + exact.len()).ok())
    }

    /// How well prefix and suffix agree with the text around `[start, end)`,
    /// each side in [0, 1]: the share of its characters in order in a window
    /// a little wider than itself (a longest common subsequence), so a
    /// context one character off, or missing a space, still scores. A
    /// missing context is neutral (one half), the same for every occurrence.
    fn context(&self, start: usize, end: usize, prefix: &[char], suffix: &[char]) -> f64 {
        const SLACK: usize = 4;
        let before = {
            let from = start.saturating_sub(prefix.len() + SLACK);
            similarity(prefix, &self.chars[from..start])
        };
        let after = {
            let to = (end + suffix.len() + SLACK).min(self.len());
            similarity(suffix, &self.chars[end..to])
        };
        before + after
    }

    /// The best approximate occurrence within a window around the old
    /// position (the whole text when there is none), by Sellers' algorithm:
    /// edit distance with a free start, tracking where each match began.
    fn fuzzy(&self, q: &TextQuote, exact: &[char], near: Option<usize>) -> Option<Span> {
        let m = exact.len();
        let allowed = allowed_errors(m)?;
        let (from, to) = match near {
            Some(n) => {
                let reach = 2000 + 4 * m;
                (n.saturating_sub(reach), (n + m + reach).min(self.len()))
            }
            None => (0, self.len()),
        };
        // A stale position may lie past the end of a shorter text.
        let from = from.min(to);
        let window = &self.chars[from..to];
        // cost[i], start[i]: best edit distance of exact[..i] ending here.
        let mut cost: Vec<usize> = (0..=m).collect();
        let mut start: Vec<usize> = vec![0; m + 1];
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new(); // (errors, start, end) in window
        for (j, &c) in window.iter().enumerate() {
            let (mut diag_cost, mut diag_start) = (0, j); // row 0: a match may begin anywhere
            let (mut prev_cost, mut prev_start) = (0, j + 1);
            cost[0] = 0;
            start[0] = j + 1;
            for i in 1..=m {
                let (up_cost, up_start) = (cost[i], start[i]);
                let sub = diag_cost + usize::from(exact[i - 1] != c);
                let (mut best_cost, mut best_start) = (sub, diag_start);
                if up_cost + 1 < best_cost {
                    (best_cost, best_start) = (up_cost + 1, up_start);
                }
                if prev_cost + 1 < best_cost {
                    (best_cost, best_start) = (prev_cost + 1, prev_start);
                }
                (diag_cost, diag_start) = (up_cost, up_start);
                cost[i] = best_cost;
                start[i] = best_start;
                (prev_cost, prev_start) = (best_cost, best_start);
            }
            if cost[m] <= allowed && start[m] <= j {
                candidates.push((cost[m], start[m], j + 1));
            }
        }
        let (prefix, suffix) = (collapse_whitespace(&q.prefix), collapse_whitespace(&q.suffix));
        let score = |&(errors, s, e): &(usize, usize, usize)| {
            let (s, e) = (s + from, e + from);
            let quote = 1.0 - errors as f64 / m as f64;
            let context = self.context(s, e, &prefix, &suffix) / 2.0;
            let distance = near.map_or(0.0, |n| n.abs_diff(s) as f64 / (self.len().max(1)) as f64);
            quote * 0.7 + context * 0.2 - distance * 0.1
        };
        let best = candidates.iter().max_by(|a, b| score(a).total_cmp(&score(b)))?;
        Span::new(best.1 + from, best.2 + from).ok()
    }
}

/// The share of `context`'s characters found in order in `window` (their
/// longest common subsequence), or one half when there is no context.
fn similarity(context: &[char], window: &[char]) -> f64 {
    if context.is_empty() {
        return 0.5;
    }
    let mut row = vec![0usize; window.len() + 1];
    for &c in context {
        let mut diagonal = 0;
        for (j, &w) in window.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if c == w { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    row[window.len()] as f64 / context.len() as f64
}

/// The edit distance a quote of `m` code points may be off by, or `None`
/// when it is too short to match fuzzily at all: short quotes are where a
/// loose match lands on the wrong words.
fn allowed_errors(m: usize) -> Option<usize> {
    match m {
        0..=7 => None,
        8..=19 => Some(1),
        _ => Some(m / 5),
    }
}

#[cfg(test)]
mod tests {
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
            let got = Text::new(&doc).anchor(&Selectors { quote: Some(&q), position: hint.map(|h| (h, h + w)) });
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
    }
}
