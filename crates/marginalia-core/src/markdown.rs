//! Reader text as CommonMark (and GitHub's extensions) that shows it as
//! typed: a backslash only before a character that could start or end
//! markup where it stands, so "£12.6 million, (2024)" stays as written and
//! `[x](javascript:…)`, `<img …>` or `*this*` cannot become a link, HTML or
//! emphasis. Link destinations are percent-encoded instead.

/// Where in a line the text is written: what could become markup depends
/// on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Within a line, after text of ours (a label, an opening quote mark,
    /// a link's bracket): no block can start here.
    Inline,
    /// At the start of a line, where `#`, `>`, `-`, `+`, `=` or `1.` begin
    /// a block. Leading spaces are dropped: four would begin code.
    LineStart,
    /// The end of an ATX heading, where a last run of `#` would close it.
    Heading,
    /// A GFM table cell, where `|` would end the cell.
    TableCell,
}

/// `text` as CommonMark showing it literally at `place`. Line breaks and
/// other controls become spaces, so the text cannot begin a line of its own.
pub fn md_text(text: &str, place: Place) -> String {
    let flat: Vec<char> = text.chars().map(|c| if is_break(c) { ' ' } else { c }).collect();
    let skip = if place == Place::LineStart { flat.iter().take_while(|c| **c == ' ').count() } else { 0 };
    let chars = &flat[skip..];
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if needs_escape(chars, i, place) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn is_break(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Whether `chars[i]` could start or end markup where it stands. A
/// neighbour outside the text counts as neither space nor letter: what
/// the report writes around it is not the text's to rely on.
fn needs_escape(chars: &[char], i: usize, place: Place) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|j| chars[j]);
    let next = chars.get(i + 1).copied();
    let spaced = |n: Option<char>| n.is_some_and(char::is_whitespace);
    let wordy = |n: Option<char>| n.is_some_and(char::is_alphanumeric);
    if place == Place::LineStart && starts_block(chars, i) {
        return true;
    }
    match c {
        // Before punctuation it would escape it; at the end, the report's
        // next character (or, at a line's end, make a hard line break).
        '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
        // Code spans, links and images: any one could pair with another.
        '`' | '[' | ']' => true,
        '!' => next == Some('['),
        // Emphasis and strikethrough: a delimiter with a space on both
        // sides can neither open nor close one.
        '*' | '~' => !(spaced(prev) && spaced(next)),
        // `_` inside a word (snake_case) cannot either.
        '_' => !((spaced(prev) && spaced(next)) || (wordy(prev) && wordy(next))),
        // A tag, a comment or an autolink needs a character right after `<`.
        '<' => !spaced(next),
        '&' => entity_follows(&chars[i + 1..]),
        '|' => place == Place::TableCell,
        '#' => place == Place::Heading && closes_heading(chars, i),
        // GitHub's extended autolinks: `https://…`, `www.…`, `a@b.org`.
        ':' => prev.is_some_and(|p| p.is_ascii_alphabetic()) && chars[i + 1..].starts_with(&['/', '/']),
        '.' => starts_www(chars, i),
        '@' => prev.is_some_and(is_email_char) && next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '_'),
        _ => false,
    }
}

/// At a line's start: a heading, block quote, list item, thematic break,
/// setext underline or code fence marker, or an ordered list's `1.`/`1)`.
fn starts_block(chars: &[char], i: usize) -> bool {
    if i == 0 {
        return matches!(chars[0], '#' | '>' | '-' | '+' | '=' | '*' | '_' | '~' | '`');
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=9).contains(&digits) && i == digits && matches!(chars[i], '.' | ')')
}

/// `&` followed by what a renderer would read as an entity: `&amp;`,
/// `&#106;`, `&#x6A;`.
fn entity_follows(rest: &[char]) -> bool {
    let end = rest.iter().position(|c| *c == ';');
    let Some(end) = end.filter(|e| *e > 0 && *e <= 33) else { return false };
    let name = &rest[..end];
    match name {
        ['#', 'x' | 'X', hex @ ..] => (1..=6).contains(&hex.len()) && hex.iter().all(char::is_ascii_hexdigit),
        ['#', dec @ ..] => (1..=7).contains(&dec.len()) && dec.iter().all(char::is_ascii_digit),
        [first, more @ ..] => first.is_ascii_alphabetic() && more.iter().all(char::is_ascii_alphanumeric),
        [] => false,
    }
}

/// Whether the `#` at `i` is in a run that ends the heading (only spaces
/// after it) and follows a space or the text's start: CommonMark drops
/// such a run as the heading's closing sequence.
fn closes_heading(chars: &[char], i: usize) -> bool {
    let start = chars[..i].iter().rposition(|c| *c != '#').map_or(0, |p| p + 1);
    let end = chars[i..].iter().position(|c| *c != '#').map_or(chars.len(), |p| i + p);
    let after_is_blank = chars[end..].iter().all(|c| *c == ' ');
    after_is_blank && (start == 0 || chars[start - 1] == ' ')
}

/// The `.` of `www.` at a word's start.
fn starts_www(chars: &[char], i: usize) -> bool {
    i >= 3
        && chars[i - 3..i].iter().all(|c| c.eq_ignore_ascii_case(&'w'))
        && (i == 3 || !chars[i - 4].is_alphanumeric())
}

fn is_email_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '_' | '-')
}

/// A checked web address as a link destination: anything but what a URL
/// needs literally is percent-encoded, so a `)`, `<`, `>`, space, quote or
/// backslash can neither end the destination early nor be taken as an
/// escape. Non-ASCII letters stay, as a browser shows them. `&` stays too:
/// it separates query parameters, and the scheme is already fixed to
/// http(s) by [`crate::review::is_web_url`], so an entity cannot make it
/// `javascript:`.
pub fn md_url(url: &str) -> String {
    const KEEP: &str = "-._~:/?#[]@!$&'*+,;=%";
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let keep = if c.is_ascii() {
            c.is_ascii_alphanumeric() || KEEP.contains(c)
        } else {
            !c.is_whitespace() && !c.is_control()
        };
        if keep {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
pub(crate) mod tests;
