//! What CommonMark escaping does and does not escape, where; that reading
//! the escapes back gives the text as typed; link destinations.

use super::*;
use proptest::prelude::*;

/// CommonMark's reading of backslash escapes: a backslash before ASCII
/// punctuation shows that character; before anything else it is itself.
pub(crate) fn shown(md: &str) -> String {
    let mut out = String::new();
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.next_if(|n| c == '\\' && n.is_ascii_punctuation()) {
            Some(escaped) => out.push(escaped),
            None => out.push(c),
        }
    }
    out
}

#[test]
fn what_is_and_is_not_escaped() {
    use Place::*;
    let cases: &[(&str, Place, &str)] = &[
        // Ordinary punctuation stays as written.
        ("£12.6 million last year, up (from 9.1).", Inline, "£12.6 million last year, up (from 9.1)."),
        ("Note: it's \"the\" 2024–25 figure - roughly", Inline, "Note: it's \"the\" 2024–25 figure - roughly"),
        ("50% of 3/4; a=b? yes! {ok} $5 #1 ^2", Inline, "50% of 3/4; a=b? yes! {ok} $5 #1 ^2"),
        ("AT&T and Q&A, 2 > 1, a < b, x | y", Inline, "AT&T and Q&A, 2 > 1, a < b, x | y"),
        ("snake_case and 2 * 3 and ~ alone", Inline, "snake_case and 2 * 3 and ~ alone"),
        ("1. not a list mid-line - nor this + that", Inline, "1. not a list mid-line - nor this + that"),
        ("Zoë 東京 — “ok” 😀 עברית", Inline, "Zoë 東京 — “ok” 😀 עברית"),
        // Links, images, code, HTML, autolinks, entities.
        ("[a](javascript:alert(1))", Inline, "\\[a\\](javascript:alert(1))"),
        ("![img](x.png)", Inline, "\\!\\[img\\](x.png)"),
        ("`code`", Inline, "\\`code\\`"),
        ("<script>alert(1)</script>", Inline, "\\<script>alert(1)\\</script>"),
        ("<https://evil.example> <a@b.org>", Inline, "\\<https\\://evil.example> \\<a\\@b.org>"),
        ("&amp; &#106; &#x6A; but &b=2 and & alone", Inline, "\\&amp; \\&#106; \\&#x6A; but &b=2 and & alone"),
        // Emphasis and strikethrough, where a delimiter could open or close.
        ("**bold** _it_ ~~gone~~", Inline, "\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~"),
        ("a*b _x", Inline, "a\\*b \\_x"),
        // Backslashes: before punctuation or at the end.
        ("back\\slash, \\* and end\\", Inline, "back\\slash, \\\\\\* and end\\\\"),
        // GitHub's extended autolinks.
        ("see https://x.org or www.y.org or ana@z.org", Inline, "see https\\://x.org or www\\.y.org or ana\\@z.org"),
        ("awww.no and a@ b", Inline, "awww.no and a@ b"),
        // At a line's start, block markers.
        ("# heading", LineStart, "\\# heading"),
        ("> quoted", LineStart, "\\> quoted"),
        ("- item", LineStart, "\\- item"),
        ("+ item", LineStart, "\\+ item"),
        ("===", LineStart, "\\==="),
        ("12. item", LineStart, "12\\. item"),
        ("3) item", LineStart, "3\\) item"),
        ("    code", LineStart, "code"),
        ("2024. A year", Inline, "2024. A year"),
        // The end of a heading: a run of `#` after a space would close it.
        ("C # and C#", Heading, "C # and C#"),
        ("Issue ##", Heading, "Issue \\#\\#"),
        ("C#", Heading, "C#"),
        // In a table cell, the cell's end.
        ("a | b", TableCell, "a \\| b"),
        // Line breaks and controls.
        ("one\ntwo\r\nthree\u{2028}four\tfive", Inline, "one two  three four five"),
        ("", Inline, ""),
    ];
    for (text, place, want) in cases {
        assert_eq!(md_text(text, *place), *want, "{text:?} at {place:?}");
    }
}

#[test]
fn the_escapes_read_back_as_the_text() {
    for text in ["[a](b) <i>x</i> **y** _z_ `c` &amp; \\ ! # > | ~", "C:\\Users\\ana", "a\\\\*b*"] {
        assert_eq!(shown(&md_text(text, Place::Inline)), text);
    }
}

proptest! {
    /// Escaping only adds backslashes CommonMark reads away: the reader
    /// sees exactly what was typed (with line breaks as spaces).
    #[test]
    fn any_text_reads_back_as_typed(text in r"[a-z0-9 \\`*_~\[\]()<>!&#;:/.@|=+\-'éø東😀]{0,40}") {
        prop_assert_eq!(shown(&md_text(&text, Place::Inline)), text.clone());
        prop_assert_eq!(shown(&md_text(&text, Place::Heading)), text);
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
