//! A quote's attribution editor: speaker, date and venue, with the speaker
//! the suggestion rules found offered first. What is typed is its draft;
//! what cannot be saved is said next to its field and nothing is saved.

use crate::drafts::{fields, DraftProps};
use crate::field_problems::Problems;
use marginalia_core::drafts::Form;
use marginalia_core::review::{Attribution, Field};
use marginalia_core::suggest::speaker_in_note;
use marginalia_core::{Annotation, AnnotationId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AttributionProps {
    pub quote: Annotation,
    pub on_save: Callback<(AnnotationId, Option<Attribution>)>,
    #[prop_or_default]
    pub draft: DraftProps,
}

#[component]
pub fn AttributionEditor(props: &AttributionProps) -> Html {
    let a = &props.quote;
    let (speaker, date, venue) = (use_node_ref(), use_node_ref(), use_node_ref());
    let field = |what: &str| format!("{what}-{}", a.id);
    let saved = a.attribution.as_deref().cloned();
    // The rules' guess is offered, not recorded: the reader saves it.
    // Where the rules keep it now, or (accepted before schema 6) the note.
    let guess = saved
        .is_none()
        .then(|| speaker_in_note(&a.suggested_because).or_else(|| speaker_in_note(&a.note)))
        .flatten()
        .map(str::to_string);
    let start = match &props.draft.fields {
        Some(_) => Attribution {
            speaker: props.draft.field("speaker").unwrap_or_default(),
            date: props.draft.field("date").unwrap_or_default(),
            venue: props.draft.field("venue").unwrap_or_default(),
        },
        None => saved
            .clone()
            .unwrap_or_else(|| Attribution { speaker: guess.clone().unwrap_or_default(), ..Default::default() }),
    };
    let problems = use_state(Vec::<(Field, String)>::new);
    let value = |n: &NodeRef| n.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
    // The draft or the saved speaker changed from outside (saved,
    // discarded, undone, another tab): the fields show it.
    {
        let nodes = [speaker.clone(), date.clone(), venue.clone()];
        use_effect_with(start.clone(), move |start| {
            for (node, now) in nodes.iter().zip([&start.speaker, &start.date, &start.venue]) {
                if let Some(i) = node.cast::<HtmlInputElement>() {
                    if i.value() != **now {
                        i.set_value(now);
                    }
                }
            }
        });
    }
    let onsubmit = {
        let (speaker, date, venue) = (speaker.clone(), date.clone(), venue.clone());
        let (id, on_save, problems) = (a.id.clone(), props.on_save.clone(), problems.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = Attribution { speaker: value(&speaker), date: value(&date), venue: value(&venue) };
            let found = typed.tidied().map(|a| a.problems_by_field()).unwrap_or_default();
            let ok = found.is_empty();
            problems.set(found);
            if ok {
                on_save.emit((id.clone(), Some(typed)));
            }
        })
    };
    let oninput = {
        let (speaker, date, venue) = (speaker.clone(), date.clone(), venue.clone());
        let (id, on_draft) = (a.id.clone(), props.draft.on_draft.clone());
        Callback::from(move |_: InputEvent| {
            let typed = fields([("speaker", value(&speaker)), ("date", value(&date)), ("venue", value(&venue))]);
            on_draft.emit((id.clone(), Form::Speaker, typed));
        })
    };
    let remove = {
        let (id, on_save) = (a.id.clone(), props.on_save.clone());
        Callback::from(move |_: MouseEvent| on_save.emit((id.clone(), None)))
    };
    let told = Problems { list: &problems, id: a.id.as_str() };
    html! {
        <form class="attribution-editor" {onsubmit} {oninput} aria-label="Speaker" novalidate=true>
            <fieldset>
                <legend>{ "Who said it" }</legend>
                <label for={field("speaker")}>{ "Speaker" }</label>
                <input id={field("speaker")} ref={speaker} type="text" defaultvalue={start.speaker.clone()}
                       aria-invalid={told.invalid(Field::Speaker)} aria-describedby={told.described(Field::Speaker, "speaker")} />
                { told.beside(Field::Speaker, "speaker") }
                if guess.is_some() {
                    <p class="hint">{ "Found by the suggestions: check it, then save." }</p>
                }
                <label for={field("said-on")}>{ "Date (when known)" }</label>
                <input id={field("said-on")} ref={date} type="date" defaultvalue={start.date.clone()}
                       aria-invalid={told.invalid(Field::SaidOn)} aria-describedby={told.described(Field::SaidOn, "said-on")} />
                { told.beside(Field::SaidOn, "said-on") }
                <label for={field("venue")}>{ "Where (when known)" }</label>
                <input id={field("venue")} ref={venue} type="text" defaultvalue={start.venue.clone()}
                       aria-invalid={told.invalid(Field::Venue)} aria-describedby={told.described(Field::Venue, "venue")} />
                { told.beside(Field::Venue, "venue") }
            </fieldset>
            { told.alert() }
            <button type="submit">{ "Save speaker" }</button>
            if saved.is_some() {
                <button type="button" class="attribution-remove" onclick={remove}>{ "Remove speaker" }</button>
            }
            { props.draft.discard_button(&a.id, Form::Speaker, props.draft.fields.is_some()) }
        </form>
    }
}
