//! Events into the core's session, and its effects carried out: storage
//! written, what to say, the list and paint redone, a save scheduled, and
//! sync's requests and timer (`sync.rs`). The session decides; this only
//! does what it says.

use super::{App, Context};
use crate::clock;
use marginalia_core::session::{Effect, Event};
use marginalia_core::sync;

impl App {
    /// One event into the session. Its effects are carried out, except the
    /// answers only the caller can use (an action's outcome, a put's, an
    /// import's), which are returned.
    pub(super) fn update_session(&mut self, ctx: &Context<Self>, event: Event<'_>) -> Vec<Effect> {
        let effects = self.session.update(event);
        let mut answers = Vec::new();
        for effect in effects {
            match effect {
                Effect::Write(puts) => {
                    // Storage that cannot be used is said once, by a banner.
                    if !self.store.is_available() {
                        continue;
                    }
                    let written = match self.store.put(&puts) {
                        Ok(()) => {
                            self.unsaved = false;
                            ctx.props().mirror.0.borrow_mut().unsaved = false;
                            Ok(puts)
                        }
                        // Kept, and tried again on the next change or on leaving.
                        Err(why) => {
                            self.unsaved = true;
                            Err(why)
                        }
                    };
                    answers.extend(self.update_session(ctx, Event::Written(written)));
                }
                Effect::Aside { key, value, said, unsaid } => {
                    self.error = Some(if self.store.write(&key, &value).is_ok() { said } else { unsaid });
                }
                Effect::Saved { key } => {
                    self.peer.announce(&key);
                    self.signal_saved(ctx, &key);
                }
                Effect::SavedAgain => {
                    // A failed save's message stays until one succeeds.
                    if self.error.as_deref().is_some_and(|e| e.starts_with("Not saved")) {
                        self.error = None;
                    }
                }
                Effect::Changed => {
                    self.list_changed(ctx);
                    self.forget_in_popover();
                }
                Effect::SaveSoon => self.save_soon(ctx),
                Effect::Status(said) => self.status = said,
                Effect::Error(why) => self.error = Some(why),
                Effect::Frozen(why) => self.frozen = Some(why),
                Effect::Sync(effect) => self.carry_sync(ctx, effect),
                answer @ (Effect::Applied(_) | Effect::Put(_) | Effect::Imported { .. }) => answers.push(answer),
            }
        }
        answers
    }

    /// Another tab (or widget) saved this article: the value its event
    /// carried (under `key`) merged in, with what storage holds; written
    /// back if storage lacks something.
    pub(super) fn other_saved(&mut self, ctx: &Context<Self>, key: String, carried: Option<String>) {
        let stored = self.store.stored(self.session.key());
        let carried = carried.map(|value| (key, value));
        self.update_session(ctx, Event::OtherTab { carried, stored, now_ms: clock::env().now_ms });
    }

    /// Something for sync, when it is on.
    pub(super) fn sync_event(&mut self, ctx: &Context<Self>, event: sync::Event<'_>) {
        if self.sync.is_some() {
            self.update_session(ctx, Event::Sync(event));
        }
    }
}
