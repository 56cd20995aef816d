//! The DOM ⇄ code point map (`marginalia::text_map::TextMap`) over host-like
//! markup in a real browser: what the document text of a subtree is (the
//! rule in ARCHITECTURE.md, "The document text"), and that every code point
//! maps to the DOM and back, and every span to a DOM range over the same
//! characters.
#![cfg(target_arch = "wasm32")]

use marginalia::selection;
use marginalia::text_map::TextMap;
use marginalia_core::offsets::Round;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Node, Range, Text};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element at the end of the body holding `markup` (test fixtures
/// only: the widget itself never parses HTML).
fn host(markup: &str) -> Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").expect("div");
    host.set_inner_html(markup);
    document.body().expect("body").append_child(&host).expect("append");
    host
}

/// Elements whose text is never shown, for the oracle below: the cases use
/// no others.
const UNSHOWN: &[&str] = &["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "BUTTON", "TEXTAREA", "SELECT", "svg"];

/// Whether text node `text` is shown as article text: no ancestor up to
/// `root` is hidden, skipped or of a kind that holds no article text.
fn shown(root: &Element, text: &Node) -> bool {
    let mut at = text.parent_element();
    while let Some(el) = at {
        if el.is_same_node(Some(root)) {
            return true;
        }
        let display = gloo::utils::window()
            .get_computed_style(&el)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("display").ok())
            .unwrap_or_default();
        if UNSHOWN.contains(&el.tag_name().as_str())
            || el.has_attribute("hidden")
            || el.has_attribute("data-marginalia-skip")
            || display == "none"
        {
            return false;
        }
        at = el.parent_element();
    }
    false
}

fn text_nodes(node: &Node, out: &mut Vec<Text>) {
    let mut child = node.first_child();
    while let Some(c) = child {
        if let Some(t) = c.dyn_ref::<Text>() {
            out.push(t.clone());
        } else {
            text_nodes(&c, out);
        }
        child = c.next_sibling();
    }
}

/// The shown characters a range (with text-node boundaries) covers,
/// whatever the whitespace: what the reader sees of it.
fn shown_chars(root: &Element, range: &Range) -> String {
    let mut nodes = Vec::new();
    text_nodes(root, &mut nodes);
    let (start, start_offset) = (range.start_container().expect("start"), range.start_offset().expect("offset"));
    let (end, end_offset) = (range.end_container().expect("end"), range.end_offset().expect("offset"));
    let mut out = String::new();
    for t in nodes {
        if !range.intersects_node(&t).unwrap_or(false) || !shown(root, &t) {
            continue;
        }
        let units: Vec<u16> = t.data().encode_utf16().collect();
        let from = if t.is_same_node(Some(&start)) { start_offset as usize } else { 0 };
        let to = if t.is_same_node(Some(&end)) { end_offset as usize } else { units.len() };
        out.push_str(&String::from_utf16_lossy(&units[from.min(to)..to]));
    }
    squeeze(&out)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

/// The character at UTF-16 offset `unit` of `text`.
fn char_at(text: &Text, unit: u32) -> Option<char> {
    let units: Vec<u16> = text.data().encode_utf16().skip(unit as usize).take(2).collect();
    char::decode_utf16(units).next()?.ok()
}

/// Checks `map` against `want` and the round trips; returns what failed.
fn check(root: &Element, map: &TextMap, want: &str) -> Vec<String> {
    let mut failed = Vec::new();
    let doc = map.document();
    if doc.text() != want {
        failed.push(format!("text {:?}, want {want:?}", doc.text()));
        return failed;
    }
    let chars: Vec<char> = want.chars().collect();
    for (cp, &c) in chars.iter().enumerate() {
        let Some((node, unit)) = map.to_dom(cp, false) else {
            failed.push(format!("cp {cp} {c:?}: no DOM position"));
            continue;
        };
        let back = map.to_cp(&node, unit, Round::Down);
        if c == ' ' || c == '\n' {
            // A space may be a collapsed run and a separator is no text: they
            // map to the end of the text before, and back.
            if back != Some(cp) {
                failed.push(format!("cp {cp} {c:?} → ({:?}, {unit}) → {back:?}", node.data()));
            }
            continue;
        }
        if char_at(&node, unit) != Some(c) {
            failed.push(format!("cp {cp} {c:?} → ({:?}, {unit}) holds {:?}", node.data(), char_at(&node, unit)));
        }
        if back != Some(cp) {
            failed.push(format!("cp {cp} {c:?} → ({:?}, {unit}) → {back:?}", node.data()));
        }
        let after = unit + c.len_utf16() as u32;
        if map.to_cp(&node, after, Round::Down) != Some(cp + 1) {
            failed.push(format!("the end of cp {cp} {c:?} is not cp {}", cp + 1));
        }
        if c.len_utf16() == 2 {
            // Inside a surrogate pair: rounds either way.
            let (down, up) = (map.to_cp(&node, unit + 1, Round::Down), map.to_cp(&node, unit + 1, Round::Up));
            if (down, up) != (Some(cp), Some(cp + 1)) {
                failed.push(format!("inside cp {cp} {c:?}: {down:?} / {up:?}"));
            }
        }
    }
    // A span's end at its paragraph's end stays in that paragraph.
    for p in doc.paragraphs() {
        let start = map.to_dom(p.start(), false).map(|(n, _)| n.parent_element());
        let end = map.to_dom(p.end(), true);
        match end {
            Some((node, unit)) if map.to_cp(&node, unit, Round::Down) == Some(p.end()) => {}
            other => failed.push(format!("paragraph end {} → {:?}", p.end(), other.map(|(n, u)| (n.data(), u)))),
        }
        if start.is_none() {
            failed.push(format!("paragraph start {} has no DOM position", p.start()));
        }
    }
    // Every span is a range over the same characters.
    for a in 0..chars.len() {
        for b in a + 1..=chars.len() {
            let slice = doc.slice(a, b);
            let Some(range) = map.range(a, b) else {
                failed.push(format!("no range for [{a}, {b}) {slice:?}"));
                continue;
            };
            let got = shown_chars(root, &range);
            if got != squeeze(&slice) {
                failed.push(format!("range [{a}, {b}) {slice:?} covers {got:?}"));
            }
            let Some(fixed) = map.static_range(a, b) else {
                failed.push(format!("no static range for [{a}, {b})"));
                continue;
            };
            let same = fixed.start_container().is_same_node(range.start_container().ok().as_ref())
                && Ok(fixed.start_offset()) == range.start_offset()
                && fixed.end_container().is_same_node(range.end_container().ok().as_ref())
                && Ok(fixed.end_offset()) == range.end_offset();
            if !same {
                failed.push(format!("the static range of [{a}, {b}) is not the live one"));
            }
        }
    }
    failed
}

/// Runs a table of (name, markup, document text): every case is checked,
/// then every failure reported at once.
fn run(cases: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for (name, markup, want) in cases {
        let root = host(markup);
        let map = TextMap::read(&root);
        for f in check(&root, &map, want) {
            failures.push(format!("{name}: {f}"));
        }
        root.remove();
    }
    let shown: Vec<&String> = failures.iter().take(40).collect();
    assert!(failures.is_empty(), "{} failure(s):\n{:#?}", failures.len(), shown);
}

#[wasm_bindgen_test]
fn inline_markup_inside_paragraphs() {
    run(&[
        ("plain", "<p>Plain words here</p>", "Plain words here"),
        ("a link", "<p>Read the <a href=\"#r\">full report</a> now.</p>", "Read the full report now."),
        (
            "nested",
            "<p>Hi <a href=\"#x\">big <em>wide <strong>bold</strong></em> web</a> end</p>",
            "Hi big wide bold web end",
        ),
        ("inside a word", "<p>Hel<b>lo</b> w<i>or</i>ld</p>", "Hello world"),
        ("empty inline", "<p>a<span></span>b <em></em> c</p>", "ab c"),
        ("adjacent inlines", "<p><b>one</b><i>two</i> <u>three</u></p>", "onetwo three"),
        ("comment", "<p>before<!-- not text -->after</p>", "beforeafter"),
        ("image", "<p>a <img alt=\"photo\" src=\"data:,\"> b<img alt=\"x\">c</p>", "a bc"),
        (
            "figure",
            "<figure><img alt=\"\"><figcaption>Pictured: a <em>caption</em></figcaption></figure>",
            "Pictured: a caption",
        ),
    ]);
}

#[wasm_bindgen_test]
fn line_breaks_and_whitespace() {
    run(&[
        ("br", "<p>First line<br>second line</p>", "First line second line"),
        ("br with spaces", "<p>one <br> two</p>", "one two"),
        ("brs", "<p>a<br><br>b</p>", "a b"),
        ("br at the ends", "<p><br>inside<br></p>", "inside"),
        ("br in an inline", "<p>x<em>y<br>z</em></p>", "xy z"),
        ("runs", "<p>  lots \n\t of\n\n   space  </p>", "lots of space"),
        ("runs across nodes", "<p>a <b> b </b> c</p>", "a b c"),
        ("newlines between blocks", "\n  <p>\n first\n </p>\n\n  <p>second </p>\n", "first\nsecond"),
        ("nbsp is the author's", "<p>a&nbsp;b &nbsp; c</p>", "a\u{a0}b \u{a0} c"),
        ("pre collapses too", "<pre>code  line\n  next</pre>", "code line next"),
        ("only whitespace", "<p> </p><p>\n<br></p><p>kept</p>", "kept"),
    ]);
}

#[wasm_bindgen_test]
fn hidden_and_skipped_content() {
    run(&[
        ("hidden attribute", "<p>shown <span hidden>secret</span> text</p>", "shown text"),
        ("display none inline", "<p>shown <span style=\"display:none\">secret</span>text</p>", "shown text"),
        ("display none block", "<p>one</p><div style=\"display:none\"><p>gone</p></div><p>two</p>", "one\ntwo"),
        ("hidden ancestor", "<section hidden><p>gone</p><p>too</p></section><p>left</p>", "left"),
        (
            "display none by a class",
            "<style>.gone { display: none }</style><p>a <span class=\"gone\">b</span> c</p>",
            "a c",
        ),
        ("display contents is shown", "<p>a <span style=\"display:contents\">b</span> c</p>", "a b c"),
        ("script", "<p>before <script>var x = 'code';</script>after</p>", "before after"),
        ("style", "<style>p { color: red }</style><p>styled</p>", "styled"),
        ("template", "<p>x</p><template><p>not yet</p></template><p>y</p>", "x\ny"),
        ("noscript", "<p>a</p><noscript><p>enable scripts</p></noscript><p>b</p>", "a\nb"),
        (
            "skip attribute",
            "<p>Story</p><div data-marginalia-skip><p>Share this</p><p>Ad</p></div><p>more</p>",
            "Story\nmore",
        ),
        ("skip inline", "<p>By <span data-marginalia-skip>Jane Doe, staff</span> the text</p>", "By the text"),
        (
            "controls",
            "<p>a <button>Click</button>b<textarea>typed</textarea> <select><option>o</option></select>c</p>",
            "a b c",
        ),
        ("svg", "<p>icon <svg><text>label</text></svg>here</p>", "icon here"),
    ]);
}

#[wasm_bindgen_test]
fn nested_blocks() {
    run(&[
        ("li p", "<ul><li><p>Item</p></li><li>Second</li></ul>", "Item\nSecond"),
        ("li text around p", "<ul><li>Lead <p>inner</p> tail</li></ul>", "Lead\ninner\ntail"),
        ("div text around p", "<div>Intro <p>Para</p> outro</div>", "Intro\nPara\noutro"),
        ("inline around a block", "<span>a<div>b</div>c</span>", "a\nb\nc"),
        ("blockquote", "<blockquote><p>Quoted</p><p>twice</p></blockquote><p>after</p>", "Quoted\ntwice\nafter"),
        ("table", "<table><tr><td>a1</td><td>b <em>1</em></td></tr><tr><th>h</th></tr></table>", "a1\nb 1\nh"),
        ("headings", "<header><h1>Title</h1></header><h2>Sub <em>head</em></h2><p>Body</p>", "Title\nSub head\nBody"),
        ("text in the root", "loose <b>text</b><p>then a block</p>more loose", "loose text\nthen a block\nmore loose"),
    ]);
}

#[wasm_bindgen_test]
fn emoji_rtl_and_cjk_across_element_boundaries() {
    run(&[
        ("emoji", "<p>Hi 😀 <b>there 🎉</b>!</p>", "Hi 😀 there 🎉!"),
        ("emoji at boundaries", "<p><b>😀</b><i>😀</i>😀</p>", "😀😀😀"),
        ("emoji sequences", "<p>👍🏽 <em>👩‍👩‍👧</em> 🇬🇧</p>", "👍🏽 👩‍👩‍👧 🇬🇧"),
        ("hebrew", "<p dir=\"rtl\">שלום <b>עולם</b> וגם <a href=\"#\">כאן</a></p>", "שלום עולם וגם כאן"),
        ("arabic", "<p dir=\"rtl\">مرحبا <em>بالعالم</em>، <strong>كيف</strong> حالك</p>", "مرحبا بالعالم، كيف حالك"),
        ("bidi mix", "<p>The word <b>שלום</b> means <i>peace</i> 😀</p>", "The word שלום means peace 😀"),
        ("cjk", "<p>東京<em>タワー</em>は<b>高い</b>。</p><p>漢字<br>かな</p>", "東京タワーは高い。\n漢字 かな"),
        ("cjk and emoji", "<p>東京😀<a href=\"#\">𠀋</a>x</p>", "東京😀𠀋x"),
        ("combining marks", "<p>e\u{301}t<b>e\u{301}</b></p>", "e\u{301}te\u{301}"),
    ]);
}

#[wasm_bindgen_test]
fn headings_are_known_by_level() {
    let root = host("<h1>A</h1><p>b</p><section><h3>C <em>d</em></h3></section><ul><li>e</li></ul><h2><p>f</p></h2>");
    let map = TextMap::read(&root);
    assert_eq!(map.document().text(), "A\nb\nC d\ne\nf");
    assert_eq!(map.headings(), [Some(1), None, Some(3), None, Some(2)]);
    root.remove();
}

#[wasm_bindgen_test]
fn element_boundary_points_map_to_the_text_after_them() {
    let root = host("<p id=\"a\">Hi <a href=\"#\">big <em>wide</em> web</a> x</p><p id=\"b\">Next</p>");
    let after = host("<p>after the article</p>");
    let map = TextMap::read(&root);
    let doc = map.document();
    assert_eq!(doc.text(), "Hi big wide web x\nNext");
    let el = |selector: &str| -> Node { root.query_selector(selector).ok().flatten().expect(selector).into() };
    let body: Node = gloo::utils::document().body().expect("body").into();
    let cases: Vec<(&str, Node, u32, usize)> = vec![
        ("(p, 0)", el("#a"), 0, 0),
        ("(a, 0): before \"big\"", el("a"), 0, 3),
        ("(a, 1): between \"big \" and <em>", el("a"), 1, 7),
        ("(em, 0)", el("em"), 0, 7),
        ("(em, 1): after \"wide\"", el("em"), 1, 11),
        ("(a, 3): after \" web\"", el("a"), 3, 15),
        ("(p, 3): the paragraph's end is the next one's start", el("#a"), 3, 18),
        ("(second p, 0)", el("#b"), 0, 18),
        ("(second p, 1)", el("#b"), 1, 22),
        ("(root, 0)", root.clone().into(), 0, 0),
        ("(root, 1): between the paragraphs", root.clone().into(), 1, 18),
        ("(root, 2)", root.clone().into(), 2, 22),
        ("before the root", body.clone(), 0, 0),
        ("after the root", after.first_child().expect("p"), 0, 22),
    ];
    for (name, node, offset, want) in &cases {
        for round in [Round::Down, Round::Up] {
            assert_eq!(map.to_cp(node, *offset, round), Some(*want), "{name} {round:?}");
        }
    }
    // A reader's selection with such boundaries is read as those code points.
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    let select = |(sn, so): (&Node, u32), (en, eo): (&Node, u32)| {
        let range = gloo::utils::document().create_range().expect("range");
        range.set_start(sn, so).expect("start");
        range.set_end(en, eo).expect("end");
        sel.remove_all_ranges().expect("clear");
        sel.add_range(&range).expect("add");
        selection::current(&map).map(|p| doc.slice(p.start, p.end))
    };
    assert_eq!(select((&el("#a"), 0), (&el("em"), 1)).as_deref(), Some("Hi big wide"));
    assert_eq!(select((&el("a"), 1), (&el("a"), 3)).as_deref(), Some("wide web"));
    assert_eq!(select((&el("a"), 1), (&el("#b"), 0)).as_deref(), Some("wide web x\n"));
    assert_eq!(select((&body, 0), (&el("#b"), 1)).as_deref(), Some("Hi big wide web x\nNext"));
    sel.remove_all_ranges().expect("clear");
    root.remove();
    after.remove();
}

#[wasm_bindgen_test]
fn points_in_hidden_or_skipped_text_map_to_the_text_after_them() {
    let root = host(
        "<p>one <span hidden>secret</span>two<script>code</script> three</p>\
         <div data-marginalia-skip>skip me</div><p>four</p>",
    );
    let map = TextMap::read(&root);
    assert_eq!(map.document().text(), "one two three\nfour");
    let text_in = |selector: &str| -> Node {
        root.query_selector(selector).ok().flatten().and_then(|e| e.first_child()).expect(selector)
    };
    // "secret" stands where "two" starts; "code" where the space before
    // "three" is; the skipped block where "four" starts.
    for offset in [0, 3, 6] {
        assert_eq!(map.to_cp(&text_in("span"), offset, Round::Down), Some(4), "secret, {offset}");
    }
    assert_eq!(map.to_cp(&text_in("script"), 2, Round::Down), Some(7));
    assert_eq!(map.to_cp(&text_in("div"), 3, Round::Down), Some(14));
    root.remove();
    // Whitespace between blocks, and an empty text node, are no text either.
    let root = host("<p>ab</p>\n  <p>cd</p>");
    let map = TextMap::read(&root);
    assert_eq!(map.document().text(), "ab\ncd");
    let between = root.child_nodes().item(1).expect("the whitespace between");
    assert_eq!(between.node_type(), Node::TEXT_NODE);
    assert_eq!(map.to_cp(&between, 2, Round::Down), Some(3));
    let p = root.first_element_child().expect("p");
    p.append_child(&gloo::utils::document().create_text_node("")).expect("append");
    let root_again = TextMap::read(&root);
    let empty = p.last_child().expect("the empty text");
    assert_eq!(root_again.document().text(), "ab\ncd");
    assert_eq!(root_again.to_cp(&empty, 0, Round::Down), Some(2), "the end of \"ab\"");
    root.remove();
}

#[wasm_bindgen_test]
fn a_selection_from_inside_a_link_to_inside_an_em_in_the_next_paragraph_is_those_words() {
    let root = host("<p>Read <a href=\"#\">the full report</a> here.</p><p>It was <em>very</em> long.</p>");
    let map = TextMap::read(&root);
    let doc = map.document();
    assert_eq!(doc.text(), "Read the full report here.\nIt was very long.");
    let text_in = |selector: &str| -> Node {
        root.query_selector(selector).ok().flatten().and_then(|e| e.first_child()).expect(selector)
    };
    let range = gloo::utils::document().create_range().expect("range");
    range.set_start(&text_in("a"), 4).expect("start"); // "full"
    range.set_end(&text_in("em"), 2).expect("end"); // "ve"
    let sel = gloo::utils::window().get_selection().expect("api").expect("selection");
    sel.remove_all_ranges().expect("clear");
    sel.add_range(&range).expect("add");
    let picked = selection::current(&map).expect("in the article");
    assert_eq!(doc.slice(picked.start, picked.end), "full report here.\nIt was ve");
    // And back: the span's range is the very same DOM range.
    let back = map.range(picked.start, picked.end).expect("range");
    assert!(back.start_container().ok().is_some_and(|n| n.is_same_node(Some(&text_in("a")))));
    assert_eq!(back.start_offset().ok(), Some(4));
    assert!(back.end_container().ok().is_some_and(|n| n.is_same_node(Some(&text_in("em")))));
    assert_eq!(back.end_offset().ok(), Some(2));
    sel.remove_all_ranges().expect("clear");
    root.remove();
}

#[wasm_bindgen_test]
fn a_text_node_changed_after_reading_is_not_the_map_s() {
    // The map is of the DOM as it was read: a new text node is outside it
    // and counts as where it stands.
    let root = host("<p>alpha beta</p>");
    let map = TextMap::read(&root);
    let p = root.first_element_child().expect("p");
    let late = gloo::utils::document().create_text_node(" gamma");
    p.append_child(&late).expect("append");
    assert_eq!(map.to_cp(&late, 3, Round::Down), Some(map.document().len()));
    let early = gloo::utils::document().create_text_node("zero ");
    p.insert_before(&early, p.first_child().as_ref()).expect("insert");
    assert_eq!(map.to_cp(&early, 2, Round::Down), Some(0));
    root.remove();
}
