//! The document's adopted stylesheets: a widget adds its `::highlight()`
//! rules there (the host's article is in the document's tree) and takes
//! them out again, leaving the host's own and other widgets' as they are.
//! And the modules' own stylesheets, as built (`build.rs`: minified).

use js_sys::Array;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Document};

/// The annotator's styles (`styles/widget.css`), for its shadow root.
pub const WIDGET: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// The first paint's styles (`styles/first-paint.css`), for its launcher's
/// shadow root.
pub const FIRST_PAINT: &str = include_str!(concat!(env!("OUT_DIR"), "/first-paint.css"));

/// A constructed stylesheet of `rules`: no `<style>` element, so a strict
/// Content Security Policy allows it.
pub fn constructed(rules: &str) -> Result<CssStyleSheet, String> {
    let sheet = CssStyleSheet::new().map_err(|_| "this browser has no constructable stylesheets")?;
    sheet.replace_sync(rules).map_err(|_| "the widget's stylesheet was refused")?;
    Ok(sheet)
}

/// Adds `sheet` to `document`'s adopted stylesheets, or takes it out.
pub fn adopt(document: &Document, sheet: &CssStyleSheet, add: bool) {
    let current = document.adopted_style_sheets();
    let next: Array = current.iter().filter(|s| !JsValue::from(sheet.clone()).eq(s)).collect();
    if add {
        next.push(sheet);
    }
    document.set_adopted_style_sheets(&next);
}
