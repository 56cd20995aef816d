//! Where a status message is shown besides the live region: next to the
//! control whose use caused it. The live region (`role=status`) is what a
//! screen reader hears; a sighted reader looks where they clicked, not at
//! the bottom of the page, so the same words are shown there too.

use super::{App, Msg};
use yew::prelude::*;

/// The controls a message is shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Near {
    /// The open editor, else the open popover: the highlight's own controls.
    Highlight,
    /// Download, Import, Print, Undo, Redo.
    Transfer,
    Suggestions,
    /// The panel's list (a placement confirmed).
    Panel,
    /// The page's Open and Paste article.
    Toolbar,
    /// The Article details form.
    Publishing,
}

impl Near {
    /// The controls `msg` comes from, if it comes from one whose place
    /// stays on screen; else the message is only in the live region.
    pub(super) fn of(msg: &Msg) -> Option<Near> {
        match msg {
            Msg::Retag(..)
            | Msg::Note(..)
            | Msg::Review(..)
            | Msg::Attribute(..)
            | Msg::Reviewer(_)
            | Msg::Discard(..) => Some(Near::Highlight),
            Msg::Download(_) | Msg::Import(_) | Msg::PrintReport | Msg::Undo | Msg::Redo => Some(Near::Transfer),
            Msg::Publishing(..) => Some(Near::Publishing),
            Msg::Accept(..) | Msg::Reject(_) | Msg::Suggest(_) | Msg::RulesLoaded(_) => Some(Near::Suggestions),
            Msg::Confirm(_) => Some(Near::Panel),
            Msg::Load(_) => Some(Near::Toolbar),
            _ => None,
        }
    }
}

impl App {
    /// The status, shown next to `place` when the last message came from there.
    pub(super) fn near(&self, place: Near) -> Html {
        if self.status_near != Some(place) || self.status.is_empty() {
            return Html::default();
        }
        // Hidden from the accessibility tree: the live region says it once.
        html! { <p class="status-near" aria-hidden="true">{ &self.status }</p> }
    }

    /// The same, as text for a component that places it itself (the editor
    /// and the popover); empty when not there.
    pub(super) fn near_text(&self, place: Near) -> AttrValue {
        if self.status_near == Some(place) {
            AttrValue::from(self.status.clone())
        } else {
            AttrValue::default()
        }
    }
}
