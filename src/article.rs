//! The article: one memoised component per paragraph, each rendering the
//! core's runs as text and nested `<mark>` elements.
//!
//! A paragraph re-renders only when the app hands it a new `Rc` view, which
//! it does only for the paragraphs an action touched; props compare by
//! pointer, so untouched paragraphs cost nothing.

use marginalia_core::segment::paragraph_runs;
use marginalia_core::{Annotation, AnnotationId, Annotator, Tag};

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
    /// A pending suggestion, not yet the reader's.
    pub suggested: bool,
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
    /// `pending` are suggestions drawn beside the annotations.
    pub fn build(
        annotator: &Annotator,
        blocks: &[Block],
        details: bool,
        pending: &[Annotation],
        index: usize,
    ) -> Rc<ParagraphView> {
        let tags = annotator.tags();
        let doc = annotator.document();
        let para = &doc.paragraphs()[index];
        let extra: Vec<&Annotation> = pending.iter().filter(|a| a.span.overlaps(para.start(), para.end())).collect();
        // Without suggestions here, the annotator's own runs; with them, one
        // segmentation over both, so overlaps nest exactly as usual.
        let combined: Vec<Annotation>;
        let (items, runs) = if extra.is_empty() {
            (annotator.annotations(), annotator.runs(index))
        } else {
            let mine = annotator.annotations().iter().filter(|a| a.span.overlaps(para.start(), para.end()));
            combined = mine.chain(extra).cloned().collect();
            let all: Vec<usize> = (0..combined.len()).collect();
            (&combined[..], paragraph_runs(doc, index, &combined, &all))
        };
        let runs = runs
            .into_iter()
            .map(|run| RunView {
                bytes: run.bytes,
                marks: run
                    .marks
                    .iter()
                    .map(|m| {
                        let a = &items[m.annotation];
                        let suggested = a.id.is_suggestion();
                        let label = m.first.then(|| {
                            let name = tags.label(&a.tag);
                            Rc::from(if suggested {
                                format!("Suggested {}", name.to_lowercase())
                            } else {
                                name.to_string()
                            })
                        });
                        MarkView { id: a.id.clone(), tag: a.tag.clone(), label, suggested }
                    })
                    .collect(),
            })
            .collect();
        let text = annotator.document().paragraphs()[index].text().clone();
        let block = blocks.get(index).copied().unwrap_or(Block::Paragraph);
        Rc::new(ParagraphView { index, block, details, text, runs })
    }

    /// Views of every paragraph.
    pub fn build_all(
        annotator: &Annotator,
        blocks: &[Block],
        details: bool,
        pending: &[Annotation],
    ) -> Vec<Rc<ParagraphView>> {
        (0..annotator.document().paragraphs().len())
            .map(|i| ParagraphView::build(annotator, blocks, details, pending, i))
            .collect()
    }

    /// Rebuilds `views[range]`, keeping every other view (and so its DOM) as it is.
    pub fn refresh(
        views: &mut [Rc<ParagraphView>],
        annotator: &Annotator,
        blocks: &[Block],
        details: bool,
        pending: &[Annotation],
        range: std::ops::Range<usize>,
    ) {
        for index in range {
            if let Some(slot) = views.get_mut(index) {
                *slot = ParagraphView::build(annotator, blocks, details, pending, index);
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
                  data-suggested={mark.suggested.then_some("true")}
                  tabindex={(mark.label.is_some() && !mark.suggested).then_some("-1")}
                  aria-details={(details && !mark.suggested).then(|| format!("ann-{}", mark.id))}
                  data-label={mark.label.as_ref().map(|l| AttrValue::from(l.to_string()))}>
                { node }
            </mark>
        };
    }
    node
}
