//! The localStorage adapter: the annotator's only code that reads or writes
//! the browser's storage (the first paint, `marginalia-first-paint`, reads
//! its document's key once at mount, and never writes). It owns keys under
//! `marginalia:v1:` and nothing else:
//! it never clears storage and never enumerates or parses other keys. It
//! also lets widgets on one page that show the same document hear each
//! other's saves.

use marginalia_core::codec::{self, KEY_PREFIX};
use marginalia_core::session::{Put, Stored};
use std::cell::{Cell, RefCell};
use web_sys::Storage;
use yew::Callback;

const PROBE_KEY: &str = "marginalia:v1:probe";

/// Where this page's annotations are kept.
#[derive(Clone)]
pub struct Store {
    storage: Option<Storage>,
}

impl Store {
    /// Opens localStorage and proves it works with a write, read and remove.
    /// Storage can be missing, throw on access (sandboxed frames, blocked
    /// cookies) or refuse writes; every one of these gives an in-memory store
    /// and the reason, which the page shows.
    pub fn open() -> (Store, Option<String>) {
        match probe() {
            Ok(storage) => (Store { storage: Some(storage) }, None),
            Err(why) => (Store { storage: None }, Some(why)),
        }
    }

    pub fn is_available(&self) -> bool {
        self.storage.is_some()
    }

    pub fn read(&self, key: &str) -> Option<String> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        self.storage.as_ref()?.get_item(key).ok().flatten()
    }

    pub fn write(&self, key: &str, value: &str) -> Result<(), String> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        let Some(storage) = &self.storage else {
            return Err("storage is unavailable".into());
        };
        storage.set_item(key, value).map_err(|e| describe(&e))
    }

    /// What is stored of document key `document`'s annotations: the
    /// envelope and its log.
    pub fn stored(&self, document: &str) -> Stored {
        Stored { base: self.read(&codec::annotations_key(document)), log: self.read(&codec::log_key(document)) }
    }

    /// The session's writes, in order: a value, or a key removed. The
    /// first that fails stops the rest (the session reads storage again).
    pub fn put(&self, puts: &[Put]) -> Result<(), String> {
        for put in puts {
            match &put.value {
                Some(value) => self.write(&put.key, value)?,
                None => self.remove(&put.key)?,
            }
        }
        Ok(())
    }

    pub fn remove(&self, key: &str) -> Result<(), String> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        let Some(storage) = &self.storage else {
            return Err("storage is unavailable".into());
        };
        storage.remove_item(key).map_err(|e| describe(&e))
    }
}

fn probe() -> Result<Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let storage = window
        .local_storage()
        .map_err(|e| format!("the browser refused access to storage ({})", describe(&e)))?
        .ok_or("this browser has no localStorage")?;
    storage.set_item(PROBE_KEY, "1").map_err(|e| format!("storage refused a write ({})", describe(&e)))?;
    let back = storage.get_item(PROBE_KEY).ok().flatten();
    let _ = storage.remove_item(PROBE_KEY);
    if back.as_deref() != Some("1") {
        return Err("storage did not keep a test value".into());
    }
    Ok(storage)
}

/// A short reason from a thrown JS value, naming a full store plainly.
fn describe(error: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    match error.dyn_ref::<web_sys::DomException>() {
        // Firefox before 2020 called it NS_ERROR_DOM_QUOTA_REACHED.
        Some(e) if e.name() == "QuotaExceededError" || e.name() == "NS_ERROR_DOM_QUOTA_REACHED" => {
            "storage is full".into()
        }
        Some(e) => format!("{}: {}", e.name(), e.message()),
        None => error.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}

thread_local! {
    /// Every mounted widget on this page and the key it shows. The `storage`
    /// event never fires in the page that wrote, so widgets on one page
    /// showing the same document tell each other here.
    static PEERS: RefCell<Vec<(u64, String, Callback<String>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_PEER: Cell<u64> = const { Cell::new(0) };
    /// The widget the reader used last: the one that answers Ctrl+Z.
    static LAST_ACTIVE: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The id of the widget the reader used last, if any.
pub fn last_active() -> Option<u64> {
    LAST_ACTIVE.with(Cell::get)
}

/// One widget's membership in [`PEERS`]; leaves when dropped.
pub struct Peer {
    id: u64,
}

impl Peer {
    /// Joins; `notify` receives the key another widget on this page saved.
    pub fn join(notify: Callback<String>) -> Peer {
        let id = NEXT_PEER.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        PEERS.with(|p| p.borrow_mut().push((id, String::new(), notify)));
        Peer { id }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// This widget is the one the reader is using.
    pub fn activate(&self) {
        LAST_ACTIVE.with(|a| a.set(Some(self.id)));
    }

    /// The storage key this widget shows from now on.
    pub fn watch(&self, key: String) {
        PEERS.with(|p| {
            if let Some(entry) = p.borrow_mut().iter_mut().find(|(id, _, _)| *id == self.id) {
                entry.1 = key;
            }
        });
    }

    /// Tells the other widgets showing `key` that it was just saved.
    pub fn announce(&self, key: &str) {
        let others: Vec<Callback<String>> = PEERS.with(|p| {
            p.borrow().iter().filter(|(id, k, _)| *id != self.id && k == key).map(|(_, _, cb)| cb.clone()).collect()
        });
        for notify in others {
            notify.emit(key.to_string());
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        PEERS.with(|p| p.borrow_mut().retain(|(id, _, _)| *id != self.id));
    }
}
