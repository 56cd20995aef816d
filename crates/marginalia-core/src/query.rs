//! The panel's view of the annotations: which tags are shown, a text search
//! over quotes and notes, and the order — by position or by time.

use crate::annotation::Annotation;
use crate::tag::Tag;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Document order.
    #[default]
    Position,
    /// Most recently changed first.
    Time,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Tags switched off in the filter.
    pub hidden: Vec<Tag>,
    /// Words to find in the quote or the note, case-insensitively.
    pub text: String,
    pub order: Order,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.hidden.is_empty() && self.text.trim().is_empty()
    }

    pub fn toggle(&mut self, tag: &Tag) {
        match self.hidden.iter().position(|t| t == tag) {
            Some(i) => {
                self.hidden.remove(i);
            }
            None => self.hidden.push(tag.clone()),
        }
    }

    /// The annotations the panel lists, in its order. `annotations` is in
    /// document order, as the annotator keeps it.
    pub fn select<'a>(&self, annotations: &'a [Annotation]) -> Vec<&'a Annotation> {
        let words: Vec<String> = self.text.split_whitespace().map(fold).collect();
        let mut out: Vec<&Annotation> = annotations
            .iter()
            .filter(|a| !self.hidden.contains(&a.tag))
            .filter(|a| {
                if words.is_empty() {
                    return true;
                }
                let hay = format!("{} {}", fold(&a.quote.exact), fold(&a.note));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect();
        if self.order == Order::Time {
            // Stable: equal times keep document order.
            out.sort_by_key(|a| std::cmp::Reverse(a.updated));
        }
        out
    }
}

/// Lowercase with typographic quotes made plain, so `Britain's` finds
/// `Britain’s`.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '‘' | '’' | '‛' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::AnnotationId;
    use crate::document::Document;
    use crate::span::Span;

    fn anns() -> Vec<Annotation> {
        let doc = Document::from_text("Britain’s court was first proposed in 2022 by the Council.");
        let make = |i: u64, s: usize, e: usize, tag: &str, updated: u64, note: &str| {
            let mut a = Annotation::new(
                &doc,
                AnnotationId::generate(0, i),
                Span::new(s, e).expect("valid"),
                Tag::parse(tag).expect("valid"),
                0,
            );
            a.updated = updated;
            a.note = note.into();
            a
        };
        vec![
            make(1, 0, 15, "claim", 30, ""),
            make(2, 16, 42, "claim", 10, "check the YEAR"),
            make(3, 46, 58, "quote", 20, ""),
        ]
    }

    #[test]
    fn table_of_queries() {
        let all = anns();
        let ids = |q: &Query| q.select(&all).iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        let id = |n: usize| all[n].id.clone();
        let tag = |t: &str| Tag::parse(t).expect("valid");
        let cases: Vec<(Query, Vec<AnnotationId>)> = vec![
            (Query::default(), vec![id(0), id(1), id(2)]),
            (Query { hidden: vec![tag("claim")], ..Query::default() }, vec![id(2)]),
            (Query { text: "britain's".into(), ..Query::default() }, vec![id(0)]),
            (Query { text: "year 2022".into(), ..Query::default() }, vec![id(1)]),
            (Query { text: "COUNCIL".into(), ..Query::default() }, vec![id(2)]),
            (Query { text: "nothing".into(), ..Query::default() }, vec![]),
            (Query { order: Order::Time, ..Query::default() }, vec![id(0), id(2), id(1)]),
        ];
        for (q, want) in cases {
            assert_eq!(ids(&q), want, "{q:?}");
        }
        let mut q = Query::default();
        q.toggle(&tag("quote"));
        assert!(!q.is_empty());
        q.toggle(&tag("quote"));
        assert!(q.is_empty());
    }
}
