//! Deciding suggestions: accepting some (as their own tag or another, with
//! the speakers the rules found or without) and rejecting some, from the
//! panel's list or in place, from the popover a suggested highlight opens.

use super::{App, Context};
use crate::settle::FocusTarget;
use marginalia_core::codec;
use marginalia_core::suggest::Rejection;
use marginalia_core::{Action, Annotation, AnnotationId, Tag};
use std::rc::Rc;
use yew::AttrValue;

impl App {
    /// Accepts the pending suggestions at `indices`, each as its own tag or
    /// as `as_tag`.
    pub(super) fn accept(&mut self, ctx: &Context<Self>, indices: &[usize], with_speakers: bool, as_tag: Option<Tag>) {
        let items: Vec<_> = indices
            .iter()
            .filter_map(|&i| self.pending.get(i))
            .filter_map(|s| Some((s.span, as_tag.clone().or_else(|| Tag::parse(s.kind.tag_id()))?, s.note.clone())))
            .collect();
        self.drop_pending(ctx, indices);
        self.act(ctx, Action::Accept { items, with_speakers });
    }

    /// Rejects the pending suggestions at `indices`: remembered for this document.
    pub(super) fn reject(&mut self, ctx: &Context<Self>, indices: &[usize]) {
        self.rejected.extend(indices.iter().filter_map(|&i| self.pending.get(i)).map(Rejection::of));
        if let Err(why) =
            self.store.write(&codec::rejected_key(self.session.key()), &codec::encode_rejected(&self.rejected))
        {
            if self.store.is_available() {
                self.error = Some(format!("The rejection could not be saved: {why}."));
            }
        }
        ctx.props().mirror.0.borrow_mut().rejected = Rc::new(self.rejected.clone());
        let before = self.pending.len();
        self.drop_pending(ctx, indices);
        self.status = format!("{} suggestion(s) rejected", before - self.pending.len());
    }

    /// The open popover, when it is a suggestion's: where, the mark drawn,
    /// and why the rules suggest it.
    pub(super) fn suggestion_open(&self) -> Option<(&super::PopoverAt, Annotation, AttrValue)> {
        let p = self.popover.as_ref()?;
        let id = p.ids.first().filter(|id| id.is_suggestion())?;
        let i = self.pending_index(id)?;
        let mark = self.pending_marks.get(i)?.clone();
        let reason = self.pending.get(i).map(|s| AttrValue::from(s.note.clone())).unwrap_or_default();
        Some((p, mark, reason))
    }

    /// The first pending suggestion at or after the top of the window: the
    /// list starts there, so a reader deep in a long article finds the
    /// suggestions about what they are reading, not the first paragraph's.
    /// A binary search: suggestions are in document order, so their boxes
    /// go down the page.
    fn reading_from(&self) -> usize {
        let Some(map) = self.map() else { return 0 };
        let above = |a: &Annotation| {
            map.range(a.span.start(), a.span.end()).is_some_and(|r| r.get_bounding_client_rect().bottom() < 0.0)
        };
        self.pending_marks.partition_point(above)
    }

    /// Moves the list's start to the reading position; true if it moved.
    /// Only while the list stands beside the article: where it is below
    /// (a phone, a host's element), reaching it scrolls past the article,
    /// and a list that moved as the reader scrolled to it would move away
    /// under their finger.
    pub(super) fn follow_reading(&mut self, ctx: &Context<Self>) -> bool {
        let beside = self.column_beside(ctx);
        let from = if self.pending_marks.is_empty() || !beside { 0 } else { self.reading_from() };
        let moved = from != self.suggest_from;
        self.suggest_from = from;
        moved
    }

    /// Where the pending suggestion drawn as `id` is in the list.
    pub(super) fn pending_index(&self, id: &AnnotationId) -> Option<usize> {
        self.pending_marks.iter().position(|a| &a.id == id)
    }

    /// A decision made in place, in the suggestion's popover: `Some((tag,
    /// with_speaker))` accepts it as `tag`, `None` rejects it. The popover
    /// closes and focus goes back to the article, on what was decided.
    pub(super) fn decide(&mut self, ctx: &Context<Self>, id: &AnnotationId, decision: Option<(Tag, bool)>) -> bool {
        self.popover = None;
        self.opener = None;
        self.focus_next = Some(FocusTarget::Article);
        let Some(i) = self.pending_index(id) else { return true };
        let span = self.pending.get(i).map(|s| s.span);
        // The words j/k selected are decided: no picker is offered for them.
        if let (Some(sp), Some(map)) = (span, self.map()) {
            crate::selection::collapse(&map, sp.start());
        }
        match decision {
            Some((tag, with_speaker)) => {
                self.accept(ctx, &[i], with_speaker, Some(tag.clone()));
                // The annotation it became is the chosen one now.
                let made = span.and_then(|sp| {
                    self.session.annotator().annotations().iter().find(|a| a.span == sp && a.tag == tag)
                });
                let made = made.map(|a| a.id.clone());
                self.set_current(made);
            }
            None => {
                self.reject(ctx, &[i]);
                self.set_current(None);
            }
        }
        true
    }
}
