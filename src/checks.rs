//! The fact-checker's views in the panel: "Claims to check" (claims by
//! status, with counts and a filter by verdict) and "Quotes by speaker".
//! Each entry's button opens its popover, where the check is edited.
//! Both start closed (a disclosure button with the counts): open, on
//! 10,000 annotations they would be hundreds of elements to diff on every
//! edit.

use crate::panel::{shorten, PAGE};
use marginalia_core::annotation::unquoted;
use marginalia_core::review::{Scale, Status};
use marginalia_core::{Annotation, AnnotationId};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecksProps {
    /// Every drawn annotation, in document order.
    pub items: Rc<Vec<Annotation>>,
    pub scale: Rc<Scale>,
    /// Open an annotation's popover (the Check and Edit buttons).
    pub on_check: Callback<AnnotationId>,
    /// Scroll to an annotation and choose it.
    pub on_show: Callback<AnnotationId>,
}

/// Which verdicts the list shows.
#[derive(Clone, PartialEq)]
enum Verdicts {
    All,
    /// Claims without a verdict yet.
    None,
    Only(String),
}

impl Verdicts {
    fn admits(&self, a: &Annotation) -> bool {
        let verdict = a.shown_review().and_then(|r| r.verdict.as_deref());
        match self {
            Verdicts::All => true,
            Verdicts::None => verdict.is_none(),
            Verdicts::Only(id) => verdict == Some(id.as_str()),
        }
    }
}

fn status_of(a: &Annotation) -> Status {
    a.shown_review().map_or(Status::ToCheck, |r| r.status)
}

#[component]
pub fn Checks(props: &ChecksProps) -> Html {
    let filter = use_state(|| Verdicts::All);
    let claims_open = use_state(|| false);
    let quotes_open = use_state(|| false);
    let toggle = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set(!*state))
    };
    let claims: Vec<&Annotation> = props.items.iter().filter(|a| a.tag.as_str() == "claim").collect();
    let quotes: Vec<&Annotation> = props.items.iter().filter(|a| a.tag.as_str() == "quote").collect();
    if claims.is_empty() && quotes.is_empty() {
        return html! {};
    }
    let counts = Status::ALL.map(|s| (s, claims.iter().filter(|a| status_of(a) == s).count()));
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            filter.set(match value.as_str() {
                "" => Verdicts::All,
                "none" => Verdicts::None,
                id => Verdicts::Only(id.to_string()),
            })
        })
    };
    let selected = |v: &Verdicts| *filter == *v;
    let label_of = |a: &Annotation| -> Option<String> {
        let v = a.shown_review()?.verdict.as_deref()?;
        Some(props.scale.get(v).map_or(v, |r| r.label.as_str()).to_string())
    };
    let claim_entry = |a: &Annotation| {
        let id = a.id.clone();
        let onclick = props.on_check.reform(move |_: MouseEvent| id.clone());
        let quote = shorten(unquoted(&a.quote.exact), 100);
        let verdict = label_of(a).unwrap_or_else(|| "No verdict yet".into());
        let sources = a.shown_review().map_or(0, |r| r.sources.len());
        html! {
            <li key={a.id.to_string()} data-annotation-id={a.id.to_string()}>
                <span class="check-quote">{ format!("“{quote}”") }</span>
                <span class="check-verdict">{ format!(" {verdict} · {sources} source(s) ") }</span>
                <button type="button" class="check-open" aria-label={format!("Check claim: {quote}")} {onclick}>
                    { "Check" }
                </button>
            </li>
        }
    };
    let mut by_speaker: BTreeMap<String, Vec<&Annotation>> = BTreeMap::new();
    let mut unattributed = Vec::new();
    for q in quotes.iter().filter(|_| *quotes_open) {
        match q.shown_attribution() {
            Some(at) => by_speaker.entry(at.speaker.clone()).or_default().push(q),
            None => unattributed.push(*q),
        }
    }
    let quote_entry = |a: &Annotation| {
        let id = a.id.clone();
        let show = props.on_show.reform(move |_: MouseEvent| id.clone());
        let id = a.id.clone();
        let edit = props.on_check.reform(move |_: MouseEvent| id.clone());
        let quote = shorten(unquoted(&a.quote.exact), 100);
        html! {
            <li key={a.id.to_string()} data-annotation-id={a.id.to_string()}>
                { format!("“{quote}” ") }
                <button type="button" class="quote-show" aria-label={format!("Show quote: {quote}")} onclick={show}>{ "Show" }</button>
                <button type="button" class="quote-edit" aria-label={format!("Speaker of quote: {quote}")} onclick={edit}>{ "Speaker" }</button>
            </li>
        }
    };
    html! {
        <>
        if !claims.is_empty() {
            <section class="checks" aria-labelledby="checks-heading">
                <h3 id="checks-heading">
                    <button type="button" class="disclosure" aria-expanded={claims_open.to_string()}
                            onclick={toggle(&claims_open)}>{ format!("Claims to check ({})", claims.len()) }</button>
                </h3>
                <p class="check-counts" data-testid="check-counts">
                    { counts.iter().map(|(s, n)| format!("{}: {n}", s.label())).collect::<Vec<_>>().join(" · ") }
                </p>
                if *claims_open {
                <label>{ "Verdict " }
                    <select onchange={on_filter}>
                        <option value="" selected={selected(&Verdicts::All)}>{ "All verdicts" }</option>
                        <option value="none" selected={selected(&Verdicts::None)}>{ "No verdict yet" }</option>
                        { for props.scale.ratings().iter().map(|r| html! {
                            <option value={r.id.clone()} selected={selected(&Verdicts::Only(r.id.clone()))}>{ r.label.clone() }</option>
                        }) }
                    </select>
                </label>
                { for counts.iter().map(|(status, _)| {
                    let shown: Vec<&&Annotation> =
                        claims.iter().filter(|a| status_of(a) == *status && filter.admits(a)).collect();
                    let heading = format!("check-{}", status.id());
                    html! {
                        <div class="check-group" key={status.id()}>
                            <h4 id={heading.clone()}>{ format!("{} ({})", status.label(), shown.len()) }</h4>
                            <ul aria-labelledby={heading}>
                                { for shown.iter().take(PAGE).map(|a| claim_entry(a)) }
                            </ul>
                            if shown.len() > PAGE {
                                <p>{ format!("and {} more: narrow the verdict to see them", shown.len() - PAGE) }</p>
                            }
                        </div>
                    }
                }) }
                }
            </section>
        }
        if !quotes.is_empty() {
            <section class="speakers" aria-labelledby="speakers-heading">
                <h3 id="speakers-heading">
                    <button type="button" class="disclosure" aria-expanded={quotes_open.to_string()}
                            onclick={toggle(&quotes_open)}>{ format!("Quotes by speaker ({})", quotes.len()) }</button>
                </h3>
                { for by_speaker.iter().take(PAGE).enumerate().map(|(i, (speaker, list))| {
                    let heading = format!("speaker-{i}");
                    html! {
                        <div class="speaker-group" key={speaker.clone()}>
                            <h4 id={heading.clone()}>{ format!("{speaker} ({})", list.len()) }</h4>
                            <ul aria-labelledby={heading}>{ for list.iter().take(PAGE).map(|a| quote_entry(a)) }</ul>
                        </div>
                    }
                }) }
                if by_speaker.len() > PAGE {
                    <p>{ format!("and {} more speakers", by_speaker.len() - PAGE) }</p>
                }
                if !unattributed.is_empty() {
                    <div class="speaker-group">
                        <h4 id="speaker-none">{ format!("No speaker yet ({})", unattributed.len()) }</h4>
                        <ul aria-labelledby="speaker-none">{ for unattributed.iter().take(PAGE).map(|a| quote_entry(a)) }</ul>
                    </div>
                }
            </section>
        }
        </>
    }
}
