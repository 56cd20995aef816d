//! The import report: how each item of a batch was placed, so a host (or
//! the reader, in the status line) can review the uncertain ones.

use crate::anchor::{Anchored, Decided, How};
use crate::annotation::Annotation;
use crate::w3c::{Unplaced, ANNOTATION_IRI};
use serde::Serialize;

/// One batch's results, in input order, as the handle reports them:
/// `{ accepted, refused: [{index, reason}], items: [...], fuzzy, ambiguous }`.
/// Each item says `anchored`: `"position"`, `"quote"` (with how many exact
/// occurrences were weighed and what decided: `only`, `context`, `hint`,
/// `first`), `"fuzzy"` (with its `score`, 0–1), `"orphaned"` (its selectors
/// fit nothing in this text) or `"refused"` (its shape is wrong).
///
/// Typed, and written to JSON as it is: built as a JSON value, with a map
/// and an allocated key per field of each item, a report of 10,000 items
/// took 25–31 ms in the browser; typed, 4–6 ms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub accepted: usize,
    pub refused: Vec<Refusal>,
    pub items: Vec<Placed>,
    pub fuzzy: usize,
    pub ambiguous: usize,
}

/// An item not carried out, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Refusal {
    pub index: usize,
    pub reason: String,
    /// The CSV row it came from ([`crate::interchange::Batch::name_rows`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
}

/// How one item was placed, or why not.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placed {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub anchored: &'static str,
    /// A fuzzy match's score, 0–1 to three decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `"orphan"`: the orphan held with its id is kept ([`keep_orphans`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
}

impl Report {
    /// The answer to one change refused before it was placed (or to a
    /// removal refused): as a batch of that one item reports it.
    pub fn refused_one(reason: &str) -> Report {
        Report {
            accepted: 0,
            refused: vec![Refusal { index: 0, reason: reason.to_string(), row: None }],
            items: vec![Placed::refused(0, "refused", reason)],
            fuzzy: 0,
            ambiguous: 0,
        }
    }

    /// The answer to a change carried out that placed nothing (a removal).
    pub fn done() -> Report {
        Report { accepted: 1, refused: Vec::new(), items: Vec::new(), fuzzy: 0, ambiguous: 0 }
    }

    /// As the handle answers it.
    pub fn to_json(&self) -> String {
        // Of strings, whole numbers and a finite score: it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Placed {
    fn new(index: usize, anchored: &'static str) -> Placed {
        Placed {
            index,
            id: None,
            anchored,
            score: None,
            occurrences: None,
            decided_by: None,
            reason: None,
            kept: None,
            row: None,
        }
    }

    fn refused(index: usize, anchored: &'static str, reason: &str) -> Placed {
        Placed { reason: Some(reason.to_string()), ..Placed::new(index, anchored) }
    }
}

/// The report of one batch's results, given in input order.
pub fn report(results: &[Result<(Annotation, Anchored), Unplaced>]) -> Report {
    let mut out =
        Report { accepted: 0, refused: Vec::new(), items: Vec::with_capacity(results.len()), fuzzy: 0, ambiguous: 0 };
    for (index, result) in results.iter().enumerate() {
        match result {
            Ok((a, found)) => {
                out.accepted += 1;
                let mut item = Placed::new(index, how_name(found.how));
                item.id = Some(format!("{ANNOTATION_IRI}{}", a.id));
                match found.how {
                    How::Fuzzy => {
                        out.fuzzy += 1;
                        item.score = Some((found.score * 1000.0).round() / 1000.0);
                    }
                    How::Quote => {
                        item.occurrences = Some(found.occurrences);
                        item.decided_by = Some(decided_name(found.decided));
                        out.ambiguous += usize::from(is_ambiguous(found));
                    }
                    How::Position => {}
                }
                out.items.push(item);
            }
            Err(u) => {
                out.refused.push(Refusal { index, reason: u.reason.clone(), row: None });
                let anchored = if u.orphaned { "orphaned" } else { "refused" };
                out.items.push(Placed::refused(index, anchored, &u.reason));
            }
        }
    }
    out
}

/// Turns items of a `report` placed but then refused (`(index, why)`:
/// older than the annotation held, a repeated id) into refusals, so that
/// `accepted` counts only what was carried out.
pub fn refuse(report: &mut Report, refused: &[(usize, String)]) {
    for (index, reason) in refused {
        let Some(item) = report.items.get_mut(*index) else { continue };
        if item.anchored == "refused" || item.anchored == "orphaned" {
            continue;
        }
        // Its placement no longer counts either.
        match (item.anchored, item.decided_by) {
            ("fuzzy", _) => report.fuzzy = report.fuzzy.saturating_sub(1),
            (_, Some("hint" | "first")) => report.ambiguous = report.ambiguous.saturating_sub(1),
            _ => {}
        }
        *item = Placed::refused(*index, "refused", reason);
        report.refused.push(Refusal { index: *index, reason: reason.clone(), row: None });
        report.refused.sort_by_key(|r| r.index);
        report.accepted = report.accepted.saturating_sub(1);
    }
}

/// Items of a `report` that could not anchor but name an orphan held
/// here: that orphan stays as it is (a round trip of `annotations()` loses
/// nothing), and the item says so (`"kept": "orphan"`) instead of being
/// refused.
pub fn keep_orphans<'a>(report: &mut Report, kept: impl IntoIterator<Item = (usize, &'a Annotation)>) {
    for (index, a) in kept {
        let Some(item) = report.items.get_mut(index) else { continue };
        item.id = Some(format!("{ANNOTATION_IRI}{}", a.id));
        item.kept = Some("orphan");
        item.reason = Some("its text is not in the article: the orphan with this id is kept as it is".into());
        report.refused.retain(|r| r.index != index);
        report.accepted += 1;
    }
}

/// Whether no context told identical quotes apart, so a hint or the
/// first occurrence chose: the placement a host may want to check.
pub fn is_ambiguous(found: &Anchored) -> bool {
    matches!(found.decided, Decided::Hint | Decided::First)
}

fn how_name(how: How) -> &'static str {
    match how {
        How::Position => "position",
        How::Quote => "quote",
        How::Fuzzy => "fuzzy",
    }
}

fn decided_name(decided: Decided) -> &'static str {
    match decided {
        Decided::Only => "only",
        Decided::Context => "context",
        Decided::Hint => "hint",
        Decided::First => "first",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::w3c::Importer;
    use serde_json::{json, Value};

    #[test]
    fn each_item_says_how_it_was_placed() {
        let doc = Document::from_text("The council met.\nThe council voted for the new budget plan.");
        let item = |selector: Value| {
            json!({"type": "Annotation", "body": {"purpose": "tagging", "value": "claim"},
                   "target": {"selector": selector}})
        };
        let q = |exact: &str, prefix: &str| json!({"type": "TextQuoteSelector", "exact": exact, "prefix": prefix});
        let items = [
            item(json!([q("council met", ""), {"type": "TextPositionSelector", "start": 4, "end": 15}])),
            item(q("The council", "met. ")),
            item(q("The council", "")),
            item(q("voted for the nwe budget", "")),
            item(q("nobody wrote this sentence", "")),
            json!({"type": "Annotation"}),
        ];
        let results = Importer::new(&doc, 0).import_reported(&items);
        let out = report(&results);
        let got: Vec<(&str, Option<&str>)> = out.items.iter().map(|i| (i.anchored, i.decided_by)).collect();
        let want = [
            ("position", None),
            ("quote", Some("context")),
            ("quote", Some("first")),
            ("fuzzy", None),
            ("orphaned", None),
            ("refused", None),
        ];
        assert_eq!(got, want);
        assert_eq!((out.accepted, out.fuzzy, out.ambiguous), (4, 1, 1));
        assert_eq!(out.refused.len(), 2);
        assert!(out.items[3].score.is_some_and(|s| s > 0.9 && s < 1.0));
        // As the handle gives it: the fields a placement has, no others.
        let written: Value = serde_json::from_str(&out.to_json()).expect("JSON");
        assert_eq!(
            written["items"][1],
            json!({"index": 1, "id": out.items[1].id, "anchored": "quote", "occurrences": 1, "decidedBy": "context"})
        );
        assert_eq!(written["items"][5], json!({"index": 5, "anchored": "refused", "reason": out.refused[1].reason}));
        assert_eq!(written["refused"][0], json!({"index": 4, "reason": out.refused[0].reason}));
        assert_eq!(
            (written["accepted"].clone(), written["fuzzy"].clone(), written["ambiguous"].clone()),
            (json!(4), json!(1), json!(1))
        );

        // Refused after placing (older than held, a repeated id): no longer
        // accepted, nor counted as fuzzy or ambiguous; a refusal stays one.
        let mut out = out;
        refuse(&mut out, &[(2, "older".into()), (3, "a repeated id".into()), (5, "again".into())]);
        assert_eq!((out.accepted, out.fuzzy, out.ambiguous), (2, 0, 0));
        let refused: Vec<usize> = out.refused.iter().map(|r| r.index).collect();
        assert_eq!(refused, [2, 3, 4, 5]);
        assert_eq!((out.items[2].anchored, out.items[2].reason.as_deref()), ("refused", Some("older")));

        // Item 4 could not anchor, but names an orphan held here: kept, with its id, and accepted.
        let span = crate::span::Span::new(0, 3).expect("span");
        let tag = crate::tag::Tag::parse("claim").expect("tag");
        let orphan = Annotation::new(&doc, crate::annotation::AnnotationId::generate(7, 7), span, tag, 1);
        keep_orphans(&mut out, [(4, &orphan)]);
        assert_eq!(out.accepted, 3);
        assert_eq!(out.items[4].kept, Some("orphan"));
        assert_eq!(out.items[4].id, Some(format!("{ANNOTATION_IRI}{}", orphan.id)));
        let refused: Vec<usize> = out.refused.iter().map(|r| r.index).collect();
        assert_eq!(refused, [2, 3, 5]);
    }

    /// A single change refused before it was placed answers as a batch of
    /// that one refused item; a removal carried out, as one accepted.
    #[test]
    fn single_answers_are_batches_of_one() {
        let refused = [Err(Unplaced { reason: "no annotation has this id".into(), orphaned: false })];
        assert_eq!(Report::refused_one("no annotation has this id"), report(&refused));
        let done: Value = serde_json::from_str(&Report::done().to_json()).expect("JSON");
        assert_eq!(done, json!({"accepted": 1, "refused": [], "items": [], "fuzzy": 0, "ambiguous": 0}));
    }
}
