//! What a fact-check says about the claim itself, beside the verdict: who
//! made it (a name, a job title, a `sameAs` address such as a Wikidata
//! page), when, and where else it appeared. ClaimReview's `itemReviewed`
//! and the Fact Check Markup Tool's `claimAuthor`, `claimDate` and
//! `claimAppearances` are written from it; a claim without it is
//! published with less, never with made-up values.

use crate::review::{is_iso_date, is_web_url, Field};
use serde::{Deserialize, Serialize};

/// The longest claimant's name or job title kept: longer is refused, not
/// cut short.
pub const CLAIMANT_LIMIT: usize = 200;
/// At most this many other appearances.
pub const APPEARANCES_LIMIT: usize = 20;

/// Every field may be empty; empty fields are not stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFacts {
    /// Who made the claim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
    #[serde(default, rename = "jobTitle", skip_serializing_if = "String::is_empty")]
    pub job_title: String,
    /// An address that identifies the claimant (Wikidata, an official page).
    #[serde(default, rename = "sameAs", skip_serializing_if = "String::is_empty")]
    pub same_as: String,
    /// When the claim was made, `YYYY-MM-DD`; empty means the article's date.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    /// Where else the claim appeared, besides the article: http(s) addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appearances: Vec<String>,
}

impl ClaimFacts {
    pub fn is_empty(&self) -> bool {
        *self == ClaimFacts::default()
    }

    /// Each field trimmed, blank appearances dropped.
    pub fn tidied(&self) -> ClaimFacts {
        ClaimFacts {
            claimant: self.claimant.trim().to_string(),
            job_title: self.job_title.trim().to_string(),
            same_as: self.same_as.trim().to_string(),
            date: self.date.trim().to_string(),
            appearances: self.appearances.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        }
    }

    /// What stops these facts being saved, each with its field. `today`
    /// (`YYYY-MM-DD`, or empty when unknown) bounds the claim's date: a
    /// claim is not reviewed before it is made.
    pub fn problems_by_field(&self, today: &str) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        if self.claimant.is_empty() && !(self.job_title.is_empty() && self.same_as.is_empty()) {
            out.push((Field::Claimant, "a job title or address needs the claimant's name".to_string()));
        }
        for (text, what) in [(&self.claimant, "the claimant's name"), (&self.job_title, "the job title")] {
            if text.chars().count() > CLAIMANT_LIMIT {
                out.push((Field::Claimant, format!("{what} is longer than {CLAIMANT_LIMIT} characters")));
            }
        }
        if !self.same_as.is_empty() && !is_web_url(&self.same_as) {
            out.push((Field::SameAs, format!("{:?} is not a web address (http:// or https://)", self.same_as)));
        }
        if !self.date.is_empty() {
            if !is_iso_date(&self.date) {
                out.push((Field::ClaimDate, format!("the claim date {:?} is not a date like 2026-11-30", self.date)));
            } else if !today.is_empty() && self.date.as_str() > today {
                out.push((Field::ClaimDate, format!("the claim date {} is after today", self.date)));
            }
        }
        for (i, a) in self.appearances.iter().enumerate() {
            if !is_web_url(a) {
                out.push((
                    Field::Appearances,
                    format!("appearance {}: {a:?} is not a web address (http:// or https://)", i + 1),
                ));
            }
        }
        if self.appearances.len() > APPEARANCES_LIMIT {
            out.push((Field::Appearances, format!("at most {APPEARANCES_LIMIT} other appearances")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(claimant: &str, job: &str, same_as: &str, date: &str, appearances: &[&str]) -> ClaimFacts {
        ClaimFacts {
            claimant: claimant.into(),
            job_title: job.into(),
            same_as: same_as.into(),
            date: date.into(),
            appearances: appearances.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn table_of_claim_fact_problems() {
        let today = "2026-12-07";
        let long = "x".repeat(CLAIMANT_LIMIT + 1);
        let wikidata = "https://www.wikidata.org/wiki/Q42";
        let cases = [
            (facts("", "", "", "", &[]), vec![], "nothing said"),
            (facts("Amara Okafor", "Council leader", wikidata, "2026-11-30", &["https://x.example/a"]), vec![], "all"),
            (facts("", "Council leader", "", "", &[]), vec![Field::Claimant], "a job title with no one"),
            (facts("", "", wikidata, "", &[]), vec![Field::Claimant], "an address with no one"),
            (facts(&long, "", "", "", &[]), vec![Field::Claimant], "a name too long"),
            (facts("A", &long, "", "", &[]), vec![Field::Claimant], "a job title too long"),
            (facts("A", "", "wikidata.org/wiki/Q42", "", &[]), vec![Field::SameAs], "no scheme"),
            (facts("A", "", "javascript:alert(1)", "", &[]), vec![Field::SameAs], "not the web"),
            (facts("A", "", "", "30/11/2026", &[]), vec![Field::ClaimDate], "not a date"),
            (facts("A", "", "", "2026-12-08", &[]), vec![Field::ClaimDate], "tomorrow"),
            (facts("A", "", "", "2026-12-07", &[]), vec![], "today"),
            (facts("", "", "", "2026-11-30", &[]), vec![], "a date alone: the claimant may be unknown"),
            (facts("A", "", "", "", &["ftp://x.example"]), vec![Field::Appearances], "an appearance off the web"),
        ];
        for (f, want, why) in cases {
            let got: Vec<Field> = f.problems_by_field(today).into_iter().map(|(f, _)| f).collect();
            assert_eq!(got, want, "{why}");
        }
        let many: Vec<String> = (0..=APPEARANCES_LIMIT).map(|i| format!("https://x.example/{i}")).collect();
        let f = ClaimFacts { appearances: many, ..ClaimFacts::default() };
        assert_eq!(f.problems_by_field(today).len(), 1);
        // Unknown today: any real date is taken.
        assert!(facts("A", "", "", "2999-01-01", &[]).problems_by_field("").is_empty());
    }

    #[test]
    fn tidying_trims_and_drops_blank_appearances() {
        let typed = facts(" Amara ", " Leader ", " https://x.example ", " 2026-11-30 ", &["", " https://y.example "]);
        assert_eq!(typed.tidied(), facts("Amara", "Leader", "https://x.example", "2026-11-30", &["https://y.example"]));
        assert!(facts(" ", "", "", "", &[" "]).tidied().is_empty());
    }

    #[test]
    fn stored_with_schema_org_names_and_empty_fields_left_out() {
        let f = facts("Amara Okafor", "", "https://www.wikidata.org/wiki/Q42", "", &[]);
        let json = serde_json::to_string(&f).unwrap_or_default();
        assert_eq!(json, r#"{"claimant":"Amara Okafor","sameAs":"https://www.wikidata.org/wiki/Q42"}"#);
        assert_eq!(serde_json::from_str::<ClaimFacts>(&json).ok(), Some(f));
    }
}
