//! The Article details form: the article's address, title, publisher and
//! date, and the fact-check address template, which the published formats
//! (ClaimReview, the Fact Check Markup Tool's pages) need. It shows what
//! the widget knows (read from the host page's metadata or given by the
//! host), and what the reader saves wins. Problems are said next to their
//! field, and nothing is saved until there are none.

use crate::disclosure::Disclosure;
use crate::field_problems::Problems;
use marginalia_core::article_details::ArticleDetails;
use marginalia_core::review::Field;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PublishingProps {
    /// The details the exports use now.
    pub details: ArticleDetails,
    /// The template in use (the reader's or the host's), as text.
    pub template: AttrValue,
    pub problems: Rc<Vec<(Field, String)>>,
    pub on_save: Callback<(ArticleDetails, String)>,
}

#[component]
pub fn PublishingForm(props: &PublishingProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |()| open.set(!*open))
    };
    let d = &props.details;
    let refs = use_memo((), |()| {
        [NodeRef::default(), NodeRef::default(), NodeRef::default(), NodeRef::default(), NodeRef::default()]
    });
    let value = |n: &NodeRef| n.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
    let onsubmit = {
        let (refs, on_save) = (refs.clone(), props.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let details = ArticleDetails {
                url: value(&refs[0]),
                title: value(&refs[1]),
                publisher: value(&refs[2]),
                published: value(&refs[3]),
            };
            on_save.emit((details, value(&refs[4])));
        })
    };
    let told = Problems { list: &props.problems, id: "publishing" };
    // The fields show what is in use, set when that changes (saved here,
    // or another tab), not on every render: typing is left alone.
    {
        let refs = refs.clone();
        let now =
            [d.url.clone(), d.title.clone(), d.publisher.clone(), d.published.clone(), props.template.to_string()];
        use_effect_with((now, *open), move |(now, _)| {
            for (node, value) in refs.iter().zip(now.iter()) {
                if let Some(i) = node.cast::<HtmlInputElement>().filter(|i| i.value() != *value) {
                    i.set_value(value);
                }
            }
        });
    }
    let row = |field: Field, name: &str, label: &str, kind: &str, node: &NodeRef, hint: &str| {
        let id = format!("{name}-publishing");
        html! {
            <>
                <label for={id.clone()}>{ label.to_string() }</label>
                <input id={id} ref={node.clone()} type={kind.to_string()}
                       aria-invalid={told.invalid(field)} aria-describedby={told.described(field, name)} />
                if !hint.is_empty() {
                    <p class="hint">{ hint.to_string() }</p>
                }
                { told.beside(field, name) }
            </>
        }
    };
    let summary = if d.url.is_empty() || props.template.is_empty() {
        "Article details (needed to publish)"
    } else {
        "Article details"
    };
    html! {
        <Disclosure open={*open} on_toggle={toggle} label={summary.to_string()}>
            <form class="publishing" aria-label="Article details" {onsubmit} novalidate=true>
                { row(Field::ArticleUrl, "article-url", "Article address", "url", &refs[0], "Where the article is published: the claims' first appearance.") }
                { row(Field::ArticleTitle, "article-title", "Title", "text", &refs[1], "") }
                { row(Field::Publisher, "publisher", "Publisher", "text", &refs[2], "") }
                { row(Field::Published, "published", "Published on", "date", &refs[3], "") }
                { row(Field::FactCheckUrl, "fact-check-url", "Fact-check address", "text", &refs[4],
                      "Where each check is published: {id} is the claim's id, {slug} its words, e.g. https://example.org/checks/{slug}.") }
                { told.alert() }
                <button type="submit">{ "Save article details" }</button>
            </form>
        </Disclosure>
    }
}
