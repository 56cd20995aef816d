//! A model-based property of the whole session: two tabs of one browser
//! (one storage, each hearing the other's saves when its storage event
//! comes) and a tab of another browser, each a [`Session`] run as the shell
//! runs it, syncing through `sync::model`'s CouchDB. Any interleaving of
//! the readers' edits and undos, the host editing its article, saves (some
//! refused by a full storage), storage events, requests served, lost,
//! failed or timed out, a database created again empty, and reloads (all
//! memory dropped, the session rebuilt from what its writes left). Once
//! everything settles, every tab holds every change made, the same as the
//! others and the server, and no outbox waits.

use super::world::{World, KEY};
use super::*;
use crate::merge::{merge, Replica};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::rc::Rc;

/// What the reader sees of the annotations, wherever the text put them:
/// each id's tag and note, or its deletion.
fn seen(r: &Replica) -> BTreeMap<String, Option<(String, String)>> {
    let merged = merge(r, &Replica::default());
    let mut out: BTreeMap<String, Option<(String, String)>> =
        merged.deleted.iter().map(|t| (t.id.to_string(), None)).collect();
    for a in &merged.annotations {
        out.insert(a.id.to_string(), Some((a.tag.as_str().to_string(), a.note.clone())));
    }
    out
}

#[derive(Clone, Debug)]
enum Op {
    Edit {
        tab: usize,
        what: u8,
        pick: usize,
    },
    Import {
        tab: usize,
        pick: usize,
    },
    Type {
        tab: usize,
        pick: usize,
    },
    Save(usize),
    /// A save refused by a full storage.
    Full(usize),
    Hear(usize),
    Serve {
        tab: usize,
        pick: usize,
    },
    Fail {
        tab: usize,
        pick: usize,
        reached: bool,
    },
    Deliver {
        tab: usize,
        pick: usize,
    },
    TimeOut(usize),
    Wake(usize),
    Reload(usize),
    Host(u8),
    Recreate,
}

fn op() -> impl Strategy<Value = Op> {
    let tab = 0usize..3;
    prop_oneof![
        6 => (tab.clone(), 0u8..5, 0usize..8).prop_map(|(tab, what, pick)| Op::Edit { tab, what, pick }),
        1 => (tab.clone(), 0usize..8).prop_map(|(tab, pick)| Op::Import { tab, pick }),
        3 => (tab.clone(), 0usize..8).prop_map(|(tab, pick)| Op::Type { tab, pick }),
        3 => tab.clone().prop_map(Op::Save),
        1 => tab.clone().prop_map(Op::Full),
        2 => tab.clone().prop_map(Op::Hear),
        5 => (tab.clone(), 0usize..4).prop_map(|(tab, pick)| Op::Serve { tab, pick }),
        1 => (tab.clone(), 0usize..4, any::<bool>()).prop_map(|(tab, pick, reached)| Op::Fail { tab, pick, reached }),
        5 => (tab.clone(), 0usize..4).prop_map(|(tab, pick)| Op::Deliver { tab, pick }),
        1 => tab.clone().prop_map(Op::TimeOut),
        1 => tab.clone().prop_map(Op::Wake),
        1 => tab.prop_map(Op::Reload),
        1 => (0u8..8).prop_map(Op::Host),
        1 => Just(Op::Recreate),
    ]
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut w = World::new();
    for op in ops {
        w.clock += 1;
        match *op {
            Op::Edit { tab, what, pick } => w.edit(tab, what, pick),
            Op::Import { tab, pick } => w.import(tab, pick),
            Op::Type { tab, pick } => {
                w.type_note(tab, pick);
                w.tabs[tab].unsaved = true;
            }
            Op::Save(tab) => w.save(tab),
            Op::Full(tab) => {
                let stored = w.stored(w.tabs[tab].browser);
                let now_ms = w.clock;
                // The write is refused: the value is not stored.
                let effects = w.tabs[tab].session.update(Event::Save { stored, now_ms });
                let kept: Vec<Effect> = effects.into_iter().filter(|e| !matches!(e, Effect::Write(_))).collect();
                w.with(tab, |w, t| w.carry(t, kept));
                w.event(tab, Event::Written(Err("the quota is exceeded".into())));
            }
            Op::Hear(tab) => w.hear(tab),
            Op::Serve { tab, pick } => {
                w.serve(tab, pick);
            }
            Op::Fail { tab, pick, reached } => w.fail(tab, pick, reached),
            Op::Deliver { tab, pick } => {
                w.deliver(tab, pick);
            }
            Op::TimeOut(tab) => w.time_out(tab),
            Op::Wake(tab) => {
                w.wake(tab);
            }
            Op::Reload(tab) => w.reload(tab),
            Op::Host(version) => w.host_edit(version),
            Op::Recreate => w.server.recreate(),
        }
    }
    prop_assert!(w.settle(), "it never settled");
    let want = seen(&w.made);
    for t in &w.tabs {
        prop_assert_eq!(&seen(&t.session.annotator().replica()), &want, "tab {} differs", t.name);
        let outbox = t.session.sync().map(|s| s.state().outbox.len()).unwrap_or(0);
        prop_assert_eq!(outbox, 0, "tab {}'s outbox", t.name);
        prop_assert_eq!(t.session.sync().map(|s| s.status().clone()), Some(sync::Status::Synced));
        // Every tab of a browser holds the note last typed there and not
        // saved or discarded: no reload, no other tab, no full storage loses it.
        for ((browser, id), expected) in &w.drafts {
            let (Some(expected), true) = (expected, *browser == t.browser) else { continue };
            let Some(id) = crate::annotation::AnnotationId::parse(id) else { continue };
            let held = t.session.annotator().drafts().get(&id, Form::Note).filter(|d| d.is_live());
            let text = held.and_then(|d| d.fields.get("text").cloned());
            prop_assert_eq!(&text, expected, "tab {}'s draft of {}", t.name, id);
        }
    }
    // Each browser's storage (its envelope and log) holds it all: a new
    // tab reads it, and the first paint draws from it what that tab draws.
    for browser in 0..2 {
        if !w.tabs.iter().any(|t| t.browser == browser) {
            continue;
        }
        let stored = w.stored(browser);
        let doc = super::world::article(w.host);
        let mut fresh = Session::new(Rc::new(crate::tag::TagSet::standard()), Rc::default(), false);
        fresh.update(Event::Open {
            key: KEY.into(),
            doc: doc.clone(),
            stored: stored.clone(),
            sync_state: None,
            now_ms: w.clock,
        });
        prop_assert_eq!(&seen(&fresh.annotator().replica()), &want, "browser {}'s storage", browser);
        let base = stored.base.as_deref().map_or("", String::as_str);
        let ids = |list: &[crate::annotation::Annotation]| {
            list.iter().map(|a| a.id.to_string()).collect::<std::collections::BTreeSet<_>>()
        };
        if let Some(placed) = crate::codec::read_current(base, stored.log.as_deref().map(String::as_str), KEY, &doc) {
            prop_assert_eq!(ids(&placed.anchored), ids(fresh.annotator().annotations()), "browser {}'s read", browser);
        }
        // The first paint's own reading (marks, not whole annotations) holds the same.
        type Marks = crate::codec::Saved<crate::codec::Mark, crate::codec::Gone, serde::de::IgnoredAny>;
        let marks: Option<Marks> = crate::codec::read_saved(base, stored.log.as_deref().map(String::as_str), KEY);
        if let Some(marks) = marks {
            let marks: Vec<_> = marks.annotations.into_iter().map(crate::codec::Mark::into_annotation).collect();
            prop_assert_eq!(ids(&marks), ids(&fresh.annotator().all()), "browser {}'s first paint", browser);
        }
    }
    // The server holds the same, with no conflict left.
    let (on_server, settled) = w.server.winners(KEY);
    prop_assert!(settled, "conflicts left on the server");
    let mut held = Replica::default();
    for e in on_server.into_values() {
        match e {
            sync::Entry::Live(a) => held.annotations.push(a),
            sync::Entry::Gone(t) => held.deleted.push(t),
        }
    }
    prop_assert_eq!(seen(&held), want);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn every_change_reaches_every_tab_whatever_happens_meanwhile(ops in prop::collection::vec(op(), 1..50)) {
        run(&ops)?;
    }
}
