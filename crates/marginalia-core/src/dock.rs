//! Where the annotation editor docks, and how far the page scrolls so the
//! text being edited stays in view beside it: pure geometry in CSS pixels,
//! so the rule is tested as a table, not in a browser.
//!
//! The editor holds the long forms (note, fact-check, speaker). A popover
//! over the text hid the very claim being checked; docked at a side of the
//! window, or as a bottom sheet on a narrow one, it leaves the claim
//! visible, and the page is scrolled to bring the claim into the part of
//! the window the editor leaves free.

/// A box in viewport coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// Where the editor goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dock {
    /// At the top of the widget's panel, in its column beside the article
    /// (the stand-alone page, a host page's side panel): it covers nothing.
    Side,
    Right,
    Left,
    /// A sheet along the bottom, [`SHEET`] of the window's height.
    Bottom,
}

impl Dock {
    /// The name the stylesheet places by (`data-dock`).
    pub fn as_str(self) -> &'static str {
        match self {
            Dock::Side => "side",
            Dock::Right => "right",
            Dock::Left => "left",
            Dock::Bottom => "bottom",
        }
    }
}

/// The docked editor's width at a side (the stylesheet's, kept equal).
pub const WIDTH: f64 = 380.0;
/// Below this window width the editor is a bottom sheet: a side editor
/// would leave the text a strip too narrow to read.
pub const NARROW: f64 = 600.0;
/// The bottom sheet's share of the window's height (the stylesheet's).
pub const SHEET: f64 = 0.5;
/// Room kept between the text and the editor or the window's edge.
const GAP: f64 = 12.0;

/// Where the editor goes for text at `text` in a window `width` wide: the
/// panel's column when the widget has one `beside` the article; else the
/// right side if the text ends left of it, else the left side if the text
/// starts right of it, else the bottom. A narrow window always gets the
/// bottom sheet.
pub fn choose(width: f64, text: Rect, beside: bool) -> Dock {
    if width < NARROW {
        Dock::Bottom
    } else if beside {
        Dock::Side
    } else if text.right + GAP <= width - WIDTH {
        Dock::Right
    } else if text.left - GAP >= WIDTH {
        Dock::Left
    } else {
        Dock::Bottom
    }
}

/// The part of the window's height the editor leaves free, top and bottom.
pub fn free_band(dock: Dock, height: f64) -> (f64, f64) {
    match dock {
        Dock::Side | Dock::Right | Dock::Left => (GAP, height - GAP),
        Dock::Bottom => (GAP, height * (1.0 - SHEET) - GAP),
    }
}

/// How far to scroll the page down (negative: up) so `text` is inside the
/// free band: not at all if it already is, else centred in it, or its top
/// at the band's top when it is taller than the band.
pub fn scroll_by(dock: Dock, height: f64, text: Rect) -> f64 {
    let (top, bottom) = free_band(dock, height);
    if text.top >= top && text.bottom <= bottom {
        return 0.0;
    }
    let tall = text.bottom - text.top;
    if tall >= bottom - top {
        text.top - top
    } else {
        text.top - (top + (bottom - top - tall) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(left: f64, top: f64, right: f64, bottom: f64) -> Rect {
        Rect { left, top, right, bottom }
    }

    #[test]
    fn table_of_where_the_editor_docks() {
        let cases = [
            // (window width, text, panel column beside the article, dock, why)
            (
                1366.0,
                rect(40.0, 300.0, 700.0, 324.0),
                false,
                Dock::Right,
                "the page's article column leaves the right free",
            ),
            (1366.0, rect(500.0, 300.0, 980.0, 324.0), false, Dock::Left, "text on the right half: the left is free"),
            (
                1366.0,
                rect(300.0, 300.0, 1100.0, 324.0),
                false,
                Dock::Bottom,
                "text across the window: neither side is free",
            ),
            (1366.0, rect(40.0, 300.0, 974.0, 324.0), false, Dock::Right, "ends exactly a gap short of the editor"),
            (
                1366.0,
                rect(40.0, 300.0, 975.0, 324.0),
                false,
                Dock::Bottom,
                "a pixel closer: not right, and no room left",
            ),
            (599.0, rect(10.0, 300.0, 100.0, 324.0), false, Dock::Bottom, "narrow window: always a sheet"),
            (390.0, rect(10.0, 300.0, 380.0, 324.0), false, Dock::Bottom, "a phone"),
            (600.0, rect(10.0, 300.0, 200.0, 324.0), false, Dock::Right, "just wide enough for a side"),
            (1366.0, rect(300.0, 300.0, 1100.0, 324.0), true, Dock::Side, "the panel's column is beside the text"),
            (390.0, rect(10.0, 300.0, 380.0, 324.0), true, Dock::Bottom, "a phone: the column is under the article"),
        ];
        for (width, text, beside, want, why) in cases {
            assert_eq!(choose(width, text, beside), want, "{why}");
        }
    }

    #[test]
    fn table_of_scrolls_that_bring_the_text_into_the_free_part() {
        let cases = [
            // (dock, window height, text, scroll, why)
            (Dock::Right, 900.0, rect(0.0, 300.0, 100.0, 324.0), 0.0, "already in view"),
            (Dock::Right, 900.0, rect(0.0, 1200.0, 100.0, 1224.0), 762.0, "below the window: centred"),
            (Dock::Right, 900.0, rect(0.0, -100.0, 100.0, -76.0), -538.0, "above the window: centred"),
            (Dock::Bottom, 844.0, rect(0.0, 300.0, 100.0, 324.0), 0.0, "above the sheet already"),
            (Dock::Bottom, 844.0, rect(0.0, 600.0, 100.0, 648.0), 413.0, "under the sheet: centred above it"),
            (
                Dock::Bottom,
                844.0,
                rect(0.0, 600.0, 100.0, 1200.0),
                588.0,
                "taller than the free part: its top at the top",
            ),
        ];
        for (dock, height, text, want, why) in cases {
            assert_eq!(scroll_by(dock, height, text), want, "{why}");
        }
    }

    #[test]
    fn after_the_scroll_the_text_is_inside_the_band() {
        for top in [-2000.0, -30.0, 0.0, 200.0, 420.0, 700.0, 5000.0] {
            for dock in [Dock::Right, Dock::Bottom] {
                let text = rect(0.0, top, 10.0, top + 60.0);
                let dy = scroll_by(dock, 844.0, text);
                let (band_top, band_bottom) = free_band(dock, 844.0);
                assert!(text.top - dy >= band_top && text.bottom - dy <= band_bottom, "{dock:?} at {top}");
            }
        }
    }
}
