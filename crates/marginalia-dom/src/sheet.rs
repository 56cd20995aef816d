//! The document's adopted stylesheets: a widget adds its `::highlight()`
//! rules there (the host's article is in the document's tree) and takes
//! them out again, leaving the host's own and other widgets' as they are.
//! And the modules' own stylesheets, as built (`build.rs`: minified).
//!
//! Adopting a sheet on the document, or taking one out, makes the browser
//! restyle the whole page. Adopted before the first read that needs the
//! page's styles (the text map's computed styles, the launcher's corner),
//! the highlight sheet is in the one restyle the page needs anyway;
//! adopted after, it cost a second one, ~35–60 ms on a 1 MB article. The
//! annotator takes the first paint's over rather than adopt another.

use js_sys::Array;
use marginalia_core::TagSet;
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

/// The document's sheet of `::highlight()` rules for one widget (or the
/// first paint standing for it), taken out again when dropped while this
/// owns it.
pub struct HighlightSheet {
    document: Document,
    sheet: CssStyleSheet,
    owned: bool,
}

impl HighlightSheet {
    /// A sheet of `tags`' rules, adopted now, owned.
    pub fn adopt(document: &Document, tags: &TagSet) -> Result<HighlightSheet, String> {
        let sheet = constructed(&marginalia_core::theme::highlight_rules(tags))?;
        adopt(document, &sheet, true);
        Ok(HighlightSheet { document: document.clone(), sheet, owned: true })
    }

    /// `sheet`, adopted already by the first paint: not owned until
    /// [`own`](Self::own), so a mount that fails leaves it to the first
    /// paint, which still stands.
    pub fn taken_over(document: &Document, sheet: CssStyleSheet) -> HighlightSheet {
        HighlightSheet { document: document.clone(), sheet, owned: false }
    }

    /// The sheet itself (the annotator adds its cursor rule to it).
    pub fn sheet(&self) -> &CssStyleSheet {
        &self.sheet
    }

    /// This takes the sheet out when dropped.
    pub fn own(&mut self) {
        self.owned = true;
    }

    /// Another holds the sheet now: it stays adopted.
    pub fn hand_over(&mut self) {
        self.owned = false;
    }
}

impl Drop for HighlightSheet {
    fn drop(&mut self) {
        if self.owned {
            adopt(&self.document, &self.sheet, false);
        }
    }
}
