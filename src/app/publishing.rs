//! What the published formats say of the article and where each check is
//! published: the widget's details (the host page's metadata, the
//! `article` option) with the reader's own from the page's Article details
//! form on top, and the fact-check address template (`factCheckUrl`, or
//! the one the reader gave). The rules are the core's (`article_details`,
//! `fact_check_url`); this reads and writes storage and tells the reader.

use super::{App, Context};
use crate::clock;
use marginalia_core::article_details::{self, ArticleDetails, FACT_CHECK_URL_KEY};
use marginalia_core::claimreview::date_of;
use marginalia_core::fact_check_url::Template;
use marginalia_core::review::Field;
use std::rc::Rc;

impl App {
    /// The reader's own details of this document, as stored.
    fn typed_details(&self) -> ArticleDetails {
        let raw = self.store.read(&article_details::details_key(&self.key));
        raw.and_then(|r| article_details::decode(&r).ok()).unwrap_or_default()
    }

    /// The details the exports name.
    pub(super) fn article_details(&self, ctx: &Context<Self>) -> ArticleDetails {
        ctx.props().details.overridden_by(&self.typed_details())
    }

    /// The template the reader gave on the page, as typed.
    pub(super) fn typed_fact_check_url(&self) -> String {
        self.store.read(FACT_CHECK_URL_KEY).unwrap_or_default()
    }

    /// The fact-check address template: the reader's, else the host's.
    pub(super) fn fact_check_url(&self, ctx: &Context<Self>) -> Option<Rc<Template>> {
        match Template::parse(&self.typed_fact_check_url()) {
            Ok(t) => Some(Rc::new(t)),
            Err(_) => ctx.props().fact_check_url.clone(),
        }
    }

    /// Saves what the reader typed in the Article details form, or says
    /// what is wrong next to its field and saves nothing.
    pub(super) fn save_publishing(&mut self, ctx: &Context<Self>, typed: ArticleDetails, template: String) {
        let today = date_of(clock::env().now_ms);
        let typed = typed.tidied();
        let mut problems = typed.problems_by_field(&today);
        let template = template.trim().to_string();
        if !template.is_empty() {
            if let Err(why) = Template::parse(&template) {
                problems.push((Field::FactCheckUrl, why));
            }
        }
        self.publishing_problems = Rc::new(problems);
        if !self.publishing_problems.is_empty() {
            return;
        }
        let key = article_details::details_key(&self.key);
        let written = if typed == ArticleDetails::default() {
            self.store.remove(&key)
        } else {
            self.store.write(&key, &article_details::encode(&typed))
        }
        .and_then(|()| {
            if template.is_empty() {
                self.store.remove(FACT_CHECK_URL_KEY)
            } else {
                self.store.write(FACT_CHECK_URL_KEY, &template)
            }
        });
        match written {
            Ok(()) => self.status = "Article details saved".into(),
            Err(why) => self.error = Some(format!("The article details could not be saved: {why}.")),
        }
        self.mirror_publishing(ctx);
    }

    /// Keeps the details an opened `.html` file's metadata gave, as if the
    /// reader had typed them, unless the reader already gave this article
    /// details of their own (theirs are not overwritten).
    pub(super) fn take_read_details(&mut self, ctx: &Context<Self>, read: ArticleDetails) {
        let read = read.tidied();
        let key = article_details::details_key(&self.key);
        if read == ArticleDetails::default() || self.store.read(&key).is_some() {
            return;
        }
        match self.store.write(&key, &article_details::encode(&read)) {
            Ok(()) => self.status.push_str(", with its article details"),
            Err(why) => self.error = Some(format!("The article details read from the file could not be kept: {why}.")),
        }
        self.mirror_publishing(ctx);
    }

    /// The handle's exports read what the page's exports use.
    pub(super) fn mirror_publishing(&self, ctx: &Context<Self>) {
        let (details, template) = (self.article_details(ctx), self.fact_check_url(ctx));
        let mut shared = ctx.props().mirror.0.borrow_mut();
        shared.details = Rc::new(details);
        shared.fact_check_url = template;
    }
}
