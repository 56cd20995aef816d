//! The localStorage adapter: the only code that reads or writes the
//! browser's storage. It owns keys under `marginalia:v1:` and nothing else:
//! it never clears storage and never enumerates or parses other keys.

use marginalia_core::codec::KEY_PREFIX;
use web_sys::Storage;

const PROBE_KEY: &str = "marginalia:v1:probe";

/// Where this page's annotations are kept.
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
