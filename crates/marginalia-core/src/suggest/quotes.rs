//! Quotes: speech between matching quotation marks, never an apostrophe;
//! and the speaker named next to one.

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
        if words >= 3 || inner.contains(['.', '!', '?']) {
            out.push((i, j + 1));
        }
        i = j + 1;
    }
    out
}

pub(super) const SPEECH: [&str; 12] = [
    "said",
    "says",
    "added",
    "told",
    "asked",
    "replied",
    "warned",
    "insisted",
    "explained",
    "wrote",
    "claimed",
    "according to",
];

/// The speaker named next to a quote: "…,” said Jane Doe / Jane Doe said: “…”.
pub(super) fn speaker(chars: &[char], a: usize, b: usize) -> Option<String> {
    let after: String = chars[b..(b + 60).min(chars.len())].iter().collect();
    let before: String = chars[a.saturating_sub(60)..a].iter().collect();
    let names = |text: &str| -> Option<String> {
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || ",.:;".contains(c))
            .filter(|w| !w.is_empty())
            .skip_while(|w| !w.starts_with(|c: char| c.is_uppercase()))
            .take_while(|w| w.starts_with(|c: char| c.is_uppercase()) || ["de", "van", "von", "al"].contains(w))
            .take(4)
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    };
    // ASCII lowercasing keeps byte positions, so they index the original.
    let cue = SPEECH.iter().find(|cue| after.to_ascii_lowercase().trim_start_matches([',', ' ']).starts_with(*cue));
    if let Some(cue) = cue {
        let rest = after.trim_start_matches([',', ' ']);
        return names(&rest[cue.len().min(rest.len())..]);
    }
    let lower = before.to_ascii_lowercase();
    SPEECH.iter().find_map(|cue| {
        let at = lower.rfind(cue)?;
        names(before[..at].rsplit(['.', '“', '"']).next().unwrap_or(""))
    })
}
