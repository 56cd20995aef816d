//! `cargo xtask stress [N] [--rate R]`: the end-to-end suite N times (10 by
//! default) with every page's CPU slowed R times (4 by default) through the
//! DevTools protocol, then a table of every test that failed at least once.
//! A race between the widget's deferred work and the next step of a test
//! (or a reader) shows up here long before it shows up in CI.
//!
//! Playwright runs each test N times in one invocation (`--repeat-each`),
//! still with `retries: 0`; the fixtures read `MARGINALIA_CPU_THROTTLE`,
//! and the config scales its time budgets by the same factor, since every
//! step takes that much longer.

use crate::{cmd, root, run, tools, Result};
use serde_json::Value;
use std::collections::BTreeMap;

/// How one test fared over the runs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fared {
    pub runs: u32,
    pub failed: u32,
    /// The first failure's message, cut short.
    pub first_error: Option<String>,
}

pub fn run_stress(args: &[String]) -> Result<()> {
    let (n, rate) = parse_args(args)?;
    tools::for_test()?;
    crate::trunk_release()?;
    let dir = root().join("target").join("stress");
    std::fs::create_dir_all(&dir)?;
    let report = dir.join("report.json");
    let _ = std::fs::remove_file(&report);
    eprintln!("xtask: stress: the end-to-end suite {n} times, CPU slowed {rate}×");
    // The suite failing is what is being measured: read the report either way.
    let outcome = run(cmd("npx")
        .args(["playwright", "test", "--reporter=dot,json", &format!("--repeat-each={n}")])
        .current_dir(root().join("e2e"))
        .env("MARGINALIA_CPU_THROTTLE", rate.to_string())
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
        .env("TMPDIR", root().join("target").join("tmp")));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(&report).map_err(|e| format!("no Playwright report at {}: {e}", report.display()))?,
    )?;
    let table = tally(&json);
    print!("{}", render(&table, n, rate));
    std::fs::write(dir.join("table.md"), render(&table, n, rate))?;
    let failing = table.values().filter(|f| f.failed > 0).count();
    match (failing, outcome) {
        (0, Ok(())) => Ok(()),
        (0, Err(e)) => Err(format!("no test failed, but Playwright did: {e}").into()),
        (k, _) => Err(format!("{k} test(s) failed at least once in {n} runs").into()),
    }
}

fn parse_args(args: &[String]) -> Result<(u32, u32)> {
    let mut n = 10;
    let mut rate = 4;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rate" => {
                rate = it.next().and_then(|v| v.parse().ok()).filter(|&r| r >= 1).ok_or("--rate takes a number ≥ 1")?;
            }
            other => n = other.parse().ok().filter(|&n| n >= 1).ok_or(format!("not a run count: {other}"))?,
        }
    }
    Ok((n, rate))
}

/// Every test in the report, by `file:line › describe › title`, with its
/// runs and failures (skipped runs count as neither).
pub fn tally(report: &Value) -> BTreeMap<String, Fared> {
    let mut table = BTreeMap::new();
    for suite in report["suites"].as_array().into_iter().flatten() {
        walk(suite, &mut Vec::new(), &mut table);
    }
    table
}

fn walk(suite: &Value, titles: &mut Vec<String>, table: &mut BTreeMap<String, Fared>) {
    // The top suite's title is its file, which each spec names anyway.
    let title = suite["title"].as_str().unwrap_or_default();
    let named = !title.is_empty() && suite.get("file").and_then(Value::as_str) != Some(title);
    if named {
        titles.push(title.to_string());
    }
    for spec in suite["specs"].as_array().into_iter().flatten() {
        let mut name = format!("{}:{}", spec["file"].as_str().unwrap_or("?"), spec["line"].as_u64().unwrap_or(0));
        for t in titles.iter().chain(std::iter::once(&spec["title"].as_str().unwrap_or("?").to_string())) {
            name.push_str(" › ");
            name.push_str(t);
        }
        let fared = table.entry(name).or_default();
        for test in spec["tests"].as_array().into_iter().flatten() {
            for result in test["results"].as_array().into_iter().flatten() {
                match result["status"].as_str() {
                    Some("skipped") | None => {}
                    Some("passed") => fared.runs += 1,
                    Some(_) => {
                        fared.runs += 1;
                        fared.failed += 1;
                        if fared.first_error.is_none() {
                            let message = result["error"]["message"].as_str().unwrap_or("(no message)");
                            let line = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                            fared.first_error = Some(line.chars().take(160).collect());
                        }
                    }
                }
            }
        }
    }
    for child in suite["suites"].as_array().into_iter().flatten() {
        walk(child, titles, table);
    }
    if named {
        titles.pop();
    }
}

/// A Markdown table: every test that failed at least once, then a total.
pub fn render(table: &BTreeMap<String, Fared>, n: u32, rate: u32) -> String {
    let failing: Vec<_> = table.iter().filter(|(_, f)| f.failed > 0).collect();
    let runs: u32 = table.values().map(|f| f.runs).sum();
    let mut out = format!("\nxtask: stress: {} tests × {n} runs at CPU {rate}×: {runs} runs\n\n", table.len());
    out.push_str("| test | failed / runs | first error |\n| --- | --- | --- |\n");
    for (name, f) in &failing {
        let error = f.first_error.as_deref().unwrap_or("").replace('|', "\\|");
        out.push_str(&format!("| {name} | {} / {} | {error} |\n", f.failed, f.runs));
    }
    let failed: u32 = failing.iter().map(|(_, f)| f.failed).sum();
    out.push_str(&format!("| every test | {failed} / {runs} | |\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_repeats_failures_and_describe_blocks() {
        let report = serde_json::json!({ "suites": [{
            "title": "a.spec.mjs", "file": "a.spec.mjs",
            "specs": [{ "title": "saves", "file": "a.spec.mjs", "line": 3, "tests": [
                { "results": [{ "status": "passed" }] },
                { "results": [{ "status": "failed", "error": { "message": "\nExpected: 1\nReceived: 0" } }] },
                { "results": [{ "status": "timedOut", "error": { "message": "Test timeout" } }] },
            ]}],
            "suites": [{ "title": "dark", "file": "a.spec.mjs", "specs": [
                { "title": "paints", "file": "a.spec.mjs", "line": 9, "tests": [
                    { "results": [{ "status": "passed" }] },
                    { "results": [{ "status": "skipped" }] },
                ]},
            ]}],
        }]});
        let table = tally(&report);
        let saves = &table["a.spec.mjs:3 › saves"];
        assert_eq!((saves.runs, saves.failed), (3, 2));
        assert_eq!(saves.first_error.as_deref(), Some("Expected: 1"));
        assert_eq!(table["a.spec.mjs:9 › dark › paints"], Fared { runs: 1, failed: 0, first_error: None });
        let text = render(&table, 3, 4);
        assert!(text.contains("| a.spec.mjs:3 › saves | 2 / 3 | Expected: 1 |"), "{text}");
        assert!(!text.contains("paints"), "a test that never failed is not listed: {text}");
        assert!(text.contains("| every test | 2 / 4 | |"), "{text}");
    }

    #[test]
    fn args_take_a_count_and_a_rate() {
        let args = |a: &[&str]| parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).ok();
        assert_eq!(args(&[]), Some((10, 4)));
        assert_eq!(args(&["12"]), Some((12, 4)));
        assert_eq!(args(&["3", "--rate", "6"]), Some((3, 6)));
        assert_eq!(args(&["0"]), None);
        assert_eq!(args(&["--rate"]), None);
    }
}
