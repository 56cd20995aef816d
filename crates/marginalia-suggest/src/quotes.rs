//! Quotes: speech between matching quotation marks, never an apostrophe;
//! a quotation that runs on into the next paragraph (the wires' convention:
//! no closing mark, the next paragraph opens with one); and not a short
//! phrase in quotes that nobody is said to have said (a scare quote).

use super::words::CUES;

fn closer_of(open: char) -> Option<&'static [char]> {
    Some(match open {
        '“' => &['”'],
        '«' => &['»'],
        '„' => &['“', '”'],
        '‘' => &['’'],
        '"' => &['"'],
        '\'' => &['\''],
        _ => return None,
    })
}

/// Whether `chars[i]`, a single-quote or straight mark, stands at a word's
/// edge (so it quotes) rather than inside a word (an apostrophe).
fn opens_at(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j]);
    let after = chars.get(i + 1).copied();
    before.is_none_or(|c| c.is_whitespace() || "([—–-:".contains(c)) && after.is_some_and(|c| !c.is_whitespace())
}

fn closes_at(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j]);
    let after = chars.get(i + 1).copied();
    before.is_some_and(|c| !c.is_whitespace()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// Whether a paragraph opens with a quotation mark: one that continues a
/// quotation left open at the end of the paragraph before.
pub(super) fn opens_quoted(text: &str) -> bool {
    text.chars().next().is_some_and(is_opening_mark)
}

/// A mark a quotation opens with.
pub(super) fn is_opening_mark(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '«' | '„' | '\'')
}

/// Spans `[a, b)` of quoted speech in one paragraph, marks included. With
/// `runs_on` (the next paragraph opens with a quotation mark), a quotation
/// left open runs to the paragraph's end.
pub(super) fn quotes(chars: &[char], runs_on: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some(closers) = closer_of(c) else {
            i += 1;
            continue;
        };
        let ambiguous = matches!(c, '‘' | '"' | '\'');
        if ambiguous && !opens_at(chars, i) {
            i += 1;
            continue;
        }
        // The matching closer: for ‘ and ', one that ends a word (not Britain’s).
        let close = (i + 1..chars.len())
            .find(|&j| closers.contains(&chars[j]) && (!matches!(chars[j], '’' | '\'' | '"') || closes_at(chars, j)));
        let Some(j) = close else {
            let rest = chars[i + 1..].iter().collect::<String>();
            if runs_on && rest.split_whitespace().count() >= 3 {
                out.push((i, chars.len()));
                break;
            }
            i += 1;
            continue;
        };
        let inner: String = chars[i + 1..j].iter().collect();
        let words = inner.split_whitespace().count();
        // One or two words in quotes are scare quotes or titles, not speech.
        if (words >= 3 || inner.contains(['.', '!', '?'])) && !is_title(&inner) {
            out.push((i, j + 1));
        }
        i = j + 1;
    }
    out
}

/// Whether quoted words are a title, a name or a slogan (“Down at the
/// Harbour Light”, “Salt & Sorrow”, “the Duchess of Dockside”, “Counting
/// Down: The Carbon Budget 2025”, “Cut It Now, Not in 2040”) rather than
/// speech: no full stop, question or exclamation, and at least two words
/// of three letters or more (small linking words aside), every one of them
/// capitalised. Speech has a word in lower case (“This is a tax,”).
fn is_title(inner: &str) -> bool {
    const LINKING: [&str; 12] = ["the", "and", "for", "of", "in", "on", "at", "to", "a", "an", "with", "from"];
    if inner.contains(['.', '!', '?', ';']) {
        return false;
    }
    let content: Vec<&str> = inner
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .filter(|w| !LINKING.contains(&w.trim_matches(|c: char| !c.is_alphabetic())))
        .collect();
    content.len() >= 2 && content.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// Whether a short quotation (three words or fewer, no sentence of its own)
/// is reported speech: a verb of saying in its sentence, outside the marks
/// ("called it “a tax on living”", "“noisy but not alarming,” she said").
/// Without one it is a scare quote or a term ("dubbed the “tax on living”",
/// "the so-called “living premium”"), and not suggested. Longer quotations
/// are speech whatever surrounds them.
pub(super) fn is_speech(chars: &[char], quote: (usize, usize), sentence: (usize, usize)) -> bool {
    // "so-called" says the words are a name for something, whatever their length.
    let before = &chars[..quote.0];
    let end = before.len() - before.iter().rev().take_while(|c| c.is_whitespace()).count();
    let so_called = end >= 9 && before[end - 9..end].iter().flat_map(|c| c.to_lowercase()).eq("so-called".chars());
    if so_called {
        return false;
    }
    // Counted on the characters: most quotations are long, and copying
    // each one cost more than the rest of the quote rules.
    let inner = &chars[(quote.0 + 1).min(quote.1)..quote.1.saturating_sub(1).max(quote.0 + 1).min(chars.len())];
    let words = inner.split(|c| c.is_whitespace()).filter(|w| !w.is_empty()).count();
    if words > 3 || inner.iter().any(|c| matches!(c, '.' | '!' | '?')) {
        return true;
    }
    let (a, b) = (sentence.0.min(quote.0), sentence.1.max(quote.1));
    let outside = chars[a..quote.0].iter().chain(chars[quote.1..b].iter());
    let text: String = outside.flat_map(|c| c.to_lowercase()).collect();
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|w| CUES.contains(&w) || matches!(w, "called" | "calling" | "described" | "describing"))
}
