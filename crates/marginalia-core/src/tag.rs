//! Tags: what a highlighted span is. The standard set is claim, quote and
//! caption; a host page may bring its own set of `{id, label, color}`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::rc::Rc;

/// A tag's id: 1–32 of `[a-z0-9_-]`, starting with a letter or digit, so it
/// is safe in storage, in `data-tag` and in a CSS attribute selector.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(Rc<str>);

impl Tag {
    pub fn parse(id: &str) -> Option<Tag> {
        let ok = (1..=32).contains(&id.len())
            && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        ok.then(|| Tag(Rc::from(id)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Tag {
    type Error = String;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        Tag::parse(&id).ok_or_else(|| format!("{id:?} is not a valid tag id"))
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> String {
        tag.0.to_string()
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A colour as `#rrggbb`. Only hex is accepted, so a host's colour can never
/// smuggle anything else into the widget's stylesheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Color(String);

impl Color {
    /// `#rgb` or `#rrggbb`, any case.
    pub fn parse(text: &str) -> Option<Color> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let full = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_string(),
            _ => return None,
        };
        Some(Color(format!("#{}", full.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn channels(&self) -> [f64; 3] {
        let byte = |i: usize| u8::from_str_radix(&self.0[1 + 2 * i..3 + 2 * i], 16).map_or(0.0, f64::from);
        [byte(0), byte(1), byte(2)]
    }

    /// WCAG relative luminance.
    pub fn luminance(&self) -> f64 {
        let [r, g, b] = self.channels().map(|c| {
            let c = c / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// WCAG contrast ratio between two colours (1 to 21).
    pub fn contrast(&self, other: &Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn text_on(&self) -> Color {
        let (black, white) = (Color("#000000".into()), Color("#ffffff".into()));
        if self.contrast(&black) >= self.contrast(&white) {
            black
        } else {
            white
        }
    }
}

/// One tag a reader can apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagDef {
    pub tag: Tag,
    pub label: String,
    pub color: Color,
}

/// The tags offered, in picker order; keys `1`–`9` follow this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagSet {
    defs: Vec<TagDef>,
}

impl Default for TagSet {
    fn default() -> Self {
        TagSet::standard()
    }
}

impl TagSet {
    /// Claim, quote, caption — Marginalia's own.
    pub fn standard() -> TagSet {
        let def = |id: &str, label: &str, color: &str| TagDef {
            tag: Tag(Rc::from(id)),
            label: label.into(),
            color: Color(color.into()),
        };
        TagSet {
            defs: vec![
                def("claim", "Claim", "#9a4a00"),
                def("quote", "Quote", "#0b4f8a"),
                def("caption", "Caption", "#2f6b12"),
            ],
        }
    }

    /// A host's own set: 1 to 9 tags with distinct ids and non-empty labels.
    pub fn new(defs: Vec<TagDef>) -> Result<TagSet, String> {
        if defs.is_empty() || defs.len() > 9 {
            return Err(format!("a tag set needs 1 to 9 tags, not {}", defs.len()));
        }
        for (i, d) in defs.iter().enumerate() {
            if defs[..i].iter().any(|e| e.tag == d.tag) {
                return Err(format!("tag id {:?} is given twice", d.tag.as_str()));
            }
            if d.label.trim().is_empty() {
                return Err(format!("tag {:?} has an empty label", d.tag.as_str()));
            }
        }
        Ok(TagSet { defs })
    }

    pub fn defs(&self) -> &[TagDef] {
        &self.defs
    }

    pub fn get(&self, tag: &Tag) -> Option<&TagDef> {
        self.defs.iter().find(|d| &d.tag == tag)
    }

    /// The label a reader sees; a tag outside the set (from older data or
    /// another site) shows its id rather than vanishing.
    pub fn label<'a>(&'a self, tag: &'a Tag) -> &'a str {
        self.get(tag).map_or(tag.as_str(), |d| d.label.as_str())
    }

    /// The key that picks `tag`: `'1'` for the first tag, and so on.
    pub fn key(&self, tag: &Tag) -> Option<char> {
        let i = self.defs.iter().position(|d| &d.tag == tag)?;
        char::from_digit(i as u32 + 1, 10)
    }

    pub fn from_key(&self, key: &str) -> Option<&Tag> {
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { return None };
        let i = c.to_digit(10)?.checked_sub(1)?;
        self.defs.get(i as usize).map(|d| &d.tag)
    }

    /// "1 claim", "3 quotes", "0 captions".
    pub fn count_phrase(&self, tag: &Tag, n: usize) -> String {
        let noun = self.label(tag).to_lowercase();
        if n == 1 || noun.ends_with('s') {
            format!("{n} {noun}")
        } else {
            format!("{n} {noun}s")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(id: &str) -> Tag {
        Tag::parse(id).expect("valid tag")
    }

    #[test]
    fn tag_ids_are_validated() {
        for good in ["claim", "a", "x-1", "q_2", "9lives", &"z".repeat(32)] {
            assert!(Tag::parse(good).is_some(), "{good:?}");
        }
        for bad in ["", "Claim", "-x", "a b", "\"]", "é", &"z".repeat(33)] {
            assert!(Tag::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(serde_json::to_string(&tag("claim")).expect("json"), "\"claim\"");
        assert!(serde_json::from_str::<Tag>("\"Nope\"").is_err());
    }

    #[test]
    fn standard_set_keys_labels_and_counts() {
        let set = TagSet::standard();
        let ids: Vec<&str> = set.defs().iter().map(|d| d.tag.as_str()).collect();
        assert_eq!(ids, ["claim", "quote", "caption"]);
        assert_eq!(set.from_key("2"), Some(&tag("quote")));
        assert_eq!(set.key(&tag("caption")), Some('3'));
        for bad in ["0", "4", "12", "", "a"] {
            assert_eq!(set.from_key(bad), None, "{bad:?}");
        }
        assert_eq!(set.count_phrase(&tag("claim"), 1), "1 claim");
        assert_eq!(set.count_phrase(&tag("quote"), 0), "0 quotes");
        assert_eq!(set.count_phrase(&tag("caption"), 2), "2 captions");
        assert_eq!(set.label(&tag("other")), "other");
    }

    #[test]
    fn host_sets_are_checked() {
        let def = |id: &str, label: &str| TagDef {
            tag: tag(id),
            label: label.into(),
            color: Color::parse("#123").expect("hex"),
        };
        assert!(TagSet::new(vec![]).is_err());
        assert!(TagSet::new(vec![def("a", "A"), def("a", "B")]).is_err());
        assert!(TagSet::new(vec![def("a", " ")]).is_err());
        assert!(TagSet::new((0..10).map(|i| def(&format!("t{i}"), "T")).collect()).is_err());
        let set = TagSet::new(vec![def("bias", "Bias"), def("stats", "Stats")]).expect("valid");
        assert_eq!(set.count_phrase(&tag("stats"), 2), "2 stats");
        assert_eq!(set.from_key("1"), Some(&tag("bias")));
    }

    #[test]
    fn colours_are_hex_only_and_get_readable_text() {
        assert_eq!(Color::parse("#ABC").map(|c| c.0), Some("#aabbcc".into()));
        assert_eq!(Color::parse(" #0b4f8a ").map(|c| c.0), Some("#0b4f8a".into()));
        for bad in ["red", "#12", "#1234567", "#ggg", "#123;}body{", "rgb(1,2,3)", ""] {
            assert_eq!(Color::parse(bad), None, "{bad:?}");
        }
        let white = Color::parse("#fff").expect("hex");
        assert_eq!(Color::parse("#ffe066").expect("hex").text_on().0, "#000000");
        assert_eq!(Color::parse("#0b4f8a").expect("hex").text_on(), white);
        // The standard colours carry white labels at WCAG AA (4.5:1) or better.
        for d in TagSet::standard().defs() {
            assert!(d.color.contrast(&white) >= 4.5, "{} {}", d.tag, d.color.contrast(&white));
        }
    }
}
