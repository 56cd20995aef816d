//! Installs what the build and the tests need, from the registries only:
//! the wasm32 target (rustup), Trunk and wasm-bindgen-cli (crates.io),
//! Playwright, wasm-opt, terser and esbuild (npm, into e2e/node_modules), Chromium and
//! ChromeDriver (Debian's apt). Each step checks first and does nothing when
//! the right version is already there.

use crate::{cmd, root, run, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";

/// The wasm-bindgen version locked in Cargo.lock, checked against the pins in
/// Cargo.toml and Trunk.toml so a drift fails here, not deep inside Trunk.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let locked = lock
        .split("[[package]]")
        .find(|block| block.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|block| block.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .ok_or("Cargo.lock has no wasm-bindgen package")?;
    let cargo_toml = std::fs::read_to_string(root().join("Cargo.toml"))?;
    // `wasm-bindgen = "=X"` or `wasm-bindgen = { version = "=X", … }`.
    let pinned = |line: &str| line.starts_with("wasm-bindgen =") && line.contains(&format!("\"={locked}\""));
    if !cargo_toml.lines().any(pinned) {
        return Err(format!("Cargo.toml must pin wasm-bindgen = \"={locked}\" (the Cargo.lock version)").into());
    }
    let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{locked}\"")) {
        return Err(format!("Trunk.toml must set [tools] wasm_bindgen = \"{locked}\" (the Cargo.lock version)").into());
    }
    Ok(locked)
}

/// The first line a tool prints for `--version`, if it runs at all.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string())
}

pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

pub fn node_bin() -> PathBuf {
    root().join("e2e").join("node_modules").join(".bin")
}

/// PATH with Cargo's bin folder and the npm tools in front, so Trunk finds
/// wasm-bindgen and wasm-opt, and cargo finds wasm-bindgen-test-runner.
pub fn setup_path() -> Result<()> {
    let old = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![node_bin(), cargo_bin()];
    paths.extend(std::env::split_paths(&old));
    let joined = std::env::join_paths(paths).map_err(|e| e.to_string())?;
    // Single-threaded at this point: nothing else reads the environment.
    std::env::set_var("PATH", joined);
    Ok(())
}

fn rust_target() -> Result<()> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output()?;
    if !String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn trunk() -> Result<()> {
    if version_of("trunk").is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        return Ok(());
    }
    eprintln!("xtask: installing trunk {TRUNK_VERSION} (about 6 minutes, once)");
    run(cmd("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

fn wasm_bindgen(version: &str) -> Result<()> {
    let ok = |p: &str| version_of(p).is_some_and(|v| v.ends_with(version));
    if ok("wasm-bindgen") && ok("wasm-bindgen-test-runner") {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {version} (about 4 minutes, once)");
    // Not --locked: the CLI's own lock file pins a crate the registry no longer has.
    run(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", version, "--force"]))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let root_user = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    let sudo = |args: &[&str]| {
        let mut c = if root_user { cmd(args[0]) } else { cmd("sudo") };
        c.args(if root_user { &args[1..] } else { args });
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut sudo(&["apt-get", "update"]))?;
    let mut args = vec!["apt-get", "install", "-y"];
    args.extend_from_slice(packages);
    run(&mut sudo(&args))
}

pub const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && version_of("chromedriver").is_some() {
        return Ok(());
    }
    eprintln!("xtask: installing Chromium and ChromeDriver from apt");
    apt_install(&["chromium", "chromium-driver"])
}

fn node_modules() -> Result<()> {
    if version_of("npm").is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let e2e = root().join("e2e");
    let stamp = e2e.join("node_modules").join(".package-lock.json");
    let lock = e2e.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified()? >= l.modified()?,
        _ => false,
    };
    let tools = ["wasm-opt", "terser", "esbuild"];
    if fresh && tools.iter().all(|t| node_bin().join(t).exists()) {
        return Ok(());
    }
    // Playwright drives Debian's Chromium; it must never fetch a browser.
    run(cmd("npm")
        .arg("ci")
        .arg("--no-audit")
        .arg("--no-fund")
        .current_dir(&e2e)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

pub const TWIGGY_VERSION: &str = "0.8.0";

/// What `size` adds: twiggy, to read the wasm per crate.
pub fn for_size() -> Result<()> {
    if version_of("twiggy").is_some_and(|v| v.ends_with(TWIGGY_VERSION)) {
        return Ok(());
    }
    eprintln!("xtask: installing twiggy {TWIGGY_VERSION} (about a minute, once)");
    run(cmd("cargo").args(["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"]))
}

/// Everything `serve` needs.
pub fn for_serve() -> Result<()> {
    setup_path()?;
    let version = wasm_bindgen_version()?;
    rust_target()?;
    node_modules()?;
    trunk()?;
    wasm_bindgen(&version)
}

/// Everything `test` needs: `serve`'s tools and a browser.
pub fn for_test() -> Result<()> {
    for_serve()?;
    chromium()
}
