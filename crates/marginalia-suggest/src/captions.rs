//! Captions: a paragraph printed twice in a row (both copies), and
//! paragraphs marked "(pictured)", "Pictured:", "Photo:", "Credit:", or
//! ending with a photo credit as wires and papers print one under a picture
//! ("(AP Photo/Jon Marsh)", "(Photo by … / … Wire)", "REUTERS/Ana Leite").

use marginalia_core::document::Document;

/// Quote marks made plain, so repeated captions with other marks compare equal.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' | '„' => '"',
            c => c,
        })
        .collect()
}

/// Credit markers: a line that starts with one is a credit line, and a
/// paragraph that carries one after a sentence is a caption with its credit.
/// "Image source, …" and "Image caption, …" are how a BBC page's picture
/// lines read as text; "Credit…" is a New York Times credit line.
const CREDITS: [&str; 15] = [
    "photo:",
    "photograph:",
    "picture:",
    "image:",
    "credit:",
    "foto:",
    "bild:",
    "pictured:",
    "crédit:",
    "crédits:",
    "image source,",
    "image caption,",
    "credit...",
    "credit…",
    "photo illustration:",
];

/// Words that open a credit in brackets at a paragraph's end: "(AP
/// Photo/…)", "(Photo by …)", "(Getty Images)", "(Credit: …)".
const BRACKET_CREDITS: [&str; 9] =
    ["photo", "ap photo", "photograph", "picture", "image", "credit", "getty images", "illustration", "file photo"];

/// Whether a paragraph ends with a photo credit: a bracket that opens with
/// a credit word, or a wire agency's capitals before a slash ("REUTERS/Ana
/// Leite", "AFP/Getty Images") after the caption's last sentence.
fn ends_with_credit(text: &str) -> bool {
    let bracket = text.trim_end().strip_suffix(')').and_then(|t| t.rfind('(').map(|at| &t[at + 1..]));
    if let Some(b) = bracket {
        let b = b.trim_start().to_lowercase();
        if BRACKET_CREDITS.iter().any(|w| b.starts_with(w)) {
            return true;
        }
    }
    // The last sentence's tail: what follows the last ". " (or the whole line).
    let tail = text.rfind(". ").map_or(text, |at| &text[at + 2..]);
    let agency: String = tail.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    agency.len() >= 2 && tail[agency.len()..].starts_with('/')
}

/// A paragraph lowercased for the markers. French sets a space before a
/// colon ("Photo : …"): the marker is the same, so it is dropped.
fn lowered(text: &str) -> String {
    let lower = text.to_lowercase();
    if !lower.contains(':') {
        return lower;
    }
    lower.replace([' ', '\u{a0}', '\u{202f}'], " ").replace(" :", ":")
}

fn is_credit_line(lower: &str) -> bool {
    CREDITS.iter().any(|m| lower.starts_with(m))
}

pub(super) fn caption_paragraphs(doc: &Document) -> Vec<bool> {
    let ps = doc.paragraphs();
    // Only neighbours of the same length can be the same caption: the
    // plain forms are made for those alone (most paragraphs have none).
    let lens: Vec<usize> = ps.iter().map(|p| p.len()).collect();
    let twin = |i: usize| (i > 0 && lens[i - 1] == lens[i]) || lens.get(i + 1) == Some(&lens[i]);
    let plains: Vec<Option<String>> = (0..ps.len()).map(|i| twin(i).then(|| plain(ps[i].text()))).collect();
    // Every marker has a colon or a bracket: other paragraphs need no
    // lowercase copy (an empty one matches no marker).
    let lowers: Vec<String> = ps
        .iter()
        .map(|p| {
            let t = p.text();
            // Colons and brackets carry most markers; "Image source, …" and
            // "Credit…" open their line. A lowercase copy of every paragraph
            // (nearly all have a comma) cost more than the rules.
            let opens = |w: &str| t.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w));
            let may = t.contains([':', '(']) || opens("credit") || opens("image");
            if may {
                lowered(t)
            } else {
                String::new()
            }
        })
        .collect();
    (0..ps.len())
        .map(|i| {
            let text: &str = ps[i].text();
            let lower = &lowers[i];
            let same = |j: usize| plains[i].is_some() && plains.get(j) == Some(&plains[i]);
            let repeated = (i > 0 && same(i - 1)) || same(i + 1);
            // "(pictured)" inside a body sentence is not a caption: captions
            // do not end with a full stop.
            let open_ended = !text.ends_with(['.', '!', '?', '”', '"', '’']);
            let marked = (lower.contains("(pictured)") && open_ended)
                || is_credit_line(lower)
                || ends_with_credit(text)
                || lower.match_indices(". ").any(|(at, _)| is_credit_line(&lower[at + 2..]));
            // A line right above a credit line is the picture's caption when
            // it has no closing stop. "Image source, …" and "Pictured: …" are
            // not credits of the line above (a BBC page prints the source
            // before its caption; "Pictured:" is the caption). Below the
            // credits that papers print only under a caption ("Credit…",
            // "Photograph:"), one short sentence is a caption too.
            let below = lowers.get(i + 1).filter(|next| is_credit_line(next));
            let credit_below = below.is_some_and(|next| !next.starts_with("image ") && !next.starts_with("pictured"));
            let caption_credit = below.is_some_and(|next| {
                next.starts_with("credit…") || next.starts_with("credit...") || next.starts_with("photograph:")
            });
            let one_sentence = !text.contains(". ") && text.split_whitespace().count() <= 30;
            let above_credit = credit_below
                && i > 0
                && (!text.ends_with(['.', '!', '?', ':', '”', '"']) || (caption_credit && one_sentence));
            (repeated && ps[i].len() >= 20) || marked || above_credit
        })
        .collect()
}
