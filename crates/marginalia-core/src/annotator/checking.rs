//! Fact-checking a claim and attributing a quote: the steps the reader's
//! review and attribution make, checked before they are made. Each is one
//! undoable step, and counts as an edit (its time wins when tabs merge).

use super::{ActionError, Annotator, Env};
use crate::annotation::Annotation;
use crate::history::{Change, Step};
use crate::review::{Attribution, Review, EXPLANATION_LIMIT};

impl Annotator {
    /// A claim's review set (trimmed, dated now), or refused with every
    /// problem named: a verdict off the scale, a claim marked checked
    /// without a verdict, a source that is not a web address.
    pub(super) fn plan_review(
        &self,
        before: Annotation,
        review: Option<Review>,
        env: Env,
    ) -> Result<Step, ActionError> {
        let review = review.map(|mut r| {
            r.explanation = r.explanation.trim().chars().take(EXPLANATION_LIMIT + 1).collect();
            r.reviewer = r.reviewer.trim().chars().take(200).collect();
            for s in &mut r.sources {
                s.url = s.url.trim().to_string();
                s.title = s.title.trim().chars().take(300).collect();
            }
            r.claim = r.claim.tidied();
            r.reviewed = Some(env.now_ms);
            r
        });
        if let Some(r) = &review {
            let problems = r.problems(&self.scale, &crate::claimreview::date_of(env.now_ms));
            if !problems.is_empty() {
                return Err(ActionError::Invalid(problems));
            }
        }
        let label = match &review {
            None => "Review removed".to_string(),
            Some(r) => match r.verdict.as_deref().and_then(|v| self.scale.get(v)) {
                Some(rating) => format!("Review saved: {}", rating.label),
                None => format!("Review saved: {}", r.status.label().to_lowercase()),
            },
        };
        let after = Annotation { review: review.map(Box::new), ..before.clone() }.stamped(&before, env.now_ms);
        Ok(step(before, after, label))
    }

    /// A quote's attribution set (trimmed), removed when every field is
    /// blank, or refused with every problem named (a date or place with no
    /// speaker, a name or place too long, a date that is not a date):
    /// never cut short or half-saved.
    pub(super) fn plan_attribution(
        &self,
        before: Annotation,
        attribution: Option<Attribution>,
        env: Env,
    ) -> Result<Step, ActionError> {
        let attribution = attribution.and_then(|a| a.tidied());
        if let Some(a) = &attribution {
            let problems: Vec<String> = a.problems_by_field().into_iter().map(|(_, why)| why).collect();
            if !problems.is_empty() {
                return Err(ActionError::Invalid(problems));
            }
        }
        let label = match &attribution {
            Some(a) => format!("Quote attributed to {}", a.speaker),
            None => "Attribution removed".to_string(),
        };
        let after =
            Annotation { attribution: attribution.map(Box::new), ..before.clone() }.stamped(&before, env.now_ms);
        Ok(step(before, after, label))
    }
}

fn step(before: Annotation, after: Annotation, label: String) -> Step {
    Step {
        changes: vec![Change { id: before.id.clone(), before: Some(before), after: Some(after) }],
        label,
        drafts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{annotator, claim, env, id_of};
    use super::*;
    use crate::review::{Source, Status};
    use crate::span::Span;
    use crate::Action;

    /// An annotator over one sentence with one claim on it, and its id.
    fn with_claim() -> (Annotator, crate::annotation::AnnotationId) {
        let mut an = annotator("The barrier will protect 4,300 homes.");
        let made =
            an.apply(Action::Create { span: Span::new(12, 36).expect("valid"), tag: claim() }, env(1)).expect("made");
        let id = id_of(&made);
        (an, id)
    }

    fn checked(verdict: &str, url: &str) -> Review {
        Review {
            claim: Default::default(),
            verdict: Some(verdict.into()),
            explanation: "  The agency's report gives 3,400.  ".into(),
            sources: vec![Source { url: url.into(), title: " The report ".into() }],
            status: Status::Checked,
            reviewer: "A. Checker".into(),
            reviewed: None,
        }
    }

    #[test]
    fn a_review_is_one_undoable_edit() {
        let (mut an, id) = with_claim();
        let out =
            an.apply(Action::Review { id: id.clone(), review: Some(checked("false", "https://gov.uk/r")) }, env(2));
        assert_eq!(out.expect("saved").message, "Review saved: False");
        let got = an.get(&id).and_then(|a| a.review.clone()).expect("reviewed");
        assert_eq!(
            (got.explanation.as_str(), got.sources[0].title.as_str()),
            ("The agency's report gives 3,400.", "The report")
        );
        assert_eq!(got.reviewed, Some(env(2).now_ms));
        assert_eq!(an.get(&id).map(|a| a.updated), Some(env(2).now_ms));
        an.apply(Action::Undo, env(3)).expect("undone");
        assert!(an.get(&id).is_some_and(|a| a.review.is_none()));
        an.apply(Action::Redo, env(4)).expect("redone");
        assert!(an.get(&id).is_some_and(|a| a.review.is_some()));
    }

    #[test]
    fn what_a_review_or_attribution_refuses() {
        let (mut an, id) = with_claim();
        type Case = (Action, &'static str);
        let cases: Vec<Case> = vec![
            (
                Action::Review { id: id.clone(), review: Some(checked("pants-on-fire", "https://x.org")) },
                "not on this rating scale",
            ),
            (
                Action::Review { id: id.clone(), review: Some(checked("false", "javascript:alert(1)")) },
                "not a web address",
            ),
            (
                Action::Review {
                    id: id.clone(),
                    review: Some(Review { verdict: None, ..checked("false", "https://x.org") }),
                },
                "needs a verdict",
            ),
            (
                Action::Attribute {
                    id: id.clone(),
                    attribution: Some(Attribution {
                        speaker: "Amara Okafor".into(),
                        date: "30/11/2026".into(),
                        venue: String::new(),
                    }),
                },
                "not a date",
            ),
        ];
        for (action, why) in cases {
            let err = an.apply(action, env(2)).expect_err(why);
            assert!(err.to_string().contains(why), "{err}");
        }
        // Nothing changed, nothing to undo but the creation.
        assert!(an.get(&id).is_some_and(|a| a.review.is_none() && a.attribution.is_none()));
        let ok = Attribution {
            speaker: " Amara Okafor ".into(),
            date: "2026-11-30".into(),
            venue: "Council chamber".into(),
        };
        let out = an.apply(Action::Attribute { id: id.clone(), attribution: Some(ok) }, env(3)).expect("attributed");
        assert_eq!(out.message, "Quote attributed to Amara Okafor");
        let blank = Attribution { speaker: "  ".into(), ..Attribution::default() };
        an.apply(Action::Attribute { id: id.clone(), attribution: Some(blank) }, env(4)).expect("removed");
        assert!(an.get(&id).is_some_and(|a| a.attribution.is_none()));
    }

    #[test]
    fn two_tabs_merge_a_review_like_any_edit() {
        let (mut one, id) = with_claim();
        let mut two = annotator("The barrier will protect 4,300 homes.");
        two.merge_in(&one.replica());
        one.apply(Action::Review { id: id.clone(), review: Some(checked("false", "https://gov.uk/r")) }, env(2))
            .expect("one");
        let speaker = Attribution { speaker: "Amara Okafor".into(), ..Attribution::default() };
        two.apply(Action::Attribute { id: id.clone(), attribution: Some(speaker) }, env(3)).expect("two");
        // The later edit of the annotation wins, in both orders, and both tabs agree.
        assert!(two.merge_in(&one.replica()) || one.merge_in(&two.replica()));
        one.merge_in(&two.replica());
        assert_eq!(one.get(&id), two.get(&id));
        assert!(one.get(&id).is_some_and(|a| a.attribution.is_some()));
    }
}
