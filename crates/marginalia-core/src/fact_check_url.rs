//! The fact-check's own address, from the host's `factCheckUrl` template
//! (`https://example.org/checks/{id}` or `…/{slug}`): ClaimReview's `url`
//! names the page that publishes the check, never the article or a local
//! address.

use crate::review::is_web_url;

/// A checked template: an http(s) address holding `{id}`, `{slug}` or both,
/// and no other placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(String);

/// The longest slug, in bytes of its address form: long enough to tell
/// claims apart, short enough for an address.
const SLUG_LIMIT: usize = 60;

impl Template {
    /// The template, or why it cannot be used, in words.
    pub fn parse(text: &str) -> Result<Template, String> {
        let text = text.trim();
        // One pass over its braces: each placeholder put as a letter (what
        // must then be a web address), whether there is one, and whether any
        // brace is not one. No substring search: the first paint checks
        // this option too, and carries none for it.
        let (mut filled, mut placeholder, mut other) = (String::new(), false, false);
        let mut rest = text;
        while let Some(at) = rest.find(['{', '}']) {
            filled.push_str(&rest[..at]);
            rest = &rest[at..];
            let len = match ["{id}", "{slug}"].into_iter().find(|p| rest.starts_with(p)) {
                Some(p) => {
                    filled.push('x');
                    placeholder = true;
                    p.len()
                }
                None => {
                    other = true;
                    filled.push_str(&rest[..1]);
                    1
                }
            };
            rest = &rest[len..];
        }
        filled.push_str(rest);
        if !placeholder {
            return Err(format!("{text:?} has neither {{id}} nor {{slug}}, so every claim would get the same address"));
        }
        if other {
            return Err(format!("{text:?} has a placeholder other than {{id}} and {{slug}}"));
        }
        if !is_web_url(&filled) {
            return Err(format!("{text:?} is not a web address (http:// or https://)"));
        }
        Ok(Template(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address of the check of the claim `id` whose words are `claim`.
    pub fn render(&self, id: &str, claim: &str) -> String {
        let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
        self.0.replace("{id}", &id).replace("{slug}", &slug(claim))
    }
}

/// The claim's words as an address part: lower case, letters and digits
/// of any script, runs of anything else one `-`, at most [`SLUG_LIMIT`]
/// bytes cut at a word's end, letters beyond ASCII percent-encoded (so the
/// address is valid as it is); `claim` when nothing is left.
pub fn slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut out = String::new();
    for w in words {
        let encoded = encode(&w);
        let grown = if out.is_empty() { encoded.len() } else { out.len() + 1 + encoded.len() };
        if grown > SLUG_LIMIT {
            if out.is_empty() {
                // One word longer than the limit: cut it at a character.
                out = cut(&w);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&encoded);
    }
    if out.is_empty() {
        "claim".to_string()
    } else {
        out
    }
}

fn encode(word: &str) -> String {
    let mut out = String::new();
    for b in word.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The longest start of `word` whose encoding fits the limit.
fn cut(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let e = encode(c.encode_utf8(&mut [0; 4]));
        if out.len() + e.len() > SLUG_LIMIT {
            break;
        }
        out.push_str(&e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_templates() {
        let cases: [(&str, Result<&str, &str>); 11] = [
            ("https://example.org/checks/{id}", Ok("https://example.org/checks/{id}")),
            (" https://example.org/{slug}-{id} ", Ok("https://example.org/{slug}-{id}")),
            ("https://example.org/checks?claim={slug}", Ok("https://example.org/checks?claim={slug}")),
            ("https://example.org/checks/", Err("neither {id} nor {slug}")),
            ("https://example.org/{id}/{year}", Err("a placeholder other than")),
            ("https://example.org/{id}}", Err("a placeholder other than")),
            ("https://example.org/{x{id}", Err("a placeholder other than")),
            ("https://example.org/{slug", Err("neither {id} nor {slug}")),
            ("/checks/{id}", Err("not a web address")),
            ("javascript:alert('{id}')", Err("not a web address")),
            ("ftp://example.org/{id}", Err("not a web address")),
        ];
        for (text, want) in cases {
            match (Template::parse(text), want) {
                (Ok(t), Ok(w)) => assert_eq!(t.as_str(), w, "{text}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{text}: {e}"),
                (got, want) => panic!("{text}: got {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn table_of_slugs() {
        let cases = [
            ("The barrier will protect 4,300 homes", "the-barrier-will-protect-4-300-homes"),
            ("  “Nobody is against protecting homes,” ", "nobody-is-against-protecting-homes"),
            ("£12.6 million last year", "12-6-million-last-year"),
            ("Café crème", "caf%C3%A9-cr%C3%A8me"),
            ("気候変動", "%E6%B0%97%E5%80%99%E5%A4%89%E5%8B%95"),
            ("?!…", "claim"),
            (
                "one two three four five six seven eight nine ten eleven twelve thirteen",
                "one-two-three-four-five-six-seven-eight-nine-ten-eleven",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "{text}");
            assert!(slug(text).len() <= SLUG_LIMIT);
        }
        let long = "x".repeat(100);
        assert_eq!(slug(&long).len(), SLUG_LIMIT);
    }

    #[test]
    fn a_rendered_address_is_a_web_address() {
        let t = Template::parse("https://example.org/checks/{slug}/{id}").expect("template");
        let url = t.render("a1b2-3", "Café crème: “up 40%”");
        assert_eq!(url, "https://example.org/checks/caf%C3%A9-cr%C3%A8me-up-40/a1b2-3");
        assert!(is_web_url(&url));
        // An id is only ever letters, digits and dashes in an address.
        assert_eq!(t.render("a/../b", "x"), "https://example.org/checks/x/ab");
    }
}
