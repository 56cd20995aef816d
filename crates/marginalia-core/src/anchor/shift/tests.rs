//! The diff's laws (proptest) and a table of host edits around repeated text.

use super::*;
use proptest::prelude::*;

/// The length of a longest common subsequence, by the textbook table.
fn lcs(a: &[u8], b: &[u8]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    row[b.len()]
}

/// Runs that are equal, in order, and do not overlap.
fn valid(a: &[u8], b: &[u8], runs: &[Run]) -> bool {
    let equal = runs.iter().all(|r| a[r.a..r.a + r.len] == b[r.b..r.b + r.len]);
    let ordered = runs.windows(2).all(|w| w[0].a + w[0].len <= w[1].a && w[0].b + w[0].len <= w[1].b);
    equal && ordered
}

proptest! {
    #[test]
    fn myers_keeps_a_longest_common_subsequence(a in "[abc]{0,40}", b in "[abc]{0,40}") {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let runs = myers(a, b, 200).expect("within the bound");
        prop_assert!(valid(a, b, &runs));
        prop_assert_eq!(runs.iter().map(|r| r.len).sum::<usize>(), lcs(a, b));
    }

    #[test]
    fn past_the_bound_the_common_ends_are_kept(a in "[ab]{0,30}", b in "[ab]{0,30}") {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let runs = diff(a, b, 1);
        prop_assert!(valid(a, b, &runs));
    }

    /// Any edit of any text: every kept stretch is the same text on both
    /// sides, and a span inside one maps onto the same characters.
    #[test]
    fn kept_text_is_the_same_text(old in "[ab\n ]{0,60}", new in "[ab\n ]{0,60}") {
        let (old, new) = (Document::from_text(&old), Document::from_text(&new));
        let shift = Shift::between(&old, &new);
        for k in shift.kept() {
            prop_assert_eq!(old.slice(k.old, k.old + k.len), new.slice(k.new, k.new + k.len));
        }
        for k in shift.kept() {
            let span = Span::new(k.old, k.old + k.len).expect("kept runs are not empty");
            prop_assert_eq!(shift.span(span), Shifted::To(Span::new(k.new, k.new + k.len).expect("valid")));
        }
        // From the outline alone (paragraph by paragraph), the same holds.
        let by_outline = Shift::from_outline(&outline(&old), &new).expect("an outline reads");
        for k in by_outline.kept() {
            prop_assert_eq!(old.slice(k.old, k.old + k.len), new.slice(k.new, k.new + k.len));
        }
    }
}

const CAPTION: &str = "Pictured: the barrier at Millbridge";
const ABOVE: &str = "A paragraph of about fifty characters, added now.";

/// The article: a caption printed twice with a paragraph between.
fn story(before: &str, between: &str, after: &str) -> String {
    [before, "The council voted on Monday.", CAPTION, between, CAPTION, "It opens in May.", after]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn nth(text: &str, needle: &str, n: usize) -> Span {
    let byte = text.match_indices(needle).nth(n).expect("present").0;
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count()).expect("valid")
}

#[test]
fn a_span_follows_its_own_copy_through_edits_elsewhere() {
    let old = story("", "Its builders said so.", "");
    // (what the host did, the new text, which copy the old second copy is now)
    let cases: Vec<(&str, String, usize)> = vec![
        ("a paragraph inserted above both", story(ABOVE, "Its builders said so.", ""), 1),
        ("a paragraph inserted between", story("", &format!("{ABOVE}\nIts builders said so."), ""), 1),
        ("a paragraph inserted after both", story("", "Its builders said so.", ABOVE), 1),
        ("the paragraph between deleted", story("", "", ""), 1),
        ("a word replaced above", story("", "Its builders said so.", "").replace("Monday", "Friday"), 1),
        ("a word replaced between", story("", "Its engineers said so.", ""), 1),
        ("the first copy deleted", old.replacen(&format!("{CAPTION}\n"), "", 1), 0),
        ("a third copy inserted above", story(CAPTION, "Its builders said so.", ""), 2),
    ];
    for (what, new, copy) in cases {
        for word in ["Pictured: the barrier at Millbridge", "barrier", "the"] {
            let at = nth(&old, CAPTION, 1);
            let offset = CAPTION.find(word).expect("in the caption");
            let start = at.start() + CAPTION[..offset].chars().count();
            let span = Span::new(start, start + word.chars().count()).expect("valid");
            let shift = Shift::between(&Document::from_text(&old), &Document::from_text(&new));
            let moved = nth(&new, CAPTION, copy);
            let want = Span::new(moved.start() + (start - at.start()), moved.start() + (span.end() - at.start()));
            assert_eq!(shift.span(span), Shifted::To(want.expect("valid")), "{what}: {word:?}");
        }
    }
}

#[test]
fn a_span_in_edited_text_is_only_near() {
    let old = story("", "Its builders said so.", "");
    let cases: Vec<(&str, String, &str)> = vec![
        ("its word replaced", old.replace("on Monday", "on Friday"), "Monday"),
        ("a word inserted inside it", old.replace("voted on Monday", "voted late on Monday"), "voted on Monday"),
        ("its paragraph deleted", old.replace("Its builders said so.\n", ""), "builders"),
    ];
    for (what, new, word) in cases {
        let span = nth(&old, word, 0);
        let shift = Shift::between(&Document::from_text(&old), &Document::from_text(&new));
        let got = shift.span(span);
        let near = match got {
            Shifted::Near(at) => at,
            Shifted::To(span) if new.chars().skip(span.start()).take(span.len()).collect::<String>() != word => {
                span.start()
            }
            Shifted::To(span) => panic!("{what}: {word:?} still mapped whole, to {span:?}"),
        };
        // The hint is where the edit is, not the old position.
        assert!(near.abs_diff(span.start()) <= 30, "{what}: hint {near} for {span:?}");
    }
}

#[test]
fn a_whole_rewrite_keeps_only_its_common_ends() {
    // Thousands of paragraphs, all different on each side: past the bound,
    // only the common ends (none here) are kept.
    let old: Vec<String> = (0..3000).map(|i| format!("Old paragraph {i}.")).collect();
    let new: Vec<String> = (0..3000).map(|i| format!("New paragraph {i}.")).collect();
    let shift = Shift::between(&Document::from_paragraphs(&old), &Document::from_paragraphs(&new));
    assert!(shift.kept().iter().all(|k| k.len < 40), "{:?}", &shift.kept()[..3.min(shift.kept().len())]);
}

#[test]
fn a_bad_outline_reads_as_none() {
    let doc = Document::from_text("One.\nTwo.");
    for bad in ["4", "4.zz", "x.0000abcd", "4.00000001 two"] {
        assert_eq!(Shift::from_outline(bad, &doc), None, "{bad:?}");
    }
    assert!(Shift::from_outline("", &doc).is_some_and(|s| s.kept().is_empty()));
    assert_eq!(Shift::from_outline(&outline(&doc), &doc).map(|s| s.kept().len()), Some(1));
}
