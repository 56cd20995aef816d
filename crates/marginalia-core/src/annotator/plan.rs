//! What each action changes, worked out without changing anything: the
//! undo step `apply` then makes (and a saved form's draft ended in it).

use super::*;

impl Annotator {
    /// The change an action makes, worked out without making it.
    pub(super) fn plan(&self, action: Action, env: Env) -> Result<Step, ActionError> {
        let existing = |id: &AnnotationId| self.get(id).cloned().ok_or_else(|| ActionError::Unknown(id.clone()));
        let one = |before: Option<Annotation>, after: Option<Annotation>, label: String| {
            let id = before.as_ref().or(after.as_ref()).map(|a| a.id.clone());
            Step { changes: id.map(|id| Change { id, before, after }).into_iter().collect(), label, drafts: Vec::new() }
        };
        match action {
            Action::Create { span, tag } => {
                if span.end() > self.doc.len() {
                    return Err(ActionError::OutOfRange { span, len: self.doc.len() });
                }
                if self.tags.get(&tag).is_none() {
                    return Err(ActionError::UnknownTag(tag));
                }
                if tidy_selection(&self.doc, span.start(), span.end()).is_none() {
                    return Err(ActionError::Blank);
                }
                if let Some(same) = self.items.iter().find(|a| a.span == span && a.tag == tag) {
                    return Err(ActionError::Duplicate(same.id.clone()));
                }
                let label = format!("{} added", self.tags.label(&tag));
                let id = AnnotationId::generate(env.now_ms, env.entropy);
                Ok(one(None, Some(Annotation::new(&self.doc, id, span, tag, env.now_ms)), label))
            }
            Action::CreateMany { spans, tag } => {
                let mut changes = Vec::new();
                for (i, span) in spans.into_iter().enumerate() {
                    let env = Env { now_ms: env.now_ms, entropy: env.entropy.wrapping_add(i as u64) };
                    changes.extend(self.plan(Action::Create { span, tag: tag.clone() }, env)?.changes);
                }
                let label = self.tags.count_phrase(&tag, changes.len()) + " added";
                Ok(Step { changes, label, drafts: Vec::new() })
            }
            Action::Accept { items, with_speakers } => {
                let mut changes = Vec::new();
                let mut attributed = 0;
                for (i, (span, tag, note)) in items.into_iter().enumerate() {
                    let env = Env { now_ms: env.now_ms, entropy: env.entropy.wrapping_add(i as u64) };
                    // One already tagged the same is skipped, not an error.
                    let Ok(step) = self.plan(Action::Create { span, tag }, env) else { continue };
                    changes.extend(step.changes.into_iter().map(|mut c| {
                        if let Some(a) = &mut c.after {
                            a.suggested = true;
                            // The rule's reason, beside the annotation: the
                            // note stays the reader's own.
                            a.suggested_because = note.clone();
                            let speaker = crate::suggest::speaker_in_note(&note).filter(|_| with_speakers);
                            if let Some(name) = speaker.filter(|_| a.tag.as_str() == crate::annotation::QUOTE) {
                                a.attribution =
                                    Some(Box::new(Attribution { speaker: name.to_string(), ..Attribution::default() }));
                                attributed += 1;
                            }
                        }
                        c
                    }));
                }
                let mut label = format!("{} suggestion(s) accepted", changes.len());
                if attributed > 0 {
                    label.push_str(&format!(", {attributed} with the speaker found"));
                }
                Ok(Step { changes, label, drafts: Vec::new() })
            }
            Action::Retag { id, tag } => {
                if self.tags.get(&tag).is_none() {
                    return Err(ActionError::UnknownTag(tag));
                }
                let before = existing(&id)?;
                let mut label = format!("{} changed to {}", self.tags.label(&before.tag), self.tags.label(&tag));
                let after = Annotation { tag, ..before.clone() }.stamped(&before, env.now_ms);
                // A retag never drops a review or a speaker: it keeps it
                // out of sight, and says so (and when it is back).
                match (before.kept_aside(), after.kept_aside()) {
                    (None, Some(kept)) => label.push_str(&format!("; its {kept} is kept, out of sight")),
                    (Some(kept), None) => label.push_str(&format!("; its {kept} is back")),
                    _ => {}
                }
                Ok(one(Some(before), Some(after), label))
            }
            Action::Note { id, text } => {
                let before = existing(&id)?;
                let note: String = text.trim().chars().take(NOTE_LIMIT).collect();
                let label = if note.is_empty() { "Note removed" } else { "Note saved" }.to_string();
                let after = Annotation { note, ..before.clone() }.stamped(&before, env.now_ms);
                Ok(self.ending_draft(one(Some(before), Some(after), label), &id, Form::Note))
            }
            Action::Confirm { id } => {
                let before = existing(&id)?;
                let after = Annotation { fuzzy: None, ..before.clone() }.stamped(&before, env.now_ms);
                Ok(one(Some(before), Some(after), "Placement confirmed".to_string()))
            }
            Action::Review { id, review } => {
                Ok(self.ending_draft(self.plan_review(existing(&id)?, review, env)?, &id, Form::Review))
            }
            Action::Attribute { id, attribution } => {
                Ok(self.ending_draft(self.plan_attribution(existing(&id)?, attribution, env)?, &id, Form::Speaker))
            }
            Action::Discard { id, form } => {
                let draft = self.drafts.get(&id, form).ok_or(ActionError::NoDraft(form))?;
                let change = DraftChange { id, form, before: Some(draft.fields.clone()), after: None };
                Ok(Step {
                    label: format!("Draft of the {} discarded", form.label()),
                    drafts: vec![change],
                    ..Step::default()
                })
            }
            Action::Delete { id } => {
                // An orphan too: it is listed, saved and exported, so it can be deleted.
                let before = self.held(&id).cloned().ok_or_else(|| ActionError::Unknown(id.clone()))?;
                let label = format!("{} deleted", self.tags.label(&before.tag));
                Ok(one(Some(before), None, label))
            }
            Action::Undo | Action::Redo => Ok(Step::default()),
        }
    }

    /// `step` saves `id`'s `form`: the draft of it, if any, ends with it
    /// (and comes back with an undo).
    fn ending_draft(&self, mut step: Step, id: &AnnotationId, form: Form) -> Step {
        if let Some(d) = self.drafts.get(id, form) {
            step.drafts.push(DraftChange { id: id.clone(), form, before: Some(d.fields.clone()), after: None });
        }
        step
    }
}
