//! The article: one memoised component per paragraph, each rendering the
//! core's runs as text and nested `<mark>` elements.
//!
//! A paragraph re-renders only when the app hands it a new `Rc` view, which
//! it does only for the paragraphs an action touched; props compare by
//! pointer, so untouched paragraphs cost nothing.

use marginalia_core::{AnnotationId, Annotator, Tag};
use std::rc::Rc;
use yew::prelude::*;

/// One highlight layer of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkView {
    pub id: AnnotationId,
    pub tag: Tag,
    /// The first run of this highlight in the paragraph carries its label.
    pub first: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub bytes: std::ops::Range<usize>,
    pub marks: Vec<MarkView>,
}

/// Everything one paragraph needs to render.
#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphView {
    pub index: usize,
    pub text: Rc<str>,
    pub runs: Vec<RunView>,
}

impl ParagraphView {
    pub fn build(annotator: &Annotator, index: usize) -> Rc<ParagraphView> {
        let items = annotator.annotations();
        let runs = annotator
            .runs(index)
            .into_iter()
            .map(|run| RunView {
                bytes: run.bytes,
                marks: run
                    .marks
                    .iter()
                    .map(|m| MarkView {
                        id: items[m.annotation].id.clone(),
                        tag: items[m.annotation].tag,
                        first: m.first,
                    })
                    .collect(),
            })
            .collect();
        let text = annotator.document().paragraphs()[index].text().clone();
        Rc::new(ParagraphView { index, text, runs })
    }

    /// Rebuilds `views[range]`, keeping every other view (and so its DOM) as it is.
    pub fn refresh(views: &mut [Rc<ParagraphView>], annotator: &Annotator, range: std::ops::Range<usize>) {
        for index in range {
            if let Some(slot) = views.get_mut(index) {
                *slot = ParagraphView::build(annotator, index);
            }
        }
    }
}

#[derive(Properties, Clone)]
pub struct ParagraphProps {
    pub view: Rc<ParagraphView>,
}

impl PartialEq for ParagraphProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[component]
pub fn Paragraph(props: &ParagraphProps) -> Html {
    let view = &props.view;
    let runs: Html = view.runs.iter().map(|run| render_run(&view.text, run)).collect();
    let index = view.index.to_string();
    // The first paragraph is the headline.
    if view.index == 0 {
        html! { <h1 class="para headline" data-para={index}>{ runs }</h1> }
    } else {
        html! { <p class="para" data-para={index}>{ runs }</p> }
    }
}

fn render_run(text: &str, run: &RunView) -> Html {
    // Text always goes in as a text node: the article is never parsed as HTML.
    let mut node = html! { { text.get(run.bytes.clone()).unwrap_or_default().to_string() } };
    for mark in run.marks.iter().rev() {
        let tag = mark.tag.as_str();
        let label = mark.first.then(|| mark.tag.label());
        node = html! {
            <mark class={classes!("hl", tag)} data-tag={tag} data-annotation-id={mark.id.to_string()} data-label={label}>
                { node }
            </mark>
        };
    }
    node
}
