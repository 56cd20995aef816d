//! The article: a view per paragraph built from the core's runs, painted as
//! text and nested `<mark>` elements.
//!
//! A paragraph is repainted only when the app hands it a new `Rc` view,
//! which it does only for the paragraphs an action touched; views compare
//! by pointer, so untouched paragraphs cost nothing.

use marginalia_core::segment::{bucket_by_paragraph, paragraph_runs};
use marginalia_core::{Annotation, AnnotationId, Annotator, Document, Tag};

use std::rc::Rc;
use wasm_bindgen::{intern, JsCast, JsValue};
use web_sys::Element;

/// How a paragraph of the document is shown: the host's heading levels are
/// kept; a text file's first line is the headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8),
    Paragraph,
}

/// Pending suggestions drawn beside the annotations, bucketed by paragraph
/// so a paragraph finds its own without scanning them all.
#[derive(Default)]
pub struct Pending {
    marks: Vec<Annotation>,
    by_paragraph: Vec<Vec<usize>>,
}

impl Pending {
    pub fn new(doc: &Document, marks: Vec<Annotation>) -> Pending {
        let by_paragraph = bucket_by_paragraph(doc, &marks);
        Pending { marks, by_paragraph }
    }

    fn in_paragraph(&self, index: usize) -> impl Iterator<Item = &Annotation> {
        self.by_paragraph.get(index).into_iter().flatten().map(|&i| &self.marks[i])
    }

    /// The paragraphs whose pending marks differ between the two.
    pub fn changed(&self, other: &Pending) -> Vec<usize> {
        let ids = |p: &Pending, i: usize| p.in_paragraph(i).map(|a| a.id.clone()).collect::<Vec<_>>();
        (0..self.by_paragraph.len().max(other.by_paragraph.len())).filter(|&i| ids(self, i) != ids(other, i)).collect()
    }
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
    /// Highlights covering the run but not drawn on it (past the core's
    /// layer limit): named on its innermost mark as `data-also`.
    pub also: Vec<AnnotationId>,
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
        pending: &Pending,
        index: usize,
    ) -> Rc<ParagraphView> {
        let tags = annotator.tags();
        let doc = annotator.document();
        let extra: Vec<&Annotation> = pending.in_paragraph(index).collect();
        // Without suggestions here, the annotator's own runs; with them, one
        // segmentation over both, so overlaps nest exactly as usual.
        let combined: Vec<Annotation>;
        let (items, runs) = if extra.is_empty() {
            (annotator.annotations(), annotator.runs(index))
        } else {
            combined = annotator.in_paragraph(index).chain(extra).cloned().collect();
            let all: Vec<usize> = (0..combined.len()).collect();
            (&combined[..], paragraph_runs(doc, index, &combined, &all))
        };
        let runs = runs
            .into_iter()
            .map(|run| RunView {
                also: run.hidden.iter().map(|&i| items[i].id.clone()).collect(),
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
        pending: &Pending,
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
        pending: &Pending,
        range: std::ops::Range<usize>,
    ) {
        for index in range {
            if let Some(slot) = views.get_mut(index) {
                *slot = ParagraphView::build(annotator, blocks, details, pending, index);
            }
        }
    }
}

/// The article's paragraphs as painted into the `<article>` element, and the
/// views they were painted from.
///
/// Paragraphs are built with direct DOM calls instead of one Yew component
/// each: on 1 MB × 10,000 annotations Yew's per-component and per-node work
/// was 60% of the time to first paint. The shape is what the component
/// rendered: `<p class="para" data-para>` (or `<hN>`) holding text nodes and
/// nested `<mark class="hl">`s. Text goes in only as text nodes: the article
/// is never parsed as HTML.
#[derive(Default)]
pub struct Painted {
    /// The element painted into; another one (Yew re-created it) means paint all.
    into: Option<Element>,
    views: Vec<Rc<ParagraphView>>,
    nodes: Vec<Element>,
    /// The `<div class="chunk">`s holding the paragraphs, [`CHUNK`] each.
    chunks: Vec<Element>,
}

/// Paragraphs per chunk. Each chunk is skipped as a whole while off screen
/// (`content-visibility: auto`), so after an edit the browser lays out one
/// chunk and a hundred chunk boxes instead of every paragraph box: on 1 MB
/// (6,000 paragraphs) it cut the browser's layout, style and pre-paint
/// work of a load from ~190 ms to ~45 ms and of an add from ~55 ms to ~20.
/// Articles of up to [`UNCHUNKED`] paragraphs are not chunked: a chunk's
/// estimated height, until first drawn, would move what follows it.
const CHUNK: usize = 64;
const UNCHUNKED: usize = 2 * CHUNK;

/// Chunks laid out from the first frame: only the ones after them are
/// skipped (class `skip`). Until its first frame a skipped chunk has its
/// estimated size, and text measured or pressed on inside it before then is
/// not where the frame puts it: a drag begun at once started on the wrong
/// line. 128 paragraphs are taller than any screen, and a new article is
/// shown from its start, so what is on screen when it appears is laid out.
const LAID_OUT: usize = 2;

impl Painted {
    /// Makes `article` show `views`, replacing only the paragraphs whose view
    /// changed (views compare by pointer, so untouched paragraphs cost one
    /// comparison and keep their nodes).
    pub fn sync(&mut self, article: &Element, views: &[Rc<ParagraphView>]) -> Result<(), JsValue> {
        let doc = article.owner_document().ok_or_else(|| JsValue::from_str("the article has no document"))?;
        let mut templates = Templates::new(&doc)?;
        let same_home = self.into.as_ref().is_some_and(|e| e.is_same_node(Some(article)));
        if !same_home || self.views.len() != views.len() {
            for node in self.nodes.drain(..) {
                node.remove();
            }
            for chunk in self.chunks.drain(..) {
                chunk.remove();
            }
            // One fragment, one insertion: the browser lays out once.
            let fragment = doc.create_document_fragment();
            let size = if views.len() > UNCHUNKED { CHUNK } else { views.len().max(1) };
            for (n, group) in views.chunks(size).enumerate() {
                let parent: web_sys::Node = if views.len() > UNCHUNKED {
                    let class = if n < LAID_OUT { "chunk" } else { "chunk skip" };
                    let chunk = templates.clone_of(&doc, "div", class, None)?;
                    fragment.append_child(&chunk)?;
                    self.chunks.push(chunk.clone());
                    chunk.into()
                } else {
                    fragment.clone().into()
                };
                for view in group {
                    let node = paint(&doc, &mut templates, view)?;
                    parent.append_child(&node)?;
                    self.nodes.push(node);
                }
            }
            article.append_child(&fragment)?;
            self.into = Some(article.clone());
            self.views = views.to_vec();
            return Ok(());
        }
        for (i, view) in views.iter().enumerate() {
            if Rc::ptr_eq(&self.views[i], view) {
                continue;
            }
            let node = paint(&doc, &mut templates, view)?;
            self.nodes[i].replace_with_with_node_1(&node)?;
            self.nodes[i] = node;
            self.views[i] = view.clone();
        }
        Ok(())
    }
}

/// One paragraph's element.
///
/// Every string crossing from wasm to the DOM is decoded on the JS side, so
/// fixed names are interned and each mark starts as a shallow clone of a
/// per-tag template (class and tag already set): on 1 MB × 10,000 this
/// halved the painting time.
fn paint(doc: &web_sys::Document, templates: &mut Templates, view: &ParagraphView) -> Result<Element, JsValue> {
    let name = match view.block {
        Block::Heading(level) => ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1],
        Block::Paragraph => "p",
    };
    let el = templates.clone_of(doc, name, "para", None)?;
    el.set_attribute(intern("data-para"), &view.index.to_string())?;
    // The paragraph's text crosses to JS once; each run's text node is a
    // slice of it there (UTF-16 offsets), not another string to decode.
    let whole = js_sys::JsString::from(&*view.text);
    let mut at = 0u32;
    for run in &view.runs {
        let piece = view.text.get(run.bytes.clone()).unwrap_or_default();
        let end = at + piece.chars().map(|c| c.len_utf16() as u32).sum::<u32>();
        let text = templates.text_node.call1(doc, &whole.slice(at, end))?;
        at = end;
        let mut node: web_sys::Node = text.dyn_into()?;
        for (i, mark) in run.marks.iter().rev().enumerate() {
            let m = paint_mark(doc, templates, mark, view.details)?;
            if i == 0 && !run.also.is_empty() {
                let ids: Vec<&str> = run.also.iter().map(AnnotationId::as_str).collect();
                m.set_attribute(intern("data-also"), &ids.join(" "))?;
            }
            m.append_child(&node)?;
            node = m.into();
        }
        el.append_child(&node)?;
    }
    Ok(el)
}

fn paint_mark(
    doc: &web_sys::Document,
    templates: &mut Templates,
    mark: &MarkView,
    details: bool,
) -> Result<Element, JsValue> {
    let m = templates.clone_of(doc, "mark", "hl", Some(mark.tag.as_str()))?;
    let id = mark.id.to_string();
    m.set_attribute(intern("data-annotation-id"), &id)?;
    if mark.suggested {
        m.set_attribute(intern("data-suggested"), intern("true"))?;
    } else {
        if mark.label.is_some() {
            m.set_attribute(intern("tabindex"), intern("-1"))?;
        }
        if details {
            m.set_attribute(intern("aria-details"), &format!("ann-{id}"))?;
        }
    }
    if let Some(label) = &mark.label {
        m.set_attribute(intern("data-label"), label)?;
    }
    Ok(m)
}

/// Bare elements to clone, by element name and tag, and the document's
/// `createTextNode` to call with JS strings.
struct Templates {
    made: Vec<(&'static str, &'static str, Option<String>, Element)>,
    text_node: js_sys::Function,
}

impl Templates {
    fn new(doc: &web_sys::Document) -> Result<Templates, JsValue> {
        let text_node = js_sys::Reflect::get(doc, &JsValue::from_str("createTextNode"))?.dyn_into()?;
        Ok(Templates { made: Vec::new(), text_node })
    }

    fn clone_of(
        &mut self,
        doc: &web_sys::Document,
        name: &'static str,
        class: &'static str,
        tag: Option<&str>,
    ) -> Result<Element, JsValue> {
        let found = self.made.iter().find(|(n, c, t, _)| *n == name && *c == class && t.as_deref() == tag);
        let template = match found {
            Some((_, _, _, el)) => el.clone(),
            None => {
                let el = doc.create_element(name)?;
                el.set_class_name(class);
                if let Some(tag) = tag {
                    el.set_attribute("data-tag", tag)?;
                }
                self.made.push((name, class, tag.map(str::to_string), el.clone()));
                el
            }
        };
        template.clone_node()?.dyn_into::<Element>().map_err(JsValue::from)
    }
}
