//! Sync's settings on the page, carried: the core's `SignIn` decides (the
//! settings kept from a last visit, the form submitted, a `_session`
//! sign-in answered, a stop) and this sends the sign-in, starts and stops
//! sync, and keeps or forgets the settings.

use super::{App, Msg};
use crate::sync::http::request;
use crate::sync::SHORT_DEADLINE_MS;
use marginalia_core::sync::{Form, Step, SETTINGS_KEY};
use std::rc::Rc;
use yew::prelude::*;

impl App {
    /// On the page: the sync settings kept from a last visit, started again
    /// unless a password is needed that was not kept.
    pub(super) fn sync_from_settings(&mut self, ctx: &Context<Self>) {
        if !matches!(ctx.props().source, super::Source::Page { .. }) || self.sync.is_some() {
            return;
        }
        let kept = self.store.read(SETTINGS_KEY);
        self.sync_form(ctx, Form::Kept(kept));
    }

    /// One event of the Sync form; whether the form shows anything new.
    pub(super) fn sync_form(&mut self, ctx: &Context<Self>, event: Form) -> bool {
        let (steps, changed) = self.sign_in.update(event);
        for step in steps {
            match step {
                Step::SignIn { config, body, settings } => ctx.link().send_future(async move {
                    let reply = request(&config, "POST", "/_session", Some(&body), SHORT_DEADLINE_MS).await;
                    Msg::SyncForm(Form::Answered(settings, reply.status, reply.reason()))
                }),
                Step::Start(config) => {
                    // Other settings: the last ones' requests are dropped with them.
                    self.end_sync(ctx);
                    self.start_sync(ctx, Rc::new(config));
                }
                Step::Stop { sign_out } => {
                    let config = self.end_sync(ctx).filter(|_| sign_out);
                    if let Some(config) = config {
                        // Nothing waits on the answer: the cookie is the server's to forget.
                        wasm_bindgen_futures::spawn_local(async move {
                            let _ = request(&config, "DELETE", "/_session", None, SHORT_DEADLINE_MS).await;
                        });
                    }
                }
                Step::Keep(raw) => {
                    let _ = self.store.write(SETTINGS_KEY, &raw);
                }
                Step::Forget => {
                    let _ = self.store.remove(SETTINGS_KEY);
                }
            }
        }
        changed
    }
}
