//! Claims: which sentences carry checkable content, and why.

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const QUANTITIES: [&str; 10] =
    ["percent", "million", "billion", "trillion", "thousand", "hundred", "hundreds", "thousands", "dozen", "tonnes"];
const ACTIONS: [&str; 24] = [
    "voted",
    "approved",
    "announced",
    "confirmed",
    "decided",
    "ruled",
    "banned",
    "agreed",
    "signed",
    "launched",
    "withdrew",
    "rose",
    "fell",
    "increased",
    "decreased",
    "doubled",
    "cut",
    "raised",
    "awarded",
    "fined",
    "sentenced",
    "charged",
    "appointed",
    "resigned",
];
const OPINION_WORDS: [&str; 6] = ["should", "must", "ought", "surely", "perhaps", "arguably"];
/// Phrases, matched on the sentence's words joined by single spaces.
const OPINION_PHRASES: [&str; 6] = ["i think", "i believe", "in my view", "it is time", "we need", "let us"];
const FINDINGS: [&str; 13] = [
    "according to",
    "study found",
    "studies found",
    "survey found",
    "figures show",
    "data show",
    "report found",
    "research found",
    "analysis found",
    "statistics show",
    "found that",
    "show that",
    "per cent",
];

/// Why a sentence is a checkable claim, or `None`. The sentence is split
/// into lowercase words once; every test is on those words.
pub(super) fn claim_cue(sentence: &[char]) -> Option<&'static str> {
    let end = sentence.iter().rposition(|c| !"”’\"»)".contains(*c)).map_or(0, |i| i + 1);
    if sentence.len() < 25 || sentence[..end].last() == Some(&'?') {
        return None;
    }
    let text: String = sentence.iter().collect::<String>().to_lowercase();
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').filter(|w| !w.is_empty()).collect();
    let joined = format!(" {} ", words.join(" "));
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let phrase = |set: &[&str]| set.iter().any(|p| joined.contains(&format!(" {p} ")));
    if has(&OPINION_WORDS) || phrase(&OPINION_PHRASES) {
        return None;
    }
    if sentence.iter().any(|c| c.is_ascii_digit()) {
        return Some("numbers");
    }
    if has(&QUANTITIES) || words.contains(&"half") {
        return Some("a quantity");
    }
    if has(&MONTHS) || has(&WEEKDAYS) {
        return Some("a date");
    }
    if phrase(&FINDINGS) {
        return Some("an attributed finding");
    }
    if has(&ACTIONS) {
        return Some("what a named body did");
    }
    None
}
