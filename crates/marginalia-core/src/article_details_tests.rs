//! The article's details: the order of trust, each field on its own, bad values passed over, overrides and problems.

use super::*;

fn meta() -> Metadata {
    Metadata::default()
}

const LD: &str = r#"{"@context":"https://schema.org","@type":"NewsArticle","url":"https://news.example/ld",
  "headline":"LD headline","datePublished":"2026-11-28T07:00:00+00:00","publisher":{"@type":"Organization","name":"LD Press"}}"#;

#[test]
fn table_of_details_read_from_a_page() {
    let full = Metadata {
        canonical: Some("https://news.example/canonical".into()),
        og_url: Some("https://news.example/og".into()),
        og_title: Some("OG title".into()),
        og_site_name: Some("OG Times".into()),
        published_time: Some("2026-11-30T08:00:00Z".into()),
        json_ld: vec![LD.into()],
    };
    let d = |url: &str, title: &str, publisher: &str, published: &str| ArticleDetails {
        url: url.into(),
        title: title.into(),
        publisher: publisher.into(),
        published: published.into(),
    };
    let cases = [
        ("everything: canonical and Open Graph first", full.clone(), d("https://news.example/canonical", "OG title", "OG Times", "2026-11-30")),
        ("nothing", meta(), d("", "", "", "")),
        (
            "JSON-LD alone",
            Metadata { json_ld: vec![LD.into()], ..meta() },
            d("https://news.example/ld", "LD headline", "LD Press", "2026-11-28"),
        ),
        (
            "no canonical: og:url",
            Metadata { canonical: None, ..full.clone() },
            d("https://news.example/og", "OG title", "OG Times", "2026-11-30"),
        ),
        (
            "a canonical that is not a web address is passed over",
            Metadata { canonical: Some("file:///tmp/a.html".into()), ..full.clone() },
            d("https://news.example/og", "OG title", "OG Times", "2026-11-30"),
        ),
        (
            "a published time that is not a date: JSON-LD's",
            Metadata { published_time: Some("last Tuesday".into()), ..full.clone() },
            d("https://news.example/canonical", "OG title", "OG Times", "2026-11-28"),
        ),
        (
            "JSON-LD in an @graph, with a type list and publisher as a list",
            Metadata {
                json_ld: vec![r#"{"@graph":[{"@type":"WebSite","name":"Site"},{"@type":["ReportageNewsArticle"],
                  "mainEntityOfPage":{"@id":"https://news.example/graph"},"headline":"G","publisher":[{"name":"G Press"}]}]}"#
                    .into()],
                ..meta()
            },
            d("https://news.example/graph", "G", "G Press", ""),
        ),
        (
            "a JSON-LD block that is not JSON is skipped for the next",
            Metadata { json_ld: vec!["{not json".into(), LD.into()], ..meta() },
            d("https://news.example/ld", "LD headline", "LD Press", "2026-11-28"),
        ),
    ];
    for (why, m, want) in cases {
        assert_eq!(ArticleDetails::from_metadata(&m), want, "{why}");
    }
}

#[test]
fn an_override_takes_only_the_fields_it_gives() {
    let page = ArticleDetails {
        url: "https://a.example".into(),
        title: "T".into(),
        publisher: "P".into(),
        published: "2026-01-02".into(),
    };
    let option = ArticleDetails { publisher: " The Courier ".into(), ..ArticleDetails::default() };
    let both = page.overridden_by(&option);
    assert_eq!(
        (both.url.as_str(), both.publisher.as_str(), both.published.as_str()),
        ("https://a.example", "The Courier", "2026-01-02")
    );
    assert_eq!(page.overridden_by(&ArticleDetails::default()), page);
}

#[test]
fn table_of_detail_problems() {
    let ok = ArticleDetails {
        url: "https://a.example/x".into(),
        title: "T".into(),
        publisher: "P".into(),
        published: "2026-12-01".into(),
    };
    let cases = [
        (ok.clone(), vec![]),
        (ArticleDetails::default(), vec![]),
        (ArticleDetails { url: "a.example/x".into(), ..ok.clone() }, vec![Field::ArticleUrl]),
        (ArticleDetails { published: "1/12/2026".into(), ..ok.clone() }, vec![Field::Published]),
        (ArticleDetails { published: "2026-12-08".into(), ..ok.clone() }, vec![Field::Published]),
        (ArticleDetails { title: "x".repeat(DETAIL_LIMIT + 1), ..ok.clone() }, vec![Field::ArticleTitle]),
    ];
    for (d, want) in cases {
        let got: Vec<Field> = d.problems_by_field("2026-12-07").into_iter().map(|(f, _)| f).collect();
        assert_eq!(got, want, "{d:?}");
    }
}

#[test]
fn the_readers_details_round_trip_and_a_bad_value_is_said() {
    let d = ArticleDetails {
        url: "https://a.example/x".into(),
        title: "Flood “barrier”".into(),
        ..ArticleDetails::default()
    };
    assert_eq!(decode(&encode(&d)), Ok(d));
    assert!(decode("{not json").is_err_and(|e| e.contains("damaged")));
    assert!(decode(r#"{"schema":2,"details":{}}"#).is_err_and(|e| e.contains("newer")));
    assert_eq!(details_key("story-42"), "marginalia:v1:details:story-42");
}
