//! Writing the storage envelope again without serialising every
//! annotation again: each annotation's JSON is kept beside a copy of what
//! it was made from, and reused while the annotation is unchanged. The
//! copies are the envelope's as storage holds it (`session/held.rs` reads
//! them): what this session wrote, or read when another wrote.

use crate::annotation::{Annotation, AnnotationId};
use crate::codec::SCHEMA;
use crate::document::Document;
use crate::drafts::Draft;
use crate::merge::Tombstone;
use std::collections::HashMap;

/// The JSON of each annotation last written, by id. On 1 MB with 10,000
/// annotations a full write serialised ~2 MB; after one edit this
/// serialises one annotation and compares the others.
#[derive(Default)]
pub struct Encoder {
    /// Each annotation of the envelope, with its JSON when written here.
    cache: HashMap<AnnotationId, (Annotation, Option<String>)>,
    /// The outline of the last document written, by its fingerprint.
    outline: Option<(String, String)>,
}

impl Encoder {
    /// The envelope's version of `id`.
    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.cache.get(id).map(|(a, _)| a)
    }

    /// The outline last written, with its text's fingerprint.
    pub fn outline(&self) -> Option<&(String, String)> {
        self.outline.as_ref()
    }

    /// Storage's envelope holds `items` (read, not written here: their
    /// JSON is made when they are next written).
    pub fn hold(&mut self, items: impl IntoIterator<Item = Annotation>) {
        self.cache = items.into_iter().map(|a| (a.id.clone(), (a, None))).collect();
    }

    /// The same text as [`crate::codec::encode_annotations`], byte for byte.
    pub fn encode<'a>(
        &mut self,
        document: &str,
        doc: &Document,
        annotations: impl Iterator<Item = &'a Annotation>,
        deleted: &[Tombstone],
        drafts: &[Draft],
    ) -> String {
        let mut fresh = HashMap::with_capacity(self.cache.len());
        let mut body = String::new();
        for a in annotations {
            let json = match self.cache.remove(&a.id) {
                Some((was, Some(json))) if was == *a => json,
                _ => serde_json::to_string(a).unwrap_or_default(),
            };
            if !body.is_empty() {
                body.push(',');
            }
            body.push_str(&json);
            fresh.insert(a.id.clone(), (a.clone(), Some(json)));
        }
        self.cache = fresh;
        let fingerprint = doc.fingerprint().as_str();
        if self.outline.as_ref().is_none_or(|(f, _)| f != fingerprint) {
            self.outline = Some((fingerprint.to_string(), crate::anchor::outline(doc)));
        }
        let outline = self.outline.as_ref().map_or("", |(_, o)| o.as_str());
        let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
        format!(
            "{{\"schema\":{SCHEMA},\"document\":{},\"fingerprint\":{},\"annotations\":[{body}],\"deleted\":{},\"drafts\":{},\"outline\":{}}}",
            text(document),
            text(fingerprint),
            serde_json::to_string(deleted).unwrap_or_default(),
            serde_json::to_string(drafts).unwrap_or_default(),
            text(outline)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_annotations;
    use crate::span::Span;
    use crate::tag::Tag;
    use proptest::prelude::*;

    proptest! {
        /// Through any run of edits, the cached encoder writes exactly what
        /// a full serialisation would.
        #[test]
        fn writes_what_a_full_encoding_writes(
            edits in prop::collection::vec((0usize..6, 0usize..3, "[a-c\"\\\\😀]{0,4}"), 1..12),
        ) {
            let doc = Document::from_text("The council met on Monday.\nIt voted “yes” to the plan.");
            let tags = ["claim", "quote", "caption"];
            let mut list: Vec<Annotation> = Vec::new();
            let mut encoder = Encoder::default();
            for (i, (at, tag, note)) in edits.into_iter().enumerate() {
                let span = Span::new(at, at + 3).expect("valid");
                let id = AnnotationId::generate(1_700_000_000_000 + at as u64, 7);
                let mut a = Annotation::new(&doc, id, span, Tag::parse(tags[tag]).expect("tag"), i as u64);
                a.note = note;
                match list.iter().position(|b| b.id == a.id) {
                    Some(p) if tag == 2 => { list.remove(p); }
                    Some(p) => list[p] = a,
                    None => list.push(a),
                }
                let deleted = vec![Tombstone { id: AnnotationId::generate(5, 5), at: i as u64, last: None }];
                let drafts = vec![crate::drafts::Draft {
                    id: AnnotationId::generate(6, 6),
                    form: crate::drafts::Form::Note,
                    fields: [("text".to_string(), format!("typed {i}"))].into(),
                    at: i as u64,
                }];
                let cached = encoder.encode("news:1", &doc, list.iter(), &deleted, &drafts);
                prop_assert_eq!(cached, encode_annotations("news:1", &doc, &list, &deleted, &drafts));
            }
        }
    }
}
