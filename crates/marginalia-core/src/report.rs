//! The readable fact-check report: every claim with its labelled facts
//! (verdict, status, who said it, reviewer, review date, explanation,
//! sources) and every quote with who said it. One model for every way it
//! is written out — the Markdown download here, the print view in the
//! shell — so both say the same words: each decides only how to write
//! them (CommonMark, with no reader's text able to become markup; or
//! elements and text nodes).

use crate::annotation::{unquoted, Annotation, CLAIM, QUOTE};
use crate::claimreview::{claimant_of, date_of};
use crate::markdown::{md_text, md_url, Place};
use crate::review::{is_web_url, Scale, Source, Status};

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
    /// The rating's label; a verdict no longer on the scale keeps its id
    /// (and `off_scale` says so), rather than vanishing from the report.
    pub verdict: Option<String>,
    pub off_scale: bool,
    pub explanation: String,
    pub sources: Vec<Source>,
    pub reviewer: String,
    /// When the review was last changed, ms since the Unix epoch.
    pub reviewed: Option<u64>,
    /// Who made the claim: the review's claimant, else the speaker of the
    /// attributed quote around it (`claimreview::claimant_of`).
    pub claimant: Option<String>,
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

/// One thing the report says about a claim: a label and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub label: &'static str,
    pub value: FactValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactValue {
    Text(String),
    Sources(Vec<SourceLine>),
}

/// A source as the report gives it: the words shown, the web address they
/// link to (none when the address is not a web one), and what follows
/// them in brackets, if anything (why it is not linked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub text: String,
    pub link: Option<String>,
    pub note: String,
}

/// The labels of a claim's facts, in the order they are given.
pub const VERDICT: &str = "Verdict";
pub const STATUS: &str = "Status";
pub const CLAIMANT: &str = "Said by";
pub const REVIEWER: &str = "Reviewer";
pub const REVIEWED: &str = "Reviewed on";
pub const EXPLANATION: &str = "Explanation";
pub const SOURCES: &str = "Sources";

/// The sections, and what each says when it has nothing to list.
pub const CLAIMS_HEADING: &str = "Claims";
pub const NO_CLAIMS: &str = "No claims are tagged.";
pub const QUOTES_HEADING: &str = "Quotes";
pub const NO_QUOTES: &str = "No quotes are tagged.";

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

    /// `Fact-check report: <title>`, or without a title when it has none.
    pub fn heading(&self) -> String {
        if self.title.is_empty() {
            "Fact-check report".into()
        } else {
            format!("Fact-check report: {}", self.title)
        }
    }

    /// `Generated 2026-12-02. 4 claims: 3 checked, 1 in progress, 0 to
    /// check. 2 quotes.`, dated the day of `now_ms` (UTC).
    pub fn summary(&self, now_ms: u64) -> String {
        let [to_check, in_progress, checked] = self.status_counts().map(|(_, n)| n);
        format!(
            "Generated {}. {}: {checked} checked, {in_progress} in progress, {to_check} to check. {}.",
            date_of(now_ms),
            plural(self.claims.len(), "claim"),
            plural(self.quotes.len(), "quote"),
        )
    }

    /// The report as CommonMark, dated the day of `now_ms` (UTC).
    pub fn to_markdown(&self, now_ms: u64) -> String {
        let mut out = Vec::new();
        out.push(format!("# {}", md_text(&self.heading(), Place::Heading)));
        out.push(String::new());
        out.push(md_text(&self.summary(now_ms), Place::LineStart));
        out.push(String::new());
        section(&mut out, CLAIMS_HEADING, NO_CLAIMS, self.claims.is_empty());
        for (i, c) in self.claims.iter().enumerate() {
            // Lines under an item must be indented to its text, which is
            // one column further from the tenth item on, or they would
            // end the list.
            let marker = format!("{}. ", i + 1);
            let indent = " ".repeat(marker.len());
            out.push(format!("{marker}{}", md_text(&c.shown_quote(), Place::Inline)));
            for fact in c.facts() {
                md_fact(&mut out, &indent, &fact);
            }
        }
        out.push(String::new());
        section(&mut out, QUOTES_HEADING, NO_QUOTES, self.quotes.is_empty());
        for (i, q) in self.quotes.iter().enumerate() {
            let line = format!("{} — {}", q.shown_quote(), q.credit());
            out.push(format!("{}. {}", i + 1, md_text(&line, Place::Inline)));
        }
        out.push(String::new());
        out.join("\n")
    }
}

impl ClaimLine {
    /// The claim's words in curly quotes, as both renderings show them.
    pub fn shown_quote(&self) -> String {
        in_quotes(&self.quote)
    }

    /// What the report says about this claim, in order. The verdict and
    /// the status always; the rest when there is something to say.
    pub fn facts(&self) -> Vec<Fact> {
        let text = |label, value: String| Fact { label, value: FactValue::Text(value) };
        let mut facts = vec![text(VERDICT, self.verdict_words()), text(STATUS, self.status.label().into())];
        if let Some(who) = named(self.claimant.as_deref()) {
            facts.push(text(CLAIMANT, who.into()));
        }
        if let Some(reviewer) = named(Some(&self.reviewer)) {
            facts.push(text(REVIEWER, reviewer.into()));
        }
        if let Some(at) = self.reviewed {
            facts.push(text(REVIEWED, date_of(at)));
        }
        if let Some(explanation) = named(Some(&self.explanation)) {
            facts.push(text(EXPLANATION, explanation.into()));
        }
        if !self.sources.is_empty() {
            facts.push(Fact {
                label: SOURCES,
                value: FactValue::Sources(self.sources.iter().map(source_line).collect()),
            });
        }
        facts
    }

    /// `False` once checked; `False (in progress)` while a verdict is
    /// given but the check is not done, so a provisional verdict never
    /// reads as a final one; `none yet` before one is given. A verdict
    /// the scale lacks says so.
    pub fn verdict_words(&self) -> String {
        let mut notes = Vec::new();
        if self.off_scale {
            notes.push("not on this scale".to_string());
        }
        if self.status != Status::Checked {
            notes.push(self.status.label().to_lowercase());
        }
        match named(self.verdict.as_deref()) {
            Some(v) if notes.is_empty() => v.to_string(),
            Some(v) => format!("{v} ({})", notes.join("; ")),
            // Checked without a verdict: `Review::problems` refuses it on
            // save, but older data may hold one; say so rather than invent one.
            None if self.status == Status::Checked => "none given".into(),
            None => "none yet".into(),
        }
    }
}

impl QuoteLine {
    pub fn shown_quote(&self) -> String {
        in_quotes(&self.quote)
    }

    /// `Amara Okafor, 2026-11-30, Council meeting`, or `speaker unknown`.
    pub fn credit(&self) -> String {
        let speaker = named(self.speaker.as_deref()).unwrap_or("speaker unknown");
        let mut parts = vec![speaker];
        parts.extend([self.date.as_str(), self.venue.as_str()].into_iter().map(str::trim).filter(|t| !t.is_empty()));
        parts.join(", ")
    }
}

fn claim_line(a: &Annotation, annotations: &[Annotation], scale: &Scale) -> ClaimLine {
    let review = a.shown_review();
    let verdict = review.and_then(|r| r.verdict.as_deref());
    ClaimLine {
        id: a.id.to_string(),
        quote: a.quote.exact.clone(),
        status: review.map_or(Status::ToCheck, |r| r.status),
        verdict: verdict.map(|v| scale.get(v).map_or(v, |rating| rating.label.as_str()).trim().to_string()),
        off_scale: verdict.is_some_and(|v| scale.get(v).is_none()),
        explanation: review.map(|r| r.explanation.trim().to_string()).unwrap_or_default(),
        sources: review.map(|r| r.sources.clone()).unwrap_or_default(),
        reviewer: review.map(|r| r.reviewer.trim().to_string()).unwrap_or_default(),
        reviewed: review.and_then(|r| r.reviewed),
        claimant: claimant_of(a, annotations).map(|c| c.claimant.trim().to_string()),
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

/// A source linked when its address is a web one; otherwise shown with
/// why it is not linked.
fn source_line(s: &Source) -> SourceLine {
    let (title, url) = (s.title.trim(), s.url.trim());
    let text = if title.is_empty() { url } else { title }.to_string();
    if is_web_url(url) {
        return SourceLine { text, link: Some(url.to_string()), note: String::new() };
    }
    let note = if title.is_empty() {
        "not linked: not a web address".to_string()
    } else {
        format!("not linked: {url} is not a web address")
    };
    SourceLine { text, link: None, note }
}

/// The text in curly quotes. A quote is often selected with its own
/// marks; wrapping those again would print them twice.
fn in_quotes(text: &str) -> String {
    format!("“{}”", unquoted(text))
}

/// Text worth saying: never an empty `Said by:`.
fn named(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `## Claims`, a blank line, and the empty sentence when there is nothing.
fn section(out: &mut Vec<String>, heading: &str, empty: &str, is_empty: bool) {
    out.push(format!("## {heading}"));
    out.push(String::new());
    if is_empty {
        out.push(empty.into());
    }
}

/// `   - Label: value`, or the sources as a nested list of links.
fn md_fact(out: &mut Vec<String>, indent: &str, fact: &Fact) {
    match &fact.value {
        FactValue::Text(value) => out.push(format!("{indent}- {}: {}", fact.label, md_text(value, Place::Inline))),
        FactValue::Sources(sources) => {
            out.push(format!("{indent}- {}:", fact.label));
            for s in sources {
                out.push(format!("{indent}  - {}", md_source(s)));
            }
        }
    }
}

fn md_source(s: &SourceLine) -> String {
    let text = md_text(&s.text, Place::Inline);
    match (&s.link, s.note.is_empty()) {
        (Some(url), _) => format!("[{text}]({})", md_url(url)),
        (None, true) => text,
        (None, false) => format!("{text} ({})", md_text(&s.note, Place::Inline)),
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
