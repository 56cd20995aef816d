//! Input: keys at the window and in the article, a selection becoming the
//! picker, a click or the pointer over highlighted text. Highlights are not
//! elements: what is under a point comes from `hit`, what a key acts on is
//! the chosen highlight (`current`).

use super::{App, Context, EventKind, PickerAt, PopoverAt};
use crate::float::place_below;
use crate::keys::ArticleKey;
use crate::settle::FocusTarget;
use crate::{hit, selection};
use marginalia_core::repeat::neighbour_copy;
use marginalia_core::{tidy_selection, Action, Annotation, AnnotationId, Tag};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

impl App {
    pub(super) fn key(&mut self, ctx: &Context<Self>, key: String) -> bool {
        if self.picker.is_some() {
            if key == "Escape" {
                return self.cancel_picker();
            }
            if let Some(tag) = self.session.annotator().tags().from_key(&key).cloned() {
                return self.pick(ctx, tag);
            }
        } else if self.popover.is_some() && key == "Escape" {
            self.close_popover();
            return true;
        } else if key == "Escape" {
            return self.close_editor();
        }
        false
    }

    /// The reader may have finished a selection: offer the picker for it.
    pub(super) fn selection_done(&mut self, ctx: &Context<Self>) -> bool {
        self.peer.activate();
        if self.read_only(ctx) {
            return false;
        }
        let picked = self.map().and_then(|map| selection::current(&map));
        let span = picked.as_ref().and_then(|p| tidy_selection(self.session.annotator().document(), p.start, p.end));
        self.popover = None;
        if span.is_some() {
            self.current = None;
        }
        self.picker = match (span, picked) {
            (Some(span), Some(p)) => {
                // A finger rests on the selection's end: keep clear of it.
                let finger = if self.touching.get() { 36.0 } else { 0.0 };
                let (x, y) = p.rect.map_or((16.0, 16.0), |r| place_below(r.left(), r.bottom() + finger, r.top()));
                let copy = neighbour_copy(self.session.annotator().document(), span);
                Some(PickerAt { span, copy, both: false, x, y })
            }
            _ => None,
        };
        true
    }

    /// Tags the picker's span, by button or by key.
    pub(super) fn pick(&mut self, ctx: &Context<Self>, tag: Tag) -> bool {
        let Some(picker) = self.picker.take() else { return false };
        let action = match picker.copy.filter(|_| picker.both) {
            Some(copy) => Action::CreateMany { spans: vec![picker.span, copy], tag },
            None => Action::Create { span: picker.span, tag },
        };
        let before = self.list.len();
        self.act(ctx, action);
        // The new highlight is the chosen one, with the caret after it, so
        // the keyboard carries on from there (Enter opens it).
        selection::clear();
        if self.list.len() > before {
            let newest = self.list.iter().max_by_key(|a| a.created).cloned();
            if let (Some(a), Some(map)) = (newest, self.map()) {
                selection::collapse(&map, a.span.end());
                self.set_current(Some(a.id));
            }
        }
        self.focus_next = Some(FocusTarget::Article);
        true
    }

    pub(super) fn cancel_picker(&mut self) -> bool {
        self.picker = None;
        self.status = "Cancelled".into();
        self.focus_next = Some(FocusTarget::Article);
        true
    }

    /// Closes the popover and gives focus back to the highlight it came from.
    pub(super) fn close_popover(&mut self) {
        self.popover = None;
        // Back to the article, with the highlight it was opened from chosen.
        if let Some(id) = self.opener.take() {
            self.set_current(Some(id));
        }
        self.focus_next = Some(FocusTarget::Article);
    }

    pub(super) fn article_key(&mut self, ctx: &Context<Self>, key: ArticleKey) -> bool {
        match key {
            // Handled here, not as another message: Yew may yield to the
            // browser between messages, and the next key would come first.
            ArticleKey::Extended => self.selection_done(ctx),
            ArticleKey::Moved => self.set_current(None),
            ArticleKey::Enter => {
                let chosen = self.current.clone().and_then(|id| self.held_or_pending(&id).cloned());
                let selected = self.map().and_then(|map| selection::current(&map));
                match chosen {
                    // Nothing else selected: the chosen highlight's popover.
                    Some(a) if selected.as_ref().is_none_or(|p| (p.start, p.end) == (a.span.start(), a.span.end())) => {
                        self.open_popover(ctx, vec![a.id.clone()], None);
                        self.focus_next = Some(FocusTarget::Popover);
                        true
                    }
                    _ => {
                        self.focus_next = Some(FocusTarget::Picker);
                        self.selection_done(ctx)
                    }
                }
            }
            ArticleKey::Step(step) => self.step(ctx, step),
            ArticleKey::Delete => {
                let Some(id) = self.current.clone() else { return false };
                if self.read_only(ctx) {
                    return false;
                }
                let start = self.session.annotator().get(&id).map(|a| a.span.start());
                self.act(ctx, Action::Delete { id });
                self.set_current(None);
                if let (Some(start), Some(map)) = (start, self.map()) {
                    selection::collapse(&map, start);
                }
                self.focus_next = Some(FocusTarget::Article);
                true
            }
        }
    }

    /// `j` / `k`: selects the next or previous highlight after the chosen
    /// one (or the caret), the pending suggestions among them, and
    /// announces it ("Claim 3 of 12: …", "Suggested quote 2 of 40: …").
    fn step(&mut self, ctx: &Context<Self>, step: isize) -> bool {
        // Only what is drawn: a tag the filters hide is stepped over.
        let own = self.filtered(super::filter::Which::List);
        let pending = if self.read_only(ctx) { Rc::default() } else { self.filtered(super::filter::Which::Pending) };
        let list = in_document_order(&own, &pending);
        let here = self.current.as_ref().and_then(|id| list.iter().position(|a| &a.id == id));
        let caret = self.map().and_then(|map| selection::caret(&map));
        let next = match (here, caret) {
            (Some(i), _) => i.checked_add_signed(step).filter(|&n| n < list.len()),
            (None, Some(cp)) if step > 0 => list.iter().position(|a| a.span.start() >= cp),
            (None, Some(cp)) => list.iter().rposition(|a| a.span.start() < cp),
            (None, None) if step > 0 => (!list.is_empty()).then_some(0),
            (None, None) => list.len().checked_sub(1),
        };
        let Some(next) = next else {
            self.status = if step > 0 { "No highlight after this one" } else { "No highlight before this one" }.into();
            return true;
        };
        let a = (*list[next]).clone();
        if let Some(map) = self.map() {
            selection::select(&map, a.span.start(), a.span.end());
        }
        self.set_current(Some(a.id.clone()));
        // Counted among their own kind: the reader's highlights, or the suggestions.
        let (kind, of) = if a.id.is_suggestion() { (&pending, "Suggested ") } else { (&own, "") };
        let at = kind.iter().position(|x| x.id == a.id).unwrap_or(0);
        let label = self.session.annotator().tags().label(&a.tag);
        let label = if of.is_empty() { label.to_string() } else { format!("{of}{}", label.to_lowercase()) };
        self.status = format!("{label} {} of {}: {}", at + 1, kind.len(), crate::panel::shorten(&a.quote.exact, 80));
        if !a.id.is_suggestion() {
            self.tell(ctx, EventKind::Select, a);
        }
        true
    }

    /// A click or tap with nothing selected: the popover for every
    /// highlight under it, smallest first.
    pub(super) fn clicked(&mut self, ctx: &Context<Self>, x: f64, y: f64) -> bool {
        if self.picker.is_some() {
            return false;
        }
        // The reader's own highlights first; where there are none, the
        // suggestion under the point opens, to be decided where it stands.
        let under = self.under(x, y);
        let mut ids: Vec<AnnotationId> = under.iter().filter(|id| !id.is_suggestion()).cloned().collect();
        if ids.is_empty() && !self.read_only(ctx) {
            ids.extend(under.into_iter().find(|id| id.is_suggestion()));
        }
        if ids.is_empty() {
            // A click on plain text closes what is open; what was typed
            // in the editor stays, as a draft.
            let had = self.popover.take().is_some() | self.editor.take().is_some();
            self.opener = None;
            return self.set_current(None) || had;
        }
        self.open_popover(ctx, ids, Some((x, y)));
        true
    }

    /// Opens the popover for `ids` (the first is the one told to the
    /// embedder and chosen), below `at` or below the first's text.
    fn open_popover(&mut self, ctx: &Context<Self>, ids: Vec<AnnotationId>, at: Option<(f64, f64)>) {
        let Some(first) = ids.first().and_then(|id| self.held_or_pending(id)).cloned() else { return };
        let (x, y) = match at {
            Some((x, y)) => place_below(x, y, y),
            None => self
                .map()
                .and_then(|map| map.range(first.span.start(), first.span.end()))
                .map(|r| r.get_bounding_client_rect())
                .map_or((16.0, 16.0), |r| place_below(r.left(), r.bottom(), r.top())),
        };
        // A suggestion is not the embedder's annotation yet: nothing to tell.
        if !first.id.is_suggestion() {
            self.tell(ctx, EventKind::Select, first.clone());
        }
        self.set_current(Some(first.id.clone()));
        self.opener = Some(first.id);
        // One thing open at a time: the editor closes (its typing is a draft).
        self.editor = None;
        self.popover = Some(PopoverAt { ids, x, y });
    }

    /// The pointer moved over the article: label what is under it.
    pub(super) fn hovered(&mut self, ctx: &Context<Self>, at: Option<(f64, f64)>) -> bool {
        let ids = at.map(|(x, y)| self.under(x, y)).unwrap_or_default();
        if ids == self.hover {
            return false;
        }
        self.hover = ids;
        self.place_label();
        self.show_cursor(ctx);
        true
    }

    /// In place, the pointer shows that highlighted text is clickable
    /// through a rule in the document sheet, there only while the mouse is
    /// over a highlight (so it may be that broad).
    fn show_cursor(&mut self, ctx: &Context<Self>) {
        let Some(sheet) = &ctx.props().document_sheet else { return };
        match (self.hover.is_empty(), self.cursor_rule) {
            (false, None) => {
                let at = sheet.css_rules().map(|r| r.length()).unwrap_or(0);
                self.cursor_rule =
                    sheet.insert_rule_with_index(":root, :root * { cursor: pointer !important }", at).ok();
            }
            (true, Some(at)) => {
                let _ = sheet.delete_rule(at);
                self.cursor_rule = None;
            }
            _ => {}
        }
    }

    /// The highlights under a viewport point, smallest first.
    fn under(&self, x: f64, y: f64) -> Vec<AnnotationId> {
        let Some(map) = self.map() else { return Vec::new() };
        let Some(cp) = hit::cp_at(&map, x, y) else { return Vec::new() };
        // A tag the panel's filters hide is not drawn, so not clicked either.
        let shown = |a: &&marginalia_core::Annotation| !self.query.hidden.contains(&a.tag);
        let mut ids: Vec<AnnotationId> =
            self.session.annotator().covering(cp).into_iter().filter(shown).map(|a| a.id.clone()).collect();
        ids.extend(
            self.pending_marks
                .iter()
                .filter(|a| a.span.start() <= cp && cp < a.span.end())
                .filter(shown)
                .map(|a| a.id.clone()),
        );
        ids
    }

    /// Chooses a highlight (or none): it is shown active and labelled,
    /// and Enter and Delete act on it. True if that changed.
    pub(super) fn set_current(&mut self, id: Option<AnnotationId>) -> bool {
        if self.current == id {
            return false;
        }
        self.current = id;
        self.place_label();
        true
    }
}

/// Two lists in document order merged into one, by start then end (the
/// reader's own first where they tie).
fn in_document_order<'a>(own: &'a [Annotation], pending: &'a [Annotation]) -> Vec<&'a Annotation> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(own.len() + pending.len());
    while i < own.len() || j < pending.len() {
        let take_own = match (own.get(i), pending.get(j)) {
            (Some(a), Some(b)) => (a.span.start(), a.span.end()) <= (b.span.start(), b.span.end()),
            (Some(_), None) => true,
            _ => false,
        };
        if take_own {
            out.push(&own[i]);
            i += 1;
        } else {
            out.push(&pending[j]);
            j += 1;
        }
    }
    out
}

/// Whether a key event is typing into a field, where keys are the reader's text.
pub(super) fn is_typing(e: &KeyboardEvent) -> bool {
    // The first node of the composed path: at the window, a key typed inside
    // the shadow root is retargeted to its host.
    let target = e.composed_path().get(0).dyn_into::<Element>().ok();
    target.is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.closest("[contenteditable]").ok().flatten().is_some()
    })
}

/// The article listens for the pointer only where a mouse is: a finger
/// has no hover, and a tap is a click.
pub(super) fn is_mouse(e: &web_sys::PointerEvent) -> bool {
    e.pointer_type() == "mouse"
}

/// The viewport point of a mouse event.
pub(super) fn point(e: &web_sys::MouseEvent) -> (f64, f64) {
    (f64::from(e.client_x()), f64::from(e.client_y()))
}
