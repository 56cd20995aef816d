//! A form's problems, each said next to its field: the field marked
//! invalid and described by its sentence, and the whole list in an alert
//! for a screen reader when they appear. The core finds the problems
//! (`Review::problems_by_field`, `Attribution::problems_by_field`); the
//! fact-check and speaker forms show them this one way.

use marginalia_core::review::Field;
use yew::prelude::*;

/// The problems of one annotation's form.
pub struct Problems<'a> {
    pub list: &'a [(Field, String)],
    /// The annotation's id: element ids are `{name}-problem-{id}`.
    pub id: &'a str,
}

impl Problems<'_> {
    fn said(&self, which: Field) -> Vec<&String> {
        self.list.iter().filter(|(f, _)| *f == which).map(|(_, w)| w).collect()
    }

    fn id_of(&self, name: &str) -> String {
        format!("{name}-problem-{}", self.id)
    }

    /// `aria-invalid` for the field.
    pub fn invalid(&self, which: Field) -> Option<&'static str> {
        (!self.said(which).is_empty()).then_some("true")
    }

    /// `aria-describedby` for the field named `name`.
    pub fn described(&self, which: Field, name: &str) -> Option<String> {
        (!self.said(which).is_empty()).then(|| self.id_of(name))
    }

    /// The sentence under the field named `name`, when it has a problem.
    pub fn beside(&self, which: Field, name: &str) -> Html {
        let here = self.said(which);
        if here.is_empty() {
            return Html::default();
        }
        html! {
            <p class="field-problem" id={self.id_of(name)}>
                { here.iter().map(|w| capitalised(w)).collect::<Vec<_>>().join(" ") }
            </p>
        }
    }

    /// Every problem, visually hidden, announced when it appears.
    pub fn alert(&self) -> Html {
        if self.list.is_empty() {
            return Html::default();
        }
        html! {
            <ul class="problems visually-hidden" role="alert">
                { for self.list.iter().map(|(_, p)| html! { <li>{ capitalised(p) }</li> }) }
            </ul>
        }
    }
}

/// A problem the core words as a clause, as a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}
