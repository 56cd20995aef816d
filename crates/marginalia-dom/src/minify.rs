//! The stylesheets as the modules carry them: `styles/*.css` without their
//! comments and the whitespace only a reader needs. Run by `build.rs` (this
//! file is its module too), so the sources keep their comments and the
//! download does not (1.5 KB gzip of the annotator, 0.25 KB of the first
//! paint).

/// `css` with its comments taken out, each run of whitespace one space, no
/// space beside `{`, `}`, `;` or `,`, and no `;` before a `}`: the same
/// rules, selectors and values. Strings are copied as they are; the space
/// after a colon stays (in a selector, `p :hover` is not `p:hover`).
pub fn css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // Whitespace or a comment seen since the last character written.
    let mut gap = false;
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for d in chars.by_ref() {
                if last == '*' && d == '/' {
                    break;
                }
                last = d;
            }
            // A comment separates what is on either side of it.
            gap = true;
            continue;
        }
        if c.is_ascii_whitespace() {
            gap = true;
            continue;
        }
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
        if gap && out.chars().next_back().is_some_and(|last| !tight(last)) && !tight(c) {
            out.push(' ');
        }
        gap = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
        if c == '"' || c == '\'' {
            // A string, to its closing quote (a backslash escapes the next
            // character).
            while let Some(d) = chars.next() {
                out.push(d);
                if d == '\\' {
                    if let Some(e) = chars.next() {
                        out.push(e);
                    }
                } else if d == c {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::css;

    #[test]
    fn only_comments_and_needless_whitespace_go() {
        let cases = [
            ("/* a */\n:host {\n  color: red;\n}\n", ":host{color: red}"),
            ("a b , c>d { margin: 0 auto ; }", "a b,c>d{margin: 0 auto}"),
            // A descendant combinator before a pseudo-class stays.
            ("p :hover{x:1}", "p :hover{x:1}"),
            ("a/* between */b{x:1}", "a b{x:1}"),
            (".x::before { content: \"⚠  /* kept */ ;}\"; }", ".x::before{content: \"⚠  /* kept */ ;}\"}"),
            ("q{content:'a\\'  b'}", "q{content:'a\\'  b'}"),
            (
                "@media (max-width: 600px) {\n  .a { top: calc(100vh - 32px); }\n}\n",
                "@media (max-width: 600px){.a{top: calc(100vh - 32px)}}",
            ),
            ("a{x:rgba(0, 0, 0, .12) !important;}", "a{x:rgba(0,0,0,.12) !important}"),
            ("", ""),
        ];
        for (source, shipped) in cases {
            assert_eq!(css(source), shipped, "{source}");
        }
    }

    #[test]
    fn the_stylesheets_keep_every_rule() {
        for source in [include_str!("../../../styles/widget.css"), include_str!("../../../styles/first-paint.css")] {
            let shipped = css(source);
            assert!(!shipped.contains("/*") && !shipped.contains('\n'));
            for c in ['{', '}', '"'] {
                assert_eq!(shipped.matches(c).count(), source.matches(c).count(), "{c}");
            }
        }
    }
}
