//! The JavaScript API: `mount(element, options)` and the handle it returns.
//! Everything crossing to JavaScript is plain data: W3C annotation objects
//! made with `JSON.parse`, never HTML, never live Rust objects.

use crate::app::{EventKind, HostOp, Mirror, Msg, WidgetEvent};
use crate::clock;
use crate::exports;
use crate::widget::{self, Article, Options, Widget};
use js_sys::{Array, Function, JSON};
use marginalia_core::annotation::document_order;
use marginalia_core::annotator::{judge, judge_all, Given};
use marginalia_core::interchange::{self, Batch};
use marginalia_core::placement::{self, Report};
use marginalia_core::w3c::{self, Importer};
use marginalia_core::{Annotation, AnnotationId, Tag};
use marginalia_dom::options;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element};
use yew::Callback;

const EVENTS: [EventKind; 4] = [EventKind::Create, EventKind::Update, EventKind::Delete, EventKind::Select];

type Handlers = Rc<RefCell<Vec<(EventKind, Function)>>>;

/// A mounted widget, as JavaScript holds it.
///
/// The widget itself lives in [`LIVE`] until `destroy()`: wasm-bindgen frees
/// a handle's Rust side when JavaScript garbage-collects it, and a host that
/// mounts without keeping the handle (`mount(el)` in a script tag) must not
/// see the widget vanish at the next collection, with a selection or a save
/// under way.
#[wasm_bindgen]
pub struct Handle {
    widget: Rc<RefCell<Widget>>,
    mirror: Mirror,
    handlers: Handlers,
}

thread_local! {
    /// Every widget mounted through the JavaScript API and not destroyed.
    static LIVE: RefCell<Vec<Rc<RefCell<Widget>>>> = const { RefCell::new(Vec::new()) };
}

/// Turns `element` into an annotator. Options: `text`, `documentId`,
/// `tags` (`[{id, label, color}]`), `readOnly`, `panel`, `suggest`,
/// `ratings` (`[{id, label, value}]`), `organization` (`{name, url}`),
/// `sync` (`{url, database, credentials?: {username, password}}`; without
/// credentials the browser's cookie for the server is used).
/// `load_rules` (given by `marginalia.js`) loads the suggestion rules'
/// module and resolves to it; `highlight_sheet` is the first paint's
/// document sheet of the same options' `::highlight()` rules, taken over
/// (`marginalia.js` then lets the first paint go without it).
#[wasm_bindgen]
pub fn mount(
    element: &Element,
    options: JsValue,
    load_rules: Option<Function>,
    highlight_sheet: Option<web_sys::CssStyleSheet>,
) -> Result<Handle, JsError> {
    let options = options::read(&options).map_err(|e| JsError::new(&e))?;
    let article = options.text.map_or(Article::Host, Article::Text);
    let handlers: Handlers = Rc::default();
    let on_event = {
        let handlers = handlers.clone();
        let host = element.clone();
        Callback::from(move |event: WidgetEvent| announce(&host, &handlers, &event))
    };
    let options = Options {
        article,
        document_id: options.document_id,
        tags: options.tags,
        scale: options.scale.unwrap_or_default(),
        organization: options.organization,
        fact_check_url: options.fact_check_url,
        details: options.article,
        read_only: options.read_only,
        panel: options.panel,
        panel_open: options.panel_open,
        launcher: options.launcher,
        suggest: options.suggest,
        rules: load_rules.map_or(crate::rules::Source::Missing, crate::rules::Source::Module),
        highlight_sheet,
        sync: options.sync,
        on_event,
    };
    let widget = widget::mount(element, options).map_err(|e| JsError::new(&e))?;
    let mirror = widget.mirror().clone();
    let widget = Rc::new(RefCell::new(widget));
    LIVE.with(|live| live.borrow_mut().push(widget.clone()));
    Ok(Handle { widget, mirror, handlers })
}

/// Calls the handlers registered for the event and dispatches it on the
/// host element as `marginalia:<name>`.
fn announce(host: &Element, handlers: &Handlers, event: &WidgetEvent) {
    let detail = to_js(&w3c::to_w3c(&event.annotation, &w3c::source_iri(&event.document)));
    // Clone the list first: a handler may call on() or off().
    let matching: Vec<Function> =
        handlers.borrow().iter().filter(|(k, _)| *k == event.kind).map(|(_, f)| f.clone()).collect();
    for f in matching {
        // A host's handler that throws must not break the widget.
        if let Err(e) = f.call1(&JsValue::NULL, &detail) {
            web_sys::console::warn_2(&JsValue::from_str("Marginalia: an event handler threw"), &e);
        }
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(e) = CustomEvent::new_with_event_init_dict(&format!("marginalia:{}", event.kind.name()), &init) {
        let _ = host.dispatch_event(&e);
    }
}

/// A plain JavaScript value from JSON data.
fn to_js(value: &Value) -> JsValue {
    json_to_js(&value.to_string())
}

fn json_to_js(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::NULL)
}

fn kind_of(name: &str) -> Result<EventKind, JsError> {
    EVENTS
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| JsError::new(&format!("unknown event {name:?}: use create, update, delete or select")))
}

impl Handle {
    /// The one importer of the handle's calls: the widget's document, tags
    /// and rating scale, and the anchoring text built once per document.
    fn importing<R>(&self, now_ms: u64, f: impl FnOnce(&Importer) -> R) -> R {
        let (doc, tags, scale, text) = {
            let mut shared = self.mirror.0.borrow_mut();
            (shared.doc.clone(), shared.tags.clone(), shared.scale.clone(), shared.anchor_text())
        };
        f(&Importer::sharing(&doc, text, now_ms).with_tags(&tags).with_scale(&scale))
    }
}

#[wasm_bindgen]
impl Handle {
    /// The annotations as W3C Web Annotation objects: the drawn ones in
    /// document order, then the orphans (their text is not in the article
    /// now). All of them, so a page that keeps what this gives and sets it
    /// back later loses none.
    pub fn annotations(&self) -> JsValue {
        let shared = self.mirror.0.borrow();
        let source = w3c::source_iri(&shared.key);
        let orphans = shared.current_orphans();
        let items: Vec<Value> =
            shared.current().iter().chain(&orphans).map(|a| w3c::to_w3c_rated(a, &source, &shared.scale)).collect();
        to_js(&Value::Array(items))
    }

    /// The whole document's annotations as a file would hold them:
    /// `"w3c"` (the default) gives a W3C AnnotationCollection object,
    /// `"csv"` a CSV string (RFC 4180), `"claimreview"` an array of
    /// schema.org ClaimReview objects (one per checked claim), `"report"`
    /// the fact-check report as a Markdown string.
    pub fn export(&self, format: Option<String>) -> Result<JsValue, JsError> {
        let name = format.as_deref().unwrap_or("w3c");
        let format = exports::format_named(name).ok_or_else(|| {
            JsError::new(&format!(
                "unknown export format {name:?}: use \"w3c\", \"csv\", \"claimreview\", \"claimreview-markup\" or \"report\""
            ))
        })?;
        let shared = self.mirror.0.borrow();
        let all: Vec<_> = shared.current().iter().cloned().chain(shared.current_orphans()).collect();
        let sources = exports::Sources {
            key: &shared.key,
            doc: &shared.doc,
            annotations: &all,
            scale: &shared.scale,
            organization: shared.organization.as_deref(),
            details: &shared.details,
            fact_check_url: shared.fact_check_url.as_deref(),
            now_ms: clock::env().now_ms,
        };
        // A published format with nothing ready says why, as an error,
        // rather than give an empty list.
        let file = exports::make(format, &sources).map_err(|why| JsError::new(&why))?;
        Ok(match file.content {
            exports::Content::Json(value) => to_js(&value),
            exports::Content::Text(text) => JsValue::from_str(&text),
        })
    }

    /// Replaces every annotation with `list` (W3C objects, as `annotations()`
    /// gives), or with what a file's text holds (our CSV, as `export("csv")`
    /// gives, or a W3C file), read as Import annotations reads it. Each item
    /// is anchored by its selectors; the result says how many were accepted
    /// and which were refused, and why (a CSV's rows named by row).
    #[wasm_bindgen(js_name = setAnnotations)]
    pub fn set_annotations(&self, list: JsValue) -> Result<JsValue, JsError> {
        let now = clock::env().now_ms;
        let (results, refused_ids, mut report) = match given(&list)? {
            List::Array(json) => {
                // Parsed and anchored item by item (`w3c::import_array`).
                let imported = self.importing(now, |importer| {
                    clock::measured("marginalia:import", || w3c::import_array(&json, importer))
                });
                let imported = imported.map_err(|e| JsError::new(&e))?;
                let (results, ids): (Vec<_>, Vec<_>) = imported.into_iter().map(|i| (i.result, i.id)).unzip();
                let report = placement::report(&results);
                (results, ids, report)
            }
            List::File(batch) => {
                let results =
                    self.importing(now, |importer| clock::measured("marginalia:anchor", || batch.import(importer)));
                let mut report = placement::report(&results);
                batch.name_rows(&mut report);
                let id_of = |i: usize| batch.item(i)?.get("id")?.as_str().map(String::from);
                let ids = results.iter().enumerate().map(|(i, r)| r.as_ref().err().and_then(|_| id_of(i))).collect();
                (results, ids, report)
            }
        };
        // An orphan given back as annotations() gave it cannot anchor (its
        // text is gone): the one held with its id stays, an orphan, rather
        // than be deleted by the replacement.
        let orphans: Vec<(usize, Annotation)> = {
            let shared = self.mirror.0.borrow();
            let held = shared.current_orphans();
            (refused_ids.iter().enumerate())
                .filter_map(|(i, id)| {
                    let id = parse_id(id.as_deref()?)?;
                    Some((i, held.iter().find(|a| a.id == id)?.clone()))
                })
                .collect()
        };
        placement::keep_orphans(&mut report, orphans.iter().map(|(i, a)| (*i, a)));
        let given = results.into_iter().enumerate().filter_map(|(i, r)| Some((i, r.ok()?.0))).chain(orphans);
        // The mirror first, so annotations() answers at once; the widget
        // follows, judging each item by the same rule against the same state.
        {
            let mut shared = self.mirror.0.borrow_mut();
            let (kept, refused) = judge_all(|id| shared.find(id), given, now);
            placement::refuse(&mut report, &refused);
            let doc = shared.doc.clone();
            let (mut drawn, orphaned): (Vec<_>, Vec<_>) = kept.iter().cloned().partition(|a| a.is_anchored_in(&doc));
            drawn.sort_by(document_order);
            shared.annotations = Rc::new(drawn);
            shared.orphaned = Rc::new(orphaned);
            shared.incoming = Some(kept);
            // Single changes made before this replacement are replaced too.
            shared.ops.clear();
        }
        if let Some(app) = self.widget.borrow().app() {
            app.send_message(Msg::Replace);
        }
        Ok(answer(&report))
    }

    /// Adds one W3C annotation, anchored by its selectors. Answers as
    /// `setAnnotations` does for one item: `{ accepted: 1, refused: [] }`,
    /// or `accepted: 0` and the reason (not in the text, an id already
    /// here: use `updateAnnotation`). No event is fired: the page made it.
    #[wasm_bindgen(js_name = addAnnotation)]
    pub fn add_annotation(&self, item: JsValue) -> Result<JsValue, JsError> {
        self.put_one(item, false)
    }

    /// Replaces the annotation with the same id by this W3C annotation
    /// (its text, tag and note), anchored again; refused if no annotation
    /// has that id.
    #[wasm_bindgen(js_name = updateAnnotation)]
    pub fn update_annotation(&self, item: JsValue) -> Result<JsValue, JsError> {
        self.put_one(item, true)
    }

    /// Removes the annotation with this id (its W3C `id`, or the bare id);
    /// refused if there is none.
    #[wasm_bindgen(js_name = removeAnnotation)]
    pub fn remove_annotation(&self, id: &str) -> JsValue {
        let Some(id) = parse_id(id) else { return answer(&Report::refused_one("not an annotation id")) };
        let known = {
            let mut shared = self.mirror.0.borrow_mut();
            let known = shared.find(&id).is_some();
            if known {
                shared.ops.push(HostOp::Remove(id));
            }
            known
        };
        if !known {
            return answer(&Report::refused_one("no annotation has this id"));
        }
        if let Some(app) = self.widget.borrow().app() {
            app.send_message(Msg::Replace);
        }
        answer(&Report::done())
    }

    /// The annotation with this id as a W3C object, or `null`.
    #[wasm_bindgen(js_name = getAnnotation)]
    pub fn get_annotation(&self, id: &str) -> JsValue {
        let shared = self.mirror.0.borrow();
        let source = w3c::source_iri(&shared.key);
        parse_id(id)
            .and_then(|id| shared.find(&id))
            .map_or(JsValue::NULL, |a| to_js(&w3c::to_w3c_rated(&a, &source, &shared.scale)))
    }

    fn put_one(&self, item: JsValue, update: bool) -> Result<JsValue, JsError> {
        if !item.is_object() || Array::is_array(&item) {
            return Err(JsError::new("takes one W3C annotation object"));
        }
        let json = JSON::stringify(&item).map_err(|_| JsError::new("the annotation is not plain data"))?;
        let value: Value = serde_json::from_str(&String::from(json)).map_err(|e| JsError::new(&e.to_string()))?;
        let results = self.importing(clock::env().now_ms, |importer| importer.import_reported(&[value]));
        let placed = placement::report(&results);
        let a = match results.into_iter().next() {
            Some(Ok((a, _))) => a,
            _ => return Ok(answer(&placed)),
        };
        {
            let mut shared = self.mirror.0.borrow_mut();
            let held = shared.find(&a.id);
            if held.is_some() != update {
                let why = if update {
                    "no annotation has this id: use addAnnotation"
                } else {
                    "an annotation with this id is already here: use updateAnnotation"
                };
                return Ok(answer(&Report::refused_one(why)));
            }
            match judge(held.as_ref(), a, clock::env().now_ms) {
                // Pending until the widget takes it; the handle's reads see it at once.
                Given::New(a) | Given::Changed(a) => shared.ops.push(HostOp::Put(a)),
                Given::Same => return Ok(answer(&placed)),
                Given::Older(older) => return Ok(answer(&Report::refused_one(&older.to_string()))),
            }
        }
        if let Some(app) = self.widget.borrow().app() {
            app.send_message(Msg::Replace);
        }
        Ok(answer(&placed))
    }

    /// Loads the suggestion rules if need be (their own module), runs them,
    /// shows them as pending highlights, and resolves to them as W3C
    /// annotations created by Software, without accepting any. Rejects
    /// with the reason when the rules cannot load; the next call tries again.
    pub fn suggest(&self) -> js_sys::Promise {
        let (widget, mirror) = (self.widget.clone(), self.mirror.clone());
        let rules = self.widget.borrow().rules().clone();
        let refused = |why: String| JsValue::from(js_sys::Error::new(&why));
        wasm_bindgen_futures::future_to_promise(async move {
            rules.load().await.map_err(|why| refused(format!("the suggestion rules could not load: {why}")))?;
            // The article and annotations as they are once the rules are here.
            let (key, doc, annotations, rejected, tags) = {
                let shared = mirror.0.borrow();
                (shared.key.clone(), shared.doc.clone(), shared.current(), shared.rejected.clone(), shared.tags.clone())
            };
            let found = match rules.now(&doc) {
                Some(found) => found.map_err(|why| refused(format!("Suggest failed: {why}")))?,
                None => return Err(refused("the suggestion rules are not loaded".into())),
            };
            if let Some(app) = widget.borrow().app() {
                app.send_message(Msg::Suggest(Some(found.clone())));
            }
            let source = w3c::source_iri(&key);
            let found = crate::app::left_to_decide(found, &annotations, &rejected, &tags);
            let items: Vec<Value> = found
                .iter()
                .filter_map(|s| {
                    let tag = Tag::parse(s.kind.tag_id())?;
                    let id = AnnotationId::suggestion(&tag, s.span);
                    let mut a = marginalia_core::Annotation::new(&doc, id, s.span, tag, clock::env().now_ms);
                    a.suggested_because.clone_from(&s.note);
                    a.suggested = true;
                    Some(w3c::to_w3c(&a, &source))
                })
                .collect();
            Ok(to_js(&Value::Array(items)))
        })
    }

    /// Calls `handler(annotation)` on `create`, `update`, `delete` or `select`.
    pub fn on(&self, event: &str, handler: Function) -> Result<(), JsError> {
        let kind = kind_of(event)?;
        self.handlers.borrow_mut().push((kind, handler));
        Ok(())
    }

    pub fn off(&self, event: &str, handler: &Function) -> Result<(), JsError> {
        let kind = kind_of(event)?;
        self.handlers.borrow_mut().retain(|(k, f)| !(*k == kind && f == handler));
        Ok(())
    }

    /// The widget's own element: its panel, picker, popover and status are
    /// in its open shadow root (outside the article when mounted in place).
    #[wasm_bindgen(getter)]
    pub fn controls(&self) -> Element {
        self.widget.borrow().view().clone()
    }

    /// Unmounts: removes every highlight, listener, observer and element
    /// the widget added (in place), or restores the element's content.
    pub fn destroy(&mut self) {
        self.handlers.borrow_mut().clear();
        LIVE.with(|live| live.borrow_mut().retain(|w| !Rc::ptr_eq(w, &self.widget)));
        self.widget.borrow_mut().destroy();
    }
}

/// What `setAnnotations` was given: W3C objects, or a file's text.
/// What `setAnnotations` was given.
enum List {
    /// An array of W3C annotations, as JSON text.
    Array(String),
    /// A file's text, read.
    File(Batch),
}

fn given(list: &JsValue) -> Result<List, JsError> {
    if let Some(text) = list.as_string() {
        let read = clock::measured("marginalia:parse", || interchange::read_batch(text.as_bytes()));
        return read.map(List::File).map_err(|why| {
            JsError::new(&format!(
                "setAnnotations takes an array of W3C annotations, or a file's text (CSV or W3C); nothing was set: {why}"
            ))
        });
    }
    if !Array::is_array(list) {
        return Err(JsError::new("setAnnotations takes an array of W3C annotations, or a file's text (CSV or W3C)"));
    }
    let json = JSON::stringify(list).map_err(|_| JsError::new("the annotations are not plain data"))?;
    Ok(List::Array(String::from(json)))
}

/// An annotation id from a W3C `id` (`urn:marginalia:annotation:…`) or bare.
fn parse_id(id: &str) -> Option<AnnotationId> {
    AnnotationId::parse(id.strip_prefix("urn:marginalia:annotation:").unwrap_or(id))
}

/// An import report ([`placement::Report`]) as the page gets it.
fn answer(report: &Report) -> JsValue {
    json_to_js(&report.to_json())
}
