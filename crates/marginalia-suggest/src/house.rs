//! Lines a newsroom prints around a story, not in it: corrections and
//! amendment notes, sign-offs and contributor lines, and appeals for
//! information. They hold dates, names and numbers, and none is a claim.
//! And the wire dateline that opens a story's first paragraph ("CORVELL,
//! Ohio (AP) — "), which is no part of its first claim.

/// How such a line opens (lowercased).
const OPENINGS: [&str; 19] = [
    "correction",
    "clarification",
    "editor's note",
    "editor’s note",
    "this article was amended",
    "this article has been amended",
    "this article was updated",
    "this article has been updated",
    "this story was updated",
    "this story has been updated",
    "an earlier version of this",
    "(reporting by",
    "reporting by",
    "additional reporting",
    "writing by",
    "editing by",
    "anyone with information",
    "anyone who saw",
    "follow ",
];

/// What such a line says wherever it says it (lowercased).
const PHRASES: [&str; 10] = [
    "contributed to this report",
    "contributed reporting",
    "contributed to this story",
    "contributed to this article",
    "reporting was contributed",
    "contributed research",
    "is asked to call",
    "are asked to call",
    "is asked to contact",
    "are asked to contact",
];

/// Whether a paragraph is one of the newsroom's own lines. Only a short
/// paragraph is read whole: these lines are one or two sentences.
pub(super) fn is_house_line(paragraph: &str) -> bool {
    // Every opening starts with one of these letters: most paragraphs are
    // passed over without a lowercase copy.
    let first = paragraph.chars().next().map(|c| c.to_ascii_lowercase());
    if matches!(first, Some('c' | 'e' | 't' | 'a' | '(' | 'r' | 'w' | 'f')) {
        let head: String = paragraph.chars().take(40).flat_map(char::to_lowercase).collect();
        if OPENINGS.iter().any(|o| head.starts_with(o)) {
            return true;
        }
    }
    // Each phrase has "contribut" or "asked to" in it, in lower case.
    paragraph.len() < 400
        && (paragraph.contains("ontribut") || paragraph.contains("asked to"))
        && PHRASES.iter().any(|p| paragraph.to_lowercase().contains(p))
}

/// How many characters of `sentence` are a dateline: a place in capitals
/// ("CORVELL", "PORT LAUDEN"), then perhaps a state, a date and the
/// agency in brackets, every word capitalised or a number, up to a dash
/// with spaces around it ("CORVELL, Ohio (AP) — ", "LARKSPUR, Texas, Oct
/// 14 (Reuters) - "); 0 when it opens with none.
pub(super) fn dateline_len(sentence: &[char]) -> usize {
    let head: String = sentence.iter().take(80).collect();
    let Some((at, dash)) = [" — ", " – ", " - "].iter().filter_map(|d| head.find(d).map(|at| (at, *d))).min()
    else {
        return 0;
    };
    let prefix = &head[..at];
    let place: String = prefix.chars().take_while(|c| c.is_alphabetic()).collect();
    let capitals = place.chars().count() >= 3 && place.chars().all(char::is_uppercase);
    let words_ok = prefix
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .all(|w| w.trim_start_matches('(').starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
    if capitals && words_ok {
        prefix.chars().count() + dash.chars().count()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::{dateline_len, is_house_line};

    #[test]
    fn table_of_datelines() {
        let cases: &[(&str, &str)] = &[
            ("CORVELL, Ohio (AP) — Guards skipped checks.", "Guards skipped checks."),
            ("LARKSPUR, Texas, Oct 14 (Reuters) - Corvanta delayed it.", "Corvanta delayed it."),
            ("SALEM, Ore. (AP) — The fire grew.", "The fire grew."),
            ("PORT LAUDEN — The board voted 7-2.", "The board voted 7-2."),
            // A sentence that only has a dash in it keeps all of it.
            (
                "NATO said on Monday — in a statement — that it agreed.",
                "NATO said on Monday — in a statement — that it agreed.",
            ),
            ("The board voted 7-2 — a first.", "The board voted 7-2 — a first."),
            (
                "BBC Scotland has learned - from two sources - of the plan.",
                "BBC Scotland has learned - from two sources - of the plan.",
            ),
        ];
        for (sentence, claim) in cases {
            let chars: Vec<char> = sentence.chars().collect();
            let rest: String = chars[dateline_len(&chars)..].iter().collect();
            assert_eq!(rest, *claim, "{sentence}");
        }
    }

    #[test]
    fn table_of_house_lines() {
        let cases: &[(&str, bool)] = &[
            ("Correction: An earlier version of this article misstated the year. It was 2019, not 2018.", true),
            ("This article was amended on 16 October 2025.", true),
            ("Associated Press writer Jo Lind in Dayton contributed to this report.", true),
            ("Kwame Adjei-Lutz contributed reporting from Oruba.", true),
            ("Reporting was contributed by Ana Leite from Tarrow.", true),
            ("(Reporting by Ana Leite; Editing by Jo Lind)", true),
            ("Anyone with information is asked to contact Marlshire Police.", true),
            ("Follow BBC Scotland on Facebook.", true),
            // Story sentences that merely share a word with them.
            ("The council issued a correction to its budget on Monday.", false),
            ("Police asked residents to lock their sheds after 14 thefts.", false),
            ("She contributed £4,000 to the appeal in 2023.", false),
            ("Following the vote, the mayor resigned.", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_house_line(line), *want, "{line}");
        }
    }
}
