//! Claims: which sentences carry checkable content, and why, and how
//! sure the rules are (a hedged or first-person sentence is low).

use super::claim_words::{
    classes, ends_as_sentence, ACTION, DATE, FINDINGS, HEDGE, OPINION, OPINION_PHRASES, PHRASE, QUANTITY,
};
use super::words::CUES;
use super::Confidence;

/// Reads sentences for claims, reusing its buffers from one sentence to
/// the next: a 1 MB article has some 50,000 sentences.
#[derive(Default)]
pub(super) struct ClaimReader {
    /// The sentence lowercased.
    lower: String,
    /// Its words, as byte ranges of `lower`.
    words: Vec<(usize, usize)>,
    /// Where each word starts in the sentence as written.
    starts: Vec<usize>,
}

/// Bodies a sentence can open with in lower case after "the": "The
/// council rejected…", "The ministry paused…".
const BODIES: [&str; 16] = [
    "council",
    "government",
    "ministry",
    "authority",
    "court",
    "police",
    "board",
    "company",
    "committee",
    "party",
    "union",
    "agency",
    "department",
    "regulator",
    "commission",
    "trust",
];

/// Verbs ending in -ed that say how something was, not what was done.
const STATES: [&str; 9] = ["used", "needed", "seemed", "appeared", "looked", "wanted", "liked", "tired", "retired"];

/// A named actor's stance, in the present: "The mayor backs the plan".
const STANCES: [&str; 8] = ["backs", "supports", "opposes", "rejects", "refuses", "endorses", "objects", "vetoes"];

/// Words of an opening time phrase: "Last month,", "Earlier this year,".
const TIME_WORDS: [&str; 10] =
    ["last", "next", "earlier", "later", "year", "week", "month", "day", "yesterday", "today"];

impl ClaimReader {
    /// Whether word `i` is capitalised in the sentence as written.
    fn capital(&self, sentence: &[char], i: usize) -> bool {
        self.starts.get(i).and_then(|&at| sentence.get(at)).is_some_and(|c| c.is_uppercase())
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.words.get(i).map(|&(a, b)| &self.lower[a..b])
    }

    /// Whether a comma stands between word `i` and the word before it.
    fn comma_before(&self, i: usize) -> bool {
        match (i.checked_sub(1).and_then(|j| self.words.get(j)), self.words.get(i)) {
            (Some(&(_, end)), Some(&(start, _))) => self.lower[end..start].contains(','),
            _ => false,
        }
    }

    /// Where the subject starts: the first word, or the word after an
    /// opening time phrase ("Last month, the ministry paused…", "On
    /// Tuesday, Trackline withdrew…").
    fn subject_start(&self) -> usize {
        let map = classes();
        let timely = |w: &str| {
            TIME_WORDS.contains(&w)
                || map.get(w).is_some_and(|c| c & DATE != 0)
                || w.chars().all(|c| c.is_ascii_digit())
        };
        (1..self.words.len().min(6))
            .find(|&j| self.comma_before(j))
            .filter(|&j| (0..j).any(|i| self.word(i).is_some_and(timely)))
            .unwrap_or(0)
    }

    /// A clause-level reading of what a named subject did: the sentence
    /// opens with a name ("Trackline's owner withdrew…", "The Rivers
    /// Authority rejected…", "The council objected…"), perhaps after a time
    /// phrase and before an apposition ("Jo Lind, the chair, resigned"),
    /// and its verb, within the next few words, is in the past tense (-ed,
    /// not a passive, a state or an adjective) or a stance ("backs", "is
    /// set to back"). A verb of saying first makes it reported speech.
    fn named_subject_acted(&self, sentence: &[char]) -> bool {
        let start = self.subject_start();
        let first = self.word(start).unwrap_or("");
        if ["i", "we", "you", "he", "she", "they", "it", "this", "that", "there", "but", "and"].contains(&first) {
            return false;
        }
        // The subject: a run of capitalised words, after an optional "the",
        // or "the" and a body.
        let mut k = start + usize::from(first == "the");
        let named = self.capital(sentence, k) && (k > start || self.capital(sentence, k + 1));
        let body = k == start + 1 && self.word(k).is_some_and(|w| BODIES.contains(&w));
        if !named && !body {
            // A lone first word ("Britain", "Residents") is a subject only
            // for a stance said outright: "Britain is set to back…".
            return (start + 1..(start + 4).min(self.words.len())).any(|i| self.stance_at(i));
        }
        while k < self.words.len() && self.capital(sentence, k) {
            k += 1;
        }
        k = k.max(start + 2);
        // An apposition after the name: its verb comes after the next comma.
        if self.comma_before(k) {
            if let Some(end) = (k + 1..(k + 12).min(self.words.len())).find(|&j| self.comma_before(j)) {
                k = end;
            }
        }
        for i in k..(k + 4).min(self.words.len()) {
            let w = self.word(i).unwrap_or("");
            if CUES.contains(&w) {
                return false;
            }
            if self.stance_at(i) {
                return true;
            }
            let before = i.checked_sub(1).and_then(|j| self.word(j));
            let passive = matches!(before, Some("was" | "were" | "been" | "be" | "is" | "are"));
            let adjective = matches!(before, Some("a" | "an" | "the" | "his" | "her" | "their" | "its" | "our" | "my"));
            if w.len() >= 5 && w.ends_with("ed") && !passive && !adjective && !STATES.contains(&w) {
                return true;
            }
        }
        false
    }

    /// Whether word `i` says a stance: "backs", "opposes", "set to".
    fn stance_at(&self, i: usize) -> bool {
        let w = self.word(i).unwrap_or("");
        STANCES.contains(&w) || (w == "set" && self.word(i + 1) == Some("to"))
    }

    /// A deed of a named actor told in the passive: "They were backed by
    /// both Ukraine's government and…", "The plan was rejected by the
    /// Rivers Authority".
    fn done_by_named(&self, sentence: &[char]) -> bool {
        (0..self.words.len().saturating_sub(3)).any(|i| {
            matches!(self.word(i), Some("was" | "were" | "been"))
                && self.word(i + 1).is_some_and(|w| w.len() >= 5 && w.ends_with("ed"))
                && self.word(i + 2) == Some("by")
                && {
                    let mut j = i + 3;
                    while matches!(self.word(j), Some("both" | "the")) {
                        j += 1;
                    }
                    self.capital(sentence, j)
                }
        })
    }

    /// Why a sentence is a checkable claim, and how sure that is, or `None`.
    /// The sentence is split into lowercase words once; every test is on those.
    /// `before_quote`: the next sentence is a quotation, which this one may
    /// introduce ("Lindqvist was blunt on Tuesday. “…”").
    pub(super) fn cue(&mut self, sentence: &[char], before_quote: bool) -> Option<(&'static str, Confidence)> {
        if sentence.len() < 15 || !ends_as_sentence(sentence) {
            return None;
        }
        // Lowercased and split into words in one pass, each word's start in
        // the sentence as written kept for its capital.
        let text = &mut self.lower;
        text.clear();
        self.words.clear();
        self.starts.clear();
        let mut start = None;
        for (j, &c) in sentence.iter().chain(std::iter::once(&' ')).enumerate() {
            let at = text.len();
            let inside = c.is_alphanumeric() || c == '\'' || c == '’';
            match (inside, start) {
                (true, None) => {
                    start = Some(at);
                    self.starts.push(j);
                }
                (false, Some(from)) => {
                    self.words.push((from, at));
                    start = None;
                }
                _ => {}
            }
            if j < sentence.len() {
                if c.is_ascii() {
                    text.push(c.to_ascii_lowercase());
                } else {
                    text.extend(c.to_lowercase());
                }
            }
        }
        let text = &self.lower;
        let word = |i: usize| self.words.get(i).map(|&(a, b)| &text[a..b]);
        // An interviewer's question is not a claim; nor is a data line
        // ("Attendance: 31,406.", a line-up with its semicolons).
        let label = text.split_whitespace().take(3).any(|w| w.ends_with(':')) && self.words.len() < 8;
        if text.starts_with("q:") || label || text.matches(';').count() >= 2 {
            return None;
        }
        let map = classes();
        let number = |i: usize| word(i).is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        let mut bits = 0u8;
        for i in 0..self.words.len() {
            let w = word(i).unwrap_or("");
            let mut class = map.get(w).copied().unwrap_or(0);
            // "May" is a month beside a number ("4 May", "May 2025"), after
            // "in", "since", "last"…, or capitalised inside the sentence.
            if w == "may" {
                let before = i.checked_sub(1).and_then(&word);
                let month = (i > 0 && number(i - 1))
                    || number(i + 1)
                    || (i > 0 && self.capital(sentence, i))
                    || matches!(
                        before,
                        Some(
                            "in" | "of"
                                | "since"
                                | "until"
                                | "by"
                                | "last"
                                | "next"
                                | "early"
                                | "late"
                                | "mid"
                                | "from"
                        )
                    );
                class = if month { DATE } else { HEDGE };
            }
            bits |= class;
        }
        // Phrases are looked for only where a word could begin one, word
        // by word (joining the sentence again cost more than the rest).
        let starts: Vec<usize> = if bits & PHRASE != 0 {
            (0..self.words.len())
                .filter(|&i| word(i).and_then(|w| map.get(w)).is_some_and(|c| c & PHRASE != 0))
                .collect()
        } else {
            Vec::new()
        };
        let phrase = |set: &[&str]| {
            starts.iter().any(|&i| {
                set.iter().any(|p| p.split_whitespace().enumerate().all(|(k, part)| word(i + k) == Some(part)))
            })
        };
        if bits & OPINION != 0 || phrase(&OPINION_PHRASES) {
            return None;
        }
        let digits = super::numbers::counts_a_number(sentence);
        let cue = if digits {
            "numbers"
        } else if sentence.len() < 25 {
            return None;
        } else if bits & QUANTITY != 0 {
            "a quantity"
        } else if bits & DATE != 0 {
            "a date"
        } else if phrase(&FINDINGS) {
            "an attributed finding"
        } else if bits & ACTION != 0 || self.named_subject_acted(sentence) || self.done_by_named(sentence) {
            "what a named body did"
        } else {
            return None;
        };
        // A guess, a forecast or the writer's own story or thought experiment
        // ("I stood…", "We went…", "Think of…", outside any quotation): shown,
        // but not taken by Accept all.
        let first = word(0).unwrap_or("");
        let anecdote = ["i", "we", "think", "imagine"].contains(&first) && !text.contains(['“', '"', '‘', '«', '„']);
        // Speech in the first person singular ("“I had 40 lambs ready…”")
        // is the speaker's own story, low like the writer's.
        let opened = text.find(['“', '"', '‘', '«', '„']);
        let first_quoted = opened.and_then(|at| self.words.iter().find(|&&(a, _)| a > at)).map(|&(a, b)| &text[a..b]);
        // A quotation that talks to "you", or counts only in words ("nine
        // months is a long time"), is talk, not a record.
        let spoken = opened == Some(0);
        let talk =
            spoken && (self.words.iter().any(|&(a, b)| &text[a..b] == "you") || (!digits && cue == "a quantity"));
        let own_story = talk
            || first_quoted.is_some_and(|w| {
                matches!(w, "i" | "i've" | "i’ve" | "i'd" | "i’d" | "i'm" | "i’m" | "i'll" | "i’ll" | "my" | "me")
            });
        // A day that dates only the saying of a quotation ("…,” she said on
        // Friday", "Lindqvist was blunt on Tuesday. “…”") dates no event.
        let quoting = before_quote || text.contains(['“', '"', '‘', '«', '„']);
        let said_when = cue == "a date" && quoting;
        let confidence =
            if bits & HEDGE != 0 || anecdote || own_story || said_when { Confidence::Low } else { Confidence::High };
        Some((cue, confidence))
    }
}
