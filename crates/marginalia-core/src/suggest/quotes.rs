//! Quotes: speech between matching quotation marks, never an apostrophe.

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

/// Spans `[a, b)` of quoted speech in one paragraph, marks included.
pub(super) fn quotes(chars: &[char]) -> Vec<(usize, usize)> {
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

/// Whether quoted words are a title or a name ("Down at the Harbour
/// Light", “Salt & Sorrow”, “the Duchess of Dockside”) rather than speech:
/// no sentence punctuation, and every word of four letters or more
/// capitalised. Speech of three words or more has a verb in lower case.
fn is_title(inner: &str) -> bool {
    if inner.contains(['.', '!', '?', ',', ';', ':']) {
        return false;
    }
    let long: Vec<&str> = inner.split_whitespace().filter(|w| w.chars().count() >= 4).collect();
    !long.is_empty() && long.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()))
}
