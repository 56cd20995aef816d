//! Builds the embed bundle: `marginalia.js` (our ES module wrapper, from
//! `embed/`), `marginalia_glue.js` (wasm-bindgen's `--target web` output)
//! and `marginalia_bg.wasm`, with stable names a host page can link to.
//!
//! Run by Trunk as a post-build hook, it writes into Trunk's staging folder
//! and follows Trunk's profile; run by hand, it writes a release build to
//! `dist/embed/`.

use crate::{cmd, root, run, Result};
use std::path::PathBuf;

pub fn build() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from);
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    build_into(&staging.unwrap_or_else(|| root().join("dist")).join("embed"), release, release)
}

/// Builds the bundle into `out`; `optimise` runs wasm-opt (which also drops
/// the function names a profile needs).
pub fn build_into(out: &std::path::Path, release: bool, optimise: bool) -> Result<()> {
    let out = out.to_path_buf();
    std::fs::create_dir_all(&out)?;

    let mut cargo = cmd("cargo");
    cargo.args(["build", "--lib", "-p", "marginalia", "--target", "wasm32-unknown-unknown"]);
    if release {
        cargo.arg("--release");
    }
    run(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    let wasm = root().join("target/wasm32-unknown-unknown").join(profile).join("marginalia.wasm");

    run(cmd("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-name", "marginalia_glue", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    let bundled = out.join("marginalia_bg.wasm");
    std::fs::rename(out.join("marginalia_glue_bg.wasm"), &bundled)?;
    if optimise {
        let optimised = out.join("marginalia_bg.opt.wasm");
        run(cmd("wasm-opt").arg("-Oz").arg("--output").arg(&optimised).arg(&bundled))?;
        std::fs::rename(&optimised, &bundled)?;
    }
    std::fs::copy(root().join("embed/marginalia.js"), out.join("marginalia.js"))?;
    eprintln!("xtask: embed bundle in {}", out.display());
    Ok(())
}
