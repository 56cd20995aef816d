//! The readable fact-check report: every claim with its status, verdict,
//! explanation and sources, and every quote with who said it, as a value
//! and as CommonMark in which no reader's text can become markup.

use crate::annotation::Annotation;
use crate::claimreview::{date_of, speaker_of};
use crate::review::{is_web_url, Scale, Source, Status};

use crate::annotation::{CLAIM, QUOTE};

/// What the report says, before it is written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    pub claims: Vec<ClaimLine>,
    pub quotes: Vec<QuoteLine>,
}

/// One claim, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimLine {
    pub id: String,
    pub quote: String,
    pub status: Status,
    /// The rating's label; a verdict no longer on the scale shows its id
    /// and says so, rather than vanishing from the report.
    pub verdict: Option<String>,
    pub explanation: String,
    pub sources: Vec<Source>,
    pub reviewer: String,
    /// When the review was last changed, ms since the Unix epoch.
    pub reviewed: Option<u64>,
    /// Who said it, from the attributed quote around it.
    pub speaker: Option<String>,
}

/// One quote, attributed or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteLine {
    pub id: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub date: String,
    pub venue: String,
}

impl Report {
    /// Every claim and every quote, in document order (by span start, then
    /// end), whatever their status: a report that left out the unchecked
    /// would overstate how much was checked.
    pub fn build(title: &str, annotations: &[Annotation], scale: &Scale) -> Report {
        let mut ordered: Vec<&Annotation> = annotations.iter().collect();
        ordered.sort_by_key(|a| (a.span.start(), a.span.end()));
        let tagged = |tag: &'static str| ordered.iter().copied().filter(move |a| a.tag.as_str() == tag);
        Report {
            title: title.trim().to_string(),
            claims: tagged(CLAIM).map(|a| claim_line(a, annotations, scale)).collect(),
            quotes: tagged(QUOTE).map(quote_line).collect(),
        }
    }

    /// How many claims have each status, in [`Status::ALL`] order.
    pub fn status_counts(&self) -> [(Status, usize); 3] {
        Status::ALL.map(|s| (s, self.claims.iter().filter(|c| c.status == s).count()))
    }

    /// The report as CommonMark, dated the day of `now_ms` (UTC).
    pub fn to_markdown(&self, now_ms: u64) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        if self.title.is_empty() {
            line("# Fact-check report".into());
        } else {
            line(format!("# Fact-check report: {}", md_text(&self.title)));
        }
        line(String::new());
        let [to_check, in_progress, checked] = self.status_counts().map(|(_, n)| n);
        line(format!(
            "Generated {}. {}: {} checked, {} in progress, {} to check. {}.",
            date_of(now_ms),
            plural(self.claims.len(), "claim"),
            checked,
            in_progress,
            to_check,
            plural(self.quotes.len(), "quote"),
        ));
        line(String::new());
        line("## Claims".into());
        line(String::new());
        if self.claims.is_empty() {
            line("No claims are tagged.".into());
        }
        for (i, c) in self.claims.iter().enumerate() {
            // Lines under an item must be indented to its text, which is
            // one column further from the tenth item on, or they would
            // end the list.
            let marker = format!("{}. ", i + 1);
            let indent = " ".repeat(marker.len());
            line(format!("{marker}{}", quoted(&c.quote)));
            line(format!("{indent}- Verdict: {}", verdict(c)));
            if let Some(speaker) = named(c.speaker.as_deref()) {
                line(format!("{indent}- Said by: {}", md_text(speaker)));
            }
            if !c.explanation.trim().is_empty() {
                line(format!("{indent}- Explanation: {}", md_text(c.explanation.trim())));
            }
            if !c.sources.is_empty() {
                line(format!("{indent}- Sources:"));
                for s in &c.sources {
                    line(format!("{indent}  - {}", md_source(s)));
                }
            }
        }
        line(String::new());
        line("## Quotes".into());
        line(String::new());
        if self.quotes.is_empty() {
            line("No quotes are tagged.".into());
        }
        for (i, q) in self.quotes.iter().enumerate() {
            let speaker = named(q.speaker.as_deref()).map_or_else(|| "speaker unknown".to_string(), md_text);
            let said: Vec<String> = [q.date.as_str(), q.venue.as_str()]
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .map(|t| md_text(t.trim()))
                .collect();
            let said = if said.is_empty() { speaker } else { format!("{speaker}, {}", said.join(", ")) };
            line(format!("{}. {} — {said}", i + 1, quoted(&q.quote)));
        }
        out
    }
}

fn claim_line(a: &Annotation, annotations: &[Annotation], scale: &Scale) -> ClaimLine {
    let review = a.shown_review();
    let verdict = review.and_then(|r| r.verdict.as_deref()).map(|v| {
        scale.get(v).map_or_else(|| format!("{v} (not on this scale)"), |rating| rating.label.trim().to_string())
    });
    ClaimLine {
        id: a.id.to_string(),
        quote: a.quote.exact.clone(),
        status: review.map_or(Status::ToCheck, |r| r.status),
        verdict,
        explanation: review.map(|r| r.explanation.clone()).unwrap_or_default(),
        sources: review.map(|r| r.sources.clone()).unwrap_or_default(),
        reviewer: review.map(|r| r.reviewer.trim().to_string()).unwrap_or_default(),
        reviewed: review.and_then(|r| r.reviewed),
        speaker: speaker_of(a, annotations).map(|at| at.speaker.trim().to_string()),
    }
}

fn quote_line(a: &Annotation) -> QuoteLine {
    let at = a.shown_attribution();
    let field = |f: fn(&crate::review::Attribution) -> &str| at.map(|at| f(at).trim().to_string()).unwrap_or_default();
    QuoteLine {
        id: a.id.to_string(),
        quote: a.quote.exact.clone(),
        speaker: Some(field(|at| &at.speaker)).filter(|s| !s.is_empty()),
        date: field(|at| &at.date),
        venue: field(|at| &at.venue),
    }
}

/// `**False** (checked by Ana, 2026-12-01)`, or `none yet (to check)`.
fn verdict(c: &ClaimLine) -> String {
    if c.status != Status::Checked {
        return format!("none yet ({})", c.status.label().to_lowercase());
    }
    let mut by = String::from("checked");
    if !c.reviewer.trim().is_empty() {
        by.push_str(" by ");
        by.push_str(&md_text(c.reviewer.trim()));
    }
    if let Some(at) = c.reviewed {
        by.push_str(", ");
        by.push_str(&date_of(at));
    }
    match c.verdict.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => format!("**{}** ({by})", md_text(v)),
        // Checked without a verdict: `Review::problems` refuses it on save,
        // but older data may hold one; say so rather than invent one.
        None => format!("none given ({by})"),
    }
}

/// A source as a link when its address is a web one; otherwise as text
/// that says why it is not a link.
fn md_source(s: &Source) -> String {
    let title = s.title.trim();
    let url = s.url.trim();
    if is_web_url(url) {
        let label = if title.is_empty() { url } else { title };
        return format!("[{}]({})", md_text(label), md_url(url));
    }
    if title.is_empty() {
        format!("{} (not linked: not a web address)", md_text(url))
    } else {
        format!("{} (not linked: {} is not a web address)", md_text(title), md_text(url))
    }
}

/// The text in curly quotes, as Markdown. A quote is often selected with
/// its own marks; wrapping those again would print them twice.
fn quoted(text: &str) -> String {
    format!("“{}”", md_text(crate::annotation::unquoted(text)))
}

/// A speaker worth naming: never an empty `Said by:`.
fn named(speaker: Option<&str>) -> Option<&str> {
    speaker.map(str::trim).filter(|s| !s.is_empty())
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Untrusted text as CommonMark that shows it literally. Every ASCII
/// punctuation character gets a backslash, which CommonMark (and GFM's
/// extensions) honour before any of them: simpler to trust than deciding
/// where each could start a link, image, tag, entity, heading, list,
/// emphasis, code span, table or strikethrough. Line breaks and other
/// controls become spaces, so text cannot begin a line of its own.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A checked web address as a link destination: anything but what a URL
/// needs literally is percent-encoded, so a `)`, `<`, `>`, space, quote or
/// backslash can neither end the destination early nor be taken as an
/// escape. Non-ASCII letters stay, as a browser shows them. `&` stays too:
/// it separates query parameters, and the scheme is already fixed to
/// http(s) by [`is_web_url`], so an entity cannot make it `javascript:`.
fn md_url(url: &str) -> String {
    const KEEP: &str = "-._~:/?#[]@!$&'*+,;=%";
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let keep = if c.is_ascii() {
            c.is_ascii_alphanumeric() || KEEP.contains(c)
        } else {
            !c.is_whitespace() && !c.is_control()
        };
        if keep {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
