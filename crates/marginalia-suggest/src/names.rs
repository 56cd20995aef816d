//! Names in a paragraph: its words (titles, particles and apositions
//! told apart), the capitalised runs that are people's or bodies' names,
//! and the light reading of a paragraph without quotes. What the speaker
//! rules read; who said what is decided in `speakers` and `cues`.

use super::words::{CUES, NOT_NAMES, NOT_PEOPLE, PREPOSITIONS, TITLES, WEEKDAYS_MONTHS};

/// One word of a stretch of text: its letters, and whether punctuation
/// (other than a name's own `.` or `-`) follows it.
pub(super) struct Word {
    pub(super) text: String,
    /// Its lowercase form, only when that differs (most words are lowercase already).
    pub(super) lowered: Option<String>,
    /// A comma, colon, stop or quote mark right after it.
    pub(super) broken: bool,
    /// It opens a parenthesis: "(Grüne)", "(SPD)" follow a name, not in it.
    pub(super) aside: bool,
    /// Where it starts in the paragraph, in characters.
    pub(super) at: usize,
    /// Its last character as written (a comma, a stop, a letter).
    pub(super) last: char,
}

/// A paragraph's words, each with where it starts: tokenised once, then
/// sliced for the stretch beside each quote.
pub(super) fn words(chars: &[char]) -> Vec<Word> {
    words_outside(chars, &[])
}

/// [`words`], leaving out what is inside the quotes `[a, b)`: the speaker
/// is named around a quote, never in it, and the quoted words are most of
/// the text of a paragraph with quotes.
pub(super) fn words_outside(chars: &[char], quotes: &[(usize, usize)]) -> Vec<Word> {
    let mut out = Vec::with_capacity(chars.len() / 8 + 1);
    let mut depth = 0usize;
    let mut i = 0;
    let mut q = 0;
    while i < chars.len() {
        while q < quotes.len() && quotes[q].1 <= i {
            q += 1;
        }
        if let Some(&(_, b)) = quotes.get(q).filter(|(a, _)| *a <= i) {
            // Inside a quote: go to its end.
            i = b.min(chars.len());
            continue;
        }
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        i = token_end(chars, at);
        let raw = &chars[at..i];
        let aside = nest(&mut depth, raw);
        let last = raw[raw.len() - 1];
        // "J." keeps its stop: an initial is part of a name.
        let initial = raw.len() <= 3 && last == '.' && raw[0].is_uppercase();
        let keep = |c: &char| c.is_alphanumeric() || matches!(c, '.' | '-' | '\'');
        let (mut a, mut b) = (0, raw.len());
        if !initial {
            while a < b && !keep(&raw[a]) {
                a += 1;
            }
            while b > a && !keep(&raw[b - 1]) {
                b -= 1;
            }
            while b > a && matches!(raw[b - 1], '.' | '\'') {
                b -= 1;
            }
            while a < b && matches!(raw[a], '-' | '\'') {
                a += 1;
            }
        }
        if a < b {
            let text: String = raw[a..b].iter().collect();
            let broken = !initial && !last.is_alphanumeric();
            let lowered = text.chars().any(char::is_uppercase).then(|| text.to_lowercase());
            out.push(Word { lowered, text, broken, aside, at, last });
        }
    }
    out
}

/// Where the token starting at `at` (no whitespace in it) ends.
pub(super) fn token_end(chars: &[char], at: usize) -> usize {
    at + chars[at..].iter().take_while(|c| !c.is_whitespace()).count()
}

/// Whether a token is inside a parenthesis ("(Lib Dem, Ashby North)"),
/// where nothing is the speaker's name; `depth` follows its brackets.
pub(super) fn nest(depth: &mut usize, token: &[char]) -> bool {
    let aside = *depth > 0 || token.first() == Some(&'(');
    for &c in token {
        match c {
            '(' => *depth += 1,
            ')' => *depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    aside
}

/// The words that start in `[from, to)`.
pub(super) fn within(words: &[Word], from: usize, to: usize) -> &[Word] {
    let a = words.partition_point(|w| w.at < from);
    let b = words.partition_point(|w| w.at < to);
    &words[a..b.max(a)]
}

impl Word {
    pub(super) fn lower(&self) -> &str {
        self.lowered.as_deref().unwrap_or(&self.text)
    }
}

pub(super) fn capitalised(w: &Word) -> bool {
    w.text.starts_with(|c: char| c.is_uppercase())
}

pub(super) fn is_cue(w: &Word) -> bool {
    CUES.contains(&w.lower())
}

/// A name from a run of capitalised words, titles and dates dropped, at
/// most four words; `None` when nothing of a name is left.
pub(super) fn name_of(run: &[&Word]) -> Option<String> {
    let titled = |w: &&Word| TITLES.contains(&w.lower().trim_end_matches('.')) || WEEKDAYS_MONTHS.contains(&w.lower());
    let from = run.iter().rposition(titled).map_or(0, |i| i + 1);
    let mut kept: Vec<&str> = run[from..].iter().map(|w| w.text.as_str()).collect();
    // A particle ends no name ("dijo Beltrán al salir").
    while kept.last().is_some_and(|w| w.starts_with(|c: char| c.is_lowercase())) {
        kept.pop();
    }
    let kept = &kept[kept.len().saturating_sub(4)..];
    // "Organiser Freya Lockhart", "Farmer Gwen Allardyce": a role noun
    // written before a name at a sentence's start is no part of it.
    let role = kept.len() >= 3
        && ["er", "or", "ist", "ian", "ant", "ent"].iter().any(|end| kept[0].ends_with(end))
        && !kept[1].ends_with('.');
    let kept = if role { &kept[1..] } else { kept };
    // "Britain’s bin crews": a possessive names no speaker.
    let possessive = kept.iter().any(|w| w.ends_with("’s") || w.ends_with("'s"));
    let useful = kept.iter().any(|w| !NOT_NAMES.contains(&w.to_lowercase().as_str()) && w.chars().count() > 1);
    (useful && !possessive && !kept.is_empty()).then(|| kept.join(" "))
}

/// Whether a name is a person's rather than a place's or a body's.
/// A name of three words or more with no initial in it ("Cascade Ridge
/// Power", "Tri-Valley Correctional Health") is a body's: people are
/// named by two, or with an initial ("J. R. Okafor").
pub(super) fn person_like(name: &str) -> bool {
    let mut count = 0;
    let mut initial = false;
    let mut buf = [0u8; 24];
    for w in name.split(' ') {
        let w = w.trim_end_matches('.');
        // The heads of bodies' names are short ASCII words: looked up in a
        // set, lowercased on the stack (names are met by the thousand).
        if w.is_ascii() && w.len() <= buf.len() {
            let lower = &mut buf[..w.len()];
            lower.copy_from_slice(w.as_bytes());
            lower.make_ascii_lowercase();
            if std::str::from_utf8(lower).is_ok_and(|l| not_people().contains(l)) {
                return false;
            }
        }
        count += 1;
        initial |= w.chars().count() == 1;
    }
    count < 3 || initial
}

fn not_people(
) -> &'static std::collections::HashSet<&'static str, std::hash::BuildHasherDefault<marginalia_core::document::Fnv>> {
    static SET: std::sync::OnceLock<
        std::collections::HashSet<&'static str, std::hash::BuildHasherDefault<marginalia_core::document::Fnv>>,
    > = std::sync::OnceLock::new();
    SET.get_or_init(|| NOT_PEOPLE.iter().copied().collect())
}

/// The capitalised run ending at `words[end - 1]` (particles such as "de"
/// and "van" inside it), or `None`.
pub(super) fn run_before(words: &[Word], end: usize) -> Option<String> {
    let mut start = end;
    while start > 0 {
        let w = &words[start - 1];
        let particle = ["de", "van", "von", "al", "da", "del", "la", "le", "du"].contains(&w.lower());
        if (capitalised(w) || (particle && start < end)) && !NOT_NAMES.contains(&w.lower()) && !w.aside {
            if w.broken && start < end {
                break;
            }
            start -= 1;
        } else {
            break;
        }
    }
    let run: Vec<&Word> = words[start..end].iter().collect();
    name_of(&run)
}

/// The capitalised run starting at `words[start]`, or after a few
/// lowercase words that describe the speaker ("said the council's finance
/// chief, Jane Doe", "explica el arquitecto municipal, Julián Ordóñez").
pub(super) fn run_after(words: &[Word], start: usize) -> Option<String> {
    let skip = words[start..].iter().take(6).position(|w| capitalised(w) && !w.aside)?;
    let from = start + skip;
    // The words skipped describe the speaker: lower case, unbroken but for
    // a comma before the name; a stop would mean another clause.
    let described = words[start..from]
        .iter()
        .enumerate()
        .all(|(k, w)| !capitalised(w) && (!w.broken || (k + 1 == skip && w.last == ',')));
    if !described {
        return None;
    }
    let mut run = Vec::new();
    for w in &words[from..] {
        let particle = ["de", "van", "von", "al", "da", "del", "la", "le", "du"].contains(&w.lower());
        if (capitalised(w) || (particle && !run.is_empty())) && !w.aside {
            run.push(w);
            if w.broken {
                break;
            }
        } else {
            break;
        }
        if run.len() == 6 {
            break;
        }
    }
    name_of(&run)
}

/// The last person named in `text` by two capitalised words or a title
/// and a name ("Ms Okoro", "Oona Petrakis"), not at a sentence's start alone.
pub(super) fn last_named(ws: &[Word], known: &Known) -> Option<String> {
    named(ws, known).pop()
}

/// Everyone `text` names that way, in order.
/// A single word counts when it is part of a name met before ("Colley said").
pub(super) fn named(ws: &[Word], known: &Known) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !capitalised(&ws[i]) || NOT_NAMES.contains(&ws[i].lower()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < ws.len() && capitalised(&ws[j]) && !ws[j].aside && (j == i || !ws[j - 1].broken) {
            j += 1;
        }
        let titled = TITLES.contains(&ws[i].lower().trim_end_matches('.'));
        let placed = i > 0 && PREPOSITIONS.contains(&ws[i - 1].lower());
        if (j - i >= 2 || titled) && !placed {
            let run: Vec<&Word> = ws[i..j].iter().collect();
            if let Some(name) = name_of(&run).filter(|n| n.contains(' ') || titled) {
                found.push(name);
            }
        } else if j - i == 1 && !placed {
            let w = ws[i].text.as_str();
            if let Some(full) = known.get(w) {
                found.push(full.clone());
            }
        }
        i = j.max(i + 1);
    }
    found
}

/// The last body's name in `ws`: a run of two capitalised words or more
/// that is not a person's, wherever it stands.
pub(super) fn last_body(ws: &[Word]) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < ws.len() {
        let mut j = i;
        while j < ws.len() && capitalised(&ws[j]) && !ws[j].aside && (j == i || !ws[j - 1].broken) {
            j += 1;
        }
        if j - i >= 2 {
            let run: Vec<&Word> = ws[i..j].iter().collect();
            if let Some(name) = name_of(&run).filter(|n| n.contains(' ') && !person_like(n)) {
                found = Some(name);
            }
        }
        i = j.max(i + 1);
    }
    found
}

/// The names a paragraph without quotes gives, as [`named`] finds them,
/// but without making a word of every token: only the stretches of
/// capitalised tokens (and the token before each, for "in Ashby North")
/// are read as words. Most of a long article is such paragraphs.
pub(super) fn glance_names(chars: &[char], known: &Known) -> Vec<String> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    // The current stretch of capitalised tokens, and the token before it.
    let mut run: Option<(usize, usize)> = None;
    let mut before: Option<(usize, usize)> = None;
    let mut last_token: Option<(usize, usize)> = None;
    let mut single = String::new();
    let mut flush = |run: (usize, usize), before: Option<(usize, usize)>, found: &mut Vec<String>| {
        let one = !chars[run.0..run.1].iter().any(|c| c.is_whitespace());
        if one {
            // One capitalised word ("The", "Colley"): a name only if it
            // completes one met before.
            single.clear();
            single.extend(chars[run.0..run.1].iter().filter(|c| c.is_alphanumeric() || **c == '-'));
            if let Some(full) = known.get(single.as_str()) {
                found.push(full.clone());
            }
            return;
        }
        let (from, to) = (before.map_or(run.0, |b| b.0), run.1);
        let ws = words(&chars[from..to]);
        found.extend(named(&ws, known));
    };
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        i = token_end(chars, at);
        let token = &chars[at..i];
        let aside = nest(&mut depth, token);
        let first = token.iter().find(|c| c.is_alphanumeric());
        let upper = !aside && first.is_some_and(|c| c.is_uppercase());
        match (upper, run) {
            (true, None) => {
                run = Some((at, i));
                before = last_token;
            }
            (true, Some((from, _))) => run = Some((from, i)),
            (false, Some(r)) => {
                flush(r, before, &mut found);
                run = None;
            }
            (false, None) => {}
        }
        // A stop or comma ends a name: "Smith, Jones" is two.
        if upper && !token[token.len() - 1].is_alphanumeric() && token.len() > 3 {
            if let Some(r) = run.take() {
                flush(r, before, &mut found);
            }
        }
        last_token = Some((at, i));
    }
    if let Some(r) = run {
        flush(r, before, &mut found);
    }
    found
}

/// Whether a paragraph reports speech: a verb of saying among its words.
pub(super) fn reports_speech(chars: &[char]) -> bool {
    let mut word = String::new();
    let mut at = 0;
    while at < chars.len() {
        let len = chars[at..].iter().take_while(|c| c.is_alphabetic()).count();
        // Verbs of saying are 3 to 12 letters, written in lower case.
        if (3..=12).contains(&len) && chars[at].is_lowercase() {
            word.clear();
            word.extend(&chars[at..at + len]);
            if CUES.contains(&word.as_str()) {
                return true;
            }
        }
        at += len.max(1);
    }
    false
}

/// A byline: "By Tamsin Hollowell", "By Dana Whitcombe, Associated Press":
/// short, opening with "By", with no closing stop.
pub(super) fn is_byline(chars: &[char]) -> bool {
    let words = chars.split(|c| c.is_whitespace()).filter(|w| !w.is_empty()).count();
    chars.starts_with(&['B', 'y', ' ']) && words <= 14 && !chars.ends_with(&['.'])
}

/// Full names met so far, by their first and by their last word, so a
/// name given in part is completed without a scan (a 1 MB article names
/// thousands of people).
pub(super) type Known = super::FastMap<String, String>;
