//! Marginalia's suggestion rules: the quotes, captions and claims of an
//! article, found by rules the reader accepts or rejects. No network, no
//! model: milliseconds on a long article.
//!
//! - Quotes: speech between matching quotation marks (“…”, ‘…’, «…», „…“,
//!   "…"), across sentences and around nested quotes, never an apostrophe
//!   (`Britain's`, `’90s`); a quotation that runs on into the next
//!   paragraph (the wires' convention). One or two words in quotes, or three
//!   with no verb of saying near them, are scare quotes; a title or slogan
//!   is not speech. The speaker goes in the note: the cue beside the quote,
//!   a pronoun as the person named before, a body for "the company said", a
//!   quote that continues a speaker, a headline's quote as the body's.
//! - Captions: a paragraph printed twice in a row (both copies), paragraphs
//!   marked "(pictured)", "Pictured:", "Photo:", "Credit:", "Image caption,",
//!   and a caption printed once with its credit ("(AP Photo/…)",
//!   "REUTERS/…", a "Credit…" or "Photograph:" line below it).
//! - Claims: sentences with checkable content — numbers (not ages, phone
//!   numbers or references), dates, quantities, attributions of findings,
//!   what a named body did or stands for — but not questions, opinions,
//!   captions, the headline alone, or a newsroom's own lines (corrections,
//!   sign-offs, appeals); a hedged sentence, the writer's or a speaker's own
//!   story, or a date that only dates a quotation is low confidence.
//!
//! Like the core it knows no browser and does no I/O; the values it makes
//! ([`Suggestion`], [`Kind`], [`Confidence`]) are the core's. It is a crate
//! of its own so that it can be built for speed (`opt-level = 3`, see the
//! workspace's Cargo.toml) while the rest of the bundle is built for size:
//! at `opt-level = "z"` nothing of `char`'s methods or the string iterators
//! was inlined into the rules, and they ran 2.5 times slower.

mod captions;
mod claim_words;
mod claims;
mod cues;
mod house;
mod names;
mod numbers;
mod quotes;
mod sentences;
mod speakers;
mod words;

use captions::caption_paragraphs;
use claims::ClaimReader;
use marginalia_core::document::{Document, Fnv};
pub use marginalia_core::suggest::{Confidence, Kind, Suggestion, SPEAKER_NOTE};
use marginalia_core::Span;
use quotes::{is_opening_mark, is_speech, opens_quoted, quotes};
use sentences::sentences;
use speakers::Speakers;

/// A map with FNV-1a hashing (the core's [`Fnv`]): the rules look up short
/// words hundreds of thousands of times on a long article.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

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
        let next_quoted = doc.paragraphs().get(i + 1).is_some_and(|n| opens_quoted(n.text()));
        let mut quoted = quotes(chars, next_quoted);
        let sentences = sentences(chars, &quoted);
        // Short quotations with no verb of saying in their sentence are
        // scare quotes: not suggested (the sentences stay as read).
        quoted.retain(|&q| {
            let sentence = sentences.iter().copied().find(|&(s, e)| s <= q.0 && q.0 < e).unwrap_or(q);
            is_speech(chars, q, sentence)
        });
        // Speakers are read in full where there are quotes; elsewhere only
        // the people named are kept, which costs next to nothing.
        if quoted.is_empty() {
            speakers.glance(i, chars, next_quoted);
        } else {
            // Names met here complete surnames given later in the paragraph.
            speakers.read(chars, &quoted);
        }
        for &(a, b) in &quoted {
            let at = sentences.iter().position(|&(s, e)| s <= a && a < e);
            let sentence = at.map_or((a, b), |k| sentences[k]);
            let next = at.and_then(|k| sentences.get(k + 1)).copied();
            let prev = at.and_then(|k| k.checked_sub(1)).and_then(|k| sentences.get(k)).copied();
            let speaker = speakers.of(i, chars, (a, b), sentence, (prev, next));
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
        // The headline alone is not a claim (a first paragraph that is a
        // whole sentence of twelve words or more is the story's first
        // line, not a headline); nor are the newsroom's own lines.
        let lede = p.text().trim_end().ends_with('.') && p.text().split_whitespace().count() >= 12;
        if i == 0 && doc.paragraphs().len() > 1 && !lede || house::is_house_line(p.text()) {
            continue;
        }
        for (k, &(a, b)) in sentences.iter().enumerate() {
            // A story's first sentence may open with the wire's dateline.
            let a = if k == 0 { a + house::dateline_len(&chars[a..b]) } else { a };
            let before_quote = sentences.get(k + 1).is_some_and(|&(n, _)| is_opening_mark(chars[n]));
            if let Some((cue, confidence)) = claims.cue(&chars[a..b], before_quote) {
                if let Ok(span) = Span::new(p.start() + a, p.start() + b) {
                    out.push(Suggestion { kind: Kind::Claim, span, note: cue.to_string(), confidence });
                }
            }
        }
    }
    out.sort_by_key(|s| (s.span.start(), s.span.end(), s.kind));
    speakers::headline_speakers(doc, &mut out);
    out
}

#[cfg(test)]
mod tests;
