//! The word lists the claim rules read, and each word's classes, looked up
//! once per word: months and weekdays, quantities, deeds, stances, hedges,
//! opinions and findings, and the bodies a sentence can open with.

use super::FastMap;
use std::sync::OnceLock;

pub(super) const MONTHS: [&str; 12] = [
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
pub(super) const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
pub(super) const QUANTITIES: [&str; 10] =
    ["percent", "million", "billion", "trillion", "thousand", "hundred", "hundreds", "thousands", "dozen", "tonnes"];
pub(super) const ACTIONS: [&str; 31] = [
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
    "voté",
    "signé",
    "adopté",
    "approuvé",
    "annoncé",
    "décidé",
    "rejeté",
];
pub(super) const OPINION_WORDS: [&str; 6] = ["should", "must", "ought", "surely", "perhaps", "arguably"];
/// Phrases, matched on the sentence's words joined by single spaces (and
/// written with the spaces around them, so matching allocates nothing).
pub(super) const OPINION_PHRASES: [&str; 6] =
    [" i think ", " i believe ", " in my view ", " it is time ", " we need ", " let us "];
pub(super) const FINDINGS: [&str; 14] = [
    " according to ",
    " study found ",
    " studies found ",
    " survey found ",
    " figures show ",
    " data show ",
    " report found ",
    " research found ",
    " analysis found ",
    " statistics show ",
    " found that ",
    " show that ",
    " per cent ",
    " selon ",
];

/// Words that make a sentence a forecast or a guess rather than a record:
/// still suggested, with low confidence, for the reader to judge.
pub(super) const HEDGES: [&str; 14] = [
    "may", "might", "could", "likely", "unlikely", "expected", "believe", "believes", "suggest", "expects", "expect",
    "hopes", "hope", "predicts",
];

/// Numbers written as words: "two grandchildren", "for almost two minutes".
pub(super) const NUMBER_WORDS: [&str; 18] = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty",
    "forty", "fifty", "zwei", "drei", "neun",
];

/// Whether a sentence is a sentence: it ends with a stop, `!` or `…`
/// (closing marks aside). Data lines, line-ups, headlines and
/// timestamps do not, and are never claims.
pub(super) fn ends_as_sentence(sentence: &[char]) -> bool {
    let end = sentence.iter().rposition(|c| !"”’\"»)".contains(*c));
    end.is_some_and(|i| matches!(sentence[i], '.' | '!' | '…'))
}

/// What a word can tell about a sentence: one bit per word list.
pub(super) const OPINION: u8 = 1;
pub(super) const QUANTITY: u8 = 2;
pub(super) const DATE: u8 = 4;
pub(super) const ACTION: u8 = 8;
pub(super) const HEDGE: u8 = 16;
/// The first word of an opinion phrase or of a finding ("in my view",
/// "figures show"): only then are the phrases looked for.
pub(super) const PHRASE: u8 = 32;

/// Every listed word with its bits, looked up once per word: testing each
/// word against every list was a fifth of the rules' time on 1 MB.
pub(super) fn classes() -> &'static FastMap<&'static str, u8> {
    static CLASSES: OnceLock<FastMap<&'static str, u8>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut map: FastMap<&'static str, u8> = FastMap::default();
        let lists: [(&[&'static str], u8); 8] = [
            (&OPINION_WORDS, OPINION),
            (&QUANTITIES, QUANTITY),
            (&NUMBER_WORDS, QUANTITY),
            (&["half"], QUANTITY),
            (&MONTHS, DATE),
            (&WEEKDAYS, DATE),
            (&ACTIONS, ACTION),
            (&HEDGES, HEDGE),
        ];
        for (list, bit) in lists {
            for w in list {
                *map.entry(w).or_default() |= bit;
            }
        }
        for phrase in OPINION_PHRASES.iter().chain(FINDINGS.iter()) {
            if let Some(first) = phrase.split_whitespace().next() {
                *map.entry(first).or_default() |= PHRASE;
            }
        }
        map
    })
}
