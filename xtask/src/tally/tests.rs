//! The closing line, fed each kind of line the runners print: a table of
//! one runner's output and what it counts, then whole runs.

use super::{Counts, Outcome, Reader, Tally};

fn read(lines: &[&str]) -> Counts {
    let mut r = Reader::default();
    for line in lines {
        r.read(line);
    }
    r.finish()
}

fn counts(passed: u64, failed: u64, skipped: u64, errors: u64, interrupted: u64, not_run: u64) -> Counts {
    Counts { passed, failed, skipped, errors, crashed: 0, interrupted, not_run }
}

/// Counts with `crashed` test binaries.
fn crashed(n: u64, c: Counts) -> Counts {
    Counts { crashed: n, ..c }
}

#[test]
fn each_kind_of_line_is_counted() {
    let cases: &[(&str, &[&str], Counts)] = &[
        (
            "cargo, green",
            &[
                "running 36 tests",
                "test result: ok. 36 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.10s",
            ],
            counts(36, 0, 2, 0, 0, 0),
        ),
        (
            "cargo, a failed test",
            &["running 4 tests", "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"],
            counts(3, 1, 0, 0, 0, 0),
        ),
        (
            "cargo, one test",
            &["running 1 test", "test result: ok. 1 passed; 0 failed; 0 ignored"],
            counts(1, 0, 0, 0, 0, 0),
        ),
        (
            "cargo, a binary that crashed before its summary (as printed on a planted abort)",
            &[
                "running 3 tests",
                "test result: ok. 3 passed; 0 failed; 0 ignored",
                "running 5 tests",
                "test span::tests::a ... ok",
                "test span::tests::b ... ignored, slow",
                "test span::tests::c ... FAILED",
                "error: test failed, to rerun pass `-p marginalia-core --lib`",
                "  process didn't exit successfully: `…` (signal: 6, SIGABRT: process abort signal)",
            ],
            crashed(1, counts(4, 1, 1, 0, 0, 2)),
        ),
        (
            "cargo, per-test lines are a draft the summary replaces",
            &[
                "running 2 tests",
                "test a ... ok",
                "test b ... FAILED",
                "test result: FAILED. 1 passed; 1 failed; 0 ignored",
            ],
            counts(1, 1, 0, 0, 0, 0),
        ),
        (
            "cargo, a crash followed by another binary",
            &["running 5 tests", "running 2 tests", "test result: ok. 2 passed; 0 failed; 0 ignored"],
            crashed(1, counts(2, 0, 0, 0, 0, 5)),
        ),
        ("cargo, a crash at the very end", &["running 1 test"], crashed(1, counts(0, 0, 0, 0, 0, 1))),
        (
            "cargo, a compile error: no summary at all",
            &[
                "error[E0425]: cannot find value `x` in this scope",
                "error: could not compile `marginalia` due to 1 previous error",
            ],
            counts(0, 0, 0, 0, 0, 0),
        ),
        ("playwright, green", &["  17 passed (24.0s)", "  1 skipped"], counts(17, 0, 1, 0, 0, 0)),
        ("playwright, minutes", &["  402 passed (6.3m)"], counts(402, 0, 0, 0, 0, 0)),
        (
            "playwright, every kind",
            &[
                "  2 failed",
                "    [chromium] › tests/a.spec.mjs:3:1 › one",
                "  1 flaky",
                "  3 skipped",
                "  1 interrupted",
                "  4 did not run",
                "  10 passed (1.2m)",
                "  1 error was not a part of any test, see above for details",
            ],
            counts(10, 3, 3, 1, 1, 4),
        ),
        (
            "playwright, errors outside tests",
            &["  2 errors were not a part of any test, see above for details"],
            counts(0, 0, 0, 2, 0, 0),
        ),
        (
            "playwright, the whole run timed out",
            &[
                "Error: Timed out waiting 3600s for the test suite to run",
                "  1 interrupted",
                "  5 passed (60.0m)",
                "  1 error was not a part of any test, see above for details",
            ],
            counts(5, 0, 0, 1, 1, 0),
        ),
        (
            "playwright, in colour",
            &["\u{1b}[31m  2 failed\u{1b}[39m", "\u{1b}[32m  7 passed\u{1b}[39m\u{1b}[2m (3.1s)\u{1b}[22m"],
            counts(7, 2, 0, 0, 0, 0),
        ),
        (
            "lines that only look like counts",
            &[
                "  ✓   1 tests/a.spec.mjs:14:3 › 3 passed in title (1.2s)",
                "  3 passed in title",
                "2 failed attempts to connect",
                "Running 12 tests using 2 workers",
                "running the suite",
            ],
            counts(0, 0, 0, 0, 0, 0),
        ),
    ];
    for (what, lines, want) in cases {
        assert_eq!(&read(lines), want, "{what}");
    }
}

/// A step as recorded: its name, outcome and counts.
type Step = (&'static str, Outcome, Option<Counts>);

const STEPS: &[&str] = &["rustfmt", "native tests", "browser tests", "end-to-end tests"];

#[test]
fn a_green_run_closes_with_the_plain_line() {
    let mut t = Tally::new(STEPS);
    t.record("rustfmt", Outcome::Passed, None);
    t.record("native tests", Outcome::Passed, Some(counts(100, 0, 2, 0, 0, 0)));
    t.record("browser tests", Outcome::Passed, Some(counts(40, 0, 0, 0, 0, 0)));
    t.record("end-to-end tests", Outcome::Passed, Some(counts(300, 0, 3, 0, 0, 0)));
    assert_eq!(t.line(), "xtask: 440 passed, 0 failed, 5 skipped");
}

#[test]
fn every_kind_of_red_run_says_red_and_where() {
    let failed = || Outcome::Failed("failed (exit status: 1): npx playwright test".into());
    let cases: &[(&str, Vec<Step>, &str)] = &[
        (
            "a failed test",
            vec![
                ("rustfmt", Outcome::Passed, None),
                ("native tests", Outcome::Passed, Some(counts(100, 0, 0, 0, 0, 0))),
                ("browser tests", Outcome::Passed, Some(counts(40, 0, 0, 0, 0, 0))),
                ("end-to-end tests", failed(), Some(counts(298, 2, 0, 0, 0, 0))),
            ],
            "xtask: 438 passed, 2 failed, 0 skipped — RED: step \"end-to-end tests\" failed (2 failed)",
        ),
        (
            "an error outside tests, with every test passing",
            vec![
                ("rustfmt", Outcome::Passed, None),
                ("native tests", Outcome::Passed, Some(counts(100, 0, 0, 0, 0, 0))),
                ("browser tests", Outcome::Passed, Some(counts(40, 0, 0, 0, 0, 0))),
                ("end-to-end tests", failed(), Some(counts(300, 0, 0, 1, 0, 0))),
            ],
            "xtask: 440 passed, 1 failed, 0 skipped — RED: step \"end-to-end tests\" failed (1 error outside tests)",
        ),
        (
            "interrupted and not run",
            vec![
                ("rustfmt", Outcome::Passed, None),
                ("native tests", Outcome::Passed, Some(counts(100, 0, 0, 0, 0, 0))),
                ("browser tests", Outcome::Passed, Some(counts(40, 0, 0, 0, 0, 0))),
                ("end-to-end tests", failed(), Some(counts(250, 0, 0, 0, 2, 48))),
            ],
            "xtask: 390 passed, 50 failed, 0 skipped — RED: step \"end-to-end tests\" failed (2 interrupted, 48 did not run)",
        ),
        (
            "a test binary that did not compile, and the steps after it",
            vec![
                ("rustfmt", Outcome::Passed, None),
                (
                    "native tests",
                    Outcome::Failed("failed (exit status: 101): cargo test --workspace".into()),
                    Some(counts(12, 0, 0, 0, 0, 0)),
                ),
            ],
            "xtask: 12 passed, 3 failed, 0 skipped — RED: step \"native tests\" failed before any summary (failed \
             (exit status: 101): cargo test --workspace); not run: \"browser tests\", \"end-to-end tests\"",
        ),
        (
            "a binary that crashed before its summary",
            vec![
                ("rustfmt", Outcome::Passed, None),
                (
                    "native tests",
                    Outcome::Failed("failed (signal: 6)".into()),
                    Some(crashed(1, counts(106, 0, 0, 0, 0, 49))),
                ),
            ],
            "xtask: 106 passed, 52 failed, 0 skipped — RED: step \"native tests\" failed (1 test binary crashed, 49 \
             did not run); not run: \"browser tests\", \"end-to-end tests\"",
        ),
        (
            "a step that is not a runner",
            vec![("rustfmt", Outcome::Failed("failed (exit status: 1): cargo fmt --all --check".into()), None)],
            "xtask: 0 passed, 4 failed, 0 skipped — RED: step \"rustfmt\" failed (failed (exit status: 1): cargo fmt \
             --all --check); not run: \"native tests\", \"browser tests\", \"end-to-end tests\"",
        ),
        (
            "a runner that says it failed a test but exits 0",
            vec![
                ("rustfmt", Outcome::Passed, None),
                ("native tests", Outcome::Passed, Some(counts(9, 1, 0, 0, 0, 0))),
                ("browser tests", Outcome::Passed, Some(counts(1, 0, 0, 0, 0, 0))),
                ("end-to-end tests", Outcome::Passed, Some(counts(1, 0, 0, 0, 0, 0))),
            ],
            "xtask: 11 passed, 1 failed, 0 skipped — RED: step \"native tests\" failed (1 failed)",
        ),
    ];
    for (what, steps, want) in cases {
        let mut t = Tally::new(STEPS);
        for (name, outcome, counts) in steps {
            t.record(name, outcome.clone(), counts.clone());
        }
        assert_eq!(t.line(), *want, "{what}");
    }
}
