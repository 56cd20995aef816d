//! How a host's edit moved the text: the old and the new document text
//! diffed, so each position of the old text is carried to where that very
//! character went. Anchoring without it only has the old position as a
//! hint, and a paragraph inserted above two copies of a caption moves the
//! first copy onto the second's old place, where the nearest one wins. The
//! widget saw the edit: it knows where the text went.
//!
//! The diff is Myers' O(ND) over paragraphs (a host inserts, deletes or
//! rewrites paragraphs), then over the characters of each run of changed
//! paragraphs (a word changed inside one). Each is bounded: past the bound
//! the run's common beginning and end are kept and its middle counts as
//! changed, so a rewrite of the whole article costs a linear pass, never a
//! quadratic one.

use crate::document::Document;
use crate::span::Span;

/// The most edits (insertions plus deletions) Myers' diff looks for over
/// paragraphs; its memory is quadratic in this (~2 MB at 512).
const PARAGRAPH_EDITS: usize = 512;
/// The same over the characters of a run of changed paragraphs.
const CHAR_EDITS: usize = 256;
/// A run of changed paragraphs longer than this (code points, either side)
/// is not diffed character by character: its common ends are kept.
const CHAR_RUN: usize = 20_000;

/// A stretch of text the edit left as it was: `len` code points at `old`
/// in the old text are at `new` in the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kept {
    pub old: usize,
    pub new: usize,
    pub len: usize,
}

/// Where an old span is in the new text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shifted {
    /// Both its ends are in kept text: the same characters are here (what
    /// lies between may have been edited; the quote confirms it).
    To(Span),
    /// An end was in edited text: the edit began here, a hint for the quote.
    Near(usize),
}

/// The kept stretches of an edit, in order (both their old and their new
/// positions ascend).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shift {
    kept: Vec<Kept>,
}

impl Shift {
    /// The edit from `old` to `new`.
    pub fn between(old: &Document, new: &Document) -> Shift {
        let (a, b) = (old.paragraphs(), new.paragraphs());
        let texts = |ps: &[crate::document::Paragraph]| ps.iter().map(|p| p.text().clone()).collect::<Vec<_>>();
        let (ta, tb) = (texts(a), texts(b));
        let runs = diff(&ta, &tb, PARAGRAPH_EDITS);
        let mut kept = Vec::new();
        let (mut i, mut j) = (0, 0);
        for run in runs.iter().copied().chain([Run { a: a.len(), b: b.len(), len: 0 }]) {
            // Paragraphs i..run.a were changed into j..run.b.
            if i < run.a && j < run.b {
                let (from, to) = (a[i].start(), a[run.a - 1].end());
                let (into, upto) = (b[j].start(), b[run.b - 1].end());
                let old_chars: Vec<char> = old.slice(from, to).chars().collect();
                let new_chars: Vec<char> = new.slice(into, upto).chars().collect();
                let inner = if old_chars.len().max(new_chars.len()) <= CHAR_RUN {
                    diff(&old_chars, &new_chars, CHAR_EDITS)
                } else {
                    ends(&old_chars, &new_chars)
                };
                kept.extend(inner.into_iter().map(|r| Kept { old: from + r.a, new: into + r.b, len: r.len }));
            }
            if run.len > 0 {
                let (first, last) = (&a[run.a], &a[run.a + run.len - 1]);
                kept.push(Kept { old: first.start(), new: b[run.b].start(), len: last.end() - first.start() });
            }
            (i, j) = (run.a + run.len, run.b + run.len);
        }
        Shift { kept }
    }

    pub fn kept(&self) -> &[Kept] {
        &self.kept
    }

    /// Where the character at old position `p` went, or (when the edit
    /// changed it) where the edit around it begins in the new text.
    fn start(&self, p: usize) -> Result<usize, usize> {
        let at = self.kept.partition_point(|k| k.old <= p);
        match at.checked_sub(1).map(|i| self.kept[i]) {
            Some(k) if p < k.old + k.len => Ok(k.new + p - k.old),
            Some(k) => Err(k.new + k.len),
            None => Err(0),
        }
    }

    /// Where an old span's end (exclusive) went: the end of the character
    /// before it.
    fn end(&self, e: usize) -> Result<usize, usize> {
        let at = self.kept.partition_point(|k| k.old < e);
        match at.checked_sub(1).map(|i| self.kept[i]) {
            Some(k) if e <= k.old + k.len => Ok(k.new + e - k.old),
            Some(k) => Err(k.new + k.len),
            None => Err(0),
        }
    }

    /// Whether every character of `span` (of the new text) was there
    /// before the edit, unchanged: an annotation whose own text the edit
    /// changed is not placed on such text, which was another occurrence of
    /// its words all along.
    pub fn untouched(&self, span: Span) -> bool {
        let mut at = self.kept.partition_point(|k| k.new + k.len <= span.start());
        let mut covered = span.start();
        while let Some(k) = self.kept.get(at) {
            if k.new > covered || covered >= span.end() {
                break;
            }
            covered = k.new + k.len;
            at += 1;
        }
        covered >= span.end()
    }

    /// Where an old span is in the new text.
    pub fn span(&self, span: Span) -> Shifted {
        match (self.start(span.start()), self.end(span.end())) {
            (Ok(s), Ok(e)) => Span::new(s, e).map_or(Shifted::Near(s), Shifted::To),
            (Ok(s) | Err(s), _) => Shifted::Near(s),
        }
    }
}

/// A paragraph's shape in an outline: its length in code points and a
/// 32-bit hash of its text.
fn shape(text: &str, len: usize) -> (usize, u32) {
    (len, (crate::document::fnv1a(text.as_bytes()) >> 32) as u32)
}

/// The outline of a document text, saved with its annotations: each
/// paragraph's length and hash (`"len.hash len.hash …"`, ~13 bytes a
/// paragraph). The widget does not always see the host's edit (it was
/// made between visits, or before the annotator loaded): with the outline
/// of the text the saved positions count in, the paragraphs left as they
/// were are found again, in order, and their highlights carried exactly.
pub fn outline(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.paragraphs().len() * 13);
    for (i, p) in doc.paragraphs().iter().enumerate() {
        let (len, hash) = shape(p.text(), p.len());
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{len}.{hash:08x}"));
    }
    out
}

impl Shift {
    /// The edit from the text `outline` describes to `new`, paragraph by
    /// paragraph (the old text itself is not kept); `None` for an outline
    /// that does not read.
    pub fn from_outline(outline: &str, new: &Document) -> Option<Shift> {
        let old: Vec<(usize, u32)> = outline
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| {
                let (len, hash) = t.split_once('.')?;
                Some((len.parse().ok()?, u32::from_str_radix(hash, 16).ok()?))
            })
            .collect::<Option<_>>()?;
        let b = new.paragraphs();
        let shapes: Vec<(usize, u32)> = b.iter().map(|p| shape(p.text(), p.len())).collect();
        let mut starts = Vec::with_capacity(old.len());
        let mut at = 0;
        for (len, _) in &old {
            starts.push(at);
            at += len + 1;
        }
        let kept = diff(&old, &shapes, PARAGRAPH_EDITS)
            .into_iter()
            .map(|r| {
                let last = r.a + r.len - 1;
                Kept { old: starts[r.a], new: b[r.b].start(), len: starts[last] + old[last].0 - starts[r.a] }
            })
            .collect();
        Some(Shift { kept })
    }
}

/// A run of equal items: `len` of them at `a` in the one, `b` in the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    a: usize,
    b: usize,
    len: usize,
}

/// The equal runs of a shortest edit from `a` to `b` (Myers), or of their
/// common ends alone when more than `max_edits` edits would be needed.
fn diff<T: PartialEq>(a: &[T], b: &[T], max_edits: usize) -> Vec<Run> {
    myers(a, b, max_edits).unwrap_or_else(|| ends(a, b))
}

/// The common beginning and end of `a` and `b`, as runs.
fn ends<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Run> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let mut runs = Vec::new();
    if head > 0 {
        runs.push(Run { a: 0, b: 0, len: head });
    }
    if tail > 0 {
        runs.push(Run { a: a.len() - tail, b: b.len() - tail, len: tail });
    }
    runs
}

/// Myers' greedy shortest edit script, with every step's furthest reaches
/// kept (a triangle, quadratic in the edits, not in the lengths) to walk
/// back along. `None` when more than `max_edits` edits are needed.
fn myers<T: PartialEq>(a: &[T], b: &[T], max_edits: usize) -> Option<Vec<Run>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (a.len() + b.len()).min(max_edits) as isize;
    let offset = limit + 1;
    // reach[k + offset]: the furthest x on diagonal k = x − y.
    let mut reach = vec![0isize; 2 * limit as usize + 3];
    // trace[d][k + d]: reach on diagonal k after d edits.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit {
        for k in (-d..=d).step_by(2) {
            let i = (k + offset) as usize;
            let down = k == -d || (k != d && reach[i - 1] < reach[i + 1]);
            let mut x = if down { reach[i + 1] } else { reach[i - 1] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                (x, y) = (x + 1, y + 1);
            }
            reach[i] = x;
            if x >= n && y >= m {
                trace.push(reach[(offset - d) as usize..=(offset + d) as usize].to_vec());
                return Some(walk_back(&trace, n, m));
            }
        }
        trace.push(reach[(offset - d) as usize..=(offset + d) as usize].to_vec());
    }
    None
}

/// The equal runs (diagonal snakes) of the path that `trace` found, in order.
fn walk_back(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Run> {
    let at = |d: isize, k: isize| trace[d as usize][(k + d) as usize];
    let mut runs = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize).rev() {
        let k = x - y;
        let down = k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = at(d - 1, prev_k);
        // The edit took the path from (prev_x, ·) to `start`, then the snake to `x`.
        let start = if down { prev_x } else { prev_x + 1 };
        if x > start {
            runs.push(Run { a: start as usize, b: (start - k) as usize, len: (x - start) as usize });
        }
        (x, y) = (prev_x, prev_x - prev_k);
    }
    // No edit before: the snake from the very beginning.
    if x > 0 {
        runs.push(Run { a: 0, b: 0, len: x as usize });
    }
    runs.reverse();
    runs
}

#[cfg(test)]
mod tests;
