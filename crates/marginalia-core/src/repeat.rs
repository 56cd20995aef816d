//! Text printed twice in a row: news pages repeat an image caption in the
//! paragraph next to it (often with other quote marks). When a selection's
//! text is also in the neighbouring paragraph, the picker offers to tag both.

use crate::document::Document;
use crate::span::Span;

/// Typographic and straight quote marks compare equal; nothing else is
/// changed, so positions stay one code point per code point.
fn plain(c: char) -> char {
    match c {
        '‘' | '’' | '‛' | '′' => '\'',
        '“' | '”' | '„' | '″' => '"',
        c => c,
    }
}

/// The same text in a paragraph next to the one holding `span`, nearest the
/// same offset into it: a neighbour that repeats the whole paragraph (the
/// twin of a caption) first, then the one after, then the one before.
/// `None` when the selection spans paragraphs, is shorter than 8 code
/// points, or has no such copy.
pub fn neighbour_copy(doc: &Document, span: Span) -> Option<Span> {
    let touched = doc.paragraphs_touched(span);
    if touched.len() != 1 || span.len() < 8 {
        return None;
    }
    let here = touched.start;
    let offset = span.start() - doc.paragraphs()[here].start();
    let needle: Vec<char> = doc.slice(span.start(), span.end()).chars().map(plain).collect();
    let same = |p: &crate::document::Paragraph| {
        p.text().chars().map(plain).eq(doc.paragraphs()[here].text().chars().map(plain))
    };
    let mut neighbours: Vec<_> = [here.checked_add(1), here.checked_sub(1)]
        .into_iter()
        .flatten()
        .filter_map(|i| doc.paragraphs().get(i))
        .collect();
    // Stable: a twin first, otherwise after before before.
    neighbours.sort_by_key(|p| !same(p));
    neighbours.into_iter().find_map(|p| {
        let hay: Vec<char> = p.text().chars().map(plain).collect();
        let last = hay.len().checked_sub(needle.len())?;
        (0..=last)
            .filter(|&at| hay[at..at + needle.len()] == needle[..])
            .min_by_key(|&at| at.abs_diff(offset))
            .and_then(|at| Span::new(p.start() + at, p.start() + at + needle.len()).ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Intro line.\nPutin (pictured) at the summit in ‘Moscow’\nPutin (pictured) at the summit in 'Moscow'\nAnother paragraph about Putin (pictured) at the summit.";

    fn span_of(doc: &Document, para: usize, needle: &str) -> Span {
        let p = &doc.paragraphs()[para];
        let byte = p.text().find(needle).expect("present");
        let start = p.start() + p.text()[..byte].chars().count();
        Span::new(start, start + needle.chars().count()).expect("valid")
    }

    #[test]
    fn table_of_copies() {
        let doc = Document::from_text(PAGE);
        let cases = [
            // The first copy finds the second, quote marks notwithstanding.
            (span_of(&doc, 1, "at the summit in ‘Moscow’"), Some(span_of(&doc, 2, "at the summit in 'Moscow'"))),
            // The second copy finds its twin before the next paragraph.
            (span_of(&doc, 2, "Putin (pictured)"), Some(span_of(&doc, 1, "Putin (pictured)"))),
            // Without a twin, the paragraph after is tried first.
            (span_of(&doc, 3, "Putin (pictured)"), Some(span_of(&doc, 2, "Putin (pictured)"))),
            (span_of(&doc, 2, "in 'Moscow'"), Some(span_of(&doc, 1, "in ‘Moscow’"))),
            // Too short to be worth offering.
            (span_of(&doc, 1, "Putin"), None),
            (span_of(&doc, 0, "Intro line."), None),
        ];
        for (span, want) in cases {
            assert_eq!(neighbour_copy(&doc, span), want, "{:?}", doc.slice(span.start(), span.end()));
        }
        // A selection across two paragraphs is not offered a copy.
        let across = Span::new(doc.paragraphs()[1].end() - 3, doc.paragraphs()[2].start() + 3).expect("valid");
        assert_eq!(neighbour_copy(&doc, across), None);
    }
}
