//! The replicator's vocabulary with the shell: the events it is told, the
//! effects it asks for, one HTTP request and its answer.

use super::super::wire::{from_doc, Incoming};
use crate::merge::Replica;
use serde_json::Value;

/// How long the server may hold a longpoll. Some servers ignore it: the
/// shell's own deadline for a [`Deadline::Long`] request ends it anyway.
pub const LONGPOLL_MS: u64 = 25_000;

/// How long the shell waits for an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deadline {
    /// A push, a fetch, a checkpoint: should not take long.
    Short,
    /// A pull, which may be a longpoll.
    Long,
}

/// One HTTP request, its path under the database.
#[derive(Clone, Debug, PartialEq)]
pub struct Http {
    pub method: &'static str,
    pub path: String,
    pub body: Option<Value>,
    pub deadline: Deadline,
}

/// What came back: the status (0 for no answer at all: offline, the
/// server down, or the deadline passed) and the body read as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Result<Value, String>,
    /// The shell's deadline ended the request (the end of a quiet longpoll).
    pub timed_out: bool,
}

impl Answer {
    /// No answer, and why.
    pub fn none(why: &str) -> Answer {
        Answer { status: 0, body: Err(why.to_string()), timed_out: false }
    }

    /// The body of a 2xx answer that is JSON.
    pub fn ok_body(&self) -> Option<&Value> {
        self.body.as_ref().ok().filter(|_| (200..300).contains(&self.status))
    }

    /// The server's reason, for a refusal shown to the reader.
    pub fn reason(&self) -> String {
        match &self.body {
            Ok(v) => v.get("reason").or_else(|| v.get("error")).and_then(Value::as_str).unwrap_or("").to_string(),
            Err(why) => why.clone(),
        }
    }
}

/// What the shell carries out, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send these requests one after another, then answer with
    /// [`Event::Answered`]: one answer per request, in order.
    Send { ticket: u64, requests: Vec<Http> },
    /// The annotations given to the event merged with the server's: take
    /// them in, then send [`Event::Taken`] at once, with the result.
    Take(Replica),
    /// Write this value at this storage key (the sync state).
    Store { key: String, value: String },
    /// Send [`Event::Wake`] with this id after `ms` (a retry's backoff).
    Wake { id: u64, ms: u64 },
    /// Something the reader must be told (a damaged saved state).
    Problem(String),
}

/// What happened. Each comes with the annotations held here now.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<'a> {
    /// An article opened (or sync started on it): its key, and its sync
    /// state as stored, if any.
    Open { document: &'a str, stored: Option<&'a str> },
    /// Send what waits, and pull, if neither is on its way.
    Kick,
    /// The annotations here were saved: what changed is queued.
    Saved,
    /// The answers to an [`Effect::Send`].
    Answered { ticket: u64, answers: Vec<Answer> },
    /// An [`Effect::Take`] was carried out.
    Taken,
    /// An [`Effect::Wake`]'s time came.
    Wake(u64),
}

pub(super) fn get(path: String, deadline: Deadline) -> Http {
    Http { method: "GET", path, body: None, deadline }
}

pub(super) fn post_bulk(body: Value) -> Http {
    Http { method: "POST", path: "_bulk_docs".into(), body: Some(body), deadline: Deadline::Short }
}

/// A 2xx answer whose body made no sense.
pub(super) fn unreadable(why: String) -> Answer {
    Answer { status: 200, body: Err(why), timed_out: false }
}

/// The annotation documents among fetched answers; what is not one (a
/// 404, a damaged document) is left out, to be met again on the next pull.
pub(super) fn documents(answers: &[Answer], document: &str) -> Vec<Incoming> {
    answers.iter().filter_map(Answer::ok_body).filter_map(|v| from_doc(v, document).ok()).collect()
}
