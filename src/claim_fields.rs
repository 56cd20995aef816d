//! The claim's own facts in the fact-check form: who made it (a name, a
//! job title, a `sameAs` address), when, and where else it appeared. The
//! fields belong to the fact-check's form (one Save, one draft); this part
//! draws them and reads them back through the refs the form holds.

use crate::field_problems::Problems;
use marginalia_core::review::{ClaimFacts, Field};
use marginalia_core::AnnotationId;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The fields' elements, owned by the form.
#[derive(Clone, Default, PartialEq)]
pub struct ClaimRefs {
    pub claimant: NodeRef,
    pub job_title: NodeRef,
    pub same_as: NodeRef,
    pub date: NodeRef,
    /// One address per line.
    pub appearances: NodeRef,
}

impl ClaimRefs {
    /// What the fields hold now.
    pub fn read(&self) -> ClaimFacts {
        let input = |n: &NodeRef| n.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
        let lines = self.appearances.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
        ClaimFacts {
            claimant: input(&self.claimant),
            job_title: input(&self.job_title),
            same_as: input(&self.same_as),
            date: input(&self.date),
            appearances: lines.lines().map(str::to_string).collect(),
        }
    }

    /// Shows `facts`, leaving alone a field that already holds its value
    /// (the caret of the field being typed in stays put).
    pub fn show(&self, facts: &ClaimFacts) {
        let inputs = [
            (&self.claimant, &facts.claimant),
            (&self.job_title, &facts.job_title),
            (&self.same_as, &facts.same_as),
            (&self.date, &facts.date),
        ];
        for (node, value) in inputs {
            if let Some(i) = node.cast::<HtmlInputElement>().filter(|i| i.value() != **value) {
                i.set_value(value);
            }
        }
        let lines = facts.appearances.join("\n");
        if let Some(t) = self.appearances.cast::<HtmlTextAreaElement>().filter(|t| t.value() != lines) {
            t.set_value(&lines);
        }
    }
}

/// What the app offers a claim's fields: read from the other annotations
/// and the article, passed down from the editor as one value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Offered {
    /// The speaker of the attributed quote around the claim, offered as
    /// its claimant until one is saved.
    pub guess: AttrValue,
    /// Speakers already named in the article.
    pub speakers: Rc<Vec<String>>,
    /// The article's date (`YYYY-MM-DD`), which an empty claim date stands for.
    pub article_date: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct ClaimFieldsProps {
    pub id: AnnotationId,
    /// What the fields show when drawn.
    pub start: ClaimFacts,
    pub refs: ClaimRefs,
    pub problems: Rc<Vec<(Field, String)>>,
    pub offered: Offered,
    /// The claimant shown was found in the attributed quote around the claim.
    pub guessed: bool,
}

#[component]
pub fn ClaimFields(props: &ClaimFieldsProps) -> Html {
    let field = |what: &str| format!("{what}-{}", props.id);
    let told = Problems { list: &props.problems, id: props.id.as_str() };
    let r = &props.refs;
    let s = &props.start;
    let date = &props.offered.article_date;
    let date_hint = if date.is_empty() {
        "Empty: the article's date, when it is known.".to_string()
    } else {
        format!("Empty: the article's date, {date}.")
    };
    html! {
        <fieldset class="claim-fields">
            <legend>{ "The claim" }</legend>
            <label for={field("claimant")}>{ "Claimant (who made the claim)" }</label>
            <input id={field("claimant")} ref={r.claimant.clone()} type="text" list={field("speakers")}
                   autocomplete="off" defaultvalue={s.claimant.clone()}
                   aria-invalid={told.invalid(Field::Claimant)} aria-describedby={told.described(Field::Claimant, "claimant")} />
            <datalist id={field("speakers")}>
                { for props.offered.speakers.iter().map(|name| html! { <option value={name.clone()} /> }) }
            </datalist>
            { told.beside(Field::Claimant, "claimant") }
            if props.guessed {
                <p class="hint">{ "From the speaker of the quote around the claim: check it, then save." }</p>
            }
            <label for={field("job-title")}>{ "Claimant's job title (optional)" }</label>
            <input id={field("job-title")} ref={r.job_title.clone()} type="text" defaultvalue={s.job_title.clone()} />
            <label for={field("same-as")}>{ "Claimant's page (Wikidata or official, optional)" }</label>
            <input id={field("same-as")} ref={r.same_as.clone()} type="url" placeholder="https://" defaultvalue={s.same_as.clone()}
                   aria-invalid={told.invalid(Field::SameAs)} aria-describedby={told.described(Field::SameAs, "same-as")} />
            { told.beside(Field::SameAs, "same-as") }
            <label for={field("claim-date")}>{ "Claim date" }</label>
            <input id={field("claim-date")} ref={r.date.clone()} type="date" defaultvalue={s.date.clone()}
                   aria-invalid={told.invalid(Field::ClaimDate)} aria-describedby={told.described(Field::ClaimDate, "claim-date")} />
            <p class="hint">{ date_hint }</p>
            { told.beside(Field::ClaimDate, "claim-date") }
            <label for={field("appearances")}>{ "Other appearances (one address per line)" }</label>
            <textarea id={field("appearances")} ref={r.appearances.clone()} rows="2" defaultvalue={s.appearances.join("\n")}
                      aria-invalid={told.invalid(Field::Appearances)}
                      aria-describedby={told.described(Field::Appearances, "appearances")} />
            { told.beside(Field::Appearances, "appearances") }
        </fieldset>
    }
}
