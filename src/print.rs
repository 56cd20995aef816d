//! The report's print view: a window of its own holding the fact-check
//! report as plain elements (text nodes only, never parsed HTML), opened
//! with the browser's print dialog. On a host page this prints the report,
//! not the host's article. Every word comes from the core's report model,
//! the one the Markdown download is written from: this only lays it out.

use marginalia_core::report::{self, ClaimLine, Fact, FactValue, QuoteLine, Report, SourceLine};
use web_sys::{Document, Element};

/// Opens the report in a new window and asks the browser to print it.
pub fn open(report: &Report, now_ms: u64) -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let view = window
        .open_with_url_and_target("", "_blank")
        .map_err(|_| "the browser refused a new window")?
        .ok_or("the browser blocked the new window (allow pop-ups for this page)")?;
    let document = view.document().ok_or("the new window has no document")?;
    let body = document.body().ok_or("the new window has no body")?;
    document.set_title(&report.heading());
    let main = add(&document, &body, "main", "")?;
    add(&document, &main, "h1", &report.heading())?;
    add(&document, &main, "p", &report.summary(now_ms))?;
    let page = Page { document: &document, main: &main };
    page.section(report::CLAIMS_HEADING, report::NO_CLAIMS, "claims", &report.claims, Page::claim)?;
    page.section(report::QUOTES_HEADING, report::NO_QUOTES, "quotes", &report.quotes, Page::quote)?;
    // Printing is the reader's to confirm or cancel; the view stays open.
    let _ = view.print();
    Ok(())
}

/// The print window's document and its `main`, where the sections go.
struct Page<'a> {
    document: &'a Document,
    main: &'a Element,
}

impl Page<'_> {
    /// A heading, then a numbered list of `items` (class `class`), or the
    /// sentence that says there are none.
    fn section<T>(
        &self,
        heading: &str,
        empty: &str,
        class: &str,
        items: &[T],
        write: fn(&Self, &Element, &T) -> Result<(), String>,
    ) -> Result<(), String> {
        add(self.document, self.main, "h2", heading)?;
        if items.is_empty() {
            add(self.document, self.main, "p", empty)?;
            return Ok(());
        }
        let list = add(self.document, self.main, "ol", "")?;
        list.set_attribute("class", class).map_err(|_| "could not mark a list")?;
        for item in items {
            let li = add(self.document, &list, "li", "")?;
            write(self, &li, item)?;
        }
        Ok(())
    }

    /// The claim's words, then each of its facts as `Label: value`.
    fn claim(&self, item: &Element, c: &ClaimLine) -> Result<(), String> {
        item.set_attribute("data-annotation-id", &c.id).map_err(|_| "could not mark a claim")?;
        add(self.document, item, "blockquote", &c.shown_quote())?;
        let facts = add(self.document, item, "ul", "")?;
        for fact in c.facts() {
            self.fact(&facts, &fact)?;
        }
        Ok(())
    }

    fn fact(&self, list: &Element, fact: &Fact) -> Result<(), String> {
        let li = add(self.document, list, "li", "")?;
        add(self.document, &li, "strong", &format!("{}:", fact.label))?;
        match &fact.value {
            FactValue::Text(value) => text(self.document, &li, &format!(" {value}")),
            FactValue::Sources(sources) => {
                let nested = add(self.document, &li, "ul", "")?;
                sources.iter().try_for_each(|s| self.source(&nested, s))
            }
        }
    }

    /// A linked source as its words and, on paper where a link cannot be
    /// followed, its address; an unlinked one with why it is not linked.
    fn source(&self, list: &Element, s: &SourceLine) -> Result<(), String> {
        let li = add(self.document, list, "li", "")?;
        match &s.link {
            Some(url) => {
                let link = add(self.document, &li, "a", &s.text)?;
                link.set_attribute("href", url).map_err(|_| "could not link a source")?;
                if s.text != *url {
                    text(self.document, &li, &format!(" ({url})"))?;
                }
                Ok(())
            }
            None if s.note.is_empty() => text(self.document, &li, &s.text),
            None => text(self.document, &li, &format!("{} ({})", s.text, s.note)),
        }
    }

    fn quote(&self, item: &Element, q: &QuoteLine) -> Result<(), String> {
        item.set_attribute("data-annotation-id", &q.id).map_err(|_| "could not mark a quote")?;
        text(self.document, item, &format!("{} — {}", q.shown_quote(), q.credit()))
    }
}

/// Appends a `tag` element holding `text` (as text) to `parent`.
fn add(document: &Document, parent: &Element, tag: &str, text: &str) -> Result<Element, String> {
    let element = document.create_element(tag).map_err(|_| format!("could not create a {tag}"))?;
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    parent.append_child(&element).map_err(|_| format!("could not add a {tag}"))?;
    Ok(element)
}

/// Appends `value` to `parent` as a text node.
fn text(document: &Document, parent: &Element, value: &str) -> Result<(), String> {
    parent.append_child(&document.create_text_node(value)).map_err(|_| "could not add text")?;
    Ok(())
}
