//! Sync's tables of cases, and a property over interleavings: clients
//! editing, pushing and pulling in any order against a model of a CouchDB
//! server (revisions, conflicts, `_changes`) all converge on the merge of
//! every edit, with no conflict left on the server.

use super::*;
use crate::annotation::{Annotation, AnnotationId};
use crate::document::Document;
use crate::merge::{Replica, Tombstone};
use crate::span::Span;
use crate::tag::Tag;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(super) const DOC: &str = "https://news.example/a";

fn ann(id: u64, start: usize, tag: &str, updated: u64) -> Annotation {
    let doc = Document::from_text("abcdefghijklmnopqrstuvwxyz");
    let span = Span::new(start, start + 3).expect("valid");
    let mut a = Annotation::new(&doc, AnnotationId::generate(0, id), span, Tag::parse(tag).expect("valid"), 1);
    a.updated = updated;
    a
}

fn gone(id: u64, at: u64) -> Entry {
    Entry::Gone(Tombstone { id: AnnotationId::generate(0, id), at, last: None })
}

#[test]
fn a_document_round_trips() {
    for entry in [Entry::Live(ann(1, 2, "claim", 10)), gone(2, 20)] {
        let mut doc = to_doc(DOC, &entry, Some("3-abc"));
        assert_eq!(doc["_id"], json!(doc_id(DOC, entry.id())));
        assert!(!doc_id(DOC, entry.id()).starts_with('_'));
        doc["_conflicts"] = json!(["2-x"]);
        let back = from_doc(&doc, DOC).expect("ours");
        assert_eq!(back, Incoming { rev: "3-abc".into(), entry, conflicts: vec!["2-x".into()] });
    }
}

#[test]
fn table_of_documents_refused_or_skipped() {
    let good = to_doc(DOC, &Entry::Live(ann(1, 2, "claim", 10)), Some("1-a"));
    let with = |f: &dyn Fn(&mut Value)| {
        let mut d = good.clone();
        f(&mut d);
        d
    };
    let refused: Vec<(&str, Value)> = vec![
        ("not an object", json!("hello")),
        ("no revision", with(&|d| d["_rev"] = Value::Null)),
        ("a huge revision", with(&|d| d["_rev"] = json!("9".repeat(1000)))),
        ("another article named inside", with(&|d| d["document"] = json!("other"))),
        ("no shape marker", with(&|d| d["marginalia"] = json!(7))),
        ("an unknown tag", with(&|d| d["annotation"]["tag"] = json!("<script>"))),
        ("a reversed span", with(&|d| d["annotation"]["span"] = json!({"start": 9, "end": 2}))),
        ("another annotation than its _id", with(&|d| d["annotation"]["id"] = json!("mzz-9"))),
        ("both a body and a deletion", with(&|d| d["deleted"] = json!({"id": "x", "at": 1}))),
        ("a note past the limit", with(&|d| d["annotation"]["note"] = json!("n".repeat(10_001)))),
        ("a huge document", with(&|d| d["padding"] = json!("p".repeat(MAX_DOC_BYTES)))),
        ("malformed conflicts", with(&|d| d["_conflicts"] = json!("2-x"))),
    ];
    for (why, doc) in refused {
        assert!(matches!(from_doc(&doc, DOC), Err(Skip::Refused(_))), "{why}: {:?}", from_doc(&doc, DOC));
    }
    let skipped: Vec<(&str, Value)> = vec![
        ("another article's", with(&|d| d["_id"] = json!("marginalia:other:m1"))),
        ("a design document", json!({"_id": "_design/x", "_rev": "1-a"})),
        (
            "deleted outright",
            json!({"_id": doc_id(DOC, &AnnotationId::generate(0, 1)), "_rev": "2-b", "_deleted": true}),
        ),
    ];
    for (why, doc) in skipped {
        assert_eq!(from_doc(&doc, DOC), Err(Skip::NotOurs), "{why}");
    }
}

#[test]
fn a_note_with_markup_comes_back_as_the_same_plain_text() {
    let mut a = ann(1, 2, "quote", 10);
    a.note = "<img src=x onerror=alert(1)>".into();
    let back = from_doc(&to_doc(DOC, &Entry::Live(a.clone()), Some("1-a")), DOC).expect("ours");
    assert_eq!(back.entry, Entry::Live(a));
}

#[test]
fn table_of_winners() {
    let live = |u| Entry::Live(ann(1, 2, "claim", u));
    let cases: Vec<(Entry, Entry, Entry)> = vec![
        (live(10), live(20), live(20)),
        (live(30), gone(1, 20), live(30)),
        (live(20), gone(1, 20), gone(1, 20)),
        (gone(1, 5), gone(1, 9), gone(1, 9)),
        (Entry::Live(ann(1, 2, "claim", 10)), Entry::Live(ann(1, 2, "quote", 10)), Entry::Live(ann(1, 2, "quote", 10))),
    ];
    for (a, b, want) in cases {
        assert_eq!(winner([&a, &b]), Some(&want), "{a:?} vs {b:?}");
        assert_eq!(winner([&b, &a]), Some(&want), "{b:?} vs {a:?}");
    }
}

#[test]
fn a_resolution_keeps_the_winner_and_deletes_every_other_leaf() {
    let current = Incoming { rev: "3-a".into(), entry: Entry::Live(ann(1, 2, "claim", 10)), conflicts: vec![] };
    let leaf = Incoming { rev: "3-b".into(), entry: Entry::Live(ann(1, 2, "quote", 40)), conflicts: vec![] };
    let r = resolve(&current, std::slice::from_ref(&leaf));
    assert_eq!(
        (r.keep.clone(), r.on.as_str(), r.write, r.delete.clone()),
        (leaf.entry, "3-a", true, vec!["3-b".into()])
    );
    let body = resolution_body(DOC, &r);
    assert_eq!(body["docs"][0]["_rev"], json!("3-a"));
    assert_eq!(body["docs"][1], json!({"_id": doc_id(DOC, r.keep.id()), "_rev": "3-b", "_deleted": true}));
}

#[test]
fn table_of_answers() {
    let cases: [(u16, Next); 7] = [
        (200, Next::Carry),
        (201, Next::Carry),
        (0, Next::Retry(Status::Offline)),
        (401, Next::Stop(Status::SignIn)),
        (403, Next::Stop(Status::SignIn)),
        (503, Next::Retry(Status::Refused("503 down".into()))),
        (400, Next::Stop(Status::Refused("400 down".into()))),
    ];
    for (code, want) in cases {
        assert_eq!(after(code, "down"), want, "{code}");
    }
    assert_eq!(Status::Waiting(3).label(), "3 changes waiting");
    assert_eq!(Status::Refused("500 \u{7}boom".into()).label(), "Server refused: 500 \u{7}boom");
    assert_eq!(after(500, "a\nb\u{7}c").clone(), Next::Retry(Status::Refused("500 abc".into())));
}

#[test]
fn backoff_doubles_and_is_capped() {
    let waits: Vec<u64> = (0..12).map(|n| backoff_ms(n, 0)).collect();
    assert_eq!(&waits[..4], &[1000, 2000, 4000, 8000]);
    assert_eq!(waits[11], 300_000);
    assert_eq!(backoff_ms(u32::MAX, 5000), 300_999);
}

#[test]
fn table_of_changes_paths() {
    let cases = [
        (None, "since=0"),
        (Some(json!(42)), "since=42"),
        (Some(json!("13-g1AAA+/=")), "since=13-g1AAA%2B%2F%3D"),
        (Some(json!({"x": 1})), "since=0"),
    ];
    for (since, want) in cases {
        let path = changes_path(since.as_ref(), true, 25_000);
        assert!(path.starts_with("_changes?feed=longpoll&include_docs=true&conflicts=true&"), "{path}");
        assert!(changes_path(since.as_ref(), false, 1).starts_with("_changes?feed=normal&"));
        assert!(path.ends_with(want), "{path}");
    }
    assert_eq!(checkpoint_path("a/b", "r1"), "_local/marginalia%3Aa%2Fb%3Ar1");
}

#[test]
fn a_damaged_state_queues_everything_again() {
    let local = Replica {
        annotations: vec![ann(1, 0, "claim", 5)],
        deleted: vec![Tombstone { id: AnnotationId::generate(0, 2), at: 7, last: None }],
    };
    let (state, why) = SyncState::decode("{not json", &local);
    assert!(why.is_some_and(|w| w.contains("damaged")));
    assert_eq!(state.outbox.len(), 2);
    assert!(state.checkpoint.is_none());
    let mut state = state;
    state.replica = Some("r1".into());
    state.checkpoint_rev = Some("0-3".into());
    let (again, why) = SyncState::decode(&state.encode(), &local);
    assert_eq!((again, why), (state, None));
}

#[test]
fn catch_up_sends_what_the_server_is_not_known_to_hold() {
    let id = |n: u64| AnnotationId::generate(0, n).to_string();
    let local = Replica {
        annotations: vec![ann(1, 0, "claim", 5), ann(2, 4, "quote", 9), ann(3, 8, "caption", 6)],
        deleted: vec![Tombstone { id: AnnotationId::generate(0, 4), at: 7, last: None }],
    };
    let known = |rev: &str, e: Entry| Some(Held::Known(rev.into(), version_of(&e)));
    // (what the state knows of each, whether catch_up queues it)
    let cases: [(u64, Option<Held>, bool); 6] = [
        // Pushed or pulled at this very version: held.
        (1, known("1-a", Entry::Live(ann(1, 0, "claim", 5))), false),
        // Edited here since (stamp 9, the server's is 5): sent.
        (2, known("1-b", Entry::Live(ann(2, 4, "quote", 5))), true),
        // Edited in the same millisecond as the version the server holds:
        // the stamps are equal, the versions are not; sent.
        (1, known("1-a", Entry::Live(ann(1, 0, "quote", 5))), true),
        // Never pushed, never pulled: sent.
        (3, None, true),
        // Deleted here since the server's live version: the deletion is sent.
        (4, known("2-d", Entry::Live(ann(4, 12, "claim", 3))), true),
        // kept before fingerprints: trusted as it was then.
        (1, Some(Held::Rev("1-a".into())), false),
    ];
    for (n, held, queued) in cases {
        let mut state = SyncState::default();
        if let Some(h) = held.clone() {
            state.revs.insert(id(n), h);
        }
        state.catch_up(&local);
        assert_eq!(state.outbox.contains_key(&id(n)), queued, "{n} {held:?}");
    }
    // Nothing known at all (a first sync): everything is sent.
    let mut fresh = SyncState::default();
    fresh.catch_up(&local);
    assert_eq!(fresh.outbox.len(), 4);
    // A state kept before stamps reads back, revs as bare strings.
    let old = format!(r#"{{"revs":{{"{}":"3-x"}},"outbox":{{}}}}"#, id(1));
    let (state, why) = SyncState::decode(&old, &local);
    assert_eq!((state.revs.get(&id(1)), why), (Some(&Held::Rev("3-x".into())), None));
    // And what is pushed now keeps its stamp: the next load sends nothing.
    let mut pushed = SyncState::default();
    pushed.catch_up(&local);
    let (_, sent) = push_body(DOC, &local, &pushed).expect("a push");
    let reply: Vec<Value> =
        sent.iter().map(|s| json!({"ok": true, "id": format!("marginalia:{DOC}:{}", s.id), "rev": "1-z"})).collect();
    apply_pushed(DOC, &mut pushed, &sent, &json!(reply)).expect("a list");
    let mut reloaded = SyncState::decode(&pushed.encode(), &local).0;
    reloaded.outbox.clear();
    reloaded.catch_up(&local);
    assert!(reloaded.outbox.is_empty(), "{:?}", reloaded.outbox);
}

#[test]
fn a_refused_change_is_kept_and_said_until_it_is_changed_or_accepted() {
    let id = |n: u64| AnnotationId::generate(0, n).to_string();
    let local = Replica { annotations: vec![ann(1, 0, "claim", 5), ann(2, 4, "quote", 6)], deleted: vec![] };
    let row = |n: u64, answer: Value| {
        let mut r = json!({"id": format!("marginalia:{DOC}:{}", id(n))});
        if let (Some(r), Some(a)) = (r.as_object_mut(), answer.as_object()) {
            r.extend(a.clone());
        }
        r
    };
    let forbidden = json!({"error": "forbidden", "reason": "Only the desk may annotate."});
    let mut state = SyncState::default();
    state.catch_up(&local);
    let (_, sent) = push_body(DOC, &local, &state).expect("a push");
    let reply = json!([row(1, forbidden.clone()), row(2, json!({"ok": true, "rev": "1-b"}))]);
    let (conflicts, refused) = apply_pushed(DOC, &mut state, &sent, &reply).expect("a list");
    let said = format!("{}: forbidden Only the desk may annotate.", id(1));
    // Said, out of the outbox (no loop), and kept: a later successful pull
    // or push of another annotation does not make it "Synced".
    assert_eq!((conflicts, refused), (vec![], vec![said.clone()]));
    assert!(state.outbox.is_empty());
    assert_eq!(state.refusal(), Some(said.as_str()));
    // It survives a reload of the state.
    let reloaded = SyncState::decode(&state.encode(), &local).0;
    assert_eq!(reloaded.refusal(), Some(said.as_str()));
    // Changed here: sent again, and no longer said until judged again.
    let mut changed = reloaded.clone();
    changed.queue(&Entry::Live(ann(1, 0, "quote", 9)));
    assert_eq!((changed.refusal(), changed.outbox.len()), (None, 1));
    // Accepted on a later push (the server's rules changed): no longer said.
    let mut accepted = reloaded;
    accepted.outbox.insert(id(1), 5);
    let (_, sent) = push_body(DOC, &local, &accepted).expect("a push");
    apply_pushed(DOC, &mut accepted, &sent, &json!([row(1, json!({"ok": true, "rev": "1-a"}))])).expect("a list");
    assert_eq!((accepted.refusal(), accepted.outbox.len()), (None, 0));
    // A state with nothing refused is written as before (no empty field).
    assert!(!accepted.encode().contains("refused"));
}

#[test]
fn a_server_that_lost_everything_gets_everything_again() {
    let local = Replica { annotations: vec![ann(1, 0, "claim", 5), ann(3, 4, "quote", 6)], deleted: vec![] };
    let mut state = SyncState { checkpoint: Some(json!(17)), ..SyncState::default() };
    state.revs.insert(AnnotationId::generate(0, 1).to_string(), Held::Rev("4-x".into()));
    state.restart(&local);
    assert_eq!((state.checkpoint.clone(), state.revs.len(), state.outbox.len()), (None, 0, 2));
    let (body, sent) = push_body(DOC, &local, &state).expect("a push");
    assert_eq!(sent.len(), 2);
    assert!(body["docs"].as_array().is_some_and(|d| d.iter().all(|d| d.get("_rev").is_none())));
}

#[test]
fn a_changes_reply_is_read_with_caps() {
    let doc = to_doc(DOC, &Entry::Live(ann(1, 2, "claim", 10)), Some("1-a"));
    let reply = json!({
        "results": [{"seq": 1, "doc": doc}, {"seq": 2, "doc": {"_id": "marginalia:other:x", "_rev": "1-b"}},
                    {"seq": 3, "doc": {"_id": doc_id(DOC, &AnnotationId::generate(0, 2)), "_rev": "1-c", "marginalia": 1, "document": DOC}},
                    {"seq": 4}],
        "last_seq": "4-opaque", "pending": 0
    });
    let c = read_changes(&reply, DOC).expect("a reply");
    assert_eq!((c.docs.len(), c.refused.len(), c.last_seq, c.more), (1, 1, Some(json!("4-opaque")), false));
    assert!(read_changes(&json!({"rows": []}), DOC).is_err());
    assert!(read_changes(&json!([1, 2]), DOC).is_err());
}

use super::model::{Client, ModelServer};

#[derive(Clone, Debug)]
enum Op {
    Edit {
        client: usize,
        id: u64,
        tag: usize,
        at: u64,
        delete: bool,
    },
    Push(usize),
    Pull(usize),
    /// An edit made on another node, replicated in as a conflicting leaf.
    Elsewhere {
        id: u64,
        tag: usize,
        at: u64,
    },
    /// The server restarts empty; each client finds its checkpoint gone.
    Lost,
    /// A client's outbox is lost (another tab's state written over it);
    /// the next load catches up from what the server is known to hold.
    Forget(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..2, 0u64..5, 0usize..3, 0u64..40, prop::bool::weighted(0.25))
            .prop_map(|(client, id, tag, at, delete)| Op::Edit { client, id, tag, at, delete }),
        2 => (0usize..2).prop_map(Op::Push),
        2 => (0usize..2).prop_map(Op::Pull),
        1 => (0u64..5, 0usize..3, 0u64..40).prop_map(|(id, tag, at)| Op::Elsewhere { id, tag, at }),
        1 => Just(Op::Lost),
        1 => (0usize..2).prop_map(Op::Forget),
    ]
}

fn entry_of(id: u64, tag: usize, at: u64, delete: bool) -> Entry {
    if delete {
        gone(id, at)
    } else {
        Entry::Live(ann(id, usize::try_from(id).unwrap_or(0), ["claim", "quote", "caption"][tag], at))
    }
}

/// Every version the clients hold, by id.
fn held_by(clients: &[Client]) -> BTreeMap<String, Vec<Entry>> {
    let mut out: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for c in clients {
        for (id, e) in entries(&c.local) {
            out.entry(id).or_default().push(e);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn winner_is_order_free(a in 0u64..30, b in 0u64..30, c in 0u64..30, ta in 0usize..3, tb in 0usize..3, d in prop::bool::ANY) {
        let x = entry_of(1, ta, a, false);
        let y = entry_of(1, tb, b, d);
        let z = gone(1, c);
        let w = winner([&x, &y, &z]).cloned();
        prop_assert_eq!(winner([&z, &y, &x]).cloned(), w.clone());
        prop_assert_eq!(winner([&y, &x, &z]).cloned(), w);
    }

    #[test]
    fn clients_converge_whatever_the_interleaving(ops in prop::collection::vec(op(), 1..40)) {
        let mut server = ModelServer::default();
        let mut clients = [Client::default(), Client::default()];
        let mut made: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for op in &ops {
            match *op {
                Op::Edit { client, id, tag, at, delete } => {
                    let e = entry_of(id, tag, at, delete);
                    made.entry(e.id().to_string()).or_default().push(e.clone());
                    clients[client].edit(&e);
                }
                Op::Push(c) => clients[c].push(&mut server),
                Op::Pull(c) => clients[c].pull(&mut server),
                Op::Lost => {
                    server = ModelServer::default();
                    // What only the server held is gone with it: the winners
                    // expected are of what the clients hold.
                    made = held_by(&clients);
                    for c in &mut clients {
                        let local = c.local.clone();
                        c.state.restart(&local);
                    }
                }
                Op::Forget(c) => {
                    let local = clients[c].local.clone();
                    clients[c].state.outbox.clear();
                    clients[c].state.catch_up(&local);
                }
                Op::Elsewhere { id, tag, at } => {
                    let e = entry_of(id, tag, at, false);
                    made.entry(e.id().to_string()).or_default().push(e.clone());
                    server.replicate_in(DOC, &e);
                }
            }
        }
        // The network settles: everyone pushes and pulls until quiet.
        for _ in 0..6 {
            for c in &mut clients {
                c.push(&mut server);
                c.pull(&mut server);
            }
        }
        // Everything made, merged (part by part, deletions with what they
        // deleted): what every replica must end with.
        let mut all = Replica::default();
        for e in made.values().flatten() {
            let one = match e {
                Entry::Live(a) => Replica { annotations: vec![a.clone()], deleted: vec![] },
                Entry::Gone(t) => Replica { annotations: vec![], deleted: vec![t.clone()] },
            };
            all = crate::merge::merge(&all, &one);
        }
        let want: BTreeMap<String, Entry> = entries(&all);
        for c in &clients {
            prop_assert_eq!(&entries(&c.local), &want);
            prop_assert!(c.state.outbox.is_empty(), "{:?}", c.state.outbox);
        }
        // Nothing duplicated, no conflict left, and the server holds the winners.
        let (on_server, settled) = server.winners(DOC);
        prop_assert!(settled, "conflicts left");
        prop_assert_eq!(on_server, want);
    }
}
