//! Sync's settings on the page: those kept from a last visit, the Sync
//! form's sign-in (a `_session` cookie, or a password kept or not) and
//! stopping. What follows a start is `sync.rs`'s.

use super::{App, Msg};
use crate::sync::http::request;
use crate::sync::SHORT_DEADLINE_MS;
use marginalia_core::sync::{signed_in, Settings, SETTINGS_KEY};
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
            Some(Ok(config)) => self.start_sync(ctx, std::rc::Rc::new(config)),
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
                // Other settings: the last ones' requests are dropped with them.
                self.end_sync(ctx);
                self.start_sync(ctx, std::rc::Rc::new(config));
                self.sync_error = None;
                self.sync_settings = Some(settings.kept(remember));
            }
            Some(Err(why)) => self.sync_error = Some(why),
            None => self.sync_error = Some("Give the password for this name.".into()),
        }
        true
    }

    /// Stops syncing; what was synced stays here. A session is signed out.
    pub(super) fn sync_stop(&mut self, ctx: &Context<Self>) -> bool {
        let session = self.sync_settings.take().is_some_and(|s| s.session);
        let config = self.end_sync(ctx).filter(|_| session);
        if let Some(config) = config {
            // Nothing waits on the answer: the cookie is the server's to forget.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = request(&config, "DELETE", "/_session", None, SHORT_DEADLINE_MS).await;
            });
        }
        let _ = self.store.remove(SETTINGS_KEY);
        true
    }
}
