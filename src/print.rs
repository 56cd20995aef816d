//! The report's print view: a window of its own holding the fact-check
//! report as plain elements (text nodes only, never parsed HTML), opened
//! with the browser's print dialog. On a host page this prints the report,
//! not the host's article.

use marginalia_core::annotation::unquoted;
use marginalia_core::report::Report;
use marginalia_core::review::Status;
use marginalia_core::time::to_rfc3339;
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
    document.set_title(&format!("Fact-check report: {}", report.title));
    let main = add(&document, &body, "main", "")?;
    add(&document, &main, "h1", &format!("Fact-check report: {}", report.title))?;
    let counts: Vec<String> =
        report.status_counts().iter().map(|(s, n)| format!("{n} {}", s.label().to_lowercase())).collect();
    let date = to_rfc3339(now_ms).chars().take(10).collect::<String>();
    add(
        &document,
        &main,
        "p",
        &format!("Generated {date}. Claims: {}. Quotes: {}.", counts.join(", "), report.quotes.len()),
    )?;

    add(&document, &main, "h2", &format!("Claims ({})", report.claims.len()))?;
    let claims = add(&document, &main, "ol", "")?;
    for c in &report.claims {
        let item = add(&document, &claims, "li", "")?;
        item.set_attribute("data-annotation-id", &c.id).map_err(|_| "could not mark a claim")?;
        add(&document, &item, "blockquote", &format!("“{}”", unquoted(&c.quote)))?;
        let verdict = match (&c.verdict, c.status) {
            (Some(v), Status::Checked) => format!("Verdict: {v}"),
            (Some(v), s) => format!("Verdict: {v} ({})", s.label().to_lowercase()),
            (None, s) => format!("Verdict: none yet ({})", s.label().to_lowercase()),
        };
        add(&document, &item, "p", &verdict)?;
        if let Some(who) = &c.speaker {
            add(&document, &item, "p", &format!("Said by: {who}"))?;
        }
        if !c.explanation.is_empty() {
            add(&document, &item, "p", &c.explanation)?;
        }
        if !c.sources.is_empty() {
            let list = add(&document, &item, "ul", "")?;
            for s in &c.sources {
                let li = add(&document, &list, "li", "")?;
                let shown = if s.title.is_empty() { s.url.as_str() } else { s.title.as_str() };
                let link = add(&document, &li, "a", shown)?;
                // Only web addresses reach a review (`is_web_url`).
                link.set_attribute("href", &s.url).map_err(|_| "could not link a source")?;
                add(&document, &li, "span", &format!(" ({})", s.url))?;
            }
        }
    }
    add(&document, &main, "h2", &format!("Quotes ({})", report.quotes.len()))?;
    let quotes = add(&document, &main, "ol", "")?;
    for q in &report.quotes {
        let item = add(&document, &quotes, "li", "")?;
        let mut who = q.speaker.clone().unwrap_or_else(|| "speaker unknown".into());
        for extra in [&q.date, &q.venue] {
            if !extra.is_empty() {
                who = format!("{who}, {extra}");
            }
        }
        add(&document, &item, "span", &format!("“{}” — {who}", unquoted(&q.quote)))?;
    }
    // Printing is the reader's to confirm or cancel; the view stays open.
    let _ = view.print();
    Ok(())
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
