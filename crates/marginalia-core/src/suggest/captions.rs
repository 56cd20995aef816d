//! Captions: a paragraph printed twice in a row (both copies), and
//! paragraphs marked "(pictured)", "Pictured:", "Photo:", "Credit:".

use crate::document::Document;

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
const CREDITS: [&str; 8] = ["photo:", "photograph:", "picture:", "image:", "credit:", "foto:", "bild:", "pictured:"];

fn is_credit_line(lower: &str) -> bool {
    CREDITS.iter().any(|m| lower.starts_with(m))
}

pub(super) fn caption_paragraphs(doc: &Document) -> Vec<bool> {
    let ps = doc.paragraphs();
    let plains: Vec<String> = ps.iter().map(|p| plain(p.text())).collect();
    let lowers: Vec<String> = ps.iter().map(|p| p.text().to_lowercase()).collect();
    (0..ps.len())
        .map(|i| {
            let text: &str = ps[i].text();
            let lower = &lowers[i];
            let repeated = (i > 0 && plains[i - 1] == plains[i]) || plains.get(i + 1) == Some(&plains[i]);
            // "(pictured)" inside a body sentence is not a caption: captions
            // do not end with a full stop.
            let open_ended = !text.ends_with(['.', '!', '?', '”', '"', '’']);
            let marked = (lower.contains("(pictured)") && open_ended)
                || is_credit_line(lower)
                || CREDITS.iter().any(|m| lower.contains(&format!(". {m}")));
            // A line with no closing stop right above a credit line is the
            // picture's caption.
            let above_credit = lowers.get(i + 1).is_some_and(|next| is_credit_line(next))
                && !text.ends_with(['.', '!', '?', ':', '”', '"'])
                && i > 0;
            (repeated && ps[i].len() >= 20) || marked || above_credit
        })
        .collect()
}
