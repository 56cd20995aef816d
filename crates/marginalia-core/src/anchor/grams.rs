//! An index of a text's q-grams (every run of [`Q`] code points), built
//! once per document, so finding a quote costs the occurrences of its
//! rarest q-gram rather than a scan of the whole text.

/// The q-gram length: long enough that most grams of prose are rare in a
/// 1 MB article, short enough that any quote worth matching has one.
pub const Q: usize = 4;

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
        let mut offsets = vec![0u32; (1 << bits) + 1];
        for start in 0..grams {
            offsets[hash(&chars[start..start + Q], shift) + 1] += 1;
        }
        for b in 1..offsets.len() {
            offsets[b] += offsets[b - 1];
        }
        let mut next = offsets.clone();
        let mut positions = vec![0u32; grams];
        for start in 0..grams {
            let b = hash(&chars[start..start + Q], shift);
            positions[next[b] as usize] = start as u32;
            next[b] += 1;
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

/// Fibonacci hashing of the gram's code points, the top bits kept.
fn hash(gram: &[char], shift: u32) -> usize {
    let mut h: u32 = 0;
    for &c in gram {
        h = (h ^ u32::from(c)).wrapping_mul(0x9E37_79B1).rotate_left(5);
    }
    (h.wrapping_mul(0x9E37_79B1) >> shift) as usize
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
