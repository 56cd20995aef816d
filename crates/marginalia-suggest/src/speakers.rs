//! Who said a quote. In order: a cue in the quote's own sentence ("…,”
//! said Jane Doe", "…,” Doe said", "Doe said: “…”"), where a pronoun ("she
//! added") is the last speaker named; else, for a quote without a cue, a
//! person named just before it ("Ms Okoro was blunt. “…”") or, when the
//! quote opens a paragraph, the speaker it continues. A name given in part
//! ("Doe") becomes the full one met earlier ("Jane Doe").

use super::cues::{from_cue, Said};
use super::names::{
    glance_names, is_byline, is_cue, last_body, last_named, named, person_like, reports_speech, within, words_outside,
    Known, Word,
};
use super::{Document, Kind, Suggestion};

/// The sentence before or after a quote's, in the paragraph, if any.
type Neighbour = Option<(usize, usize)>;

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
    /// `quote_next`: the next paragraph opens with a quotation (only then
    /// is it read for reported speech, which costs a pass over its words).
    pub(super) fn glance(&mut self, index: usize, chars: &[char], quote_next: bool) {
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
            if quote_next && reports_speech(chars) {
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
        (prev, next): (Neighbour, Neighbour),
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
            // The body named last before the quote: in this paragraph (after
            // a preposition too: "provided by Tri-Valley Correctional Health,
            // a private company"), else earlier on.
            Some(Said::Body) => last_body(within(ws, 0, a)).or_else(|| self.body.clone()),
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
