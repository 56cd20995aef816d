//! The annotator's messages: one per thing that can happen to it, from
//! the reader, the host, storage, sync or a timer. What each does is in
//! `actions` (and the files it delegates to).

use crate::keys::ArticleKey;
use crate::panel::QueryChange;
use crate::transfer::Format;
use marginalia_core::drafts::{Fields, Form};
use marginalia_core::review::{Attribution, Review};
use marginalia_core::suggest::Suggestion;
use marginalia_core::{AnnotationId, Tag};

pub enum Msg {
    /// The mouse or keyboard may have finished a selection.
    SelectionDone,
    Pick(Tag),
    CancelPicker,
    /// A click or tap in the article with nothing selected, at a viewport point.
    Clicked {
        x: f64,
        y: f64,
    },
    /// The mouse moved over the article (or left it: `None`).
    Hover(Option<(f64, f64)>),
    /// The page or the article scrolled: the label moves with its text.
    Scrolled,
    /// The window was resized: text moved.
    Resized,
    /// A scroll ended: the closed side panel's button may lie over other links now.
    Launcher,
    /// A scroll ended: the suggestions list follows the reading position.
    ReadTo,
    Retag(AnnotationId, Tag),
    /// The reader checked a fuzzily placed annotation's position.
    Confirm(AnnotationId),
    Note(AnnotationId, String),
    /// A claim's fact-check saved (or removed: `None`).
    Review(AnnotationId, Option<Review>),
    /// A quote's speaker saved (or removed).
    Attribute(AnnotationId, Option<Attribution>),
    /// The reader gave the name they review under (empty: forget it).
    Reviewer(String),
    /// The Article details form saved: the details and the fact-check
    /// address template, as typed.
    Publishing(marginalia_core::article_details::ArticleDetails, String),
    /// Open a claim's (or quote's) editor from the panel, to check it.
    Check(AnnotationId),
    /// The popover's Edit: the docked editor for that annotation.
    Edit(AnnotationId),
    CloseEditor,
    /// Open the report in a window of its own, for printing.
    PrintReport,
    Undo,
    Redo,
    Delete(AnnotationId),
    ClosePopover,
    Show(AnnotationId),
    Load(Result<String, String>),
    /// The embedder replaced every annotation.
    Replace,
    Download(Format),
    /// An annotation file's text, or why it could not be read.
    Import(Result<String, String>),
    /// The reader typed into a form: its fields are that form's draft.
    Typed(AnnotationId, Form, Fields),
    /// Discard draft: what was typed into that form goes (Undo brings it back).
    Discard(AnnotationId, Form),
    /// Another tab or widget saved this storage key; another tab's
    /// storage event carries the value it wrote.
    Stored(String, Option<String>),
    /// A key meant for the open picker or popover.
    Key(String),
    /// The panel's filter, search or order changed.
    Query(QueryChange),
    /// The picker's "Tag both copies" switch.
    ToggleBoth,
    /// A key in the article that asks for more than moving the caret.
    ArticleKey(ArticleKey),
    /// Single-key shortcuts (j, k) on or off.
    ToggleShortcuts,
    /// Run the suggestions engine on the article, or show what the embed
    /// handle's `suggest()` already found, so the rules run once.
    Suggest(Option<Vec<Suggestion>>),
    /// The suggestion rules' module loaded (or not) for a Suggest waiting on it.
    RulesLoaded(Result<(), String>),
    /// Write unsaved changes now: their frame is painted, or the page is
    /// being hidden or left.
    Flush,
    /// Painting the article failed after a render.
    PaintFailed,
    /// A sync request's reply, or time to push and pull.
    Sync(crate::sync::SyncMsg),
    /// The page's Sync form: submitted, a sign-in answered, stopped.
    SyncForm(marginalia_core::sync::Form),
    /// The host changed its article (in place): read it again.
    HostChanged,
    /// Put the caret at the article's start for keyboard reading (in place,
    /// where the host's article cannot be given focus).
    StartReading,
    /// Escape while reading the host's article with the keyboard.
    StopReading,
    /// Open or close the side panel.
    TogglePanel,
    /// Accept or reject pending suggestions, by index.
    Accept(Vec<usize>, bool),
    /// A suggestion decided in place: accepted as a tag (with the speaker
    /// found, or not), or rejected (`None`).
    Decide(AnnotationId, Option<(Tag, bool)>),
    Reject(Vec<usize>),
}
