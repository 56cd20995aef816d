//! Fact-checking values: a claim's review (verdict, explanation, sources,
//! status, reviewer, date), a quote's attribution (speaker, date, venue),
//! the rating scale verdicts come from, and what makes any of them invalid.

pub use crate::claim_facts::ClaimFacts;
use serde::{Deserialize, Serialize};

/// A claim's fact-check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The id of a rating of the scale in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// Plain text, at most [`EXPLANATION_LIMIT`] code points.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer: String,
    /// When the review was last changed, ms since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<u64>,
    /// Who made the claim, when, and where else it appeared.
    #[serde(default, skip_serializing_if = "ClaimFacts::is_empty")]
    pub claim: ClaimFacts,
}

/// One source a reviewer cites: an absolute http(s) URL and its title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub url: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    ToCheck,
    InProgress,
    Checked,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::ToCheck, Status::InProgress, Status::Checked];

    /// The name stored, exported (W3C `classifying`) and used in forms.
    pub fn id(self) -> &'static str {
        match self {
            Status::ToCheck => "to-check",
            Status::InProgress => "in-progress",
            Status::Checked => "checked",
        }
    }

    pub fn from_id(id: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::ToCheck => "To check",
            Status::InProgress => "In progress",
            Status::Checked => "Checked",
        }
    }
}

/// Who said a quote, and when and where when known.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub speaker: String,
    /// An ISO 8601 date (`2026-11-30`), or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub venue: String,
}

pub const EXPLANATION_LIMIT: usize = 2_000;
pub const SOURCES_LIMIT: usize = 20;

/// One step of a rating scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub id: String,
    pub label: String,
    pub value: i32,
}

/// The verdicts a claim can get, best first. A host may give its own
/// (`ratings: [{ id, label, value }]`); best and worst follow from the values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    ratings: Vec<Rating>,
}

impl Default for Scale {
    /// True, Mostly true, Half true, Misleading, False, Unverifiable. The
    /// last is not a point on the scale of truth, so it sits below it (0)
    /// rather than between the others.
    fn default() -> Scale {
        let r = |id: &str, label: &str, value| Rating { id: id.into(), label: label.into(), value };
        Scale {
            ratings: vec![
                r("true", "True", 5),
                r("mostly-true", "Mostly true", 4),
                r("half-true", "Half true", 3),
                r("misleading", "Misleading", 2),
                r("false", "False", 1),
                r("unverifiable", "Unverifiable", 0),
            ],
        }
    }
}

impl Scale {
    /// A host's scale, or why it cannot be used: at least two ratings,
    /// ids of lowercase letters, digits and dashes, each once, labels not
    /// blank, values not all equal.
    pub fn new(ratings: Vec<Rating>) -> Result<Scale, String> {
        if ratings.len() < 2 {
            return Err("a rating scale needs at least two ratings".into());
        }
        for (i, r) in ratings.iter().enumerate() {
            let id_ok = !r.id.is_empty()
                && r.id.len() <= 40
                && r.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_ok {
                return Err(format!("rating {}: the id {:?} is not lowercase letters, digits and dashes", i + 1, r.id));
            }
            if r.label.trim().is_empty() {
                return Err(format!("rating {}: the label is blank", i + 1));
            }
            if ratings[..i].iter().any(|o| o.id == r.id) {
                return Err(format!("rating {}: the id {:?} appears twice", i + 1, r.id));
            }
        }
        if ratings.iter().all(|r| r.value == ratings[0].value) {
            return Err("every rating has the same value: nothing is better than anything else".into());
        }
        // Best first, ratings of one value in the host's order: each put
        // after those at least as good. A scale is a handful of ratings, and
        // the first paint (which checks the option) then carries no general
        // sort for it (4.5 KB of code before wasm-opt).
        let mut sorted: Vec<Rating> = Vec::with_capacity(ratings.len());
        for r in ratings {
            sorted.insert(sorted.partition_point(|s| s.value >= r.value), r);
        }
        Ok(Scale { ratings: sorted })
    }

    /// Best first.
    pub fn ratings(&self) -> &[Rating] {
        &self.ratings
    }

    pub fn get(&self, id: &str) -> Option<&Rating> {
        self.ratings.iter().find(|r| r.id == id)
    }

    /// A rating by id or label, whatever the case (files from elsewhere).
    pub fn find(&self, id_or_label: &str) -> Option<&Rating> {
        let wanted = id_or_label.trim().to_lowercase();
        self.ratings.iter().find(|r| r.id == wanted || r.label.to_lowercase() == wanted)
    }

    pub fn best(&self) -> i32 {
        self.ratings.first().map_or(0, |r| r.value)
    }

    pub fn worst(&self) -> i32 {
        self.ratings.last().map_or(0, |r| r.value)
    }
}

/// Whether `url` is an absolute http or https URL with a host: what a
/// source may link to (no `javascript:`, no relative path).
pub fn is_web_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(['.', '-', ':'])
        && url.chars().all(|c| c.is_ascii_graphic() || !c.is_ascii())
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// The field of the fact-check or speaker form a problem is about, so the
/// form can say it next to that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Verdict,
    Explanation,
    Sources,
    Speaker,
    SaidOn,
    Venue,
    Claimant,
    SameAs,
    ClaimDate,
    Appearances,
    ArticleUrl,
    ArticleTitle,
    Publisher,
    Published,
    FactCheckUrl,
}

/// The longest speaker's name or place an attribution keeps: longer is
/// refused, not cut short, so nothing typed is half-saved.
pub const ATTRIBUTION_LIMIT: usize = 200;

impl Attribution {
    /// The attribution as saved: each field trimmed; `None` when all are
    /// blank (saving an empty form removes the speaker).
    pub fn tidied(&self) -> Option<Attribution> {
        let tidy = Attribution {
            speaker: self.speaker.trim().to_string(),
            date: self.date.trim().to_string(),
            venue: self.venue.trim().to_string(),
        };
        (tidy != Attribution::default()).then_some(tidy)
    }

    /// What stops this attribution being saved, each with its field: a
    /// date or place with no speaker, a name or place past
    /// [`ATTRIBUTION_LIMIT`], a date that is not `YYYY-MM-DD`. Read on the
    /// tidied attribution.
    pub fn problems_by_field(&self) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if self.speaker.is_empty() && (!self.date.is_empty() || !self.venue.is_empty()) {
            out.push((Field::Speaker, "a date or place needs the speaker's name".to_string()));
        }
        if self.speaker.chars().count() > ATTRIBUTION_LIMIT {
            out.push((Field::Speaker, format!("the speaker's name is longer than {ATTRIBUTION_LIMIT} characters")));
        }
        if !self.date.is_empty() && !is_iso_date(&self.date) {
            out.push((Field::SaidOn, format!("the date {:?} is not a date like 2026-11-30", self.date)));
        }
        if self.venue.chars().count() > ATTRIBUTION_LIMIT {
            out.push((Field::Venue, format!("the place is longer than {ATTRIBUTION_LIMIT} characters")));
        }
        out
    }
}

/// `YYYY-MM-DD` with a month and day that exist in some year.
pub fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    matches!((number(y, 4), number(m, 2), number(d, 2)), (Some(_), Some(1..=12), Some(1..=31)))
}

impl Review {
    /// What is wrong with this review on `scale`, in words, for the reader:
    /// empty when it can be saved and published.
    /// `today` (`YYYY-MM-DD`, or empty when unknown) bounds the claim's date.
    pub fn problems(&self, scale: &Scale, today: &str) -> Vec<String> {
        self.problems_by_field(scale, today).into_iter().map(|(_, why)| why).collect()
    }

    /// The same, each with the field it is about.
    pub fn problems_by_field(&self, scale: &Scale, today: &str) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if let Some(v) = &self.verdict {
            if scale.get(v).is_none() {
                out.push((Field::Verdict, format!("the verdict {v:?} is not on this rating scale")));
            }
        }
        if self.status == Status::Checked && self.verdict.is_none() {
            out.push((Field::Verdict, "a claim marked checked needs a verdict".into()));
        }
        for (i, s) in self.sources.iter().enumerate() {
            if !is_web_url(&s.url) {
                out.push((
                    Field::Sources,
                    format!("source {}: {:?} is not a web address (http:// or https://)", i + 1, s.url),
                ));
            }
        }
        if self.sources.len() > SOURCES_LIMIT {
            out.push((Field::Sources, format!("at most {SOURCES_LIMIT} sources")));
        }
        if self.explanation.chars().count() > EXPLANATION_LIMIT {
            out.push((Field::Explanation, format!("the explanation is longer than {EXPLANATION_LIMIT} characters")));
        }
        out.extend(self.claim.problems_by_field(today));
        out
    }
}

/// The verdicts of `reviews` that `scale` lacks, each once, in order met:
/// saved under another scale (a host changed its `ratings`). They are kept
/// as they are; the reader is told, and ClaimReview leaves those claims out.
pub fn off_scale<'a>(reviews: impl IntoIterator<Item = &'a Review>, scale: &Scale) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in reviews.into_iter().filter_map(|r| r.verdict.as_deref()) {
        if scale.get(v).is_none() && !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
