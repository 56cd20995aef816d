//! Where the annotation editor docks, how far the page scrolls so the text
//! being edited stays in view beside it, and which corner the closed side
//! panel's button takes: pure geometry in CSS pixels, so the rules are
//! tested as tables, not in a browser.
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

/// A corner of the window, for the closed side panel's button (the
/// launcher): the `launcher` mount option, or chosen (`auto`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    TopRight,
    BottomRight,
    BottomLeft,
    TopLeft,
}

impl Corner {
    /// The order `auto` tries them in: the customary spot first.
    pub const ALL: [Corner; 4] = [Corner::TopRight, Corner::BottomRight, Corner::BottomLeft, Corner::TopLeft];

    /// The option's value and the stylesheet's `data-corner`.
    pub fn as_str(self) -> &'static str {
        match self {
            Corner::TopRight => "top-right",
            Corner::BottomRight => "bottom-right",
            Corner::BottomLeft => "bottom-left",
            Corner::TopLeft => "top-left",
        }
    }

    pub fn parse(value: &str) -> Option<Corner> {
        Corner::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Where a `size` box sits in this corner of a `width` × `height` window.
    pub fn place(self, width: f64, height: f64, size: (f64, f64)) -> Rect {
        let (w, h) = size;
        let (left, top) = match self {
            Corner::TopRight => (width - w, 0.0),
            Corner::BottomRight => (width - w, height - h),
            Corner::BottomLeft => (0.0, height - h),
            Corner::TopLeft => (0.0, 0.0),
        };
        Rect { left, top, right: left + w, bottom: top + h }
    }
}

/// The launcher's corner: the first, in `Corner::ALL` order, where it
/// covers none of the host's controls (`covers` says how many it would
/// cover there); if every corner covers some, the one that covers fewest.
pub fn free_corner(covers: impl Fn(Corner) -> usize) -> Corner {
    let mut best = (Corner::TopRight, usize::MAX);
    for corner in Corner::ALL {
        let n = covers(corner);
        if n == 0 {
            return corner;
        }
        if n < best.1 {
            best = (corner, n);
        }
    }
    best.0
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

    #[test]
    fn table_of_launcher_corners() {
        let cases: [(&[usize; 4], Corner, &str); 4] = [
            (&[0, 0, 0, 0], Corner::TopRight, "nothing under any: the customary spot"),
            (&[3, 0, 0, 0], Corner::BottomRight, "the host's navigation at the top right"),
            (&[2, 1, 1, 0], Corner::TopLeft, "only the top left is free"),
            (&[2, 1, 3, 1], Corner::BottomRight, "none free: the fewest covered, the first of equals"),
        ];
        for (covered, want, why) in cases {
            let got = free_corner(|c| covered[Corner::ALL.iter().position(|x| *x == c).unwrap_or(0)]);
            assert_eq!(got, want, "{why}");
        }
    }

    #[test]
    fn corners_place_the_box_inside_the_window() {
        for corner in Corner::ALL {
            let r = corner.place(390.0, 844.0, (150.0, 36.0));
            assert!(r.left >= 0.0 && r.right <= 390.0 && r.top >= 0.0 && r.bottom <= 844.0, "{corner:?}");
            assert_eq!(Corner::parse(corner.as_str()), Some(corner));
        }
        assert_eq!(Corner::parse("middle"), None);
    }
}
