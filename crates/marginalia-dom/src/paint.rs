//! Paints every highlight through the CSS Custom Highlight API: one static
//! range per annotation in the `CSS.highlights` entry of its tag, and
//! nothing in the article's DOM.
//!
//! Registry names are `marginalia-<tag id>` for annotations and
//! `marginalia-suggested-<tag id>` for pending suggestions (the core's
//! `theme` names them and writes their `::highlight()` rules). Widgets on
//! one page share an entry and each adds and removes only its own ranges;
//! an entry is dropped only when it is left empty, and the registry is
//! never cleared, so another script's highlights are never touched.
//!
//! `sync` compares the annotations with what is painted by id, tag and
//! span, so one edit adds or removes the ranges of what it touched and
//! nothing else ([`Painter::operations`] counts them for the tests).
//!
//! Where the browser has no `CSS.highlights`, the same calls draw boxes in
//! the widget's shadow root instead (`overlay`).

use crate::overlay::Overlay;
use crate::shown::Shown;
use crate::text_map::TextMap;
use js_sys::Reflect;
use marginalia_core::theme::{highlight_name, suggested_name, ACTIVE};
use marginalia_core::{Annotation, Span};
use wasm_bindgen::prelude::*;
use web_sys::{ShadowRoot, StaticRange};

#[wasm_bindgen]
extern "C" {
    /// A `Highlight`: a set of ranges painted alike.
    #[wasm_bindgen(js_name = Highlight)]
    type Highlight;
    #[wasm_bindgen(constructor, js_class = "Highlight", catch)]
    fn new() -> Result<Highlight, JsValue>;
    #[wasm_bindgen(method, js_class = "Highlight")]
    fn add(this: &Highlight, range: &StaticRange);
    #[wasm_bindgen(method, js_class = "Highlight", js_name = delete)]
    fn remove(this: &Highlight, range: &StaticRange) -> bool;
    #[wasm_bindgen(method, getter, js_class = "Highlight")]
    fn size(this: &Highlight) -> u32;
    #[wasm_bindgen(method, setter, js_class = "Highlight")]
    fn set_priority(this: &Highlight, priority: i32);

    /// `CSS.highlights`, a map from names to highlights.
    type Registry;
    #[wasm_bindgen(method)]
    fn get(this: &Registry, name: &str) -> JsValue;
    #[wasm_bindgen(method)]
    fn set(this: &Registry, name: &str, highlight: &Highlight);
    #[wasm_bindgen(method, js_name = delete)]
    fn remove(this: &Registry, name: &str) -> bool;
}

/// `CSS.highlights`, where the browser has it.
fn registry() -> Option<Registry> {
    let css = Reflect::get(&js_sys::global(), &JsValue::from_str("CSS")).ok()?;
    let registry = Reflect::get(&css, &JsValue::from_str("highlights")).ok()?;
    (registry.is_object() && Reflect::has(&js_sys::global(), &JsValue::from_str("Highlight")).ok()?)
        .then(|| registry.unchecked_into())
}

/// Whether this browser paints highlights through `CSS.highlights`.
pub fn supported() -> bool {
    registry().is_some()
}

/// Suggestions are drawn under annotations, the active highlight over both.
const PRIORITY_SUGGESTED: i32 = 0;
const PRIORITY_ANNOTATION: i32 = 1;
const PRIORITY_ACTIVE: i32 = 2;

/// An annotation's range, and the index of the entry it is in.
struct Painted {
    name: usize,
    range: StaticRange,
}

pub struct Painter {
    /// The registry entries this painter has used, by name.
    names: Vec<(String, Highlight)>,
    painted: Shown<Painted>,
    active: Option<(usize, StaticRange)>,
    operations: u64,
    /// The fallback, where there is no registry.
    overlay: Option<Overlay>,
}

impl Default for Painter {
    fn default() -> Painter {
        Painter {
            names: Vec::new(),
            painted: Shown::default(),
            active: None,
            operations: 0,
            overlay: (!supported()).then(Overlay::default),
        }
    }
}

impl Painter {
    /// Paints exactly `items` (the reader's annotations, then pending
    /// suggestions), adding and removing only what differs. `root` is the
    /// widget's shadow root, where the fallback draws.
    pub fn sync(&mut self, map: &TextMap, items: &[&Annotation], root: Option<&ShadowRoot>) {
        if let Some(overlay) = &mut self.overlay {
            if let Some(root) = root {
                overlay.sync(map, items, root, &mut self.operations);
            }
            return;
        }
        let Some(registry) = registry() else { return };
        self.painted.start();
        for a in items {
            // Unchanged: nothing to do, not even a name to build (this runs
            // for every annotation on every edit).
            if self.painted.unchanged(&a.id, &a.tag, a.span) {
                continue;
            }
            let name =
                if a.id.is_suggestion() { suggested_name(a.tag.as_str()) } else { highlight_name(a.tag.as_str()) };
            if let Some(old) = self.painted.remove(&a.id) {
                self.names[old.name].1.remove(&old.range);
                self.operations += 1;
            }
            let Some(range) = map.static_range(a.span.start(), a.span.end()) else { continue };
            let Some(at) = self.entry(&registry, &name) else { continue };
            self.names[at].1.add(&range);
            self.operations += 1;
            self.painted.insert(a.id.clone(), a.tag.clone(), a.span, Painted { name: at, range });
        }
        let (names, operations) = (&self.names, &mut self.operations);
        self.painted.sweep(|old| {
            names[old.name].1.remove(&old.range);
            *operations += 1;
        });
    }

    /// Shows `span` as the active highlight (chosen with `j`/`k`, just
    /// made, or shown from the panel), or none.
    pub fn set_active(&mut self, map: &TextMap, span: Option<Span>, root: Option<&ShadowRoot>) {
        if let Some(overlay) = &mut self.overlay {
            if let Some(root) = root {
                overlay.set_active(map, span, root);
            }
            return;
        }
        let Some(registry) = registry() else { return };
        if let Some((at, range)) = self.active.take() {
            self.names[at].1.remove(&range);
        }
        let Some(span) = span else { return };
        let (Some(range), Some(at)) = (map.static_range(span.start(), span.end()), self.entry(&registry, ACTIVE))
        else {
            return;
        };
        self.names[at].1.add(&range);
        self.active = Some((at, range));
    }

    /// The index of the entry named `name`: this painter's, another
    /// widget's (shared), or a new one.
    fn entry(&mut self, registry: &Registry, name: &str) -> Option<usize> {
        if let Some(at) = self.names.iter().position(|(n, _)| n == name) {
            return Some(at);
        }
        let existing = registry.get(name);
        let highlight = if existing.is_object() {
            existing.unchecked_into::<Highlight>()
        } else {
            let made = Highlight::new().ok()?;
            made.set_priority(if name == ACTIVE {
                PRIORITY_ACTIVE
            } else if name.starts_with("marginalia-suggested-") {
                PRIORITY_SUGGESTED
            } else {
                PRIORITY_ANNOTATION
            });
            registry.set(name, &made);
            made
        };
        self.names.push((name.to_string(), highlight));
        Some(self.names.len() - 1)
    }

    /// Removes every range this painter added (the text they were over
    /// changed, or the widget goes), and the entries that leaves empty.
    pub fn clear(&mut self) {
        if let Some(overlay) = &mut self.overlay {
            overlay.clear();
        }
        for p in self.painted.drain() {
            self.names[p.name].1.remove(&p.range);
            self.operations += 1;
        }
        if let Some((at, range)) = self.active.take() {
            self.names[at].1.remove(&range);
        }
        let Some(registry) = registry() else { return };
        for (name, highlight) in self.names.drain(..) {
            let ours = registry.get(&name);
            if highlight.size() == 0 && JsValue::from(highlight).eq(&ours) {
                registry.remove(&name);
            }
        }
    }

    /// How many ranges have been added or removed so far.
    pub fn operations(&self) -> u64 {
        self.operations
    }

    /// Whether what is drawn must be placed again (the fallback's boxes
    /// after a resize; ranges follow layout by themselves).
    pub fn stale(&self) -> bool {
        self.overlay.as_ref().is_some_and(Overlay::stale)
    }
}

impl Drop for Painter {
    fn drop(&mut self) {
        self.clear();
    }
}
