//! The painter for browsers without `CSS.highlights`: translucent boxes
//! placed over each highlight's client rects, in a layer of the widget's
//! own shadow root. The article's DOM is untouched here too; the boxes
//! take no pointer events, so clicks reach the text and are hit-tested as
//! usual. Boxes are placed relative to the layer itself, so they scroll
//! with the page; a resize places them again.

use crate::shown::Shown;
use crate::text_map::TextMap;
use marginalia_core::{Annotation, Span};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

#[derive(Default)]
pub struct Overlay {
    layer: Option<HtmlElement>,
    /// Each annotation's boxes.
    drawn: Shown<Vec<Element>>,
    active: Vec<Element>,
    /// The window size the boxes were placed for.
    placed_for: (f64, f64),
}

impl Overlay {
    /// Draws exactly `items`, redrawing only what changed, or everything
    /// if the window was resized since.
    pub fn sync(&mut self, map: &TextMap, items: &[&Annotation], root: &ShadowRoot, operations: &mut u64) {
        let Some(layer) = self.layer(root) else { return };
        let size = window_size();
        if size != self.placed_for {
            self.clear_boxes();
            self.placed_for = size;
        }
        let origin = layer.get_bounding_client_rect();
        self.drawn.start();
        for a in items {
            if self.drawn.unchanged(&a.id, &a.tag, a.span) {
                continue;
            }
            if let Some(old) = self.drawn.remove(&a.id) {
                old.iter().for_each(Element::remove);
            }
            let boxes = draw(&layer, &origin, map, a.span, a.tag.as_str(), a.id.is_suggestion(), "overlay-box");
            *operations += 1;
            self.drawn.insert(a.id.clone(), a.tag.clone(), a.span, boxes);
        }
        self.drawn.sweep(|old| {
            old.iter().for_each(Element::remove);
            *operations += 1;
        });
    }

    pub fn set_active(&mut self, map: &TextMap, span: Option<Span>, root: &ShadowRoot) {
        self.active.drain(..).for_each(|b| b.remove());
        let (Some(span), Some(layer)) = (span, self.layer(root)) else { return };
        let origin = layer.get_bounding_client_rect();
        self.active = draw(&layer, &origin, map, span, "", false, "overlay-box active");
    }

    /// Whether the window changed size since the boxes were placed.
    pub fn stale(&self) -> bool {
        !self.drawn.is_empty() && window_size() != self.placed_for
    }

    fn clear_boxes(&mut self) {
        for boxes in self.drawn.drain() {
            boxes.iter().for_each(Element::remove);
        }
        self.active.drain(..).for_each(|b| b.remove());
    }

    pub fn clear(&mut self) {
        self.clear_boxes();
        if let Some(layer) = self.layer.take() {
            layer.remove();
        }
    }

    fn layer(&mut self, root: &ShadowRoot) -> Option<HtmlElement> {
        if let Some(layer) = self.layer.as_ref().filter(|l| l.is_connected()) {
            return Some(layer.clone());
        }
        let document = web_sys::window()?.document()?;
        let layer: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
        layer.set_class_name("overlay");
        layer.set_attribute("aria-hidden", "true").ok()?;
        root.append_child(&layer).ok()?;
        self.layer = Some(layer.clone());
        Some(layer)
    }
}

fn window_size() -> (f64, f64) {
    let window = web_sys::window();
    let num = |v: Option<wasm_bindgen::JsValue>| v.and_then(|v| v.as_f64()).unwrap_or(0.0);
    (num(window.as_ref().and_then(|w| w.inner_width().ok())), num(window.as_ref().and_then(|w| w.inner_height().ok())))
}

/// One box per client rect of `span`, placed relative to the layer.
fn draw(
    layer: &HtmlElement,
    origin: &web_sys::DomRect,
    map: &TextMap,
    span: Span,
    tag: &str,
    suggested: bool,
    class: &str,
) -> Vec<Element> {
    let Some(rects) = map.range(span.start(), span.end()).and_then(|r| r.get_client_rects()) else {
        return Vec::new();
    };
    let Some(document) = layer.owner_document() else { return Vec::new() };
    let px = |v: f64| format!("{}px", v.round() as i64);
    let mut boxes = Vec::new();
    for rect in (0..rects.length()).filter_map(|i| rects.get(i)).filter(|r| r.width() > 0.0) {
        let Ok(el) = document.create_element("div") else { continue };
        el.set_class_name(class);
        // The attribute names are not interned: this fallback was the first
        // paint's only use of wasm-bindgen's string cache (0.9 KB gzip).
        if !tag.is_empty() {
            let _ = el.set_attribute("data-tag", tag);
        }
        if suggested {
            let _ = el.set_attribute("data-suggested", "true");
        }
        if let Some(html) = el.dyn_ref::<HtmlElement>() {
            let style = html.style();
            let _ = style.set_property("left", &px(rect.left() - origin.left()));
            let _ = style.set_property("top", &px(rect.top() - origin.top()));
            let _ = style.set_property("width", &px(rect.width()));
            let _ = style.set_property("height", &px(rect.height()));
        }
        if layer.append_child(&el).is_ok() {
            boxes.push(el);
        }
    }
    boxes
}
