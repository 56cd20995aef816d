//! The App's side of sync: it hands every event to the core's
//! `Replicator` and carries out the effects it returns — requests, the
//! server's versions taken in, the state stored, a retry's timer. What to
//! send and what an answer means are decided there, natively tested.

use super::{App, Msg};
use crate::sync::http::request;
use crate::sync::{SyncMsg, DEADLINE_MS, SHORT_DEADLINE_MS};
use marginalia_core::sync::{state_key, Deadline, Effect, Event};
use yew::prelude::*;

impl App {
    /// One event into the replicator, opening the article first when it
    /// is not the one the replicator knows (sync just started, or another
    /// article opened).
    pub(super) fn sync_event(&mut self, ctx: &Context<Self>, event: Event<'_>) {
        let local = self.annotator.replica();
        let Some(s) = self.sync.as_mut() else { return };
        let mut effects = Vec::new();
        if s.machine.document() != Some(self.key.as_str()) {
            let stored = self.store.read(&state_key(&self.key));
            let open = Event::Open { document: &self.key, stored: stored.as_deref() };
            effects = s.machine.update(open, &local);
            s.timer = None;
        }
        effects.extend(s.machine.update(event, &local));
        self.sync_carry(ctx, effects);
    }

    /// Starts a push if changes wait, and a pull if none is running.
    pub(super) fn sync_kick(&mut self, ctx: &Context<Self>) {
        self.sync_event(ctx, Event::Kick);
    }

    /// After a local save: what changed since the last is queued and sent.
    pub(super) fn sync_saved(&mut self, ctx: &Context<Self>) {
        self.sync_event(ctx, Event::Saved);
    }

    pub(super) fn sync_update(&mut self, ctx: &Context<Self>, msg: SyncMsg) -> bool {
        match msg {
            SyncMsg::Kick => self.sync_event(ctx, Event::Kick),
            SyncMsg::Answered { ticket, answers } => self.sync_event(ctx, Event::Answered { ticket, answers }),
            SyncMsg::Wake(id) => self.sync_event(ctx, Event::Wake(id)),
        }
        // The status line and the waiting count may have changed.
        true
    }

    fn sync_carry(&mut self, ctx: &Context<Self>, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { ticket, requests } => {
                    let Some(s) = self.sync.as_ref() else { return };
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
                Effect::Take(merged) => {
                    if self.annotator.merge_in(&merged) {
                        self.list_changed(ctx);
                        self.forget_in_popover();
                        self.save_soon(ctx);
                    }
                    // At once: the replicator learns what the annotations
                    // are now (the annotator may place a version anew).
                    self.sync_event(ctx, Event::Taken);
                }
                // A full storage already says "Not saved". A state not
                // written loses nothing: the next load catches up.
                Effect::Store { key, value } => {
                    let _ = self.store.write(&key, &value);
                }
                Effect::Wake { id, ms } => {
                    let link = ctx.link().clone();
                    let ms = u32::try_from(ms).unwrap_or(u32::MAX);
                    let timer = gloo::timers::callback::Timeout::new(ms, move || {
                        link.send_message(Msg::Sync(SyncMsg::Wake(id)));
                    });
                    if let Some(s) = self.sync.as_mut() {
                        s.timer = Some(timer);
                    }
                }
                Effect::Problem(why) => self.error = Some(why),
            }
        }
    }
}
