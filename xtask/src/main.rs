//! `cargo xtask <command>`: Marginalia's automation, in Rust so it needs
//! nothing but cargo. Commands install whatever is missing first.
//!
//! - `serve`: the page on http://127.0.0.1:8080 with live reload.
//! - `test`: every check CI runs, in order, failing on the first red one.
//! - `dist`: the release build in `dist/`.

mod tools;

use std::path::PathBuf;
use std::process::Command;
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
        _ => {
            eprintln!("usage: cargo xtask <serve|test|dist>");
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

fn dist() -> Result<()> {
    tools::for_serve()?;
    trunk_release()
}

/// Runs the steps in order, timing each; the first failure stops the run.
fn test() -> Result<()> {
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
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("native tests", &mut || run(cmd("cargo").args(["test", "--workspace"])))?;
    step("browser tests (wasm-bindgen-test, headless Chromium)", &mut || {
        let tmp = root().join("target").join("tmp");
        std::fs::create_dir_all(&tmp)?;
        run(cmd("cargo")
            .args(["test", "-p", "marginalia", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", which("chromedriver").unwrap_or_else(|| "chromedriver".into()))
            .env("TMPDIR", &tmp))
    })?;
    step("release build (trunk build --release)", &mut trunk_release)?;
    step("end-to-end tests (Playwright, headless Chromium)", &mut || {
        let tmp = root().join("target").join("tmp");
        std::fs::create_dir_all(&tmp)?;
        run(cmd("npx").args(["playwright", "test"]).current_dir(root().join("e2e")).env("TMPDIR", &tmp))
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
