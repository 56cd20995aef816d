//! What each save writes: the log's next entry after an edit, the envelope
//! whole when the log outgrows it, the text changed, storage did not read
//! cleanly, or a write failed — and what a new tab then reads.

use super::*;
use crate::annotation::Annotation;
use crate::codec;
use crate::span::Span;
use crate::tag::{Tag, TagSet};
use std::collections::BTreeMap;

const KEY: &str = "story";

/// A 40-paragraph article and `n` claims on it, saved as an envelope.
fn article(n: usize) -> (Rc<Document>, String) {
    let lines: Vec<String> = (0..40).map(|i| format!("Paragraph {i} says the council spent {i} million.")).collect();
    let doc = Rc::new(Document::from_paragraphs(&lines));
    let items: Vec<Annotation> = (0..n)
        .map(|i| {
            let start = (i * 7) % (doc.len() - 10);
            let span = Span::new(start, start + 9).expect("span");
            let id = crate::annotation::AnnotationId::generate(1_000 + i as u64, i as u64);
            Annotation::new(&doc, id, span, Tag::parse("claim").expect("tag"), 1_000)
        })
        .collect();
    let base = codec::encode_annotations(KEY, &doc, &items, &[], &[]);
    (doc, base)
}

struct Tab {
    session: Session,
    storage: BTreeMap<String, String>,
    clock: u64,
    said: Vec<String>,
}

impl Tab {
    fn open(doc: &Rc<Document>, storage: BTreeMap<String, String>) -> Tab {
        let mut tab = Tab {
            session: Session::new(Rc::new(TagSet::standard()), Rc::default(), false),
            storage,
            clock: 2_000,
            said: Vec::new(),
        };
        let stored = tab.stored();
        let effects =
            tab.session.update(Event::Open { key: KEY.into(), doc: doc.clone(), stored, sync_state: None, now_ms: 1 });
        tab.carry(effects, true);
        tab
    }

    fn stored(&self) -> Stored {
        Stored {
            base: self.storage.get(&codec::annotations_key(KEY)).map(|v| Rc::new(v.clone())),
            log: self.storage.get(&codec::log_key(KEY)).map(|v| Rc::new(v.clone())),
        }
    }

    /// Carries the effects; `ok`: writes succeed. Returns the writes, as
    /// (key, bytes written; none for a removal).
    fn carry(&mut self, effects: Vec<Effect>, ok: bool) -> Vec<(String, Option<usize>)> {
        let mut writes = Vec::new();
        for effect in effects {
            match effect {
                Effect::Write(puts) if ok => {
                    for p in &puts {
                        writes.push((p.key.clone(), p.value.as_ref().map(|v| v.len())));
                        match &p.value {
                            Some(v) => self.storage.insert(p.key.clone(), v.to_string()),
                            None => self.storage.remove(&p.key),
                        };
                    }
                    let more = self.session.update(Event::Written(Ok(puts)));
                    writes.extend(self.carry(more, ok));
                }
                Effect::Write(_) => {
                    let more = self.session.update(Event::Written(Err("storage is full".into())));
                    writes.extend(self.carry(more, ok));
                }
                Effect::Aside { key, value, said, .. } => {
                    self.storage.insert(key, value);
                    self.said.push(said);
                }
                Effect::Error(said) | Effect::Status(said) => self.said.push(said),
                _ => {}
            }
        }
        writes
    }

    fn note(&mut self, which: usize, text: &str) {
        self.clock += 1;
        let id = self.session.annotator().annotations()[which].id.clone();
        let env = Env { now_ms: self.clock, entropy: 7 };
        self.session.update(Event::Act(Action::Note { id, text: text.into() }, env));
    }

    fn save(&mut self, ok: bool) -> Vec<(String, Option<usize>)> {
        let stored = self.stored();
        let effects = self.session.update(Event::Save { stored, now_ms: self.clock });
        self.carry(effects, ok)
    }

    fn notes(&self) -> Vec<String> {
        self.session.annotator().annotations().iter().map(|a| a.note.clone()).filter(|n| !n.is_empty()).collect()
    }
}

fn base_key() -> String {
    codec::annotations_key(KEY)
}

fn log_key() -> String {
    codec::log_key(KEY)
}

#[test]
fn a_save_after_one_edit_writes_that_edit() {
    let (doc, base) = article(1_000);
    let mut tab = Tab::open(&doc, BTreeMap::from([(base_key(), base.clone())]));
    // Nothing changed: nothing written.
    assert_eq!(tab.save(true), []);
    tab.note(3, "Check the budget.");
    let writes = tab.save(true);
    assert_eq!(writes.len(), 1, "{writes:?}");
    let (key, bytes) = &writes[0];
    let bytes = bytes.expect("a value");
    assert_eq!(key, &log_key());
    // One annotation's entry and the log's first line, against the envelope.
    assert!(bytes < 600 && base.len() > 150_000, "{bytes} bytes written; the envelope is {}", base.len());
    assert_eq!(tab.storage.get(&base_key()), Some(&base), "the envelope is not written");
    // A second edit is appended to the log.
    tab.note(4, "And the date.");
    let writes = tab.save(true);
    assert_eq!(writes.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(), [log_key()]);
    assert_eq!(tab.storage[&log_key()].lines().count(), 3);
    // A new tab reads both; so does the first paint.
    let again = Tab::open(&doc, tab.storage.clone());
    assert_eq!(again.notes(), ["Check the budget.", "And the date."]);
    let painted = codec::read_current(&tab.storage[&base_key()], Some(&tab.storage[&log_key()]), KEY, &doc);
    assert_eq!(painted.map(|d| d.anchored.len()), Some(1_000));
}

#[test]
fn the_log_is_folded_into_the_envelope_when_it_outgrows_it() {
    // A small article: its envelope is smaller than the 64 KiB limit.
    let (doc, base) = article(5);
    let mut tab = Tab::open(&doc, BTreeMap::from([(base_key(), base)]));
    let mut kinds = Vec::new();
    for i in 0..12 {
        tab.note(i % 5, &format!("Note {i}: {}", "x".repeat(100)));
        let writes = tab.save(true);
        kinds.push(if writes[0].0 == log_key() { 'l' } else { 'E' });
        if writes[0].0 == base_key() {
            // The envelope written whole, then the log removed.
            assert!(writes.len() == 1 || writes[1] == (log_key(), None), "{writes:?}");
        }
    }
    let kinds: String = kinds.into_iter().collect();
    assert!(kinds.contains("lE") && kinds.starts_with('l'), "appended, then folded in: {kinds}");
    let again = Tab::open(&doc, tab.storage.clone());
    assert_eq!(again.notes(), tab.notes());
}

#[test]
fn the_envelope_is_written_whole_when_the_log_cannot_be_added_to() {
    let (doc, base) = article(200);
    let damaged = format!("{}\nnot json", codec::header(KEY, doc.fingerprint().as_str()));
    let other_text = codec::header(KEY, "0123456789abcdef");
    // (what storage holds, a write fails first)
    let cases: Vec<(&str, BTreeMap<String, String>, bool)> = vec![
        ("nothing stored", BTreeMap::new(), false),
        ("a damaged log", BTreeMap::from([(base_key(), base.clone()), (log_key(), damaged.clone())]), false),
        ("a log on another text", BTreeMap::from([(base_key(), base.clone()), (log_key(), other_text)]), false),
        ("a write failed", BTreeMap::from([(base_key(), base.clone())]), true),
    ];
    for (case, storage, fail_first) in cases {
        let mut tab = Tab::open(&doc, storage);
        if tab.session.annotator().annotations().is_empty() {
            let env = Env { now_ms: 3_000, entropy: 1 };
            let tag = Tag::parse("quote").expect("tag");
            tab.session.update(Event::Act(Action::Create { span: Span::new(0, 9).expect("span"), tag }, env));
        }
        tab.note(0, "Kept.");
        if fail_first {
            assert_eq!(tab.save(false), [], "{case}");
            assert!(tab.said.iter().any(|s| s.starts_with("Not saved")), "{case}: {:?}", tab.said);
            tab.note(0, "Kept again.");
        }
        let writes = tab.save(true);
        let keys: Vec<&str> = writes.iter().map(|(k, _)| k.as_str()).collect();
        let whole = keys.first() == Some(&base_key().as_str());
        // A failed write is followed by storage read again; the log then
        // takes what storage lacks.
        assert_eq!(whole, !fail_first, "{case}: {writes:?}");
        let again = Tab::open(&doc, tab.storage.clone());
        assert_eq!(again.notes(), tab.notes(), "{case}");
        if case == "a damaged log" {
            let aside = tab.storage.iter().find(|(k, _)| k.starts_with(&format!("{}:corrupt:", log_key())));
            assert_eq!(aside.map(|(_, v)| v.as_str()), Some(damaged.as_str()), "kept aside");
        }
    }
}
