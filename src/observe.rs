//! Notices when the host changes its article after mount (late paragraphs,
//! a correction, a framework re-rendering it): a `MutationObserver` on the
//! subtree, debounced, so a burst of changes is read once.

use gloo::timers::callback::Timeout;
use js_sys::Array;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MutationObserver, MutationObserverInit};
use yew::Callback;

/// How long the article must be still before it is read again.
const QUIET_MS: u32 = 40;

/// Watches while alive; dropping it disconnects the observer.
pub struct Observer {
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(Array, MutationObserver)>,
    _pending: Rc<RefCell<Option<Timeout>>>,
}

impl Observer {
    /// Calls `on_change` once the subtree of `target` has changed and then
    /// stayed as it is for a moment.
    pub fn watch(target: &Element, on_change: Callback<()>) -> Option<Observer> {
        let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
        let later = pending.clone();
        let callback = Closure::<dyn FnMut(Array, MutationObserver)>::new(move |_: Array, _: MutationObserver| {
            let on_change = on_change.clone();
            *later.borrow_mut() = Some(Timeout::new(QUIET_MS, move || on_change.emit(())));
        });
        let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let init = MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        init.set_character_data(true);
        // What hides or shows text, or takes it out of the article.
        init.set_attributes(true);
        let filter = Array::of4(&"hidden".into(), &"style".into(), &"class".into(), &crate::text_map::SKIP_ATTR.into());
        init.set_attribute_filter(&filter);
        observer.observe_with_options(target, &init).ok()?;
        Some(Observer { observer, _callback: callback, _pending: pending })
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
