//! Events out: what the embedder hears about, and the mirror its handle
//! reads synchronously.

use super::{App, Context};
use marginalia_core::anchor::Text;
use marginalia_core::annotation::document_order;
use marginalia_core::claimreview::Organization;
use marginalia_core::drafts::Draft;
use marginalia_core::history::Change;
use marginalia_core::merge::Tombstone;
use marginalia_core::review::Scale;
use marginalia_core::suggest::Rejection;
use marginalia_core::{Annotation, AnnotationId, Document, TagSet};
use std::cell::RefCell;
use std::rc::Rc;

/// What the embedder hears about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Create,
    Update,
    Delete,
    Select,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Create => "create",
            EventKind::Update => "update",
            EventKind::Delete => "delete",
            EventKind::Select => "select",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WidgetEvent {
    pub kind: EventKind,
    pub annotation: Annotation,
    /// The document key, from which the W3C target source is named.
    pub document: String,
}

/// The state the embed handle reads synchronously: the document key, the
/// document and its annotations, updated after every change.
#[derive(Clone, Default)]
pub struct Mirror(pub Rc<RefCell<Shared>>);

pub struct Shared {
    pub key: String,
    pub doc: Rc<Document>,
    pub tags: Rc<TagSet>,
    pub scale: Rc<Scale>,
    pub organization: Option<Rc<Organization>>,
    /// What the published formats say of the article, and the fact-check's
    /// address: the widget's, with what the reader typed on the page.
    pub details: Rc<marginalia_core::article_details::ArticleDetails>,
    pub fact_check_url: Option<Rc<marginalia_core::fact_check_url::Template>>,
    pub annotations: Rc<Vec<Annotation>>,
    /// Saved annotations whose text is gone: exported, never drawn.
    pub orphaned: Rc<Vec<Annotation>>,
    /// The deletions and the reader's drafts, as the annotator holds them,
    /// and whether changes wait to be written: what leaving the page writes
    /// at once, from here, without waiting for the widget's next turn
    /// (`persist::write_on_leaving`).
    pub deleted: Rc<Vec<Tombstone>>,
    pub drafts: Rc<Vec<Draft>>,
    pub unsaved: bool,
    /// What the handle's `setAnnotations` gave that the widget has not
    /// taken yet. Kept here rather than in a message so a widget not yet
    /// drawn takes them before its first render, and draws once.
    pub incoming: Option<Vec<Annotation>>,
    /// Single changes the handle made since, applied in order after it.
    pub ops: Vec<HostOp>,
    /// Suggestions the reader rejected in this document.
    pub rejected: Rc<Vec<Rejection>>,
    /// Takes every highlight of the widget away at once: `destroy()` calls
    /// it, as Yew tears the component down only at its next run.
    pub unpaint: Option<Rc<dyn Fn()>>,
    /// The anchoring text of `doc` and its q-gram index, built at the
    /// handle's first call that needs it and kept while `doc` is the same.
    pub anchor_text: Option<(Rc<Document>, Rc<Text>)>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            key: String::new(),
            doc: Rc::new(Document::from_text("")),
            tags: Rc::default(),
            scale: Rc::default(),
            organization: None,
            details: Rc::default(),
            fact_check_url: None,
            annotations: Rc::default(),
            orphaned: Rc::default(),
            deleted: Rc::default(),
            drafts: Rc::default(),
            unsaved: false,
            incoming: None,
            ops: Vec::new(),
            rejected: Rc::default(),
            unpaint: None,
            anchor_text: None,
        }
    }
}

impl Shared {
    /// The drawn annotations as the handle's changes not yet taken by the
    /// widget leave them, in document order. Built only when asked (the
    /// handle's reads): a change itself copies nothing, which on 10,000
    /// annotations was a few milliseconds per add.
    pub fn current(&self) -> Rc<Vec<Annotation>> {
        if self.ops.is_empty() {
            return self.annotations.clone();
        }
        let mut list = (*self.annotations).clone();
        for op in &self.ops {
            match op {
                HostOp::Put(a) => {
                    list.retain(|b| b.id != a.id);
                    let at = list.partition_point(|b| document_order(b, a).is_le());
                    list.insert(at, a.clone());
                }
                HostOp::Remove(id) => list.retain(|b| &b.id != id),
            }
        }
        Rc::new(list)
    }

    /// The orphans, less those the handle's pending changes put or removed.
    pub fn current_orphans(&self) -> Vec<Annotation> {
        let touched = |a: &Annotation| {
            self.ops.iter().any(|op| match op {
                HostOp::Put(b) => b.id == a.id,
                HostOp::Remove(id) => id == &a.id,
            })
        };
        self.orphaned.iter().filter(|a| !touched(a)).cloned().collect()
    }

    /// The annotation with this id, drawn or orphaned, after the handle's
    /// pending changes.
    pub fn find(&self, id: &AnnotationId) -> Option<Annotation> {
        for op in self.ops.iter().rev() {
            match op {
                HostOp::Put(a) if &a.id == id => return Some(a.clone()),
                HostOp::Remove(gone) if gone == id => return None,
                _ => {}
            }
        }
        self.annotations.iter().chain(self.orphaned.iter()).find(|a| &a.id == id).cloned()
    }

    /// The anchoring text of the current document, built once for it.
    pub fn anchor_text(&mut self) -> Rc<Text> {
        match &self.anchor_text {
            // The widget rebuilds its Document from the same text: the
            // same text is the same index.
            Some((doc, text)) if Rc::ptr_eq(doc, &self.doc) || same_text(doc, &self.doc) => text.clone(),
            _ => {
                let text = Rc::new(Text::new(&self.doc));
                self.anchor_text = Some((self.doc.clone(), text.clone()));
                text
            }
        }
    }
}

/// Whether two documents have one text (a memory comparison, after the
/// fingerprints agree).
fn same_text(a: &Document, b: &Document) -> bool {
    a.fingerprint() == b.fingerprint() && a.paragraphs() == b.paragraphs()
}

/// One change the embedder made through the handle.
pub enum HostOp {
    /// Add, or replace the one with the same id.
    Put(Annotation),
    Remove(AnnotationId),
}

impl PartialEq for Mirror {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl App {
    /// Tells the embedder of each annotation created, changed or removed.
    pub(super) fn tell_changes(&self, ctx: &Context<Self>, changes: Vec<Change>) {
        for change in changes {
            let (kind, annotation) = match (change.before, change.after) {
                (None, Some(a)) => (EventKind::Create, a),
                (Some(_), Some(a)) => (EventKind::Update, a),
                (Some(a), None) => (EventKind::Delete, a),
                (None, None) => continue,
            };
            self.tell(ctx, kind, annotation);
        }
    }

    pub(super) fn tell(&self, ctx: &Context<Self>, kind: EventKind, annotation: Annotation) {
        ctx.props().on_event.emit(WidgetEvent { kind, annotation, document: self.session.key().to_string() });
    }

    /// The panel list and the embedder's mirror follow the annotations; the
    /// new list is what the painter diffs against.
    pub(super) fn list_changed(&mut self, ctx: &Context<Self>) {
        self.list = Rc::new(self.session.annotator().annotations().to_vec());
        let mut shared = ctx.props().mirror.0.borrow_mut();
        shared.key = self.session.key().to_string();
        shared.doc = self.session.annotator().document().clone();
        shared.tags = self.session.annotator().tags().clone();
        shared.annotations = self.list.clone();
        self.orphaned = Rc::new(self.session.annotator().orphaned().to_vec());
        shared.orphaned = self.orphaned.clone();
        shared.deleted = Rc::new(self.session.annotator().deleted().to_vec());
        shared.rejected = Rc::new(self.rejected.clone());
        drop(shared);
        // The reader's article details are kept per document.
        self.read_publishing(ctx, false);
    }
}
