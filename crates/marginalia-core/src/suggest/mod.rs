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

mod captions;
mod claims;
mod quotes;
mod sentences;
mod speakers;
mod words;

use crate::annotation::Annotation;
use crate::document::Document;
use crate::span::Span;
use captions::caption_paragraphs;
use claims::ClaimReader;
use quotes::quotes;
use sentences::sentences;
use serde::{Deserialize, Serialize};
use speakers::Speakers;

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

/// A map with FNV-1a hashing: the rules look up short words hundreds of
/// thousands of times on a long article, where SipHash's guard against
/// chosen keys costs more than it protects.
pub(super) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

#[derive(Default)]
pub(super) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Every suggestion in the document, in document order.
pub fn suggest(doc: &Document) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let mut speakers = Speakers::default();
    let mut claims = ClaimReader::default();
    let mut chars: Vec<char> = Vec::new();
    let captions = caption_paragraphs(doc);
    for (i, p) in doc.paragraphs().iter().enumerate() {
        // One buffer for every paragraph's characters: collecting a new one
        // each time grew it by reallocation, a tenth of the rules' time.
        chars.clear();
        chars.extend(p.text().chars());
        let chars = &chars[..];
        if captions[i] {
            if let Ok(span) = Span::new(p.start(), p.end()) {
                out.push(Suggestion { kind: Kind::Caption, span, note: String::new(), confidence: Confidence::High });
            }
            continue;
        }
        let quoted = quotes(chars);
        let sentences = sentences(chars, &quoted);
        // Speakers are read in full where there are quotes; elsewhere only
        // the people named are kept, which costs next to nothing.
        if quoted.is_empty() {
            speakers.glance(chars);
        } else {
            // Names met here complete surnames given later in the paragraph.
            speakers.read(chars, &quoted);
        }
        for &(a, b) in &quoted {
            let at = sentences.iter().position(|&(s, e)| s <= a && a < e);
            let sentence = at.map_or((a, b), |k| sentences[k]);
            let next = at.and_then(|k| sentences.get(k + 1)).copied();
            let speaker = speakers.of(i, chars, (a, b), sentence, next);
            if let Ok(span) = Span::new(p.start() + a, p.start() + b) {
                out.push(Suggestion {
                    kind: Kind::Quote,
                    span,
                    note: speaker.map(|s| format!("{SPEAKER_NOTE}{s}")).unwrap_or_default(),
                    confidence: Confidence::High,
                });
            }
        }
        if !quoted.is_empty() {
            speakers.finish(i, chars, quoted.last().map(|&(_, b)| b));
        }
        // The headline alone is not a claim.
        if i == 0 && doc.paragraphs().len() > 1 {
            continue;
        }
        for &(a, b) in &sentences {
            if let Some((cue, confidence)) = claims.cue(&chars[a..b]) {
                if let Ok(span) = Span::new(p.start() + a, p.start() + b) {
                    out.push(Suggestion { kind: Kind::Claim, span, note: cue.to_string(), confidence });
                }
            }
        }
    }
    out.sort_by_key(|s| (s.span.start(), s.span.end(), s.kind));
    out
}

#[cfg(test)]
mod tests;
