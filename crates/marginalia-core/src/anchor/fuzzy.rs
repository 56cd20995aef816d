//! Approximate matching of a quote: edit distance with a free start in the
//! text (Sellers), computed 64 pattern characters at a time by Myers'
//! bit-parallel algorithm in Hyyrö's block form, so a 10 KB quote costs
//! about 160 word operations per text character rather than 10,000.

use std::collections::HashMap;

/// A pattern's bit masks, built once and run over any number of windows.
pub struct Matcher {
    pattern: Vec<char>,
    blocks: usize,
    /// For each character of the pattern, the bits of its positions.
    peq: HashMap<char, Vec<u64>>,
    zero: Vec<u64>,
}

/// One approximate occurrence: `[start, end)` in the text searched, with
/// its edit distance from the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub errors: usize,
    pub start: usize,
    pub end: usize,
}

impl Matcher {
    pub fn new(pattern: &[char]) -> Matcher {
        let blocks = pattern.len().div_ceil(64).max(1);
        let mut peq: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, &c) in pattern.iter().enumerate() {
            peq.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
        }
        Matcher { pattern: pattern.to_vec(), blocks, peq, zero: vec![0; blocks] }
    }

    /// `row[j]`: the least edit distance between the pattern and a piece
    /// of `text` ending at `j` (any start when `anchored` is false, the
    /// start of `text` when it is true), for `j` in `0..=text.len()`.
    pub fn row(&self, text: impl Iterator<Item = char>, anchored: bool) -> Vec<usize> {
        let last = self.blocks - 1;
        let high_last = 1u64 << ((self.len().max(1) - 1) % 64);
        let mut pv = vec![!0u64; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        let mut score = self.len();
        // The row above the pattern: 0 everywhere (a free start), or the
        // column number (anchored), so +1 enters the first block each column.
        let top = i32::from(anchored);
        let mut row = Vec::with_capacity(text.size_hint().0 + 1);
        row.push(score);
        // One character is the same in every column: the lookup is hoisted.
        let mut cached: Option<(char, &[u64])> = None;
        for c in text {
            let eq: &[u64] = match cached {
                Some((k, eq)) if k == c => eq,
                _ => {
                    let eq = self.peq.get(&c).map_or(&self.zero[..], Vec::as_slice);
                    cached = Some((c, eq));
                    eq
                }
            };
            let mut h = top;
            // Every block but the last reads its delta at row 63.
            for ((p, m), &e) in pv[..last].iter_mut().zip(&mut mv[..last]).zip(&eq[..last]) {
                h = advance(p, m, e, h, 1 << 63);
            }
            h = advance(&mut pv[last], &mut mv[last], eq[last], h, high_last);
            score = score.saturating_add_signed(h as isize);
            row.push(score);
        }
        row
    }

    /// The best occurrences in `text` with at most `allowed` errors: for
    /// each run of ends within the bound, those at its fewest errors, each
    /// reaching back no further than its alignment needs (of the starts as
    /// good as each other, the one giving the length nearest the pattern's).
    pub fn find(&self, text: &[char], allowed: usize) -> Vec<Match> {
        let row = self.row(text.iter().copied(), false);
        let mut back = None; // the reversed pattern, built when first needed
        let mut found = Vec::new();
        let mut j = 1;
        while j < row.len() {
            if row[j] > allowed {
                j += 1;
                continue;
            }
            let run = j..(j..row.len()).find(|&k| row[k] > allowed).unwrap_or(row.len());
            let fewest = run.clone().map(|k| row[k]).min().unwrap_or(allowed);
            let back = back.get_or_insert_with(|| {
                let reversed: Vec<char> = self.pattern.iter().rev().copied().collect();
                Matcher::new(&reversed)
            });
            // Ends as good as each other (a substitution, or a deletion one
            // shorter) are all offered for a short quote: the caller's
            // context decides. A long one's first is as good, and each
            // offer costs a pass over the quote.
            let offers = if self.blocks == 1 { 8 } else { 1 };
            found.extend(run.clone().filter(|&k| row[k] == fewest).take(offers).map(|end| {
                self.start_by_head(text, end, fewest).unwrap_or_else(|| self.start_of(back, text, end, fewest))
            }));
            j = run.end;
        }
        found
    }

    /// For a long pattern, where its first 64 characters best match near
    /// where the whole would begin (`end` less its length, give or take
    /// its errors): a pass of one word per column over a few thousand
    /// columns, instead of one of the whole pattern over its whole length.
    /// `None` when the head matches nowhere there (then the full pass).
    fn start_by_head(&self, text: &[char], end: usize, errors: usize) -> Option<Match> {
        if self.blocks == 1 {
            return None;
        }
        let head = Matcher::new(&self.pattern[..64]);
        let expected = end.saturating_sub(self.len());
        let from = expected.saturating_sub(errors + 64);
        let to = (expected + errors + 128).min(end);
        let found = head.find(text.get(from..to)?, 64 / 5);
        let best = found.iter().min_by_key(|m| (m.errors, (m.start + from).abs_diff(expected)))?;
        Some(Match { errors, start: best.start + from, end })
    }

    /// Where the best alignment ending at `end` with `errors` begins: the
    /// reversed pattern (`back`) over the reversed text, anchored at `end`.
    fn start_of(&self, back: &Matcher, text: &[char], end: usize, errors: usize) -> Match {
        let from = end.saturating_sub(self.len() + errors);
        let row = back.row(text[from..end].iter().rev().copied(), true);
        let len = (0..row.len())
            .filter(|&k| row[k] == errors)
            .min_by_key(|&k| (k.abs_diff(self.len()), k))
            .unwrap_or(self.len().min(end - from));
        Match { errors, start: end - len, end }
    }

    fn len(&self) -> usize {
        self.pattern.len()
    }
}

/// One 64-row block of one text column: `pv`/`mv` are its vertical deltas
/// (+1/-1), `hin` the horizontal delta entering from the block above; the
/// delta leaving at row `high` is returned (Hyyrö 2003, as in Edlib).
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, hin: i32, high: u64) -> i32 {
    let (p, m) = (*pv, *mv);
    let hin_neg = u64::from(hin < 0);
    let hin_pos = u64::from(hin > 0);
    let xv = eq | m;
    let eq = eq | hin_neg;
    let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
    let mut ph = m | !(xh | p);
    let mut mh = p & xh;
    // Branch-free: which way the delta goes is data, and unpredictable.
    let hout = i32::from(ph & high != 0) - i32::from(mh & high != 0);
    ph = (ph << 1) | hin_pos;
    mh = (mh << 1) | hin_neg;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    hout
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook dynamic programme the bit-parallel one must equal.
    fn naive_row(pattern: &[char], text: &[char], anchored: bool) -> Vec<usize> {
        let mut col: Vec<usize> = (0..=pattern.len()).collect();
        let mut row = vec![pattern.len()];
        for (j, &c) in text.iter().enumerate() {
            let mut next = vec![if anchored { j + 1 } else { 0 }; pattern.len() + 1];
            for i in 1..=pattern.len() {
                next[i] = (col[i - 1] + usize::from(pattern[i - 1] != c)).min(col[i] + 1).min(next[i - 1] + 1);
            }
            row.push(next[pattern.len()]);
            col = next;
        }
        row
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn occurrences_and_their_extent() {
        type Case<'a> = (&'a str, &'a str, usize, &'a [&'a str]);
        let cases: [Case; 5] = [
            ("one substitution", "the council voted", 1, &["the counsil voted"]),
            ("one deletion", "the council voted", 1, &["the councl voted"]),
            ("equal ends both offered", "proposed in 2022", 1, &["proposed in 202", "proposed in 2023"]),
            ("two places", "a blue car", 1, &["a blue ca", "a blue cat", "a blue car"]),
            ("too far", "the council voted", 1, &[]),
        ];
        let texts = [
            "Then the counsil voted no.",
            "Then the councl voted no.",
            "It was proposed in 2023, said.",
            "I saw a blue cat and a blue car.",
            "Then the cuoncil vote no.",
        ];
        for ((name, pattern, allowed, want), text) in cases.into_iter().zip(texts) {
            let text = chars(text);
            let found: Vec<String> = Matcher::new(&chars(pattern))
                .find(&text, allowed)
                .iter()
                .map(|m| text[m.start..m.end].iter().collect())
                .collect();
            assert_eq!(found, want, "{name}");
        }
    }

    proptest! {
        #[test]
        fn equals_the_textbook_programme(
            pattern in "[ab😀]{1,150}", text in "[ab😀c]{0,200}", anchored in proptest::bool::ANY,
        ) {
            let (pattern, text) = (chars(&pattern), chars(&text));
            let row = Matcher::new(&pattern).row(text.iter().copied(), anchored);
            prop_assert_eq!(row, naive_row(&pattern, &text, anchored));
        }

        #[test]
        fn a_match_is_as_close_as_reported(pattern in "[ab]{8,80}", text in "[abc]{0,120}") {
            let (pattern, text) = (chars(&pattern), chars(&text));
            for m in Matcher::new(&pattern).find(&text, pattern.len() / 5) {
                let piece = &text[m.start..m.end];
                prop_assert_eq!(naive_row(&pattern, piece, true)[piece.len()], m.errors);
            }
        }
    }
}
