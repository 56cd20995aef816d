//! Sync's side in the App: started with a config (the `sync` option, or
//! the page's settings), its requests sent and their answers brought back,
//! its retry timer. What to send and what an answer means are the core's
//! (`marginalia_core::sync::Replicator`, run inside the session).

use super::{App, Msg};
use crate::sync::http::request;
use crate::sync::{Sync, SyncMsg, DEADLINE_MS, SHORT_DEADLINE_MS};
use marginalia_core::session::Event;
use marginalia_core::sync::{self, state_key, Config, Deadline};
use std::rc::Rc;
use yew::prelude::*;

impl App {
    /// Syncs the open article (and every one opened after) with `config`.
    pub(super) fn start_sync(&mut self, ctx: &Context<Self>, config: Rc<Config>) {
        let (shell, replicator) = Sync::start(config);
        self.sync = Some(shell);
        let state = (!self.session.key().is_empty()).then(|| self.store.read(&state_key(self.session.key()))).flatten();
        self.update_session(ctx, Event::StartSync(Box::new(replicator), state));
    }

    /// Stops syncing; what was synced stays here.
    pub(super) fn end_sync(&mut self, ctx: &Context<Self>) -> Option<Rc<Config>> {
        self.update_session(ctx, Event::StopSync);
        // Dropped here, with its timer; answers still on their way are
        // dropped by the session's replicator being gone.
        self.sync.take().map(|s| s.config)
    }

    pub(super) fn sync_update(&mut self, ctx: &Context<Self>, msg: SyncMsg) -> bool {
        match msg {
            SyncMsg::Answered { ticket, answers } => self.sync_event(ctx, sync::Event::Answered { ticket, answers }),
            SyncMsg::Wake(id) => self.sync_event(ctx, sync::Event::Wake(id)),
        }
        // The status line and the waiting count may have changed.
        true
    }

    /// One of the replicator's effects (it takes the server's versions in
    /// itself, through the session).
    pub(super) fn carry_sync(&mut self, ctx: &Context<Self>, effect: sync::Effect) {
        let Some(s) = self.sync.as_mut() else { return };
        match effect {
            sync::Effect::Send { ticket, requests } => {
                let config = s.config.clone();
                ctx.link().send_future(async move {
                    let mut answers = Vec::with_capacity(requests.len());
                    for r in &requests {
                        let deadline = match r.deadline {
                            Deadline::Short => SHORT_DEADLINE_MS,
                            Deadline::Long => DEADLINE_MS,
                        };
                        answers.push(request(&config, r.method, &r.path, r.body.as_ref(), deadline).await);
                    }
                    Msg::Sync(SyncMsg::Answered { ticket, answers })
                });
            }
            // A full storage already says "Not saved". A state not written
            // loses nothing: the next load catches up.
            sync::Effect::Store { key, value } => {
                let _ = self.store.write(&key, &value);
            }
            sync::Effect::Wake { id, ms } => {
                let link = ctx.link().clone();
                let ms = u32::try_from(ms).unwrap_or(u32::MAX);
                s.timer = Some(gloo::timers::callback::Timeout::new(ms, move || {
                    link.send_message(Msg::Sync(SyncMsg::Wake(id)));
                }));
            }
            sync::Effect::Problem(why) => self.error = Some(why),
            // Carried by the session, never handed out.
            sync::Effect::Take(_) => {}
        }
    }
}
