//! One block of a DOM (its text nodes and line breaks, in order) ⇄ its
//! paragraph of the document text.
//!
//! The shell walks the DOM and hands each block over as [`Part`]s; this
//! module applies the document-text rule (ASCII whitespace runs collapse to
//! one space, the ends are trimmed) and keeps the map between the two
//! countings: a paragraph code point ⇄ (part, UTF-16 unit in that part).
//! The map is a list of *pieces*, each a stretch of the paragraph copied
//! verbatim from one part, so it is as long as the block has text nodes and
//! collapsed runs, not as long as its text.

use crate::offsets::{cp_of_utf16_rounded, utf16_of_cp, Round};

/// What a block is made of, in document order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// A text node's data.
    Text(&'a str),
    /// A `<br>`: whitespace between its neighbours, collapsed with them.
    Break,
}

/// A stretch of the paragraph copied verbatim from one part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    part: u32,
    /// UTF-16 offset of the stretch in its part.
    unit: u32,
    /// Code point and byte offsets of the stretch in the paragraph.
    cp: u32,
    byte: u32,
    /// Length in code points and in UTF-16 units.
    len: u32,
    units: u32,
}

/// A block's paragraph text and the map between it and the block's parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockMap {
    text: String,
    len: u32,
    pieces: Vec<Piece>,
}

impl BlockMap {
    /// The paragraph of `parts` and its map.
    pub fn build(parts: &[Part<'_>]) -> BlockMap {
        let mut map = BlockMap::default();
        // A whitespace run seen since the last character kept: where it
        // started, and whether it is a single U+0020 (then it is copied
        // verbatim, and the piece around it goes on).
        let mut gap: Option<(u32, u32, bool)> = None;
        for (index, part) in parts.iter().enumerate() {
            let index = index as u32;
            let text = match part {
                Part::Break => {
                    gap = Some((index, 0, false));
                    continue;
                }
                Part::Text(text) => text,
            };
            let mut unit = 0u32;
            for c in text.chars() {
                let width = c.len_utf16() as u32;
                if c.is_ascii_whitespace() {
                    gap = Some(match gap {
                        None => (index, unit, c == ' '),
                        Some((p, u, _)) => (p, u, false),
                    });
                    unit += width;
                    continue;
                }
                let verbatim = match gap.take() {
                    None => true,
                    Some(_) if map.len == 0 => false,
                    Some((p, u, single)) => {
                        let joins = single && p == index && u + 1 == unit && map.ends_at(index, u);
                        map.text.push(' ');
                        map.len += 1;
                        if joins {
                            map.extend_last(1);
                        }
                        joins
                    }
                };
                if !(verbatim && map.ends_at(index, unit)) {
                    let (cp, byte) = (map.len, map.text.len() as u32);
                    map.pieces.push(Piece { part: index, unit, cp, byte, len: 0, units: 0 });
                }
                map.text.push(c);
                map.len += 1;
                map.extend_last(width);
                unit += width;
            }
        }
        map
    }

    /// Whether the last piece is in `part` and ends at `unit`, and nothing
    /// has been added to the paragraph after it.
    fn ends_at(&self, part: u32, unit: u32) -> bool {
        self.pieces.last().is_some_and(|p| p.part == part && p.cp + p.len == self.len && p.unit + p.units == unit)
    }

    /// One more code point, `units` wide, copied into the last piece.
    fn extend_last(&mut self, units: u32) {
        if let Some(p) = self.pieces.last_mut() {
            p.len += 1;
            p.units += units;
        }
    }

    /// UTF-16 length of the first `cps` code points of piece `p`.
    fn units(&self, p: &Piece, cps: u32) -> u32 {
        let from = &self.text[p.byte as usize..];
        utf16_of_cp(from, cps as usize).unwrap_or(0) as u32
    }

    /// The paragraph: collapsed, trimmed; empty if the block has no text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the paragraph in code points.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where paragraph code point `cp` is: a part and a UTF-16 offset in it.
    /// A code point of a collapsed run maps to the end of the text before
    /// it; past the end, to the end of the last text.
    pub fn to_dom(&self, cp: usize) -> Option<(usize, u32)> {
        let cp = cp.min(self.len()) as u32;
        // The last piece starting at or before `cp`.
        let at = self.pieces.partition_point(|p| p.cp <= cp).checked_sub(1)?;
        let p = &self.pieces[at];
        let within = (cp - p.cp).min(p.len);
        Some((p.part as usize, p.unit + self.units(p, within)))
    }

    /// The paragraph code point of (part, UTF-16 offset). A point inside a
    /// collapsed run or a part with no text counts as the end of the text
    /// before it (the paragraph's start if there is none); a point inside
    /// a surrogate pair rounds by `round`.
    pub fn to_cp(&self, part: usize, unit: u32, round: Round) -> usize {
        let key = (part as u32, unit);
        let at = self.pieces.partition_point(|p| (p.part, p.unit) <= key);
        let Some(p) = at.checked_sub(1).map(|i| &self.pieces[i]) else { return 0 };
        if p.part != part as u32 || unit - p.unit >= p.units {
            return (p.cp + p.len) as usize;
        }
        let piece = &self.text[p.byte as usize..];
        p.cp as usize + cp_of_utf16_rounded(piece, (unit - p.unit) as usize, round).min(p.len as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::normalise_paragraph;
    use proptest::prelude::*;
    use Part::{Break, Text};

    #[test]
    fn paragraph_text_follows_the_document_rule() {
        let cases: &[(&[Part<'_>], &str)] = &[
            (&[Text("one two")], "one two"),
            (&[Text("  one\n\ttwo  ")], "one two"),
            (&[Text("one "), Text(" two")], "one two"),
            (&[Text("one"), Text("two")], "onetwo"),
            (&[Text("one"), Break, Text("two")], "one two"),
            (&[Break, Text(" one "), Break], "one"),
            (&[Text(" "), Break, Text("\n")], ""),
            (&[Text("a\u{a0}b")], "a\u{a0}b"),
            (&[Text("😀 "), Text("مرحبا"), Text(" 漢字")], "😀 مرحبا 漢字"),
        ];
        for (parts, want) in cases {
            assert_eq!(BlockMap::build(parts).text(), *want, "{parts:?}");
        }
    }

    #[test]
    fn code_points_map_to_their_part_and_unit() {
        // "Read the <a>full report</a> 😀now"
        let parts = [Text("Read  the "), Text("full report"), Text(" 😀now")];
        let map = BlockMap::build(&parts);
        assert_eq!(map.text(), "Read the full report 😀now");
        let cases = [
            (0, (0, 0)),   // R
            (4, (0, 4)),   // the collapsed run: end of "Read"
            (5, (0, 6)),   // t of "the", after two spaces
            (9, (1, 0)),   // f
            (20, (1, 11)), // the space after "report" is the end of "report"
            (21, (2, 1)),  // 😀
            (22, (2, 3)),  // n: after a surrogate pair
            (25, (2, 6)),  // the end
            (99, (2, 6)),  // past the end
        ];
        for (cp, want) in cases {
            let got = map.to_dom(cp);
            assert_eq!(got, Some(want), "cp {cp}");
        }
        let back = [
            ((0, 0), Round::Down, 0),
            ((0, 5), Round::Down, 4), // inside the collapsed run
            ((0, 6), Round::Down, 5),
            ((1, 0), Round::Down, 9),
            ((2, 0), Round::Down, 20), // the space before 😀 is a run of its own
            ((2, 2), Round::Down, 21), // inside 😀
            ((2, 2), Round::Up, 22),
            ((2, 6), Round::Down, 25),
        ];
        for ((part, unit), round, want) in back {
            assert_eq!(map.to_cp(part, unit, round), want, "({part}, {unit}) {round:?}");
        }
    }

    #[test]
    fn single_spaces_do_not_split_pieces() {
        let map = BlockMap::build(&[Text("a plain paragraph of words")]);
        assert_eq!(map.pieces.len(), 1);
        let map = BlockMap::build(&[Text("a  b\nc")]);
        assert_eq!(map.pieces.len(), 3);
    }

    #[test]
    fn an_empty_block_maps_nothing() {
        let map = BlockMap::build(&[Text("  "), Break]);
        assert!(map.is_empty());
        assert_eq!(map.to_dom(0), None);
        assert_eq!(map.to_cp(0, 1, Round::Down), 0);
    }

    fn part() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            1 => Just(None),
            6 => proptest::string::string_regex("[a b\n\t😀é\u{a0}漢]{0,8}").expect("regex").prop_map(Some),
        ]
    }

    proptest! {
        #[test]
        fn the_map_agrees_with_the_text(raw in proptest::collection::vec(part(), 0..6)) {
            let parts: Vec<Part<'_>> = raw.iter().map(|p| p.as_deref().map_or(Break, Text)).collect();
            let map = BlockMap::build(&parts);
            let joined: String = raw.iter().map(|p| p.as_deref().unwrap_or(" ")).collect();
            prop_assert_eq!(map.text(), normalise_paragraph(&joined));
            let chars: Vec<char> = map.text().chars().collect();
            for (cp, c) in chars.iter().enumerate() {
                let (part, unit) = map.to_dom(cp).expect("non-empty");
                if *c != ' ' {
                    // A kept character is where the map says, in its part.
                    let Text(text) = parts[part] else { panic!("a break holds no text") };
                    let found = char::decode_utf16(text.encode_utf16().skip(unit as usize)).next();
                    prop_assert_eq!(found.and_then(Result::ok), Some(*c));
                    prop_assert_eq!(map.to_cp(part, unit, Round::Down), cp);
                }
            }
        }
    }
}
