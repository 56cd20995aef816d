//! A claim's fact-check editor: verdict, status, explanation, sources,
//! the claim's own facts (`claim_fields`) and the reviewer's name. What is wrong is the core's to say
//! (`Review::problems`); this shows it before saving. Everything typed,
//! a source typed but not added included, is the fact-check's draft.

use crate::claim_fields::{ClaimFields, ClaimRefs, Offered};
use crate::drafts::{fields, DraftProps};
use crate::field_problems::Problems;
use marginalia_core::drafts::{Fields, Form};
use marginalia_core::review::{is_web_url, ClaimFacts, Field, Review, Scale, Source, Status};
use marginalia_core::AnnotationId;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub id: AnnotationId,
    pub review: Option<Review>,
    pub scale: Rc<Scale>,
    /// The name this browser reviews under; empty until the reader gives it.
    pub reviewer: AttrValue,
    pub on_save: Callback<(AnnotationId, Option<Review>)>,
    /// The reader gave (or cleared) their name: kept in this browser.
    pub on_reviewer: Callback<String>,
    #[prop_or_default]
    pub draft: DraftProps,
    #[prop_or_default]
    pub offered: Offered,
}

/// What the form shows: the draft's values, else the saved review's.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    verdict: String,
    status: Status,
    explanation: String,
    sources: Vec<Source>,
    url: String,
    title: String,
    name: String,
    claim: ClaimFacts,
}

impl Shown {
    /// `guess`: the claimant offered while none is saved.
    fn of(review: Option<&Review>, draft: &DraftProps, guess: &str) -> Shown {
        let saved = review.cloned().unwrap_or_default();
        match &draft.fields {
            None => Shown {
                verdict: saved.verdict.unwrap_or_default(),
                status: saved.status,
                explanation: saved.explanation,
                sources: saved.sources,
                claim: if saved.claim.claimant.is_empty() {
                    ClaimFacts { claimant: guess.to_string(), ..saved.claim }
                } else {
                    saved.claim
                },
                ..Shown::default()
            },
            Some(_) => {
                let get = |k: &str| draft.field(k).unwrap_or_default();
                Shown {
                    verdict: get("verdict"),
                    status: Status::from_id(&get("status")).unwrap_or(saved.status),
                    explanation: get("explanation"),
                    sources: serde_json::from_str::<Vec<(String, String)>>(&get("sources"))
                        .map(|list| list.into_iter().map(|(url, title)| Source { url, title }).collect())
                        .unwrap_or(saved.sources),
                    url: get("source-url"),
                    title: get("source-title"),
                    name: get("reviewer"),
                    claim: ClaimFacts {
                        claimant: get("claimant"),
                        job_title: get("job-title"),
                        same_as: get("same-as"),
                        date: get("claim-date"),
                        appearances: get("appearances").lines().map(str::to_string).collect(),
                    },
                }
            }
        }
    }

    fn fields(&self) -> Fields {
        let sources: Vec<(&str, &str)> = self.sources.iter().map(|s| (s.url.as_str(), s.title.as_str())).collect();
        fields([
            ("verdict", self.verdict.clone()),
            ("status", self.status.id().to_string()),
            ("explanation", self.explanation.clone()),
            ("sources", serde_json::to_string(&sources).unwrap_or_default()),
            ("source-url", self.url.clone()),
            ("source-title", self.title.clone()),
            ("reviewer", self.name.clone()),
            ("claimant", self.claim.claimant.clone()),
            ("job-title", self.claim.job_title.clone()),
            ("same-as", self.claim.same_as.clone()),
            ("claim-date", self.claim.date.clone()),
            ("appearances", self.claim.appearances.join("\n")),
        ])
    }
}

fn input_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// A source typed in the two fields, or why it cannot be added.
fn typed_source(url: &str, title: &str) -> Result<Source, String> {
    let url = url.trim();
    if is_web_url(url) {
        Ok(Source { url: url.to_string(), title: title.trim().to_string() })
    } else {
        Err(format!("“{url}” is not a web address: a source needs one starting with https:// or http://"))
    }
}

#[component]
pub fn ReviewEditor(props: &ReviewProps) -> Html {
    let start = Shown::of(props.review.as_ref(), &props.draft, &props.offered.guess);
    let claim_refs = use_memo((), |()| ClaimRefs::default());
    let verdict = use_state(|| start.verdict.clone());
    let status = use_state(|| start.status);
    let sources = use_state(|| start.sources.clone());
    let problems = use_state(Vec::<(Field, String)>::new);
    let (explanation, url, title, name) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let field = |what: &str| format!("{what}-{}", props.id);
    // The draft or the saved review changed from outside (saved, removed,
    // discarded, undone, another tab): the form shows it, so that saving
    // again cannot bring back what was removed. What is being typed is the
    // draft already, so typing changes nothing here.
    {
        let (verdict, status, sources) = (verdict.clone(), status.clone(), sources.clone());
        let nodes = [explanation.clone(), url.clone(), title.clone(), name.clone()];
        let claim_refs = claim_refs.clone();
        use_effect_with(start.clone(), move |now| {
            claim_refs.show(&now.claim);
            if *verdict != now.verdict {
                verdict.set(now.verdict.clone());
            }
            if *status != now.status {
                status.set(now.status);
            }
            if *sources != now.sources {
                sources.set(now.sources.clone());
            }
            for (node, text) in nodes.iter().zip([&now.explanation, &now.url, &now.title, &now.name]) {
                if let Some(t) = node.cast::<HtmlTextAreaElement>() {
                    if t.value() != **text {
                        t.set_value(text);
                    }
                } else if let Some(i) = node.cast::<HtmlInputElement>() {
                    if i.value() != **text {
                        i.set_value(text);
                    }
                }
            }
        });
    }
    // What the form holds now, read when something was typed (a select's
    // or the source list's new value given, as their state is set later).
    let typed = {
        let (verdict, status, sources) = (verdict.clone(), status.clone(), sources.clone());
        let nodes = (explanation.clone(), url.clone(), title.clone(), name.clone());
        let claim_refs = claim_refs.clone();
        move |v: Option<String>, st: Option<Status>, list: Option<Vec<Source>>| Shown {
            verdict: v.unwrap_or_else(|| (*verdict).clone()),
            status: st.unwrap_or(*status),
            explanation: nodes.0.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default(),
            sources: list.unwrap_or_else(|| (*sources).clone()),
            url: input_value(&nodes.1),
            title: input_value(&nodes.2),
            name: input_value(&nodes.3),
            claim: claim_refs.read(),
        }
    };
    let draft = {
        let (id, on_draft) = (props.id.clone(), props.draft.on_draft.clone());
        move |shown: Shown| on_draft.emit((id.clone(), Form::Review, shown.fields()))
    };
    let oninput = {
        let (typed, draft) = (typed.clone(), draft.clone());
        Callback::from(move |_: InputEvent| draft(typed(None, None, None)))
    };

    let add_source = {
        let (url, title, sources, problems) = (url.clone(), title.clone(), sources.clone(), problems.clone());
        let (typed, draft) = (typed.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| match typed_source(&input_value(&url), &input_value(&title)) {
            Ok(source) => {
                let mut next = (*sources).clone();
                next.push(source);
                sources.set(next.clone());
                problems.set(Vec::new());
                for node in [&url, &title] {
                    if let Some(i) = node.cast::<HtmlInputElement>() {
                        i.set_value("");
                    }
                }
                draft(typed(None, None, Some(next)));
            }
            Err(why) => problems.set(vec![(Field::Sources, why)]),
        })
    };
    let onsubmit = {
        let (verdict, status, sources, problems) = (verdict.clone(), status.clone(), sources.clone(), problems.clone());
        let (explanation, url, title, name) = (explanation.clone(), url.clone(), title.clone(), name.clone());
        let (id, scale, stored) = (props.id.clone(), props.scale.clone(), props.reviewer.to_string());
        let (on_save, on_reviewer) = (props.on_save.clone(), props.on_reviewer.clone());
        let claim_refs = claim_refs.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut found = Vec::new();
            let mut all = (*sources).clone();
            // A source typed but not added is meant to be kept.
            let typed = input_value(&url);
            if !typed.trim().is_empty() {
                match typed_source(&typed, &input_value(&title)) {
                    Ok(s) => all.push(s),
                    Err(why) => found.push((Field::Sources, why)),
                }
            }
            let given = input_value(&name);
            let reviewer = if given.trim().is_empty() { stored.clone() } else { given.trim().to_string() };
            let review = Review {
                verdict: (!verdict.is_empty()).then(|| (*verdict).clone()),
                explanation: explanation.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default(),
                sources: all,
                status: *status,
                reviewer: reviewer.clone(),
                reviewed: None,
                claim: claim_refs.read().tidied(),
            };
            let today = marginalia_core::claimreview::date_of(crate::clock::env().now_ms);
            found.extend(review.problems_by_field(&scale, &today));
            if !found.is_empty() {
                problems.set(found);
                return;
            }
            problems.set(Vec::new());
            if reviewer != stored {
                on_reviewer.emit(reviewer);
            }
            on_save.emit((id.clone(), Some(review)));
        })
    };
    let on_verdict = {
        let (verdict, typed, draft) = (verdict.clone(), typed.clone(), draft.clone());
        Callback::from(move |e: Event| {
            let value = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            verdict.set(value.clone());
            draft(typed(Some(value), None, None));
        })
    };
    let on_status = {
        let (status, typed, draft) = (status.clone(), typed.clone(), draft.clone());
        Callback::from(move |e: Event| {
            let value = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            if let Some(s) = Status::from_id(&value) {
                status.set(s);
                draft(typed(None, Some(s), None));
            }
        })
    };
    let remove = {
        let (id, on_save) = (props.id.clone(), props.on_save.clone());
        Callback::from(move |_: MouseEvent| on_save.emit((id.clone(), None)))
    };
    let forget_name = props.on_reviewer.reform(|_: MouseEvent| String::new());
    let told = Problems { list: &problems, id: props.id.as_str() };
    let off_scale = (!verdict.is_empty() && props.scale.get(&verdict).is_none()).then(|| (*verdict).clone());
    html! {
        <form class="review-editor" onsubmit={onsubmit} {oninput} aria-label="Fact-check" novalidate=true>
            <fieldset>
                <legend>{ "Fact-check" }</legend>
                <label for={field("verdict")}>{ "Verdict" }</label>
                <select id={field("verdict")} onchange={on_verdict}
                        aria-invalid={told.invalid(Field::Verdict)} aria-describedby={told.described(Field::Verdict, "verdict")}>
                    <option value="" selected={verdict.is_empty()}>{ "No verdict yet" }</option>
                    { for props.scale.ratings().iter().map(|r| html! {
                        <option value={r.id.clone()} selected={*verdict == r.id}>{ r.label.clone() }</option>
                    }) }
                    if let Some(id) = &off_scale {
                        <option value={id.clone()} selected=true>{ format!("{id} (not on this scale)") }</option>
                    }
                </select>
                { told.beside(Field::Verdict, "verdict") }
                if let Some(id) = &off_scale {
                    <p class="hint">{ format!("The verdict “{id}” is not on this site's rating scale. It is kept until you choose another.") }</p>
                }
                <label for={field("status")}>{ "Status" }</label>
                <select id={field("status")} onchange={on_status}>
                    { for Status::ALL.iter().map(|s| html! {
                        <option value={s.id()} selected={*status == *s}>{ s.label() }</option>
                    }) }
                </select>
                <label for={field("explanation")}>{ "Explanation" }</label>
                <textarea id={field("explanation")} ref={explanation} rows="3" defaultvalue={start.explanation.clone()}
                          aria-invalid={told.invalid(Field::Explanation)}
                          aria-describedby={told.described(Field::Explanation, "explanation")} />
                { told.beside(Field::Explanation, "explanation") }
                <p class="sources-heading" id={field("sources")}>{ format!("Sources ({})", sources.len()) }</p>
                <ul class="sources" aria-labelledby={field("sources")}>
                    { for sources.iter().enumerate().map(|(i, s)| {
                        let (sources, typed, draft) = (sources.clone(), typed.clone(), draft.clone());
                        let drop = Callback::from(move |_: MouseEvent| {
                            let mut next = (*sources).clone();
                            if i < next.len() {
                                next.remove(i);
                            }
                            sources.set(next.clone());
                            draft(typed(None, None, Some(next)));
                        });
                        let shown = if s.title.is_empty() { s.url.clone() } else { s.title.clone() };
                        html! {
                            <li>
                                <a href={s.url.clone()} target="_blank" rel="noopener noreferrer">{ shown.clone() }</a>
                                <button type="button" class="source-remove" aria-label={format!("Remove source {shown}")}
                                        onclick={drop}>{ "Remove" }</button>
                            </li>
                        }
                    }) }
                </ul>
                <label for={field("source-url")}>{ "Source address" }</label>
                <input id={field("source-url")} ref={url} type="url" placeholder="https://" defaultvalue={start.url.clone()}
                       aria-invalid={told.invalid(Field::Sources)} aria-describedby={told.described(Field::Sources, "source-url")} />
                { told.beside(Field::Sources, "source-url") }
                <label for={field("source-title")}>{ "Source title" }</label>
                <input id={field("source-title")} ref={title} type="text" defaultvalue={start.title.clone()} />
                <button type="button" class="source-add" onclick={add_source}>{ "Add source" }</button>
                <ClaimFields id={props.id.clone()} start={start.claim.clone()} refs={(*claim_refs).clone()}
                             problems={Rc::new((*problems).clone())} offered={props.offered.clone()}
                             guessed={!props.offered.guess.is_empty() && props.draft.fields.is_none()
                                      && props.review.as_ref().is_none_or(|r| r.claim.claimant.is_empty())} />
                if props.reviewer.is_empty() {
                    <label for={field("reviewer")}>{ "Your name (asked once, kept in this browser)" }</label>
                    <input id={field("reviewer")} ref={name} type="text" autocomplete="name" defaultvalue={start.name.clone()} />
                } else {
                    <p class="reviewer">{ format!("Reviewer: {}", props.reviewer) }
                        <button type="button" class="reviewer-change" onclick={forget_name}>{ "Not you?" }</button>
                    </p>
                }
            </fieldset>
            { told.alert() }
            <button type="submit">{ "Save fact-check" }</button>
            if props.review.is_some() {
                <button type="button" class="review-remove" onclick={remove}>{ "Remove fact-check" }</button>
            }
            { props.draft.discard_button(&props.id, Form::Review, props.draft.fields.is_some()) }
        </form>
    }
}
