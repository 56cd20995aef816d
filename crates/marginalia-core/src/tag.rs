//! `Tag`: what a highlighted span is — a claim, a quote or a caption.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Claim,
    Quote,
    Caption,
}

impl Tag {
    /// In picker order; the picker's keys `1`, `2`, `3` follow this order.
    pub const ALL: [Tag; 3] = [Tag::Claim, Tag::Quote, Tag::Caption];

    /// The machine name used in storage and in `data-tag`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Claim => "claim",
            Tag::Quote => "quote",
            Tag::Caption => "caption",
        }
    }

    /// The name a reader sees (and a screen reader announces).
    pub fn label(self) -> &'static str {
        match self {
            Tag::Claim => "Claim",
            Tag::Quote => "Quote",
            Tag::Caption => "Caption",
        }
    }

    /// The plural used in counts such as "3 claims".
    pub fn plural(self) -> &'static str {
        match self {
            Tag::Claim => "claims",
            Tag::Quote => "quotes",
            Tag::Caption => "captions",
        }
    }

    /// "1 claim", "3 quotes", "0 captions".
    pub fn count_phrase(self, n: usize) -> String {
        let noun = if n == 1 { self.as_str() } else { self.plural() };
        format!("{n} {noun}")
    }

    /// The key that picks this tag in the picker.
    pub fn key(self) -> char {
        match self {
            Tag::Claim => '1',
            Tag::Quote => '2',
            Tag::Caption => '3',
        }
    }

    pub fn from_key(key: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| key.len() == 1 && key.starts_with(t.key()))
    }

    pub fn parse(name: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_serde_agree() {
        for tag in Tag::ALL {
            assert_eq!(Tag::parse(tag.as_str()), Some(tag));
            assert_eq!(Tag::from_key(&tag.key().to_string()), Some(tag));
            let json = serde_json::to_string(&tag).expect("serialises");
            assert_eq!(json, format!("\"{}\"", tag.as_str()));
        }
        assert_eq!(Tag::Claim.count_phrase(1), "1 claim");
        assert_eq!(Tag::Quote.count_phrase(0), "0 quotes");
        assert_eq!(Tag::Caption.count_phrase(2), "2 captions");
        assert_eq!(Tag::from_key("4"), None);
        assert_eq!(Tag::from_key("12"), None);
        assert_eq!(Tag::parse("Claim"), None);
    }
}
