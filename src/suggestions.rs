//! The panel's Suggestions section: what the rules found, each with its
//! confidence, to accept or reject one by one or a whole tag at a time
//! ("Accept all" takes the high-confidence ones unless asked for the rest).
//! A quote whose speaker the rules found can be accepted with that speaker
//! recorded, one by one or all at once: the reader's one confirm.

use crate::panel::shorten;
use marginalia_core::suggest::{speaker_in_note, Confidence, Kind, Suggestion};
use marginalia_core::{Document, Tag, TagSet};
use std::rc::Rc;
use yew::prelude::*;

/// How many suggestions are listed at once; the rest wait their turn.
const SHOWN: usize = 150;
/// The listed window moves in steps this long, and keeps at least this many
/// before the reading position: a scroll of a few paragraphs moves the list
/// box, not the cards in it.
const STEP: usize = 50;

#[derive(Properties, PartialEq)]
pub struct SuggestionsProps {
    pub pending: Rc<Vec<Suggestion>>,
    pub doc: Rc<Document>,
    pub tags: Rc<TagSet>,
    /// Whether Suggest has run for this document.
    pub ran: bool,
    /// The suggestion at the reading position: the list box scrolls to it.
    #[prop_or_default]
    pub from: usize,
    /// How many times Suggest has run: a new run always shows `from`.
    #[prop_or_default]
    pub run: u32,
    pub on_suggest: Callback<()>,
    /// The suggestions to accept, and whether quotes take the speaker found.
    pub on_accept: Callback<(Vec<usize>, bool)>,
    pub on_reject: Callback<Vec<usize>>,
}

#[component]
pub fn Suggestions(props: &SuggestionsProps) -> Html {
    let tags = &props.tags;
    let tag_of = |kind: Kind| Tag::parse(kind.tag_id());
    let label = |kind: Kind| tag_of(kind).map(|t| tags.label(&t).to_string()).unwrap_or_default();
    // The list box starts at the reading position (never past the last one).
    let from = props.from.min(props.pending.len().saturating_sub(1));
    let section = use_node_ref();
    let list = use_node_ref();
    let follow = use_mut_ref(Follow::default);
    // A new run shows the reading position at once; later, the list follows
    // the reader's scrolling only while they are not working in it (the
    // pointer on the section, the focus on a card), so a card never moves
    // away, or out of the list, under the pointer or the focus. Focus on
    // Suggest does not count: the reader who pressed it and reads on wants
    // the list to follow.
    let go = follow.borrow_mut().step(props.run, from, || {
        let matches =
            |n: &NodeRef, what: &str| n.cast::<web_sys::Element>().is_some_and(|e| e.matches(what).unwrap_or(false));
        matches(&section, ":hover") || matches(&list, ":focus-within")
    });
    let base = follow.borrow().base.min(props.pending.len().saturating_sub(1) / STEP * STEP);
    {
        let list = list.clone();
        use_effect(move || {
            if go {
                scroll_to_card(&list, from);
            }
        });
    }
    let of_kind = |kind: Kind, low_too: bool| -> Vec<usize> {
        let wanted = |s: &Suggestion| s.kind == kind && (low_too || s.confidence == Confidence::High);
        props.pending.iter().enumerate().filter(|(_, s)| wanted(s)).map(|(i, _)| i).collect()
    };
    html! {
        <section class="suggestions" aria-labelledby="suggestions-heading" ref={section}>
            <h3 id="suggestions-heading">{ "Suggestions" }</h3>
            <button type="button" class="suggest" onclick={props.on_suggest.reform(|_: MouseEvent| ())}>
                { if props.ran { "Suggest again" } else { "Suggest" } }
            </button>
            if props.ran && props.pending.is_empty() {
                <p class="empty">{ "No suggestions left." }</p>
            }
            { for [Kind::Quote, Kind::Caption, Kind::Claim].into_iter().map(|kind| {
                let indices = of_kind(kind, true);
                if indices.is_empty() {
                    return html! {};
                }
                let sure = of_kind(kind, false);
                let plural = tag_of(kind).map(|t| tags.count_phrase(&t, 2)).unwrap_or_default();
                let noun = plural.trim_start_matches("2 ").to_string();
                let accept = { let i = sure.clone(); props.on_accept.reform(move |_: MouseEvent| (i.clone(), false)) };
                let accept_low = { let i = indices.clone(); props.on_accept.reform(move |_: MouseEvent| (i.clone(), false)) };
                // Quotes whose speaker was found, to accept with it.
                let voiced: Vec<usize> =
                    sure.iter().copied().filter(|&i| speaker_in_note(&props.pending[i].note).is_some()).collect();
                let accept_voiced = { let i = sure.clone(); props.on_accept.reform(move |_: MouseEvent| (i.clone(), true)) };
                let low = indices.len() - sure.len();
                let reject = { let i = indices.clone(); props.on_reject.reform(move |_: MouseEvent| i.clone()) };
                html! {
                    <div class="suggestion-group" role="group" aria-label={format!("Suggested {noun}")}>
                        if !sure.is_empty() {
                            <button type="button" class="accept-all" data-tag={kind.tag_id()} onclick={accept}>
                                { format!("Accept all {noun} ({})", sure.len()) }
                            </button>
                        }
                        if kind == Kind::Quote && !voiced.is_empty() {
                            <button type="button" class="accept-all-speakers" data-tag={kind.tag_id()} onclick={accept_voiced}>
                                { format!("Accept all {noun} with their speakers ({})", sure.len()) }
                            </button>
                        }
                        if low > 0 {
                            <button type="button" class="accept-all-low" data-tag={kind.tag_id()} onclick={accept_low}>
                                { if sure.is_empty() {
                                    format!("Accept all {noun}, low confidence ({low})")
                                } else {
                                    format!("Accept all {noun}, low confidence too ({})", indices.len())
                                } }
                            </button>
                        }
                        <button type="button" class="reject-all" data-tag={kind.tag_id()} onclick={reject}>
                            { format!("Reject all {noun}") }
                        </button>
                    </div>
                }
            }) }
            if from > 0 {
                <p class="shown earlier">{ format!("{from} earlier, above where you are reading.") }</p>
            }
            <ol class="suggestion-list" aria-label="Suggestions" ref={list}>
                { for props.pending.iter().enumerate().skip(base).take(SHOWN).map(|(i, s)| {
                    let text = props.doc.slice(s.span.start(), s.span.end());
                    let speaker = speaker_in_note(&s.note).filter(|_| s.kind == Kind::Quote).map(str::to_string);
                    html! {
                        <li key={format!("{}-{}-{}", s.kind.tag_id(), s.span.start(), s.span.end())}
                            data-tag={s.kind.tag_id()} data-suggested="true" data-index={i.to_string()}>
                            <span class="tag-label" data-tag={s.kind.tag_id()}>{ label(s.kind) }</span>
                            <span class="panel-quote">{ shorten(&text, 140) }</span>
                            <span class={classes!("confidence", (s.confidence == Confidence::Low).then_some("low"))}>
                                { s.confidence.label() }
                            </span>
                            if !s.note.is_empty() {
                                <span class="panel-note">{ s.note.clone() }</span>
                            }
                            <span class="suggestion-actions">
                                if let Some(name) = &speaker {
                                    <button type="button" class="accept-speaker"
                                            onclick={props.on_accept.reform(move |_: MouseEvent| (vec![i], true))}>
                                        { format!("Accept with {name}") }
                                    </button>
                                }
                                <button type="button" class="accept" onclick={props.on_accept.reform(move |_: MouseEvent| (vec![i], false))}>
                                    { "Accept" }
                                </button>
                                <button type="button" class="reject" onclick={props.on_reject.reform(move |_: MouseEvent| vec![i])}>
                                    { "Reject" }
                                </button>
                            </span>
                        </li>
                    }
                }) }
            </ol>
            if props.pending.len() > base + SHOWN {
                <p class="shown">{ format!("{} more after these.", props.pending.len() - base - SHOWN) }</p>
            }
        </section>
    }
}

/// Where the list was last moved to follow the reader.
#[derive(Default)]
struct Follow {
    run: Option<u32>,
    from: Option<usize>,
    /// The first card rendered.
    base: usize,
}

impl Follow {
    /// Whether this render moves the list to `from`: on a new run, or when
    /// the reading position moved and the reader is not `busy` in the list.
    /// A move skipped while busy is dropped: the next scroll catches up.
    fn step(&mut self, run: u32, from: usize, busy: impl FnOnce() -> bool) -> bool {
        let fresh = self.run.replace(run) != Some(run);
        let moved = self.from.replace(from) != Some(from);
        let go = fresh || (moved && !busy());
        if go {
            self.base = (from / STEP).saturating_sub(1) * STEP;
        }
        go
    }
}

/// Scrolls the list box, and only it, so that card `index` is at its top.
/// The window is left alone: the reader is reading the article there.
fn scroll_to_card(list: &NodeRef, index: usize) {
    let Some(ol) = list.cast::<web_sys::Element>() else { return };
    let Ok(Some(li)) = ol.query_selector(&format!("li[data-index=\"{index}\"]")) else { return };
    let offset = li.get_bounding_client_rect().top() - ol.get_bounding_client_rect().top();
    ol.set_scroll_top(ol.scroll_top() + offset.round() as i32);
}
