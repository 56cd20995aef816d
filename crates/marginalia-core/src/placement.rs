//! The import report: how each item of a batch was placed, so a host (or
//! the reader, in the status line) can review the uncertain ones.

use crate::anchor::{Anchored, Decided, How};
use crate::annotation::Annotation;
use crate::w3c::{Unplaced, ANNOTATION_IRI};
use serde_json::{json, Value};

/// One batch's results, in input order, as the handle reports them:
/// `{ accepted, refused: [{index, reason}], items: [...], fuzzy, ambiguous }`.
/// Each item says `anchored`: `"position"`, `"quote"` (with how many exact
/// occurrences were weighed and what decided: `only`, `context`, `hint`,
/// `first`), `"fuzzy"` (with its `score`, 0–1), `"orphaned"` (its selectors
/// fit nothing in this text) or `"refused"` (its shape is wrong).
pub fn report(results: &[Result<(Annotation, Anchored), Unplaced>]) -> Value {
    let mut refused = Vec::new();
    let mut items = Vec::with_capacity(results.len());
    let (mut accepted, mut fuzzy, mut ambiguous) = (0, 0, 0);
    for (index, result) in results.iter().enumerate() {
        match result {
            Ok((a, found)) => {
                accepted += 1;
                let mut item = json!({ "index": index, "id": format!("{ANNOTATION_IRI}{}", a.id), "anchored": how_name(found.how) });
                match found.how {
                    How::Fuzzy => {
                        fuzzy += 1;
                        item["score"] = json!((found.score * 1000.0).round() / 1000.0);
                    }
                    How::Quote => {
                        item["occurrences"] = json!(found.occurrences);
                        item["decidedBy"] = json!(decided_name(found.decided));
                        ambiguous += usize::from(is_ambiguous(found));
                    }
                    How::Position => {}
                }
                items.push(item);
            }
            Err(u) => {
                refused.push(json!({ "index": index, "reason": u.reason }));
                let anchored = if u.orphaned { "orphaned" } else { "refused" };
                items.push(json!({ "index": index, "anchored": anchored, "reason": u.reason }));
            }
        }
    }
    json!({ "accepted": accepted, "refused": refused, "items": items, "fuzzy": fuzzy, "ambiguous": ambiguous })
}

/// Turns items of a `report` placed but then refused (`(index, why)`:
/// older than the annotation held, a repeated id) into refusals, so that
/// `accepted` counts only what was carried out.
pub fn refuse(report: &mut Value, refused: &[(usize, String)]) {
    for (index, reason) in refused {
        let Some(item) = report["items"].get_mut(*index) else { continue };
        if item["anchored"] == "refused" || item["anchored"] == "orphaned" {
            continue;
        }
        // Its placement no longer counts either.
        let counted = match (item["anchored"].as_str(), item["decidedBy"].as_str()) {
            (Some("fuzzy"), _) => Some("fuzzy"),
            (_, Some("hint" | "first")) => Some("ambiguous"),
            _ => None,
        };
        *item = json!({ "index": index, "anchored": "refused", "reason": reason });
        if let Some(n) = counted.and_then(|key| Some((key, report[key].as_u64()?))) {
            report[n.0] = json!(n.1.saturating_sub(1));
        }
        if let Some(list) = report["refused"].as_array_mut() {
            list.push(json!({ "index": index, "reason": reason }));
            list.sort_by_key(|r| r["index"].as_u64());
        }
        if let Some(n) = report["accepted"].as_u64() {
            report["accepted"] = json!(n.saturating_sub(1));
        }
    }
}

/// Items of a `report` that could not anchor but name an orphan held
/// here: that orphan stays as it is (a round trip of `annotations()` loses
/// nothing), and the item says so (`"kept": "orphan"`) instead of being
/// refused.
pub fn keep_orphans<'a>(report: &mut Value, kept: impl IntoIterator<Item = (usize, &'a Annotation)>) {
    for (index, a) in kept {
        let Some(item) = report["items"].get_mut(index) else { continue };
        item["id"] = json!(format!("{ANNOTATION_IRI}{}", a.id));
        item["kept"] = json!("orphan");
        item["reason"] = json!("its text is not in the article: the orphan with this id is kept as it is");
        if let Some(list) = report["refused"].as_array_mut() {
            list.retain(|r| r["index"].as_u64() != Some(index as u64));
        }
        if let Some(n) = report["accepted"].as_u64() {
            report["accepted"] = json!(n + 1);
        }
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
        let got: Vec<(String, Value)> = out["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| (i["anchored"].as_str().unwrap_or("").to_string(), i["decidedBy"].clone()))
            .collect();
        let want = [
            ("position", Value::Null),
            ("quote", json!("context")),
            ("quote", json!("first")),
            ("fuzzy", Value::Null),
            ("orphaned", Value::Null),
            ("refused", Value::Null),
        ];
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!((g.0.as_str(), &g.1), (w.0, &w.1), "item {i}");
        }
        assert_eq!(
            (out["accepted"].clone(), out["fuzzy"].clone(), out["ambiguous"].clone()),
            (json!(4), json!(1), json!(1))
        );
        assert_eq!(out["refused"].as_array().map(Vec::len), Some(2));
        assert!(out["items"][3]["score"].as_f64().is_some_and(|s| s > 0.9 && s < 1.0));

        // Refused after placing (older than held, a repeated id): no longer
        // accepted, nor counted as fuzzy or ambiguous; a refusal stays one.
        let mut out = out;
        refuse(&mut out, &[(2, "older".into()), (3, "a repeated id".into()), (5, "again".into())]);
        assert_eq!(
            (out["accepted"].clone(), out["fuzzy"].clone(), out["ambiguous"].clone()),
            (json!(2), json!(0), json!(0))
        );
        let refused: Vec<u64> =
            out["refused"].as_array().expect("list").iter().filter_map(|r| r["index"].as_u64()).collect();
        assert_eq!(refused, [2, 3, 4, 5]);
        assert_eq!(
            (out["items"][2]["anchored"].as_str(), out["items"][2]["reason"].as_str()),
            (Some("refused"), Some("older"))
        );

        // Item 4 could not anchor, but names an orphan held here: kept, with its id, and accepted.
        let span = crate::span::Span::new(0, 3).expect("span");
        let tag = crate::tag::Tag::parse("claim").expect("tag");
        let orphan = Annotation::new(&doc, crate::annotation::AnnotationId::generate(7, 7), span, tag, 1);
        keep_orphans(&mut out, [(4, &orphan)]);
        assert_eq!(out["accepted"], json!(3));
        assert_eq!(out["items"][4]["kept"], json!("orphan"));
        assert_eq!(out["items"][4]["id"], json!(format!("{ANNOTATION_IRI}{}", orphan.id)));
        let refused: Vec<u64> =
            out["refused"].as_array().expect("list").iter().filter_map(|r| r["index"].as_u64()).collect();
        assert_eq!(refused, [2, 3, 5]);
    }
}
