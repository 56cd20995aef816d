//! Builds the embed bundle, with stable names a host page can link to:
//! `marginalia.js` (our ES module wrapper, from `embed/`), and three
//! modules, each wasm-bindgen's `--target web` output: the first paint
//! (its glue bundled into `marginalia.js` by esbuild, and
//! `marginalia_first_bg.wasm`), which a host downloads to mount, the annotator (`marginalia_glue.js`,
//! `marginalia_bg.wasm`; `marginalia-dom`'s `dom.js` bundled into that
//! glue), loaded on first use, and the suggestion rules
//! (`marginalia_rules_glue.js`, `marginalia_rules_bg.wasm`), loaded on the
//! first Suggest or when the browser is idle after the annotator mounts.
//!
//! Run by Trunk as a post-build hook, it writes into Trunk's staging folder
//! and follows Trunk's profile; run by hand, it writes a release build to
//! `dist/embed/`.

use crate::{cmd, imports, root, run, Result};
use std::path::PathBuf;

/// Each module's crate and the name its files take.
pub const MODULES: [(&str, &str); 3] = [
    ("marginalia_first_paint", "marginalia_first"),
    ("marginalia", "marginalia"),
    ("marginalia_rules", "marginalia_rules"),
];

/// wasm-opt's passes for the release bundle: for size, run again until
/// nothing shrinks (0.4-0.6% less than one `-Oz`), without the producers
/// and target-features sections browsers do not read.
const WASM_OPT: [&str; 4] = ["-Oz", "--converge", "--strip-producers", "--strip-target-features"];

pub fn build() -> Result<()> {
    // Run by a plain `trunk serve` too, whose PATH may not hold the npm
    // tools (esbuild bundles even a debug build).
    crate::tools::setup_path()?;
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from);
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    build_into(&staging.unwrap_or_else(|| root().join("dist")).join("embed"), release, release)
}

/// Builds the bundle into `out`; `optimise` runs wasm-opt (which also drops
/// the function names a profile needs) and minifies the JavaScript.
pub fn build_into(out: &std::path::Path, release: bool, optimise: bool) -> Result<()> {
    let out = out.to_path_buf();
    std::fs::create_dir_all(&out)?;

    let mut cargo = cmd("cargo");
    cargo.args(["build", "--lib", "-p", "marginalia", "-p", "marginalia-first-paint", "-p", "marginalia-rules"]);
    cargo.args(["--target", "wasm32-unknown-unknown"]);
    if release {
        cargo.arg("--release");
    }
    run(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    for (krate, name) in MODULES {
        let wasm = root().join("target/wasm32-unknown-unknown").join(profile).join(format!("{krate}.wasm"));
        let glue = format!("{name}_glue");
        run(cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-name", &glue, "--out-dir"])
            .arg(&out)
            .arg(&wasm))?;
        let bundled = out.join(format!("{name}_bg.wasm"));
        std::fs::rename(out.join(format!("{glue}_bg.wasm")), &bundled)?;
        if optimise {
            let optimised = out.join(format!("{name}_bg.opt.wasm"));
            run(cmd("wasm-opt").args(WASM_OPT).arg("--output").arg(&optimised).arg(&bundled))?;
            std::fs::rename(&optimised, &bundled)?;
        }
    }
    std::fs::copy(root().join("embed/marginalia.js"), out.join("marginalia.js"))?;
    // The annotator's glue imports the JavaScript of `marginalia-dom`
    // (`dom.js`, written by wasm-bindgen under `snippets/`): bundled in, it
    // is not a request of its own. The first paint's is bundled with its
    // glue into `marginalia.js` below.
    bundle(&out.join("marginalia_glue.js"))?;
    if optimise {
        for (_, name) in MODULES {
            minify(&out.join(format!("{name}_glue.js")))?;
        }
        for (_, name) in MODULES {
            let (wasm, glue) = (out.join(format!("{name}_bg.wasm")), out.join(format!("{name}_glue.js")));
            let (short_wasm, short_glue) = imports::shorten(&std::fs::read(&wasm)?, &std::fs::read_to_string(&glue)?)?;
            std::fs::write(&wasm, short_wasm)?;
            std::fs::write(&glue, short_glue)?;
        }
    }
    bundle_first_glue(&out)?;
    if optimise {
        minify(&out.join("marginalia.js"))?;
    }
    eprintln!("xtask: embed bundle in {}", out.display());
    Ok(())
}

/// `marginalia.js` with the first paint's glue inside it, which it imports:
/// one request fewer before the first paint can start (a round trip on a
/// phone's network), and one gzip stream. The glue's file goes.
fn bundle_first_glue(out: &std::path::Path) -> Result<()> {
    bundle(&out.join("marginalia.js"))?;
    std::fs::remove_file(out.join("marginalia_first_glue.js"))?;
    // Every module's snippets are inside its bundle now.
    let snippets = out.join("snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(snippets)?;
    }
    Ok(())
}

/// `file` with the modules it imports by relative path inside it. What it
/// loads by URL at run time (`import()` of a module, `new URL(…,
/// import.meta.url)`) stays as it is.
fn bundle(file: &std::path::Path) -> Result<()> {
    let bundled = file.with_extension("bundle.js");
    run(cmd("esbuild")
        .arg(file)
        .args(["--bundle", "--format=esm", "--log-level=warning"])
        .arg(format!("--outfile={}", bundled.display())))?;
    std::fs::rename(&bundled, file)?;
    Ok(())
}

/// What a host downloads is minified (the sources in embed/ keep their
/// comments): 5.7 KB gzip less on the way to mount.
fn minify(file: &std::path::Path) -> Result<()> {
    let minified = file.with_extension("min.js");
    run(cmd("terser").arg(file).args(["--module", "--compress", "--mangle", "--output"]).arg(&minified))?;
    std::fs::rename(&minified, file)?;
    Ok(())
}
