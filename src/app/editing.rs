//! The docked editor's comings and goings: opened from the popover's Edit
//! or the panel's Check, docked where `marginalia_core::dock` says for the
//! text's box, the page scrolled so that text sits in the part of the
//! window the editor leaves free, and closed back to the highlight.

use super::{App, Context, EditorAt, Source};
use crate::settle::FocusTarget;
use marginalia_core::dock::{self, Dock, Rect};
use marginalia_core::AnnotationId;

/// The root's class that gives the page room below its end (widget.css).
pub(super) const SHEET_ROOM: &str = "sheet-room";

impl App {
    /// Opens `id` in the editor, with focus in its first field; the
    /// popover, whose Edit this is, closes.
    pub(super) fn open_editor(&mut self, ctx: &Context<Self>, id: AnnotationId) {
        if self.session.annotator().get(&id).is_none() {
            return;
        }
        self.popover = None;
        self.set_current(Some(id.clone()));
        self.opener = Some(id.clone());
        let dock = self.dock_and_scroll(ctx, &id);
        // A host page's side panel opens to show the editor it holds.
        if dock == Dock::Side {
            self.panel_open = true;
        }
        self.editor = Some(EditorAt { id, dock });
        self.focus_next = Some(FocusTarget::Editor);
    }

    /// Closes the editor; the highlight it edited is chosen again, with
    /// focus back in the article. Nothing typed is lost: it is a draft.
    pub(super) fn close_editor(&mut self) -> bool {
        if self.editor.take().is_none() {
            return false;
        }
        if let Some(id) = self.opener.take() {
            self.set_current(Some(id));
        }
        self.focus_next = Some(FocusTarget::Article);
        true
    }

    /// The window changed size: the editor docks again for where the text
    /// is now, and the text is brought back beside it.
    pub(super) fn redock(&mut self, ctx: &Context<Self>) -> bool {
        let Some(id) = self.editor.as_ref().map(|e| e.id.clone()) else { return false };
        let dock = self.dock_and_scroll(ctx, &id);
        self.editor = Some(EditorAt { id, dock });
        true
    }

    /// Whether the page gets room below its end while the editor is a
    /// bottom sheet, so the last lines of an article can be scrolled above
    /// it: where the widget's element is at the end of the page (or is the
    /// article's own), never where it sits inside an element of the host's.
    pub(super) fn sheet_room(&self, ctx: &Context<Self>) -> bool {
        room_allowed(ctx) && self.editor.as_ref().is_some_and(|e| e.dock == Dock::Bottom)
    }

    /// Whether the widget's panel has a column beside the article for the
    /// editor: a host page's side panel, when it does not cover the
    /// article; the page's when its two
    /// columns stand side by side (a narrow page puts the panel below).
    pub(super) fn column_beside(&self, ctx: &Context<Self>) -> bool {
        let props = ctx.props();
        // The side panel is beside the article when it is open or fits
        // there; else it would cover the text, and the editor floats.
        if props.side_panel {
            return self.panel_open || super::side_panel_fits(&props.source);
        }
        if matches!(props.source, Source::InPlace { .. }) || !props.panel {
            return false;
        }
        let side = self.root_ref.cast::<web_sys::Element>().and_then(|r| r.query_selector(".side").ok().flatten());
        let article = self.article_ref.cast::<web_sys::Element>();
        match (side, article) {
            (Some(side), Some(article)) => {
                side.get_bounding_client_rect().left() >= article.get_bounding_client_rect().right()
            }
            _ => false,
        }
    }

    /// Drops the editor if its annotation no longer exists.
    pub(super) fn forget_in_editor(&mut self) {
        if self.editor.as_ref().is_some_and(|e| self.session.annotator().get(&e.id).is_none()) {
            self.editor = None;
        }
    }

    /// Where the editor docks for the text of `id`, after scrolling that
    /// text into the free part of the window. A text far off screen is
    /// first scrolled to (a long article lays out only what is near), so
    /// its box is a real one.
    fn dock_and_scroll(&self, ctx: &Context<Self>, id: &AnnotationId) -> Dock {
        let (width, height) = crate::float::viewport();
        let range = self
            .session
            .annotator()
            .get(id)
            .and_then(|a| self.map().and_then(|map| map.range(a.span.start(), a.span.end())));
        let beside = self.column_beside(ctx);
        let Some(range) = range else {
            return dock::choose(width, Rect { left: 0.0, top: 0.0, right: width, bottom: 0.0 }, beside);
        };
        let mut r = range.get_bounding_client_rect();
        if r.bottom() < 0.0 || r.top() > height {
            if let Some(parent) = range.start_container().ok().and_then(|n| n.parent_element()) {
                parent.scroll_into_view_with_bool(true);
            }
            r = range.get_bounding_client_rect();
        }
        let text = Rect { left: r.left(), top: r.top(), right: r.right(), bottom: r.bottom() };
        let dock = dock::choose(width, text, beside);
        // The room below the page, before scrolling into it (the render
        // that keeps it comes after).
        if dock == Dock::Bottom && room_allowed(ctx) {
            if let Some(root) = self.root_ref.cast::<web_sys::Element>() {
                let _ = root.class_list().add_1(SHEET_ROOM);
            }
        }
        let dy = dock::scroll_by(dock, height, text);
        if dy != 0.0 {
            if let Some(w) = web_sys::window() {
                w.scroll_by_with_x_and_y(0.0, dy);
            }
        }
        dock
    }
}

/// Whether the widget's element may grow: not when it sits in an element of
/// the host's (the `panel` option's element), where it would push the
/// host's own content down.
fn room_allowed(ctx: &Context<App>) -> bool {
    let props = ctx.props();
    !(matches!(props.source, Source::InPlace { .. }) && props.panel && !props.side_panel)
}
