//! The tag label of the highlight under the pointer, else the chosen one:
//! its words, placed by `marginalia_core::label_spot` where they cover no
//! text (the page's geometry is read here, the rule is the core's).

use super::{App, LabelAt};
use crate::float::viewport;
use marginalia_core::dock::Rect;
use marginalia_core::label_spot::{lines_only, place, Around};
use marginalia_core::AnnotationId;
use web_sys::DomRect;

/// How far either side of the highlight, in characters, the text the
/// label must not cover is read: more than a line of the widest column,
/// so the lines above and below are always among it.
const AROUND: usize = 400;
/// The label's height (the stylesheet's 10 px line and 2 px padding, and
/// a pixel of rounding each side).
const HEIGHT: f64 = 16.0;

impl App {
    pub(super) fn place_label(&mut self) {
        let ids: Vec<AnnotationId> =
            if self.hover.is_empty() { self.current.iter().cloned().collect() } else { self.hover.clone() };
        let items: Vec<_> = ids.iter().filter_map(|id| self.held_or_pending(id)).cloned().collect();
        let tags = self.session.annotator().tags().clone();
        let text = items
            .iter()
            .map(|a| {
                let name = tags.label(&a.tag);
                if a.id.is_suggestion() {
                    format!("Suggested {}", name.to_lowercase())
                } else {
                    name.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let spot = items.first().and_then(|a| self.label_spot(a.span.start(), a.span.end(), &text));
        self.label = match (items.first(), spot) {
            (Some(a), Some((x, y))) => Some(LabelAt { text, tag: a.tag.clone(), x, y }),
            _ => None,
        };
    }

    /// Where a label reading `text` goes for the highlight over `start..end`.
    fn label_spot(&self, start: usize, end: usize, text: &str) -> Option<(f64, f64)> {
        let map = self.map()?;
        let lines = line_boxes(&map.range(start, end)?.get_client_rects()?);
        let (first, last) = (*lines.first()?, *lines.last()?);
        let len = self.session.annotator().document().len();
        let near = lines_only(line_boxes(
            &map.range(start.saturating_sub(AROUND), (end + AROUND).min(len))?.get_client_rects()?,
        ));
        let around = Around {
            first,
            last,
            column: rect(&map.root().get_bounding_client_rect()),
            window: viewport(),
            text: &near,
        };
        place(&around, (width(text), HEIGHT))
    }
}

/// The boxes of a range's text, the empty ones (line ends) left out.
fn line_boxes(rects: &web_sys::DomRectList) -> Vec<Rect> {
    (0..rects.length()).filter_map(|i| rects.get(i)).filter(|r| r.width() > 0.0).map(|r| rect(&r)).collect()
}

fn rect(r: &DomRect) -> Rect {
    Rect { left: r.left(), top: r.top(), right: r.right(), bottom: r.bottom() }
}

/// The label's width, estimated rather than measured (it is placed before
/// it is drawn): 10 px bold capitals, at most about 7.5 px each, plus the
/// padding. An overestimate only passes over a spot that was just wide
/// enough.
fn width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.5 + 10.0
}
