//! The annotator in a real browser (headless Chromium via wasm-bindgen-test):
//! selection mapping, tagging, overlap, storage and hostile text, driven
//! through the DOM the way a reader's browser would.
#![cfg(target_arch = "wasm32")]

use marginalia::app::SAMPLE_ARTICLE;
use marginalia::selection;
use marginalia::widget::{self, Article, Options, Widget};
use marginalia_core::codec::{annotations_key, ARTICLE_KEY};
use marginalia_core::{Document, TagSet};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit, MouseEvent, MouseEventInit, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const ARTICLE: &str = "A headline 😀 here\nThe UK will join “most European nations” in 2025, officials said.\nשלום עולם and 東京 text\n<img src=x onerror=alert(1)> stays text";

/// A widget mounted like the stand-alone page's, in a fresh element, with
/// storage cleared first; every test shares one page, so nothing may leak.
struct Mounted {
    host: Element,
    widget: Widget,
}

fn page_options(article: Option<&str>) -> Options {
    Options {
        article: Article::Page(article.unwrap_or(SAMPLE_ARTICLE).into()),
        document_id: None,
        tags: TagSet::standard(),
        read_only: false,
        panel: true,
        suggest: false,
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

impl Mounted {
    async fn new(article: Option<&str>) -> Mounted {
        storage().clear().expect("clear storage");
        Mounted::keep_storage(article).await
    }

    async fn keep_storage(article: Option<&str>) -> Mounted {
        Mounted::with(new_host(""), page_options(article)).await
    }

    async fn with(host: Element, options: Options) -> Mounted {
        let widget = widget::mount(&host, options).expect("mounts");
        yew::scheduler::flush().await;
        Mounted { host, widget }
    }

    fn shadow(&self) -> ShadowRoot {
        self.widget.shadow_root().expect("an open shadow root")
    }

    fn article(&self) -> Element {
        self.one("article").expect("article element")
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.shadow().query_selector_all(selector).expect("valid selector");
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
    }

    fn one(&self, selector: &str) -> Option<Element> {
        self.shadow().query_selector(selector).expect("valid selector")
    }

    /// Selects code points `[start, end)` as a reader's drag would, then
    /// releases the mouse over the article.
    async fn select(&self, doc: &Document, start: usize, end: usize) {
        let range = selection::range_of(&self.article(), doc, start, end).expect("range");
        let sel = gloo::utils::window().get_selection().expect("selection api").expect("selection");
        sel.remove_all_ranges().expect("clear");
        sel.add_range(&range).expect("add range");
        let init = MouseEventInit::new();
        init.set_bubbles(true);
        let up = MouseEvent::new_with_mouse_event_init_dict("mouseup", &init).expect("event");
        self.article().dispatch_event(&up).expect("dispatch");
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

    async fn unmount(mut self) {
        self.widget.destroy();
        self.host.remove();
        yew::scheduler::flush().await;
    }
}

fn storage() -> web_sys::Storage {
    gloo::utils::window().local_storage().expect("storage access").expect("storage")
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
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

/// What storage holds under `key` once the widget's save has run: it saves
/// after the frame that shows a change is painted.
async fn saved(key: &str) -> Option<String> {
    let after_paint = js_sys::Promise::new(&mut |resolve, _| {
        let later = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = gloo::utils::window().set_timeout_with_callback(resolve.unchecked_ref());
        });
        let _ = gloo::utils::window().request_animation_frame(later.unchecked_ref());
    });
    wasm_bindgen_futures::JsFuture::from(after_paint).await.expect("a frame");
    yew::scheduler::flush().await;
    storage().get_item(key).expect("read")
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
    assert!(app.one("article img").is_none(), "HTML in the text must not become an element");
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
    // Every pair of boundaries in the first and third paragraphs round-trips.
    for para in [0, 2] {
        let p = &doc.paragraphs()[para];
        for start in p.start()..p.end() {
            for end in [start + 1, p.end()] {
                let range = selection::range_of(&app.article(), &doc, start, end).expect("range");
                let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
                sel.remove_all_ranges().expect("clear");
                sel.add_range(&range).expect("add");
                let picked = selection::current(&app.article(), &doc).expect("selection inside article");
                assert_eq!((picked.start, picked.end), (start, end));
            }
        }
    }
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn tagging_a_span_renders_a_mark_saves_and_counts() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let start = doc.paragraphs()[1].start() + 4; // "UK will join"
    app.select(&doc, start, start + 12).await;
    let buttons: Vec<String> = app.all(".picker button[data-tag]").iter().map(text).collect();
    assert_eq!(buttons, ["Claim1", "Quote2", "Caption3"]);
    app.click(".picker button[data-tag=\"claim\"]").await;

    assert!(app.one(".picker").is_none());
    let marks = app.all("mark[data-tag=\"claim\"]");
    assert_eq!(marks.len(), 1);
    assert_eq!(text(&marks[0]), "UK will join");
    assert_eq!(marks[0].get_attribute("data-label").as_deref(), Some("Claim"));
    let id = marks[0].get_attribute("data-annotation-id").expect("id");
    // The article's text is unchanged by the markup.
    assert_eq!(text(&app.all("[data-para]")[1]), &**doc.paragraphs()[1].text());
    assert_eq!(text(&app.one("[data-testid=counts]").expect("counts")), "1 claim · 0 quotes · 0 captions");
    let saved = saved(&annotations_key(doc.fingerprint().as_str())).await.expect("saved");
    assert!(saved.contains(&id) && saved.contains("\"schema\":2"), "{saved}");
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
    assert!(app.all("mark").is_empty());
    app.select(&doc, p, p + 3).await;
    press("3").await;
    assert_eq!(app.all("mark[data-tag=\"caption\"]").len(), 1);
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
async fn overlapping_highlights_nest_and_each_is_editable() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p + 4, p + 20, "claim").await; // "UK will join “mo"
    app.tag(&doc, p + 12, p + 30, "quote").await;
    let both = app.all("mark[data-tag=\"claim\"] mark[data-tag=\"quote\"]");
    assert_eq!(both.len(), 1, "the overlap is a quote mark inside a claim mark");
    assert_eq!(app.all("mark[data-label]").len(), 2, "each highlight is labelled once");

    // Clicking the overlap offers both; retag the claim, delete the quote.
    let inner: HtmlElement = both[0].clone().dyn_into().expect("html");
    inner.click();
    yew::scheduler::flush().await;
    assert_eq!(app.all(".popover-item").len(), 2);
    app.click(".popover-item:first-of-type button[aria-pressed][data-tag=\"caption\"]").await;
    assert_eq!(app.all("mark[data-tag=\"caption\"][data-label]").len(), 1);
    app.click(".popover-item:last-of-type button.delete").await;
    assert!(app.all("mark[data-tag=\"quote\"]").is_empty());
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
    let marks = app.all("mark[data-tag=\"quote\"]");
    assert_eq!(marks.len(), 2);
    assert_eq!(text(&marks[0]), "said.");
    assert_eq!(text(&marks[1]), "שלום");
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
    let id = app.one("mark").and_then(|m| m.get_attribute("data-annotation-id")).expect("id");
    app.unmount().await;

    let again = Mounted::keep_storage(Some(ARTICLE)).await;
    let marks = again.all(&format!("mark[data-annotation-id=\"{id}\"]"));
    assert_eq!(marks.len(), 1);
    assert_eq!(text(&marks[0]), "שלום");
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
    storage().clear().expect("clear");
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
    storage().clear().expect("clear");
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
    assert_eq!(app.all("mark[data-annotation-id=\"a-future\"]").len(), 1, "what can be read is shown");
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
    let stored = storage().get_item(&key).expect("read").expect("saved");
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
    let before = app.all("[data-para]");
    let p = doc.paragraphs()[200].start();
    app.tag(&doc, p, p + 9, "claim").await;
    let after = app.all("[data-para]");
    assert!(before[199].is_same_node(Some(&after[199])) && before[201].is_same_node(Some(&after[201])));
    assert!(!before[200].is_same_node(Some(&after[200])), "the tagged paragraph is repainted");
    assert!(after[200].parent_element().is_some_and(|c| c.is_same_node(Some(&chunks[3]))), "in its own chunk");
    assert_eq!(app.all("[data-para=\"200\"] mark[data-tag=\"claim\"]").len(), 1);
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn an_edit_changes_only_the_paragraphs_it_touches() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let before: Vec<Element> = app.all("[data-para]");
    let untouched_text = before[3].first_child().expect("text node");
    let p = doc.paragraphs()[1].start();
    app.tag(&doc, p, p + 3, "claim").await;
    let after = app.all("[data-para]");
    for i in [0, 2, 3] {
        assert!(before[i].is_same_node(Some(&after[i])), "paragraph {i} element was replaced");
    }
    assert!(untouched_text.is_same_node(after[3].first_child().as_ref()), "paragraph 3's text node was replaced");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_selection_reaching_outside_the_article_is_clamped_to_it() {
    let app = Mounted::new(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    let inside = selection::range_of(&app.article(), &doc, 0, 5).expect("range");
    // From the toolbar above the article (in the same shadow root) to the
    // fifth code point of the headline.
    let range = gloo::utils::document().create_range().expect("range");
    let brand = app.one(".brand").and_then(|b| b.first_child()).expect("toolbar text");
    range.set_start(&brand, 2).expect("start");
    range.set_end(&inside.end_container().expect("node"), inside.end_offset().expect("offset")).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&app.article(), &doc).expect("touches the article");
    assert_eq!((picked.start, picked.end), (0, 5));
    // From inside the last paragraph to the status line after the article.
    let last = doc.paragraphs().last().expect("paragraph");
    let inside = selection::range_of(&app.article(), &doc, last.start() + 2, last.start() + 3).expect("range");
    let range = gloo::utils::document().create_range().expect("range");
    range.set_start(&inside.start_container().expect("node"), inside.start_offset().expect("offset")).expect("start");
    range.set_end(&app.one(".status").expect("status"), 0).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&app.article(), &doc).expect("touches the article");
    assert_eq!((picked.start, picked.end), (last.start() + 2, doc.len()));
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn a_selection_from_the_host_page_into_the_shadow_root_is_clamped() {
    storage().clear().expect("clear");
    let before = new_host("<p id=outside>Text of the host page</p>");
    let app = Mounted::keep_storage(Some(ARTICLE)).await;
    let doc = Document::from_text(ARTICLE);
    let inside = selection::range_of(&app.article(), &doc, 3, 9).expect("range");
    let outside = before.query_selector("#outside").ok().flatten().and_then(|p| p.first_child()).expect("text");
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    sel.remove_all_ranges().expect("clear");
    sel.set_base_and_extent(&outside, 4, &inside.end_container().expect("node"), inside.end_offset().expect("offset"))
        .expect("a selection across the shadow boundary");
    let picked = selection::current(&app.article(), &doc).expect("touches the article");
    assert_eq!((picked.start, picked.end), (0, 9));
    app.unmount().await;
    before.remove();
}

#[wasm_bindgen_test]
async fn mapping_counts_code_points_across_nested_inline_elements() {
    // A paragraph whose text spans several text nodes inside <a>, <em> and
    // around a <br>, with an emoji: the text nodes, in order, are the text.
    let host = new_host(
        "<article><p data-para=\"0\">Hi <a href=\"#x\">big <em>wide 😀</em> web</a><br>and <b>more</b></p></article>",
    );
    let article = host.query_selector("article").ok().flatten().expect("article");
    let text = article.text_content().unwrap_or_default();
    assert_eq!(text, "Hi big wide 😀 weband more");
    let doc = Document::from_text(&text);
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    let len = doc.len();
    for start in 0..len {
        for end in start + 1..=len {
            let range = selection::range_of(&article, &doc, start, end).expect("range");
            sel.remove_all_ranges().expect("clear");
            sel.add_range(&range).expect("add");
            let picked = selection::current(&article, &doc).expect("inside");
            assert_eq!((picked.start, picked.end), (start, end), "{:?}", doc.slice(start, end));
            assert_eq!(String::from(range.to_string()), doc.slice(start, end));
        }
    }
    // A boundary given as (element, child index) rather than inside a text node.
    let em = article.query_selector("em").ok().flatten().expect("em");
    let range = gloo::utils::document().create_range().expect("range");
    range.set_start(&em, 0).expect("start");
    range.set_end(&article.query_selector("b").ok().flatten().expect("b"), 1).expect("end");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&article, &doc).expect("inside");
    assert_eq!(doc.slice(picked.start, picked.end), "wide 😀 weband more");
    host.remove();
}

#[wasm_bindgen_test]
async fn mounting_on_host_content_reads_its_blocks_and_destroy_restores_it() {
    storage().clear().expect("clear");
    let markup = "<h2>A <em>host</em> headline</h2><p>First line<br>second line with <a href=\"#\">a link</a>.</p>\
                  <figure><img alt=\"\"><figcaption>Pictured: a caption</figcaption></figure><ul><li><p>Item</p></li></ul>";
    let host = new_host(markup);
    let before = host.inner_html();
    let first_child = host.first_child().expect("child");
    let options = Options { article: Article::Host, document_id: Some("story-1".into()), ..page_options(None) };
    let app = Mounted::with(host.clone(), options).await;
    let blocks: Vec<(String, String)> =
        app.all("[data-para]").iter().map(|el| (el.tag_name().to_lowercase(), text(el))).collect();
    assert_eq!(
        blocks,
        [
            ("h2".to_string(), "A host headline".to_string()),
            ("p".to_string(), "First line second line with a link.".to_string()),
            ("p".to_string(), "Pictured: a caption".to_string()),
            ("p".to_string(), "Item".to_string()),
        ]
    );
    assert!(app.one(".toolbar").is_none(), "no Open/Paste controls in an embed");
    let doc = Document::from_paragraphs(blocks.iter().map(|(_, t)| t));
    app.tag(&doc, 2, 6, "quote").await;
    assert!(saved(&annotations_key("story-1")).await.is_some(), "saved under the document id");

    let Mounted { host, mut widget } = app;
    widget.destroy();
    assert_eq!(host.inner_html(), before);
    assert!(host.first_child().is_some_and(|c| c.is_same_node(Some(&first_child))), "the very same nodes are back");
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
    let mark: HtmlElement = app.one("mark").expect("mark").dyn_into().expect("html");
    mark.click();
    yew::scheduler::flush().await;
    let area: web_sys::HtmlTextAreaElement =
        app.one(".popover textarea").expect("note field").dyn_into().expect("textarea");
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
    assert_eq!(app.all("mark[data-label]").len(), 2);
    let e = press_with("z", true, false);
    yew::scheduler::flush().await;
    assert!(e.default_prevented(), "the page's own undo does not also run");
    assert!(app.all("mark[data-tag=\"quote\"]").is_empty());
    press_with("z", true, false);
    yew::scheduler::flush().await;
    assert!(app.all("mark").is_empty());
    press_with("Z", true, true);
    yew::scheduler::flush().await;
    assert_eq!(app.all("mark[data-tag=\"claim\"]").len(), 1);
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
    let marks: Vec<String> = app.all("mark[data-tag=\"caption\"]").iter().map(text).collect();
    assert_eq!(marks, ["Putin (pictured)", "Putin (pictured)"]);
    assert_eq!(text(&app.one(".status").expect("status")), "2 captions added");
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
    // Shift+Right three times from the start: "A h" of the headline.
    for _ in 0..3 {
        assert!(key("ArrowRight", true).default_prevented(), "arrows are handled, not scrolled");
    }
    yew::scheduler::flush().await;
    assert!(app.one(".picker").is_some(), "extending the selection offers the picker");
    press("1").await;
    let mark = app.one("mark[data-tag=\"claim\"]").expect("tagged by keyboard");
    assert_eq!(text(&mark), "A h");
    assert!(
        app.shadow().active_element().is_some_and(|a| a.is_same_node(Some(&mark))),
        "focus follows the new highlight"
    );
    assert!(
        mark.get_attribute("aria-details").is_some_and(|d| app.one(&format!("#{d}")).is_some()),
        "aria-details resolves"
    );
    // Enter opens it; Escape closes and returns focus to it.
    key("Enter", false);
    yew::scheduler::flush().await;
    assert!(app.one(".popover").is_some());
    press("Escape").await;
    assert!(app.one(".popover").is_none());
    assert!(
        app.shadow().active_element().is_some_and(|a| a.is_same_node(Some(&mark))),
        "focus went back to the highlight"
    );
    // k from the only highlight says there is none before; Delete removes it.
    key("k", false);
    yew::scheduler::flush().await;
    assert_eq!(text(&app.one(".status").expect("status")), "No highlight before this one");
    key("Delete", false);
    yew::scheduler::flush().await;
    assert!(app.all("mark").is_empty());
    assert!(app.shadow().active_element().is_some_and(|a| a.tag_name() == "ARTICLE"), "focus is not lost to the body");
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn deciding_a_suggestion_repaints_only_its_paragraphs() {
    let article = "Council votes on barrier\n“We cannot keep asking families to bail out,” said Amara Okafor.\nThe council voted 31 to 9 on Tuesday to build it.\nResidents at the quay (pictured) on Sunday\nResidents at the quay (pictured) on Sunday";
    let app = Mounted::new(Some(article)).await;
    app.click(".suggestions button.suggest").await;
    let before = app.all("[data-para]");
    assert_eq!(app.all("mark[data-suggested][data-tag=\"caption\"]").len(), 2);
    app.click(".reject-all[data-tag=\"caption\"]").await;
    let after = app.all("[data-para]");
    assert!(app.all("mark[data-suggested][data-tag=\"caption\"]").is_empty());
    for i in [0, 1, 2] {
        assert!(before[i].is_same_node(Some(&after[i])), "paragraph {i} was repainted");
    }
    for i in [3, 4] {
        assert!(!before[i].is_same_node(Some(&after[i])), "paragraph {i} lost its suggestion but kept its old nodes");
    }
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn highlights_point_at_panel_entries_only_while_the_panel_lists_them_all() {
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
        codec::encode_annotations(doc.fingerprint().as_str(), &doc, &items, &[])
    };
    for (n, details) in [(300, true), (301, false)] {
        storage().clear().expect("clear");
        storage().set_item(&key, &stored(n)).expect("write");
        let app = Mounted::keep_storage(Some(&article)).await;
        let marks = app.all("mark.hl");
        assert_eq!(marks.len(), n);
        let pointing = marks.iter().filter(|m| m.has_attribute("aria-details")).count();
        assert_eq!(pointing, if details { n } else { 0 }, "{n} annotations");
        // The panel renders a page of entries; up to the limit, the others
        // are empty placeholders so every aria-details resolves.
        assert_eq!(app.all(".annotation-list li:not([hidden])").len(), 100, "{n} annotations");
        let placeholders = app.all(".annotation-list li[hidden]").len();
        assert_eq!(placeholders, if details { n - 100 } else { 0 }, "{n} annotations");
        for mark in marks.iter().filter(|m| m.has_attribute("aria-details")) {
            let target = mark.get_attribute("aria-details").unwrap_or_default();
            assert!(app.one(&format!("#{target}")).is_some(), "{target} resolves");
        }
        let more = text(&app.one("button.more").expect("a Show more button"));
        assert_eq!(more, format!("Show 100 more of {}", n - 100));
        app.click("button.more").await;
        assert_eq!(app.all(".annotation-list li:not([hidden])").len(), 200, "{n} annotations");
        app.unmount().await;
    }
}

#[wasm_bindgen_test]
async fn deeply_overlapping_highlights_draw_a_few_layers_and_a_click_finds_them_all() {
    use marginalia_core::segment::MAX_LAYERS;
    use marginalia_core::{codec, Annotation, AnnotationId, Span, Tag};
    storage().clear().expect("clear");
    // Highlights nested like an onion: the one at depth d starts at d.
    let article = format!("Head\n{}", "word ".repeat(12).trim_end());
    let doc = Document::from_text(&article);
    let p = doc.paragraphs()[1].clone();
    let n = MAX_LAYERS + 4;
    let items: Vec<Annotation> = (0..n)
        .map(|d| {
            let span = Span::new(p.start() + d, p.end() - d).expect("span");
            Annotation::new(&doc, AnnotationId::generate(d as u64, 3), span, Tag::parse("claim").expect("tag"), 0)
        })
        .collect();
    let key = annotations_key(doc.fingerprint().as_str());
    let envelope = codec::encode_annotations(doc.fingerprint().as_str(), &doc, &items, &[]);
    storage().set_item(&key, &envelope).expect("write");
    let app = Mounted::keep_storage(Some(&article)).await;
    // The article's text is whole; every highlight has its labelled mark.
    assert_eq!(text(&app.all("[data-para]")[1]), &**p.text());
    assert_eq!(app.all("mark[data-label]").len(), n);
    // The middle run is under all of them but draws only the outer layers
    // and the one starting there; the rest are named on it.
    let hidden_on = |m: &Element| m.get_attribute("data-also").unwrap_or_default().split(' ').count();
    // The first run with the most hidden layers is the middle one.
    let inner =
        app.all("mark[data-also]").into_iter().rev().max_by_key(hidden_on).expect("a mark naming hidden layers");
    let mut depth = 0;
    let mut node = Some(inner.clone());
    while let Some(el) = node.filter(|e| e.tag_name() == "MARK") {
        depth += 1;
        node = el.parent_element();
    }
    assert_eq!(depth, MAX_LAYERS + 1);
    assert_eq!(depth + hidden_on(&inner), n);
    // A click there lists every highlight under it.
    let el: HtmlElement = inner.dyn_into().expect("html element");
    el.click();
    yew::scheduler::flush().await;
    assert_eq!(app.all(".popover-item").len(), n);
    app.unmount().await;
}

#[wasm_bindgen_test]
async fn suggestions_are_pending_until_accepted_and_rejections_are_remembered() {
    let article = "Council votes on barrier\n“We cannot keep asking families to bail out,” said Amara Okafor.\nThe council voted 31 to 9 on Tuesday to build it.\nResidents at the quay (pictured) on Sunday\nResidents at the quay (pictured) on Sunday";
    let app = Mounted::new(Some(article)).await;
    app.click(".suggestions button.suggest").await;
    let pending: Vec<(String, String)> = app
        .all("mark[data-suggested=\"true\"][data-label]")
        .iter()
        .map(|m| (m.get_attribute("data-tag").unwrap_or_default(), m.get_attribute("data-label").unwrap_or_default()))
        .collect();
    assert!(pending.contains(&("quote".into(), "Suggested quote".into())), "{pending:?}");
    assert!(pending.iter().filter(|(t, _)| t == "caption").count() == 2, "both copies of the caption: {pending:?}");
    assert!(pending.iter().any(|(t, _)| t == "claim"), "{pending:?}");
    assert!(app.all(".annotation-list li:not([hidden])").is_empty(), "nothing is the reader's yet");
    let speaker = app.all(".suggestion-list li[data-tag=\"quote\"] .panel-note").first().map(text);
    assert_eq!(speaker.as_deref(), Some("Speaker: Amara Okafor"));

    app.click(".accept-all[data-tag=\"quote\"]").await;
    let quote = app.one("mark[data-tag=\"quote\"]:not([data-suggested])").expect("an accepted quote");
    assert_eq!(text(&quote), "“We cannot keep asking families to bail out,”");
    let doc = Document::from_text(article);
    let saved = saved(&annotations_key(doc.fingerprint().as_str())).await.expect("saved");
    assert!(saved.contains("\"suggested\":true") && saved.contains("Speaker: Amara Okafor"), "{saved}");

    app.click(".reject-all[data-tag=\"caption\"]").await;
    assert!(app.all("mark[data-suggested][data-tag=\"caption\"]").is_empty());
    app.unmount().await;
    // After a reload, Suggest again does not bring the rejected captions back.
    let again = Mounted::keep_storage(Some(article)).await;
    again.click(".suggestions button.suggest").await;
    assert!(again.all("mark[data-suggested][data-tag=\"caption\"]").is_empty());
    assert!(
        again.all("mark[data-suggested][data-tag=\"quote\"]").is_empty(),
        "the accepted quote is not suggested again"
    );
    again.unmount().await;
}
