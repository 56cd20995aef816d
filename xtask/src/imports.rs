//! Short import names for a shipped module. wasm-bindgen names each import
//! after what it calls, with a hash (`__wbg_addEventListener_2f5a98cb7e0c11d4`),
//! and the name is written twice: in the wasm's import section and as a key
//! of the glue's import object. The hashes do not compress: in the first
//! paint they were 3.0 KB of the wasm and 2.0 KB of the glue (gzip -9), 4.4%
//! of what a host downloads to mount. Renamed `a`, `b`, … `ba` … in both
//! files, the module links as before: the glue hands the same functions
//! over under the new keys.
//!
//! Only for the release bundle, after wasm-opt and terser: a build that
//! keeps its names for a profile keeps these too.

use crate::Result;

/// `wasm` with every import renamed, and `glue` with each old name
/// replaced by the new one. Refuses (rather than ship a module that cannot
/// link) when an import's name is not in the glue exactly once.
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    let (wasm, renamed) = rename_imports(wasm)?;
    let mut seen = vec![0usize; renamed.len()];
    let index: std::collections::HashMap<&str, usize> =
        renamed.iter().enumerate().map(|(i, (old, _))| (old.as_str(), i)).collect();
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let len = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
        let word = &tail[..len];
        match index.get(word) {
            Some(&i) => {
                seen[i] += 1;
                out.push_str(&renamed[i].1);
            }
            None => out.push_str(word),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    if let Some(i) = seen.iter().position(|&n| n != 1) {
        return Err(format!("import {:?} is in the glue {} times, not once: not renamed", renamed[i].0, seen[i]).into());
    }
    Ok((wasm, out))
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The `n`th short name: `a` … `z`, `A` … `Z`, `aa`, `ab`, …
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[n % 52]);
        n /= 52;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Each import's name, and the name it takes.
type Renamed = Vec<(String, String)>;

/// The module with its import section's names replaced, and each (old, new).
fn rename_imports(wasm: &[u8]) -> Result<(Vec<u8>, Renamed)> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut renamed = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body_at) = read_u32(wasm, at + 1)?;
        let end =
            body_at.checked_add(size as usize).filter(|&e| e <= wasm.len()).ok_or("a section runs past the end")?;
        let body = &wasm[body_at..end];
        let body = if id == 2 { rename_in_section(body, &mut renamed)? } else { body.to_vec() };
        out.push(id);
        write_u32(&mut out, u32::try_from(body.len())?);
        out.extend_from_slice(&body);
        at = end;
    }
    Ok((out, renamed))
}

fn rename_in_section(body: &[u8], renamed: &mut Renamed) -> Result<Vec<u8>> {
    let (count, mut at) = read_u32(body, 0)?;
    let mut out = Vec::with_capacity(body.len());
    write_u32(&mut out, count);
    for _ in 0..count {
        let (module, next) = read_name(body, at)?;
        let (field, next) = read_name(body, next)?;
        let desc_end = skip_import_desc(body, next)?;
        let new = short_name(renamed.len());
        write_u32(&mut out, u32::try_from(module.len())?);
        out.extend_from_slice(module);
        write_u32(&mut out, u32::try_from(new.len())?);
        out.extend_from_slice(new.as_bytes());
        out.extend_from_slice(&body[next..desc_end]);
        renamed.push((String::from_utf8(field.to_vec())?, new));
        at = desc_end;
    }
    if at != body.len() {
        return Err("the import section has bytes after its imports".into());
    }
    Ok(out)
}

/// Where an import's description (after its names) ends.
fn skip_import_desc(body: &[u8], at: usize) -> Result<usize> {
    let byte = |i: usize| body.get(i).copied().ok_or("an import runs past its section");
    let limits = |i: usize| -> Result<usize> {
        let flags = byte(i)?;
        let (_, mut next) = read_u32(body, i + 1)?;
        if flags & 1 != 0 {
            next = read_u32(body, next)?.1;
        }
        Ok(next)
    };
    match byte(at)? {
        // A function (its type's index) or a tag (an attribute, a type's index).
        0 => Ok(read_u32(body, at + 1)?.1),
        4 => Ok(read_u32(body, at + 2)?.1),
        // A table: its element type (one byte: funcref, externref), its limits.
        1 => limits(at + 2),
        2 => limits(at + 1),
        // A global: its value type (one byte) and mutability.
        3 => Ok(at + 3),
        kind => Err(format!("an import of unknown kind {kind}").into()),
    }
}

fn read_name(bytes: &[u8], at: usize) -> Result<(&[u8], usize)> {
    let (len, start) = read_u32(bytes, at)?;
    let end = start.checked_add(len as usize).filter(|&e| e <= bytes.len()).ok_or("a name runs past its section")?;
    Ok((&bytes[start..end], end))
}

/// An unsigned LEB128 number and where the next field starts.
fn read_u32(bytes: &[u8], mut at: usize) -> Result<(u32, usize)> {
    let mut value: u64 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("a number runs past the end")?;
        at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((u32::try_from(value)?, at));
        }
    }
    Err("a number longer than 5 bytes".into())
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![id];
        write_u32(&mut out, u32::try_from(body.len()).unwrap_or_default());
        out.extend_from_slice(body);
        out
    }

    fn name(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        write_u32(&mut out, u32::try_from(s.len()).unwrap_or_default());
        out.extend_from_slice(s.as_bytes());
        out
    }

    /// A module with a type section, two function imports, a table, a
    /// memory with limits and a global, then a custom section.
    fn module(fields: [&str; 5]) -> Vec<u8> {
        let mut imports = vec![5];
        let descs: [&[u8]; 5] = [&[0, 0], &[0, 0x81, 0x01], &[1, 0x6f, 1, 4, 0x80, 0x01], &[2, 0, 17], &[3, 0x7f, 1]];
        for (field, desc) in fields.iter().zip(descs) {
            imports.extend(name("./m_bg.js"));
            imports.extend(name(field));
            imports.extend_from_slice(desc);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend(section(1, &[1, 0x60, 0, 0]));
        wasm.extend(section(2, &imports));
        wasm.extend(section(0, &[[4].as_slice(), b"name", &[9, 9]].concat()));
        wasm
    }

    #[test]
    fn imports_renamed_in_both_files() {
        let long = ["__wbg_then_656f253a5dd7d8ea", "__wbg_set_d0c1", "__wbindgen_table", "memory_x", "__wbg_g"];
        let glue = "const i={__proto__:null,__wbg_then_656f253a5dd7d8ea:function(n,e){return n.then(e)},\
            __wbg_set_d0c1:function(n,t){n.set(t)},__wbindgen_table:T,memory_x:M,__wbg_g:G};\
            R.__wbg_then_656f253a5dd7d8ea_x();\"$__wbg_g\"";
        let (wasm, js) = shorten(&module(long), glue).expect("renamed");
        assert_eq!(wasm, module(["a", "b", "c", "d", "e"]));
        assert_eq!(
            js,
            "const i={__proto__:null,a:function(n,e){return n.then(e)},b:function(n,t){n.set(t)},c:T,d:M,e:G};\
            R.__wbg_then_656f253a5dd7d8ea_x();\"$__wbg_g\""
        );
    }

    #[test]
    fn a_name_not_in_the_glue_once_is_refused() {
        let long = ["__wbg_a_1", "__wbg_b_2", "__wbg_c_3", "__wbg_d_4", "__wbg_e_5"];
        let once = "{__wbg_a_1:1,__wbg_b_2:2,__wbg_c_3:3,__wbg_d_4:4,__wbg_e_5:5}";
        assert!(shorten(&module(long), once).is_ok());
        for bad in [once.replace("__wbg_c_3:3,", ""), format!("{once};__wbg_c_3()")] {
            let err = shorten(&module(long), &bad).expect_err("refused").to_string();
            assert!(err.contains("__wbg_c_3"), "{err}");
        }
        assert!(shorten(b"\0asm\x01\0\0\0\x02\x05\x01", once).is_err());
    }

    #[test]
    fn short_names() {
        let names: Vec<String> = [0, 1, 25, 26, 51, 52, 53, 103, 104].into_iter().map(short_name).collect();
        assert_eq!(names, ["a", "b", "z", "A", "Z", "aa", "ab", "aZ", "ba"]);
        let mut out = Vec::new();
        for v in [0, 127, 128, 300, u32::MAX] {
            out.clear();
            write_u32(&mut out, v);
            assert_eq!(read_u32(&out, 0).expect("read"), (v, out.len()));
        }
    }
}
