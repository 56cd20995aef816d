//! The suggestions as the rules module hands them to the annotator: one
//! line per suggestion, `kind TAB start TAB end TAB confidence TAB note`.
//!
//! The rules are a WebAssembly module of their own, loaded on the first
//! Suggest (issue 30: what a first selection does not need is not in its
//! download). Between two modules only numbers and strings cross; a string
//! of lines is the smallest thing both sides can read without a JSON
//! library in the rules module. The note is escaped (`\\`, `\t`, `\n`, `\r`), so
//! any text the rules quote crosses as it was. What comes back is read as
//! untrusted: a span past the article, an unknown kind, a line cut short
//! is an error the annotator shows, never a suggestion drawn on the wrong
//! text.

use super::{Confidence, Kind, Suggestion};
use crate::span::Span;

/// The suggestions as lines.
pub fn encode(found: &[Suggestion]) -> String {
    let mut out = String::with_capacity(found.len() * 48);
    for s in found {
        let confidence = match s.confidence {
            Confidence::High => "high",
            Confidence::Low => "low",
        };
        out.push_str(s.kind.tag_id());
        out.push('\t');
        out.push_str(&s.span.start().to_string());
        out.push('\t');
        out.push_str(&s.span.end().to_string());
        out.push('\t');
        out.push_str(confidence);
        out.push('\t');
        for c in s.note.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// The lines read back, each span within an article of `len` code points.
pub fn decode(lines: &str, len: usize) -> Result<Vec<Suggestion>, String> {
    lines.lines().enumerate().map(|(i, line)| one(line, len).map_err(|e| format!("line {}: {e}", i + 1))).collect()
}

fn one(line: &str, len: usize) -> Result<Suggestion, String> {
    let mut fields = line.splitn(5, '\t');
    let mut next = |what: &str| fields.next().ok_or_else(|| format!("no {what}"));
    let kind = match next("kind")? {
        "claim" => Kind::Claim,
        "quote" => Kind::Quote,
        "caption" => Kind::Caption,
        other => return Err(format!("unknown kind {other:?}")),
    };
    let number = |s: &str| s.parse::<usize>().map_err(|_| format!("{s:?} is not a position"));
    let start = number(next("start")?)?;
    let end = number(next("end")?)?;
    let confidence = match next("confidence")? {
        "high" => Confidence::High,
        "low" => Confidence::Low,
        other => return Err(format!("unknown confidence {other:?}")),
    };
    let note = unescape(next("note")?)?;
    if end > len {
        return Err(format!("ends at {end}, past the article's {len} characters"));
    }
    let span = Span::new(start, end).map_err(|_| format!("{start}..{end} is empty"))?;
    Ok(Suggestion { kind, span, note, confidence })
}

fn unescape(note: &str) -> Result<String, String> {
    let mut out = String::with_capacity(note.len());
    let mut chars = note.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            other => return Err(format!("a note has the escape \\{}", other.map_or(String::new(), String::from))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: Kind, start: usize, end: usize, note: &str, confidence: Confidence) -> Suggestion {
        Suggestion { kind, span: Span::new(start, end).expect("valid"), note: note.into(), confidence }
    }

    #[test]
    fn lines_as_written() {
        let list = [
            found(Kind::Quote, 2, 21, "Speaker: Amara Okafor", Confidence::High),
            found(Kind::Claim, 30, 90, "a\tb\\n\nc", Confidence::Low),
            found(Kind::Caption, 0, 1, "", Confidence::High),
        ];
        let lines = encode(&list);
        assert_eq!(
            lines,
            "quote\t2\t21\thigh\tSpeaker: Amara Okafor\nclaim\t30\t90\tlow\ta\\tb\\\\n\\nc\ncaption\t0\t1\thigh\t\n"
        );
        assert_eq!(decode(&lines, 90), Ok(list.to_vec()));
        assert_eq!(decode("", 10), Ok(vec![]));
    }

    #[test]
    fn what_is_refused() {
        let cases: [(&str, &str); 8] = [
            ("opinion\t0\t4\thigh\t", "line 1: unknown kind \"opinion\""),
            ("claim\t0\t4\tsure\t", "line 1: unknown confidence \"sure\""),
            ("claim\t0\t4", "line 1: no confidence"),
            ("claim\t0\t4\thigh", "line 1: no note"),
            ("claim\t-1\t4\thigh\t", "line 1: \"-1\" is not a position"),
            ("claim\t4\t4\thigh\t", "line 1: 4..4 is empty"),
            ("claim\t0\t4\thigh\t\nclaim\t0\t11\thigh\t", "line 2: ends at 11, past the article's 10 characters"),
            ("quote\t0\t4\thigh\tend \\", "line 1: a note has the escape \\"),
        ];
        for (lines, want) in cases {
            assert_eq!(decode(lines, 10), Err(want.to_string()), "{lines:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the rules find, the annotator reads the same back.
        #[test]
        fn read_back_as_written(
            items in proptest::collection::vec((0usize..3, 0usize..500, 1usize..60, proptest::bool::ANY, "[a-z\\\\\t\n\r“é😀 ]{0,20}"), 0..20),
        ) {
            let list: Vec<Suggestion> = items
                .iter()
                .map(|(k, start, len, high, note)| {
                    let kind = [Kind::Claim, Kind::Quote, Kind::Caption][*k];
                    let confidence = if *high { Confidence::High } else { Confidence::Low };
                    found(kind, *start, start + len, note, confidence)
                })
                .collect();
            proptest::prop_assert_eq!(decode(&encode(&list), 560), Ok(list));
        }
    }
}
