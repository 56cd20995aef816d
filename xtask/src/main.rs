//! `cargo xtask <command>`: Marginalia's automation, in Rust so it needs
//! nothing but cargo. Commands install whatever is missing first.
//!
//! - `serve`: the page on http://127.0.0.1:8080 with live reload.
//! - `test [STEP…]`: every check CI runs, in order, failing on the first red
//!   one (or only the steps named: tools, fmt, clippy, clippy-wasm, native,
//!   browser, build, e2e); the last line sums every runner's counts.
//! - `dist`: the release build in `dist/`: the page, and the embed bundle
//!   in `dist/embed/`.
//! - `bench`: the benchmarks (bench/run.mjs, then bench/sync.mjs) on the release embed bundle in
//!   headless Chromium; a table on stdout, JSON in bench/results/.
//!   `bench --profile`: where the time goes on the largest cell.
//! - `eval`: precision, recall and F1 of the suggestions on `eval/`.
//! - `stress [N] [--rate R]`: the end-to-end suite N times (10) with the
//!   CPU slowed R times (4); prints each test that failed at least once.
//! - `soak [STEPS] [--seed N] [--rate R]`: the seeded random walk against a
//!   model (e2e/tests/soak.spec.mjs) at length; `test` runs it short.
//! - `embed`: the embed bundle alone (Trunk runs it as a post-build hook,
//!   into its staging folder, so `trunk serve` has it too).

mod embed;
mod eval;
mod imports;
mod size;
mod soak;
mod stress;
mod tally;
mod tools;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;
use tally::{Counts, Outcome, Tally};

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

/// Runs a test runner, echoing its output and counting its results.
fn run_counted(c: &mut Command) -> (Result<()>, Counts) {
    eprintln!("xtask: $ {}", describe(c));
    let mut reader = tally::Reader::default();
    let result = (|| -> Result<()> {
        let mut child =
            c.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start {}: {e}", describe(c)))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                let line = line?;
                println!("{line}");
                reader.read(&line);
            }
        }
        let status = child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("failed ({status}): {}", describe(c)).into())
        }
    })();
    (result, reader.finish())
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
        Some("test") => test(&args[1..]),
        Some("dist") => dist(),
        Some("embed") => embed::build(),
        Some("bench") => bench(args.get(1).map(String::as_str) == Some("--profile")),
        Some("size") => size(),
        Some("eval") => eval::run(args.iter().any(|a| a == "--misses")),
        Some("stress") => stress::run_stress(&args[1..]),
        Some("soak") => soak::run_soak(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <serve|test [STEP…]|dist|bench|size|eval|embed|stress [N] [--rate R]|soak [STEPS] [--seed N]>");
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

/// The steps of `cargo xtask test`, in order: the short name that picks
/// it (`cargo xtask test e2e`), and the name it is reported under.
const STEPS: [(&str, &str); 8] = [
    ("tools", "install tools"),
    ("fmt", "rustfmt"),
    ("clippy", "clippy (host)"),
    ("clippy-wasm", "clippy (wasm32)"),
    ("native", "native tests"),
    ("browser", "browser tests (wasm-bindgen-test, headless Chromium)"),
    ("build", "release build (trunk build --release)"),
    ("e2e", "end-to-end tests (Playwright, headless Chromium)"),
];

/// The steps `args` pick, in the run's order: all of them when none is
/// named (what CI runs).
fn picked(args: &[String]) -> Result<Vec<&'static str>> {
    if let Some(unknown) = args.iter().find(|a| !STEPS.iter().any(|(key, _)| key == a)) {
        let keys: Vec<&str> = STEPS.iter().map(|(key, _)| *key).collect();
        return Err(format!("no step {unknown:?}: the steps are {}", keys.join(", ")).into());
    }
    Ok(STEPS
        .iter()
        .filter(|(key, _)| args.is_empty() || args.iter().any(|a| a == key))
        .map(|(_, name)| *name)
        .collect())
}

/// Runs the steps in order (`args`: only these), timing each; the first
/// failure stops the run. The last line sums every runner's counts and
/// says which step failed and which never ran (`tally.rs`).
fn test(args: &[String]) -> Result<()> {
    let steps = picked(args)?;
    let mut tally = Tally::new(&steps);
    let result = test_steps(&steps, &mut tally);
    // The closing line comes last, after the error that ended the run.
    if let Err(e) = &result {
        eprintln!("xtask: error: {e}");
    }
    eprintln!();
    println!("{}", tally.line());
    if result.is_err() {
        std::process::exit(1);
    }
    Ok(())
}

fn test_steps(steps: &[&'static str], tally: &mut Tally) -> Result<()> {
    let started = Instant::now();
    let mut times: Vec<(&str, f64)> = Vec::new();
    if !steps.contains(&STEPS[0].1) {
        // The tools' folders go on PATH whether or not they are installed now.
        tools::setup_path()?;
    }
    for &name in steps {
        eprintln!("\nxtask: ── {name}");
        let t = Instant::now();
        let (result, counts) = step(name);
        times.push((name, t.elapsed().as_secs_f64()));
        let outcome = match &result {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(e.to_string()),
        };
        tally.record(name, outcome, counts);
        result.map_err(|e| format!("{name}: {e}"))?;
    }
    eprintln!("\nxtask: all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    for (name, secs) in &times {
        eprintln!("xtask:   {secs:>7.1} s  {name}");
    }
    Ok(())
}

/// One step of `test`, by name; a runner's step gives its counts.
fn step(name: &str) -> (Result<()>, Option<Counts>) {
    let counted = |(r, c): (Result<()>, Counts)| (r, Some(c));
    let tmp = root().join("target").join("tmp");
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        return (Err(e.into()), None);
    }
    match name {
        "install tools" => (tools::for_test(), None),
        "rustfmt" => (run(cmd("cargo").args(["fmt", "--all", "--check"])), None),
        "clippy (host)" => {
            (run(cmd("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])), None)
        }
        "clippy (wasm32)" => (
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
            ])),
            None,
        ),
        // Every test binary runs, so one that fails or crashes hides none after it.
        "native tests" => counted(run_counted(cmd("cargo").args(["test", "--workspace", "--no-fail-fast"]))),
        "browser tests (wasm-bindgen-test, headless Chromium)" => counted(run_counted(
            cmd("cargo")
                .args(["test", "-p", "marginalia", "--target", "wasm32-unknown-unknown", "--no-fail-fast"])
                .env("CHROMEDRIVER", which("chromedriver").unwrap_or_else(|| "chromedriver".into()))
                .env("TMPDIR", &tmp),
        )),
        "release build (trunk build --release)" => (trunk_release(), None),
        "end-to-end tests (Playwright, headless Chromium)" => counted(run_counted(
            cmd("npx").args(["playwright", "test"]).current_dir(root().join("e2e")).env("TMPDIR", &tmp),
        )),
        other => (Err(format!("no step named {other:?}").into()), None),
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::{picked, STEPS};

    #[test]
    fn steps_are_picked_by_short_name_in_the_runs_order() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(picked(&[]).ok().map(|s| s.len()), Some(STEPS.len()));
        assert_eq!(
            picked(&args(&["e2e", "tools"])).ok(),
            Some(vec!["install tools", "end-to-end tests (Playwright, headless Chromium)"])
        );
        let err = picked(&args(&["native", "lint"])).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("no step \"lint\": the steps are tools, fmt,"), "{err}");
    }
}
