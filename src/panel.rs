//! The side panel: counts per tag and the list of annotations in document order.

use marginalia_core::annotation::unquoted;
use marginalia_core::drafts::Drafts;
use marginalia_core::query::{Order, Query};
use marginalia_core::{Annotation, AnnotationId, Tag, TagSet};
use std::rc::Rc;

/// How many entries the panel renders at a time: on 1 MB × 10,000 the
/// first page was ~90 ms of a load at 300 entries.
pub const PAGE: usize = 100;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub items: Rc<Vec<Annotation>>,
    pub tags: Rc<TagSet>,
    /// Annotations whose text is no longer in the article: listed, never drawn.
    pub orphaned: Rc<Vec<Annotation>>,
    pub on_show: Callback<AnnotationId>,
    /// The reader confirms a fuzzily placed annotation (none when read-only).
    #[prop_or_default]
    pub on_confirm: Option<Callback<AnnotationId>>,
    pub query: Query,
    pub on_query: Callback<QueryChange>,
    /// What the reader typed into forms and has not saved: marked "Draft".
    #[prop_or_default]
    pub drafts: Rc<Drafts>,
}

/// One change to the panel's query. Changes, not whole queries, so two
/// quick edits cannot undo each other through a stale copy.
pub enum QueryChange {
    Toggle(Tag),
    Text(String),
    Order(Order),
}

impl QueryChange {
    pub fn apply(self, query: &mut Query) {
        match self {
            QueryChange::Toggle(tag) => query.toggle(&tag),
            QueryChange::Text(text) => query.text = text,
            QueryChange::Order(order) => query.order = order,
        }
    }
}

/// At most `max` code points of `text`, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((byte, _)) => format!("{}…", &text[..byte]),
        None => text.to_string(),
    }
}

#[component]
pub fn Panel(props: &PanelProps) -> Html {
    let tags = &props.tags;
    // One pass for every tag's count: the list is walked on each edit.
    let mut per_tag = vec![0usize; tags.defs().len()];
    for a in props.items.iter() {
        if let Some(i) = tags.defs().iter().position(|d| d.tag == a.tag) {
            per_tag[i] += 1;
        }
    }
    let count = |tag: &Tag| tags.defs().iter().position(|d| &d.tag == tag).map_or(0, |i| per_tag[i]);
    let counts: Vec<String> = tags.defs().iter().map(|d| tags.count_phrase(&d.tag, count(&d.tag))).collect();
    let shown = props.query.select(&props.items);
    let query = &props.query;
    // Long lists render a page at a time: 10,000 entries would cost more
    // than the article itself.
    let limit_state = use_state(|| PAGE);
    let limit = *limit_state;
    let more = Callback::from(move |_: MouseEvent| limit_state.set(limit + PAGE));
    let entry = |a: &Annotation| {
        let id = a.id.clone();
        let onclick = props.on_show.reform(move |_: MouseEvent| id.clone());
        html! {
            <li key={a.id.to_string()} id={format!("ann-{}", a.id)} data-annotation-id={a.id.to_string()}
                data-tag={a.tag.to_string()}>
                <button type="button" class="panel-item" {onclick}>
                    <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
                    <span class="panel-quote">{ shorten(&a.quote.exact, 140) }</span>
                    if !a.note.is_empty() {
                        <span class="panel-note">{ shorten(&a.note, 200) }</span>
                    }
                    // The rule's reason, beside the reader's note, never as it.
                    if !a.suggested_because.is_empty() {
                        <span class="panel-why">{ format!("Why suggested: {}", shorten(&a.suggested_because, 80)) }</span>
                    }
                    if let Some(score) = a.fuzzy {
                        <span class="panel-review">{ format!("Check placement: fuzzy match, {score}%") }</span>
                    }
                    { draft_mark(&props.drafts, &a.id) }
                </button>
            </li>
        }
    };
    let to_check: Vec<&Annotation> = props.items.iter().filter(|a| a.fuzzy.is_some()).collect();
    let on_search = props.on_query.reform(|e: InputEvent| {
        QueryChange::Text(e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default())
    });
    let on_order = props.on_query.reform(|e: Event| {
        let time = e.target_dyn_into::<HtmlSelectElement>().is_some_and(|s| s.value() == "time");
        QueryChange::Order(if time { Order::Time } else { Order::Position })
    });
    html! {
        <aside class="panel" aria-labelledby="panel-heading">
            <h2 id="panel-heading">{ "Annotations" }</h2>
            <p class="counts" data-testid="counts">{ counts.join(" · ") }</p>
            if props.items.is_empty() {
                <p class="empty">{ "Select text in the article to tag it." }</p>
            } else {
                <div class="filters" role="group" aria-label="Show tags">
                    { for tags.defs().iter().map(|d| {
                        let tag = d.tag.clone();
                        let onclick = props.on_query.reform(move |_: MouseEvent| QueryChange::Toggle(tag.clone()));
                        let on = !query.hidden.contains(&d.tag);
                        html! {
                            <button type="button" class="tag-filter" data-tag={d.tag.to_string()}
                                    aria-pressed={on.to_string()} {onclick}>
                                { format!("{} ({})", d.label, count(&d.tag)) }
                            </button>
                        }
                    }) }
                </div>
                <div class="find">
                    <label>{ "Search annotations" }
                        <input type="search" value={query.text.clone()} oninput={on_search} />
                    </label>
                    <label>{ "Sort by" }
                        <select onchange={on_order}>
                            <option value="position" selected={query.order == Order::Position}>{ "Position" }</option>
                            <option value="time" selected={query.order == Order::Time}>{ "Time" }</option>
                        </select>
                    </label>
                </div>
                if shown.len() != props.items.len() {
                    <p class="shown" aria-live="polite">{ format!("Showing {} of {}", shown.len(), props.items.len()) }</p>
                }
            }
            <ol class="annotation-list" aria-label="Annotations">
                { for shown.iter().take(limit).map(|a| entry(a)) }
            </ol>
            if shown.len() > limit {
                <button type="button" class="more" onclick={more}>
                    { format!("Show {} more of {}", (shown.len() - limit).min(PAGE), shown.len() - limit) }
                </button>
            }
            if !to_check.is_empty() {
                <section class="review" aria-labelledby="review-heading">
                    <h3 id="review-heading">{ format!("To check ({})", to_check.len()) }</h3>
                    <p>{ "Placed by a fuzzy match: their text differs a little from what was marked. Check each is on the right words." }</p>
                    <ul aria-label="Annotations to check">
                        { for to_check.iter().take(PAGE).map(|a| review_entry(a, props)) }
                    </ul>
                </section>
            }
            if !props.orphaned.is_empty() {
                <section class="orphaned" aria-labelledby="orphaned-heading">
                    <h3 id="orphaned-heading">{ "Orphaned" }</h3>
                    <p>{ "Their text is no longer in the article. They are kept, and not drawn anywhere." }</p>
                    <ul aria-label="Orphaned annotations">
                        { for props.orphaned.iter().map(|a| html! {
                            <li key={a.id.to_string()} data-annotation-id={a.id.to_string()}>
                                <span class="tag-label" data-tag={a.tag.to_string()}>{ tags.label(&a.tag).to_string() }</span>
                                { format!(" “{}”", shorten(unquoted(&a.quote.exact), 140)) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </aside>
    }
}

/// "Draft", and of which forms, on an annotation with something typed and
/// not saved: in words, not only a colour.
fn draft_mark(drafts: &Drafts, id: &AnnotationId) -> Html {
    let forms = drafts.forms_of(id);
    if forms.is_empty() {
        return Html::default();
    }
    let which: Vec<&str> = forms.iter().map(|f| f.label()).collect();
    html! { <span class="panel-draft">{ format!("Draft: {} not saved", which.join(", ")) }</span> }
}

/// One fuzzily placed annotation: where it is, and the reader's confirmation.
fn review_entry(a: &Annotation, props: &PanelProps) -> Html {
    let id = a.id.clone();
    let show = props.on_show.reform(move |_: MouseEvent| id.clone());
    let confirm = props.on_confirm.clone().map(|c| {
        let id = a.id.clone();
        c.reform(move |_: MouseEvent| id.clone())
    });
    html! {
        <li key={a.id.to_string()} data-annotation-id={a.id.to_string()}>
            <span class="tag-label" data-tag={a.tag.to_string()}>{ props.tags.label(&a.tag).to_string() }</span>
            { format!(" “{}” ({}% of its quote matched) ", shorten(unquoted(&a.quote.exact), 140), a.fuzzy.unwrap_or(0)) }
            <button type="button" class="review-show" onclick={show}>{ "Show" }</button>
            if let Some(onclick) = confirm {
                <button type="button" class="review-confirm" {onclick}>{ "Placement is right" }</button>
            }
        </li>
    }
}
