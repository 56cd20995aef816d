//! Where the tag label of the highlight under the pointer (or chosen) is
//! drawn: the first of a few spots beside the highlight that covers no
//! text, or nowhere. Pure geometry in viewport pixels, tested as a table.
//!
//! Drawn above the highlight whatever was there, the label covered the
//! words on the line above wherever the lines sit closer than the label is
//! tall (the phone's 390 px column, and most body text). The label is a
//! second signal beside the underline's per-tag style and the popover's
//! pressed tag, so when no spot is free it is better left out than drawn
//! over the article.

use crate::dock::Rect;

/// The room kept between the label and the text it names.
const GAP: f64 = 2.0;

/// What the placement reads from the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Around<'a> {
    /// The highlight's first and last line boxes.
    pub first: Rect,
    pub last: Rect,
    /// The article's box: the margins beside it are spots too.
    pub column: Rect,
    /// The window's width and height.
    pub window: (f64, f64),
    /// The boxes of the text near the highlight (the highlight's own
    /// lines among them): a spot that meets one is taken.
    pub text: &'a [Rect],
}

/// The label's top-left corner for a `size` (width, height) label, or
/// `None` when every spot covers text or leaves the window. Tried in
/// order: above the first line, in the left margin beside it, in the
/// right margin beside it, below the last line.
pub fn place(around: &Around, size: (f64, f64)) -> Option<(f64, f64)> {
    let (w, h) = size;
    let Around { first, last, column, .. } = *around;
    let spots = [
        (first.left, first.top - GAP - h),
        (column.left - GAP - w, first.top),
        (column.right + GAP, first.top),
        (last.left, last.bottom + GAP),
    ];
    spots.into_iter().find(|&(x, y)| free(around, Rect { left: x, top: y, right: x + w, bottom: y + h }))
}

/// The line boxes among a range's client rects. A range's rects hold,
/// besides its text's line boxes, the box of every element it wholly
/// contains; a paragraph's box reaches past its text by half the line's
/// leading, into the very gap above its first line where a label fits. A
/// box that holds another, shorter one is such an element's: left out.
pub fn lines_only(rects: Vec<Rect>) -> Vec<Rect> {
    let holds = |a: &Rect, b: &Rect| {
        a.left <= b.left
            && a.top <= b.top
            && a.right >= b.right
            && a.bottom >= b.bottom
            && a.bottom - a.top > b.bottom - b.top
    };
    rects.iter().filter(|a| !rects.iter().any(|b| holds(a, b))).copied().collect()
}

/// Whether a label at `spot` is inside the window and covers no text.
fn free(around: &Around, spot: Rect) -> bool {
    let (width, height) = around.window;
    let inside = spot.left >= 0.0 && spot.top >= 0.0 && spot.right <= width && spot.bottom <= height;
    inside && !around.text.iter().any(|t| meets(spot, *t))
}

/// Whether two boxes share any area (touching edges do not).
fn meets(a: Rect, b: Rect) -> bool {
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(left: f64, top: f64, right: f64, bottom: f64) -> Rect {
        Rect { left, top, right, bottom }
    }

    /// Lines of text 20 px tall every 26 px (a 6 px gap between lines,
    /// less than the label's 14 px), from `left` to `right`.
    fn lines(left: f64, right: f64, from: usize, to: usize) -> Vec<Rect> {
        (from..to).map(|i| rect(left, 100.0 + 26.0 * i as f64, right, 120.0 + 26.0 * i as f64)).collect()
    }

    #[test]
    fn table_of_label_spots() {
        let label = (40.0, 14.0);
        let phone_column = rect(16.0, 0.0, 374.0, 2000.0);
        let desk_column = rect(300.0, 0.0, 960.0, 2000.0);
        let phone_lines = lines(16.0, 374.0, 0, 10);
        let desk_lines = lines(300.0, 960.0, 0, 10);
        // A paragraph's first line: a 24 px paragraph gap above it.
        let mut after_gap = lines(300.0, 960.0, 0, 3);
        after_gap.extend(lines(300.0, 960.0, 4, 8));
        type Case<'a> = (&'a str, Around<'a>, Option<(f64, f64)>);
        let cases: [Case; 6] = [
            (
                "mid-paragraph on a phone: every spot covers a line or leaves the window",
                Around {
                    first: phone_lines[4],
                    last: phone_lines[4],
                    column: phone_column,
                    window: (390.0, 844.0),
                    text: &phone_lines,
                },
                None,
            ),
            (
                "mid-paragraph on a desk: the left margin beside the first line",
                Around {
                    first: rect(500.0, 204.0, 700.0, 224.0),
                    last: rect(500.0, 204.0, 700.0, 224.0),
                    column: desk_column,
                    window: (1366.0, 900.0),
                    text: &desk_lines,
                },
                Some((258.0, 204.0)),
            ),
            (
                "the first line of a paragraph: above it, in the paragraph's gap",
                Around {
                    first: rect(320.0, 204.0, 600.0, 224.0),
                    last: rect(320.0, 204.0, 600.0, 224.0),
                    column: desk_column,
                    window: (1366.0, 900.0),
                    text: &after_gap,
                },
                Some((320.0, 188.0)),
            ),
            (
                "no left margin on the window: the right margin",
                Around {
                    first: rect(20.0, 204.0, 200.0, 224.0),
                    last: rect(20.0, 204.0, 200.0, 224.0),
                    column: rect(10.0, 0.0, 700.0, 2000.0),
                    window: (1366.0, 900.0),
                    text: &lines(10.0, 700.0, 0, 10),
                },
                Some((702.0, 204.0)),
            ),
            (
                "a paragraph's last line on a phone: below it",
                Around {
                    first: phone_lines[9],
                    last: phone_lines[9],
                    column: phone_column,
                    window: (390.0, 844.0),
                    text: &phone_lines,
                },
                Some((16.0, 356.0)),
            ),
            (
                "the first line at the window's top: not above, out of sight",
                Around {
                    first: rect(16.0, 4.0, 300.0, 24.0),
                    last: rect(16.0, 4.0, 300.0, 24.0),
                    column: phone_column,
                    window: (390.0, 844.0),
                    text: &[rect(16.0, 4.0, 374.0, 24.0)],
                },
                Some((16.0, 26.0)),
            ),
        ];
        for (why, around, want) in cases {
            assert_eq!(place(&around, label), want, "{why}");
        }
    }

    #[test]
    fn table_of_line_boxes_among_a_ranges_rects() {
        let line = rect(16.0, 520.0, 364.0, 539.0);
        let space = rect(364.0, 520.0, 368.0, 539.0);
        let paragraph = rect(16.0, 516.0, 374.0, 624.0);
        let image = rect(16.0, 700.0, 374.0, 900.0);
        let cases: [(&str, Vec<Rect>, Vec<Rect>); 4] = [
            ("lines alone stay", vec![line, space], vec![line, space]),
            ("a paragraph's box around its lines goes", vec![paragraph, line, space], vec![line, space]),
            ("an element holding no line (an image) stays", vec![image, line], vec![image, line]),
            ("a box equal to a line is no element's", vec![line, line], vec![line, line]),
        ];
        for (why, rects, want) in cases {
            assert_eq!(lines_only(rects), want, "{why}");
        }
    }

    #[test]
    fn a_spot_found_covers_no_text_and_stays_in_the_window() {
        let text = lines(100.0, 600.0, 0, 12);
        for i in 0..12 {
            for column_left in [0.0, 40.0, 100.0] {
                let around = Around {
                    first: text[i],
                    last: text[(i + 2).min(11)],
                    column: rect(column_left, 0.0, 600.0, 2000.0),
                    window: (640.0, 900.0),
                    text: &text,
                };
                if let Some((x, y)) = place(&around, (40.0, 14.0)) {
                    let spot = rect(x, y, x + 40.0, y + 14.0);
                    assert!(free(&around, spot), "line {i}, column at {column_left}: {spot:?}");
                }
            }
        }
    }
}
