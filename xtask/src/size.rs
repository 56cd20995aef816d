//! Where the download's bytes go: the shipped embed bundle's size per file
//! (raw and gzip -9), and the wasm's code and data per crate, read by
//! twiggy from a release build that keeps its function names.
//!
//! A generic function is counted under the crate that defines it, whoever
//! instantiates it: a `Vec<Annotation>` sort is `core`'s bytes, paid for by
//! our code. The per-crate figures are of the build before wasm-opt, so they
//! add up to more than is shipped; their shares are what to read.

use crate::{cmd, embed, root, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// What a host downloads to mount, what the annotator adds on first use,
/// each with its budget in gzip -9 bytes (issue 30), and what the first
/// Suggest adds (no budget of its own: it counts against neither).
const GROUPS: [(&str, &[&str], Option<usize>); 3] = [
    ("what a host downloads to mount", &["marginalia.js", "marginalia_first_bg.wasm"], Some(80 * 1024)),
    ("the annotator, loaded on first use", &["marginalia_glue.js", "marginalia_bg.wasm"], Some(200 * 1024)),
    (
        "the suggestion rules, loaded on the first Suggest (or when idle)",
        &["marginalia_rules_glue.js", "marginalia_rules_bg.wasm"],
        None,
    ),
];

/// Prints the tables; `shipped` is a folder holding the release bundle.
pub fn report(shipped: &Path) -> Result<()> {
    for (what, files, budget) in GROUPS {
        println!("\n### Bundle: {what}\n");
        println!("| file | raw B | gzip -9 B |\n| --- | ---: | ---: |");
        let (mut raw, mut packed) = (0, 0);
        for file in files {
            let path = shipped.join(file);
            let size = usize::try_from(std::fs::metadata(&path)?.len())?;
            let gz = gzip_len(&path)?;
            println!("| {file} | {size} | {gz} |");
            raw += size;
            packed += gz;
        }
        println!("| **total** (CSS is inside the wasm) | **{raw}** | **{packed}** |");
        let Some(budget) = budget else { continue };
        let verdict = match packed.checked_sub(budget) {
            None | Some(0) => "met".to_string(),
            Some(over) => format!("not met, {over} B over"),
        };
        println!("\nBudget: {budget} B gzip -9 — {verdict}.");
    }

    let named = root().join("target").join("size").join("embed");
    embed::build_into(&named, true, false)?;
    for (_, name) in embed::MODULES {
        let wasm = named.join(format!("{name}_bg.wasm"));
        let out = cmd("twiggy").args(["top", "-n", "1000000", "--format", "csv"]).arg(&wasm).output()?;
        if !out.status.success() {
            return Err(format!("twiggy failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        let rows = by_crate(&String::from_utf8_lossy(&out.stdout));
        let total: u64 = rows.iter().map(|(_, b)| b).sum();
        println!("\n### {name}_bg.wasm per crate (release build with names, before wasm-opt)\n");
        println!("| crate | bytes | share |\n| --- | ---: | ---: |");
        for (crate_name, bytes) in rows.iter().take(20) {
            println!("| {crate_name} | {bytes} | {:.1}% |", 100.0 * *bytes as f64 / total.max(1) as f64);
        }
        let rest: u64 = rows.iter().skip(20).map(|(_, b)| b).sum();
        println!("| (the rest) | {rest} | {:.1}% |", 100.0 * rest as f64 / total.max(1) as f64);
        println!("| **total** | **{total}** | |");
    }
    Ok(())
}

/// Gzip -9 by Node's zlib, as the bench's own bundle line counts it.
fn gzip_len(file: &Path) -> Result<usize> {
    const PACK: &str = "const z = require('zlib'), f = require('fs');\
        process.stdout.write(String(z.gzipSync(f.readFileSync(process.argv[1]), { level: 9 }).length))";
    let out = cmd("node").args(["-e", PACK]).arg(file).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().parse().map_err(|_| format!("could not gzip {}", file.display()).into())
}

/// Twiggy's `top` CSV summed per crate, largest first; the function-name
/// subsection (not shipped: wasm-opt drops it) left out.
fn by_crate(csv: &str) -> Vec<(String, u64)> {
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let fields = split_csv(line);
        let (Some(name), Some(size)) = (fields.first(), fields.get(1).and_then(|s| s.parse::<u64>().ok())) else {
            continue;
        };
        if name.contains("\"function names\" subsection") {
            continue;
        }
        *sums.entry(crate_of(name)).or_default() += size;
    }
    let mut rows: Vec<(String, u64)> = sums.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// The crate a twiggy item belongs to, from its demangled name.
fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(data: strings, tables, CSS)".into();
    }
    if name.starts_with('"')
        || ["import ", "export ", "type[", "elem[", "table[", "global["].iter().any(|p| name.starts_with(p))
    {
        return "(wasm structure: imports, exports, tables)".into();
    }
    let mut rest = name.trim_start_matches(['<', '&', '*', '(', ' ']);
    for word in ["mut ", "dyn ", "const "] {
        rest = rest.strip_prefix(word).unwrap_or(rest);
    }
    let ident: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    match ident.as_str() {
        // Methods on primitives and type parameters live in core.
        "str" | "char" | "bool" | "f32" | "f64" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16"
        | "i32" | "i64" | "i128" | "isize" | "T" | "A" | "I" | "F" | "K" | "V" | "" => "core".into(),
        other => other.to_string(),
    }
}

/// One CSV line's fields: quoted fields may hold commas and doubled quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().map(|f| f.push('"')).unwrap_or_default();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().map(|f| f.push(c)).unwrap_or_default(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_names() {
        for (name, want) in [
            ("marginalia_suggest::suggest::h4c72", "marginalia_suggest"),
            ("<marginalia::app::App as yew::html::component::Component>::view::h7b", "marginalia"),
            ("core[c5930c85a12de822]::num::flt2dec::strategy::dragon::format_shortest", "core"),
            (
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_struct",
                "serde_json",
            ),
            ("<str>::to_lowercase", "core"),
            ("<dlmalloc[e24a]::dlmalloc::Dlmalloc<X>>::malloc", "dlmalloc"),
            ("data segment \".rodata\"", "(data: strings, tables, CSS)"),
            ("import wbg::__wbg_fetch", "(wasm structure: imports, exports, tables)"),
        ] {
            assert_eq!(crate_of(name), want, "{name}");
        }
    }

    #[test]
    fn csv_lines_with_quotes_and_commas() {
        assert_eq!(
            split_csv(r#""""function names"" subsection",630226,35.5,,"#)[..2],
            ["\"function names\" subsection".to_string(), "630226".to_string()]
        );
        assert_eq!(
            split_csv(r#""<IntoIter<T,A> as Iterator>::fold",5194,0.29,,"#)[0],
            "<IntoIter<T,A> as Iterator>::fold"
        );
        let csv = "Name,ShallowSize\n\"\"\"function names\"\" subsection\",100\na::x,3\na::y,4\n<b::Z as a::W>::f,2\n";
        assert_eq!(by_crate(csv), vec![("a".to_string(), 7), ("b".to_string(), 2)]);
    }
}
