//! The first paint: the one module a host page downloads to mount
//! Marginalia on its own article.
//!
//! Most readers of an article only read it. For them this module reads the
//! annotations saved for it (the core's storage codec; on the very text
//! they were saved on, so no anchoring) and, when there are some, the
//! article's text (`marginalia_dom::text_map`; else not before the first
//! selection: `article.rs`), paints them in place
//! (`marginalia_dom::paint`), and shows a launcher where the panel goes —
//! and nothing else: no Yew, no panel, no import, export, suggestions or
//! sync. The full annotator (the `marginalia` crate's module) is loaded by
//! `embed/marginalia.js` on the reader's first use: a selection in the
//! article, a click on a highlight, one of the article's keys, or the
//! launcher. This module then takes its paint and controls away
//! ([`FirstPaint::destroy`]) and the annotator mounts with the same options,
//! given the event that woke it to act on.
//!
//! Anything this module would have to tell the reader — a saved value it
//! cannot read, annotations that moved or were orphaned by an edit of the
//! article, storage it cannot open — and every option only the annotator
//! serves (`text`, `sync`, `suggest`) hands over at once
//! ([`FirstPaint::handover`] says why): the annotator says it, and decides what to
//! keep. So does a change that makes the paint stale: another tab saving
//! this article, or the host changing the article's text (the paint is
//! taken away at once; a change that leaves the text as it was is painted
//! again here). This module never writes storage.

mod article;
mod launcher;
mod wake;

use article::Article;
use js_sys::Function;
use marginalia_core::{codec, Annotation, Document, TagSet};
use marginalia_dom::observe::Observer;
use marginalia_dom::options::{self, MountOptions, PanelPlace};
use marginalia_dom::paint::Painter;
use marginalia_dom::sheet::HighlightSheet;
use marginalia_dom::text_map::TextMap;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element};

/// The first paint of one host element, as JavaScript holds it.
#[wasm_bindgen]
pub struct FirstPaint {
    stage: Option<Stage>,
    handover: Option<String>,
    painted: usize,
    /// Where it handed over at once: the notice of a failed load.
    notice: Option<Element>,
}

/// What is on the page while the first paint stands.
struct Stage {
    view: Element,
    sheet: HighlightSheet,
    painter: Rc<RefCell<Painter>>,
    once: wake::Once,
    _wake: wake::Listeners,
    _observer: Option<Observer>,
}

/// Paints `element`'s saved highlights in place, and calls `wake(event)`
/// once, on the first use (and `prefetch()` once a selection is being
/// made). Refuses what `mount` refuses, with its messages.
#[wasm_bindgen(js_name = firstPaint)]
pub fn first_paint(
    element: &Element,
    options: JsValue,
    wake: Function,
    prefetch: Option<Function>,
) -> Result<FirstPaint, JsError> {
    let options = options::read(&options).map_err(|e| JsError::new(&e))?;
    if let PanelPlace::In(el) = &options.panel {
        if element.contains(Some(el)) {
            return Err(JsError::new("the panel's element must not be inside the article"));
        }
    }
    if options.text.as_deref().is_some_and(|t| Document::from_text(t).is_empty()) {
        return Err(JsError::new("the article has no text to annotate"));
    }
    if let Some(why) = annotator_only(&options) {
        return Ok(FirstPaint::handing_over(why));
    }
    let document = element.owner_document().ok_or_else(|| JsError::new("the element is not in a document"))?;
    // Before anything is read from the page (`marginalia_dom::sheet`);
    // taken out again on the way out if nothing is painted.
    let sheet = HighlightSheet::adopt(&document, &options.tags).map_err(|e| JsError::new(&e))?;
    let article = Article::unread(element);
    let no_text = || JsError::new("the article has no text to annotate");
    // Without a documentId the key is the text's fingerprint: the map is
    // read now. With one, only if something is saved (`article.rs`).
    let key = match options.document_id.as_deref() {
        Some(id) => id.to_string(),
        None if article.with(|m| m.document().is_empty()) => return Err(no_text()),
        None => article.with(|m| codec::document_key(None, m.document())),
    };
    let stored = match stored(&key) {
        Ok(stored) => stored,
        Err(why) => return Ok(FirstPaint::handing_over(why)),
    };
    let saved = match stored {
        // Nothing to paint: the cheap check of the text, the map unread
        // (text all in hidden elements is the annotator's to refuse).
        None if element.text_content().unwrap_or_default().trim().is_empty() => return Err(no_text()),
        None => Vec::new(),
        Some(_) if article.with(|m| m.document().is_empty()) => return Err(no_text()),
        Some((raw, log)) => match article.with(|m| saved(&raw, log.as_deref(), &key, m.document())) {
            Ok(saved) => saved,
            Err(why) => return Ok(FirstPaint::handing_over(why)),
        },
    };
    let painted = saved.len();
    let stage = Stage::show(&document, article, sheet, &options, saved, &key, (wake, prefetch))
        .map_err(|e| JsError::new(&e))?;
    Ok(FirstPaint { stage: Some(stage), handover: None, painted, notice: None })
}

/// Why the annotator must mount at once, for an option only it serves.
fn annotator_only(options: &MountOptions) -> Option<&'static str> {
    if options.text.is_some() {
        Some("the article is given as text")
    } else if options.sync.is_some() {
        Some("the annotations sync with a server")
    } else if options.suggest {
        Some("suggestions were asked for")
    } else {
        None
    }
}

/// What storage holds for the article under `key`: its envelope and log,
/// or `None` when nothing at all; an error when it is for the annotator
/// to read or report.
fn stored(key: &str) -> Result<Option<(String, Option<String>)>, &'static str> {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or("the browser's storage cannot be opened")?;
    let read = |k: String| storage.get_item(&k).map_err(|_| "the browser's storage cannot be read");
    match (read(codec::annotations_key(key))?, read(codec::log_key(key))?) {
        (Some(raw), log) => Ok(Some((raw, log))),
        (None, None) => Ok(None),
        // A log without its envelope is the annotator's to read.
        (None, Some(_)) => Err("the saved annotations need the annotator"),
    }
}

/// The saved annotations of the article, all at their places; an error
/// when anything about them is for the annotator to report.
fn saved(raw: &str, log: Option<&str>, key: &str, doc: &Document) -> Result<Vec<Annotation>, &'static str> {
    // An older schema, a damaged value or item: the annotator migrates,
    // quarantines or reports it.
    let saved: codec::Marks = codec::read_saved(raw, log, key).ok_or("the saved annotations need the annotator")?;
    // Painted only on the very text they were saved on, each where its
    // quote still is: placing them in an edited text (anchoring, the
    // outline's diff) is the annotator's, which says what moved. A text
    // that changed could hold a quote's words at its old place by chance.
    if saved.fingerprint.as_deref() != Some(doc.fingerprint().as_str()) {
        return Err("the article changed since they were saved");
    }
    if !saved.annotations.iter().all(|a| a.is_anchored_in(doc)) {
        return Err("some saved annotations need checking");
    }
    Ok(saved.annotations.into_iter().map(codec::Mark::into_annotation).collect())
}

impl Stage {
    fn show(
        document: &web_sys::Document,
        article: Article,
        sheet: HighlightSheet,
        options: &MountOptions,
        saved: Vec<Annotation>,
        key: &str,
        (wake, prefetch): (Function, Option<Function>),
    ) -> Result<Stage, String> {
        let host = &article.host().clone();
        let view = launcher::view(document, &options.panel, &options.tags, saved.len())?;
        launcher::place(document, &view, options.launcher);
        let painter = Rc::new(RefCell::new(Painter::default()));
        let root = view.shadow_root();
        if !saved.is_empty() {
            article.with(|map| painter.borrow_mut().sync(map, &saved.iter().collect::<Vec<_>>(), root.as_ref()));
        }
        let spans = saved.iter().map(|a| a.span).collect();
        let once = wake::Once::new(wake);
        let first_use = once.clone();
        let prefetch = prefetch.map(wake::Once::new);
        let storage_keys = [codec::annotations_key(key), codec::log_key(key)];
        let mut listeners = wake::listen(&article, &view, spans, storage_keys, once.clone(), prefetch);
        // What lies under the fixed button moves with the page: its corner
        // is looked for again when a scroll ends or the window changes size.
        if let (None, PanelPlace::Side, Some(window)) = (options.launcher, &options.panel, web_sys::window()) {
            for kind in ["scrollend", "resize"] {
                let (document, view) = (document.clone(), view.clone());
                listeners.add(&window, kind, move |_| launcher::place(&document, &view, None));
            }
        }
        let paint = painter.clone();
        let observer = Observer::watch(host, move || {
            if saved.is_empty() {
                // Nothing painted to keep in place: the map, if read, is
                // read again when next needed.
                article.forget();
                return;
            }
            let next = TextMap::read(article.host());
            let mut paint = paint.borrow_mut();
            // The host's nodes may be new: the old ranges are over nodes
            // no longer in the article, or over other text.
            paint.clear();
            if article.with(|map| next.document() == map.document()) {
                paint.sync(&next, &saved.iter().collect::<Vec<_>>(), root.as_ref());
                article.set(next);
            } else {
                // The annotator places every annotation in the new text.
                once.fire(&JsValue::NULL);
            }
        });
        Ok(Stage { view, sheet, painter, once: first_use, _wake: listeners, _observer: observer })
    }
}

impl FirstPaint {
    fn handing_over(why: &str) -> FirstPaint {
        FirstPaint { stage: None, handover: Some(why.into()), painted: 0, notice: None }
    }
}

#[wasm_bindgen]
impl FirstPaint {
    /// Why the annotator must mount at once (nothing was painted), if so.
    #[wasm_bindgen(getter)]
    pub fn handover(&self) -> Option<String> {
        self.handover.clone()
    }

    /// How many highlights were painted.
    #[wasm_bindgen(getter)]
    pub fn painted(&self) -> usize {
        self.painted
    }

    /// The launcher's element (at the end of `<body>`, or in the host's
    /// panel element), while the first paint stands.
    #[wasm_bindgen(getter)]
    pub fn controls(&self) -> Option<Element> {
        self.stage.as_ref().map(|s| s.view.clone())
    }

    /// The document's sheet of `::highlight()` rules, for the annotator
    /// mounting with the same options to take over (`handOverSheet`).
    /// Adopting a sheet, or taking one out, restyles the whole page: a
    /// second sheet of the same rules, then the first taken out, was two
    /// such passes (~35 ms each on a 1 MB article).
    #[wasm_bindgen(getter, js_name = highlightSheet)]
    pub fn highlight_sheet(&self) -> Option<CssStyleSheet> {
        Some(self.stage.as_ref()?.sheet.sheet().clone())
    }

    /// The annotator took the sheet over: `destroy` leaves it adopted.
    #[wasm_bindgen(js_name = handOverSheet)]
    pub fn hand_over_sheet(&mut self) {
        if let Some(stage) = &mut self.stage {
            stage.sheet.hand_over();
        }
    }

    /// Says that the annotator is loading (when it takes a while).
    pub fn loading(&self) {
        if let Some(stage) = &self.stage {
            launcher::show_status(&stage.view, true, "Loading Marginalia…");
        }
    }

    /// Says why the annotator could not load. Where the first paint
    /// stands, its highlights stay and the reader's next use tries again;
    /// where it handed over at once, a notice of its own says it.
    pub fn failed(&mut self, why: &str) {
        if let Some(stage) = &self.stage {
            let text = format!("Marginalia could not load ({why}). It tries again at your next selection or click.");
            launcher::show_status(&stage.view, false, &text);
            stage.once.rearm();
            return;
        }
        if self.notice.is_none() {
            let document = web_sys::window().and_then(|w| w.document());
            self.notice = document.and_then(|d| launcher::view(&d, &PanelPlace::Hidden, &TagSet::standard(), 0).ok());
        }
        if let Some(notice) = &self.notice {
            launcher::show_status(notice, false, &format!("Marginalia could not load ({why})."));
        }
    }

    /// Takes away everything of the first paint: its highlights, its
    /// stylesheet (unless handed over to the annotator), its launcher and
    /// listeners. The host's article is as it was before `firstPaint`.
    pub fn destroy(&mut self) {
        if let Some(notice) = self.notice.take() {
            notice.remove();
        }
        let Some(stage) = self.stage.take() else { return };
        stage.painter.borrow_mut().clear();
        stage.view.remove();
    }
}
