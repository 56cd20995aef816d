//! `Span`: a half-open range of code points in the document text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-empty, half-open range `[start, end)` of Unicode code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "RawSpan", into = "RawSpan")]
pub struct Span {
    start: usize,
    end: usize,
}

#[derive(Serialize, Deserialize)]
struct RawSpan {
    start: usize,
    end: usize,
}

/// Why a pair of offsets is not a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmptySpan {
    pub start: usize,
    pub end: usize,
}

impl fmt::Display for EmptySpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "span {}..{} is empty or reversed", self.start, self.end)
    }
}

impl std::error::Error for EmptySpan {}

impl Span {
    /// A span from `start` to `end`; refuses `start >= end`.
    pub fn new(start: usize, end: usize) -> Result<Span, EmptySpan> {
        if start < end {
            Ok(Span { start, end })
        } else {
            Err(EmptySpan { start, end })
        }
    }

    pub fn start(self) -> usize {
        self.start
    }

    pub fn end(self) -> usize {
        self.end
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Never true: a span is non-empty by construction. Here for clippy's sake.
    pub fn is_empty(self) -> bool {
        false
    }

    pub fn contains(self, cp: usize) -> bool {
        self.start <= cp && cp < self.end
    }

    pub fn overlaps(self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

impl TryFrom<RawSpan> for Span {
    type Error = EmptySpan;
    fn try_from(raw: RawSpan) -> Result<Self, Self::Error> {
        Span::new(raw.start, raw.end)
    }
}

impl From<Span> for RawSpan {
    fn from(span: Span) -> Self {
        RawSpan { start: span.start, end: span.end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_reversed_spans_are_refused() {
        assert!(Span::new(3, 3).is_err());
        assert!(Span::new(4, 3).is_err());
        assert_eq!(Span::new(3, 4).map(Span::len), Ok(1));
    }

    #[test]
    fn serde_refuses_an_empty_span() {
        assert!(serde_json::from_str::<Span>(r#"{"start":5,"end":5}"#).is_err());
        let span: Span = serde_json::from_str(r#"{"start":1,"end":5}"#).expect("valid");
        assert_eq!((span.start(), span.end()), (1, 5));
    }

    #[test]
    fn overlap_is_half_open() {
        let s = Span::new(2, 5).expect("valid");
        assert!(s.overlaps(4, 9));
        assert!(!s.overlaps(5, 9));
        assert!(!s.overlaps(0, 2));
        assert!(s.contains(2) && !s.contains(5));
    }
}
