//! The App's side of sync: when to push and pull, and what a reply changes
//! here. What each reply means is the core's (`marginalia_core::sync`).

use super::sync_requests::documents;
use super::{App, Msg};
use crate::sync::http::{request, Reply};
use crate::sync::{Sync, SyncMsg, DEADLINE_MS, LONGPOLL_MS, SHORT_DEADLINE_MS};
use marginalia_core::merge::Replica;
use marginalia_core::sync::{
    after, apply_pulled, apply_pushed, apply_settled, backoff_ms, changes_path, checkpoint_path, push_body,
    read_changes, settle, signed_in, state_key, Incoming, Next, Settings, Status, SyncState, SETTINGS_KEY,
};
use serde_json::Value;
use yew::prelude::*;

impl App {
    /// On the page: the sync settings kept from a last visit, started again
    /// unless a password is needed that was not kept.
    pub(super) fn sync_from_settings(&mut self, ctx: &Context<Self>) {
        if !matches!(ctx.props().source, super::Source::Page { .. }) || self.sync.is_some() {
            return;
        }
        let Some(settings) = self.store.read(SETTINGS_KEY).and_then(|raw| Settings::decode(&raw)) else { return };
        match settings.config() {
            Some(Ok(config)) => self.sync = Some(Sync::start(std::rc::Rc::new(config))),
            Some(Err(why)) => self.sync_error = Some(why),
            None => self.sync_error = Some("Sign in again to sync: the password was not kept.".into()),
        }
        self.sync_settings = Some(settings);
    }

    pub(super) fn sync_connect(&mut self, ctx: &Context<Self>, settings: Settings, remember: bool) -> bool {
        let Some(body) = settings.sign_in() else { return self.sync_begin(ctx, settings, remember) };
        // A session: the password goes once to `_session`, and the cookie
        // it sets signs every request after. A bad address is told first.
        let config = match settings.config() {
            Some(Ok(config)) => config,
            Some(Err(why)) => {
                self.sync_error = Some(why);
                return true;
            }
            None => return false,
        };
        self.signing_in = true;
        self.sync_error = None;
        ctx.link().send_future(async move {
            let reply = request(&config, "POST", "/_session", Some(&body), SHORT_DEADLINE_MS).await;
            Msg::SignedIn(settings, reply.status, reply.reason())
        });
        true
    }

    pub(super) fn sync_signed_in(
        &mut self,
        ctx: &Context<Self>,
        settings: Settings,
        status: u16,
        reason: &str,
    ) -> bool {
        self.signing_in = false;
        match signed_in(status, reason) {
            Ok(()) => self.sync_begin(ctx, settings, false),
            Err(why) => {
                self.sync_error = Some(why);
                true
            }
        }
    }

    fn sync_begin(&mut self, ctx: &Context<Self>, settings: Settings, remember: bool) -> bool {
        match settings.config() {
            Some(Ok(config)) => {
                let _ = self.store.write(SETTINGS_KEY, &settings.kept(remember).encode());
                self.sync = Some(Sync::start(std::rc::Rc::new(config)));
                self.sync_error = None;
                self.sync_settings = Some(settings.kept(remember));
                self.sync_kick(ctx);
            }
            Some(Err(why)) => self.sync_error = Some(why),
            None => self.sync_error = Some("Give the password for this name.".into()),
        }
        true
    }

    /// Stops syncing; what was synced stays here. A session is signed out.
    pub(super) fn sync_stop(&mut self) -> bool {
        let session = self.sync_settings.take().is_some_and(|s| s.session);
        // Dropped here, with its timers and pending replies' round.
        let config = self.sync.take().map(|s| s.config).filter(|_| session);
        if let Some(config) = config {
            // Nothing waits on the answer: the cookie is the server's to forget.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = request(&config, "DELETE", "/_session", None, SHORT_DEADLINE_MS).await;
            });
        }
        let _ = self.store.remove(SETTINGS_KEY);
        true
    }

    /// The sync state for the article open now, read from storage the
    /// first time (and again when another article opens).
    fn sync_ready(&mut self) -> Option<&mut Sync> {
        let key = self.key.clone();
        let sync = self.sync.as_mut()?;
        if sync.key.as_deref() != Some(key.as_str()) {
            let local = self.annotator.replica();
            let (mut state, problem) = match self.store.read(&state_key(&key)) {
                Some(raw) => SyncState::decode(&raw, &local),
                None => (SyncState::default(), None),
            };
            // Whatever the outbox kept (none, when never synced here; a
            // stale one, when another tab wrote its state last), every
            // annotation the server is not known to hold is sent.
            state.catch_up(&local);
            if let Some(problem) = problem {
                self.error = Some(problem);
            }
            sync.key = Some(key);
            // A reload keeps this browser's name, and so finds its checkpoint.
            match &state.replica {
                Some(name) => sync.replica.clone_from(name),
                None => state.replica = Some(sync.replica.clone()),
            }
            sync.state = state;
            sync.seen = local;
            sync.round += 1;
            sync.pushing = false;
            sync.pulling = false;
            sync.checkpointing = false;
            sync.caught_up = false;
            sync.verified = false;
        }
        Some(sync)
    }

    fn sync_store(&self) {
        if let Some(s) = &self.sync {
            if let Some(key) = &s.key {
                // A full storage already says "Not saved". A state not
                // written loses nothing: the next load catches up, sending
                // what the server is not known to hold.
                let _ = self.store.write(&state_key(key), &s.state.encode());
            }
        }
    }

    /// Starts a push if changes wait, and a pull if none is running.
    pub(super) fn sync_kick(&mut self, ctx: &Context<Self>) {
        let local = self.annotator.replica();
        let Some(s) = self.sync_ready() else { return };
        if s.stopped {
            return;
        }
        s.retry = None;
        let (round, config) = (s.round, s.config.clone());
        let key = s.key.clone().unwrap_or_default();
        if !s.pushing && !s.state.outbox.is_empty() {
            match push_body(&key, &local, &s.state) {
                Some((body, sent)) => {
                    s.pushing = true;
                    let config = config.clone();
                    ctx.link().send_future(async move {
                        let reply = request(&config, "POST", "_bulk_docs", Some(&body), SHORT_DEADLINE_MS).await;
                        Msg::Sync(SyncMsg::Pushed { round, sent, reply })
                    });
                }
                // Queued ids with nothing behind them: nothing to send.
                None => s.state.outbox.clear(),
            }
        }
        if !s.pulling && !s.verified && s.state.checkpoint.is_some() {
            s.pulling = true;
            let path = checkpoint_path(&key, &s.replica);
            ctx.link().send_future(async move {
                let reply = request(&config, "GET", &path, None, SHORT_DEADLINE_MS).await;
                Msg::Sync(SyncMsg::Verified { round, reply })
            });
        } else if !s.pulling {
            s.verified = true;
            s.pulling = true;
            let path = changes_path(s.state.checkpoint.as_ref(), s.caught_up, LONGPOLL_MS);
            ctx.link().send_future(async move {
                let reply = request(&config, "GET", &path, None, DEADLINE_MS).await;
                Msg::Sync(SyncMsg::Pulled { round, reply })
            });
        }
    }

    /// After a local save: queue what changed since the last queue.
    pub(super) fn sync_saved(&mut self, ctx: &Context<Self>) {
        let now = self.annotator.replica();
        let Some(s) = self.sync_ready() else { return };
        s.state.queue_changes(&s.seen, &now);
        s.seen = now;
        self.sync_store();
        self.sync_kick(ctx);
    }

    /// Takes documents from the server into the annotations here.
    fn sync_take(&mut self, ctx: &Context<Self>, docs: &[Incoming]) {
        let local = self.annotator.replica();
        let Some(s) = self.sync.as_mut() else { return };
        let merged = apply_pulled(&mut s.state, &local, docs);
        self.take_merged(ctx, &local, &merged);
    }

    /// `local` is the annotations here now, before `merged` is taken in.
    fn take_merged(&mut self, ctx: &Context<Self>, local: &Replica, merged: &Replica) {
        // An edit made here but not saved yet (the save waits for an idle
        // moment) is queued now: `seen` moves past it below, and the save
        // that follows would then find nothing new to send.
        if let Some(s) = self.sync.as_mut() {
            s.state.queue_changes(&s.seen, local);
        }
        if self.annotator.merge_in(merged) {
            self.list_changed(ctx);
            self.forget_in_popover();
            self.save_soon(ctx);
        }
        let now = self.annotator.replica();
        if let Some(s) = self.sync.as_mut() {
            s.seen = now;
        }
        self.sync_store();
    }

    /// A request failed: retry after a backoff, or stop until the reader acts.
    fn sync_failed(&mut self, ctx: &Context<Self>, reply: &Reply) {
        let Some(s) = self.sync.as_mut() else { return };
        s.caught_up = false;
        s.verified = false;
        let next = match (&reply.body, after(reply.status, &reply.reason())) {
            (Err(why), Next::Carry) => Next::Retry(Status::Refused(why.clone())),
            (_, next) => next,
        };
        match next {
            Next::Carry => {}
            Next::Retry(status) => {
                s.status = status;
                // A push and a pull failing together are one failure: the
                // retry already due covers both, and the backoff grows once.
                if s.retry.is_some() {
                    return;
                }
                let wait = backoff_ms(s.attempt, (js_sys::Math::random() * 1000.0) as u64);
                s.attempt = s.attempt.saturating_add(1);
                let link = ctx.link().clone();
                let wait = u32::try_from(wait).unwrap_or(u32::MAX);
                s.retry = Some(gloo::timers::callback::Timeout::new(wait, move || {
                    link.send_message(Msg::Sync(SyncMsg::Kick));
                }));
            }
            Next::Stop(status) => {
                s.status = status;
                s.stopped = true;
            }
        }
    }

    /// A request answered. A change the server refused for good is said
    /// until it is changed or accepted (it exists only here); a refusal
    /// of another kind (a 500) stays said while changes wait to be sent.
    fn sync_ok(&mut self) {
        if let Some(s) = self.sync.as_mut() {
            s.attempt = 0;
            if let Some(why) = s.state.refusal() {
                s.status = Status::Refused(why.to_string());
            } else if !matches!(s.status, Status::Refused(_)) || s.state.outbox.is_empty() {
                s.status = Status::Synced;
            }
        }
    }

    pub(super) fn sync_update(&mut self, ctx: &Context<Self>, msg: SyncMsg) -> bool {
        let current = self.sync.as_ref().map(|s| s.round);
        let stale = |round: u32| current != Some(round);
        let key = self.key.clone();
        match msg {
            SyncMsg::Kick => self.sync_kick(ctx),
            SyncMsg::Pushed { round, sent, reply } => {
                if stale(round) {
                    return false;
                }
                if let Some(s) = self.sync.as_mut() {
                    s.pushing = false;
                }
                let Some(body) = reply.ok_body() else {
                    self.sync_failed(ctx, &reply);
                    return true;
                };
                let Some(s) = self.sync.as_mut() else { return false };
                match apply_pushed(&key, &mut s.state, &sent, body) {
                    Ok((conflicts, refused)) => {
                        self.sync_ok();
                        if let (Some(first), Some(s)) = (refused.first(), self.sync.as_mut()) {
                            s.status = Status::Refused(first.clone());
                        }
                        self.sync_store();
                        if conflicts.is_empty() {
                            self.sync_kick(ctx);
                        } else {
                            self.sync_fetch(ctx, round, &key, &conflicts);
                        }
                    }
                    Err(why) => self.sync_failed(ctx, &Reply { status: 200, body: Err(why), timed_out: false }),
                }
            }
            SyncMsg::Fetched { round, replies } => {
                if stale(round) {
                    return false;
                }
                let docs = documents(&replies, &key);
                self.sync_take(ctx, &docs);
                self.sync_kick(ctx);
            }
            SyncMsg::Pulled { round, reply } => {
                if stale(round) {
                    return false;
                }
                if let Some(s) = self.sync.as_mut() {
                    s.pulling = false;
                }
                if reply.timed_out {
                    // A quiet longpoll ended by our deadline: ask again.
                    self.sync_kick(ctx);
                    return false;
                }
                let changes = match reply.ok_body() {
                    Some(body) => read_changes(body, &key),
                    None => {
                        self.sync_failed(ctx, &reply);
                        return true;
                    }
                };
                match changes {
                    Ok(c) => {
                        self.sync_take(ctx, &c.docs);
                        self.sync_ok();
                        if let Some(s) = self.sync.as_mut() {
                            s.caught_up = !c.more;
                            if let Some(first) = c.refused.first() {
                                s.status = Status::Refused(first.clone());
                            }
                            if c.last_seq.is_some() && c.last_seq != s.state.checkpoint {
                                s.state.checkpoint = c.last_seq.clone();
                                self.sync_checkpoint(ctx);
                            }
                        }
                        self.sync_store();
                        for d in c.docs.into_iter().filter(|d| !d.conflicts.is_empty()) {
                            self.sync_leaves(ctx, round, &key, d);
                        }
                        self.sync_kick(ctx);
                    }
                    Err(why) => self.sync_failed(ctx, &Reply { status: 200, body: Err(why), timed_out: false }),
                }
            }
            SyncMsg::Verified { round, reply } => {
                if stale(round) {
                    return false;
                }
                let local = self.annotator.replica();
                let Some(s) = self.sync.as_mut() else { return false };
                s.pulling = false;
                match reply.status {
                    // Our checkpoint is gone: the server lost this article's
                    // documents, or is another one. Start over, sending all.
                    404 => {
                        s.state.restart(&local);
                        s.verified = true;
                    }
                    200..=299 => {
                        // The checkpoint's revision as the server has it: one
                        // written just before a reload may never have been
                        // stored here, and the next write would carry a stale
                        // revision (refused, 409, then retried).
                        let rev = reply.ok_body().and_then(|v| v.get("_rev")).and_then(Value::as_str);
                        if let Some(rev) = rev.filter(|r| r.len() <= 256) {
                            s.state.checkpoint_rev = Some(rev.to_string());
                        }
                        s.verified = true;
                    }
                    _ => {
                        self.sync_failed(ctx, &reply);
                        return true;
                    }
                }
                self.sync_store();
                self.sync_kick(ctx);
            }
            SyncMsg::Leaves { round, current, replies } => {
                if stale(round) {
                    return false;
                }
                let leaves = documents(&replies, &key);
                let local = self.annotator.replica();
                let Some(s) = self.sync.as_mut() else { return false };
                let (merged, resolution, body) = settle(&key, &mut s.state, &local, &current, &leaves);
                let config = s.config.clone();
                self.take_merged(ctx, &local, &merged);
                ctx.link().send_future(async move {
                    let reply = request(&config, "POST", "_bulk_docs", Some(&body), SHORT_DEADLINE_MS).await;
                    Msg::Sync(SyncMsg::Settled { round, resolution: Box::new(resolution), reply })
                });
            }
            SyncMsg::Checkpointed { round, written, rev } => {
                if stale(round) {
                    return false;
                }
                let Some(s) = self.sync.as_mut() else { return false };
                s.checkpointing = false;
                if let Some(rev) = rev {
                    s.state.checkpoint_rev = Some(rev);
                }
                // Pulls that ended while it was on its way: the newest now.
                let behind = s.state.checkpoint.as_ref() != Some(&written);
                self.sync_store();
                if behind {
                    self.sync_checkpoint(ctx);
                }
                return false;
            }
            SyncMsg::Settled { round, resolution, reply } => {
                if stale(round) {
                    return false;
                }
                if let Some(s) = self.sync.as_mut() {
                    apply_settled(&mut s.state, &resolution, reply.body.as_ref().unwrap_or(&Value::Null));
                }
                self.sync_store();
                self.sync_kick(ctx);
            }
        }
        true
    }
}
