//! `cargo xtask <command>`: Marginalia's automation, in Rust so it needs
//! nothing but cargo. Commands install whatever is missing first.
//!
//! - `serve`: the page on http://127.0.0.1:8080 with live reload.
//! - `test`: every check CI runs, in order, failing on the first red one.
//! - `dist`: the release build in `dist/`: the page, and the embed bundle
//!   in `dist/embed/`.
//! - `bench`: the benchmarks (bench/run.mjs, then bench/sync.mjs) on the release embed bundle in
//!   headless Chromium; a table on stdout, JSON in bench/results/.
//!   `bench --profile`: where the time goes on the largest cell.
//! - `eval`: precision, recall and F1 of the suggestions on `eval/`.
//! - `stress [N] [--rate R]`: the end-to-end suite N times (10) with the
//!   CPU slowed R times (4); prints each test that failed at least once.
//! - `embed`: the embed bundle alone (Trunk runs it as a post-build hook,
//!   into its staging folder, so `trunk serve` has it too).

mod embed;
mod eval;
mod size;
mod stress;
mod tools;

use std::cell::Cell;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The repository root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// A command that runs in the repository root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

pub fn run(c: &mut Command) -> Result<()> {
    eprintln!("xtask: $ {}", describe(c));
    let status = c.status().map_err(|e| format!("could not start {}: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed ({status}): {}", describe(c)).into())
    }
}

/// Test counts summed over every runner, for one closing line CI can read.
#[derive(Default)]
struct Tally {
    passed: Cell<u64>,
    failed: Cell<u64>,
    skipped: Cell<u64>,
}

impl Tally {
    /// Reads cargo's `test result: ok. 5 passed; 0 failed; 1 ignored; …` and
    /// Playwright's `  17 passed (24.0s)` / `  1 skipped` / `  2 failed`.
    fn read(&self, line: &str) {
        let line = line.trim();
        let count = |word: &str| -> Option<u64> {
            let at = line.find(&format!(" {word}"))?;
            line[..at].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        };
        if line.starts_with("test result:") {
            self.add(count("passed"), count("failed"), count("ignored"));
        } else if line.starts_with(|c: char| c.is_ascii_digit()) {
            let word = line.split_whitespace().nth(1).unwrap_or("");
            let n = count(word);
            match word {
                "passed" => self.add(n, None, None),
                "failed" => self.add(None, n, None),
                "skipped" => self.add(None, None, n),
                _ => {}
            }
        }
    }

    fn add(&self, passed: Option<u64>, failed: Option<u64>, skipped: Option<u64>) {
        self.passed.set(self.passed.get() + passed.unwrap_or(0));
        self.failed.set(self.failed.get() + failed.unwrap_or(0));
        self.skipped.set(self.skipped.get() + skipped.unwrap_or(0));
    }

    fn line(&self) -> String {
        format!("{} passed, {} failed, {} skipped", self.passed.get(), self.failed.get(), self.skipped.get())
    }
}

/// Runs a test runner, echoing its output and counting its results.
fn run_counted(c: &mut Command, tally: &Tally) -> Result<()> {
    eprintln!("xtask: $ {}", describe(c));
    let mut child = c.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start {}: {e}", describe(c)))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed ({status}): {}", describe(c)).into())
    }
}

fn describe(c: &Command) -> String {
    std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("dist") => dist(),
        Some("embed") => embed::build(),
        Some("bench") => bench(args.get(1).map(String::as_str) == Some("--profile")),
        Some("size") => size(),
        Some("eval") => eval::run(args.iter().any(|a| a == "--misses")),
        Some("stress") => stress::run_stress(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <serve|test|dist|bench|size|eval|embed|stress [N] [--rate R]>");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e}");
        std::process::exit(1);
    }
}

fn serve() -> Result<()> {
    tools::for_serve()?;
    run(cmd("trunk").arg("serve"))
}

fn trunk_release() -> Result<()> {
    // A long Rust backtrace buries Trunk's one-line error.
    run(cmd("trunk").args(["build", "--release"]).env("RUST_BACKTRACE", "0"))
}

/// Builds a site of the release embed bundle and the harness page, and runs
/// the benchmark on it; with `--profile`, a CPU profile of the largest cell
/// on a bundle that keeps its function names (no wasm-opt).
fn bench(profile: bool) -> Result<()> {
    tools::for_test()?;
    let site = root().join("target").join("bench").join(if profile { "profile" } else { "site" });
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    embed::build_into(&site.join("embed"), true, !profile)?;
    for file in ["harness.html", "harness.css"] {
        std::fs::copy(root().join("bench").join(file), site.join(file))?;
    }
    let script = if profile { "profile.mjs" } else { "run.mjs" };
    run(cmd("node").arg(root().join("bench").join(script)).arg(&site))?;
    if profile {
        return Ok(());
    }
    // The first sync of 1,000 and 10,000 annotations (bench/sync.mjs).
    run(cmd("node").arg(root().join("bench").join("sync.mjs")).arg(&site))?;
    tools::for_size()?;
    size::report(&site.join("embed"))
}

/// The bundle's size per file and the wasm's per crate (xtask/src/size.rs).
fn size() -> Result<()> {
    tools::for_serve()?;
    tools::for_size()?;
    let shipped = root().join("target").join("size").join("shipped");
    embed::build_into(&shipped, true, true)?;
    size::report(&shipped)
}

fn dist() -> Result<()> {
    tools::for_serve()?;
    trunk_release()
}

/// Runs the steps in order, timing each; the first failure stops the run.
/// The last line is `xtask: N passed, N failed, N skipped` over all runners.
fn test() -> Result<()> {
    let tally = Tally::default();
    let result = test_steps(&tally);
    eprintln!();
    println!("xtask: {}", tally.line());
    result
}

fn test_steps(tally: &Tally) -> Result<()> {
    let started = Instant::now();
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\nxtask: ── {name}");
        let t = Instant::now();
        let r = f();
        times.push((name, t.elapsed().as_secs_f64()));
        r.map_err(|e| format!("{name}: {e}").into())
    };
    step("install tools", &mut tools::for_test)?;
    step("rustfmt", &mut || run(cmd("cargo").args(["fmt", "--all", "--check"])))?;
    step("clippy (host)", &mut || {
        run(cmd("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    })?;
    step("clippy (wasm32)", &mut || {
        run(cmd("cargo").args([
            "clippy",
            "-p",
            "marginalia",
            "-p",
            "marginalia-dom",
            "-p",
            "marginalia-first-paint",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("native tests", &mut || run_counted(cmd("cargo").args(["test", "--workspace"]), tally))?;
    step("browser tests (wasm-bindgen-test, headless Chromium)", &mut || {
        let tmp = root().join("target").join("tmp");
        std::fs::create_dir_all(&tmp)?;
        run_counted(
            cmd("cargo")
                .args(["test", "-p", "marginalia", "--target", "wasm32-unknown-unknown"])
                .env("CHROMEDRIVER", which("chromedriver").unwrap_or_else(|| "chromedriver".into()))
                .env("TMPDIR", &tmp),
            tally,
        )
    })?;
    step("release build (trunk build --release)", &mut trunk_release)?;
    step("end-to-end tests (Playwright, headless Chromium)", &mut || {
        let tmp = root().join("target").join("tmp");
        std::fs::create_dir_all(&tmp)?;
        run_counted(cmd("npx").args(["playwright", "test"]).current_dir(root().join("e2e")).env("TMPDIR", &tmp), tally)
    })?;
    eprintln!("\nxtask: all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    for (name, secs) in &times {
        eprintln!("xtask:   {secs:>7.1} s  {name}");
    }
    Ok(())
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_reads_cargo_and_playwright_summaries() {
        let t = Tally::default();
        for line in [
            "test result: ok. 36 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.10s",
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
            "  17 passed (24.0s)",
            "  1 skipped",
            "  2 failed",
            "running 14 tests",
            "  ✓   1 tests/a.spec.mjs:14:3 › 3 passed in title (1.2s)",
        ] {
            t.read(line);
        }
        assert_eq!(t.line(), "56 passed, 3 failed, 3 skipped");
    }
}
