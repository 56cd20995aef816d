//! Conversions between the three ways of counting a position in text:
//! Unicode code points (the W3C rule, and ours), UTF-8 bytes (Rust strings)
//! and UTF-16 code units (the DOM).
//!
//! Every function works on one string and returns `None` for a position that
//! is past the end or that falls inside a character — a UTF-8 sequence or a
//! UTF-16 surrogate pair — so no caller can split one by accident. The DOM can
//! hand us an offset inside a surrogate pair; [`cp_of_utf16_rounded`] snaps it
//! to a whole character in the direction the caller asks for.

/// Which way to move a position that falls inside a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// Towards the start of the text (for the start of a selection).
    Down,
    /// Towards the end of the text (for the end of a selection).
    Up,
}

/// Number of code points in `s`.
pub fn cp_len(s: &str) -> usize {
    s.chars().count()
}

/// Number of UTF-16 code units in `s`.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The UTF-8 byte offset of code point `cp`; `cp == cp_len(s)` gives `s.len()`.
pub fn byte_of_cp(s: &str, cp: usize) -> Option<usize> {
    if cp == 0 {
        return Some(0);
    }
    match s.char_indices().nth(cp) {
        Some((byte, _)) => Some(byte),
        None if cp_len(s) == cp => Some(s.len()),
        None => None,
    }
}

/// The code point at UTF-8 byte offset `byte`, if it is a character boundary.
pub fn cp_of_byte(s: &str, byte: usize) -> Option<usize> {
    if !s.is_char_boundary(byte) {
        return None;
    }
    Some(cp_len(&s[..byte]))
}

/// The UTF-16 offset of code point `cp`.
pub fn utf16_of_cp(s: &str, cp: usize) -> Option<usize> {
    let mut units = 0;
    let mut chars = s.chars();
    for _ in 0..cp {
        units += chars.next()?.len_utf16();
    }
    Some(units)
}

/// The code point at UTF-16 offset `unit`, if it does not split a surrogate pair.
pub fn cp_of_utf16(s: &str, unit: usize) -> Option<usize> {
    let mut units = 0;
    for (cp, c) in s.chars().enumerate() {
        if units == unit {
            return Some(cp);
        }
        if units > unit {
            return None;
        }
        units += c.len_utf16();
    }
    (units == unit).then(|| cp_len(s))
}

/// Like [`cp_of_utf16`], but a position inside a surrogate pair moves to the
/// edge of that character given by `round`, and one past the end clamps to the end.
pub fn cp_of_utf16_rounded(s: &str, unit: usize, round: Round) -> usize {
    let mut units = 0;
    for (cp, c) in s.chars().enumerate() {
        if units >= unit {
            return cp;
        }
        let next = units + c.len_utf16();
        if next > unit {
            return match round {
                Round::Down => cp,
                Round::Up => cp + 1,
            };
        }
        units = next;
    }
    cp_len(s)
}

/// `joined` cut into consecutive pieces of `lens[i]` UTF-16 units each: the
/// DOM's strings read in one crossing (joined in JavaScript, where their
/// lengths are counted) and handed back one by one. Where two strings'
/// lone surrogates met and made a pair, each piece gets U+FFFD for its
/// half, as each string converted on its own would have. Pieces past the
/// end of `joined` come out short or empty.
pub fn split_utf16<'a>(joined: &'a str, lens: &[u32]) -> Vec<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    let mut out = Vec::with_capacity(lens.len());
    let mut at = 0;
    // The last cut fell inside a pair: the next piece starts with its second half.
    let mut half = false;
    for &len in lens {
        let mut units = len as usize;
        let lead = half && units > 0;
        if lead {
            units -= 1;
            half = false;
        }
        let start = at;
        let mut tail = false;
        while units > 0 {
            // A run of ASCII: a byte, a unit each (most of an article).
            let run = joined.as_bytes()[at..].iter().take(units).take_while(|b| b.is_ascii()).count();
            at += run;
            units -= run;
            if units == 0 {
                break;
            }
            let Some(c) = joined[at..].chars().next() else { break };
            if c.len_utf16() > units {
                tail = true;
                half = true;
                break;
            }
            units -= c.len_utf16();
            at += c.len_utf8();
        }
        let body = &joined[start..at];
        if tail {
            at += joined[at..].chars().next().map_or(0, char::len_utf8);
        }
        out.push(if lead || tail {
            let (before, after) = (if lead { "\u{FFFD}" } else { "" }, if tail { "\u{FFFD}" } else { "" });
            Cow::Owned(format!("{before}{body}{after}"))
        } else {
            Cow::Borrowed(body)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Emoji with a skin-tone modifier (two astral code points), a combining
    // accent, CJK, Arabic and Hebrew (right-to-left) and a flag.
    const MIXED: &str = "Café 👍🏽 東京 مرحبا שלום 🇬🇧!";

    #[test]
    fn table_of_positions() {
        // (text, code point, utf-8 byte, utf-16 unit)
        let cases: &[(&str, usize, usize, usize)] = &[
            ("", 0, 0, 0),
            ("abc", 3, 3, 3),
            ("é", 1, 2, 1),
            ("e\u{301}x", 2, 3, 2), // combining acute: its own code point
            ("😀x", 1, 4, 2),
            ("😀x", 2, 5, 3),
            ("東京", 1, 3, 1),
            ("שלום", 2, 4, 2),
        ];
        for &(text, cp, byte, unit) in cases {
            assert_eq!(byte_of_cp(text, cp), Some(byte), "byte_of_cp {text:?} {cp}");
            assert_eq!(cp_of_byte(text, byte), Some(cp), "cp_of_byte {text:?} {byte}");
            assert_eq!(utf16_of_cp(text, cp), Some(unit), "utf16_of_cp {text:?} {cp}");
            assert_eq!(cp_of_utf16(text, unit), Some(cp), "cp_of_utf16 {text:?} {unit}");
        }
    }

    #[test]
    fn positions_inside_a_character_are_refused() {
        assert_eq!(cp_of_utf16("😀", 1), None);
        assert_eq!(cp_of_byte("é", 1), None);
        assert_eq!(byte_of_cp("ab", 3), None);
        assert_eq!(utf16_of_cp("ab", 3), None);
        assert_eq!(cp_of_utf16("ab", 3), None);
    }

    #[test]
    fn rounding_snaps_out_of_surrogate_pairs() {
        assert_eq!(cp_of_utf16_rounded("a😀b", 2, Round::Down), 1);
        assert_eq!(cp_of_utf16_rounded("a😀b", 2, Round::Up), 2);
        assert_eq!(cp_of_utf16_rounded("a😀b", 3, Round::Up), 2);
        assert_eq!(cp_of_utf16_rounded("a😀b", 99, Round::Up), 3);
        assert_eq!(cp_of_utf16_rounded("a😀b", 0, Round::Up), 0);
    }

    #[test]
    fn table_of_splits() {
        let r = '\u{FFFD}';
        // (joined, lengths in UTF-16 units, pieces)
        let cases: &[(&str, &[u32], &[&str])] = &[
            ("abc", &[1, 2], &["a", "bc"]),
            ("a😀b", &[1, 2, 1], &["a", "😀", "b"]),
            ("東京", &[1, 0, 1], &["東", "", "京"]),
            // A pair made of two strings' lone surrogates: each keeps a U+FFFD.
            ("a😀b", &[2, 2], &[&format!("a{r}"), &format!("{r}b")]),
            ("a😀b", &[2, 0, 2], &[&format!("a{r}"), "", &format!("{r}b")]),
            ("😀", &[1, 1], &[&r.to_string(), &r.to_string()]),
            // Past the end: short, then empty.
            ("ab", &[1, 5, 3], &["a", "b", ""]),
            ("", &[], &[]),
        ];
        for (joined, lens, want) in cases {
            let got = split_utf16(joined, lens);
            assert_eq!(
                got,
                want.iter().map(|s| std::borrow::Cow::Borrowed(*s)).collect::<Vec<_>>(),
                "{joined:?} {lens:?}"
            );
        }
    }

    #[test]
    fn mixed_script_lengths() {
        assert_eq!(cp_len(MIXED), MIXED.chars().count());
        assert_eq!(utf16_len(MIXED), MIXED.encode_utf16().count());
    }

    fn any_text() -> impl Strategy<Value = String> {
        // Weighted towards the characters that break naive offset code.
        let pieces = prop::sample::select(vec![
            "a", " ", "é", "e\u{301}", "😀", "👍🏽", "東", "京", "م", "ש", "🇬🇧", "\u{200d}", "\n",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn every_code_point_round_trips_through_utf8_and_utf16(s in any_text()) {
            for cp in 0..=cp_len(&s) {
                let byte = byte_of_cp(&s, cp).expect("cp in range");
                prop_assert_eq!(cp_of_byte(&s, byte), Some(cp));
                let unit = utf16_of_cp(&s, cp).expect("cp in range");
                prop_assert_eq!(cp_of_utf16(&s, unit), Some(cp));
                prop_assert_eq!(cp_of_utf16_rounded(&s, unit, Round::Down), cp);
                prop_assert_eq!(cp_of_utf16_rounded(&s, unit, Round::Up), cp);
            }
        }

        #[test]
        fn strings_joined_split_back(v in prop::collection::vec(any_text(), 0..8)) {
            let lens: Vec<u32> = v.iter().map(|s| utf16_len(s) as u32).collect();
            let joined = v.concat();
            prop_assert_eq!(split_utf16(&joined, &lens), v);
        }

        #[test]
        fn rounding_never_splits_a_surrogate_pair(s in any_text(), unit in 0usize..120) {
            for round in [Round::Down, Round::Up] {
                let cp = cp_of_utf16_rounded(&s, unit, round);
                prop_assert!(cp <= cp_len(&s));
                let back = utf16_of_cp(&s, cp).expect("rounded cp is in range");
                prop_assert!(cp_of_utf16(&s, back).is_some());
                match round {
                    Round::Down => prop_assert!(back <= unit),
                    Round::Up => prop_assert!(back >= unit.min(utf16_len(&s))),
                }
            }
        }
    }
}
