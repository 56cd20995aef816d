//! The append log beside an article's envelope: what each save changed,
//! so a save after one edit writes that edit, not the whole article's
//! annotations again (on 1 MB with 10,000 annotations the envelope is
//! ~2 MB, and localStorage has no append: every write is the whole value).
//!
//! The log lives under [`log_key`]. Its value is lines: a header
//! `{"schema":8,"document":"…","fingerprint":"…"}` naming the text its
//! entries are placed on, then one entry per save,
//! `{"annotations":[…],"deleted":[…],"drafts":[…]}`, holding each
//! annotation, tombstone and draft that differed from what storage held.
//! A JSON string never holds a raw line break, so lines split cleanly.
//!
//! What storage holds is the envelope merged with every entry. A session
//! appends only after reading the envelope and the log and merging both, so
//! each entry's versions are at least every earlier one's: read in order,
//! the last version of an id is the merged one (the first paint reads it
//! so, without the merge's machinery; the annotator merges).
//!
//! When the log would outgrow [`compact_at`], or the text it is placed on
//! changed, the save writes the envelope whole and removes the log
//! (compaction). The envelope is written first: a log left behind holds
//! nothing the envelope lacks, and reading it again is harmless (the
//! merge is idempotent).

use super::{CodecError, SCHEMA};
use crate::annotation::Annotation;
use crate::drafts::Draft;
use crate::merge::Tombstone;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The storage key of one document's log, from its document key. Not
/// `…doc:<document>:log`: a host's document id may itself end in `:log`.
pub fn log_key(document: &str) -> String {
    format!("{}log:{document}", super::KEY_PREFIX)
}

/// A log longer than this (in UTF-8 bytes, about the UTF-16 units
/// localStorage counts for mostly Latin text) is folded into the envelope:
/// reading and rewriting it on every save then costs more than it saves.
const LOG_LIMIT: usize = 64 * 1024;

/// The longest the log may grow to beside an envelope of `base` bytes:
/// never longer than the envelope itself (a small article's envelope is
/// as cheap to write as its log), nor than [`LOG_LIMIT`].
pub fn compact_at(base: usize) -> usize {
    base.min(LOG_LIMIT)
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) schema: u32,
    pub(crate) document: String,
    pub(crate) fingerprint: String,
}

/// A log's first line, for `document` placed on the text `fingerprint`.
pub fn header(document: &str, fingerprint: &str) -> String {
    let header = Header { schema: SCHEMA, document: document.into(), fingerprint: fingerprint.into() };
    serde_json::to_string(&header).unwrap_or_default()
}

#[derive(Serialize)]
struct EntryOut<'a> {
    annotations: &'a [Annotation],
    deleted: &'a [Tombstone],
    drafts: &'a [Draft],
}

/// One entry line (no line break).
pub fn entry(annotations: &[Annotation], deleted: &[Tombstone], drafts: &[Draft]) -> String {
    serde_json::to_string(&EntryOut { annotations, deleted, drafts }).unwrap_or_default()
}

/// A log read whole: its header's text, and its entries' items in order
/// (not yet placed in a text).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Log {
    /// The fingerprint of the text the entries are placed on.
    pub fingerprint: String,
    pub annotations: Vec<Annotation>,
    pub deleted: Vec<Tombstone>,
    pub drafts: Vec<Draft>,
    /// One line per item or entry that could not be read.
    pub refused: Vec<String>,
}

#[derive(Deserialize)]
struct EntryIn {
    #[serde(default)]
    annotations: Vec<Value>,
    #[serde(default)]
    deleted: Vec<Value>,
    #[serde(default)]
    drafts: Vec<Value>,
}

/// Reads the log of document key `document`. An entry or item that does
/// not read is refused and said, never the rest; a header that does not
/// read (or names another document) refuses the whole log, which the
/// session then keeps aside as it does a damaged envelope.
pub fn read_log(raw: &str, document: &str) -> Result<Log, CodecError> {
    let mut lines = raw.split('\n');
    let header: Header = serde_json::from_str(lines.next().unwrap_or_default())
        .map_err(|e| CodecError::Malformed(format!("the log's first line: {e}")))?;
    if header.schema > SCHEMA {
        return Err(CodecError::NewerSchema(header.schema));
    }
    if header.document != document {
        return Err(CodecError::WrongDocument { expected: document.into(), found: header.document });
    }
    let mut log = Log { fingerprint: header.fingerprint, ..Log::default() };
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let entry: EntryIn = match serde_json::from_str(line) {
            Ok(e) => e,
            Err(e) => {
                log.refused.push(format!("log entry {}: {e}", n + 1));
                continue;
            }
        };
        for (i, item) in entry.annotations.into_iter().enumerate() {
            match serde_json::from_value::<Annotation>(item) {
                Ok(a) => log.annotations.push(a),
                Err(e) => log.refused.push(format!("log entry {}, item {}: {e}", n + 1, i + 1)),
            }
        }
        // As in the envelope, a tombstone that cannot be read protects nothing valid.
        log.deleted.extend(entry.deleted.into_iter().filter_map(|t| serde_json::from_value(t).ok()));
        for (i, d) in entry.drafts.into_iter().enumerate() {
            match serde_json::from_value::<Draft>(d) {
                Ok(d) => log.drafts.push(d),
                Err(e) => log.refused.push(format!("log entry {}, draft {}: {e}", n + 1, i + 1)),
            }
        }
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_logs_read() {
        let head = header("story-42", "f1");
        let fixture = include_str!("../../tests/fixtures/schema-8-log.txt");
        /// (value, annotations read, tombstones, drafts, refused, error)
        type Case<'a> = (&'a str, usize, usize, usize, usize, Option<&'a str>);
        let cases: &[Case] = &[
            (fixture, 2, 1, 1, 0, None),
            (&head, 0, 0, 0, 0, None),
            (&format!("{head}\n"), 0, 0, 0, 0, None),
            (&format!("{head}\n{{\"annotations\":[]}}\n"), 0, 0, 0, 0, None),
            (&format!("{head}\nnot json\n{{\"deleted\":[{{\"id\":\"x-1\",\"at\":5}}]}}"), 0, 1, 0, 1, None),
            (&format!("{head}\n{{\"annotations\":[{{\"id\":\"x\"}}]}}"), 0, 0, 0, 1, None),
            ("", 0, 0, 0, 0, Some("damaged")),
            ("not json\n{}", 0, 0, 0, 0, Some("damaged")),
            (r#"{"schema":9,"document":"story-42","fingerprint":"f"}"#, 0, 0, 0, 0, Some("newer")),
            (r#"{"schema":8,"document":"other","fingerprint":"f"}"#, 0, 0, 0, 0, Some("another article")),
        ];
        for (raw, annotations, deleted, drafts, refused, error) in cases {
            match (read_log(raw, "story-42"), error) {
                (Ok(log), None) => {
                    let counts = (log.annotations.len(), log.deleted.len(), log.drafts.len(), log.refused.len());
                    assert_eq!(counts, (*annotations, *deleted, *drafts, *refused), "{raw}");
                }
                (Err(e), Some(said)) => assert!(e.to_string().contains(said), "{raw}: {e}"),
                (got, _) => panic!("{raw}: {got:?}"),
            }
        }
    }

    #[test]
    fn the_limit_follows_the_envelope_up_to_64_kib() {
        assert_eq!(compact_at(0), 0);
        assert_eq!(compact_at(5_000), 5_000);
        assert_eq!(compact_at(2_000_000), 65_536);
    }
}
