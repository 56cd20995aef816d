//! What storage holds of the open article, as far as this session knows:
//! the envelope's items and the log's over them (`codec/log.rs`). A save
//! writes what the annotator holds that differs from it — after one edit,
//! that edit — and the envelope whole only when it compacts.
//!
//! It is kept as storage changes: set from what is read (the envelope and
//! the log of another view's save), and from what this session writes, as
//! it is handed to the shell; a write that fails makes the keeper read
//! storage again before the next (`Keeper::forget`).

use crate::annotation::{Annotation, AnnotationId};
use crate::annotator::{same_version, Annotator};
use crate::codec::Decoded;
use crate::drafts::{Draft, Form};
use crate::encoder::Encoder;
use crate::merge::Tombstone;
use std::collections::HashMap;

/// Tombstones and drafts by their keys (and, for the log, annotations).
#[derive(Default)]
struct Part {
    annotations: HashMap<AnnotationId, Annotation>,
    deleted: HashMap<AnnotationId, Tombstone>,
    drafts: HashMap<(AnnotationId, Form), Draft>,
}

impl Part {
    fn take(&mut self, annotations: Vec<Annotation>, deleted: Vec<Tombstone>, drafts: Vec<Draft>) {
        self.annotations.extend(annotations.into_iter().map(|a| (a.id.clone(), a)));
        self.deleted.extend(deleted.into_iter().map(|t| (t.id.clone(), t)));
        self.drafts.extend(drafts.into_iter().map(|d| ((d.id.clone(), d.form), d)));
    }
}

/// One entry's items: what storage lacks.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Lacking {
    pub(super) annotations: Vec<Annotation>,
    pub(super) deleted: Vec<Tombstone>,
    pub(super) drafts: Vec<Draft>,
}

impl Lacking {
    pub(super) fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.deleted.is_empty() && self.drafts.is_empty()
    }
}

#[derive(Default)]
pub(super) struct Held {
    /// The envelope's annotations, with their JSON when written here.
    pub(super) encoder: Encoder,
    /// The envelope's tombstones and drafts.
    base: Part,
    /// The log's items, over the envelope's.
    log: Part,
}

impl Held {
    /// Storage's envelope reads as `decoded` (its log is read next).
    pub(super) fn read_base(&mut self, decoded: &Decoded) {
        self.encoder.hold(decoded.anchored.iter().chain(&decoded.orphaned).cloned());
        self.base = Part::default();
        self.base.take(Vec::new(), decoded.deleted.clone(), decoded.drafts.clone());
        self.log = Part::default();
    }

    /// Storage holds no envelope (or one that does not read).
    pub(super) fn no_base(&mut self) {
        self.read_base(&Decoded::default());
    }

    /// Storage's log reads as `decoded`, over the envelope.
    pub(super) fn read_log(&mut self, decoded: Option<&Decoded>) {
        self.log = Part::default();
        if let Some(d) = decoded {
            let annotations = d.anchored.iter().chain(&d.orphaned).cloned().collect();
            self.log.take(annotations, d.deleted.clone(), d.drafts.clone());
        }
    }

    /// An entry of `lacking` was appended to the log.
    pub(super) fn appended(&mut self, lacking: Lacking) {
        self.log.take(lacking.annotations, lacking.deleted, lacking.drafts);
    }

    /// The envelope was written whole from `annotator` (the encoder holds
    /// its annotations), and the log removed.
    pub(super) fn compacted(&mut self, annotator: &Annotator) {
        self.base = Part::default();
        self.base.take(Vec::new(), annotator.deleted().to_vec(), annotator.drafts().list());
        self.log = Part::default();
    }

    /// What `annotator` holds that storage does not: the same version
    /// placed elsewhere is not lacking (`same_version`).
    pub(super) fn lacking(&self, annotator: &Annotator) -> Lacking {
        let annotation = |id: &AnnotationId| self.log.annotations.get(id).or_else(|| self.encoder.get(id));
        let tombstone = |id: &AnnotationId| self.log.deleted.get(id).or_else(|| self.base.deleted.get(id));
        let draft = |key: &(AnnotationId, Form)| self.log.drafts.get(key).or_else(|| self.base.drafts.get(key));
        Lacking {
            annotations: (annotator.annotations().iter().chain(annotator.orphaned()))
                .filter(|a| annotation(&a.id).is_none_or(|held| !same_version(a, held)))
                .cloned()
                .collect(),
            deleted: annotator.deleted().iter().filter(|t| tombstone(&t.id) != Some(*t)).cloned().collect(),
            drafts: annotator
                .drafts()
                .list()
                .into_iter()
                .filter(|d| draft(&(d.id.clone(), d.form)) != Some(d))
                .collect(),
        }
    }
}
