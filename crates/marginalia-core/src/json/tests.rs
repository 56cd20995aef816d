//! The JSON reader against `serde_json`: a table of values, and proptests.

use super::*;
use proptest::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Mood {
    Calm,
    InProgress,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Thing {
    name: String,
    #[serde(default)]
    tags: Vec<String>,
    count: u64,
    delta: Option<i64>,
    mood: Option<Mood>,
    on: bool,
}

/// Each case is read as `Thing` by both readers: they agree, or this
/// one refuses (the last column says which).
#[test]
fn a_table_of_values() {
    let cases: &[(&str, bool)] = &[
        (r#"{"name":"a","count":1,"on":true}"#, true),
        (r#" { "name" : "a\"b\\c\/d\n\u00e9\ud83d\ude00" , "count" : 0 , "on" : false } "#, true),
        (r#"{"name":"😀 東京 שלום","tags":["x","y"],"count":18446744073709551615,"delta":-9,"on":true}"#, true),
        (r#"{"name":"a","count":1,"on":true,"mood":"in-progress","extra":{"deep":[1,{"x":null}]}}"#, true),
        (r#"{"name":"a","count":1,"on":true,"delta":null,"mood":null}"#, true),
        (r#"{"name":"a","count":1.5,"on":true}"#, false),
        (r#"{"name":"a","count":1e3,"on":true}"#, false),
        (r#"{"name":"a","count":01,"on":true}"#, false),
        (r#"{"name":"a","count":1,"on":true,}"#, false),
        (r#"{"name":"a","count":1,"on":true} x"#, false),
        (r#"{"name":"a	b","count":1,"on":true}"#, false),
        (r#"{"name":"\ud83d","count":1,"on":true}"#, false),
        (r#"{"name":"\x","count":1,"on":true}"#, false),
        (r#"{"name":"a","count":1,"on":tru}"#, false),
        (r#"{"name":"a","count":18446744073709551616,"on":true}"#, false),
        (r#"{"name":"a","count":1,"on":true,"mood":"sad"}"#, false),
        (r#"{"name":"a","name":"b","count":1,"on":true}"#, false),
        (r#"{"name":"a","on":true}"#, false),
        (r#"{"name":"a" "count":1,"on":true}"#, false),
        (r#"[]"#, false),
        ("", false),
    ];
    for (raw, agrees) in cases {
        let mine = from_str::<Thing>(raw);
        let theirs = serde_json::from_str::<Thing>(raw).ok();
        if *agrees {
            assert!(mine.is_some(), "{raw}");
            assert_eq!(mine, theirs, "{raw}");
        } else {
            assert!(mine.is_none(), "{raw}: {mine:?}");
        }
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(from_str::<de::IgnoredAny>(&deep).is_none());
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(from_str::<de::IgnoredAny>(&fine).is_some());
}

proptest! {
    #[test]
    fn any_string_serde_json_writes_reads_back(s in any::<String>()) {
        let written = serde_json::to_string(&s).expect("json");
        prop_assert_eq!(from_str::<String>(&written), Some(s));
    }

    #[test]
    fn it_never_disagrees_with_serde_json(raw in r#"[\[\]{}",:0-9a-z\\ -]{0,40}"#) {
        type Any = BTreeMap<String, Vec<Option<u64>>>;
        if let Some(mine) = from_str::<Any>(&raw) {
            prop_assert_eq!(Some(mine), serde_json::from_str::<Any>(&raw).ok());
        }
    }
}
