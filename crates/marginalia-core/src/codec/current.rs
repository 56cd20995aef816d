//! The fast path of [`decode_annotations`](super::decode_annotations): an
//! envelope of the current schema, for this document, whose every item and
//! tombstone reads, decoded straight into its types by the small reader in
//! `json/`. The migrations and the per-item reports need `serde_json` and
//! its generic `Value`; a module that only paints (`marginalia-first-paint`)
//! calls this instead and carries none of it. Anything else is `None`, and
//! the full decode says what is wrong.
//!
//! The log beside the envelope (`log.rs`) is read here in order, each
//! entry's versions over the earlier ones: every entry was written after
//! its writer merged all before it, so that is the merge's result without
//! the merge (whose rare ties compare JSON, `serde_json`'s writer).

use super::log::Header;
use super::SCHEMA;
use crate::annotation::{Annotation, AnnotationId, TextQuote};
use crate::document::Document;
use crate::drafts::{Draft, Form};
use crate::merge::{live_at, Tombstone};
use crate::span::Span;
use crate::tag::Tag;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use std::collections::HashMap;
use std::hash::Hash;

#[derive(Deserialize)]
#[serde(bound = "A: DeserializeOwned, T: DeserializeOwned, D: DeserializeOwned")]
struct Current<A, T, D> {
    schema: u32,
    document: String,
    annotations: Vec<A>,
    #[serde(default = "Vec::new")]
    deleted: Vec<T>,
    #[serde(default = "Vec::new")]
    drafts: Vec<D>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    outline: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound = "A: DeserializeOwned, T: DeserializeOwned, D: DeserializeOwned")]
struct Entry<A, T, D> {
    #[serde(default = "Vec::new")]
    annotations: Vec<A>,
    #[serde(default = "Vec::new")]
    deleted: Vec<T>,
    #[serde(default = "Vec::new")]
    drafts: Vec<D>,
}

/// An item of an envelope or a log entry: what a later one with the same
/// key takes the place of.
pub trait Item: DeserializeOwned {
    type Key: Hash + Eq;
    /// Whether a later item takes the place of one with its key; if not,
    /// items are only kept in order, and no map of their keys is built.
    const KEYED: bool = true;
    fn key(&self) -> Self::Key;
}

/// A version of an annotation, and when it last changed.
pub trait Version: Item<Key = AnnotationId> {
    fn updated(&self) -> u64;
}

/// A deletion, and when it was made.
pub trait Deletion: Item<Key = AnnotationId> {
    fn at(&self) -> u64;
}

impl Item for Annotation {
    type Key = AnnotationId;
    fn key(&self) -> AnnotationId {
        self.id.clone()
    }
}

impl Version for Annotation {
    fn updated(&self) -> u64 {
        self.updated
    }
}

impl Item for Tombstone {
    type Key = AnnotationId;
    fn key(&self) -> AnnotationId {
        self.id.clone()
    }
}

impl Deletion for Tombstone {
    fn at(&self) -> u64 {
        self.at
    }
}

impl Item for Draft {
    type Key = (AnnotationId, Form);
    fn key(&self) -> (AnnotationId, Form) {
        (self.id.clone(), self.form)
    }
}

/// Drafts skipped unread (the first paint draws none): nothing to compare,
/// so no map (its code would be the first paint's for nothing).
impl Item for IgnoredAny {
    type Key = ();
    const KEYED: bool = false;
    fn key(&self) {}
}

/// What the first paint needs of a saved annotation: its id, tag and span,
/// the quote it checks the text against, and when it changed (the log's
/// order). Read without the rest (a review, a speaker, the parts' times),
/// so the first paint carries none of their readers.
#[derive(Deserialize)]
pub struct Mark {
    pub id: AnnotationId,
    pub span: Span,
    pub tag: Tag,
    pub quote: MarkQuote,
    pub updated: u64,
}

#[derive(Deserialize)]
pub struct MarkQuote {
    pub exact: String,
}

impl Mark {
    /// Whether its quote is the text at its span in `doc`.
    pub fn is_anchored_in(&self, doc: &Document) -> bool {
        crate::annotation::quote_is_at(doc, self.span, &self.quote.exact)
    }

    /// As an annotation to paint (what the painter reads: id, tag, span).
    pub fn into_annotation(self) -> Annotation {
        let quote = TextQuote { exact: self.quote.exact, prefix: String::new(), suffix: String::new() };
        Annotation::bare(self.id, self.span, self.tag, quote, self.updated)
    }
}

impl Item for Mark {
    type Key = AnnotationId;
    fn key(&self) -> AnnotationId {
        self.id.clone()
    }
}

impl Version for Mark {
    fn updated(&self) -> u64 {
        self.updated
    }
}

/// A deletion as the first paint needs it (not the version it deleted).
#[derive(Deserialize)]
pub struct Gone {
    pub id: AnnotationId,
    pub at: u64,
}

impl Item for Gone {
    type Key = AnnotationId;
    fn key(&self) -> AnnotationId {
        self.id.clone()
    }
}

impl Deletion for Gone {
    fn at(&self) -> u64 {
        self.at
    }
}

/// What storage holds of `document` as it was saved, not yet placed in a
/// text: the items, and the fingerprint and outline of the text they were
/// saved on.
pub struct Saved<A = Annotation, T = Tombstone, D = Draft> {
    pub annotations: Vec<A>,
    pub deleted: Vec<T>,
    pub drafts: Vec<D>,
    pub fingerprint: Option<String>,
    pub outline: Option<String>,
}

/// What the first paint reads ([`read_saved`] of [`Mark`]s).
pub type Marks = Saved<Mark, Gone, IgnoredAny>;

/// What storage holds of `document`, when `raw` is a current envelope and
/// `log` (the value at `log_key`) a log on its text, both reading whole;
/// `None` otherwise. The first paint calls this alone (of [`Marks`]): it
/// paints only on the very text they were saved on, and leaves placing
/// them in an edited one (anchoring, the outline's diff) to the annotator.
pub fn read_saved<A: Version, T: Deletion, D: Item>(
    raw: &str,
    log: Option<&str>,
    document: &str,
) -> Option<Saved<A, T, D>> {
    let mut envelope: Current<A, T, D> = crate::json::from_str(raw)?;
    if envelope.schema != SCHEMA || envelope.document != document {
        return None;
    }
    if let Some(log) = log {
        over(&mut envelope, log)?;
    }
    let Current { annotations, deleted, drafts, fingerprint, outline, .. } = envelope;
    Some(Saved { annotations, deleted, drafts, fingerprint, outline })
}

/// [`read_saved`], placed in `doc`: what the full decode gives wherever
/// this reads (the tests' check of the fast reader and of the log's order).
#[cfg(test)]
pub(crate) fn read_current(raw: &str, log: Option<&str>, document: &str, doc: &Document) -> Option<super::Decoded> {
    let envelope: Saved = read_saved(raw, log, document)?;
    let placed =
        super::place_saved(doc, envelope.fingerprint.as_deref(), envelope.outline.as_deref(), envelope.annotations);
    Some(super::Decoded {
        anchored: placed.anchored,
        orphaned: placed.orphaned,
        moved: placed.moved,
        deleted: envelope.deleted,
        drafts: envelope.drafts,
        refused: Vec::new(),
        fingerprint: envelope.fingerprint,
        outline: envelope.outline,
    })
}

/// Lays the log's entries over the envelope's items, in order, by key.
fn over<A: Version, T: Deletion, D: Item>(envelope: &mut Current<A, T, D>, log: &str) -> Option<()> {
    let mut lines = log.split('\n');
    let header: Header = crate::json::from_str(lines.next()?)?;
    if header.schema != SCHEMA || header.document != envelope.document {
        return None;
    }
    if envelope.fingerprint.as_deref() != Some(header.fingerprint.as_str()) {
        return None;
    }
    let entries: Vec<Entry<A, T, D>> =
        lines.filter(|l| !l.is_empty()).map(crate::json::from_str).collect::<Option<_>>()?;
    if entries.is_empty() {
        return Some(());
    }
    let mut annotations = Index::new(std::mem::take(&mut envelope.annotations));
    let mut deleted = Index::new(std::mem::take(&mut envelope.deleted));
    let mut drafts = Index::new(std::mem::take(&mut envelope.drafts));
    for entry in entries {
        entry.annotations.into_iter().for_each(|a| annotations.put(a));
        entry.deleted.into_iter().for_each(|t| deleted.put(t));
        entry.drafts.into_iter().for_each(|d| drafts.put(d));
    }
    // The merge's rule (`merge::live_at`): a version older than its deletion
    // is gone. The deletions' own index finds each (no map of their times).
    let at = |id: &AnnotationId| deleted.at.get(id).and_then(|&i| deleted.items.get(i)).map(T::at);
    envelope.annotations = annotations.items.into_iter().filter(|a| live_at(a.updated(), at(&a.key()))).collect();
    envelope.deleted = deleted.items;
    envelope.drafts = drafts.items;
    Some(())
}

/// Items in their order, each found by its key: a later one with a key
/// already here takes its place.
struct Index<T: Item> {
    items: Vec<T>,
    at: HashMap<T::Key, usize>,
}

impl<T: Item> Index<T> {
    fn new(items: Vec<T>) -> Self {
        let at = if T::KEYED { items.iter().enumerate().map(|(i, x)| (x.key(), i)).collect() } else { HashMap::new() };
        Index { items, at }
    }

    fn put(&mut self, item: T) {
        if !T::KEYED {
            self.items.push(item);
            return;
        }
        match self.at.get(&item.key()) {
            Some(&i) => self.items[i] = item,
            None => {
                self.at.insert(item.key(), self.items.len());
                self.items.push(item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decode_annotations, encode_annotations};
    use super::*;
    use crate::span::Span;
    use crate::tag::TagSet;
    use proptest::prelude::*;

    fn doc() -> Document {
        Document::from_text("Headline 😀\n“We will,” she said.\nPictured: a dog")
    }

    fn ann(d: &Document, i: u64, start: usize, end: usize) -> Annotation {
        let tag = TagSet::standard().defs()[0].tag.clone();
        Annotation::new(d, AnnotationId::generate(i, i), Span::new(start, end).expect("span"), tag, i)
    }

    #[test]
    fn what_it_reads_and_what_it_leaves_to_the_full_decode() {
        let d = doc();
        let good = encode_annotations("k", &d, &[ann(&d, 1, 0, 8), ann(&d, 2, 11, 20)], &[], &[]);
        let moved = {
            let edited = Document::from_text("New first line\nHeadline 😀\n“We will,” she said.\nPictured: a dog");
            encode_annotations("k", &edited, &[ann(&edited, 1, 15, 23)], &[], &[])
        };
        let one_bad = good.replacen(r#""tag":"claim""#, r#""tag":"Not A Tag""#, 1);
        // (value, read by the fast path)
        let cases: &[(&str, bool)] = &[
            (&good, true),
            (&moved, true),
            (r#"{"schema":8,"document":"k","annotations":[]}"#, true),
            (include_str!("../../tests/fixtures/schema-7.json"), false),
            (include_str!("../../tests/fixtures/schema-1.json"), false),
            (include_str!("../../tests/fixtures/schema-2.json"), false),
            (include_str!("../../tests/fixtures/schema-3.json"), false),
            (include_str!("../../tests/fixtures/schema-4.json"), false),
            (include_str!("../../tests/fixtures/schema-5.json"), false),
            (include_str!("../../tests/fixtures/schema-6.json"), false),
            (r#"{"schema":9,"document":"k","annotations":[]}"#, false),
            (r#"{"schema":8,"document":"another","annotations":[]}"#, false),
            (&one_bad, false),
            ("not json", false),
            ("", false),
        ];
        for (raw, read) in cases {
            let fast = read_current(raw, None, "k", &d);
            assert_eq!(fast.is_some(), *read, "{raw}");
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), decode_annotations(raw, "k", &d), "{raw}");
            }
        }
    }

    proptest! {
        #[test]
        fn it_agrees_with_the_full_decode_wherever_it_reads(
            lines in prop::collection::vec("[a-z😀東ש \"<>]{1,12}", 1..4),
            picks in prop::collection::vec((0usize..60, 1usize..10), 0..8),
            edit in "[a-z ]{0,6}",
        ) {
            let d = Document::from_paragraphs(&lines);
            prop_assume!(!d.is_empty());
            let anns: Vec<Annotation> = picks
                .iter()
                .enumerate()
                .filter_map(|(i, &(s, w))| {
                    let span = Span::new(s, (s + w).min(d.len())).ok()?;
                    Some(ann(&d, i as u64 + 1, span.start(), span.end()))
                })
                .collect();
            let raw = encode_annotations("k", &d, &anns, &[], &[]);
            // Read against the text as written, and as edited since.
            let mut edited_lines = lines.clone();
            edited_lines[0].insert_str(0, &edit);
            for text in [d.clone(), Document::from_paragraphs(&edited_lines)] {
                prop_assert_eq!(read_current(&raw, None, "k", &text).map(Ok), Some(decode_annotations(&raw, "k", &text)));
            }
        }
    }
}
