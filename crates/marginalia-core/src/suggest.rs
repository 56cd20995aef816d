//! Suggestions: quotes, captions and claims found in the text by rules, for
//! the reader to accept or reject. No network, no model: milliseconds on a
//! long article.
//!
//! - Quotes: speech between matching quotation marks (“…”, ‘…’, «…», „…“,
//!   "…"), across sentences and around nested quotes, never an apostrophe
//!   (`Britain's`, `’90s`); one or two words in quotes are scare quotes, not
//!   speech. The speaker, when an attribution cue sits next to the quote,
//!   goes in the note.
//! - Captions: a paragraph printed twice in a row (both copies), and
//!   paragraphs marked "(pictured)", "Pictured:", "Photo:", "Credit:".
//! - Claims: sentences with checkable content — numbers, dates, quantities,
//!   attributions of findings, what a named body did — but not questions,
//!   opinions, captions or the headline alone.

use crate::annotation::Annotation;
use crate::document::Document;
use crate::span::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Claim,
    Quote,
    Caption,
}

impl Kind {
    /// The standard tag id this kind suggests.
    pub fn tag_id(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Quote => "quote",
            Kind::Caption => "caption",
        }
    }
}

/// How a quote suggestion's note names the speaker the rules found.
pub const SPEAKER_NOTE: &str = "Speaker: ";

/// The speaker an accepted quote suggestion's note names, if it still
/// does: what the attribution editor offers first, for the reader to confirm.
pub fn speaker_in_note(note: &str) -> Option<&str> {
    let name = note.strip_prefix(SPEAKER_NOTE)?.trim();
    (!name.is_empty() && !name.contains('\n')).then_some(name)
}

/// How sure the rules are. "Accept all" takes the high ones unless the
/// reader asks for the low ones too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Low,
    #[default]
    High,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "high confidence",
            Confidence::Low => "low confidence",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: Kind,
    pub span: Span,
    /// Why, for the reader: the speaker of a quote, the cue of a claim.
    pub note: String,
    pub confidence: Confidence,
}

/// A suggestion the reader rejected, remembered for the document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rejection {
    pub tag: String,
    pub start: usize,
    pub end: usize,
}

impl Rejection {
    pub fn of(s: &Suggestion) -> Rejection {
        Rejection { tag: s.kind.tag_id().to_string(), start: s.span.start(), end: s.span.end() }
    }
}

/// The suggestions still to show: not rejected, and not overlapping an
/// annotation of the same tag (never a duplicate of the reader's own).
pub fn pending(found: Vec<Suggestion>, annotations: &[Annotation], rejected: &[Rejection]) -> Vec<Suggestion> {
    let tagged: Vec<(&str, Covered)> = [Kind::Quote, Kind::Caption, Kind::Claim]
        .iter()
        .map(|k| {
            (k.tag_id(), Covered::new(annotations.iter().filter(|a| a.tag.as_str() == k.tag_id()).map(|a| a.span)))
        })
        .collect();
    found
        .into_iter()
        .filter(|s| !rejected.contains(&Rejection::of(s)))
        .filter(|s| {
            !tagged
                .iter()
                .any(|(tag, covered)| *tag == s.kind.tag_id() && covered.overlaps(s.span.start(), s.span.end()))
        })
        .collect()
}

/// Spans sorted by start with the running maximum of their ends, so
/// "does any overlap [start, end)?" is one binary search, not a scan: on
/// 1 MB the scan was 10,000 suggestions × 10,000 annotations per edit.
struct Covered {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covered {
    fn new(spans: impl Iterator<Item = Span>) -> Covered {
        let mut spans: Vec<Span> = spans.collect();
        spans.sort_unstable_by_key(|s| s.start());
        let starts = spans.iter().map(|s| s.start()).collect();
        let max_end = spans
            .iter()
            .scan(0, |m, s| {
                *m = (*m).max(s.end());
                Some(*m)
            })
            .collect();
        Covered { starts, max_end }
    }

    /// Whether a span with `s.start < end && start < s.end` exists.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let before_end = self.starts.partition_point(|&s| s < end);
        before_end > 0 && self.max_end[before_end - 1] > start
    }
}

/// Every suggestion in the document, in document order.
pub fn suggest(doc: &Document) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let captions = caption_paragraphs(doc);
    for (i, p) in doc.paragraphs().iter().enumerate() {
        let chars: Vec<char> = p.text().chars().collect();
        if captions[i] {
            if let Ok(span) = Span::new(p.start(), p.end()) {
                out.push(Suggestion { kind: Kind::Caption, span, note: String::new(), confidence: Confidence::High });
            }
            continue;
        }
        let quoted = quotes(&chars);
        for &(a, b) in &quoted {
            let speaker = speaker(&chars, a, b);
            if let Ok(span) = Span::new(p.start() + a, p.start() + b) {
                out.push(Suggestion {
                    kind: Kind::Quote,
                    span,
                    note: speaker.map(|s| format!("{SPEAKER_NOTE}{s}")).unwrap_or_default(),
                    confidence: Confidence::High,
                });
            }
        }
        // The headline alone is not a claim.
        if i == 0 && doc.paragraphs().len() > 1 {
            continue;
        }
        for (a, b) in sentences(&chars, &quoted) {
            if let Some(cue) = claim_cue(&chars[a..b]) {
                if let Ok(span) = Span::new(p.start() + a, p.start() + b) {
                    out.push(Suggestion {
                        kind: Kind::Claim,
                        span,
                        note: cue.to_string(),
                        confidence: Confidence::High,
                    });
                }
            }
        }
    }
    out.sort_by_key(|s| (s.span.start(), s.span.end(), s.kind));
    out
}

/// Quote marks made plain, so repeated captions with other marks compare equal.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' | '„' => '"',
            c => c,
        })
        .collect()
}

/// Credit markers: a line that starts with one is a credit line, and a
/// paragraph that carries one after a sentence is a caption with its credit.
const CREDITS: [&str; 8] = ["photo:", "photograph:", "picture:", "image:", "credit:", "foto:", "bild:", "pictured:"];

fn is_credit_line(lower: &str) -> bool {
    CREDITS.iter().any(|m| lower.starts_with(m))
}

fn caption_paragraphs(doc: &Document) -> Vec<bool> {
    let ps = doc.paragraphs();
    let plains: Vec<String> = ps.iter().map(|p| plain(p.text())).collect();
    let lowers: Vec<String> = ps.iter().map(|p| p.text().to_lowercase()).collect();
    (0..ps.len())
        .map(|i| {
            let text: &str = ps[i].text();
            let lower = &lowers[i];
            let repeated = (i > 0 && plains[i - 1] == plains[i]) || plains.get(i + 1) == Some(&plains[i]);
            // "(pictured)" inside a body sentence is not a caption: captions
            // do not end with a full stop.
            let open_ended = !text.ends_with(['.', '!', '?', '”', '"', '’']);
            let marked = (lower.contains("(pictured)") && open_ended)
                || is_credit_line(lower)
                || CREDITS.iter().any(|m| lower.contains(&format!(". {m}")));
            // A line with no closing stop right above a credit line is the
            // picture's caption.
            let above_credit = lowers.get(i + 1).is_some_and(|next| is_credit_line(next))
                && !text.ends_with(['.', '!', '?', ':', '”', '"'])
                && i > 0;
            (repeated && ps[i].len() >= 20) || marked || above_credit
        })
        .collect()
}

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
fn quotes(chars: &[char]) -> Vec<(usize, usize)> {
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

const SPEECH: [&str; 12] = [
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
fn speaker(chars: &[char], a: usize, b: usize) -> Option<String> {
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

/// Words after which a full stop does not end the sentence.
const ABBREVIATIONS: [&str; 34] = [
    "mr", "mrs", "ms", "dr", "sir", "st", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "rev", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc", "ltd", "jr", "sr",
];

/// Sentence spans `[a, b)` in one paragraph, whitespace trimmed. A stop ends
/// a sentence only before a space and a capital, digit or quote mark, not
/// after an abbreviation or an initial, and not inside quoted speech.
fn sentences(chars: &[char], quotes: &[(usize, usize)]) -> Vec<(usize, usize)> {
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
            let word: String = chars[start..i]
                .iter()
                .rev()
                .take_while(|c| c.is_alphanumeric() || **c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
                .to_lowercase();
            let abbreviation = c == '.'
                && (ABBREVIATIONS.contains(&word.as_str())
                    || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
                    || word.contains('.'));
            if breaks && !abbreviation {
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

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const QUANTITIES: [&str; 10] =
    ["percent", "million", "billion", "trillion", "thousand", "hundred", "hundreds", "thousands", "dozen", "tonnes"];
const ACTIONS: [&str; 24] = [
    "voted",
    "approved",
    "announced",
    "confirmed",
    "decided",
    "ruled",
    "banned",
    "agreed",
    "signed",
    "launched",
    "withdrew",
    "rose",
    "fell",
    "increased",
    "decreased",
    "doubled",
    "cut",
    "raised",
    "awarded",
    "fined",
    "sentenced",
    "charged",
    "appointed",
    "resigned",
];
const OPINION_WORDS: [&str; 6] = ["should", "must", "ought", "surely", "perhaps", "arguably"];
/// Phrases, matched on the sentence's words joined by single spaces.
const OPINION_PHRASES: [&str; 6] = ["i think", "i believe", "in my view", "it is time", "we need", "let us"];
const FINDINGS: [&str; 13] = [
    "according to",
    "study found",
    "studies found",
    "survey found",
    "figures show",
    "data show",
    "report found",
    "research found",
    "analysis found",
    "statistics show",
    "found that",
    "show that",
    "per cent",
];

/// Why a sentence is a checkable claim, or `None`. The sentence is split
/// into lowercase words once; every test is on those words.
fn claim_cue(sentence: &[char]) -> Option<&'static str> {
    let end = sentence.iter().rposition(|c| !"”’\"»)".contains(*c)).map_or(0, |i| i + 1);
    if sentence.len() < 25 || sentence[..end].last() == Some(&'?') {
        return None;
    }
    let text: String = sentence.iter().collect::<String>().to_lowercase();
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').filter(|w| !w.is_empty()).collect();
    let joined = format!(" {} ", words.join(" "));
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let phrase = |set: &[&str]| set.iter().any(|p| joined.contains(&format!(" {p} ")));
    if has(&OPINION_WORDS) || phrase(&OPINION_PHRASES) {
        return None;
    }
    if sentence.iter().any(|c| c.is_ascii_digit()) {
        return Some("numbers");
    }
    if has(&QUANTITIES) || words.contains(&"half") {
        return Some("a quantity");
    }
    if has(&MONTHS) || has(&WEEKDAYS) {
        return Some("a date");
    }
    if phrase(&FINDINGS) {
        return Some("an attributed finding");
    }
    if has(&ACTIONS) {
        return Some("what a named body did");
    }
    None
}

#[cfg(test)]
#[path = "suggest_tests.rs"]
mod tests;
