//! The corner the closed side panel's button (the launcher) sits in:
//! `marginalia_dom::launcher` says which, at the first render, when the
//! panel closes, when a scroll ends and when the window changes size, since
//! what lies under a fixed button moves with the page.

use super::{App, Context};
use crate::widget::VIEW_ATTR;
use web_sys::Element;

impl App {
    /// Places the launcher; true if it moved.
    pub(super) fn place_launcher(&mut self, ctx: &Context<Self>) -> bool {
        let props = ctx.props();
        if !props.side_panel || self.panel_open {
            return false;
        }
        let launcher = self.root_ref.cast::<Element>().and_then(|r| r.query_selector(".side-panel").ok().flatten());
        let document = web_sys::window().and_then(|w| w.document());
        let corner = match (document, launcher) {
            (Some(document), Some(launcher)) => {
                marginalia_dom::launcher::corner(&document, &launcher, &format!("[{VIEW_ATTR}]"), props.launcher)
            }
            _ => props.launcher,
        };
        let corner = corner.unwrap_or(self.corner);
        let moved = corner != self.corner;
        self.corner = corner;
        moved
    }
}
