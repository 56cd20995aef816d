//! What the session decides about storage: a saved envelope and its log
//! read (moved annotations counted, items refused said, a newer version's
//! value held read-only, a damaged one copied aside once), other tabs'
//! saves merged in, and what to write: the log's next entry (what storage
//! lacks, `held.rs`), or the envelope whole when the log has grown (or
//! cannot be added to) — reusing each unchanged annotation's JSON.

use super::held::{Held, Lacking};
use super::Effect;
use crate::annotator::Annotator;
use crate::codec::{self, CodecError, Decoded};
use crate::document::Document;
use crate::drafts::Drafts;
use crate::merge::Replica;
use std::rc::Rc;

/// What storage holds of an article: its envelope and its log.
///
/// Shared, not owned (a `String` moved into an `Rc`, not copied): an
/// envelope is the whole article's annotations (2.6 MB at 10,000), and
/// every save reads both keys again to see whether another tab wrote. The
/// shell hands back the value it last read or wrote while storage still
/// holds it (`src/storage.rs`), so the comparison with what this session
/// saw ends at the pointer (`Rc`'s equality looks there first) rather than
/// copying and comparing the whole value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    pub base: Option<Rc<String>>,
    pub log: Option<Rc<String>>,
}

/// One storage write: `value` at `key`, or the key removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Put {
    pub key: String,
    pub value: Option<Rc<String>>,
}

/// The storage side of one open article.
#[derive(Default)]
pub(super) struct Keeper {
    /// The article's key (`codec::document_key`).
    pub(super) key: String,
    /// A newer version's value is stored: nothing is written over it.
    pub(super) frozen: bool,
    /// The damaged values copied aside, so each is copied only once.
    quarantined: Vec<String>,
    /// The envelope and the log as storage held them when this session
    /// last read or wrote them (while storage still holds them, nothing
    /// there is new), when `known`.
    seen: Stored,
    known: bool,
    /// The fingerprint and outline the envelope was saved with (a log is
    /// placed through them).
    text: (Option<String>, Option<String>),
    /// The text the stored log's entries are placed on.
    log_text: Option<String>,
    /// Storage's envelope or log did not read cleanly: the next write is
    /// the envelope whole, and the log removed.
    whole_next: bool,
    /// What storage holds, item by item.
    held: Held,
}

impl Keeper {
    pub(super) fn new(key: String) -> Keeper {
        Keeper { key, ..Keeper::default() }
    }

    pub(super) fn storage_key(&self) -> String {
        codec::annotations_key(&self.key)
    }

    fn log_key(&self) -> String {
        codec::log_key(&self.key)
    }

    /// Reads what storage holds where it changed since this session last
    /// read or wrote it: the envelope's items, then the log's (each `None`
    /// when unchanged, absent or unreadable). What the reader must know
    /// is said.
    pub(super) fn read(
        &mut self,
        stored: Stored,
        doc: &Document,
        now_ms: u64,
        out: &mut Vec<Effect>,
    ) -> (Option<Decoded>, Option<Decoded>) {
        let base_changed = !self.known || stored.base != self.seen.base;
        let mut base = None;
        if base_changed {
            base = stored.base.as_deref().and_then(|raw| self.decode(raw, doc, now_ms, out));
            self.text = base.as_ref().map_or((None, None), |d| (d.fingerprint.clone(), d.outline.clone()));
            match &base {
                Some(d) => self.held.read_base(d),
                None => {
                    // Nothing there, or nothing readable: written whole next.
                    self.whole_next |= stored.base.is_some();
                    self.held.no_base();
                }
            }
        }
        let mut log = None;
        if base_changed || stored.log != self.seen.log {
            self.log_text = None;
            if let Some(raw) = stored.log.as_deref() {
                let (decoded, clean) = self.decode_log(raw, doc, now_ms, out);
                self.whole_next |= !clean;
                self.log_text = decoded.as_ref().and_then(|d| d.fingerprint.clone());
                log = decoded;
            }
            self.held.read_log(log.as_ref());
        }
        (self.seen, self.known) = (stored, true);
        (base, log)
    }

    /// A saved envelope of this article, decoded; `None` when nothing in it
    /// can be used.
    fn decode(&mut self, raw: &str, doc: &Document, now_ms: u64, out: &mut Vec<Effect>) -> Option<Decoded> {
        // A current envelope that reads whole takes the typed fast path
        // (the same result; a third of the time at 10,000 annotations).
        match codec::decode_annotations(raw, &self.key, doc) {
            Ok(decoded) => {
                if decoded.moved > 0 {
                    out.push(Effect::Status(format!(
                        "{} annotation(s) moved to follow edits in the article",
                        decoded.moved
                    )));
                }
                say_refused(&decoded.refused, out);
                Some(decoded)
            }
            Err(e @ CodecError::NewerSchema(_)) => {
                self.freeze(&e, out);
                codec::peek_newer(raw, &self.key, doc)
            }
            Err(e) => {
                let key = self.storage_key();
                self.set_aside(key, raw, &e, now_ms, out);
                None
            }
        }
    }

    /// The log, decoded and placed, and whether it read cleanly (else the
    /// next write compacts it away, a damaged one copied aside first).
    fn decode_log(&mut self, raw: &str, doc: &Document, now_ms: u64, out: &mut Vec<Effect>) -> (Option<Decoded>, bool) {
        match codec::read_log(raw, &self.key) {
            Ok(log) => {
                // What does not read is kept aside before the log is folded
                // away (the next write), with the rest read.
                let clean = log.refused.is_empty();
                if !clean {
                    let why = CodecError::Malformed(log.refused.join("; "));
                    self.set_aside(self.log_key(), raw, &why, now_ms, out);
                }
                let decoded = codec::place_log(log, doc, (self.text.0.as_deref(), self.text.1.as_deref()));
                (Some(decoded), clean)
            }
            Err(e @ CodecError::NewerSchema(_)) => {
                self.freeze(&e, out);
                (None, true)
            }
            Err(e) => {
                let key = self.log_key();
                self.set_aside(key, raw, &e, now_ms, out);
                (None, false)
            }
        }
    }

    fn freeze(&mut self, e: &CodecError, out: &mut Vec<Effect>) {
        self.frozen = true;
        out.push(Effect::Frozen(format!(
            "These annotations were saved by a newer version of Marginalia ({e}). \
             They are shown read-only, and nothing is saved, so none of them is lost."
        )));
    }

    /// Copies a damaged value aside before its key is written over, once:
    /// the save that follows reads it again.
    fn set_aside(&mut self, key: String, raw: &str, e: &CodecError, now_ms: u64, out: &mut Vec<Effect>) {
        if self.quarantined.iter().any(|q| q == raw) {
            return;
        }
        let backup = format!("{key}:corrupt:{now_ms}");
        self.quarantined.push(raw.to_string());
        out.push(Effect::Aside {
            key: backup.clone(),
            value: raw.to_string(),
            said: format!(
                "Saved annotations for this article could not be read: {e}. A copy was kept under “{backup}”."
            ),
            unsaid: format!("Saved annotations for this article could not be read: {e}."),
        });
    }

    /// Merges into `annotator` what another view saved: `carried` (the key
    /// and value its storage event brought) and what storage holds now,
    /// which may be this session's own later save without the other view's
    /// edit: the event's value is then the only copy of it (the merge is
    /// idempotent, so reading both loses nothing). Returns whether the
    /// annotations changed, and whether anything did (drafts too).
    pub(super) fn merge_stored(
        &mut self,
        annotator: &mut Annotator,
        carried: Option<(String, String)>,
        stored: Stored,
        now_ms: u64,
        out: &mut Vec<Effect>,
    ) -> (bool, bool) {
        if self.frozen {
            return (false, false);
        }
        let doc = annotator.document().clone();
        let mut found = Vec::new();
        // The event's value is merged; what `held` follows is storage's own.
        match carried {
            Some((key, raw)) if key == self.storage_key() && Some(&raw) != self.seen.base.as_deref() => {
                found.extend(self.decode(&raw, &doc, now_ms, out));
            }
            Some((key, raw)) if key == self.log_key() && Some(&raw) != self.seen.log.as_deref() => {
                found.extend(self.decode_log(&raw, &doc, now_ms, out).0);
            }
            _ => {}
        }
        let (base, log) = self.read(stored, &doc, now_ms, out);
        let (mut changed, mut drafts) = (false, false);
        for saved in found.into_iter().chain(base).chain(log) {
            // Drafts typed in another tab come too (they change nothing drawn).
            drafts |= annotator.merge_drafts(&Drafts::from_list(saved.drafts));
            let other = Replica {
                annotations: saved.anchored.into_iter().chain(saved.orphaned).collect(),
                deleted: saved.deleted,
            };
            changed |= annotator.merge_in(&other);
        }
        (changed, changed || drafts)
    }

    /// What `annotator` holds that storage does not.
    pub(super) fn lacking(&self, annotator: &Annotator) -> Lacking {
        self.held.lacking(annotator)
    }

    /// What to write for `annotator`'s state (nothing when storage holds
    /// it all): `lacking` (what storage lacks, [`lacking`](Self::lacking))
    /// as the log's next entry, or the envelope whole (and the log removed)
    /// when the log would outgrow `codec::compact_at`, was written on
    /// another text, or storage did not read cleanly. Storage is taken to
    /// hold it from here; a write that fails says so (`forget`).
    pub(super) fn save(&mut self, annotator: &Annotator, lacking: Lacking) -> Vec<Put> {
        let fingerprint = annotator.document().fingerprint().as_str();
        let on_this_text =
            self.text.0.as_deref() == Some(fingerprint) && self.log_text.as_deref().is_none_or(|f| f == fingerprint);
        if let (false, true, Some(base)) = (self.whole_next, on_this_text, self.seen.base.as_ref()) {
            if lacking.is_empty() {
                return Vec::new();
            }
            if let Some(value) = self.appended(&lacking, fingerprint, base.len()) {
                self.held.appended(lacking);
                self.log_text = Some(fingerprint.to_string());
                return vec![Put { key: self.log_key(), value: Some(Rc::new(value)) }];
            }
        }
        let value = self.encode(annotator);
        self.held.compacted(annotator);
        self.text = match self.held.encoder.outline() {
            Some((f, o)) => (Some(f.clone()), Some(o.clone())),
            None => (Some(fingerprint.to_string()), None),
        };
        (self.log_text, self.whole_next) = (None, false);
        let mut puts = vec![Put { key: self.storage_key(), value: Some(Rc::new(value)) }];
        if self.seen.log.is_some() {
            puts.push(Put { key: self.log_key(), value: None });
        }
        puts
    }

    /// The log with `lacking` as its next entry, unless it would outgrow
    /// what an envelope of `base` bytes allows.
    fn appended(&self, lacking: &Lacking, fingerprint: &str, base: usize) -> Option<String> {
        let entry = codec::entry(&lacking.annotations, &lacking.deleted, &lacking.drafts);
        let head = match &self.seen.log {
            Some(log) => std::borrow::Cow::Borrowed(&**log),
            None => std::borrow::Cow::Owned(codec::header(&self.key, fingerprint)),
        };
        let value = format!("{head}\n{entry}");
        (value.len() <= codec::compact_at(base)).then_some(value)
    }

    /// The envelope for `annotator`'s state.
    fn encode(&mut self, annotator: &Annotator) -> String {
        let all = annotator.annotations().iter().chain(annotator.orphaned());
        let drafts = annotator.drafts().list();
        self.held.encoder.encode(&self.key, annotator.document(), all, annotator.deleted(), &drafts)
    }

    /// `puts` were written (handed back by the shell, not copied: an
    /// envelope is the whole article's annotations).
    pub(super) fn written(&mut self, puts: Vec<Put>) {
        let (base, log) = (self.storage_key(), self.log_key());
        for put in puts {
            if put.key == base {
                self.seen.base = put.value;
            } else if put.key == log {
                self.seen.log = put.value;
            }
        }
    }

    /// A write failed, wholly or in part: what storage holds is read
    /// again, item by item, before the next write.
    pub(super) fn forget(&mut self) {
        self.known = false;
    }
}

fn say_refused(refused: &[String], out: &mut Vec<Effect>) {
    if !refused.is_empty() {
        out.push(Effect::Error(format!(
            "{} saved annotation(s) could not be read and were left out: {}.",
            refused.len(),
            refused.join("; ")
        )));
    }
}

/// What to write as the page is left, from a copy of the session's state
/// (the `pagehide` listener writes at once, outside the widget's update,
/// which a page being left never runs): merged with what storage holds, as
/// every save is, and written whole, the log removed. `None` when what is
/// stored does not read cleanly (damaged, newer, items refused): it is
/// left to the widget, which keeps it.
pub fn leaving_value(key: &str, doc: &Document, ours: Replica, drafts: Drafts, stored: &Stored) -> Option<Vec<Put>> {
    let (mut replica, mut drafts) = (ours, drafts);
    let mut saved = Vec::new();
    let mut text = (None, None);
    if let Some(raw) = &stored.base {
        let base = codec::decode_annotations(raw, key, doc).ok().filter(|d| d.refused.is_empty())?;
        text = (base.fingerprint.clone(), base.outline.clone());
        saved.push(base);
    }
    if let Some(raw) = &stored.log {
        let log = codec::read_log(raw, key).ok().filter(|l| l.refused.is_empty())?;
        saved.push(codec::place_log(log, doc, (text.0.as_deref(), text.1.as_deref())));
    }
    for part in saved {
        drafts.merge(&Drafts::from_list(part.drafts));
        let stored =
            Replica { annotations: part.anchored.into_iter().chain(part.orphaned).collect(), deleted: part.deleted };
        replica = crate::merge::merge(&replica, &stored);
    }
    let value = codec::encode_annotations(key, doc, &replica.annotations, &replica.deleted, &drafts.list());
    let mut puts = vec![Put { key: codec::annotations_key(key), value: Some(Rc::new(value)) }];
    if stored.log.is_some() {
        puts.push(Put { key: codec::log_key(key), value: None });
    }
    Some(puts)
}
