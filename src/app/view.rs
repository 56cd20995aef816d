//! Rendering: the banners, the page's `<article>` (empty for Yew: `settle`
//! writes it), the panel (in the layout, in a host's element, or as a
//! collapsible side panel), picker, popover, label and live region.

use super::near::Near;
use super::{input, App, Context, Msg, Source};
use crate::checks::Checks;
use crate::editor::Editor;
use crate::keys;
use crate::loader::Loader;
use crate::panel::Panel;
use crate::picker::Picker;
use crate::popover::Popover;
use crate::selection;
use crate::suggestions::Suggestions;
use crate::transfer::Transfer;
use marginalia_core::claimreview;
use marginalia_core::dock::Dock;
use marginalia_core::sync::Form;
use web_sys::KeyboardEvent;
use yew::prelude::*;

impl App {
    pub(super) fn render(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let props = ctx.props();
        let in_place = matches!(props.source, Source::InPlace { .. });
        let tags = self.session.annotator().tags().clone();
        // Room below the page while the editor is a bottom sheet (`editing`).
        let room = self.sheet_room(ctx).then_some(super::editing::SHEET_ROOM);
        // Shown by the control that caused it, the live region is for the ear only.
        let status = html! {
            <p class={classes!("status", self.near_shown(ctx).then_some("visually-hidden"))} role="status" aria-live="polite">
                { &self.status }
            </p>
        };
        let floating = html! {
            <>
                if let Some(p) = &self.picker {
                    <Picker x={p.x} y={p.y} tags={tags.clone()} on_pick={link.callback(Msg::Pick)}
                            on_cancel={link.callback(|_| Msg::CancelPicker)}
                            copy={p.copy.is_some()} both={p.both} on_toggle_both={link.callback(|_| Msg::ToggleBoth)} />
                }
                if let Some((p, mark, reason)) = self.suggestion_open() {
                    <crate::suggestion_popover::SuggestionPopover key={mark.id.to_string()} x={p.x} y={p.y}
                        mark={mark.clone()} {reason} tags={tags.clone()}
                        on_decide={link.callback(|(id, decision)| Msg::Decide(id, decision))}
                        on_close={link.callback(|_| Msg::ClosePopover)} />
                } else if let Some(p) = &self.popover {
                    // A popover for another highlight starts afresh.
                    <Popover key={p.ids.first().map(|id| id.to_string()).unwrap_or_default()}
                             x={p.x} y={p.y} tags={tags.clone()} read_only={self.read_only(ctx)}
                             items={p.ids.iter().filter_map(|id| self.session.annotator().get(id).cloned()).collect::<Vec<_>>()}
                             on_retag={link.callback(|(id, tag)| Msg::Retag(id, tag))}
                             on_edit={link.callback(Msg::Edit)}
                             on_delete={link.callback(Msg::Delete)}
                             on_close={link.callback(|_| Msg::ClosePopover)}
                             scale={props.scale.clone()} status={self.near_text(Near::Highlight)} />
                }
                if self.editor.as_ref().is_some_and(|e| e.dock != Dock::Side) {
                    { self.editor_view(ctx) }
                }
                if let Some(l) = &self.label {
                    <crate::label::Label text={l.text.clone()} tag={l.tag.clone()} x={l.x} y={l.y} />
                }
            </>
        };
        if in_place {
            let side = props.side_panel;
            let open = self.panel_open;
            return html! {
                <div class={classes!("marginalia", "in-place", side.then_some("side-mode"), room)} ref={self.root_ref.clone()}>
                    if side {
                        <aside class={classes!("side-panel", (!open).then_some("closed"))} aria-label="Marginalia"
                               data-corner={self.corner.as_str()}>
                            <button type="button" class="panel-toggle" aria-expanded={open.to_string()}
                                    onclick={link.callback(|_: MouseEvent| Msg::TogglePanel)}>
                                { if open { "Close panel".to_string() } else { self.closed_label() } }
                            </button>
                            // Warnings and the live region stay out of the
                            // part that closes: the reader must see and hear them.
                            { self.banners(ctx) }
                            { status }
                            <div class="side-body" hidden={!open}>
                                if props.panel { { self.side(ctx) } }
                            </div>
                        </aside>
                    } else {
                        { self.banners(ctx) }
                        if props.panel { { self.side(ctx) } }
                        { status }
                    }
                    { floating }
                </div>
            };
        }
        let on_mouseup = link.callback(|_: MouseEvent| Msg::SelectionDone);
        let on_keydown = {
            let (settle, shortcuts) = (self.settle.clone(), self.shortcuts);
            link.batch_callback(move |e: KeyboardEvent| {
                let map = settle.borrow().map()?;
                keys::article_key(&e, &map, shortcuts).map(Msg::ArticleKey)
            })
        };
        let on_click = link.batch_callback(|e: MouseEvent| {
            // A drag that ends on a highlight is a selection, not a click.
            let (x, y) = input::point(&e);
            selection::is_collapsed().then_some(Msg::Clicked { x, y })
        });
        let on_pointermove =
            link.batch_callback(|e: PointerEvent| input::is_mouse(&e).then(|| Msg::Hover(Some(input::point(&e)))));
        let on_pointerleave = link.callback(|_: PointerEvent| Msg::Hover(None));
        html! {
            <div class={classes!("marginalia", room)} ref={self.root_ref.clone()}>
                if props.loader {
                    <header class="toolbar">
                        <span class="brand">{ "Marginalia" }</span>
                        <Loader on_load={link.callback(Msg::Load)} />
                        { self.near(Near::Toolbar) }
                    </header>
                }
                { self.banners(ctx) }
                <div class="layout">
                    <div class={classes!("columns", (!props.panel).then_some("no-panel"))}>
                        <article class={classes!("article", (!self.hover.is_empty()).then_some("over-highlight"))}
                                 ref={self.article_ref.clone()} onmouseup={on_mouseup}
                                 tabindex="0" aria-label="Article: use the arrow keys to move, Shift and arrows to select, j and k for highlights"
                                 onkeydown={on_keydown} onclick={on_click}
                                 onpointermove={on_pointermove} onpointerleave={on_pointerleave}>
                            // The paragraphs are written into it by
                            // `settle`, not by Yew.
                        </article>
                        if props.panel { { self.side(ctx) } }
                    </div>
                </div>
                { floating }
                { status }
            </div>
        }
    }

    /// Storage problems and the last error.
    fn banners(&self, _ctx: &Context<Self>) -> Html {
        let storage_note = match (&self.storage_problem, &self.frozen) {
            (Some(why), _) => Some(format!(
                "Your annotations are not being saved: {why}. They are kept only until this page is closed; \
                 use Download annotations to keep a copy."
            )),
            (None, Some(why)) => Some(why.clone()),
            _ => None,
        };
        html! {
            <>
                if let Some(note) = storage_note {
                    <p class="banner warning" role="alert">{ note }</p>
                }
                if let Some(error) = &self.error {
                    <p class="banner error" role="alert">{ error }</p>
                }
                if let Some(sync) = self.session.sync() {
                    // Text says the state; colour is only a second signal.
                    <p class="sync-status" role="status" aria-live="polite" data-waiting={sync.state().outbox.len().to_string()}>
                        { "Sync: " }{ sync.line() }
                    </p>
                }
            </>
        }
    }

    /// Whether the status is on screen by its control now, so the live
    /// region need not be seen as well (it is still heard).
    fn near_shown(&self, ctx: &Context<Self>) -> bool {
        let props = ctx.props();
        let panel_seen = props.panel && self.panel_open;
        match self.status_near {
            Some(Near::Highlight) => self.editor.is_some() || self.popover.is_some(),
            Some(Near::Toolbar) => props.loader,
            Some(Near::Transfer) | Some(Near::Panel) | Some(Near::Publishing) => panel_seen,
            Some(Near::Suggestions) => panel_seen && !self.read_only(ctx),
            None => false,
        }
    }

    /// The open editor, docked as it says.
    fn editor_view(&self, ctx: &Context<Self>) -> Html {
        let Some((e, item)) =
            self.editor.as_ref().and_then(|e| Some((e, self.session.annotator().get(&e.id)?.clone())))
        else {
            return Html::default();
        };
        let link = ctx.link();
        // What the claim's fields offer: its quote's speaker, the article's speakers.
        let all = self.session.annotator().annotations();
        let offered = crate::claim_fields::Offered {
            guess: claimreview::speaker_of(&item, all)
                .map_or_else(AttrValue::default, |at| at.speaker.trim().to_string().into()),
            speakers: std::rc::Rc::new(claimreview::speakers(all)),
            article_date: self.article_details(ctx).published.into(),
        };
        html! {
            // Another annotation's editor starts afresh.
            <Editor key={e.id.to_string()} {item} dock={e.dock} tags={self.session.annotator().tags().clone()}
                    scale={ctx.props().scale.clone()} reviewer={AttrValue::from(self.reviewer.clone())}
                    on_retag={link.callback(|(id, tag)| Msg::Retag(id, tag))}
                    on_note={link.callback(|(id, text)| Msg::Note(id, text))}
                    on_review={link.callback(|(id, review)| Msg::Review(id, review))}
                    on_reviewer={link.callback(Msg::Reviewer)}
                    on_attribute={link.callback(|(id, who)| Msg::Attribute(id, who))}
                    on_close={link.callback(|_| Msg::CloseEditor)}
                    drafts={std::rc::Rc::new(self.session.annotator().drafts().clone())}
                    on_draft={link.callback(|(id, form, fields)| Msg::Typed(id, form, fields))}
                    on_discard={link.callback(|(id, form)| Msg::Discard(id, form))}
                    status={self.near_text(Near::Highlight)}
                    {offered} />
        }
    }

    /// The panel and the controls beside it; the editor at its top when it
    /// is docked in the panel's column.
    fn side(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let tags = self.session.annotator().tags().clone();
        let in_place = matches!(ctx.props().source, Source::InPlace { .. });
        html! {
            <div class="side">
                if self.editor.as_ref().is_some_and(|e| e.dock == Dock::Side) {
                    { self.editor_view(ctx) }
                }
                if in_place {
                    <button type="button" class="read" onclick={link.callback(|_: MouseEvent| Msg::StartReading)}>
                        { "Read the article with the keyboard" }
                    </button>
                }
                <Panel items={self.list.clone()} tags={tags.clone()} orphaned={self.orphaned.clone()}
                       on_show={self.on_show.clone()} query={self.query.clone()}
                       on_confirm={(!self.read_only(ctx)).then(|| link.callback(Msg::Confirm))}
                       on_query={self.on_query.clone()} drafts={std::rc::Rc::new(self.session.annotator().drafts().clone())} />
                { self.near(Near::Panel) }
                if !self.read_only(ctx) {
                    <Suggestions pending={self.pending.clone()} doc={self.session.annotator().document().clone()}
                                 tags={tags.clone()} ran={self.suggested} from={self.suggest_from} run={self.suggest_runs}
                                 on_suggest={link.callback(|_| Msg::Suggest(None))}
                                 on_accept={link.callback(|(indices, speakers)| Msg::Accept(indices, speakers))} on_reject={link.callback(Msg::Reject)} />
                    { self.near(Near::Suggestions) }
                }
                <Checks items={self.list.clone()} scale={ctx.props().scale.clone()}
                        on_check={link.callback(Msg::Check)} on_show={self.on_show.clone()} />
                <Transfer on_download={link.callback(Msg::Download)} on_import={link.callback(Msg::Import)}
                          on_print={link.callback(|_| Msg::PrintReport)}
                          can_import={!self.read_only(ctx)}
                          can_undo={self.session.annotator().history().can_undo()}
                          can_redo={self.session.annotator().history().can_redo()}
                          on_undo={link.callback(|_| Msg::Undo)} on_redo={link.callback(|_| Msg::Redo)} />
                { self.near(Near::Transfer) }
                <crate::publishing_form::PublishingForm details={self.article_details(ctx)}
                    template={AttrValue::from(self.fact_check_url(ctx).map(|t| t.as_str().to_string()).unwrap_or_default())}
                    problems={self.typed.problems.clone()}
                    on_save={link.callback(|(details, template)| Msg::Publishing(details, template))} />
                { self.near(Near::Publishing) }
                if matches!(ctx.props().source, Source::Page { .. }) && ctx.props().sync.is_none() {
                    <crate::sync_form::SyncForm settings={self.sign_in.settings.clone()} syncing={self.sync.is_some()} signing_in={self.sign_in.signing_in}
                        error={self.sign_in.error.clone().map(AttrValue::from)}
                        on_connect={link.callback(|(s, r)| Msg::SyncForm(Form::Submitted(s, r)))}
                        on_stop={link.callback(|_| Msg::SyncForm(Form::Stop))} />
                }
                <label class="shortcuts">
                    <input type="checkbox" checked={self.shortcuts}
                           onchange={link.callback(|_: Event| Msg::ToggleShortcuts)} />
                    { "Single-key shortcuts (j, k: next and previous highlight)" }
                </label>
            </div>
        }
    }

    /// The closed side panel's button: how many annotations, how many wait
    /// for the reader's check (fuzzy placements and orphans) and how many
    /// drafts are unsaved, which the closed panel would otherwise keep out
    /// of sight.
    fn closed_label(&self) -> String {
        let waiting = self.orphaned.len() + self.list.iter().filter(|a| a.fuzzy.is_some()).count();
        let mut label = match waiting {
            0 => format!("Annotations ({}", self.list.len()),
            n => format!("Annotations ({} · {n} to check", self.list.len()),
        };
        // Typed and not saved: out of sight while the panel is closed.
        match self.session.annotator().drafts().count() {
            0 => {}
            1 => label.push_str(" · 1 draft"),
            n => label.push_str(&format!(" · {n} drafts")),
        }
        label + ")"
    }
}
