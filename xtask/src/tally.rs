//! The closing line of `cargo xtask test`: what every runner said, summed,
//! and what the steps did, so a person reading only the last line of a red
//! run sees that it is red, and where.
//!
//! A runner's exit status is the truth (it decides the run); its summary
//! lines are read for the counts. Whatever a summary can leave out is
//! counted from the exit status and the step list instead: a runner that
//! failed without naming a failure (a test binary that did not compile, or
//! crashed before its `test result:` line), and the steps never reached
//! after the first red one. Each of those counts as one failure.
//!
//! A green run's line is exactly `xtask: N passed, 0 failed, N skipped`, the
//! plain form CI reads. A red one adds, after the counts, which step failed,
//! what its runner reported, and which steps did not run.

use std::fmt::Write;

/// One runner's (one step's) counts, read from its output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    /// Tests that failed (Playwright's `failed` and `flaky`; cargo's `failed`).
    pub failed: u64,
    pub skipped: u64,
    /// Errors outside any test (Playwright's "N errors were not a part of
    /// any test", which counts a run that timed out as a whole).
    pub errors: u64,
    /// Test binaries that started and never summed up: a crash.
    pub crashed: u64,
    /// Playwright's `interrupted`.
    pub interrupted: u64,
    /// Playwright's `did not run`.
    pub not_run: u64,
}

impl Counts {
    /// Everything that is not a pass or a skip.
    pub fn bad(&self) -> u64 {
        self.failed + self.errors + self.crashed + self.interrupted + self.not_run
    }

    fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.errors += other.errors;
        self.crashed += other.crashed;
        self.interrupted += other.interrupted;
        self.not_run += other.not_run;
    }

    /// "3 failed, 1 error outside tests": the bad counts, in words.
    fn describe(&self) -> String {
        let parts = [
            (self.failed, "failed", "failed"),
            (self.errors, "error outside tests", "errors outside tests"),
            (self.crashed, "test binary crashed", "test binaries crashed"),
            (self.interrupted, "interrupted", "interrupted"),
            (self.not_run, "did not run", "did not run"),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        said.join(", ")
    }
}

/// Reads one runner's output, line by line.
#[derive(Debug, Default)]
pub struct Reader {
    pub counts: Counts,
    /// A cargo test binary that said `running N tests` and has not yet
    /// said `test result:`: what it declared, and what it said per test.
    open: Option<Binary>,
}

#[derive(Debug, Default)]
struct Binary {
    declared: u64,
    seen: Counts,
}

impl Reader {
    /// Reads cargo's (and wasm-bindgen-test's) `running 14 tests` and
    /// `test result: ok. 5 passed; 0 failed; 1 ignored; …`, and
    /// Playwright's summary: `  17 passed (24.0s)`, `  2 failed`,
    /// `  1 flaky`, `  1 skipped`, `  1 interrupted`, `  3 did not run`,
    /// `  1 error was not a part of any test, see above for details` (a
    /// global time-out is one such error).
    /// Colour codes are ignored; other lines are not counted.
    pub fn read(&mut self, line: &str) {
        let plain = strip_ansi(line);
        let line = plain.trim();
        if let Some(rest) = line.strip_prefix("running ") {
            if let Some(n) = rest.strip_suffix(" tests").or_else(|| rest.strip_suffix(" test")).and_then(number) {
                self.close_binary();
                self.open = Some(Binary { declared: n, seen: Counts::default() });
            }
            return;
        }
        if let Some(rest) = line.strip_prefix("test result:") {
            // The summary counts its binary; what it said per test was a draft.
            self.open = None;
            let body = rest.trim().trim_start_matches("ok.").trim_start_matches("FAILED.");
            let count = |word: &str| -> u64 {
                body.split(';').find_map(|part| part.trim().strip_suffix(word)?.trim().parse().ok()).unwrap_or(0)
            };
            self.counts.passed += count("passed");
            self.counts.failed += count("failed");
            self.counts.skipped += count("ignored");
            return;
        }
        if let (Some(binary), Some(test)) = (self.open.as_mut(), line.strip_prefix("test ")) {
            // `test name ... ok` (or FAILED, ignored): counted if the binary crashes.
            match test.rsplit_once(" ... ").map(|(_, result)| result) {
                Some("ok") => binary.seen.passed += 1,
                Some("FAILED") => binary.seen.failed += 1,
                Some(r) if r.starts_with("ignored") => binary.seen.skipped += 1,
                _ => {}
            }
            return;
        }
        let Some((n, words)) = line.split_once(' ') else { return };
        let Ok(n) = n.parse::<u64>() else { return };
        // `17 passed (24.0s)`: the duration is the only thing that may follow.
        let words = match words.split_once(" (") {
            Some((w, rest)) if rest.ends_with(')') => w,
            _ => words,
        };
        match words {
            "passed" => self.counts.passed += n,
            "failed" | "flaky" => self.counts.failed += n,
            "skipped" => self.counts.skipped += n,
            "interrupted" => self.counts.interrupted += n,
            "did not run" => self.counts.not_run += n,
            w if w.starts_with("error was not a part of any test")
                || w.starts_with("errors were not a part of any test") =>
            {
                self.counts.errors += n
            }
            _ => {}
        }
    }

    /// The runner ended: a binary still open never summed up (it crashed).
    pub fn finish(&mut self) -> Counts {
        self.close_binary();
        self.counts.clone()
    }

    /// A binary still open never summed up: it crashed. What it said per
    /// test counts; the rest of what it declared did not run.
    fn close_binary(&mut self) {
        if let Some(Binary { declared, seen }) = self.open.take() {
            let said = seen.passed + seen.failed + seen.skipped;
            self.counts.add(&seen);
            self.counts.not_run += declared.saturating_sub(said);
            self.counts.crashed += 1;
        }
    }
}

fn number(s: &str) -> Option<u64> {
    s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten()
}

/// The line without ANSI colour sequences (`ESC [ … letter`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Its command failed (or could not start): the error.
    Failed(String),
}

/// The steps of a run, in order, with what each ran and counted.
#[derive(Debug, Default)]
pub struct Tally {
    /// Every step the run means to take, in order.
    planned: Vec<&'static str>,
    /// The steps taken: name, outcome, counts (runners only).
    done: Vec<(&'static str, Outcome, Option<Counts>)>,
}

impl Tally {
    pub fn new(planned: &[&'static str]) -> Self {
        Tally { planned: planned.to_vec(), done: Vec::new() }
    }

    /// Records a step: its outcome, and its runner's counts if it has one.
    pub fn record(&mut self, step: &'static str, outcome: Outcome, counts: Option<Counts>) {
        self.done.push((step, outcome, counts));
    }

    /// The sum over the steps taken, and one failure for each failed step
    /// whose runner named none, and for each step not taken.
    pub fn totals(&self) -> Counts {
        let mut sum = Counts::default();
        for (_, outcome, counts) in &self.done {
            let counts = counts.clone().unwrap_or_default();
            sum.add(&counts);
            if matches!(outcome, Outcome::Failed(_)) && counts.bad() == 0 {
                sum.failed += 1;
            }
        }
        sum.failed += self.not_taken().len() as u64;
        sum
    }

    fn not_taken(&self) -> Vec<&'static str> {
        self.planned.iter().copied().filter(|p| !self.done.iter().any(|(d, ..)| d == p)).collect()
    }

    /// The closing line.
    pub fn line(&self) -> String {
        let t = self.totals();
        let mut line = format!("xtask: {} passed, {} failed, {} skipped", t.passed, t.bad(), t.skipped);
        let red: Vec<_> = self
            .done
            .iter()
            .filter(|(_, o, c)| *o != Outcome::Passed || c.as_ref().is_some_and(|c| c.bad() > 0))
            .collect();
        let not_taken = self.not_taken();
        if red.is_empty() && not_taken.is_empty() {
            return line;
        }
        line.push_str(" — RED:");
        for (name, outcome, counts) in red {
            let said = counts.as_ref().map(Counts::describe).filter(|s| !s.is_empty());
            let _ = match (outcome, said) {
                (_, Some(said)) => write!(line, " step \"{name}\" failed ({said});"),
                // A runner that failed without naming a failure: it did not compile, or could not start.
                (Outcome::Failed(why), None) if counts.is_some() => {
                    write!(line, " step \"{name}\" failed before any summary ({});", first_line(why))
                }
                (Outcome::Failed(why), None) => write!(line, " step \"{name}\" failed ({});", first_line(why)),
                (Outcome::Passed, None) => Ok(()),
            };
        }
        if not_taken.is_empty() {
            line.pop();
        } else {
            let _ = write!(
                line,
                " not run: {}",
                not_taken.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
            );
        }
        line
    }
}

fn first_line(s: &str) -> &str {
    let line = s.lines().next().unwrap_or("");
    // A command line can be long; the step's name says which it was.
    match line.char_indices().nth(160) {
        Some((at, _)) => &line[..at],
        None => line,
    }
}

#[cfg(test)]
mod tests;
