//! One request to the sync server: `fetch` with a deadline of our own (an
//! AbortController fired by a timer: some servers ignore a longpoll's
//! `timeout`), a cap on the reply's size (declared or not), and the
//! credentials the config names. Every failure is a value (the core's
//! `Answer`), never a panic.

use js_sys::Uint8Array;
use marginalia_core::sync::{Answer, Config, Credentials};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, Response};

/// The largest reply read: 1,000 documents at their size cap is far less;
/// a bigger body is a fault or an attack, not a reader's work.
pub const MAX_REPLY_BYTES: usize = 32 * 1024 * 1024;

/// `method` on `path` under the database (or the server root when `path`
/// starts with `/`), with a JSON `body`, answered within `deadline_ms`.
pub async fn request(config: &Config, method: &str, path: &str, body: Option<&Value>, deadline_ms: u32) -> Answer {
    let Some(window) = web_sys::window() else { return Answer::none("no window") };
    let url = match path.strip_prefix('/') {
        Some(root) => format!("{}/{root}", config.url),
        None => format!("{}/{path}", config.database_url()),
    };
    let init = RequestInit::new();
    init.set_method(method);
    let Ok(headers) = Headers::new() else { return Answer::none("no headers") };
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&body.to_string()));
    }
    match &config.credentials {
        Credentials::Cookie => init.set_credentials(RequestCredentials::Include),
        Credentials::Basic { .. } => init.set_credentials(RequestCredentials::Omit),
    }
    if let Some(authorization) = config.authorization() {
        let _ = headers.set("Authorization", &authorization);
    }
    init.set_headers(&headers);
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let fired = std::rc::Rc::new(std::cell::Cell::new(false));
    let abort = controller.map(|c| {
        let fired = fired.clone();
        gloo::timers::callback::Timeout::new(deadline_ms, move || {
            fired.set(true);
            c.abort();
        })
    });
    let mut reply = match JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await {
        Ok(r) => read(r).await,
        Err(e) => Answer::none(&failure(&e)),
    };
    drop(abort);
    reply.timed_out = fired.get() && reply.status == 0;
    if reply.status == 0 && !reply.timed_out {
        // The reader sees "Offline"; whoever runs the desk's server needs
        // the request and the browser's own words to find why.
        web_sys::console::warn_1(&format!("Marginalia sync: {method} {url}: {}", reply.reason()).into());
    }
    reply
}

/// The browser's words for a fetch that got no answer ("Failed to fetch",
/// an abort), or a plain "no answer".
fn failure(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "no answer".into())
}

async fn read(response: JsValue) -> Answer {
    let Ok(response) = response.dyn_into::<Response>() else { return Answer::none("not a response") };
    let status = response.status();
    let declared = response.headers().get("Content-Length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
    let body = if declared.is_some_and(|n| n > MAX_REPLY_BYTES) {
        Err(too_big())
    } else {
        match bytes(&response).await {
            Ok(b) => serde_json::from_slice(&b).map_err(|_| "the reply is not JSON".to_string()),
            Err(why) => Err(why),
        }
    };
    Answer { status, body, timed_out: false }
}

fn too_big() -> String {
    format!("the reply is larger than {} MB", MAX_REPLY_BYTES >> 20)
}

/// The body, read chunk by chunk and given up past the cap: a server that
/// declares no length (a chunked reply) cannot make the tab hold more.
async fn bytes(response: &Response) -> Result<Vec<u8>, String> {
    let unreadable = || "the reply could not be read".to_string();
    let Some(stream) = response.body() else { return Ok(Vec::new()) };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| unreadable())?;
        let field = |name: &str| js_sys::Reflect::get(&chunk, &JsValue::from_str(name)).ok();
        if field("done").and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(out);
        }
        let part: Uint8Array = field("value").and_then(|v| v.dyn_into().ok()).ok_or_else(unreadable)?;
        let (at, len) = (out.len(), part.length() as usize);
        if at + len > MAX_REPLY_BYTES {
            // Tells the server to stop sending, rather than reading on.
            let _ = reader.cancel();
            return Err(too_big());
        }
        out.resize(at + len, 0);
        part.copy_to(&mut out[at..]);
    }
}
