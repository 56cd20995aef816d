//! Work that waits for the browser to be idle long enough for it: a save
//! (`app/persist.rs`) and the suggestion rules' prefetch (`rules.rs`).
//! One loop for both: an idle period too short is passed over and the next
//! one asked for, until one is long enough or the work is due.

use crate::clock;
use wasm_bindgen::JsCast;

/// Runs `then` in the first idle period with at least `at_least()`
/// milliseconds left (asked again at each period: it may change while
/// waiting), or once `due` (a `performance.now()` time) has come, if given.
pub fn when_idle_for(
    window: web_sys::Window,
    at_least: impl Fn() -> f64 + 'static,
    due: Option<f64>,
    then: impl FnOnce() + 'static,
) {
    let options = web_sys::IdleRequestOptions::new();
    if let Some(due) = due {
        options.set_timeout((due - clock::now_ms()).max(1.0) as u32);
    }
    let again = window.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |deadline: web_sys::IdleDeadline| {
        let late = due.is_some_and(|due| deadline.did_timeout() || clock::now_ms() >= due);
        if late || deadline.time_remaining() >= at_least() {
            then();
        } else {
            when_idle_for(again, at_least, due, then);
        }
    });
    let _ = window.request_idle_callback_with_options(callback.unchecked_ref(), &options);
}
