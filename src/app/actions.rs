//! State and actions: what each message does to the core's state, and
//! the actions that follow from it (suggestions, download); what comes
//! from outside (the handle, an import, the host's edits) is `incoming.rs`.

use super::{
    clock, first, left_to_decide, page_blocks, suggestion_marks, without, App, Context, EventKind, Msg, PAINT_FAILED,
};
use crate::selection;
use crate::settle::FocusTarget;
use marginalia_core::article_details::ArticleDetails;
use marginalia_core::codec::{self, ARTICLE_KEY};
use marginalia_core::dock::Dock;
use marginalia_core::session::{Effect, Event};
use marginalia_core::suggest::{self, Kind, Suggestion};
use marginalia_core::{Action, AnnotationId, Document};
use std::rc::Rc;
use wasm_bindgen::JsCast;

impl App {
    /// What a message does; `true` to render.
    pub(super) fn handle(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::PaintFailed => {
                let before = self.error.clone();
                self.error = Some(PAINT_FAILED.into());
                self.error != before
            }

            Msg::SelectionDone => self.selection_done(ctx),
            Msg::Pick(tag) => self.pick(ctx, tag),
            Msg::CancelPicker => self.cancel_picker(),
            Msg::Clicked { x, y } => self.clicked(ctx, x, y),
            Msg::Hover(at) => self.hovered(ctx, at),
            Msg::Resized => {
                self.place_label();
                self.redock(ctx);
                self.place_launcher(ctx);
                true
            }
            Msg::Scrolled => {
                let before = self.label.is_some();
                self.hover = Vec::new();
                self.place_label();
                before || self.label.is_some()
            }
            Msg::Launcher => self.place_launcher(ctx),
            Msg::ReadTo => self.follow_reading(ctx),
            Msg::Retag(id, tag) => {
                self.act(ctx, Action::Retag { id, tag });
                true
            }
            Msg::Confirm(id) => {
                self.act(ctx, Action::Confirm { id });
                true
            }
            Msg::Note(id, text) => {
                self.act(ctx, Action::Note { id, text });
                true
            }
            Msg::Typed(id, form, fields) => {
                // Kept in the core and saved like an edit, so no way of
                // closing the form, and no reload, loses it.
                self.update_session(ctx, Event::Type { id, form, fields, now_ms: clock::env().now_ms });
                true
            }
            Msg::Discard(id, form) => {
                self.act(ctx, Action::Discard { id, form });
                true
            }
            Msg::Review(id, review) => {
                self.act(ctx, Action::Review { id, review });
                true
            }
            Msg::Attribute(id, attribution) => {
                self.act(ctx, Action::Attribute { id, attribution });
                true
            }
            Msg::Publishing(details, template) => {
                self.save_publishing(ctx, details, template);
                true
            }
            Msg::Reviewer(name) => {
                self.remember_reviewer(name);
                true
            }
            Msg::Check(id) => {
                self.emphasise(&id);
                self.open_editor(ctx, id);
                true
            }
            Msg::Edit(id) => {
                self.open_editor(ctx, id);
                true
            }
            Msg::CloseEditor => self.close_editor(),
            Msg::PrintReport => {
                let all = self.session.annotator().all();
                let report = marginalia_core::report::Report::build(
                    self.session.annotator().document().title(),
                    &all,
                    &ctx.props().scale,
                );
                if let Err(why) = crate::print::open(&report, clock::env().now_ms) {
                    self.error = Some(format!("The report could not be opened for printing: {why}."));
                }
                true
            }
            Msg::Undo => {
                if !self.read_only(ctx) {
                    self.act(ctx, Action::Undo);
                }
                true
            }
            Msg::Redo => {
                if !self.read_only(ctx) {
                    self.act(ctx, Action::Redo);
                }
                true
            }
            Msg::Delete(id) => {
                self.act(ctx, Action::Delete { id: id.clone() });
                self.forget_in_popover();
                // The button that had focus is gone with the highlight.
                self.focus_next =
                    Some(if self.popover.is_some() { FocusTarget::Popover } else { FocusTarget::Article });
                self.opener = None;
                true
            }
            Msg::ClosePopover => {
                self.close_popover();
                true
            }
            Msg::Show(id) => {
                if let Some(a) = self.session.annotator().get(&id) {
                    self.tell(ctx, EventKind::Select, a.clone());
                }
                self.emphasise(&id);
                true
            }
            Msg::Load(Ok(text)) => {
                // A saved news page: its blocks' text, and its details.
                let (text, details) = if crate::html_file::is_html(&text) {
                    match crate::html_file::read(&text) {
                        Some((text, metadata)) => (text, Some(ArticleDetails::from_metadata(&metadata))),
                        None => {
                            self.error = Some("That HTML file could not be read.".into());
                            return true;
                        }
                    }
                } else {
                    (text, None)
                };
                let doc = Document::from_text(&text);
                if doc.is_empty() {
                    self.error = Some("That article has no text to annotate.".into());
                    return true;
                }
                // This article's last changes go under its own key first; if
                // storage refuses them, it stays open rather than lose them.
                self.flush(ctx);
                if self.unsaved {
                    let why = self.error.take().unwrap_or_default();
                    self.error = Some(format!(
                        "{why} The other article was not opened, so nothing of this one is lost: download the \
                         annotations or free some space, then open it again."
                    ));
                    return true;
                }
                self.picker = None;
                self.popover = None;
                self.editor = None;
                self.error = None;
                if let Err(why) = self.store.write(ARTICLE_KEY, &codec::encode_article(&doc)) {
                    self.error = Some(format!("The article is open but could not be saved: {why}."));
                }
                self.blocks = page_blocks(&doc);
                self.open_document(ctx, Rc::new(doc));
                // The old article's highlight label goes with it (it stayed
                // over unrelated text of the new one).
                self.place_label();
                self.to_start = true;
                self.status =
                    format!("Opened “{}”", crate::panel::shorten(self.session.annotator().document().title(), 60));
                if let Some(details) = details {
                    self.take_read_details(ctx, details);
                }
                true
            }
            Msg::Load(Err(why)) => {
                self.error = Some(why);
                true
            }
            Msg::Replace => self.take_incoming(ctx),
            Msg::Sync(msg) => self.sync_update(ctx, msg),
            Msg::SyncForm(event) => self.sync_form(ctx, event),
            Msg::Flush => {
                let (error, list) = (self.error.clone(), self.list.clone());
                self.flush(ctx);
                // The save merged what another tab saved meanwhile (its
                // storage event may come later): show it now.
                self.error != error || !Rc::ptr_eq(&self.list, &list)
            }
            Msg::Download(format) => {
                self.download(ctx, format);
                true
            }
            Msg::Import(Err(why)) => {
                // Said next to the Import control, as the import's result is.
                self.error = None;
                self.status = format!("Nothing was imported: {why}");
                true
            }
            Msg::Import(Ok(text)) => {
                self.import(ctx, &text);
                true
            }
            Msg::Stored(key, carried) => {
                if self.is_publishing_key(&key) {
                    self.read_publishing(ctx, true);
                    return true;
                }
                let document = self.session.key();
                if key != codec::annotations_key(document) && key != codec::log_key(document) {
                    return false;
                }
                // Another tab or widget saved this document (its envelope
                // or its log): the session merges its copy, and writes
                // back what storage lacks.
                self.other_saved(ctx, key, carried);
                true
            }
            Msg::Key(key) => self.key(ctx, key),
            Msg::Query(change) => {
                change.apply(&mut self.query);
                // A chosen highlight of a tag now hidden is not drawn, so not chosen.
                let hidden =
                    self.current.as_ref().and_then(|id| self.session.annotator().get(id)).map(|a| a.tag.clone());
                if hidden.is_some_and(|tag| self.query.hidden.contains(&tag)) {
                    self.set_current(None);
                }
                true
            }
            Msg::ToggleShortcuts => {
                self.shortcuts = !self.shortcuts;
                true
            }
            Msg::ArticleKey(key) => self.article_key(ctx, key),
            Msg::Suggest(found) => {
                self.suggest(ctx, found);
                true
            }
            Msg::RulesLoaded(loaded) => {
                if !std::mem::take(&mut self.rules_waiting) {
                    return false;
                }
                match loaded {
                    Ok(()) => self.suggest(ctx, None),
                    Err(why) => {
                        self.status = format!("The suggestion rules could not load: {why}. Press Suggest to try again.")
                    }
                }
                true
            }
            Msg::Accept(indices, with_speakers) => {
                self.accept(ctx, &indices, with_speakers, None);
                self.focus_next = Some(FocusTarget::Suggestion { at: first(&indices), reject: false });
                true
            }
            Msg::Reject(indices) => {
                self.reject(ctx, &indices);
                self.focus_next = Some(FocusTarget::Suggestion { at: first(&indices), reject: true });
                true
            }
            Msg::Decide(id, decision) => self.decide(ctx, &id, decision),
            Msg::HostChanged => self.host_changed(ctx),
            Msg::StartReading => {
                if let Some(map) = self.map() {
                    selection::collapse(&map, 0);
                }
                // Focus leaves the button for the page, where the keys are read.
                let root = self.root_ref.cast::<web_sys::Element>().map(|r| r.get_root_node());
                let active =
                    root.and_then(|r| r.dyn_into::<web_sys::ShadowRoot>().ok()).and_then(|r| r.active_element());
                if let Some(el) = active.and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.blur();
                }
                self.reading = true;
                self.status = "Reading the article: arrow keys move, Shift and arrows select, j and k go through \
                               the highlights, Escape stops"
                    .into();
                true
            }
            Msg::StopReading => {
                self.reading = false;
                self.status = "Stopped reading with the keyboard".into();
                true
            }
            Msg::TogglePanel => {
                self.panel_open = !self.panel_open;
                self.relaunch = !self.panel_open;
                // The panel's editor goes with it (what was typed stays a draft).
                if !self.panel_open && self.editor.as_ref().is_some_and(|e| e.dock == Dock::Side) {
                    self.editor = None;
                }
                true
            }
            Msg::ToggleBoth => {
                if let Some(p) = &mut self.picker {
                    p.both = !p.both;
                }
                true
            }
        }
    }

    /// Applies an action, refreshes what it touched, saves, and tells the embedder.
    pub(super) fn act(&mut self, ctx: &Context<Self>, action: Action) {
        self.peer.activate();
        let effects = self.update_session(ctx, Event::Act(action, clock::env()));
        // The session answers every action, done or refused.
        let Some(applied) = effects.into_iter().find_map(|e| match e {
            Effect::Applied(result) => Some(result),
            _ => None,
        }) else {
            return;
        };
        match applied {
            Ok(outcome) => {
                // A suggestion the reader just tagged by hand is no longer pending.
                let settled = suggest::settled(&self.pending, self.session.annotator().annotations());
                if !settled.is_empty() {
                    self.drop_pending(ctx, &settled);
                }
                self.list_changed(ctx);
                self.forget_in_popover();
                // A retag changes the label of the highlight shown.
                self.place_label();
                self.status = outcome.message;
                self.save_soon(ctx);
                self.tell_changes(ctx, outcome.changes);
            }
            Err(e) => {
                self.status = format!("Not changed: {e}");
            }
        }
    }

    /// Runs the rules on the article (unless `found` is their result
    /// already) and shows what is left to decide. Rules not loaded yet are
    /// loaded first, saying so; they run on the article as it is then.
    pub(super) fn suggest(&mut self, ctx: &Context<Self>, found: Option<Vec<Suggestion>>) {
        let found = match found.map(Ok).or_else(|| ctx.props().rules.now(self.session.annotator().document())) {
            Some(Ok(found)) => found,
            Some(Err(why)) => {
                self.status = format!("Suggest failed: {why}");
                return;
            }
            None => {
                self.status = "Loading the suggestion rules…".into();
                if !std::mem::replace(&mut self.rules_waiting, true) {
                    let (rules, link) = (ctx.props().rules.clone(), ctx.link().clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        link.send_message(Msg::RulesLoaded(rules.load().await));
                    });
                }
                return;
            }
        };
        let left = left_to_decide(
            found,
            self.session.annotator().annotations(),
            &self.rejected,
            self.session.annotator().tags(),
        );
        let count = |k: Kind| left.iter().filter(|s| s.kind == k).count();
        self.status = format!(
            "{} suggestion(s): {} quotes, {} captions, {} claims",
            left.len(),
            count(Kind::Quote),
            count(Kind::Caption),
            count(Kind::Claim)
        );
        self.suggested = true;
        self.suggest_runs = self.suggest_runs.wrapping_add(1);
        self.set_pending(ctx, left);
    }

    /// Shows `left` as the pending suggestions (the painter diffs by id).
    pub(super) fn set_pending(&mut self, ctx: &Context<Self>, left: Vec<Suggestion>) {
        self.pending_marks = Rc::new(suggestion_marks(self.session.annotator().document(), &left));
        self.pending = Rc::new(left);
        self.follow_reading(ctx);
    }

    /// Takes the suggestions at `indices` off the pending list, decided or
    /// settled. The rest keep the marks made for them: making 10,000 again
    /// (each quote captured from the text) was most of a tag's time on 1 MB.
    pub(super) fn drop_pending(&mut self, ctx: &Context<Self>, indices: &[usize]) {
        self.pending_marks = Rc::new(without(&self.pending_marks, indices));
        self.pending = Rc::new(without(&self.pending, indices));
        self.follow_reading(ctx);
    }

    /// Drops annotations that no longer exist from an open popover or editor.
    pub(super) fn forget_in_popover(&mut self) {
        self.forget_in_editor();
        if let Some(p) = &mut self.popover {
            p.ids.retain(|id| self.session.annotator().get(id).is_some());
            if p.ids.is_empty() {
                self.popover = None;
            }
        }
    }

    /// Keeps the reader's name for the reviews of this browser; an empty
    /// name forgets it, so the next review asks again.
    fn remember_reviewer(&mut self, name: String) {
        let name = name.trim().to_string();
        let written = if name.is_empty() {
            self.store.remove(codec::REVIEWER_KEY)
        } else {
            self.store.write(codec::REVIEWER_KEY, &name)
        };
        if let Err(why) = written {
            if self.store.is_available() {
                self.error = Some(format!("Your name could not be kept for the next review: {why}."));
            }
        }
        self.reviewer = name;
    }

    /// Scrolls a highlight into view and chooses it (shown active, labelled).
    fn emphasise(&mut self, id: &AnnotationId) {
        let Some(a) = self.session.annotator().get(id).cloned() else { return };
        let start = self.map().and_then(|map| map.to_dom(a.span.start(), false));
        if let Some(parent) = start.and_then(|(text, _)| text.parent_element()) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            parent.scroll_into_view_with_scroll_into_view_options(&options);
        }
        self.set_current(Some(a.id));
    }
}
