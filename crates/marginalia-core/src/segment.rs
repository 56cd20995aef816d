//! Segmentation: cutting text into runs where the set of annotations covering
//! it is constant, so overlapping and nested highlights render exactly.
//!
//! One sort of the span boundaries and one sweep; the only allocation per run
//! is its list of covering annotations. Rendering works one paragraph at a
//! time ([`paragraph_runs`]) over the annotations bucketed by paragraph
//! ([`bucket_by_paragraph`]), so an edit re-segments only what it touches.

use crate::annotation::Annotation;
use crate::document::Document;
use crate::span::Span;
use std::cmp::Ordering;

/// A run of text `[start, end)` (code points) and the indices, into the
/// slice of spans given, of the spans covering all of it, outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub covers: Vec<usize>,
}

/// The order marks nest in: earlier start outside, then longer outside, then
/// input order. Using it for every run keeps nesting consistent along a span.
fn nesting(spans: &[Span], a: usize, b: usize) -> Ordering {
    let (x, y) = (spans[a], spans[b]);
    x.start().cmp(&y.start()).then(y.end().cmp(&x.end())).then(a.cmp(&b))
}

/// Cuts `[from, to)` into runs. Spans may extend past the range; they are
/// clipped to it. Runs are contiguous and cover the whole range.
pub fn segment(from: usize, to: usize, spans: &[Span]) -> Vec<Segment> {
    if from >= to {
        return Vec::new();
    }
    // (position, is_start, span index); ends sort before starts at a position.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(spans.len() * 2);
    for (i, s) in spans.iter().enumerate() {
        if s.overlaps(from, to) {
            events.push((s.start().max(from), true, i));
            events.push((s.end().min(to), false, i));
        }
    }
    events.sort_unstable();

    let mut out = Vec::with_capacity(events.len() + 1);
    let mut active: Vec<usize> = Vec::new();
    let mut at = from;
    for (pos, is_start, i) in events {
        if pos > at {
            out.push(Segment { start: at, end: pos, covers: active.clone() });
            at = pos;
        }
        if is_start {
            let slot = active.partition_point(|&j| nesting(spans, j, i) == Ordering::Less);
            active.insert(slot, i);
        } else if let Some(slot) = active.iter().position(|&j| j == i) {
            active.remove(slot);
        }
    }
    if at < to {
        out.push(Segment { start: at, end: to, covers: Vec::new() });
    }
    out
}

/// For each paragraph, the indices of the annotations that touch it.
pub fn bucket_by_paragraph(doc: &Document, annotations: &[Annotation]) -> Vec<Vec<usize>> {
    let mut buckets = vec![Vec::new(); doc.paragraphs().len()];
    for (i, a) in annotations.iter().enumerate() {
        for p in doc.paragraphs_touched(a.span) {
            buckets[p].push(i);
        }
    }
    buckets
}

/// One mark inside a rendered run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunMark {
    /// Index into the annotation slice given to [`paragraph_runs`].
    pub annotation: usize,
    /// True on the first run of the annotation in this paragraph, where its
    /// label is drawn.
    pub first: bool,
}

/// A run of one paragraph, ready to render: a UTF-8 byte range of the
/// paragraph's text (so the shell slices without counting) and its marks,
/// outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub bytes: std::ops::Range<usize>,
    pub marks: Vec<RunMark>,
    /// Annotations covering the run that are not drawn on it (past
    /// [`MAX_LAYERS`]), outermost first: the shell still names them, so a
    /// click there finds every highlight under it.
    pub hidden: Vec<usize>,
}

/// How many highlights one run draws as nested layers, besides the first run
/// of each highlight, which is always drawn (it carries the label and is
/// where keyboard and screen-reader users reach the highlight). Each layer
/// is a 28% tint, so deeper ones add no visible colour, while each costs an
/// element per run: 10,000 highlights on 10 KB of text made two million.
pub const MAX_LAYERS: usize = 6;

/// The runs of paragraph `index`, given the indices of the annotations that
/// touch it (one bucket of [`bucket_by_paragraph`]).
pub fn paragraph_runs(doc: &Document, index: usize, annotations: &[Annotation], bucket: &[usize]) -> Vec<Run> {
    let Some(p) = doc.paragraphs().get(index) else { return Vec::new() };
    let spans: Vec<Span> = bucket.iter().map(|&i| annotations[i].span).collect();
    let text: &str = p.text();
    let mut seen = vec![false; spans.len()];
    // Walk the text once, turning code point boundaries into byte offsets.
    let mut chars = text.char_indices();
    let mut cp = 0;
    let mut byte_at = |target: usize| -> usize {
        while cp < target {
            chars.next();
            cp += 1;
        }
        chars.clone().next().map_or(text.len(), |(b, _)| b)
    };
    segment(p.start(), p.end(), &spans)
        .into_iter()
        .map(|seg| {
            let a = byte_at(seg.start - p.start());
            let b = byte_at(seg.end - p.start());
            let mut marks = Vec::new();
            let mut hidden = Vec::new();
            for (depth, &k) in seg.covers.iter().enumerate() {
                let first = !std::mem::replace(&mut seen[k], true);
                if first || depth < MAX_LAYERS {
                    marks.push(RunMark { annotation: bucket[k], first });
                } else {
                    hidden.push(bucket[k]);
                }
            }
            Run { bytes: a..b, marks, hidden }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Annotation, AnnotationId};
    use crate::tag::Tag;
    use proptest::prelude::*;

    /// Parses `"The <claim>UK <quote>will</quote></claim> join"` into the
    /// plain text and the tagged spans, in code points.
    fn parse_markup(markup: &str) -> (String, Vec<(Tag, Span)>) {
        let mut text = String::new();
        let mut open: Vec<(Tag, usize)> = Vec::new();
        let mut spans = Vec::new();
        let mut rest = markup;
        while let Some(lt) = rest.find('<') {
            text.push_str(&rest[..lt]);
            let gt = rest[lt..].find('>').expect("closed tag") + lt;
            let name = &rest[lt + 1..gt];
            let here = text.chars().count();
            if let Some(name) = name.strip_prefix('/') {
                let tag = Tag::parse(name).expect("valid tag");
                let at = open.iter().rposition(|(t, _)| *t == tag).expect("opened");
                let (_, start) = open.remove(at);
                spans.push((tag, Span::new(start, here).expect("non-empty")));
            } else {
                open.push((Tag::parse(name).expect("valid tag"), here));
            }
            rest = &rest[gt + 1..];
        }
        text.push_str(rest);
        (text, spans)
    }

    /// Renders the runs of a one-paragraph document back into markup, with
    /// runs separated by `|` and each run's tags in brackets.
    fn check(markup: &str, want: &str) {
        let (text, spans) = parse_markup(markup);
        let doc = Document::from_text(&text);
        let anns: Vec<Annotation> = spans
            .iter()
            .enumerate()
            .map(|(i, (tag, span))| Annotation::new(&doc, AnnotationId::generate(0, i as u64), *span, tag.clone(), 0))
            .collect();
        let buckets = bucket_by_paragraph(&doc, &anns);
        let runs = paragraph_runs(&doc, 0, &anns, &buckets[0]);
        let got: Vec<String> = runs
            .iter()
            .map(|r| {
                let tags: Vec<&str> = r.marks.iter().map(|m| anns[m.annotation].tag.as_str()).collect();
                let t = &doc.paragraphs()[0].text()[r.bytes.clone()];
                if tags.is_empty() {
                    t.to_string()
                } else {
                    format!("[{}]{t}", tags.join("+"))
                }
            })
            .collect();
        assert_eq!(got.join("|"), want, "markup {markup:?}");
    }

    #[test]
    fn table_of_overlaps() {
        check("The UK will join", "The UK will join");
        check("The <claim>UK will join</claim> the pact", "The |[claim]UK will join| the pact");
        check("<quote>All</quote>", "[quote]All");
        check("The <claim>UK <quote>will</quote> join</claim>.", "The |[claim]UK |[claim+quote]will|[claim] join|.");
        check("<claim>ab<quote>cd</claim>ef</quote>", "[claim]ab|[claim+quote]cd|[quote]ef");
        // Identical spans: both marks on every run, in input order (the
        // parser records a span when it closes, so caption comes first).
        check("x<claim><caption>same</caption></claim>y", "x|[caption+claim]same|y");
        check("<claim>a</claim><quote>b</quote>", "[claim]a|[quote]b");
        check("“<quote>Tokyo 東京 😀</quote>” שלום", "“|[quote]Tokyo 東京 😀|” שלום");
    }

    #[test]
    fn marks_nest_the_same_way_on_every_run() {
        // The longer span starts first, so it stays outermost all along.
        check(
            "<claim>a<quote>b<caption>c</caption>d</quote>e</claim>",
            "[claim]a|[claim+quote]b|[claim+quote+caption]c|[claim+quote]d|[claim]e",
        );
    }

    #[test]
    fn spans_across_paragraphs_are_clipped_per_paragraph() {
        let doc = Document::from_text("abc\ndef");
        let span = Span::new(1, 6).expect("valid");
        let anns =
            vec![Annotation::new(&doc, AnnotationId::generate(0, 0), span, Tag::parse("quote").expect("valid"), 0)];
        let buckets = bucket_by_paragraph(&doc, &anns);
        assert_eq!(buckets, vec![vec![0], vec![0]]);
        let p0 = paragraph_runs(&doc, 0, &anns, &buckets[0]);
        let p1 = paragraph_runs(&doc, 1, &anns, &buckets[1]);
        assert_eq!(p0.iter().map(|r| r.bytes.clone()).collect::<Vec<_>>(), [0..1, 1..3]);
        assert_eq!(p1.iter().map(|r| r.bytes.clone()).collect::<Vec<_>>(), [0..2, 2..3]);
        assert!(p0[1].marks[0].first && p1[0].marks[0].first);
    }

    #[test]
    fn label_goes_on_the_first_run_only() {
        let doc = Document::from_text("abcdef");
        let anns = vec![
            Annotation::new(
                &doc,
                AnnotationId::generate(0, 0),
                Span::new(0, 4).expect("valid"),
                Tag::parse("claim").expect("valid"),
                0,
            ),
            Annotation::new(
                &doc,
                AnnotationId::generate(0, 1),
                Span::new(2, 6).expect("valid"),
                Tag::parse("quote").expect("valid"),
                0,
            ),
        ];
        let runs = paragraph_runs(&doc, 0, &anns, &[0, 1]);
        let firsts: Vec<Vec<bool>> = runs.iter().map(|r| r.marks.iter().map(|m| m.first).collect()).collect();
        assert_eq!(firsts, vec![vec![true], vec![false, true], vec![false]]);
    }

    #[test]
    fn deep_runs_draw_at_most_max_layers_plus_each_first_run() {
        // Twelve highlights nested like an onion: depth d starts at d.
        let text: String = "x".repeat(40);
        let doc = Document::from_text(&text);
        let n = MAX_LAYERS + 6;
        let anns: Vec<Annotation> = (0..n)
            .map(|d| {
                let span = Span::new(d, 40 - d).expect("valid");
                Annotation::new(&doc, AnnotationId::generate(0, d as u64), span, Tag::parse("claim").expect("valid"), 0)
            })
            .collect();
        let all: Vec<usize> = (0..n).collect();
        let runs = paragraph_runs(&doc, 0, &anns, &all);
        // (drawn, hidden) per run, from the outside in: every run draws its
        // outermost MAX_LAYERS, plus the highlight that starts there.
        let shape: Vec<(Vec<usize>, Vec<usize>)> =
            runs.iter().map(|r| (r.marks.iter().map(|m| m.annotation).collect(), r.hidden.clone())).collect();
        for (d, (drawn, hidden)) in shape.iter().take(n).enumerate() {
            let mut want: Vec<usize> = (0..=d).take(MAX_LAYERS).collect();
            if d >= MAX_LAYERS {
                want.push(d);
            }
            assert_eq!(drawn, &want, "run {d}");
            let want_hidden: Vec<usize> = (MAX_LAYERS..d).collect();
            assert_eq!(hidden, &want_hidden, "run {d}");
        }
        // Every highlight is drawn somewhere, first and labelled.
        for a in 0..n {
            assert!(runs.iter().any(|r| r.marks.iter().any(|m| m.annotation == a && m.first)), "{a}");
        }
        // Drawn and hidden together are exactly the covering set.
        for r in &runs {
            assert_eq!(r.marks.len() + r.hidden.len(), segment_depth(&anns, r, &doc));
        }
    }

    fn segment_depth(anns: &[Annotation], run: &Run, doc: &Document) -> usize {
        let start = doc.paragraphs()[0].text()[..run.bytes.start].chars().count();
        anns.iter().filter(|a| a.span.overlaps(start, start + 1)).count()
    }

    fn spans_in(len: usize) -> impl Strategy<Value = Vec<Span>> {
        prop::collection::vec((0..len, 1..=len), 0..12)
            .prop_map(|pairs| pairs.into_iter().filter_map(|(a, b)| Span::new(a.min(b), a.max(b)).ok()).collect())
    }

    proptest! {
        #[test]
        fn runs_tile_the_range_and_covers_are_exact(spans in spans_in(30), from in 0usize..10, width in 1usize..25) {
            let to = from + width;
            let segs = segment(from, to, &spans);
            prop_assert_eq!(segs.first().map(|s| s.start), Some(from));
            prop_assert_eq!(segs.last().map(|s| s.end), Some(to));
            for pair in segs.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
            for seg in &segs {
                prop_assert!(seg.start < seg.end);
                for cp in seg.start..seg.end {
                    let mut want: Vec<usize> = (0..spans.len()).filter(|&i| spans[i].contains(cp)).collect();
                    let mut got = seg.covers.clone();
                    want.sort_unstable();
                    got.sort_unstable();
                    prop_assert_eq!(got, want, "code point {}", cp);
                }
            }
        }

        #[test]
        fn order_of_spans_does_not_change_the_runs(spans in spans_in(30), seed in any::<u64>()) {
            let mut shuffled: Vec<(usize, Span)> = spans.iter().copied().enumerate().collect();
            // A cheap deterministic shuffle from the seed.
            shuffled.sort_by_key(|(i, _)| (*i as u64).wrapping_mul(seed | 1).rotate_left(17));
            let order: Vec<usize> = shuffled.iter().map(|(i, _)| *i).collect();
            let reordered: Vec<Span> = shuffled.iter().map(|(_, s)| *s).collect();
            let a = segment(0, 30, &spans);
            let b = segment(0, 30, &reordered);
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                prop_assert_eq!((x.start, x.end), (y.start, y.end));
                // Same spans, in the same nesting order (ties broken by identity).
                let xs: Vec<Span> = x.covers.iter().map(|&i| spans[i]).collect();
                let ys: Vec<Span> = y.covers.iter().map(|&i| spans[order[i]]).collect();
                prop_assert_eq!(xs, ys);
            }
        }

        #[test]
        fn paragraph_runs_concatenate_back_to_the_text(
            lines in prop::collection::vec("[a-c😀東 ]{0,8}", 1..5),
            spans in spans_in(40),
        ) {
            let doc = Document::from_paragraphs(&lines);
            let anns: Vec<Annotation> = spans
                .iter()
                .filter(|s| s.end() <= doc.len())
                .enumerate()
                .map(|(i, &s)| Annotation::new(&doc, AnnotationId::generate(0, i as u64), s, Tag::parse("claim").expect("valid"), 0))
                .collect();
            let buckets = bucket_by_paragraph(&doc, &anns);
            for (i, p) in doc.paragraphs().iter().enumerate() {
                let runs = paragraph_runs(&doc, i, &anns, &buckets[i]);
                let joined: String = runs.iter().map(|r| &p.text()[r.bytes.clone()]).collect();
                prop_assert_eq!(&*joined, &**p.text());
            }
        }
    }
}
