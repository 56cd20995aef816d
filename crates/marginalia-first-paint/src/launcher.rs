//! The launcher: what stands where the panel goes until the annotator
//! loads — a button saying how many annotations the article has, in a
//! shadow root of the widget's own, at the end of `<body>` (a tab at the
//! window's edge, like the closed side panel) or in the host's panel
//! element. With `panel: false` it is empty, and only holds the fallback
//! painter's boxes.

use marginalia_core::{theme, TagSet};
use marginalia_dom::options::PanelPlace;
use marginalia_dom::sheet;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, ShadowRootInit, ShadowRootMode};

const STYLE: &str = sheet::FIRST_PAINT;

/// Marks the element of the widget's own (the full annotator's is marked
/// the same way, so a host's styles and tests find either).
const VIEW_ATTR: &str = "data-marginalia";

/// Marks the launcher's button.
pub const LAUNCHER_ATTR: &str = "data-launcher";

/// Marks the live region that says the annotator is loading, or why it
/// could not.
pub const STATUS_ATTR: &str = "data-status";

fn fail(what: &'static str) -> impl Fn(JsValue) -> String {
    move |_| format!("could not {what}")
}

/// The widget's element, placed, with the launcher in its shadow root.
pub fn view(document: &Document, panel: &PanelPlace, tags: &TagSet, count: usize) -> Result<Element, String> {
    let view = document.create_element("div").map_err(fail("create the controls"))?;
    view.set_attribute(VIEW_ATTR, "").map_err(fail("mark the controls"))?;
    let shadow =
        view.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).map_err(fail("attach a shadow root"))?;
    let style = sheet::constructed(&format!("{STYLE}\n{}", theme::overlay_rules(tags)))?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&style));
    let side = match panel {
        PanelPlace::Hidden => None,
        PanelPlace::Side => Some(true),
        PanelPlace::In(_) => Some(false),
    };
    // The live region is there from the start (a region added later is
    // not always announced); beside the launcher, or on its own.
    let status = document.create_element("p").map_err(fail("create the status"))?;
    status.set_attribute("role", "status").map_err(fail("create the status"))?;
    status.set_attribute(STATUS_ATTR, "").map_err(fail("create the status"))?;
    status.set_class_name(if side.is_some() { "status" } else { "status alone" });
    if let Some(side) = side {
        // The side panel's own markup, closed, so that nothing changes for
        // the reader (or a host's styles) when the annotator's replaces it.
        let bar = document.create_element(if side { "aside" } else { "div" }).map_err(fail("create the launcher"))?;
        bar.set_class_name(if side { "launcher side-panel closed" } else { "launcher" });
        if side {
            bar.set_attribute("aria-label", "Marginalia").map_err(fail("label the launcher"))?;
        }
        let button = document.create_element("button").map_err(fail("create the launcher"))?;
        button.set_attribute("type", "button").map_err(fail("create the launcher"))?;
        button.set_attribute(LAUNCHER_ATTR, "").map_err(fail("create the launcher"))?;
        button.set_class_name("panel-toggle");
        button.set_attribute("aria-expanded", "false").map_err(fail("create the launcher"))?;
        // The closed side panel's own words, so nothing changes when it replaces this.
        button.set_text_content(Some(&format!("Annotations ({count})")));
        bar.append_child(&button).map_err(fail("create the launcher"))?;
        bar.append_child(&status).map_err(fail("create the launcher"))?;
        shadow.append_child(&bar).map_err(fail("create the launcher"))?;
    } else {
        shadow.append_child(&status).map_err(fail("create the status"))?;
    }
    let place: Element = match panel {
        PanelPlace::In(el) => el.clone(),
        _ => document.body().ok_or("the document has no body")?.into(),
    };
    place.append_child(&view).map_err(fail("insert the controls"))?;
    Ok(view)
}

/// Shows `text` in the live region; `loading` marks the launcher busy.
pub fn show_status(view: &Element, loading: bool, text: &str) {
    let Some(shadow) = view.shadow_root() else { return };
    if let Ok(Some(status)) = shadow.query_selector(&format!("[{STATUS_ATTR}]")) {
        status.set_text_content(Some(text));
    }
    if let Ok(Some(button)) = shadow.query_selector(&format!("[{LAUNCHER_ATTR}]")) {
        let _ = if loading { button.set_attribute("aria-busy", "true") } else { button.remove_attribute("aria-busy") };
    }
}

/// Puts the side panel's button in its corner (`marginalia_dom::launcher`),
/// as the annotator's closed side panel will be.
pub fn place(document: &Document, view: &Element, asked: Option<marginalia_core::dock::Corner>) {
    let Some(bar) = view.shadow_root().and_then(|s| s.query_selector(".side-panel").ok().flatten()) else { return };
    if let Some(corner) = marginalia_dom::launcher::corner(document, &bar, &format!("[{VIEW_ATTR}]"), asked) {
        let _ = bar.set_attribute("data-corner", corner.as_str());
    }
}
