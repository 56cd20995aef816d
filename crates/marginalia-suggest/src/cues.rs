//! What a verb of saying beside a quote says about its speaker: a name
//! before or after it ("Doe said", "said Jane Doe"), a pronoun, a body
//! ("the company said"), someone unnamed ("one man shouted"), or a name
//! set off before its apposition.

use super::names::{capitalised, is_cue, run_after, run_before, Word};
use super::words::{PRONOUNS, TITLES};

/// What a cue in `text` says about the speaker.
pub(super) enum Said {
    Name(String),
    /// A pronoun, and where it stands in the paragraph: it refers to a
    /// person named before it.
    Pronoun(usize),
    /// "the company said", "a trust spokesperson said": the body the
    /// article last named.
    Body,
    /// "one man shouted", "a resident said": someone the article does not name.
    Unnamed,
}

/// Nouns that stand for a body named before: "the company said".
const BODY_NOUNS: [&str; 24] = [
    "company",
    "firm",
    "council",
    "trust",
    "ministry",
    "department",
    "authority",
    "utility",
    "agency",
    "group",
    "board",
    "hospital",
    "force",
    "charity",
    "club",
    "university",
    "bank",
    "regulator",
    "government",
    "operator",
    "airline",
    "union",
    "museum",
    "commission",
];

/// The speaker a stretch beside the quote names through a cue: the name
/// after the cue ("said Jane Doe"), else the name or pronoun before it.
pub(super) fn from_cue(ws: &[Word], after_quote: bool) -> Option<Said> {
    // After a quote the cue comes early ("…,” she said"); before one it
    // is the last (“Hart said: …”).
    let at = if after_quote {
        match ws.iter().take(8).position(is_cue) {
            Some(at) => at,
            // "…," Hannah Osei-Bright, a semiconductor analyst at Brayford
            // Capital, told Reuters: the name, then its apposition, then the cue.
            None => return apposed(ws).map(Said::Name),
        }
    } else {
        ws.iter().rposition(is_cue)?
    };
    if ws[at].lower() == "according" || ws[at].lower() == "según" || ws[at].lower() == "selon" {
        let from = at + usize::from(ws.get(at + 1).is_some_and(|w| w.lower() == "to"));
        return run_after(ws, from + 1).map(Said::Name);
    }
    // "she said", "she once told": a pronoun just before the cue.
    if let Some(w) = ws[at.saturating_sub(2)..at].iter().find(|w| PRONOUNS.contains(&w.lower())) {
        return Some(Said::Pronoun(w.at));
    }
    // "the company said", "a company spokesperson said".
    let spokes = |w: &Word| w.lower().starts_with("spokes");
    let noun_at = if at > 1 && spokes(&ws[at - 1]) { at - 2 } else { at.wrapping_sub(1) };
    if ws.get(noun_at).is_some_and(|w| BODY_NOUNS.contains(&w.lower()) && !capitalised(w)) {
        let the =
            noun_at.checked_sub(1).and_then(|j| ws.get(j)).is_some_and(|w| matches!(w.lower(), "the" | "a" | "an"));
        if the {
            return Some(Said::Body);
        }
    }
    if let Some(name) = (at > 0).then(|| run_before(ws, at)).flatten() {
        return Some(Said::Name(name));
    }
    // "one man shouted", "another neighbour said".
    let someone = |w: &Word| matches!(w.lower(), "a" | "an" | "one" | "another");
    if at > 1 && !capitalised(&ws[at - 1]) && !ws[at - 2].broken && someone(&ws[at - 2]) {
        return Some(Said::Unnamed);
    }
    // "a Northgrid spokeswoman said": the body before the role.
    if at > 1 && TITLES.contains(&ws[at - 1].lower()) {
        if let Some(name) = run_before(ws, at - 1) {
            return Some(Said::Name(name));
        }
    }
    // "said Jane Doe", "dijo Beltrán", "a déclaré M. Lestrade"; but whoever
    // is "told" is the listener ("told BBC Scotland"), not the speaker.
    if matches!(ws[at].lower(), "told" | "tells") {
        return None;
    }
    let next = ws.get(at + 1)?;
    if PRONOUNS.contains(&next.lower()) {
        return Some(Said::Pronoun(next.at));
    }
    run_after(ws, at + 1).map(Said::Name)
}

/// The name that opens the words after a quote, set off by a comma, when
/// a verb of saying follows its apposition ("…," Jo Lind, the chair of
/// the Rivers Trust, said on Monday).
pub(super) fn apposed(ws: &[Word]) -> Option<String> {
    let end = ws.iter().take(4).position(|w| w.broken && w.last == ',')? + 1;
    let named = ws[..end].iter().all(capitalised);
    let cue = ws.iter().take(24).skip(end).position(is_cue).is_some();
    (named && cue).then(|| run_before(ws, end)).flatten()
}
