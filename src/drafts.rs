//! What every form with a draft shares: the draft's fields given to it, the
//! callbacks that tell the core what was typed or discarded, and the
//! Discard draft button. The drafts themselves are the core's
//! (`marginalia_core::drafts`); a form only shows and reports them.

use marginalia_core::drafts::{Fields, Form};
use marginalia_core::AnnotationId;
use yew::prelude::*;

/// A form's draft (its fields, if the reader typed and did not save) and
/// where its typing and discarding go.
#[derive(Clone, Default, PartialEq)]
pub struct DraftProps {
    pub fields: Option<Fields>,
    pub on_draft: Callback<(AnnotationId, Form, Fields)>,
    pub on_discard: Callback<(AnnotationId, Form)>,
}

impl DraftProps {
    /// One field of the draft, if there is a draft.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.as_ref().map(|f| f.get(name).cloned().unwrap_or_default())
    }

    /// "Discard draft", while there is one: the only way a draft goes
    /// without being saved (and Undo brings it back).
    pub fn discard_button(&self, id: &AnnotationId, form: Form, shown: bool) -> Html {
        if !shown {
            return Html::default();
        }
        let (id, on_discard) = (id.clone(), self.on_discard.clone());
        let onclick = Callback::from(move |_: MouseEvent| on_discard.emit((id.clone(), form)));
        html! {
            <button type="button" class="draft-discard" {onclick}>{ "Discard draft" }</button>
        }
    }
}

/// Fields from `(name, value)` pairs.
pub fn fields<const N: usize>(pairs: [(&str, String); N]) -> Fields {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
