//! `cargo xtask eval`: precision, recall and F1 of the suggestions per tag
//! and per article, and how often a quote's speaker is right, on the three
//! labelled sets: the development set in `eval/articles/`, the held-out set
//! in `eval/holdout/articles/` and the held-out newsroom styles in
//! `eval/newsrooms/articles/`; then the held-out sets together, per
//! newsroom style, against the budgets.
//!
//! A suggestion matches a gold span of the same tag when their overlap is
//! at least half of their union (IoU ≥ 0.5); each gold span matches once.

use crate::{root, Result};
use marginalia_core::suggest::{speaker_in_note, Confidence, Kind};
use marginalia_core::Document;
use marginalia_suggest::suggest;
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

/// Greedy one-to-one matching, best overlaps first: the count, and the
/// matched pairs (predicted index, gold index).
fn count(predicted: &[(usize, usize)], gold: &[(usize, usize)]) -> (Count, Vec<(usize, usize)>) {
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
    let mut matched = Vec::new();
    for (_, i, j) in pairs {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            matched.push((i, j));
        }
    }
    (Count { hits: matched.len(), predicted: predicted.len(), gold: gold.len() }, matched)
}

/// Titles dropped before speakers are compared (English, Spanish, German,
/// French): "Ms Lind" names the same person as "Mara Lind".
const TITLES: [&str; 24] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "cllr",
    "councillor",
    "sr",
    "sra",
    "dra",
    "don",
    "doña",
    "herr",
    "frau",
    "m",
    "mme",
    "mlle",
    "the",
];

fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.as_str()))
        .collect()
}

/// Whether the rules' speaker names the gold one: `None` for a speaker the
/// article never names; else every predicted word (titles aside) is in the
/// gold name and the gold's last word (the surname, or an organisation's
/// head noun) is among them.
fn same_speaker(predicted: Option<&str>, gold: Option<&str>) -> bool {
    match (predicted, gold) {
        (None, None) => true,
        (Some(p), Some(g)) => {
            let (p, g) = (name_words(p), name_words(g));
            !p.is_empty() && p.iter().all(|w| g.contains(w)) && g.last().is_some_and(|last| p.contains(last))
        }
        _ => false,
    }
}

/// One set's scores (or one article's, or a sum of them): per tag, and
/// speakers of the quotes found.
#[derive(Default, Clone, Copy)]
struct SetScore {
    totals: [Count; 3],
    /// Claims counted over the high-confidence suggestions only: what
    /// "Accept all" takes.
    sure_claims: Count,
    /// Quotes found (matched to a gold quote) and those with the right speaker.
    speakers_found: usize,
    speakers_right: usize,
    /// Gold quotes with a named speaker, and those found with it.
    named: usize,
    named_right: usize,
}

impl SetScore {
    fn add(&mut self, other: &SetScore) {
        for (a, b) in self.totals.iter_mut().zip(other.totals) {
            a.add(b);
        }
        self.sure_claims.add(other.sure_claims);
        self.speakers_found += other.speakers_found;
        self.speakers_right += other.speakers_right;
        self.named += other.named;
        self.named_right += other.named_right;
    }
}

fn gold_spans<'a>(gold: &'a Value, tag: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    gold["spans"].as_array().into_iter().flatten().filter(move |s| s["tag"].as_str() == Some(tag))
}

fn bounds(span: &Value) -> Option<(usize, usize)> {
    Some((span["start"].as_u64()? as usize, span["end"].as_u64()? as usize))
}

/// What the rules got wrong in one article, for `--misses`.
fn show_misses(
    doc: &Document,
    kind: Kind,
    low: &[bool],
    predicted: &[(usize, usize)],
    wanted: &[(usize, usize)],
    matched: &[(usize, usize)],
) {
    let short = |(a, b): (usize, usize)| -> String {
        let text = doc.slice(a, b);
        let cut: String = text.chars().take(110).collect();
        if text.chars().count() > 110 {
            format!("{cut}…")
        } else {
            cut
        }
    };
    for (j, g) in wanted.iter().enumerate() {
        if !matched.iter().any(|&(_, m)| m == j) {
            println!("    missed {}: {}", kind.tag_id(), short(*g));
        }
    }
    for (i, p) in predicted.iter().enumerate() {
        if !matched.iter().any(|&(m, _)| m == i) {
            let tier = if low.get(i) == Some(&true) { " (low)" } else { "" };
            println!("    wrong {}{tier}: {}", kind.tag_id(), short(*p));
        }
    }
}

/// A set's scores: in all, and per article (by name).
type Scored = (SetScore, Vec<(String, SetScore)>);

fn score_set(title: &str, dir: &std::path::Path, misses: bool) -> Result<Scored> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run `node eval/build.mjs`)", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".gold.json").map(str::to_string))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("no labelled articles in {}", dir.display()).into());
    }
    let mut per_article = Vec::new();
    println!("\n### {title} ({} articles, `{}`)\n", names.len(), dir.strip_prefix(root()).unwrap_or(dir).display());
    println!("| article | quotes P / R / F1 | captions P / R / F1 | claims P / R / F1 | speakers right |");
    println!("| --- | --- | --- | --- | --- |");
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))?;
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.gold.json")))?)?;
        let doc = Document::from_text(&text);
        let found = suggest(&doc);
        let mut score = SetScore::default();
        let mut cells = Vec::new();
        let mut speakers = (0, 0);
        for (k, kind) in KINDS.iter().enumerate() {
            let of_kind: Vec<_> = found.iter().filter(|s| s.kind == *kind).collect();
            let predicted: Vec<(usize, usize)> = of_kind.iter().map(|s| (s.span.start(), s.span.end())).collect();
            let wanted_spans: Vec<&Value> = gold_spans(&gold, kind.tag_id()).collect();
            let wanted: Vec<(usize, usize)> = wanted_spans.iter().filter_map(|s| bounds(s)).collect();
            let (c, matched) = count(&predicted, &wanted);
            if misses {
                println!("  {name}:");
                let low: Vec<bool> = of_kind.iter().map(|s| s.confidence == Confidence::Low).collect();
                show_misses(&doc, *kind, &low, &predicted, &wanted, &matched);
            }
            if *kind == Kind::Quote {
                let speaker_of = |i: usize| speaker_in_note(&of_kind[i].note);
                for &(i, j) in &matched {
                    speakers.0 += 1;
                    let gold = wanted_spans[j]["speaker"].as_str();
                    let right = same_speaker(speaker_of(i), gold);
                    speakers.1 += usize::from(right);
                    if misses && !right {
                        println!(
                            "    speaker {:?}, not {:?}: {}",
                            speaker_of(i),
                            gold,
                            doc.slice(predicted[i].0, predicted[i].0 + 40)
                        );
                    }
                }
                for (j, s) in wanted_spans.iter().enumerate() {
                    if let Some(name) = s["speaker"].as_str() {
                        score.named += 1;
                        let right = matched.iter().any(|&(i, g)| g == j && same_speaker(speaker_of(i), Some(name)));
                        score.named_right += usize::from(right);
                    }
                }
            }
            score.totals[k].add(c);
            if *kind == Kind::Claim {
                let sure: Vec<(usize, usize)> = of_kind
                    .iter()
                    .filter(|s| s.confidence == Confidence::High)
                    .map(|s| (s.span.start(), s.span.end()))
                    .collect();
                score.sure_claims.add(count(&sure, &wanted).0);
            }
            let (p, r, f) = c.scores();
            cells.push(format!("{p:.2} / {r:.2} / {f:.2} ({}/{}/{})", c.hits, c.predicted, c.gold));
        }
        score.speakers_found += speakers.0;
        score.speakers_right += speakers.1;
        println!("| {name} | {} | {}/{} |", cells.join(" | "), speakers.1, speakers.0);
        per_article.push((name.clone(), score));
    }
    let mut score = SetScore::default();
    for (_, s) in &per_article {
        score.add(s);
    }
    let total: Vec<String> = score
        .totals
        .iter()
        .map(|c| {
            let (p, r, f) = c.scores();
            format!("**{p:.2} / {r:.2} / {f:.2}**")
        })
        .collect();
    println!(
        "| **all {} articles** | {} | **{}/{}** |",
        names.len(),
        total.join(" | "),
        score.speakers_right,
        score.speakers_found
    );
    Ok((score, per_article))
}

/// `misses`: also list, per article, each gold span missed, each wrong
/// suggestion and each wrong speaker (`cargo xtask eval --misses`).
pub fn run(misses: bool) -> Result<()> {
    let eval = root().join("eval");
    let sets = [
        ("Development set: the rules were written against it", eval.join("articles")),
        ("Held-out set: written and frozen before any rule was tuned on it", eval.join("holdout").join("articles")),
        (
            "Newsroom styles: held out like set 2, in five newsrooms' house styles",
            eval.join("newsrooms").join("articles"),
        ),
    ];
    println!("Cells: P / R / F1 (hits/predicted/gold); a suggestion matches a gold span of its tag at IoU ≥ 0.5.");
    println!(
        "Speakers right: of the gold quotes found, those whose speaker the rules named right (or, for a speaker the article never names, named no one)."
    );
    let mut summary = Vec::new();
    let mut development_names = Vec::new();
    let mut held = SetScore::default();
    let mut styles: Vec<(String, SetScore)> = Vec::new();
    for (i, (title, dir)) in sets.iter().enumerate() {
        if i > 0 && !dir.exists() {
            println!("\nnotice: {} is absent; it is not scored.", dir.display());
            continue;
        }
        let (score, articles) = score_set(title, dir, misses)?;
        if i == 0 {
            development_names = articles.iter().map(|(n, _)| n.clone()).collect();
        } else {
            held.add(&score);
        }
        if i == 2 {
            for (name, s) in &articles {
                let style = style_of(name);
                match styles.iter_mut().find(|(k, _)| *k == style) {
                    Some((_, sum)) => sum.add(s),
                    None => styles.push((style, *s)),
                }
            }
        }
        summary.push((title.split(':').next().unwrap_or(title).to_string(), score));
    }
    if summary.len() > 2 {
        summary.push(("**All held-out sets together**".to_string(), held));
    }
    println!("\n### Summary\n");
    summary_table(&summary);
    if !styles.is_empty() {
        println!("\n### Newsroom styles (set 3, by the article's name)\n");
        summary_table(&styles);
    }
    println!(
        "\nTargets: quotes and captions P ≥ 0.95 and R ≥ 0.95 on both sets; claims P ≥ 0.80 at R ≥ 0.80 on the held-out set, and F1 ≥ 0.70 on the development set."
    );
    if summary.len() > 2 {
        budgets(&held);
    }
    held_out();
    speed(&eval.join("articles"), &development_names)?;
    Ok(())
}

/// The newsroom an article of set 3 is written in: its name's first word
/// (`ap-…`, `reuters-…`, `us-metro-…` is `us`).
fn style_of(name: &str) -> String {
    name.split('-').next().unwrap_or(name).to_string()
}

fn summary_table(rows: &[(String, SetScore)]) {
    println!(
        "| set | quotes P / R | captions P / R | claims P / R / F1 | claims, high confidence only | speakers right, of quotes found | of named speakers |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let share = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    for (title, s) in rows {
        let [q, c, k] = s.totals.map(Count::scores);
        let h = s.sure_claims.scores();
        println!(
            "| {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} / {:.2} | {:.3} / {:.3} / {:.3} ({}/{}/{}) | {:.2} ({}/{}) | {:.2} ({}/{}) |",
            title,
            q.0,
            q.1,
            c.0,
            c.1,
            k.0,
            k.1,
            k.2,
            h.0,
            h.1,
            h.2,
            s.sure_claims.hits,
            s.sure_claims.predicted,
            s.sure_claims.gold,
            share(s.speakers_right, s.speakers_found),
            s.speakers_right,
            s.speakers_found,
            share(s.named_right, s.named),
            s.named_right,
            s.named
        );
    }
}

/// The budgets on all held-out sets together, each said met or not.
fn budgets(held: &SetScore) {
    let [q, c, _] = held.totals.map(Count::scores);
    let h = held.sure_claims.scores();
    let speakers = if held.speakers_found == 0 { 1.0 } else { held.speakers_right as f64 / held.speakers_found as f64 };
    let rows = [
        ("quotes P ≥ 0.95", q.0, 0.95),
        ("quotes R ≥ 0.95", q.1, 0.95),
        ("captions P ≥ 0.95", c.0, 0.95),
        ("captions R ≥ 0.95", c.1, 0.95),
        ("high-confidence claims P ≥ 0.85", h.0, 0.85),
        ("high-confidence claims R ≥ 0.85", h.1, 0.85),
        ("speakers right ≥ 0.90", speakers, 0.90),
    ];
    println!("\nBudgets, on all held-out sets together:");
    for (what, got, want) in rows {
        let verdict = if got >= want { "met" } else { "NOT met" };
        println!("  {what}: {got:.3}, {verdict}");
    }
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
    fn speakers_named_alike() {
        let cases = [
            (Some("Mara Lind"), Some("Mara Lind"), true),
            (Some("Ms Lind"), Some("Mara Lind"), true),
            (Some("Lind"), Some("Mara Lind"), true),
            (Some("Mara"), Some("Mara Lind"), false),
            (Some("Jo Lind"), Some("Mara Lind"), false),
            (Some("the Northwire Ports Authority"), Some("Northwire Ports Authority"), true),
            (None, None, true),
            (None, Some("Mara Lind"), false),
            (Some("Mara Lind"), None, false),
            (Some("Mme Dubois"), Some("Claire Dubois"), true),
        ];
        for (p, g, want) in cases {
            assert_eq!(same_speaker(p, g), want, "{p:?} vs {g:?}");
        }
    }

    #[test]
    fn matching_is_one_to_one_by_overlap() {
        assert_eq!(iou((0, 10), (0, 10)), 1.0);
        assert_eq!(iou((0, 10), (5, 15)), 5.0 / 15.0);
        let (c, matched) = count(&[(0, 10), (1, 10), (50, 60)], &[(0, 10), (40, 45)]);
        assert_eq!(matched, vec![(0, 0)]);
        assert_eq!((c.hits, c.predicted, c.gold), (1, 3, 2));
        let (p, r, _) = c.scores();
        assert!((p - 1.0 / 3.0).abs() < 1e-9 && (r - 0.5).abs() < 1e-9);
    }
}
