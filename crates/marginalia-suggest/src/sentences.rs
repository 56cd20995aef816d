//! A paragraph's sentences: a stop ends one only before a space and a
//! capital, digit or quote mark, not after an abbreviation or an initial,
//! and not inside quoted speech.

/// Words after which a full stop does not end the sentence.
/// Months after which a day's number takes a stop (German "1. April").
const ORDINAL_MONTHS: [&str; 14] = [
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jänner",
    "enero",
];

const ABBREVIATIONS: [&str; 42] = [
    "mr", "mrs", "ms", "dr", "sir", "st", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "rev", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc", "ltd", "jr", "sr",
    "núm", "nr", "ca", "mio", "mrd", "sra", "dra", "etc",
];

/// Sentence spans `[a, b)` in one paragraph, whitespace trimmed. A stop ends
/// a sentence only before a space and a capital, digit or quote mark, not
/// after an abbreviation or an initial, and not inside quoted speech.
pub(super) fn sentences(chars: &[char], quotes: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut quoted = vec![false; chars.len()];
    for &(a, b) in quotes {
        // A stop strictly inside the marks (not the last character before the closer).
        for flag in quoted.iter_mut().take(b.saturating_sub(1)).skip(a + 1) {
            *flag = true;
        }
    }
    let inside = |i: usize| quoted[i];
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '.' | '!' | '?') && !inside(i) {
            // Closing marks right after the stop belong to this sentence.
            let mut end = i + 1;
            while end < chars.len() && "”’\")»".contains(chars[end]) {
                end += 1;
            }
            let next = chars[end..].iter().position(|c| !c.is_whitespace()).map(|k| end + k);
            let breaks = match next {
                None => true,
                Some(n) if n == end => false,
                Some(n) => {
                    let nc = chars[n];
                    nc.is_uppercase() || nc.is_ascii_digit() || "“‘\"«„¿¡".contains(nc)
                }
            };
            // The word before the stop, lowercased; only a short one can be
            // an abbreviation or a day's number, so only that is copied.
            let from = i - chars[start..i].iter().rev().take_while(|c| c.is_alphanumeric() || **c == '.').count();
            let word: String = if i - from <= 12 {
                chars[from..i].iter().flat_map(|c| c.to_lowercase()).collect()
            } else if chars[from..i].contains(&'.') {
                ".".into()
            } else {
                "-".into()
            };
            let abbreviation = c == '.'
                && (ABBREVIATIONS.contains(&word.as_str())
                    || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
                    || word.contains('.'));
            // "zum 1. April": a day's number before a month is an ordinal.
            let ordinal = c == '.'
                && (1..=2).contains(&word.len())
                && word.chars().all(|c| c.is_ascii_digit())
                && next.is_some_and(|n| {
                    let month: String = chars[n..].iter().take_while(|c| c.is_alphabetic()).collect();
                    ORDINAL_MONTHS.contains(&month.to_lowercase().as_str())
                });
            if breaks && !abbreviation && !ordinal {
                out.push((start, end));
                start = next.unwrap_or(chars.len());
                i = start;
                continue;
            }
        }
        i += 1;
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out.into_iter()
        .map(|(a, b)| {
            let a = a + chars[a..b].iter().take_while(|c| c.is_whitespace()).count();
            let b = b - chars[a..b].iter().rev().take_while(|c| c.is_whitespace()).count();
            (a, b)
        })
        .filter(|(a, b)| a < b)
        .collect()
}
