//! What the reader is told about sync, what a server's answer means for
//! the next try (again later, or never without the reader), and when.

/// The sync status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not configured: localStorage alone, as by default.
    Off,
    Syncing,
    Synced,
    /// Changes made here that the server has not accepted yet.
    Waiting(usize),
    /// No answer (no network, or the server down): retried with backoff.
    Offline,
    /// 401 or 403: never retried until the reader signs in again.
    SignIn,
    /// The server answered, and refused; its words, made inert.
    Refused(String),
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::Off => "Sync off".into(),
            Status::Syncing => "Syncing…".into(),
            Status::Synced => "Synced".into(),
            Status::Waiting(1) => "1 change waiting".into(),
            Status::Waiting(n) => format!("{n} changes waiting"),
            Status::Offline => "Offline".into(),
            Status::SignIn => "Sign-in needed".into(),
            Status::Refused(why) => format!("Server refused: {why}"),
        }
    }
}

/// What to do after an HTTP answer (status 0: no answer at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Carry,
    /// Try again after a backoff: the network or the server may come back.
    Retry(Status),
    /// Stop until the reader acts (signs in, or changes the settings).
    Stop(Status),
}

/// What an answer's status means. 409 is not here: a conflict is per
/// document, inside a `_bulk_docs` reply.
pub fn after(status: u16, reason: &str) -> Next {
    match status {
        200..=299 => Next::Carry,
        0 => Next::Retry(Status::Offline),
        401 | 403 => Next::Stop(Status::SignIn),
        408 | 429 | 500..=599 => Next::Retry(Status::Refused(format!("{status} {}", super::state::inert(reason)))),
        _ => Next::Stop(Status::Refused(format!("{status} {}", super::state::inert(reason)))),
    }
}

/// The wait before try `attempt` (0 for the first retry): doubling from
/// 1 s to at most 5 minutes, plus up to a second of `jitter` (0..1000,
/// from the shell) so that many readers do not retry in step.
pub fn backoff_ms(attempt: u32, jitter: u64) -> u64 {
    let base = 1000u64.saturating_mul(1u64 << attempt.min(20));
    base.min(300_000) + jitter.min(999)
}

/// `text` percent-encoded for a URL path segment or query value.
pub fn encode_component(text: &str) -> String {
    crate::w3c::percent_encode(text)
}

/// The path (after the database) of a `_changes` since `since`: answered at
/// once until caught up, then a longpoll with its server-side timeout (the
/// client enforces its own deadline too, as some servers ignore this one).
pub fn changes_path(since: Option<&serde_json::Value>, longpoll: bool, timeout_ms: u64) -> String {
    let since = match since {
        Some(serde_json::Value::String(s)) => encode_component(s),
        Some(n @ serde_json::Value::Number(_)) => n.to_string(),
        _ => "0".into(),
    };
    format!(
        "_changes?feed={}&include_docs=true&conflicts=true&limit={}&timeout={timeout_ms}&since={since}",
        if longpoll { "longpoll" } else { "normal" },
        super::state::PULL_BATCH
    )
}

/// The `_local` document that keeps a replica's checkpoint for an article.
pub fn checkpoint_path(document: &str, replica: &str) -> String {
    format!("_local/{}", encode_component(&format!("marginalia:{document}:{replica}")))
}
