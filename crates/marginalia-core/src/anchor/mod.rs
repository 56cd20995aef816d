//! Anchoring: where an annotation belongs in a (possibly changed) text.
//!
//! In order, like Hypothesis: the old position if the text there is still
//! the quote; else the exact quote whose prefix and suffix fit best, then
//! the one nearest the old position (a hint, searched outward from), then
//! the first; else a fuzzy match of the quote (bounded edit distance)
//! scored on quote, context and distance, refused below a threshold that is
//! stricter for short quotes; else nothing, and the caller keeps the
//! annotation as an orphan. A span returned is always inside the text.
//!
//! Selectors are read the way the document text is built: whitespace runs
//! as one space. Occurrences come from a q-gram index ([`grams`]) built
//! once per text, and the fuzzy match is bit-parallel ([`fuzzy`]), so
//! 10,000 annotations whose positions are all off cost about what exact
//! positions do, and a 10 KB quote stays in milliseconds.

use crate::annotation::{Annotation, TextQuote};
use crate::document::Document;
use crate::span::Span;
use grams::Grams;
use std::cell::{Cell, OnceCell};

mod approximate;
mod fuzzy;
mod grams;
mod shift;

pub use shift::{outline, Kept, Shift, Shifted};

/// Annotations placed in a (changed) text: those that fit, moved where
/// needed, and the orphans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    pub anchored: Vec<Annotation>,
    pub orphaned: Vec<Annotation>,
    /// How many of `anchored` moved to follow an edit.
    pub moved: usize,
}

/// Places each annotation in `doc`: where its quote still is at its span,
/// else by the rules above (quote and context, then fuzzy), its quote and
/// context captured again there; else orphaned, never dropped.
pub fn place_all(doc: &Document, items: impl IntoIterator<Item = Annotation>) -> Placed {
    place(doc, None, items.into_iter().map(|a| (a.span, true, a)))
}

/// Places annotations of the text `shift` was made from in the text it
/// led to (the host edited its article): each drawn one where its own
/// characters went, if its quote is there. One whose text the edit
/// changed, and an orphan (its text may be back), is placed by the rules
/// above (from where the edit around it begins), but only on text the
/// edit made: text it left alone was another occurrence of those words all
/// along, so it is orphaned rather than drawn there. Text the edit did not
/// touch keeps its highlights, even with another copy of the words nearer
/// their old place.
pub fn place_shifted(doc: &Document, shift: &Shift, drawn: Vec<Annotation>, orphans: Vec<Annotation>) -> Placed {
    let drawn = drawn.into_iter().map(|a| match shift.span(a.span) {
        Shifted::To(span) => (span, true, a),
        Shifted::Near(at) => (Span::new(at, at + a.span.len()).unwrap_or(a.span), false, a),
    });
    // An orphan's span is of an older text than this edit's: a hint only.
    let orphans = orphans.into_iter().map(|a| (a.span, false, a));
    place(doc, Some(shift), drawn.chain(orphans))
}

/// Places each annotation at `at` if its quote is there and `at` is where
/// its characters were `carried` (else not on text `shift` left alone),
/// or by the rules above, else orphans it.
fn place(doc: &Document, shift: Option<&Shift>, items: impl IntoIterator<Item = (Span, bool, Annotation)>) -> Placed {
    let mut placed = Placed::default();
    let mut text = None; // built only if something is not where `at` says
    let made = |span: Span| shift.is_none_or(|s| !s.untouched(span));
    for (at, carried, mut a) in items {
        let fits = at.end() <= doc.len() && doc.slice(at.start(), at.end()) == a.quote.exact;
        if fits && (carried || made(at)) {
            if at != a.span {
                a.span = at;
                a.quote = TextQuote::capture(doc, at);
                placed.moved += 1;
            }
            placed.anchored.push(a);
            continue;
        }
        let text = text.get_or_insert_with(|| Text::new(doc));
        let selectors = Selectors { quote: Some(&a.quote), position: Some((at.start(), at.end())) };
        match text.place(&selectors) {
            Some(found) if made(found.span) => {
                a.span = found.span;
                a.quote = TextQuote::capture(doc, found.span);
                if found.how == How::Fuzzy {
                    a.fuzzy = Some(percent(found.score));
                }
                placed.moved += 1;
                placed.anchored.push(a);
            }
            _ => placed.orphaned.push(a),
        }
    }
    placed
}

/// A fuzzy score as the whole percent a reader is shown (never 100: it
/// was not an exact match).
pub fn percent(score: f64) -> u8 {
    ((score * 100.0).floor() as u8).min(99)
}

/// How an annotation was anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Position,
    Quote,
    Fuzzy,
}

/// What decided among several exact occurrences of a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// The quote occurs once (or the position held it).
    Only,
    /// Its prefix and suffix fit this occurrence best.
    Context,
    /// Contexts fit equally well: the one nearest the position hint.
    Hint,
    /// Contexts fit equally well and there was no hint: the first.
    First,
}

/// Where an annotation went, and how sure that is: what an import report
/// tells a host about each item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchored {
    pub span: Span,
    pub how: How,
    /// For a fuzzy match, the share of the quote matched (1 − errors / length).
    pub score: f64,
    /// How many exact occurrences were weighed: of the quote with all its
    /// context when that was found (1, or 2 when a copy tied), else of
    /// the quote; 0 when it was not found exactly.
    pub occurrences: usize,
    pub decided: Decided,
}

/// What anchoring needs: the quote, and where it was (if known).
#[derive(Clone, Debug)]
pub struct Selectors<'a> {
    pub quote: Option<&'a TextQuote>,
    pub position: Option<(usize, usize)>,
}

/// The document text as code points, built once for many annotations,
/// with its paragraph breaks read as spaces: selectors from other tools
/// count a text with blank lines and raw whitespace, and are read the way
/// the document text is built (every whitespace run one space), so a
/// quote spanning two paragraphs matches whatever whitespace it carries.
/// The document text's own whitespace is single already, so positions are
/// the same in both. Its q-gram index is built once a few quotes were not
/// where their positions say.
pub struct Text {
    chars: Vec<char>,
    grams: OnceCell<Grams>,
    /// Searches made by scanning, before the index was worth building.
    scans: Cell<usize>,
}

/// How many quote searches scan the whole text before the q-gram index
/// is built: a batch builds it at once, a single add never does.
const SCANS_BEFORE_INDEX: usize = 4;

/// Every run of ASCII whitespace as one space: the document text's rule,
/// applied to a selector's `exact`, `prefix` or `suffix`. Not trimmed: a
/// quote's own leading or trailing space is part of what it selects.
pub fn collapse_whitespace(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if out.last() != Some(&' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Text {
    pub fn new(doc: &Document) -> Text {
        let chars = doc.text().chars().map(|c| if c.is_ascii_whitespace() { ' ' } else { c }).collect();
        Text { chars, grams: OnceCell::new(), scans: Cell::new(0) }
    }

    /// A text that searches through its index from the first quote on.
    #[cfg(test)]
    fn indexed(doc: &Document) -> Text {
        let text = Text::new(doc);
        text.scans.set(SCANS_BEFORE_INDEX);
        text
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    fn slice_eq(&self, start: usize, quote: &[char]) -> bool {
        self.chars.get(start..start + quote.len()) == Some(quote)
    }

    fn grams(&self) -> &Grams {
        self.grams.get_or_init(|| Grams::new(&self.chars))
    }

    /// Anchors by the rules above; `None` means orphaned.
    pub fn anchor(&self, s: &Selectors) -> Option<(Span, How)> {
        self.place(s).map(|a| (a.span, a.how))
    }

    /// Anchors by the rules above, saying how; `None` means orphaned.
    pub fn place(&self, s: &Selectors) -> Option<Anchored> {
        let len = self.len();
        let position = s.position.and_then(|(a, b)| Span::new(a, b).ok()).filter(|p| p.end() <= len);
        let sure = |span, how| Anchored { span, how, score: 1.0, occurrences: 1, decided: Decided::Only };
        let Some(q) = s.quote.filter(|q| !q.exact.is_empty()) else {
            return position.map(|p| sure(p, How::Position));
        };
        let exact = collapse_whitespace(&q.exact);
        if let Some(p) = position {
            if p.len() == exact.len() && self.slice_eq(p.start(), &exact) {
                return Some(sure(p, How::Position));
            }
        }
        let near = s.position.map(|(a, _)| a);
        let (prefix, suffix) = (collapse_whitespace(&q.prefix), collapse_whitespace(&q.suffix));
        if let Some(found) = self.exact(&exact, &prefix, &suffix, near) {
            return Some(found);
        }
        self.fuzzy(&exact, &prefix, &suffix, near)
    }

    /// Where the quote may start, ascending: the positions of its rarest
    /// q-gram, less that gram's offset (verified later), or every position
    /// for a quote shorter than a q-gram.
    fn starts(&self, exact: &[char]) -> Vec<usize> {
        let Some(last) = self.len().checked_sub(exact.len()) else { return Vec::new() };
        // A few searches scan (a host adding one annotation: ~3 ms on 1 MB);
        // many build the index first (~40 ms on 1 MB, then microseconds each).
        if self.grams.get().is_none() && self.scans.get() < SCANS_BEFORE_INDEX {
            self.scans.set(self.scans.get() + 1);
            return (0..=last).filter(|&start| self.chars[start] == exact[0] && self.slice_eq(start, exact)).collect();
        }
        match self.grams().rarest(exact) {
            Some((offset, positions)) => positions
                .iter()
                .filter_map(|&p| (p as usize).checked_sub(offset))
                .filter(|&start| start <= last)
                .collect(),
            None => (0..=last).filter(|&start| self.chars[start] == exact[0]).collect(),
        }
    }

    /// The verified occurrences of `needle`, nearest the hint first (the
    /// nearer of the next left and right), else in order.
    fn outward<'s>(&'s self, needle: &'s [char], near: Option<usize>) -> impl Iterator<Item = usize> + 's {
        let starts = self.starts(needle);
        let split = near.map_or(0, |n| starts.partition_point(|&s| s < n));
        let (mut left, mut right) = (split, split);
        std::iter::from_fn(move || loop {
            let start = match (left.checked_sub(1).map(|l| starts[l]), starts.get(right).copied()) {
                (Some(l), Some(r)) if near.is_some_and(|n| n - l <= r - n) => {
                    left -= 1;
                    l
                }
                (Some(l), None) => {
                    left -= 1;
                    l
                }
                (_, Some(r)) => {
                    right += 1;
                    r
                }
                (None, None) => return None,
            };
            if self.slice_eq(start, needle) {
                return Some(start);
            }
        })
    }

    /// Every occurrence of the quote: the best context first (fuzzy: a
    /// prefix that does not end exactly at the quote, or lacks a space,
    /// still counts for what it shares), then the nearest to the position
    /// hint, then the first. The quote with all its context, exactly, is
    /// looked for first: it beats any other, it costs the rarest q-gram of
    /// the longer string (a context usually makes it unique), and a second
    /// copy of it is what makes the hint decide.
    fn exact(&self, exact: &[char], prefix: &[char], suffix: &[char], near: Option<usize>) -> Option<Anchored> {
        let whole = [prefix, exact, suffix].concat();
        let mut fits = self.outward(&whole, near.map(|n| n.saturating_sub(prefix.len())));
        let found = |start: usize, occurrences: usize, decided: Decided| {
            let span = Span::new(start, start + exact.len()).ok()?;
            Some(Anchored { span, how: How::Quote, score: 1.0, occurrences, decided })
        };
        if let Some(at) = fits.next() {
            let tied = fits.next().is_some();
            let decided = match (tied, near) {
                (true, Some(_)) => Decided::Hint,
                (true, None) => Decided::First,
                // The quote alone occurs once: its candidate starts (a
                // gram's positions, or for a short quote every position of
                // its first character) verified, not merely counted.
                _ if self.outward(exact, None).nth(1).is_none() => Decided::Only,
                _ if prefix.is_empty() && suffix.is_empty() => Decided::Only,
                _ => Decided::Context,
            };
            return found(at + prefix.len(), 1 + usize::from(tied), decided);
        }
        if prefix.is_empty() && suffix.is_empty() {
            return None; // the quote alone is nowhere
        }
        // No occurrence has its context exactly: the most alike (a longest
        // common subsequence each side), the nearest of equals.
        let mut best: Option<(f64, usize)> = None;
        let (mut occurrences, mut tied) = (0, 0);
        for start in self.outward(exact, near) {
            occurrences += 1;
            let context = self.context(start, start + exact.len(), prefix, suffix);
            match best {
                Some((c, _)) if context <= c + 1e-9 => tied += usize::from(context >= c - 1e-9),
                _ => (best, tied) = (Some((context, start)), 1),
            }
        }
        let decided = match (occurrences, tied, near) {
            (1, _, _) => Decided::Only,
            (_, 1, _) => Decided::Context,
            (_, _, Some(_)) => Decided::Hint,
            (_, _, None) => Decided::First,
        };
        found(best?.1, occurrences, decided)
    }

    /// How well prefix and suffix agree with the text around `[start, end)`,
    /// each side in [0, 1]: the share of its characters in order in a window
    /// a little wider than itself (a longest common subsequence), so a
    /// context one character off, or missing a space, still scores. A
    /// missing context is neutral (one half), the same for every occurrence.
    fn context(&self, start: usize, end: usize, prefix: &[char], suffix: &[char]) -> f64 {
        const SLACK: usize = 4;
        let before = if self.chars[..start].ends_with(prefix) && !prefix.is_empty() {
            1.0
        } else {
            let from = start.saturating_sub(prefix.len() + SLACK);
            similarity(prefix, &self.chars[from..start])
        };
        let after = if self.chars[end..].starts_with(suffix) && !suffix.is_empty() {
            1.0
        } else {
            let to = (end + suffix.len() + SLACK).min(self.len());
            similarity(suffix, &self.chars[end..to])
        };
        before + after
    }
}

/// The share of `context`'s characters found in order in `window` (their
/// longest common subsequence), or one half when there is no context.
/// Never quite 1: a context found only with other characters between is
/// less alike than one found exactly against the quote.
fn similarity(context: &[char], window: &[char]) -> f64 {
    if context.is_empty() {
        return 0.5;
    }
    let mut row = vec![0usize; window.len() + 1];
    for &c in context {
        let mut diagonal = 0;
        for (j, &w) in window.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if c == w { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    0.99 * row[window.len()] as f64 / context.len() as f64
}

/// The edit distance a quote of `m` code points may be off by, or `None`
/// when it is too short to match fuzzily at all: short quotes are where a
/// loose match lands on the wrong words.
fn allowed_errors(m: usize) -> Option<usize> {
    match m {
        0..=7 => None,
        8..=19 => Some(1),
        _ => Some(m / 5),
    }
}

#[cfg(test)]
mod tests;
