//! Who said a quote. In order: a cue in the quote's own sentence ("…,”
//! said Jane Doe", "…,” Doe said", "Doe said: “…”"), where a pronoun ("she
//! added") is the last speaker named; else, for a quote without a cue, a
//! person named just before it ("Ms Okoro was blunt. “…”") or, when the
//! quote opens a paragraph, the speaker it continues. A name given in part
//! ("Doe") becomes the full one met earlier ("Jane Doe").

use super::words::{CUES, NOT_NAMES, NOT_PEOPLE, PREPOSITIONS, PRONOUNS, TITLES, WEEKDAYS_MONTHS};
use super::{Document, Kind, Suggestion};

/// One word of a stretch of text: its letters, and whether punctuation
/// (other than a name's own `.` or `-`) follows it.
struct Word {
    text: String,
    /// Its lowercase form, only when that differs (most words are lowercase already).
    lowered: Option<String>,
    /// A comma, colon, stop or quote mark right after it.
    broken: bool,
    /// It opens a parenthesis: "(Grüne)", "(SPD)" follow a name, not in it.
    aside: bool,
    /// Where it starts in the paragraph, in characters.
    at: usize,
    /// Its last character as written (a comma, a stop, a letter).
    last: char,
}

/// A paragraph's words, each with where it starts: tokenised once, then
/// sliced for the stretch beside each quote.
fn words(chars: &[char]) -> Vec<Word> {
    words_outside(chars, &[])
}

/// [`words`], leaving out what is inside the quotes `[a, b)`: the speaker
/// is named around a quote, never in it, and the quoted words are most of
/// the text of a paragraph with quotes.
fn words_outside(chars: &[char], quotes: &[(usize, usize)]) -> Vec<Word> {
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
fn token_end(chars: &[char], at: usize) -> usize {
    at + chars[at..].iter().take_while(|c| !c.is_whitespace()).count()
}

/// Whether a token is inside a parenthesis ("(Lib Dem, Ashby North)"),
/// where nothing is the speaker's name; `depth` follows its brackets.
fn nest(depth: &mut usize, token: &[char]) -> bool {
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
fn within(words: &[Word], from: usize, to: usize) -> &[Word] {
    let a = words.partition_point(|w| w.at < from);
    let b = words.partition_point(|w| w.at < to);
    &words[a..b.max(a)]
}

impl Word {
    fn lower(&self) -> &str {
        self.lowered.as_deref().unwrap_or(&self.text)
    }
}

fn capitalised(w: &Word) -> bool {
    w.text.starts_with(|c: char| c.is_uppercase())
}

fn is_cue(w: &Word) -> bool {
    CUES.contains(&w.lower())
}

/// A name from a run of capitalised words, titles and dates dropped, at
/// most four words; `None` when nothing of a name is left.
fn name_of(run: &[&Word]) -> Option<String> {
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
fn person_like(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    let initial = words.iter().any(|w| w.trim_end_matches('.').chars().count() == 1);
    !words.iter().any(|w| NOT_PEOPLE.contains(&w.to_lowercase().trim_end_matches('.'))) && (words.len() < 3 || initial)
}

/// The capitalised run ending at `words[end - 1]` (particles such as "de"
/// and "van" inside it), or `None`.
fn run_before(words: &[Word], end: usize) -> Option<String> {
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
fn run_after(words: &[Word], start: usize) -> Option<String> {
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

/// What a cue in `text` says about the speaker.
enum Said {
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
fn from_cue(ws: &[Word], after_quote: bool) -> Option<Said> {
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
fn apposed(ws: &[Word]) -> Option<String> {
    let end = ws.iter().take(4).position(|w| w.broken && w.last == ',')? + 1;
    let named = ws[..end].iter().all(capitalised);
    let cue = ws.iter().take(24).skip(end).position(is_cue).is_some();
    (named && cue).then(|| run_before(ws, end)).flatten()
}

/// The last person named in `text` by two capitalised words or a title
/// and a name ("Ms Okoro", "Oona Petrakis"), not at a sentence's start alone.
fn last_named(ws: &[Word], known: &Known) -> Option<String> {
    named(ws, known).pop()
}

/// Everyone `text` names that way, in order.
/// A single word counts when it is part of a name met before ("Colley said").
fn named(ws: &[Word], known: &Known) -> Vec<String> {
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
fn last_body(ws: &[Word]) -> Option<String> {
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
fn glance_names(chars: &[char], known: &Known) -> Vec<String> {
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

/// Full names met so far, by their first and by their last word, so a
/// name given in part is completed without a scan (a 1 MB article names
/// thousands of people).
type Known = super::FastMap<String, String>;

/// What is remembered while the quotes of a document are read in order.
#[derive(Default)]
pub(super) struct Speakers {
    known: Known,
    /// The words of the paragraph being read.
    words: Vec<Word>,
    /// The last quote's speaker, and its paragraph.
    last: Option<String>,
    last_paragraph: Option<usize>,
    /// The person a pronoun in a later paragraph refers to: the last
    /// person named or quoted.
    person: Option<String>,
    /// The body named last ("Stridely Labs"), for "the company said".
    body: Option<String>,
    /// A paragraph without quotes that reports what a person said, and
    /// that person: the quotation opening the next one is theirs.
    reported: Option<(usize, String)>,
}

impl Speakers {
    /// `name` as the fullest form met so far ("Doe" → "Jane Doe").
    fn complete(&mut self, name: String) -> String {
        if !name.contains(' ') {
            return self.known.get(&name).cloned().unwrap_or(name);
        }
        for part in [name.split(' ').next(), name.rsplit(' ').next()].into_iter().flatten() {
            // A name met again changes nothing: no copies made.
            if self.known.get(part) != Some(&name) {
                self.known.insert(part.to_string(), name.clone());
            }
        }
        name
    }

    /// Remembers the people a paragraph names (for completing surnames).
    pub(super) fn read(&mut self, chars: &[char], quotes: &[(usize, usize)]) {
        self.words = words_outside(chars, quotes);
        // Bodies after a preposition too ("provided by Tri-Valley
        // Correctional Health, a private company"): "the company said".
        if let Some(body) = last_body(&self.words) {
            self.body = Some(body);
        }
        for name in named(&self.words, &self.known) {
            self.met(name);
        }
    }

    /// A name met in the text: remembered in full, and as the last body
    /// named when it is not a person's.
    fn met(&mut self, name: String) -> String {
        let name = self.complete(name);
        if !person_like(&name) {
            self.body = Some(name.clone());
        }
        name
    }

    /// A paragraph without quotes: only the people it names are kept (to
    /// complete a surname later, and for a "she" in the next paragraph).
    pub(super) fn glance(&mut self, index: usize, chars: &[char]) {
        // A byline names the writer, whom no "she said" refers to.
        if is_byline(chars) {
            return;
        }
        let names = glance_names(chars, &self.known);
        // "He said" in the next paragraph means the person this one is
        // about: the first it names ("Keith Dunmore, 71, has fished the
        // Leve…"), not the last name in it.
        let person = names.iter().find(|n| person_like(n)).cloned();
        for name in names {
            self.met(name);
        }
        if let Some(p) = person {
            let p = self.complete(p);
            // "Ruth Acheson, a nurse, said the findings…": the quotation
            // that opens the next paragraph goes on in her words.
            if reports_speech(chars) {
                self.reported = Some((index, p.clone()));
            }
            self.person = Some(p);
        }
    }

    /// After a paragraph: the person a pronoun will next refer to is the
    /// last one named after its last quote, else its last speaker, else
    /// the last one it names.
    pub(super) fn finish(&mut self, index: usize, chars: &[char], last_quote_end: Option<usize>) {
        let known = &self.known;
        let last_person = |ws: &[Word]| named(ws, known).into_iter().rev().find(|n| person_like(n));
        let tail = last_person(within(&self.words, last_quote_end.unwrap_or(0), chars.len()));
        let spoke = (self.last_paragraph == Some(index)).then(|| self.last.clone()).flatten();
        if let Some(p) = tail.or(spoke).or_else(|| last_person(&self.words)) {
            let p = self.complete(p);
            self.person = Some(p);
        }
    }

    /// The speaker of the quote `[a, b)` of paragraph `index`, whose
    /// sentence is `[s, e)` of `chars`; `next` is the sentence after it.
    pub(super) fn of(
        &mut self,
        index: usize,
        chars: &[char],
        (a, b): (usize, usize),
        (s, e): (usize, usize),
        (prev, next): (Option<(usize, usize)>, Option<(usize, usize)>),
    ) -> Option<String> {
        let ws = &self.words;
        let after = within(ws, b, e.max(b));
        let before = within(ws, s.min(a), a);
        let mut said = from_cue(after, true).or_else(|| from_cue(before, false));
        // "“…!” Doe said." ends the sentence at the quote: the cue opens the next.
        if said.is_none() && after.is_empty() {
            if let Some((ns, ne)) = next.filter(|(ns, ne)| ne - ns < 60) {
                said = from_cue(within(ws, ns, ne), true);
            }
        }
        // "‘Every day,’ she says. ‘But that’s…’": a short attribution just
        // before names the speaker of a quotation standing as a sentence.
        if said.is_none() && before.is_empty() && !after.iter().any(is_cue) {
            if let Some((ps, pe)) = prev.filter(|(ps, pe)| pe - ps < 60) {
                said = from_cue(within(ws, ps, pe), true);
            }
        }
        // Names before the pronoun, or before the quote: not "BBC Scotland"
        // in "She told BBC Scotland: “…”".
        let upto = match said {
            Some(Said::Pronoun(at)) => at.min(a),
            _ => a,
        };
        let earlier = within(ws, 0, upto);
        let here = self.last_paragraph == Some(index);
        let known = &self.known;
        let named_here = || named(earlier, known).into_iter().rev().find(|n| person_like(n));
        let name = match said {
            Some(Said::Name(name)) => Some(name),
            // The person named last: in this paragraph, else earlier on.
            Some(Said::Pronoun(_)) if here => self.last.clone(),
            Some(Said::Pronoun(_)) => named_here().or_else(|| self.person.clone()),
            Some(Said::Body) => self.body.clone(),
            Some(Said::Unnamed) => None,
            // A second quote of one speaker in a paragraph.
            None if here => self.last.clone(),
            None => {
                let opens = chars[..a].iter().all(|c| c.is_whitespace());
                let lately = self.last_paragraph.is_some_and(|p| p + 2 >= index);
                let reported = self.reported.as_ref().filter(|(p, _)| opens && p + 1 == index).map(|(_, n)| n.clone());
                last_named(before, known).or(reported).or_else(|| {
                    // A paragraph that opens with a quote goes on with the last speaker.
                    if opens && lately {
                        self.last.clone()
                    } else {
                        named_here().or_else(|| opens.then(|| self.person.clone()).flatten())
                    }
                })
            }
        }?;
        let name = self.complete(name);
        self.last = Some(name.clone());
        self.last_paragraph = Some(index);
        Some(name)
    }
}

/// Whether a paragraph reports speech: a verb of saying among its words.
fn reports_speech(chars: &[char]) -> bool {
    let mut word = String::new();
    for &c in chars.iter().chain(std::iter::once(&' ')) {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            if CUES.contains(&word.as_str()) {
                return true;
            }
            word.clear();
        }
    }
    false
}

/// A quotation in the headline is said by whoever says it in the body: the
/// speaker of the first later quote that holds the same words ("‘We won't
/// go quietly’: parents vow…" is Sadie Holroyd's "We won't go quietly. If
/// this school closes…"). `found` is in document order.
pub(super) fn headline_speakers(doc: &Document, found: &mut [Suggestion]) {
    let Some(first) = doc.paragraphs().first() else { return };
    let words = |s: &Suggestion| -> Vec<String> {
        doc.slice(s.span.start(), s.span.end())
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .map(|w| w.trim_matches(['\'', '’']))
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('’', "'"))
            .collect()
    };
    let quote = |s: &Suggestion| s.kind == Kind::Quote;
    let heads: Vec<usize> =
        (0..found.len()).filter(|&i| quote(&found[i]) && found[i].span.end() <= first.end()).collect();
    for i in heads {
        let head = words(&found[i]);
        let later = found.iter().skip(i + 1).filter(|s| quote(s) && !s.note.is_empty()).find(|s| {
            let body = words(s);
            !head.is_empty() && body.windows(head.len()).any(|w| w == head.as_slice())
        });
        if let Some(note) = later.map(|s| s.note.clone()) {
            found[i].note = note;
        }
    }
}

/// A byline: "By Tamsin Hollowell", "By Dana Whitcombe, Associated Press":
/// short, opening with "By", with no closing stop.
fn is_byline(chars: &[char]) -> bool {
    let words = chars.split(|c| c.is_whitespace()).filter(|w| !w.is_empty()).count();
    chars.starts_with(&['B', 'y', ' ']) && words <= 14 && !chars.ends_with(&['.'])
}
