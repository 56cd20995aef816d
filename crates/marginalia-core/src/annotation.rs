//! `Annotation`: a tagged span with the quote it was made on, so it can be
//! checked (and later re-anchored) against the text it is applied to.

use crate::document::Document;
use crate::field_times::FieldTimes;
use crate::span::Span;
use crate::tag::Tag;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

const SUGGESTION_PREFIX: &str = "s-";

/// How many code points of context are kept either side of a quote.
pub const CONTEXT: usize = 32;

/// A stable, unique id. `Rc<str>` because every rendered run of a highlight
/// carries it, and cloning must not allocate.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AnnotationId(Rc<str>);

impl TryFrom<String> for AnnotationId {
    type Error = String;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        AnnotationId::parse(&id).ok_or_else(|| format!("{id:?} is not a valid annotation id"))
    }
}

impl From<AnnotationId> for String {
    fn from(id: AnnotationId) -> String {
        id.0.to_string()
    }
}

impl AnnotationId {
    /// Builds an id from the creation time and random bits the shell supplies
    /// (the core has no clock and no randomness of its own).
    pub fn generate(now_ms: u64, entropy: u64) -> AnnotationId {
        AnnotationId(Rc::from(format!("a{}-{}", base36(now_ms), base36(entropy))))
    }

    /// The id a pending suggestion is drawn with: `s-<tag>-<start>-<end>`,
    /// a form `parse` refuses, so no stored or imported annotation can be
    /// mistaken for one. It depends on the suggestion alone, not its place
    /// in a list, so deciding one leaves every other's id, and so its
    /// paragraph, untouched.
    pub fn suggestion(tag: &Tag, span: Span) -> AnnotationId {
        AnnotationId(Rc::from(format!("{SUGGESTION_PREFIX}{tag}-{}-{}", span.start(), span.end())))
    }

    pub fn is_suggestion(&self) -> bool {
        self.0.starts_with(SUGGESTION_PREFIX)
    }

    /// Accepts an existing id, as stored or imported.
    pub fn parse(id: &str) -> Option<AnnotationId> {
        let ok = !id.is_empty()
            && !id.starts_with(SUGGESTION_PREFIX)
            && id.len() <= 128
            && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        ok.then(|| AnnotationId(Rc::from(id)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    out.into_iter().map(char::from).collect()
}

/// The W3C TextQuoteSelector's three parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

impl TextQuote {
    /// The quote at `span` with up to [`CONTEXT`] code points either side.
    pub fn capture(doc: &Document, span: Span) -> TextQuote {
        TextQuote {
            exact: doc.slice(span.start(), span.end()),
            prefix: doc.slice(span.start().saturating_sub(CONTEXT), span.start()),
            suffix: doc.slice(span.end(), span.end() + CONTEXT),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub span: Span,
    pub tag: Tag,
    pub quote: TextQuote,
    /// The reader's note, plain text; empty when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Proposed by the suggestions engine and accepted by the reader: the
    /// W3C creator is then Software.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suggested: bool,
    /// Why the rules suggested it ("numbers", "a date", the speaker they
    /// found): kept beside the annotation, never as the reader's note
    /// (schema 6). Empty for the reader's own highlights.
    #[serde(default, rename = "suggestedBecause", skip_serializing_if = "String::is_empty")]
    pub suggested_because: String,
    /// Placed by a fuzzy match (an import, or the article changed under it),
    /// with the share of its quote that matched, in percent: shown for the
    /// reader to check until they confirm it. Absent in older saves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy: Option<u8>,
    /// A claim's fact-check (schema 3); boxed, as most annotations have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Box<crate::review::Review>>,
    /// A quote's speaker, date and venue (schema 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Box<crate::review::Attribution>>,
    /// Milliseconds since the Unix epoch.
    pub created: u64,
    /// The last change to any part of it.
    pub updated: u64,
    /// When each part last changed (schema 7), so the merge keeps changes
    /// to different parts made at once in two places.
    #[serde(default, rename = "fieldTimes", skip_serializing_if = "FieldTimes::is_unset")]
    pub times: FieldTimes,
}

/// A quote's words without the quotation marks around them, if they are
/// wrapped in a pair (“…”, "…", «…»): a quote tagged with its marks is
/// shown in our own marks once, never doubled (““Nobody…””).
pub fn unquoted(text: &str) -> &str {
    const PAIRS: [(char, char); 3] = [('“', '”'), ('"', '"'), ('«', '»')];
    let text = text.trim();
    PAIRS
        .iter()
        .filter(|_| text.chars().count() >= 2)
        .find_map(|&(open, close)| text.strip_prefix(open)?.strip_suffix(close))
        .map_or(text, str::trim)
}

/// Document order: by start, the longer first, then by id, so every list
/// of annotations (the annotator's, a host's edits waiting to be drawn)
/// orders ties the same way.
pub fn document_order(a: &Annotation, b: &Annotation) -> std::cmp::Ordering {
    a.span.start().cmp(&b.span.start()).then(b.span.end().cmp(&a.span.end())).then(a.id.cmp(&b.id))
}

/// The tag a review belongs to, and the one an attribution belongs to.
pub const CLAIM: &str = "claim";
pub const QUOTE: &str = "quote";

/// The longest note kept, in code points.
pub const NOTE_LIMIT: usize = 10_000;

impl Annotation {
    pub fn new(doc: &Document, id: AnnotationId, span: Span, tag: Tag, now_ms: u64) -> Annotation {
        Annotation::bare(id, span, tag, TextQuote::capture(doc, span), now_ms)
    }

    /// An annotation with nothing but its place, tag and quote, made at
    /// `now_ms` (what [`new`](Self::new) makes, its quote given).
    pub fn bare(id: AnnotationId, span: Span, tag: Tag, quote: TextQuote, now_ms: u64) -> Annotation {
        Annotation {
            id,
            span,
            tag,
            quote,
            note: String::new(),
            suggested: false,
            suggested_because: String::new(),
            fuzzy: None,
            review: None,
            attribution: None,
            created: now_ms,
            updated: now_ms,
            times: FieldTimes::default(),
        }
    }

    /// Its fact-check, while it is a claim. A claim retagged as a quote or
    /// caption keeps its review out of sight (the work is not lost, and a
    /// retag back brings it back), so nothing but a claim shows, exports or
    /// publishes one: every reader of a review goes through here.
    pub fn shown_review(&self) -> Option<&crate::review::Review> {
        self.review.as_deref().filter(|_| self.tag.as_str() == CLAIM)
    }

    /// Its speaker, while it is a quote (kept out of sight otherwise, like
    /// a review).
    pub fn shown_attribution(&self) -> Option<&crate::review::Attribution> {
        self.attribution.as_deref().filter(|_| self.tag.as_str() == QUOTE)
    }

    /// A review or speaker kept out of sight by a retag: what the reader is
    /// told it keeps.
    pub fn kept_aside(&self) -> Option<&'static str> {
        if self.review.is_some() && self.shown_review().is_none() {
            Some("fact-check")
        } else if self.attribution.is_some() && self.shown_attribution().is_none() {
            Some("speaker")
        } else {
            None
        }
    }

    /// Whether the text under the span is still the text it was made on.
    pub fn is_anchored_in(&self, doc: &Document) -> bool {
        quote_is_at(doc, self.span, &self.quote.exact)
    }
}

/// Whether `exact` is the text at `span` in `doc`: an annotation (or a
/// saved mark) is where it belongs.
pub fn quote_is_at(doc: &Document, span: Span, exact: &str) -> bool {
    span.end() <= doc.len() && doc.slice(span.start(), span.end()) == exact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_parse_back() {
        let a = AnnotationId::generate(1_700_000_000_000, 1);
        let b = AnnotationId::generate(1_700_000_000_000, 2);
        assert_ne!(a, b);
        assert_eq!(AnnotationId::parse(a.as_str()), Some(a.clone()));
        let span = Span::new(3, 9).expect("span");
        let quote = Tag::parse("quote").expect("tag");
        let s = AnnotationId::suggestion(&quote, span);
        assert!(s.is_suggestion() && !a.is_suggestion());
        assert_eq!(s.as_str(), "s-quote-3-9");
        assert!(AnnotationId::parse(s.as_str()).is_none(), "never taken for a stored id");
        for bad in ["", "has space", "<script>", "s-1", &"x".repeat(129)] {
            assert_eq!(AnnotationId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn quote_context_is_capped_in_code_points() {
        let text = format!("{}QUOTE{}", "😀".repeat(40), "é".repeat(40));
        let doc = Document::from_text(&text);
        let q = TextQuote::capture(&doc, Span::new(40, 45).expect("valid"));
        assert_eq!(q.exact, "QUOTE");
        assert_eq!(q.prefix, "😀".repeat(32));
        assert_eq!(q.suffix, "é".repeat(32));
    }

    #[test]
    fn context_stops_at_the_ends_of_the_text() {
        let doc = Document::from_text("ab\ncd");
        let q = TextQuote::capture(&doc, Span::new(1, 4).expect("valid"));
        assert_eq!((q.prefix.as_str(), q.exact.as_str(), q.suffix.as_str()), ("a", "b\nc", "d"));
    }

    #[test]
    fn unquoted_strips_one_wrapping_pair_only() {
        let cases = [
            ("“Nobody is against it”", "Nobody is against it"),
            ("\"We will\"", "We will"),
            ("«Jamais»", "Jamais"),
            ("“Nobody” said so", "“Nobody” said so"),
            ("plain words", "plain words"),
            ("“", "“"),
            ("  “spaced ”  ", "spaced"),
            ("“mismatched\"", "“mismatched\""),
        ];
        for (given, want) in cases {
            assert_eq!(unquoted(given), want, "{given:?}");
        }
    }

    #[test]
    fn anchoring_check_compares_the_quote() {
        let doc = Document::from_text("The UK will join.");
        let a = Annotation::new(
            &doc,
            AnnotationId::generate(0, 0),
            Span::new(4, 6).expect("valid"),
            Tag::parse("claim").expect("valid"),
            0,
        );
        assert!(a.is_anchored_in(&doc));
        assert!(!a.is_anchored_in(&Document::from_text("The US will join.")));
        assert!(!a.is_anchored_in(&Document::from_text("The")));
    }
}
