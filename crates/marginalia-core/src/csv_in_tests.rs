//! Reading CSV: RFC 4180's cases record by record; our own download read
//! back whole (every script, quotes, commas, line breaks, formula-looking
//! cells); a header without our columns; malformed rows refused by number
//! while the rest come in.

use super::*;
use crate::annotation::Annotation;
use crate::document::Document;
use crate::interchange::{read_batch, to_csv};
use crate::review::{Attribution, Review, Scale, Source};
use crate::span::Span;
use crate::tag::{Tag, TagSet};
use crate::w3c::Importer;

/// A record's cells, or why it cannot be read.
type Cells = Result<Vec<String>, String>;

fn ok(cells: &[&str]) -> Cells {
    Ok(cells.iter().map(|c| c.to_string()).collect())
}

#[test]
fn records_as_rfc_4180_reads_them() {
    let bad = |why: &str| Err(why.to_string());
    let cases: Vec<(&str, Vec<Cells>)> = vec![
        ("a,b\r\nc,d\r\n", vec![ok(&["a", "b"]), ok(&["c", "d"])]),
        // LF line ends, no line end at the end of the file.
        ("a,b\nc,d", vec![ok(&["a", "b"]), ok(&["c", "d"])]),
        // A byte-order mark is not part of the first cell.
        ("\u{feff}id,tag\r\n", vec![ok(&["id", "tag"])]),
        ("\"x, y\",\"say \"\"hi\"\"\"\r\n", vec![ok(&["x, y", "say \"hi\""])]),
        ("\"two\r\nlines\",z\r\n", vec![ok(&["two\r\nlines", "z"])]),
        ("\"a\nb\"\n", vec![ok(&["a\nb"])]),
        ("a,,c\r\n,\r\n", vec![ok(&["a", "", "c"]), ok(&["", ""])]),
        ("\"\"\r\n", vec![ok(&[""])]),
        ("\r\n\r\nx", vec![ok(&[""]), ok(&[""]), ok(&["x"])]),
        // Malformed: the record is refused, the next line starts the next one.
        ("a\"b,c\r\nd\r\n", vec![bad("cell 1 has a double quote but is not in quotes"), ok(&["d"])]),
        ("x,\"a\"b,c\r\nd", vec![bad("cell 2 has text after its closing quote"), ok(&["d"])]),
        ("x\r\n\"open,y\r\nz\r\n", vec![ok(&["x"]), bad("cell 1 opens a quote that is never closed")]),
    ];
    for (text, want) in cases {
        let got: Vec<Cells> = records(text).into_iter().map(|r| r.cells).collect();
        assert_eq!(got, want, "{text:?}");
    }
    let rows: Vec<usize> = records("h\r\n\"a\r\nb\"\r\nc\r\n").iter().map(|r| r.row).collect();
    assert_eq!(rows, [1, 2, 3], "a line break in quotes does not start a row");
}

const ARTICLE: &str = "Flood barrier 😀 approved, “at last”\n\
                       市议会批准了4800万英镑的防洪屏障。\n\
                       הבנייה תתחיל באביב, said \"Dana\" Levi.\n\
                       =SUM(A1) was written on the wall; -5 degrees, +3 metres.";

fn at(doc: &Document, needle: &str) -> Span {
    let byte = doc.text().find(needle).expect("in the article");
    let start = doc.text()[..byte].chars().count();
    Span::new(start, start + needle.chars().count()).expect("not empty")
}

fn ann(doc: &Document, n: u64, tag: &str, needle: &str) -> Annotation {
    let now = 1_800_000_000_000 + n * 1_000;
    Annotation::new(doc, AnnotationId::generate(now, n), at(doc, needle), Tag::parse(tag).expect("tag"), now)
}

/// Our annotations with every kind of text a CSV must carry, and what the
/// CSV carries of a review (no reviewer, date or source titles).
fn set(doc: &Document) -> Vec<Annotation> {
    let mut claim = ann(doc, 1, "claim", "Flood barrier 😀 approved, “at last”");
    claim.note = "-check \"this\", please\nand this".into();
    claim.review = Some(Box::new(Review {
        verdict: Some("mostly-true".into()),
        status: Status::Checked,
        explanation: "=2+2, “quoted”, and\na second line".into(),
        sources: vec![
            Source { url: "https://example.org/a?b=1,2".into(), title: String::new() },
            Source { url: "https://例え.jp/ページ".into(), title: String::new() },
        ],
        ..Review::default()
    }));
    let mut cjk = ann(doc, 2, "caption", "市议会批准了4800万英镑的防洪屏障。");
    cjk.note = "'=already an apostrophe".into();
    let mut rtl = ann(doc, 3, "quote", "הבנייה תתחיל באביב, said \"Dana\" Levi.");
    rtl.attribution = Some(Box::new(Attribution { speaker: "@Dana Levi".into(), ..Attribution::default() }));
    let formula = ann(doc, 4, "claim", "=SUM(A1) was written");
    let mut spanning = ann(doc, 5, "claim", "at last”\n市议会");
    spanning.review = Some(Box::new(Review { status: Status::InProgress, ..Review::default() }));
    vec![claim, cjk, rtl, formula, spanning]
}

#[test]
fn our_csv_download_reads_back_as_it_was() {
    let doc = Document::from_text(ARTICLE);
    let anns = set(&doc);
    let csv = to_csv(&anns, &Scale::default());
    // The formula-looking cells went out inert, and come back as written.
    assert!(csv.contains(",'=SUM(A1) was written,"), "{csv}");
    assert!(csv.contains(",''=already an apostrophe,"), "{csv}");
    assert!(csv.contains(",'@Dana Levi\r\n"), "{csv}");
    let batch = read_batch(csv.as_bytes()).expect("reads");
    assert_eq!(batch.unit, "row");
    let names: Vec<&str> = batch.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["row 2", "row 3", "row 4", "row 5", "row 6"]);
    let tags = TagSet::standard();
    let importer = Importer::new(&doc, 0).with_tags(&tags);
    let back: Vec<Annotation> = batch.import(&importer).into_iter().map(|r| r.expect("imports").0).collect();
    assert_eq!(back, anns);
    // The same from a copy saved with LF line ends and a byte-order mark
    // (line breaks inside cells were LF already).
    let lf = format!("\u{feff}{}", csv.replace("\r\n", "\n"));
    let again = read_batch(lf.as_bytes()).expect("reads").import(&importer);
    let again: Vec<Annotation> = again.into_iter().map(|r| r.expect("imports").0).collect();
    assert_eq!(again, anns);
}

#[test]
fn a_header_without_our_columns_is_refused_naming_them() {
    let cases = [
        (
            "id,tag,note\r\na1,claim,x\r\n",
            "the CSV lacks the column(s) start, end, quote (our CSV's columns are id, tag,",
        ),
        ("Quote,Tag\r\nx,claim\r\n", "the CSV lacks the column(s) id, start, end"),
        ("hello there\n", "it is not JSON, and as CSV it lacks the columns id, tag, start, end, quote"),
        ("id,tag,start,end,quote,tag\r\n", "the CSV has the column “tag” twice"),
        ("\"id,tag\r\n", "its first line, the header, cannot be read: cell 1 opens a quote that is never closed"),
        ("", "the file is empty"),
        ("  \r\n", "the file is empty"),
    ];
    for (text, want) in cases {
        let err = read_batch(text.as_bytes()).err().unwrap_or_else(|| panic!("{text:?} was read"));
        assert!(err.contains(want), "{text:?}: {err}");
    }
    // Our columns in another order, in another case, with one of the
    // optional ones left out and one of a spreadsheet's own: read.
    let csv = "QUOTE,Tag,end,start,id,Comment\r\n“at last”,claim,34,25,a1,ignored\r\n";
    let doc = Document::from_text(ARTICLE);
    let results = read_batch(csv.as_bytes()).expect("reads").import(&Importer::new(&doc, 0));
    let a = results.into_iter().next().and_then(Result::ok).expect("imports").0;
    assert_eq!((a.id.as_str(), a.tag.as_str(), a.quote.exact.as_str()), ("a1", "claim", "“at last”"));
}

#[test]
fn malformed_rows_are_refused_by_row_number_and_the_rest_come_in() {
    let doc = Document::from_text(ARTICLE);
    let good = to_csv(&[ann(&doc, 1, "claim", "approved")], &Scale::default());
    let row = |cells: &str| format!("{cells}\r\n");
    let csv = [
        good.clone(),
        row("a2,claim,1,2,Flood"),
        row("a3,claim,x,9,Flood,,,,,,,,"),
        row("a4,claim,0,5,Fl\"ood,,,,,,,,"),
        String::from("\r\n"),
        row("a5,,0,5,Flood,,,,,,,,"),
        row("a6,claim,0,5,Flood,,,,Pants on fire,Checked,,,"),
        row("a7,claim,0,5,Flood,,,,,Done,,,"),
        row("a8,claim,0,5,Nowhere,,,,,,,,"),
        row("a9,quote,,,Flood,,,,,,,javascript:alert(1),"),
        good.lines().nth(1).map(row).unwrap_or_default(),
    ]
    .concat();
    let batch = read_batch(csv.as_bytes()).expect("reads");
    let tags = TagSet::standard();
    let importer = Importer::new(&doc, 0).with_tags(&tags);
    let said: Vec<String> = batch
        .entries
        .iter()
        .zip(batch.import(&importer))
        .map(|(e, r)| match r {
            Ok((a, _)) => format!("{}: {} {}", e.name, a.tag, a.quote.exact),
            Err(why) => format!("{}: {}", e.name, why.reason),
        })
        .collect();
    assert_eq!(
        said,
        [
            "row 2: claim approved",
            "row 3: it has 5 cells where the header has 13",
            "row 4: its start “x” is not a whole number of characters",
            "row 5: cell 5 has a double quote but is not in quotes",
            "row 7: its tag is empty",
            "row 8: its verdict “Pants on fire” is not on this rating scale (offered: True, Mostly true, Half true, \
             Misleading, False, Unverifiable)",
            "row 9: its status “Done” is not one of To check, In progress, Checked",
            "row 10: its quote “Nowhere” is not in the text",
            "row 11: its review cannot be used: source 1: \"javascript:alert(1)\" is not a web address (http:// or \
             https://)",
            "row 12: the id a0000-1 appears twice",
        ]
        .map(|s| s.replace("a0000-1", &format!("{}", AnnotationId::generate(1_800_000_001_000, 1))))
    );
}
