//! The article: a list of paragraphs and the one document text that every
//! position in Marginalia counts into.
//!
//! The document text is defined in ARCHITECTURE.md: the article's non-empty
//! lines, each with runs of ASCII whitespace collapsed to one space and
//! trimmed, joined by a single `\n`. Positions are code points into it.

use crate::offsets::{byte_of_cp, cp_len};
use crate::span::Span;
use std::fmt;
use std::rc::Rc;

/// One paragraph of the article and where it sits in the document text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    text: Rc<str>,
    start: usize,
    len: usize,
    /// Outside ASCII, the byte offset of every [`STRIDE`]th code point
    /// (the `k`th entry is code point `(k + 1) × STRIDE`): a slice of a long
    /// paragraph steps at most `STRIDE - 1` characters, not from its start.
    /// Importing 10,000 quotes over 1 MB spent 60 ms stepping.
    stops: Rc<[usize]>,
}

/// Code points between two of a paragraph's `stops`.
const STRIDE: usize = 32;

impl Paragraph {
    pub fn text(&self) -> &Rc<str> {
        &self.text
    }

    /// Code point offset of the paragraph's first character in the document text.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Code point offset just past the paragraph's last character.
    pub fn end(&self) -> usize {
        self.start + self.len
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn new(text: String, start: usize) -> Paragraph {
        let len = cp_len(&text);
        let stops: Rc<[usize]> = if text.len() == len {
            Rc::from([])
        } else {
            text.char_indices()
                .enumerate()
                .filter(|(cp, _)| cp % STRIDE == 0 && *cp > 0)
                .map(|(_, (byte, _))| byte)
                .collect()
        };
        Paragraph { text: Rc::from(text), start, len, stops }
    }

    /// The byte offset of code point `cp` within the paragraph, clamped to
    /// its end.
    fn byte_of(&self, cp: usize) -> usize {
        let text: &str = &self.text;
        // As many bytes as code points: all ASCII, each offset its own byte.
        if text.len() == self.len {
            return cp.min(text.len());
        }
        let stop = (cp / STRIDE).min(self.stops.len());
        let from = stop.checked_sub(1).and_then(|k| self.stops.get(k)).copied().unwrap_or(0);
        byte_of_cp(&text[from..], cp - stop * STRIDE).map_or(text.len(), |b| from + b)
    }
}

/// A short, stable name for a document text, so that different articles never
/// share a storage key. 64-bit FNV-1a over the UTF-8 of the document text,
/// which is already normalised; it is not meant to resist a forger.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(String);

impl Fingerprint {
    pub fn of_text(text: &str) -> Fingerprint {
        Fingerprint(format!("{:016x}", fnv1a(text.as_bytes())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 64-bit FNV-1a: stable across builds and machines, not a defence. The
/// one FNV of the crates: the text's fingerprint, a paragraph's hash in a
/// saved outline, and (as a [`std::hash::Hasher`]) the suggestion rules'
/// word maps, where SipHash's guard against chosen keys costs more than it
/// protects.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = Fnv::default();
    h.write(bytes);
    h.finish()
}

/// The separator between paragraphs in the document text.
pub const SEPARATOR: char = '\n';

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    paragraphs: Vec<Paragraph>,
    len: usize,
    fingerprint: Fingerprint,
}

/// Collapses runs of ASCII whitespace to one space and trims the ends — what
/// HTML does to a paragraph's text, so a host page's paragraphs and a plain
/// text file give the same document text.
pub fn normalise_paragraph(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl Document {
    /// Each non-empty line of `text` becomes a paragraph.
    pub fn from_text(text: &str) -> Document {
        Document::from_paragraphs(text.lines())
    }

    /// Paragraphs are normalised; those that end up empty are dropped.
    pub fn from_paragraphs<I, S>(paragraphs: I) -> Document
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = Vec::new();
        let mut start = 0;
        let mut full = String::new();
        for raw in paragraphs {
            let text = normalise_paragraph(raw.as_ref());
            if text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                start += 1;
                full.push(SEPARATOR);
            }
            full.push_str(&text);
            let paragraph = Paragraph::new(text, start);
            start += paragraph.len;
            out.push(paragraph);
        }
        Document { paragraphs: out, len: start, fingerprint: Fingerprint::of_text(&full) }
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// Length of the document text in code points.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// The first paragraph, which the page shows as the headline.
    pub fn title(&self) -> &str {
        self.paragraphs.first().map_or("", |p| &p.text)
    }

    /// The whole document text (built on demand; the paragraphs are the store).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                out.push(SEPARATOR);
            }
            out.push_str(&p.text);
        }
        out
    }

    /// The paragraph holding code point `cp`, or for a separator the paragraph
    /// before it. `None` past the end.
    pub fn paragraph_at(&self, cp: usize) -> Option<usize> {
        if cp >= self.len {
            return None;
        }
        Some(self.paragraphs.partition_point(|p| p.start <= cp).saturating_sub(1))
    }

    /// The indices of the paragraphs a span touches (with at least one code point).
    pub fn paragraphs_touched(&self, span: Span) -> std::ops::Range<usize> {
        let first = self.paragraphs.partition_point(|p| p.end() <= span.start());
        let last = self.paragraphs.partition_point(|p| p.start < span.end());
        first..last.max(first)
    }

    /// The text between two code points, with `\n` between paragraphs.
    /// Out-of-range bounds are clamped.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.len);
        let mut out = String::new();
        if start >= end {
            return out;
        }
        let Some(first) = self.paragraph_at(start) else { return out };
        for p in &self.paragraphs[first..] {
            // A paragraph starting at `end` still contributes the separator before it.
            if p.start > end {
                break;
            }
            if p.start > start {
                out.push(SEPARATOR);
            }
            let from = start.saturating_sub(p.start).min(p.len);
            let to = (end - p.start).min(p.len);
            if from < to {
                out.push_str(&p.text[p.byte_of(from)..p.byte_of(to)]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_normalised_paragraphs() {
        let doc = Document::from_text("  Title \r\n\r\n\tA  b\u{a0}c \n\n   \nLast");
        let texts: Vec<&str> = doc.paragraphs().iter().map(|p| &**p.text()).collect();
        // U+00A0 is not ASCII whitespace: it is the author's, so it stays.
        assert_eq!(texts, ["Title", "A b\u{a0}c", "Last"]);
        assert_eq!(doc.text(), "Title\nA b\u{a0}c\nLast");
        assert_eq!(doc.len(), cp_len(&doc.text()));
        assert_eq!(doc.title(), "Title");
    }

    #[test]
    fn paragraph_offsets_and_lookup() {
        let doc = Document::from_text("ab\n😀d\nef");
        let bounds: Vec<(usize, usize)> = doc.paragraphs().iter().map(|p| (p.start(), p.end())).collect();
        assert_eq!(bounds, [(0, 2), (3, 5), (6, 8)]);
        let cases = [(0, Some(0)), (2, Some(0)), (3, Some(1)), (5, Some(1)), (6, Some(2)), (7, Some(2)), (8, None)];
        for (cp, want) in cases {
            assert_eq!(doc.paragraph_at(cp), want, "cp {cp}");
        }
    }

    #[test]
    fn spans_touch_the_right_paragraphs() {
        let doc = Document::from_text("ab\ncd\nef");
        let span = |a, b| Span::new(a, b).expect("valid");
        assert_eq!(doc.paragraphs_touched(span(0, 1)), 0..1);
        assert_eq!(doc.paragraphs_touched(span(1, 4)), 0..2);
        assert_eq!(doc.paragraphs_touched(span(2, 3)), 1..1); // only the separator
        assert_eq!(doc.paragraphs_touched(span(0, 8)), 0..3);
        assert_eq!(doc.paragraphs_touched(span(5, 7)), 2..3);
    }

    #[test]
    fn slice_crosses_paragraphs_and_clamps() {
        let doc = Document::from_text("ab\n😀d\nef");
        assert_eq!(doc.slice(1, 4), "b\n😀");
        assert_eq!(doc.slice(3, 99), "😀d\nef");
        assert_eq!(doc.slice(5, 5), "");
        assert_eq!(doc.slice(2, 3), "\n");
        assert_eq!(doc.slice(2, 4), "\n😀");
        assert_eq!(doc.slice(0, doc.len()), doc.text());
    }

    proptest::proptest! {
        /// A slice of long paragraphs in any script is the same text as
        /// counting code points from the start of the document.
        #[test]
        fn slice_is_the_code_points_between(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", "😀", "東京", "שלום", " ", "\n", "👍🏽", "word", "b", "ü", "c", "d", "—", "e"]),
                0..400,
            ),
            a in 0usize..600,
            b in 0usize..600,
        ) {
            let doc = Document::from_text(&words.concat());
            let text: Vec<char> = doc.text().chars().collect();
            let (start, end) = (a.min(b), a.max(b));
            let want: String = text.get(start.min(text.len())..end.min(text.len())).unwrap_or_default().iter().collect();
            proptest::prop_assert_eq!(doc.slice(start, end), want);
        }
    }

    #[test]
    fn fingerprints_differ_by_text_not_by_whitespace_noise() {
        let a = Document::from_text("One  two\n\nthree");
        let b = Document::from_text("One two\nthree\n");
        let c = Document::from_text("One two\nthree!");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert_eq!(a.fingerprint().as_str().len(), 16);
    }
}
