//! The suggestion rules, as the annotator reaches them: a module of their
//! own (`crates/marginalia-rules`), loaded on the first Suggest or ahead of
//! it when the browser is idle.
//!
//! Why: a reader's first selection needs the annotator, not the rules, and
//! every byte of the annotator is waited for on that selection (issue 30).
//! Who loads the module is the page's JavaScript (`embed/marginalia.js`'s
//! `loadRules`, which the page imports too): one loader for both, trying a
//! failed load again on the next call. This file keeps what is loaded and
//! reads the module's answer as untrusted input (`wire::decode`): an answer
//! that does not read is an error shown to the reader, never a suggestion
//! drawn on the wrong text.

use crate::clock;
use js_sys::{Function, Promise, Reflect};
use marginalia_core::suggest::{wire, Suggestion};
use marginalia_core::Document;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long after the mount the idle prefetch may start.
const PREFETCH_AFTER_MS: u32 = 3_000;

/// An idle period at least this long (the most a browser gives is 50 ms)
/// means nothing is waiting to run, no frame is due: the page is quiet,
/// not between two frames of the reader's own work.
const QUIET_MS: f64 = 40.0;

/// Where the rules come from.
pub enum Source {
    /// Linked into this build (the browser tests link them).
    Linked(fn(&Document) -> Vec<Suggestion>),
    /// A JavaScript function returning a promise of the rules module.
    Module(Function),
    /// None given: Suggest says this build cannot suggest.
    Missing,
}

enum State {
    Linked(fn(&Document) -> Vec<Suggestion>),
    Unloaded(Option<Function>),
    Loading {
        load: Function,
        promise: Promise,
    },
    /// The module's `suggest(text) -> lines`.
    Loaded(Function),
}

/// The rules of one widget; clones share one load.
#[derive(Clone)]
pub struct Rules(Rc<RefCell<State>>);

impl Default for Rules {
    fn default() -> Rules {
        Rules::new(Source::Missing)
    }
}

impl PartialEq for Rules {
    fn eq(&self, other: &Rules) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Rules {
    pub fn new(source: Source) -> Rules {
        Rules(Rc::new(RefCell::new(match source {
            Source::Linked(f) => State::Linked(f),
            Source::Module(load) => State::Unloaded(Some(load)),
            Source::Missing => State::Unloaded(None),
        })))
    }

    /// The suggestions on `doc` if the rules are here (`None`: load them
    /// first), timed as the User Timing measure `marginalia:suggest`.
    pub fn now(&self, doc: &Document) -> Option<Result<Vec<Suggestion>, String>> {
        let state = self.0.borrow();
        let found = match &*state {
            State::Linked(rules) => clock::measured("marginalia:suggest", || Ok(rules(doc))),
            State::Loaded(suggest) => clock::measured("marginalia:suggest", || {
                let lines = suggest.call1(&JsValue::NULL, &JsValue::from_str(&doc.text())).map_err(message)?;
                let lines = lines.as_string().ok_or("the suggestion rules answered something other than text")?;
                wire::decode(&lines, doc.len()).map_err(|e| format!("the suggestion rules' answer does not read ({e})"))
            }),
            State::Unloaded(_) | State::Loading { .. } => return None,
        };
        Some(found)
    }

    /// Loads the rules (one load at a time, shared); after a failure the
    /// next call tries again.
    pub async fn load(&self) -> Result<(), String> {
        let promise = {
            let mut state = self.0.borrow_mut();
            match &*state {
                State::Linked(_) | State::Loaded(_) => return Ok(()),
                State::Unloaded(None) => return Err("this build has no suggestion rules".into()),
                State::Loading { promise, .. } => promise.clone(),
                State::Unloaded(Some(load)) => {
                    let load = load.clone();
                    let promise = load
                        .call0(&JsValue::NULL)
                        .map_err(message)?
                        .dyn_into::<Promise>()
                        .map_err(|_| "the rules' loader gave no promise".to_string())?;
                    *state = State::Loading { load, promise: promise.clone() };
                    promise
                }
            }
        };
        let loaded = JsFuture::from(promise.clone()).await;
        let mut state = self.0.borrow_mut();
        // Only the load this call waited for settles the state: a later one
        // (after this one failed and the reader pressed again) is its own.
        let State::Loading { load, promise: current } = &*state else { return loaded.map(|_| ()).map_err(message) };
        if AsRef::<JsValue>::as_ref(current) != AsRef::<JsValue>::as_ref(&promise) {
            return loaded.map(|_| ()).map_err(message);
        }
        let load = load.clone();
        let module = loaded.map_err(message);
        let suggest = module.and_then(|m| {
            Reflect::get(&m, &JsValue::from_str("suggest"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or_else(|| "the suggestion rules' module has no suggest()".to_string())
        });
        match suggest {
            Ok(suggest) => {
                *state = State::Loaded(suggest);
                Ok(())
            }
            Err(why) => {
                *state = State::Unloaded(Some(load));
                Err(why)
            }
        }
    }

    /// Loads the rules once the page is quiet, three seconds or more after
    /// the mount, so the first Suggest finds them here. Not sooner, and
    /// not in a short idle period between frames: their download and
    /// compilation compete for the same cores as the reader's first tag
    /// (measured at 1 MB × 10,000 in place: the first add +61.6 ms over the
    /// reference with a prefetch a second after the mount, +19.8 ms
    /// without one). A page that is never quiet loads them on the first
    /// Suggest. A failure says nothing: the reader's own Suggest tries
    /// again and says why.
    pub fn prefetch(&self) {
        let rules = self.clone();
        gloo::timers::callback::Timeout::new(PREFETCH_AFTER_MS, move || {
            let Some(window) = web_sys::window() else { return };
            crate::idle::when_idle_for(
                window,
                || QUIET_MS,
                None,
                move || {
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = rules.load().await;
                    });
                },
            );
        })
        .forget();
    }
}

/// What a JavaScript error says.
fn message(error: JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => error.as_string().unwrap_or_else(|| "an unknown error".into()),
    }
}
