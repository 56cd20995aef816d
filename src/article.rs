//! The article: one memoised component per paragraph, each rendering the
//! core's runs as text and nested `<mark>` elements.
//!
//! A paragraph re-renders only when the app hands it a new `Rc` view, which
//! it does only for the paragraphs an action touched; props compare by
//! pointer, so untouched paragraphs cost nothing.

use marginalia_core::{AnnotationId, Annotator, Tag};
use std::rc::Rc;
use yew::prelude::*;

/// How a paragraph of the document is shown: the host's heading levels are
/// kept; a text file's first line is the headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8),
    Paragraph,
}

/// One highlight layer of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkView {
    pub id: AnnotationId,
    pub tag: Tag,
    /// Set on the first run of this highlight in the paragraph: its label.
    pub label: Option<Rc<str>>,
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
    pub block: Block,
    /// Whether the panel is shown, so highlights can point at their entry.
    pub details: bool,
    pub text: Rc<str>,
    pub runs: Vec<RunView>,
}

impl ParagraphView {
    pub fn build(annotator: &Annotator, blocks: &[Block], details: bool, index: usize) -> Rc<ParagraphView> {
        let items = annotator.annotations();
        let tags = annotator.tags();
        let runs = annotator
            .runs(index)
            .into_iter()
            .map(|run| RunView {
                bytes: run.bytes,
                marks: run
                    .marks
                    .iter()
                    .map(|m| {
                        let a = &items[m.annotation];
                        MarkView {
                            id: a.id.clone(),
                            tag: a.tag.clone(),
                            label: m.first.then(|| Rc::from(tags.label(&a.tag))),
                        }
                    })
                    .collect(),
            })
            .collect();
        let text = annotator.document().paragraphs()[index].text().clone();
        let block = blocks.get(index).copied().unwrap_or(Block::Paragraph);
        Rc::new(ParagraphView { index, block, details, text, runs })
    }

    /// Views of every paragraph.
    pub fn build_all(annotator: &Annotator, blocks: &[Block], details: bool) -> Vec<Rc<ParagraphView>> {
        (0..annotator.document().paragraphs().len())
            .map(|i| ParagraphView::build(annotator, blocks, details, i))
            .collect()
    }

    /// Rebuilds `views[range]`, keeping every other view (and so its DOM) as it is.
    pub fn refresh(
        views: &mut [Rc<ParagraphView>],
        annotator: &Annotator,
        blocks: &[Block],
        details: bool,
        range: std::ops::Range<usize>,
    ) {
        for index in range {
            if let Some(slot) = views.get_mut(index) {
                *slot = ParagraphView::build(annotator, blocks, details, index);
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
    let runs: Html = view.runs.iter().map(|run| render_run(&view.text, run, view.details)).collect();
    let index = view.index.to_string();
    match view.block {
        Block::Heading(level) => {
            let name = format!("h{}", level.clamp(1, 6));
            html! { <@{name} class="para" data-para={index}>{ runs }</@> }
        }
        Block::Paragraph => html! { <p class="para" data-para={index}>{ runs }</p> },
    }
}

fn render_run(text: &str, run: &RunView, details: bool) -> Html {
    // Text always goes in as a text node: the article is never parsed as HTML.
    let mut node = html! { { text.get(run.bytes.clone()).unwrap_or_default().to_string() } };
    for mark in run.marks.iter().rev() {
        node = html! {
            <mark class="hl" data-tag={mark.tag.to_string()} data-annotation-id={mark.id.to_string()}
                  tabindex={mark.label.is_some().then_some("-1")} aria-details={details.then(|| format!("ann-{}", mark.id))}
                  data-label={mark.label.as_ref().map(|l| AttrValue::from(l.to_string()))}>
                { node }
            </mark>
        };
    }
    node
}
