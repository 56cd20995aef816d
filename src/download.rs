//! Real file downloads: a Blob, an object URL and a click on an `<a
//! download>`, the way a browser saves a file a page made.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

pub fn save(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("the browser refused the download ({e:?})");
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("there is no document")?;
    let link: HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.dyn_into().map_err(|_| "no anchor element".to_string())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download holds its own reference to the blob once started.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
