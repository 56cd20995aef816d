//! What the session decides about storage: a saved value read (moved
//! annotations counted, items refused said, a newer version's value held
//! read-only, a damaged one copied aside once), other tabs' saves merged
//! in, and the value to write — reusing each unchanged annotation's JSON.

use super::Effect;
use crate::annotator::Annotator;
use crate::codec::{self, CodecError, Decoded};
use crate::document::Document;
use crate::drafts::Drafts;
use crate::encoder::Encoder;
use crate::merge::Replica;

/// The storage side of one open article.
#[derive(Default)]
pub(super) struct Keeper {
    /// The article's key (`codec::document_key`).
    pub(super) key: String,
    /// A newer version's value is stored: nothing is written over it.
    pub(super) frozen: bool,
    /// The damaged value last copied aside, so it is copied only once.
    quarantined: Option<String>,
    /// The value this session last wrote: while storage still holds it, no
    /// other view wrote since, and a save need not merge.
    last_written: Option<String>,
    /// Each annotation's JSON as last written, reused while it is unchanged.
    encoder: Encoder,
}

impl Keeper {
    pub(super) fn new(key: String) -> Keeper {
        Keeper { key, ..Keeper::default() }
    }

    pub(super) fn storage_key(&self) -> String {
        codec::annotations_key(&self.key)
    }

    /// A saved value of this article, decoded; `None` when nothing in it
    /// can be used. What the reader must know is said.
    pub(super) fn decode(
        &mut self,
        raw: String,
        doc: &Document,
        now_ms: u64,
        out: &mut Vec<Effect>,
    ) -> Option<Decoded> {
        match codec::decode_annotations(&raw, &self.key, doc) {
            Ok(decoded) => {
                if decoded.moved > 0 {
                    out.push(Effect::Status(format!(
                        "{} annotation(s) moved to follow edits in the article",
                        decoded.moved
                    )));
                }
                if !decoded.refused.is_empty() {
                    out.push(Effect::Error(format!(
                        "{} saved annotation(s) could not be read and were left out: {}.",
                        decoded.refused.len(),
                        decoded.refused.join("; ")
                    )));
                }
                Some(decoded)
            }
            Err(e @ CodecError::NewerSchema(_)) => {
                self.frozen = true;
                out.push(Effect::Frozen(format!(
                    "These annotations were saved by a newer version of Marginalia ({e}). \
                     They are shown read-only, and nothing is saved, so none of them is lost."
                )));
                codec::peek_newer(&raw, &self.key, doc)
            }
            Err(e) => {
                // Copied aside before the key is written over, once: the
                // save that follows reads it again.
                if self.quarantined.as_deref() == Some(raw.as_str()) {
                    return None;
                }
                let backup = format!("{}:corrupt:{now_ms}", self.storage_key());
                self.quarantined = Some(raw.clone());
                out.push(Effect::Aside {
                    key: backup.clone(),
                    value: raw,
                    said: format!(
                        "Saved annotations for this article could not be read: {e}. A copy was kept under “{backup}”."
                    ),
                    unsaid: format!("Saved annotations for this article could not be read: {e}."),
                });
                None
            }
        }
    }

    /// Merges into `annotator` what another view saved: `carried` (the
    /// value its storage event brought) and `stored` (what storage holds
    /// now, which may be this session's own later save, without the other
    /// view's edit: the event's value is then the only copy of it; the
    /// merge is idempotent, so reading both loses nothing). Returns whether
    /// the annotations changed, whether anything did (drafts too), and
    /// storage's copy when it is not this session's own last write.
    pub(super) fn merge_stored(
        &mut self,
        annotator: &mut Annotator,
        carried: Option<String>,
        stored: Option<String>,
        now_ms: u64,
        out: &mut Vec<Effect>,
    ) -> (bool, bool, Option<Replica>) {
        if self.frozen {
            return (false, false, None);
        }
        let doc = annotator.document().clone();
        let (mut changed, mut drafts, mut storage) = (false, false, None);
        let carried = carried.map(|raw| (raw, false));
        for (raw, is_storage) in carried.into_iter().chain(stored.map(|raw| (raw, true))) {
            // What this session wrote last: nothing to merge (a comparison;
            // hashing 2 MB twice per save cost ~16 ms).
            if Some(&raw) == self.last_written.as_ref() {
                continue;
            }
            let Some(saved) = self.decode(raw, &doc, now_ms, out) else { continue };
            // Drafts typed in another tab come too (they change nothing drawn).
            drafts |= annotator.merge_drafts(&Drafts::from_list(saved.drafts));
            let other = Replica {
                annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(),
                deleted: saved.deleted,
            };
            changed |= annotator.merge_in(&other);
            if is_storage {
                storage = Some(other);
            }
        }
        (changed, changed || drafts, storage)
    }

    /// The value to write for `annotator`'s state.
    pub(super) fn encode(&mut self, annotator: &Annotator) -> String {
        let all = annotator.annotations().iter().chain(annotator.orphaned());
        let drafts = annotator.drafts().list();
        self.encoder.encode(&self.key, annotator.document(), all, annotator.deleted(), &drafts)
    }

    /// `value` was written (handed back by the shell, not copied: it is
    /// the whole article's annotations).
    pub(super) fn written(&mut self, value: String) {
        self.last_written = Some(value);
    }
}

/// The value to write as the page is left, from a copy of the session's
/// state (the `pagehide` listener writes at once, outside the widget's
/// update, which a page being left never runs): merged with what storage
/// holds, as every save is. `None` when the stored value does not read
/// cleanly (damaged, newer, items refused): it is left to the widget,
/// which keeps it.
pub fn leaving_value(key: &str, doc: &Document, ours: Replica, drafts: Drafts, stored: Option<&str>) -> Option<String> {
    let (mut replica, mut drafts) = (ours, drafts);
    if let Some(raw) = stored {
        match codec::decode_annotations(raw, key, doc) {
            Ok(saved) if saved.refused.is_empty() => {
                drafts.merge(&Drafts::from_list(saved.drafts));
                let stored = Replica {
                    annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(),
                    deleted: saved.deleted,
                };
                replica = crate::merge::merge(&replica, &stored);
            }
            _ => return None,
        }
    }
    Some(codec::encode_annotations(key, doc, &replica.annotations, &replica.deleted, &drafts.list()))
}
