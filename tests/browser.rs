//! The annotator in a real browser (headless Chromium via wasm-bindgen-test):
//! selection mapping, tagging, overlap, storage and hostile text, driven
//! through the DOM the way a reader's browser would.
//!
//! Highlights are not elements: they are ranges in `CSS.highlights`, read
//! here through [`painted`]. A click on highlighted text is a click at a
//! real point over its characters ([`Mounted::click_at`]).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect};
use marginalia::app::SAMPLE_ARTICLE;
use marginalia::selection;
use marginalia::text_map::TextMap;
use marginalia::widget::{self, Article, Options, PanelPlace, Widget};
use marginalia_core::codec::{annotations_key, ARTICLE_KEY};
use marginalia_core::{Document, TagSet};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{
    AbstractRange, Element, HtmlElement, KeyboardEvent, KeyboardEventInit, MouseEvent, MouseEventInit, Node, Range,
    ShadowRoot,
};

wasm_bindgen_test_configure!(run_in_browser);

const ARTICLE: &str = "A headline 😀 here\nThe UK will join “most European nations” in 2025, officials said.\nשלום עולם and 東京 text\n<img src=x onerror=alert(1)> stays text";

/// The registry entry of the chosen highlight.
const ACTIVE: &str = "marginalia--active";

/// A widget mounted like the stand-alone page's, in a fresh element, with
/// storage cleared first; every test shares one page, so nothing may leak.
struct Mounted {
    host: Element,
    widget: Held,
}

/// A widget until it is destroyed, shared with [`LEFT`].
type Slot = Rc<RefCell<Option<Widget>>>;

/// A mounted widget, also known to [`LEFT`] until it is destroyed.
struct Held(Slot);

impl Held {
    fn shadow_root(&self) -> Option<ShadowRoot> {
        self.0.borrow().as_ref().and_then(Widget::shadow_root)
    }

    fn destroy(&mut self) {
        let widget = self.0.borrow_mut().take();
        if let Some(mut widget) = widget {
            widget.destroy();
        }
    }
}

thread_local! {
    /// The widgets mounted and not destroyed yet, with their hosts. A test
    /// that fails leaves its widget mounted (a panic does not unwind here),
    /// and a widget left behind would take part in the next test's saves
    /// and storage events: the next mount destroys it first. So a test
    /// mounts one widget at a time.
    static LEFT: RefCell<Vec<(Element, Slot)>> = const { RefCell::new(Vec::new()) };
}

/// Destroys the widgets failed tests left behind, and removes their hosts.
fn sweep() {
    for (host, widget) in LEFT.with(|left| std::mem::take(&mut *left.borrow_mut())) {
        if widget.borrow().is_some() {
            Held(widget).destroy();
            host.remove();
        }
    }
}

fn page_options(article: Option<&str>) -> Options {
    Options {
        article: Article::Page(article.unwrap_or(SAMPLE_ARTICLE).into()),
        document_id: None,
        tags: TagSet::standard(),
        scale: Default::default(),
        organization: None,
        fact_check_url: None,
        details: Default::default(),
        read_only: false,
        panel: PanelPlace::Side,
        panel_open: None,
        launcher: None,
        suggest: false,
        rules: marginalia::rules::Source::Linked(marginalia_suggest::suggest),
        highlight_sheet: None,
        sync: None,
        on_event: yew::Callback::noop(),
    }
}

fn new_host(markup: &str) -> Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").expect("div");
    // Test fixtures only: the widget itself never parses HTML.
    host.set_inner_html(markup);
    document.body().expect("body").append_child(&host).expect("append");
    host
}

/// `CSS.highlights`.
fn registry() -> JsValue {
    let css = Reflect::get(&js_sys::global(), &JsValue::from_str("CSS")).expect("CSS");
    Reflect::get(&css, &JsValue::from_str("highlights")).expect("CSS.highlights")
}

fn iterate(value: &JsValue) -> Vec<JsValue> {
    js_sys::try_iter(value).expect("iterable").expect("an iterable").map(|v| v.expect("an item")).collect()
}

/// Every registry entry: (name, Highlight).
fn entries() -> Vec<(String, JsValue)> {
    iterate(&registry())
        .into_iter()
        .map(|entry| {
            let entry: Array = entry.unchecked_into();
            (entry.get(0).as_string().expect("a name"), entry.get(1))
        })
        .collect()
}

/// A live range over a static range's boundary points.
fn live(range: &AbstractRange) -> Option<Range> {
    let live = gloo::utils::document().create_range().ok()?;
    live.set_start(&range.start_container(), range.start_offset()).ok()?;
    live.set_end(&range.end_container(), range.end_offset()).ok()?;
    Some(live)
}

/// The text a range covers, with `\n` between the paragraphs (`[data-para]`)
/// of `root` it crosses, as the document text has.
fn covered_text(root: &ShadowRoot, range: &Range) -> String {
    let paragraphs = root.query_selector_all("[data-para]").expect("valid selector");
    let mut parts = Vec::new();
    for i in 0..paragraphs.length() {
        let Some(para) = paragraphs.item(i) else { continue };
        if !range.intersects_node(&para).unwrap_or(false) {
            continue;
        }
        let part = gloo::utils::document().create_range().expect("range");
        part.select_node_contents(&para).expect("select");
        if range.compare_boundary_points(Range::START_TO_START, &part).expect("compare") > 0 {
            part.set_start(&range.start_container().expect("start"), range.start_offset().expect("offset"))
                .expect("start");
        }
        if range.compare_boundary_points(Range::END_TO_END, &part).expect("compare") < 0 {
            part.set_end(&range.end_container().expect("end"), range.end_offset().expect("offset")).expect("end");
        }
        let text = String::from(part.to_string());
        if !text.is_empty() {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        range.to_string().into()
    } else {
        parts.join("\n")
    }
}

/// The text of a range in the registry if it lies inside `root`.
fn range_text(root: &ShadowRoot, range: &JsValue) -> Option<String> {
    let range: &AbstractRange = range.unchecked_ref();
    let inside = root.contains(Some(&range.start_container())) && root.contains(Some(&range.end_container()));
    inside.then(|| live(range)).flatten().map(|r| covered_text(root, &r))
}

/// Every Marginalia range in `CSS.highlights` inside `root` (a widget's
/// shadow root): (entry name, covered text), in registry order.
fn painted(root: &ShadowRoot) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, highlight) in entries() {
        if !name.starts_with("marginalia-") {
            continue;
        }
        for range in iterate(&highlight) {
            if let Some(text) = range_text(root, &range) {
                out.push((name.clone(), text));
            }
        }
    }
    out
}

/// Records every `Highlight.add` and `Highlight.delete` call while it
/// lives (the painter's only way to change what is drawn).
struct Spy {
    log: Array,
    restore: Function,
}

impl Spy {
    fn new() -> Spy {
        let install = Function::new_with_args(
            "log",
            "const p = Highlight.prototype, add = p.add, del = p.delete;\
             p.add = function (r) { log.push(['add', this, r]); return add.call(this, r); };\
             p.delete = function (r) { log.push(['delete', this, r]); return del.call(this, r); };\
             return () => { p.add = add; p.delete = del; };",
        );
        let log = Array::new();
        let restore = install.call1(&JsValue::NULL, &log).expect("installed").unchecked_into();
        Spy { log, restore }
    }

    /// (operation, entry name, covered text) of every call on a range in
    /// `root`, leaving out the chosen highlight's entry.
    fn calls(&self, root: &ShadowRoot) -> Vec<(String, String, String)> {
        let names = entries();
        self.log
            .iter()
            .filter_map(|call| {
                let call: Array = call.unchecked_into();
                let op = call.get(0).as_string().unwrap_or_default();
                let this = call.get(1);
                let name = names
                    .iter()
                    .find(|(_, h)| Object::is(h, &this))
                    .map_or_else(|| "(not in the registry)".to_string(), |(n, _)| n.clone());
                let text = range_text(root, &call.get(2))?;
                (name != ACTIVE).then_some((op, name, text))
            })
            .collect()
    }
}

impl Drop for Spy {
    fn drop(&mut self) {
        let _ = self.restore.call0(&JsValue::NULL);
    }
}

/// The viewport point at the middle of code point `cp` of `map`, scrolled into view.
fn point_of(map: &TextMap, cp: usize) -> (i32, i32) {
    let (node, _) = map.to_dom(cp, false).expect("a text position");
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    node.parent_element().expect("paragraph").scroll_into_view_with_scroll_into_view_options(&options);
    let range = map.range(cp, cp + 1).expect("range");
    let rects = range.get_client_rects().expect("rects");
    let r = (0..rects.length()).filter_map(|i| rects.get(i)).find(|r| r.width() > 0.0).expect("a visible character");
    ((r.left() + r.width() / 2.0) as i32, (r.top() + r.height() / 2.0) as i32)
}

impl Mounted {
    async fn new(article: Option<&str>) -> Mounted {
        fresh_storage();
        Mounted::keep_storage(article).await
    }

    async fn keep_storage(article: Option<&str>) -> Mounted {
        Mounted::with(new_host(""), page_options(article)).await
    }

    async fn with(host: Element, options: Options) -> Mounted {
        sweep();
        let widget = Rc::new(RefCell::new(Some(widget::mount(&host, options).expect("mounts"))));
        LEFT.with(|left| left.borrow_mut().push((host.clone(), widget.clone())));
        yew::scheduler::flush().await;
        Mounted { host, widget: Held(widget) }
    }

    fn shadow(&self) -> ShadowRoot {
        self.widget.shadow_root().expect("an open shadow root")
    }

    fn article(&self) -> Element {
        self.one("article").expect("article element")
    }

    /// The map of the article as it is in the DOM now.
    fn map(&self) -> TextMap {
        TextMap::read(&self.article())
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.shadow().query_selector_all(selector).expect("valid selector");
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
    }

    fn one(&self, selector: &str) -> Option<Element> {
        self.shadow().query_selector(selector).expect("valid selector")
    }

    /// The widget's painted highlights (not the chosen one's entry): (entry, text).
    fn highlights(&self) -> Vec<(String, String)> {
        painted(&self.shadow()).into_iter().filter(|(name, _)| name != ACTIVE).collect()
    }

    /// The texts painted in entry `name`, in registry order.
    fn texts(&self, name: &str) -> Vec<String> {
        self.highlights().into_iter().filter(|(n, _)| n == name).map(|(_, t)| t).collect()
    }

    /// The text of the chosen highlight, if any.
    fn active(&self) -> Option<String> {
        let mut chosen: Vec<String> =
            painted(&self.shadow()).into_iter().filter(|(name, _)| name == ACTIVE).map(|(_, t)| t).collect();
        assert!(chosen.len() <= 1, "one chosen highlight at most: {chosen:?}");
        chosen.pop()
    }

    /// The text label over the highlights under the pointer or chosen.
    fn label(&self) -> Option<String> {
        self.one(".hl-label").map(|l| text(&l))
    }

    /// The popover's entries: (annotation id, tag label).
    fn popover_items(&self) -> Vec<(String, String)> {
        self.all(".popover-item")
            .iter()
            .map(|item| {
                let id = item.get_attribute("data-annotation-id").unwrap_or_default();
                let label = item.query_selector(".tag-label").ok().flatten().map(|l| text(&l)).unwrap_or_default();
                (id, label)
            })
            .collect()
    }

    /// Selects code points `[start, end)` as a reader's drag would, then
    /// releases the mouse over the article.
    async fn select(&self, doc: &Document, start: usize, end: usize) {
        let map = self.map();
        assert_eq!(map.document().text(), doc.text(), "the article shows the document");
        let range = map.range(start, end).expect("range");
        let sel = gloo::utils::window().get_selection().expect("selection api").expect("selection");
        sel.remove_all_ranges().expect("clear");
        sel.add_range(&range).expect("add range");
        let init = MouseEventInit::new();
        init.set_bubbles(true);
        let up = MouseEvent::new_with_mouse_event_init_dict("mouseup", &init).expect("event");
        self.article().dispatch_event(&up).expect("dispatch");
        yew::scheduler::flush().await;
    }

    /// A click (nothing selected) at the middle of code point `cp` of the article.
    async fn click_at(&self, cp: usize) {
        let (x, y) = point_of(&self.map(), cp);
        let sel = gloo::utils::window().get_selection().expect("selection api").expect("selection");
        sel.remove_all_ranges().expect("clear");
        let init = MouseEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_client_x(x);
        init.set_client_y(y);
        let click = MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
        self.article().dispatch_event(&click).expect("dispatch");
        yew::scheduler::flush().await;
    }

    /// The mouse moved over code point `cp` of the article.
    async fn hover_at(&self, cp: usize) {
        let (x, y) = point_of(&self.map(), cp);
        let init = Object::new();
        for (key, value) in [
            ("bubbles", JsValue::TRUE),
            ("pointerType", JsValue::from_str("mouse")),
            ("clientX", JsValue::from(x)),
            ("clientY", JsValue::from(y)),
        ] {
            Reflect::set(&init, &JsValue::from_str(key), &value).expect("set");
        }
        let constructor: Function =
            Reflect::get(&js_sys::global(), &JsValue::from_str("PointerEvent")).expect("PointerEvent").unchecked_into();
        let event = Reflect::construct(&constructor, &Array::of2(&JsValue::from_str("pointermove"), &init))
            .expect("event")
            .unchecked_into::<web_sys::Event>();
        self.article().dispatch_event(&event).expect("dispatch");
        yew::scheduler::flush().await;
    }

    async fn click(&self, selector: &str) {
        let el: HtmlElement = self.one(selector).expect(selector).dyn_into().expect("html element");
        el.click();
        yew::scheduler::flush().await;
    }

    async fn tag(&self, doc: &Document, start: usize, end: usize, tag: &str) {
        self.select(doc, start, end).await;
        self.click(&format!(".picker button[data-tag=\"{tag}\"]")).await;
    }

    /// Each paragraph element and its text node, in order.
    fn paragraph_nodes(&self) -> Vec<(Element, Node)> {
        self.all("[data-para]")
            .into_iter()
            .map(|p| {
                assert_eq!(p.child_nodes().length(), 1, "a paragraph holds one text node");
                let text = p.first_child().expect("text node");
                assert_eq!(text.node_type(), Node::TEXT_NODE);
                (p, text)
            })
            .collect()
    }

    async fn unmount(mut self) {
        self.widget.destroy();
        self.host.remove();
        yew::scheduler::flush().await;
    }
}

/// The very same paragraph elements and text nodes.
fn assert_same_nodes(before: &[(Element, Node)], after: &[(Element, Node)]) {
    assert_eq!(before.len(), after.len());
    for (i, ((b, bt), (a, at))) in before.iter().zip(after).enumerate() {
        assert!(b.is_same_node(Some(a)), "paragraph {i}'s element was replaced");
        assert!(bt.is_same_node(Some(at)), "paragraph {i}'s text node was replaced");
    }
}

/// Empty storage, with no widget of an earlier test left to write to it.
fn fresh_storage() {
    sweep();
    storage().clear().expect("clear storage");
}

fn storage() -> web_sys::Storage {
    gloo::utils::window().local_storage().expect("storage access").expect("storage")
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// A cancelable, bubbling keydown, as a real key press dispatches.
fn key_event(key: &str, ctrl: bool, shift: bool) -> KeyboardEvent {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event")
}

/// What storage holds under `key` once the widget's save has run: no
/// widget's element carries `data-marginalia-unsaved` (README: Saving).
/// A save waits for an idle moment (or half a second), so this asks every
/// 20 ms, for two seconds at most.
async fn saved(key: &str) -> Option<String> {
    let document = gloo::utils::document();
    for _ in 0..100 {
        yew::scheduler::flush().await;
        if document.query_selector("[data-marginalia-unsaved]").ok().flatten().is_none() {
            break;
        }
        let later = js_sys::Promise::new(&mut |resolve, _| {
            let _ = gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        });
        wasm_bindgen_futures::JsFuture::from(later).await.expect("a task");
    }
    stored(key)
}

/// What storage holds at the annotations key `key`: its envelope, and the
/// log beside it after a line break (a save writes what changed there).
fn stored(key: &str) -> Option<String> {
    let envelope = storage().get_item(key).expect("read")?;
    let document = key.strip_prefix(&annotations_key("")).expect("an annotations key");
    let log = storage().get_item(&marginalia_core::codec::log_key(document)).expect("read");
    Some(log.map_or_else(|| envelope.clone(), |log| format!("{envelope}\n{log}")))
}

async fn press(key: &str) {
    gloo::utils::window().dispatch_event(&key_event(key, false, false)).expect("dispatch");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn renders_the_article_as_text_never_html() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let paras = app.all("[data-para]");
    assert_eq!(paras.len(), 4);
    assert_eq!(paras[0].tag_name(), "H1");
    for (el, p) in paras.iter().zip(doc.paragraphs()) {
        assert_eq!(text(el), &**p.text());
    }
    // Each paragraph is one text node: nothing is ever added inside it.
    assert_eq!(app.paragraph_nodes().len(), 4);
    assert!(app.one("article img").is_none(), "HTML in the text must not become an element");
    assert_eq!(app.map().document().text(), doc.text());
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn the_sample_article_is_shown_by_default() {
    let app = Mounted::new(None).await;
    let headline = app.one("h1[data-para=\"0\"]").expect("headline");
    assert!(text(&headline).contains("flood barrier"), "{}", text(&headline));
    assert!(app.all("p[data-para]").len() >= 10);
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn selection_maps_to_code_points_across_emoji_and_scripts() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let map = app.map();
    assert_eq!(map.document().text(), doc.text());
    // Every pair of boundaries in the first and third paragraphs round-trips.
    for para in [0, 2] {
        let p = &doc.paragraphs()[para];
        for start in p.start()..p.end() {
            for end in [start + 1, p.end()] {
                let range = map.range(start, end).expect("range");
                assert_eq!(String::from(range.to_string()), doc.slice(start, end));
                let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
                sel.remove_all_ranges().expect("clear");
                sel.add_range(&range).expect("add");
                let picked = selection::current(&map).expect("selection inside article");
                assert_eq!((picked.start, picked.end), (start, end));
            }
        }
    }
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn tagging_a_span_paints_a_highlight_saves_and_counts() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let before = app.paragraph_nodes();
    let start = doc.paragraphs()[1].start() + 4; // "UK will join"
    app.select(&doc, start, start + 12).await;
    let buttons: Vec<String> = app.all(".picker button[data-tag]").iter().map(text).collect();
    assert_eq!(buttons, ["Claim1", "Quote2", "Caption3"]);
    app.click(".picker button[data-tag=\"claim\"]").await;

    assert!(app.one(".picker").is_none());
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "UK will join")]));
    // The new highlight is the chosen one, labelled in words.
    assert_eq!(app.active().as_deref(), Some("UK will join"));
    let label = app.one(".hl-label").expect("a text label");
    assert_eq!((text(&label).as_str(), label.get_attribute("data-tag").as_deref()), ("Claim", Some("claim")));
    assert!(!app.article().contains(Some(&label)), "the label is not in the article");
    let id = app
        .one(".annotation-list li")
        .and_then(|li| li.get_attribute("data-annotation-id"))
        .expect("the panel lists it");
    // The article's text and nodes are untouched by the highlight.
    assert_same_nodes(&before, &app.paragraph_nodes());
    assert_eq!(text(&app.all("[data-para]")[1]), &**doc.paragraphs()[1].text());
    assert_eq!(text(&app.one("[data-testid=counts]").expect("counts")), "1 claim · 0 quotes · 0 captions");
    let saved = saved(&annotations_key(doc.fingerprint().as_str())).await.expect("saved");
    assert!(
        saved.contains(&id) && saved.contains(&format!("\"schema\":{}", marginalia_core::codec::SCHEMA)),
        "{saved}"
    );
    assert_eq!(text(app.one(".status").as_ref().expect("status")), "Claim added");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn keys_pick_and_escape_cancels() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.select(&doc, p, p + 3).await;
    press("Escape").await;
    assert!(app.one(".picker").is_none());
    assert!(app.highlights().is_empty());
    app.select(&doc, p, p + 3).await;
    press("3").await;
    assert_eq!(app.highlights(), owned(&[("marginalia-caption", "The")]));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn whitespace_only_selection_shows_no_picker() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.select(&doc, p + 3, p + 4).await; // the space after "The"
    assert!(app.one(".picker").is_none());
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn overlapping_highlights_are_each_painted_and_each_is_editable() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p + 4, p + 20, "claim").await; // "UK will join “mo", 16 code points
    app.tag(&doc, p + 12, p + 30, "quote").await; // "join “most Europea", 18
    assert_eq!(
        app.highlights(),
        owned(&[("marginalia-claim", "UK will join “mo"), ("marginalia-quote", "join “most Europea")]),
        "each highlight is one range over its own text"
    );
    let ids: Vec<String> =
        app.all(".annotation-list li").iter().filter_map(|li| li.get_attribute("data-annotation-id")).collect();
    assert_eq!(ids.len(), 2);

    // The pointer over the overlap names both, smallest first.
    app.hover_at(p + 14).await;
    assert_eq!(app.label().as_deref(), Some("Claim · Quote"));
    assert!(app.article().class_list().contains("over-highlight"));
    app.hover_at(p + 25).await;
    assert_eq!(app.label().as_deref(), Some("Quote"));

    // Clicking the overlap offers both, smallest first; retag the claim, delete the quote.
    app.click_at(p + 14).await;
    let items = app.popover_items();
    assert_eq!(items, [(ids[0].clone(), "Claim".to_string()), (ids[1].clone(), "Quote".to_string())]);
    assert_eq!(app.active().as_deref(), Some("UK will join “mo"), "the clicked (smallest) one is chosen");
    app.click(".popover-item:first-of-type button[aria-pressed][data-tag=\"caption\"]").await;
    assert_eq!(app.texts("marginalia-caption"), ["UK will join “mo"]);
    assert!(app.texts("marginalia-claim").is_empty());
    app.click(".popover-item:last-of-type button.delete").await;
    assert_eq!(app.highlights(), owned(&[("marginalia-caption", "UK will join “mo")]));
    assert_eq!(text(&app.one("[data-testid=counts]").expect("counts")), "0 claims · 0 quotes · 1 caption");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_selection_across_paragraphs_highlights_both() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let start = doc.paragraphs()[1].end() - 5;
    let end = doc.paragraphs()[2].start() + 4;
    app.tag(&doc, start, end, "quote").await;
    assert_eq!(app.highlights(), owned(&[("marginalia-quote", "said.\nשלום")]));
    let item = app.one(".annotation-list li").expect("panel item");
    assert!(text(&item).contains("said.\nשלום"), "{}", text(&item));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn annotations_and_the_loaded_article_survive_a_remount() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[2].start();
    app.tag(&doc, p, p + 4, "quote").await;
    let id = app.one(".annotation-list li").and_then(|li| li.get_attribute("data-annotation-id")).expect("id");
    app.unmount().await;

    let again = Mounted::keep_storage(Some(ARTICLE)).await;
    assert_eq!(again.highlights(), owned(&[("marginalia-quote", "שלום")]));
    assert!(again.one(&format!(".annotation-list li[data-annotation-id=\"{id}\"]")).is_some(), "the same annotation");
    again.unmount().await;
}

#[wasm_bindgen_test]
async fn pasted_article_is_restored_and_keeps_its_own_annotations() {
    let app = Mounted::new(Some(ARTICLE)).await;
    app.click(".loader button[aria-expanded]").await;
    let area: web_sys::HtmlTextAreaElement = app.one("#paste-text").expect("textarea").dyn_into().expect("textarea");
    area.set_value("Second article\nIt has 3 paragraphs.\nThe last one.");
    app.click(".paste-form button[type=submit]").await;
    assert_eq!(text(&app.one("h1").expect("headline")), "Second article");
    assert!(storage().get_item(ARTICLE_KEY).expect("read").is_some());
    app.unmount().await;

    // Reload: the pasted article is back, not the default one.
    let again = Mounted::keep_storage(Some(ARTICLE)).await;
    assert_eq!(text(&again.one("h1").expect("headline")), "Second article");
    again.unmount().await;
}

#[wasm_bindgen_test]
async fn damaged_saved_data_is_reported_and_kept_aside() {
    fresh_storage();
    let doc = Document::from_text(ARTICLE);
    let key = annotations_key(doc.fingerprint().as_str());
    storage().set_item(&key, "{not json").expect("write");
    let app = Mounted::keep_storage(Some(ARTICLE)).await;
    let alert = text(&app.one(".banner.error").expect("a visible error"));
    assert!(alert.contains("could not be read"), "{alert}");
    // The banner names the quarantine key: <key>:corrupt:<timestamp>.
    let backup = alert.split('“').nth(1).and_then(|rest| rest.split('”').next()).expect("a key in the message");
    assert!(backup.starts_with(&format!("{key}:corrupt:")), "{backup}");
    assert_eq!(storage().get_item(backup).expect("read").as_deref(), Some("{not json"));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn newer_saved_data_is_shown_read_only_and_never_overwritten() {
    fresh_storage();
    let doc = Document::from_text(ARTICLE);
    let fp = doc.fingerprint().to_string();
    let key = annotations_key(&fp);
    let p = doc.paragraphs()[1].start();
    let future = format!(
        r#"{{"schema":9,"document":"{fp}","annotations":[{{"id":"a-future","span":{{"start":{},"end":{}}},"tag":"claim","quote":{{"exact":"The","prefix":"","suffix":""}},"created":1,"updated":1,"fromTheFuture":true}}],"somethingNew":[]}}"#,
        p,
        p + 3
    );
    storage().set_item(&key, &future).expect("write");
    let app = Mounted::keep_storage(Some(ARTICLE)).await;
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "The")]), "what can be read is shown");
    assert!(app.one(".annotation-list li[data-annotation-id=\"a-future\"]").is_some());
    let note = text(&app.one(".banner.warning").expect("a notice"));
    assert!(note.contains("newer version"), "{note}");
    app.select(&doc, p + 4, p + 6).await;
    assert!(app.one(".picker").is_none(), "read-only: no picker");
    assert_eq!(storage().get_item(&key).expect("read"), Some(future));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_change_not_yet_saved_is_written_when_the_page_is_hidden_or_left() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let key = annotations_key(doc.fingerprint().as_str());
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p, p + 3, "claim").await;
    // The save waits for the frame to be painted; leaving cannot wait.
    assert!(storage().get_item(&key).expect("read").is_none(), "not saved before the frame");
    gloo::utils::window().dispatch_event(&web_sys::Event::new("pagehide").expect("event")).expect("dispatch");
    yew::scheduler::flush().await;
    let stored = storage().get_item(&key).expect("read").expect("saved on pagehide");
    assert!(stored.contains("\"tag\":\"claim\""), "{stored}");
    // Unmounting with a change pending writes it too.
    app.tag(&doc, p + 4, p + 8, "quote").await;
    app.unmount().await;
    let stored = crate::stored(&key).expect("saved");
    assert!(stored.contains("\"tag\":\"quote\""), "{stored}");
}

#[wasm_bindgen_test]
async fn a_long_article_is_painted_in_chunks_and_an_edit_stays_in_its_chunk() {
    let article: String = (0..300).map(|i| format!("Paragraph {i} of a long story.\n")).collect();
    let app = Mounted::new(Some(&article)).await;
    let doc = Document::from_text(&article);
    let chunks = app.all(".article > .chunk");
    assert_eq!(chunks.len(), 300_usize.div_ceil(64));
    let per_chunk: Vec<u32> =
        chunks.iter().map(|c| c.query_selector_all("[data-para]").map(|l| l.length()).unwrap_or(0)).collect();
    assert_eq!(per_chunk, [64, 64, 64, 64, 44]);
    // The chunks add no text: the article reads exactly as its paragraphs.
    let all: String = app.all("[data-para]").iter().map(text).collect::<Vec<_>>().join("\n");
    assert_eq!(all, doc.text());
    assert_eq!(app.map().document().text(), doc.text());
    let before = app.paragraph_nodes();
    let p = doc.paragraphs()[200].start();
    // On screen, as a reader's selection is: the browser draws its chunk.
    in_view(&app.paragraph_nodes()[200].0).await;
    let spy = Spy::new();
    app.tag(&doc, p, p + 9, "claim").await;
    let calls = spy.calls(&app.shadow());
    drop(spy);
    let after = app.paragraph_nodes();
    assert_same_nodes(&before, &after);
    assert!(after[200].0.parent_element().is_some_and(|c| c.is_same_node(Some(&chunks[3]))), "in its own chunk");
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "Paragraph")]));
    assert_eq!(calls, [("add".to_string(), "marginalia-claim".to_string(), "Paragraph".to_string())]);
    let painted =
        entries().into_iter().find(|(n, _)| n == "marginalia-claim").map(|(_, h)| iterate(&h)).expect("entry");
    let range: &AbstractRange =
        painted.iter().find(|r| range_text(&app.shadow(), r).is_some()).expect("ours").unchecked_ref();
    assert!(range.start_container().is_same_node(Some(&after[200].1)), "over paragraph 200's text");
    app.unmount().await;
}

/// Only the chunks the browser draws have their highlights painted (the
/// rest are off screen, skipped by `content-visibility`): each is painted
/// as it comes near the screen, and taken away when it leaves.
#[wasm_bindgen_test]
async fn a_long_article_paints_the_highlights_of_the_chunks_on_screen() {
    let article: String = (0..300).map(|i| format!("Paragraph {i} of a long story.\n")).collect();
    let app = Mounted::new(Some(&article)).await;
    let doc = Document::from_text(&article);
    let para = |i: usize| app.paragraph_nodes()[i].0.clone();
    let at = |i: usize| doc.paragraphs()[i].start();
    for (i, tag) in [(10, "quote"), (200, "claim")] {
        in_view(&para(i)).await;
        app.tag(&doc, at(i), at(i) + 9, tag).await;
    }
    let both = owned(&[("marginalia-quote", "Paragraph"), ("marginalia-claim", "Paragraph")]);
    assert_eq!(app.highlights(), both);
    // Back at the top, nothing selected: paragraph 200's chunk is skipped,
    // and its claim is not painted; the panel still lists both.
    let sel = gloo::utils::window().get_selection().expect("selection api").expect("selection");
    sel.remove_all_ranges().expect("clear");
    in_view(&para(0)).await;
    assert_eq!(app.highlights(), owned(&[("marginalia-quote", "Paragraph")]));
    assert_eq!(app.all(".annotation-list li").len(), 2);
    // A printed page draws every chunk: all are painted for the print.
    let window = gloo::utils::window();
    for (event, painted) in [("beforeprint", 2), ("afterprint", 1)] {
        window.dispatch_event(&web_sys::Event::new(event).expect("event")).expect("dispatch");
        in_view(&para(0)).await;
        assert_eq!(app.highlights().len(), painted, "after {event}");
    }
    // Scrolled back to it: painted again, over paragraph 200's text.
    in_view(&para(200)).await;
    let mut shown = app.highlights();
    shown.sort();
    let mut want = both.clone();
    want.sort();
    assert_eq!(shown, want);
    app.unmount().await;
}

/// Scrolls `element` to the middle of the window and waits four frames,
/// and the work they queued: the browser has drawn the chunks near it (and
/// stopped drawing the others) and said so. It decides which to draw in
/// the first frame after the scroll and says so in the next; the repaint
/// follows (three frames were enough in Chromium 156: four leave room).
async fn in_view(element: &Element) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
    for _ in 0..4 {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = gloo::utils::window().request_animation_frame(&resolve);
        });
        wasm_bindgen_futures::JsFuture::from(frame).await.expect("a frame");
    }
    // The chunks' events queue a repaint as a microtask, and a task later.
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback(&resolve);
    });
    wasm_bindgen_futures::JsFuture::from(tick).await.expect("a task");
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn an_edit_changes_only_the_highlight_it_touches() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let before = app.paragraph_nodes();
    let p = doc.paragraphs()[1].start();
    let spy = Spy::new();
    app.tag(&doc, p, p + 3, "claim").await;
    assert_eq!(
        spy.calls(&app.shadow()),
        [("add".to_string(), "marginalia-claim".to_string(), "The".to_string())],
        "one range added, nothing else repainted"
    );
    drop(spy);
    let spy = Spy::new();
    app.tag(&doc, p + 4, p + 6, "quote").await;
    assert_eq!(spy.calls(&app.shadow()), [("add".to_string(), "marginalia-quote".to_string(), "UK".to_string())]);
    drop(spy);
    // Retagging moves that one range to its new entry; the claim stays put.
    let spy = Spy::new();
    app.click_at(p + 5).await;
    app.click(".popover-item:first-of-type button[aria-pressed][data-tag=\"caption\"]").await;
    assert_eq!(
        spy.calls(&app.shadow()),
        [
            ("delete".to_string(), "marginalia-quote".to_string(), "UK".to_string()),
            ("add".to_string(), "marginalia-caption".to_string(), "UK".to_string()),
        ]
    );
    drop(spy);
    let spy = Spy::new();
    app.click(".popover-item:first-of-type button.delete").await;
    assert_eq!(spy.calls(&app.shadow()), [("delete".to_string(), "marginalia-caption".to_string(), "UK".to_string())]);
    drop(spy);
    assert_same_nodes(&before, &app.paragraph_nodes());
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "The")]));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_selection_reaching_outside_the_article_is_clamped_to_it() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let map = app.map();
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    let inside = map.range(0, 5).expect("range");
    // From the toolbar above the article (in the same shadow root) to the
    // fifth code point of the headline.
    let range = gloo::utils::document().create_range().expect("range");
    let brand = app.one(".brand").and_then(|b| b.first_child()).expect("toolbar text");
    range.set_start(&brand, 2).expect("start");
    range.set_end(&inside.end_container().expect("node"), inside.end_offset().expect("offset")).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&map).expect("touches the article");
    assert_eq!((picked.start, picked.end), (0, 5));
    // From inside the last paragraph to the status line after the article.
    let last = doc.paragraphs().last().expect("paragraph");
    let inside = map.range(last.start() + 2, last.start() + 3).expect("range");
    let range = gloo::utils::document().create_range().expect("range");
    range.set_start(&inside.start_container().expect("node"), inside.start_offset().expect("offset")).expect("start");
    range.set_end(&app.one(".status").expect("status"), 0).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&map).expect("touches the article");
    assert_eq!((picked.start, picked.end), (last.start() + 2, doc.len()));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_selection_from_the_host_page_into_the_shadow_root_is_clamped() {
    fresh_storage();
    let before = new_host("<p id=outside>Text of the host page</p>");
    let app = Mounted::keep_storage(Some(ARTICLE)).await;
    let map = app.map();
    let inside = map.range(3, 9).expect("range");
    let outside = before.query_selector("#outside").ok().flatten().and_then(|p| p.first_child()).expect("text");
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    sel.remove_all_ranges().expect("clear");
    sel.set_base_and_extent(&outside, 4, &inside.end_container().expect("node"), inside.end_offset().expect("offset"))
        .expect("a selection across the shadow boundary");
    let picked = selection::current(&map).expect("touches the article");
    assert_eq!((picked.start, picked.end), (0, 9));
    app.unmount().await;
    before.remove();
}

#[wasm_bindgen_test]
async fn mapping_counts_code_points_across_nested_inline_elements() {
    // A paragraph whose text spans several text nodes inside <a>, <em> and
    // around a <br>, with an emoji: the <br> counts as a space.
    let host = new_host(
        "<article><p data-para=\"0\">Hi <a href=\"#x\">big <em>wide 😀</em> web</a><br>and <b>more</b></p></article>",
    );
    let article = host.query_selector("article").ok().flatten().expect("article");
    let map = TextMap::read(&article);
    let doc = map.document();
    assert_eq!(doc.text(), "Hi big wide 😀 web and more");
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    let len = doc.len();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>();
    for start in 0..len {
        for end in start + 1..=len {
            let range = map.range(start, end).expect("range");
            sel.remove_all_ranges().expect("clear");
            sel.add_range(&range).expect("add");
            let slice = doc.slice(start, end);
            let picked = selection::current(&map).expect("inside");
            assert_eq!((picked.start, picked.end), (start, end), "{slice:?}");
            // The DOM range holds the same characters (a <br> holds none).
            assert_eq!(squeeze(&String::from(range.to_string())), squeeze(&slice), "{slice:?}");
        }
    }
    // A boundary given as (element, child index) rather than inside a text node.
    let em = article.query_selector("em").ok().flatten().expect("em");
    let range = gloo::utils::document().create_range().expect("range");
    range.set_start(&em, 0).expect("start");
    range.set_end(&article.query_selector("b").ok().flatten().expect("b"), 1).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&map).expect("inside");
    assert_eq!(doc.slice(picked.start, picked.end), "wide 😀 web and more");
    host.remove();
}

#[wasm_bindgen_test]
async fn mounting_in_place_reads_the_hosts_blocks_paints_over_them_and_changes_nothing() {
    storage().clear().expect("clear");
    let markup = "<h2>A <em>host</em> headline</h2><p>First line<br>second line with <a href=\"#\">a link</a>.</p>\
                  <figure><img alt=\"\"><figcaption>Pictured: a caption</figcaption></figure><ul><li><p>Item</p></li></ul>";
    let host = new_host(markup);
    let before = host.inner_html();
    let nodes = |host: &Element| {
        let all = host.query_selector_all("*").expect("selector");
        (0..all.length()).filter_map(|i| all.item(i)).collect::<Vec<Node>>()
    };
    let original = nodes(&host);
    let options = Options { article: Article::Host, document_id: Some("story-1".into()), ..page_options(None) };
    let app = Mounted::with(host.clone(), options).await;
    let shadow = app.shadow();
    // Read in place: the document text, by the documented rule.
    let doc = app.widget.0.borrow().as_ref().map(|w| w.mirror().0.borrow().doc.clone()).expect("mounted");
    assert_eq!(doc.text(), "A host headline\nFirst line second line with a link.\nPictured: a caption\nItem");
    assert!(shadow.query_selector("article").expect("selector").is_none(), "no copy of the article");
    assert!(shadow.query_selector(".toolbar").expect("selector").is_none(), "no Open/Paste controls in an embed");
    assert!(!host.contains(shadow.host().dyn_ref::<Node>()), "the controls are outside the article");
    // Tag the words around the link: the selection is of the host's own text.
    let map = TextMap::read(&host);
    let at = doc.text().find("with a link.").expect("in the text");
    let start = doc.text()[..at].chars().count();
    let end = start + "with a link.".chars().count();
    let sel = gloo::utils::window().get_selection().expect("selection api").expect("selection");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&map.range(start, end).expect("range")).expect("add range");
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    host.dispatch_event(&MouseEvent::new_with_mouse_event_init_dict("mouseup", &init).expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    let button: HtmlElement = shadow
        .query_selector(".picker button[data-tag=\"quote\"]")
        .expect("selector")
        .expect("the picker, in the widget's own shadow root")
        .dyn_into()
        .expect("html");
    button.click();
    yew::scheduler::flush().await;
    let quotes: Vec<String> = entries()
        .into_iter()
        .filter(|(name, _)| name == "marginalia-quote")
        .flat_map(|(_, h)| iterate(&h))
        .filter_map(|r| live(r.unchecked_ref()))
        .filter(|r| r.start_container().is_ok_and(|c| host.contains(Some(&c))))
        .map(|r| String::from(r.to_string()))
        .collect();
    assert_eq!(quotes, ["with a link."], "painted over the host's own text nodes");
    assert!(saved(&annotations_key("story-1")).await.is_some(), "saved under the document id");
    // Nothing of the host changed, while mounted and after destroy.
    assert_eq!(host.inner_html(), before);
    assert_eq!(nodes(&host), original, "the very same nodes");
    let Mounted { host, mut widget } = app;
    widget.destroy();
    assert_eq!(host.inner_html(), before);
    assert_eq!(nodes(&host), original);
    assert!(entries().iter().all(|(name, h)| !name.starts_with("marginalia-") || iterate(h).is_empty()));
    host.remove();
}

fn press_with(key: &str, ctrl: bool, shift: bool) -> KeyboardEvent {
    let e = key_event(key, ctrl, shift);
    gloo::utils::window().dispatch_event(&e).expect("dispatch");
    e
}

#[wasm_bindgen_test]
async fn a_note_is_saved_shown_as_plain_text_and_undone() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p + 4, p + 16, "claim").await;
    app.click_at(p + 6).await;
    // The note is in the editor the popover's Edit opens.
    app.click(".popover button.edit").await;
    assert!(app.one(".popover").is_none(), "the popover gives way to the editor");
    let area: web_sys::HtmlTextAreaElement =
        app.one(".editor .note-editor textarea").expect("note field").dyn_into().expect("textarea");
    area.set_value("<b>Check</b> the 2025 date");
    app.click(".note-editor button[type=submit]").await;
    let note = app.one(".panel-note").expect("note in the panel");
    assert_eq!(text(&note), "<b>Check</b> the 2025 date");
    assert!(app.one(".panel b").is_none(), "a note is never HTML");
    let saved = saved(&annotations_key(doc.fingerprint().as_str())).await.expect("saved");
    assert!(saved.contains("\"note\":\"<b>Check</b> the 2025 date\""), "{saved}");
    assert_eq!(text(&app.one(".status").expect("status")), "Note saved");

    app.click(".history button:first-child").await; // Undo
    assert_eq!(text(&app.one(".status").expect("status")), "Undone: Note saved");
    assert!(app.one(".panel-note").is_none());
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn ctrl_z_undoes_and_ctrl_shift_z_redoes_in_the_widget_last_used() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p, p + 3, "claim").await; // "The"
    app.tag(&doc, p + 4, p + 6, "quote").await; // "UK"
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "The"), ("marginalia-quote", "UK")]));
    let e = press_with("z", true, false);
    yew::scheduler::flush().await;
    assert!(e.default_prevented(), "the page's own undo does not also run");
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "The")]));
    press_with("z", true, false);
    yew::scheduler::flush().await;
    assert!(app.highlights().is_empty());
    press_with("Z", true, true);
    yew::scheduler::flush().await;
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "The")]));
    // The redo button is still enabled for the quote; undo is too.
    let buttons = app.all(".history button");
    assert!(buttons.iter().all(|b| b.get_attribute("aria-disabled").as_deref() == Some("false")));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn the_panel_filters_by_tag_searches_and_sorts() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p, p + 3, "claim").await; // "The"
    app.tag(&doc, p + 4, p + 6, "quote").await; // "UK"
    let listed = |app: &Mounted| {
        app.all(".annotation-list li:not([hidden])")
            .iter()
            .map(|li| li.get_attribute("data-tag").unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(&app), ["claim", "quote"]);
    let filters: Vec<String> = app.all(".tag-filter").iter().map(text).collect();
    assert_eq!(filters, ["Claim (1)", "Quote (1)", "Caption (0)"]);
    app.click(".tag-filter[data-tag=\"claim\"]").await;
    assert_eq!(listed(&app), ["quote"]);
    assert_eq!(text(&app.one(".shown").expect("a note of what is shown")), "Showing 1 of 2");
    app.click(".tag-filter[data-tag=\"claim\"]").await;
    let search: web_sys::HtmlInputElement = app.one(".find input").expect("search").dyn_into().expect("input");
    search.set_value("uk");
    search.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(listed(&app), ["quote"]);
    search.set_value("");
    search.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    let order: web_sys::HtmlSelectElement = app.one(".find select").expect("sort").dyn_into().expect("select");
    order.set_value("time");
    order.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(listed(&app), ["quote", "claim"], "most recent first");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_caption_printed_twice_can_be_tagged_in_both_copies_at_once() {
    let article =
        "Headline\nPutin (pictured) at the summit in ‘Moscow’\nPutin (pictured) at the summit in 'Moscow'\nBody text.";
    let app = Mounted::new(Some(article)).await;
    let doc = Document::from_text(article);
    let p = doc.paragraphs()[1].start();
    app.select(&doc, p, p + 16).await; // "Putin (pictured)"
    app.click(".picker button.both").await;
    assert_eq!(app.one(".picker button.both").and_then(|b| b.get_attribute("aria-pressed")).as_deref(), Some("true"));
    app.click(".picker button[data-tag=\"caption\"]").await;
    assert_eq!(app.texts("marginalia-caption"), ["Putin (pictured)", "Putin (pictured)"]);
    assert_eq!(text(&app.one(".status").expect("status")), "2 captions added");
    // One in each copy: a click on the second copy finds its own.
    let second = doc.paragraphs()[2].start();
    app.click_at(second + 2).await;
    assert_eq!(app.popover_items().len(), 1);
    let (second_text, _) = app.map().to_dom(second, false).expect("position");
    let chosen: Vec<JsValue> =
        entries().into_iter().filter(|(n, _)| n == ACTIVE).flat_map(|(_, h)| iterate(&h)).collect();
    assert!(
        chosen.iter().any(|r| r.unchecked_ref::<AbstractRange>().start_container().is_same_node(Some(&second_text))),
        "the chosen one is the second copy's"
    );
    press("Escape").await;
    // A selection with no copy next door offers no such switch.
    app.select(&doc, doc.paragraphs()[3].start(), doc.paragraphs()[3].end()).await;
    assert!(app.one(".picker").is_some() && app.one(".picker button.both").is_none());
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn keyboard_only_select_tag_step_open_and_delete() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let article: HtmlElement = app.article().dyn_into().expect("html");
    assert_eq!(article.get_attribute("tabindex").as_deref(), Some("0"), "the article is reachable with Tab");
    article.focus().expect("focus");
    let key = |k: &str, shift: bool| {
        let e = key_event(k, false, shift);
        let target = app.shadow().active_element().unwrap_or_else(|| app.article());
        target.dispatch_event(&e).expect("dispatch");
        e
    };
    let focus_in =
        |selector: &str| app.shadow().active_element().is_some_and(|a| a.closest(selector).ok().flatten().is_some());
    // Shift+Right three times from the start: "A h" of the headline.
    for _ in 0..3 {
        assert!(key("ArrowRight", true).default_prevented(), "arrows are handled, not scrolled");
    }
    yew::scheduler::flush().await;
    assert!(app.one(".picker").is_some(), "extending the selection offers the picker");
    press("1").await;
    assert_eq!(app.highlights(), owned(&[("marginalia-claim", "A h")]), "tagged by keyboard");
    // The new highlight is chosen, the caret just after it, focus on the article.
    assert_eq!(app.active().as_deref(), Some("A h"));
    assert_eq!(app.label().as_deref(), Some("Claim"));
    assert!(focus_in("article"), "focus stays on the article");
    let map = app.map();
    assert!(selection::is_collapsed(), "nothing left selected");
    assert_eq!(selection::caret(&map), Some(3), "the caret is after the highlight");
    assert!(app.article().query_selector("[tabindex]").expect("selector").is_none(), "no focusable highlight");
    // Enter opens it; Escape closes and returns focus to the article, still chosen.
    key("Enter", false);
    yew::scheduler::flush().await;
    assert!(app.one(".popover").is_some());
    assert!(focus_in(".popover"), "focus is in the popover");
    press("Escape").await;
    assert!(app.one(".popover").is_none());
    assert!(focus_in("article"), "focus went back to the article");
    assert_eq!(app.active().as_deref(), Some("A h"), "the same highlight is still chosen");
    // k from the only highlight says there is none before, j none after.
    key("k", false);
    yew::scheduler::flush().await;
    assert_eq!(text(&app.one(".status").expect("status")), "No highlight before this one");
    key("j", false);
    yew::scheduler::flush().await;
    assert_eq!(text(&app.one(".status").expect("status")), "No highlight after this one");
    // A plain caret move clears the choice; j from the start selects it again.
    key("Home", false);
    yew::scheduler::flush().await;
    assert_eq!(app.active(), None, "moving the caret clears the choice");
    key("j", false);
    yew::scheduler::flush().await;
    assert_eq!(text(&app.one(".status").expect("status")), "Claim 1 of 1: A h");
    assert_eq!(app.active().as_deref(), Some("A h"));
    let picked = selection::current(&map).expect("j selects the highlight");
    assert_eq!((picked.start, picked.end), (0, 3));
    key("Delete", false);
    yew::scheduler::flush().await;
    assert!(app.highlights().is_empty());
    assert_eq!(app.active(), None);
    assert!(focus_in("article"), "focus is not lost to the body");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn deciding_a_suggestion_removes_only_its_ranges() {
    let article = "Council votes on barrier\n“We cannot keep asking families to bail out,” said Amara Okafor.\nThe council voted 31 to 9 on Tuesday to build it.\nResidents at the quay (pictured) on Sunday\nResidents at the quay (pictured) on Sunday";
    let app = Mounted::new(Some(article)).await;
    app.click(".suggestions button.suggest").await;
    let before = app.paragraph_nodes();
    let others: Vec<(String, String)> =
        app.highlights().into_iter().filter(|(n, _)| n != "marginalia-suggested-caption").collect();
    assert!(!others.is_empty(), "other suggestions are pending too");
    assert_eq!(app.texts("marginalia-suggested-caption").len(), 2);
    let spy = Spy::new();
    app.click(".reject-all[data-tag=\"caption\"]").await;
    let calls = spy.calls(&app.shadow());
    drop(spy);
    assert!(app.texts("marginalia-suggested-caption").is_empty());
    assert_eq!(app.highlights(), others, "the other suggestions are still painted");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls.iter().all(|(op, name, _)| op == "delete" && name == "marginalia-suggested-caption"), "{calls:?}");
    assert_same_nodes(&before, &app.paragraph_nodes());
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn every_highlight_is_painted_as_its_chunk_is_drawn_and_the_panel_lists_a_page_at_a_time() {
    use marginalia_core::{codec, Annotation, AnnotationId, Span, Tag};
    // One short paragraph per annotation, each tagged whole.
    let article: String = (0..=301).map(|i| format!("Line {i} of the story\n")).collect();
    let doc = Document::from_text(&article);
    let key = annotations_key(doc.fingerprint().as_str());
    let claim = Tag::parse("claim").expect("tag");
    let stored = |n: usize| {
        let items: Vec<Annotation> = (1..=n)
            .map(|p| {
                let para = &doc.paragraphs()[p];
                let span = Span::new(para.start(), para.end()).expect("span");
                Annotation::new(&doc, AnnotationId::generate(p as u64, 7), span, claim.clone(), 0)
            })
            .collect();
        codec::encode_annotations(doc.fingerprint().as_str(), &doc, &items, &[], &[])
    };
    for n in [300, 301] {
        fresh_storage();
        storage().set_item(&key, &stored(n)).expect("write");
        let app = Mounted::keep_storage(Some(&article)).await;
        // Painted whole until the browser says which chunks it skips; then
        // the first two (the headline and lines 1–127) stay painted, the
        // others are painted as they come near the screen.
        assert_eq!(app.texts("marginalia-claim").len(), n);
        in_view(&app.paragraph_nodes()[0].0).await;
        let claims = app.texts("marginalia-claim");
        assert_eq!(claims.len(), 127, "{n} annotations");
        assert_eq!(claims.first().map(String::as_str), Some("Line 1 of the story"));
        let mut seen: std::collections::BTreeSet<String> = claims.into_iter().collect();
        for p in (127..=n).step_by(64).chain([n]) {
            in_view(&app.paragraph_nodes()[p].0).await;
            seen.extend(app.texts("marginalia-claim"));
        }
        let every: std::collections::BTreeSet<String> = (1..=n).map(|i| format!("Line {i} of the story")).collect();
        assert_eq!(seen, every, "{n} annotations");
        in_view(&app.paragraph_nodes()[0].0).await;
        // The panel renders a page of entries, no placeholders for the rest.
        assert_eq!(app.all(".annotation-list li").len(), 100, "{n} annotations");
        assert!(app.all(".annotation-list li[hidden]").is_empty());
        let more = text(&app.one("button.more").expect("a Show more button"));
        assert_eq!(more, format!("Show 100 more of {}", n - 100));
        app.click("button.more").await;
        assert_eq!(app.all(".annotation-list li:not([hidden])").len(), 200, "{n} annotations");
        // An entry of the second page shows its highlight: it is the chosen one.
        app.click(".annotation-list li:nth-child(150) button.panel-item").await;
        assert_eq!(app.active().as_deref(), Some("Line 150 of the story"), "{n} annotations");
        app.unmount().await;
    }
}

#[wasm_bindgen_test]
async fn deeply_overlapping_highlights_are_all_painted_and_a_click_finds_them_all() {
    use marginalia_core::{codec, Annotation, AnnotationId, Span, Tag};
    fresh_storage();
    // Highlights nested like an onion: the one at depth d starts at d.
    let article = format!("Head\n{}", "word ".repeat(12).trim_end());
    let doc = Document::from_text(&article);
    let p = doc.paragraphs()[1].clone();
    // Deeper than the nesting `<mark>`s once had room for (6 layers).
    let n = 10;
    let items: Vec<Annotation> = (0..n)
        .map(|d| {
            let span = Span::new(p.start() + d, p.end() - d).expect("span");
            Annotation::new(&doc, AnnotationId::generate(d as u64, 3), span, Tag::parse("claim").expect("tag"), 0)
        })
        .collect();
    let key = annotations_key(doc.fingerprint().as_str());
    let envelope = codec::encode_annotations(doc.fingerprint().as_str(), &doc, &items, &[], &[]);
    storage().set_item(&key, &envelope).expect("write");
    let app = Mounted::keep_storage(Some(&article)).await;
    // The article's text is whole, one text node; every highlight is painted.
    assert_eq!(text(&app.all("[data-para]")[1]), &**p.text());
    assert_eq!(app.paragraph_nodes().len(), 2);
    let mut painted = app.texts("marginalia-claim");
    painted.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    let want: Vec<String> = (0..n).map(|d| doc.slice(p.start() + d, p.end() - d)).collect();
    assert_eq!(painted, want);
    // A click in the middle, under all of them, lists every one, smallest first.
    app.click_at(p.start() + p.len() / 2).await;
    let listed: Vec<String> = app.popover_items().into_iter().map(|(id, _)| id).collect();
    let smallest_first: Vec<String> = items.iter().rev().map(|a| a.id.to_string()).collect();
    assert_eq!(listed, smallest_first);
    assert_eq!(app.active(), Some(want[n - 1].clone()), "the smallest is chosen");
    // Near the edge only the outer ones are under the pointer.
    press("Escape").await;
    app.click_at(p.start() + 1).await;
    let listed: Vec<String> = app.popover_items().into_iter().map(|(id, _)| id).collect();
    assert_eq!(listed, [items[1].id.to_string(), items[0].id.to_string()]);
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn suggestions_are_pending_until_accepted_and_rejections_are_remembered() {
    let article = "Council votes on barrier\n“We cannot keep asking families to bail out,” said Amara Okafor.\nThe council voted 31 to 9 on Tuesday to build it.\nResidents at the quay (pictured) on Sunday\nResidents at the quay (pictured) on Sunday";
    let doc = Document::from_text(article);
    let app = Mounted::new(Some(article)).await;
    app.click(".suggestions button.suggest").await;
    let pending = app.highlights();
    let quote = "“We cannot keep asking families to bail out,”";
    assert!(pending.contains(&("marginalia-suggested-quote".into(), quote.into())), "{pending:?}");
    assert_eq!(app.texts("marginalia-suggested-caption").len(), 2, "both copies of the caption: {pending:?}");
    assert!(!app.texts("marginalia-suggested-claim").is_empty(), "{pending:?}");
    assert!(pending.iter().all(|(n, _)| n.starts_with("marginalia-suggested-")), "nothing is the reader's yet");
    assert!(app.all(".annotation-list li:not([hidden])").is_empty(), "nothing is the reader's yet");
    // A pending suggestion is labelled as one under the pointer.
    let p = doc.paragraphs()[1].start();
    app.hover_at(p + 5).await;
    assert_eq!(app.label().as_deref(), Some("Suggested quote"));
    let speaker = app.all(".suggestion-list li[data-tag=\"quote\"] .panel-note").first().map(text);
    assert_eq!(speaker.as_deref(), Some("Speaker: Amara Okafor"));

    app.click(".accept-all[data-tag=\"quote\"]").await;
    assert_eq!(app.texts("marginalia-quote"), [quote], "an accepted quote");
    assert!(app.texts("marginalia-suggested-quote").is_empty());
    let saved = saved(&annotations_key(doc.fingerprint().as_str())).await.expect("saved");
    assert!(saved.contains("\"suggested\":true") && saved.contains("Speaker: Amara Okafor"), "{saved}");

    app.click(".reject-all[data-tag=\"caption\"]").await;
    assert!(app.texts("marginalia-suggested-caption").is_empty());
    app.unmount().await;
    // After a reload, Suggest again does not bring the rejected captions back.
    let again = Mounted::keep_storage(Some(article)).await;
    again.click(".suggestions button.suggest").await;
    assert!(again.texts("marginalia-suggested-caption").is_empty());
    assert!(again.texts("marginalia-suggested-quote").is_empty(), "the accepted quote is not suggested again");
    assert_eq!(again.texts("marginalia-quote"), [quote]);
    again.unmount().await;
}
