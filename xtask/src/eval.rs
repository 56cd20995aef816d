//! `cargo xtask eval`: precision, recall and F1 of the suggestions per tag
//! and per article, on the labelled set in `eval/articles/`.
//!
//! A suggestion matches a gold span of the same tag when their overlap is
//! at least half of their union (IoU ≥ 0.5); each gold span matches once.

use crate::{root, Result};
use marginalia_core::suggest::{suggest, Kind};
use marginalia_core::Document;
use serde_json::Value;

const KINDS: [Kind; 3] = [Kind::Quote, Kind::Caption, Kind::Claim];

#[derive(Default, Clone, Copy)]
struct Count {
    hits: usize,
    predicted: usize,
    gold: usize,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.hits += other.hits;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }

    fn scores(self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let (p, r) = (ratio(self.hits, self.predicted), ratio(self.hits, self.gold));
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        (p, r, f)
    }
}

fn iou(a: (usize, usize), b: (usize, usize)) -> f64 {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let union = a.1.max(b.1) - a.0.min(b.0);
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Greedy one-to-one matching, best overlaps first.
fn count(predicted: &[(usize, usize)], gold: &[(usize, usize)]) -> Count {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in predicted.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let o = iou(*p, *g);
            if o >= 0.5 {
                pairs.push((o, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_p, mut used_g) = (vec![false; predicted.len()], vec![false; gold.len()]);
    let mut hits = 0;
    for (_, i, j) in pairs {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            hits += 1;
        }
    }
    Count { hits, predicted: predicted.len(), gold: gold.len() }
}

pub fn run() -> Result<()> {
    let dir = root().join("eval").join("articles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e} (run `node eval/build.mjs`)", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".gold.json").map(str::to_string))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no labelled articles in eval/articles".into());
    }
    let mut totals = [Count::default(); 3];
    println!("| article | quotes P / R / F1 | captions P / R / F1 | claims P / R / F1 |");
    println!("| --- | --- | --- | --- |");
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))?;
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.gold.json")))?)?;
        let doc = Document::from_text(&text);
        let found = suggest(&doc);
        let mut cells = Vec::new();
        for (k, kind) in KINDS.iter().enumerate() {
            let predicted: Vec<(usize, usize)> =
                found.iter().filter(|s| s.kind == *kind).map(|s| (s.span.start(), s.span.end())).collect();
            let wanted: Vec<(usize, usize)> = gold["spans"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| s["tag"].as_str() == Some(kind.tag_id()))
                .filter_map(|s| Some((s["start"].as_u64()? as usize, s["end"].as_u64()? as usize)))
                .collect();
            let c = count(&predicted, &wanted);
            totals[k].add(c);
            let (p, r, f) = c.scores();
            cells.push(format!("{p:.2} / {r:.2} / {f:.2} ({}/{}/{})", c.hits, c.predicted, c.gold));
        }
        println!("| {name} | {} |", cells.join(" | "));
    }
    let total: Vec<String> = totals
        .iter()
        .map(|c| {
            let (p, r, f) = c.scores();
            format!("**{p:.2} / {r:.2} / {f:.2}**")
        })
        .collect();
    println!("| **all {} articles** | {} |", names.len(), total.join(" | "));
    println!("\nTargets: quotes and captions P ≥ 0.95 and R ≥ 0.95; claims F1 ≥ 0.70. Cells: P / R / F1 (hits/predicted/gold).");
    held_out();
    speed(&dir, &names)?;
    Ok(())
}

/// How long the rules take on about 1 MB of text (the eval articles,
/// repeated and numbered), natively; the browser's figure is in the bench.
fn speed(dir: &std::path::Path, names: &[String]) -> Result<()> {
    let mut text = String::new();
    let mut round = 0;
    while text.len() < 1_000_000 {
        round += 1;
        for name in names {
            for line in std::fs::read_to_string(dir.join(format!("{name}.txt")))?.lines() {
                text.push_str(&format!("[{round}] {line}\n"));
            }
        }
    }
    let doc = Document::from_text(&text);
    let started = std::time::Instant::now();
    let found = suggest(&doc);
    println!(
        "\nSpeed: {} suggestions on {} bytes in {:.1} ms (native; run `cargo run --release -p xtask -- eval` for an optimised figure).",
        found.len(),
        text.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// The reference article is kept out of the labelled set so the rules are
/// not tuned to it; this lists what they find there, for a person to judge.
fn held_out() {
    let path = root().join("..").join("shared").join("articles").join("seed-article.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("\nnotice: {} is absent; no held-out check.", path.display());
        return;
    };
    let doc = Document::from_text(&text);
    let found = suggest(&doc);
    println!("\nHeld-out reference article ({}):", path.display());
    for kind in KINDS {
        let of_kind: Vec<_> = found.iter().filter(|s| s.kind == kind).collect();
        println!("  {} {}:", of_kind.len(), kind.tag_id());
        for s in of_kind.iter().take(12) {
            let quote = doc.slice(s.span.start(), s.span.end());
            let short: String = quote.chars().take(90).collect();
            let more = if quote.chars().count() > 90 { "…" } else { "" };
            println!("    - {short}{more}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_one_to_one_by_overlap() {
        assert_eq!(iou((0, 10), (0, 10)), 1.0);
        assert_eq!(iou((0, 10), (5, 15)), 5.0 / 15.0);
        let c = count(&[(0, 10), (1, 10), (50, 60)], &[(0, 10), (40, 45)]);
        assert_eq!((c.hits, c.predicted, c.gold), (1, 3, 2));
        let (p, r, _) = c.scores();
        assert!((p - 1.0 / 3.0).abs() < 1e-9 && (r - 0.5).abs() < 1e-9);
    }
}
