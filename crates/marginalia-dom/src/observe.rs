//! Notices when the host changes its article after mount (late paragraphs,
//! a correction, a framework re-rendering it): a `MutationObserver` on the
//! subtree, debounced, so a burst of changes is read once.

use js_sys::Array;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MutationObserver, MutationObserverInit};

/// How long the article must be still before it is read again.
const QUIET_MS: i32 = 40;

/// Watches while alive; dropping it disconnects the observer.
pub struct Observer {
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(Array, MutationObserver)>,
    _fire: Rc<Closure<dyn FnMut()>>,
    pending: Rc<Cell<Option<i32>>>,
}

impl Observer {
    /// Calls `on_change` once the subtree of `target` has changed and then
    /// stayed as it is for a moment.
    pub fn watch(target: &Element, on_change: impl Fn() + 'static) -> Option<Observer> {
        let window = web_sys::window()?;
        let pending: Rc<Cell<Option<i32>>> = Rc::default();
        let done = pending.clone();
        let fire = Rc::new(Closure::<dyn FnMut()>::new(move || {
            done.set(None);
            on_change();
        }));
        let (later, timer) = (pending.clone(), fire.clone());
        let callback = Closure::<dyn FnMut(Array, MutationObserver)>::new(move |_: Array, _: MutationObserver| {
            if let Some(id) = later.take() {
                window.clear_timeout_with_handle(id);
            }
            let f = timer.as_ref().as_ref().unchecked_ref();
            later.set(window.set_timeout_with_callback_and_timeout_and_arguments_0(f, QUIET_MS).ok());
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
        Some(Observer { observer, _callback: callback, _fire: fire, pending })
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
        if let (Some(id), Some(window)) = (self.pending.take(), web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}
