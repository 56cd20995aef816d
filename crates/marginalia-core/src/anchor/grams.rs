//! An index of a text's q-grams (every run of [`Q`] code points), built
//! once per document, so finding a quote costs the occurrences of its
//! rarest q-gram rather than a scan of the whole text.

/// The q-gram length: long enough that most grams of prose are rare in a
/// 1 MB article, short enough that any quote worth matching has one.
pub const Q: usize = 4;

use std::collections::HashMap;

/// Positions of every q-gram, grouped by hash bucket and ascending within
/// each (a counting sort: two passes over the text, no per-gram allocation).
/// Distinct grams may share a bucket; callers verify each position.
pub struct Grams {
    shift: u32,
    /// `offsets[b]..offsets[b + 1]` is bucket `b`'s range in `positions`.
    offsets: Vec<u32>,
    positions: Vec<u32>,
}

impl Grams {
    pub fn new(chars: &[char]) -> Grams {
        // About one bucket per four positions: a rare gram's bucket stays
        // short, and the table small enough to count into quickly.
        let bits = (usize::BITS - chars.len().max(1).leading_zeros()).saturating_sub(2).clamp(8, 20);
        let shift = 32 - bits;
        let grams = chars.len().saturating_sub(Q - 1);
        // One pass computes every gram's bucket (a rolling hash), then a
        // counting sort lays the positions out bucket by bucket.
        let buckets: Vec<u32> = Rolling::new(chars).take(grams).map(|h| bucket(h, shift) as u32).collect();
        let mut offsets = vec![0u32; (1 << bits) + 1];
        for &b in &buckets {
            offsets[b as usize + 1] += 1;
        }
        for b in 1..offsets.len() {
            offsets[b] += offsets[b - 1];
        }
        let mut next = offsets.clone();
        let mut positions = vec![0u32; grams];
        for (start, &b) in buckets.iter().enumerate() {
            positions[next[b as usize] as usize] = start as u32;
            next[b as usize] += 1;
        }
        Grams { shift, offsets, positions }
    }

    /// The positions where `gram` (of length [`Q`]) may start, ascending:
    /// every true occurrence, and those of grams that share its bucket.
    pub fn at(&self, gram: &[char]) -> &[u32] {
        let b = hash(gram, self.shift);
        &self.positions[self.offsets[b] as usize..self.offsets[b + 1] as usize]
    }

    /// The quote's q-gram with the fewest positions, and its offset in the
    /// quote; `None` for a quote shorter than [`Q`].
    pub fn rarest(&self, quote: &[char]) -> Option<(usize, &[u32])> {
        (0..=quote.len().checked_sub(Q)?).map(|i| (i, self.at(&quote[i..i + Q]))).min_by_key(|(_, p)| p.len())
    }
}

/// Where each of a few `wanted` grams (each of length [`Q`]) occurs in
/// `chars`, ascending, by one rolling pass and no index: for a single
/// search a scan costs less than building the index it would use once.
pub fn scan(chars: &[char], wanted: &[&[char]]) -> Vec<Vec<u32>> {
    let mut by_hash: HashMap<u32, Vec<usize>> = HashMap::new();
    // A bit per low hash value: most positions are turned away by one test.
    let mut filter = vec![0u64; 1 << 10];
    for (k, gram) in wanted.iter().enumerate() {
        let h = polynomial(gram);
        by_hash.entry(h).or_default().push(k);
        filter[(h as usize >> 6) & 1023] |= 1 << (h & 63);
    }
    let mut found = vec![Vec::new(); wanted.len()];
    for (start, h) in Rolling::new(chars).enumerate() {
        if filter[(h as usize >> 6) & 1023] & (1 << (h & 63)) == 0 {
            continue;
        }
        for &k in by_hash.get(&h).map_or(&[][..], Vec::as_slice) {
            if chars[start..start + Q] == *wanted[k] {
                found[k].push(start as u32);
            }
        }
    }
    found
}

/// A gram's polynomial hash: `c0·K³ + c1·K² + c2·K + c3` (wrapping), so
/// the next gram's follows from this one's in three operations.
const K: u32 = 0x0100_0193;
const K3: u32 = K.wrapping_mul(K).wrapping_mul(K);

fn polynomial(gram: &[char]) -> u32 {
    gram.iter().fold(0u32, |h, &c| h.wrapping_mul(K).wrapping_add(u32::from(c)))
}

fn hash(gram: &[char], shift: u32) -> usize {
    bucket(polynomial(gram), shift)
}

/// The bucket of a polynomial hash: its top bits after Fibonacci mixing.
fn bucket(h: u32, shift: u32) -> usize {
    (h.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// The polynomial hash of every gram of a text, in order.
struct Rolling<'a> {
    chars: &'a [char],
    at: usize,
    h: u32,
}

impl<'a> Rolling<'a> {
    fn new(chars: &'a [char]) -> Rolling<'a> {
        let h = polynomial(&chars[..chars.len().min(Q - 1)]);
        Rolling { chars, at: 0, h }
    }
}

impl Iterator for Rolling<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let incoming = *self.chars.get(self.at + Q - 1)?;
        self.h = self.h.wrapping_mul(K).wrapping_add(u32::from(incoming));
        let out = self.h;
        // Drop the gram's first character for the next one.
        self.h = self.h.wrapping_sub(u32::from(self.chars[self.at]).wrapping_mul(K3));
        self.at += 1;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn positions_of_a_gram() {
        let text = chars("the cat and the hat and the bat");
        let grams = Grams::new(&text);
        type Case<'a> = (&'a str, &'a [u32]);
        let cases: [Case; 3] = [("the ", &[0, 12, 24]), (" and", &[7, 19]), ("bat", &[])];
        for (gram, want) in cases {
            let gram = chars(gram);
            let found: Vec<u32> = if gram.len() < Q {
                Vec::new()
            } else {
                grams.at(&gram).iter().copied().filter(|&p| text[p as usize..].starts_with(&gram)).collect()
            };
            assert_eq!(found, want, "{gram:?}");
        }
        // The rarest gram of "and the b" is one that occurs once: "e ba".
        let (offset, positions) = grams.rarest(&chars("and the b")).expect("long enough");
        assert!(positions.len() <= 2, "{offset} {positions:?}");
        assert_eq!(Grams::new(&chars("ab")).rarest(&chars("ab")), None);
    }

    proptest! {
        /// The rolling hash is the hash of each gram.
        #[test]
        fn rolling_equals_direct(text in "[ab😀 ]{0,40}") {
            let text = chars(&text);
            let rolled: Vec<usize> = Rolling::new(&text).map(|h| bucket(h, 12)).collect();
            let direct: Vec<usize> = text.windows(Q).map(|g| hash(g, 12)).collect();
            prop_assert_eq!(rolled, direct);
        }

        /// A scan finds what the index lists, verified.
        #[test]
        fn a_scan_finds_what_the_index_lists(text in "[ab😀 ]{0,60}", at in 0usize..60) {
            let text = chars(&text);
            prop_assume!(text.len() >= Q);
            let at = at % (text.len() - Q + 1);
            let gram = &text[at..at + Q];
            let listed: Vec<u32> =
                Grams::new(&text).at(gram).iter().copied().filter(|&p| text[p as usize..].starts_with(gram)).collect();
            prop_assert_eq!(scan(&text, &[gram]), vec![listed]);
        }

        /// Every occurrence of every gram is listed, in ascending order.
        #[test]
        fn every_occurrence_is_listed(text in "[ab😀 ]{0,60}", at in 0usize..60) {
            let text = chars(&text);
            let grams = Grams::new(&text);
            prop_assume!(text.len() >= Q);
            let at = at % (text.len() - Q + 1);
            let listed = grams.at(&text[at..at + Q]);
            prop_assert!(listed.windows(2).all(|w| w[0] < w[1]));
            for start in 0..=text.len() - Q {
                if text[start..start + Q] == text[at..at + Q] {
                    prop_assert!(listed.contains(&(start as u32)));
                }
            }
        }
    }
}
