//! Writes the stylesheets the modules carry (`styles/*.css`, minified by
//! `src/minify.rs`) into `OUT_DIR`, for `marginalia_dom::sheet`.

#[path = "src/minify.rs"]
mod minify;

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").ok_or(std::io::ErrorKind::NotFound)?);
    println!("cargo::rerun-if-changed=src/minify.rs");
    for name in ["widget.css", "first-paint.css"] {
        let source = format!("../../styles/{name}");
        println!("cargo::rerun-if-changed={source}");
        std::fs::write(out.join(name), minify::css(&std::fs::read_to_string(&source)?))?;
    }
    Ok(())
}
