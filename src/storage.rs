//! The localStorage adapter: the annotator's only code that reads or writes
//! the browser's storage (the first paint, `marginalia-first-paint`, reads
//! its document's key once at mount, and never writes). It owns keys under
//! `marginalia:v1:` and nothing else:
//! it never clears storage and never enumerates or parses other keys. It
//! also lets widgets on one page that show the same document hear each
//! other's saves.

use js_sys::JsString;
use marginalia_core::codec::{self, KEY_PREFIX};
use marginalia_core::session::{Put, Stored};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Storage;
use yew::Callback;

const PROBE_KEY: &str = "marginalia:v1:probe";

#[wasm_bindgen]
extern "C" {
    /// localStorage with its values left JavaScript strings: web-sys
    /// copies each into wasm (see `Store::known`).
    #[wasm_bindgen(js_name = Storage)]
    type Strings;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_js(this: &Strings, key: &str) -> Result<Option<JsString>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_js(this: &Strings, key: &str, value: &JsString) -> Result<(), JsValue>;
}

/// Where this page's annotations are kept.
#[derive(Clone)]
pub struct Store {
    storage: Option<Storage>,
    /// The value last read or written at each of an article's keys, as the
    /// browser gave or took it and as the session holds it. Every save
    /// reads the envelope and the log again to see whether another tab
    /// wrote: while storage holds the very value read or written last (the
    /// browser compares, `Object.is`), the session's copy is handed back,
    /// not copied into wasm again: 2.6 MB, ~15 ms of a save at 10,000
    /// annotations. Only ever a faster way to the value storage holds now.
    known: Rc<RefCell<Vec<Known>>>,
}

/// How many keys [`Store::known`] keeps: an article's envelope and log.
const KNOWN_KEYS: usize = 2;

/// One key's last value, as the browser has it and as the session does.
struct Known {
    key: String,
    js: JsString,
    value: Rc<String>,
}

impl Store {
    /// Opens localStorage and proves it works with a write, read and remove.
    /// Storage can be missing, throw on access (sandboxed frames, blocked
    /// cookies) or refuse writes; every one of these gives an in-memory store
    /// and the reason, which the page shows.
    pub fn open() -> (Store, Option<String>) {
        match probe() {
            Ok(storage) => (Store { storage: Some(storage), known: Rc::default() }, None),
            Err(why) => (Store { storage: None, known: Rc::default() }, Some(why)),
        }
    }

    pub fn is_available(&self) -> bool {
        self.storage.is_some()
    }

    pub fn read(&self, key: &str) -> Option<String> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        self.storage.as_ref()?.get_item(key).ok().flatten()
    }

    /// The storage to write `key` in (one of ours), if there is one.
    fn writable(&self, key: &str) -> Result<&Storage, String> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        self.storage.as_ref().ok_or_else(|| "storage is unavailable".into())
    }

    pub fn write(&self, key: &str, value: &str) -> Result<(), String> {
        let storage = self.writable(key)?;
        storage.set_item(key, value).map_err(|e| describe(&e))
    }

    /// What is stored of document key `document`'s annotations: the
    /// envelope and its log.
    pub fn stored(&self, document: &str) -> Stored {
        Stored { base: self.shared(&codec::annotations_key(document)), log: self.shared(&codec::log_key(document)) }
    }

    /// The value at `key`, shared with the last read or write of it while
    /// storage still holds that very value (see `known`).
    fn shared(&self, key: &str) -> Option<Rc<String>> {
        debug_assert!(key.starts_with(KEY_PREFIX));
        let Some(js) = self.storage.as_ref()?.unchecked_ref::<Strings>().get_js(key).ok().flatten() else {
            self.forget(key);
            return None;
        };
        let held = self
            .known
            .borrow()
            .iter()
            .find(|k| k.key == key && js_sys::Object::is(&k.js, &js))
            .map(|k| k.value.clone());
        if held.is_some() {
            return held;
        }
        let value = Rc::new(String::from(&js));
        self.remember(key, js, value.clone());
        Some(value)
    }

    /// `key`'s value from now on. Only an article's two keys are kept: the
    /// values of an article left (another one opened) are let go.
    fn remember(&self, key: &str, js: JsString, value: Rc<String>) {
        let mut known = self.known.borrow_mut();
        known.retain(|k| k.key != key);
        if known.len() >= KNOWN_KEYS {
            known.remove(0);
        }
        known.push(Known { key: key.to_string(), js, value });
    }

    fn forget(&self, key: &str) {
        self.known.borrow_mut().retain(|k| k.key != key);
    }

    /// The session's writes, in order: a value, or a key removed. The
    /// first that fails stops the rest (the session reads storage again).
    pub fn put(&self, puts: &[Put]) -> Result<(), String> {
        for put in puts {
            match &put.value {
                Some(value) => self.write_shared(&put.key, value)?,
                None => self.remove(&put.key)?,
            }
        }
        Ok(())
    }

    fn write_shared(&self, key: &str, value: &Rc<String>) -> Result<(), String> {
        let storage = self.writable(key)?;
        // Forgotten first: a write that fails may have left either value.
        self.forget(key);
        let js = JsString::from(value.as_str());
        storage.unchecked_ref::<Strings>().set_js(key, &js).map_err(|e| describe(&e))?;
        self.remember(key, js, value.clone());
        Ok(())
    }

    pub fn remove(&self, key: &str) -> Result<(), String> {
        let storage = self.writable(key)?;
        self.forget(key);
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

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const DOC: &str = "storage-test";

    fn fresh() -> (Store, Storage) {
        let (store, why) = Store::open();
        assert_eq!(why, None, "localStorage works in the test browser");
        let storage = store.storage.clone().expect("storage");
        for key in [codec::annotations_key(DOC), codec::log_key(DOC)] {
            storage.remove_item(&key).expect("remove");
        }
        (store, storage)
    }

    fn put(store: &Store, key: String, value: &str) -> Rc<String> {
        let value = Rc::new(value.to_string());
        store.put(&[Put { key, value: Some(value.clone()) }]).expect("written");
        value
    }

    fn same(a: &Option<Rc<String>>, b: &Rc<String>) -> bool {
        a.as_ref().is_some_and(|a| Rc::ptr_eq(a, b))
    }

    /// What is written, and then read while storage still holds it, is the
    /// session's own value, shared; what anyone else wrote meanwhile is read
    /// as it is, whatever this store read or wrote before.
    #[wasm_bindgen_test]
    fn a_read_shares_the_last_value_only_while_storage_holds_it() {
        let (store, storage) = fresh();
        let (base, log) = (codec::annotations_key(DOC), codec::log_key(DOC));
        assert_eq!(store.stored(DOC), Stored::default(), "nothing stored");

        let written = put(&store, base.clone(), "{\"envelope\":1}");
        let read = store.stored(DOC);
        assert!(same(&read.base, &written), "the written value, shared");
        assert!(same(&store.stored(DOC).base, &written), "and again, still shared");
        assert_eq!(read.log, None);

        // Another tab writes the key: its value, not the one written here.
        storage.set_item(&base, "{\"envelope\":2}").expect("set");
        let theirs = store.stored(DOC).base.expect("a value");
        assert_eq!(&*theirs, "{\"envelope\":2}");
        assert!(same(&store.stored(DOC).base, &theirs), "what was read last is shared in turn");

        // Written back with the very text held: equal, whoever wrote it.
        storage.set_item(&base, "{\"envelope\":2}").expect("set");
        assert_eq!(store.stored(DOC).base.as_deref().map(String::as_str), Some("{\"envelope\":2}"));

        // The log is its own key; removed by another tab, it is gone.
        let entry = put(&store, log.clone(), "header\nentry");
        assert!(same(&store.stored(DOC).log, &entry));
        storage.remove_item(&log).expect("remove");
        assert_eq!(store.stored(DOC).log, None);
        storage.set_item(&log, "header\nentry").expect("set");
        assert_eq!(
            store.stored(DOC).log.as_deref().map(String::as_str),
            Some("header\nentry"),
            "the same text, written again elsewhere"
        );

        // Removed here: nothing is read back.
        store.put(&[Put { key: base.clone(), value: None }]).expect("removed");
        assert_eq!(store.stored(DOC).base, None);
        storage.set_item(&base, "{\"envelope\":3}").expect("set");
        assert_eq!(store.stored(DOC).base.as_deref().map(String::as_str), Some("{\"envelope\":3}"));

        // Another article's keys read: no more than an article's two keys
        // are kept, and this one's still read as storage holds them.
        let other = codec::annotations_key("storage-test-other");
        storage.set_item(&other, "{\"other\":1}").expect("set");
        assert_eq!(store.stored("storage-test-other").base.as_deref().map(String::as_str), Some("{\"other\":1}"));
        assert_eq!(store.known.borrow().len(), KNOWN_KEYS);
        assert_eq!(store.stored(DOC).base.as_deref().map(String::as_str), Some("{\"envelope\":3}"));
        storage.remove_item(&other).expect("remove");
        fresh();
    }
}
