//! The fuzzy fallback: where a quote that is nowhere exactly is most
//! nearly, searched only where it can be (near the hint, and where its
//! q-grams cluster on a long text), so its cost stays bounded.

use super::fuzzy::{Match, Matcher};
use super::grams::{self, Q};
use super::{allowed_errors, Anchored, Decided, How, Text};
use crate::span::Span;

/// A fuzzy search over more than this many pattern blocks × text
/// characters looks only near the hint and where the quote's q-grams
/// cluster: it bounds a 10 KB quote on a 1 MB text to a few milliseconds.
const WHOLE_TEXT_BUDGET: usize = 4_000_000;

impl Text {
    /// The best approximate occurrence (Myers' bit-parallel edit distance,
    /// see [`fuzzy`]), scored on quote, context and distance to the hint.
    /// On a short text it looks everywhere; on a long one, near the hint and
    /// where the quote's q-grams cluster, so its cost stays bounded.
    pub(super) fn fuzzy(
        &self,
        exact: &[char],
        prefix: &[char],
        suffix: &[char],
        near: Option<usize>,
    ) -> Option<Anchored> {
        let m = exact.len();
        let allowed = allowed_errors(m)?;
        let matcher = Matcher::new(exact);
        let mut windows = Vec::new();
        if m.div_ceil(64) * self.len() <= WHOLE_TEXT_BUDGET {
            windows.push((0, self.len()));
        } else {
            if let Some(n) = near {
                let from = n.saturating_sub(2000).min(self.len());
                windows.push((from, (n + m + 2000).min(self.len())));
            }
            windows.extend(self.clusters(exact, allowed));
        }
        // In order (the hint's, then the clusters by votes), each once; a
        // match within 1% of the quote ends the search: another copy could
        // not be much closer, and each window of a 10 KB quote costs
        // milliseconds.
        let mut candidates: Vec<Match> = Vec::new();
        let mut searched: Vec<(usize, usize)> = Vec::new();
        for (from, to) in windows {
            if searched.iter().any(|&(f, t)| f <= from && to <= t) {
                continue;
            }
            searched.push((from, to));
            candidates.extend(matcher.find(&self.chars[from..to], allowed).into_iter().map(|c| Match {
                start: c.start + from,
                end: c.end + from,
                ..c
            }));
            if candidates.iter().any(|c| c.errors * 100 <= m) {
                break;
            }
        }
        let score = |c: &Match| {
            let quote = 1.0 - c.errors as f64 / m as f64;
            let context = self.context(c.start, c.end, prefix, suffix) / 2.0;
            let distance = near.map_or(0.0, |n| n.abs_diff(c.start) as f64 / (self.len().max(1)) as f64);
            quote * 0.7 + context * 0.2 - distance * 0.1
        };
        // Then the length nearest the quote's, then the first.
        let best = candidates.iter().min_by(|a, b| {
            score(b).total_cmp(&score(a)).then((a.end - a.start).abs_diff(m).cmp(&(b.end - b.start).abs_diff(m)))
        })?;
        let span = Span::new(best.start, best.end).ok()?;
        let score = 1.0 - best.errors as f64 / m as f64;
        Some(Anchored { span, how: How::Fuzzy, score, occurrences: 0, decided: Decided::Only })
    }

    /// Windows where an approximate occurrence of the quote may be: where
    /// many of its q-grams fall on one diagonal (text position less quote
    /// offset). A match with k errors keeps most of its grams, shifted by
    /// at most k; grams too common to tell anything are not counted. The
    /// window spans the diagonals that voted near the best one, so a quote
    /// with substitutions only costs little more than its own length.
    fn clusters(&self, exact: &[char], allowed: usize) -> Vec<(usize, usize)> {
        const BIN: usize = 64;
        let step = (exact.len() / 256).max(1);
        let common = 64 + self.len() / 4096;
        let sampled: Vec<(usize, &[char])> =
            (0..=exact.len().saturating_sub(Q)).step_by(step).filter_map(|i| Some((i, exact.get(i..i + Q)?))).collect();
        // The index when built (a batch), else one scan for these grams.
        let positions: Vec<Vec<u32>> = match self.grams.get() {
            Some(grams) => sampled.iter().map(|(_, g)| grams.at(g).to_vec()).collect(),
            None => {
                let wanted: Vec<&[char]> = sampled.iter().map(|&(_, g)| g).collect();
                grams::scan(&self.chars, &wanted)
            }
        };
        // Diagonals are offset by the quote's length so none is negative.
        let shift = exact.len();
        let mut votes: Vec<usize> = Vec::new();
        for (&(i, _), positions) in sampled.iter().zip(&positions) {
            if positions.len() <= common {
                votes.extend(positions.iter().map(|&p| (p as usize + shift - i) / BIN));
            }
        }
        votes.sort_unstable();
        let mut bins: Vec<(usize, u32)> = Vec::new();
        for bin in votes {
            match bins.last_mut() {
                Some(last) if last.0 == bin => last.1 += 1,
                _ => bins.push((bin, 1)),
            }
        }
        bins.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let most = bins.first().map_or(0, |b| b.1);
        let reach = allowed.div_ceil(BIN) + 1;
        // The best bin, and a second only if as good (a quote printed twice).
        let mut centres: Vec<usize> = Vec::new();
        for &(bin, votes) in bins.iter().take(2) {
            if votes * 10 >= most * 9 && !centres.iter().any(|&c| c.abs_diff(bin) <= reach) {
                centres.push(bin);
            }
        }
        centres
            .into_iter()
            .map(|centre| {
                // The diagonals that voted within reach of it, each side.
                let near = bins.iter().filter(|b| b.0.abs_diff(centre) <= reach && b.1 * 8 >= most);
                let (low, high) = near.fold((centre, centre), |(l, h), b| (l.min(b.0), h.max(b.0)));
                let from = (low * BIN).saturating_sub(shift + BIN);
                let to = ((high + 2) * BIN).saturating_sub(shift) + exact.len();
                (from.min(self.len()), to.min(self.len()))
            })
            .collect()
    }
}
