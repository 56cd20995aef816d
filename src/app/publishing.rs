//! What the published formats say of the article and where each check is
//! published: the widget's details (the host page's metadata, the
//! `article` option) with the reader's own from the page's Article details
//! form on top, and the fact-check address template (`factCheckUrl`, or
//! the one the reader gave). The rules are the core's (`article_details`,
//! `fact_check_url`); this keeps the reader's values, reads and writes
//! them in storage, and tells the reader.

use super::{App, Context};
use crate::clock;
use crate::field_problems::capitalised;
use marginalia_core::article_details::{self, ArticleDetails, FACT_CHECK_URL_KEY};
use marginalia_core::claimreview::date_of;
use marginalia_core::fact_check_url::Template;
use marginalia_core::review::Field;
use std::rc::Rc;

/// The reader's own publishing values, read from storage once per
/// document (and again when another tab writes them), not at each render.
#[derive(Default)]
pub(super) struct Typed {
    /// The document they were read for.
    key: String,
    details: ArticleDetails,
    /// The template as the reader gave it (empty: none).
    template: String,
    /// What is wrong with the form's last Save.
    pub(super) problems: Rc<Vec<(Field, String)>>,
}

impl App {
    /// The details the exports name.
    pub(super) fn article_details(&self, ctx: &Context<Self>) -> ArticleDetails {
        ctx.props().details.overridden_by(&self.typed.details)
    }

    /// The fact-check address template: the reader's, else the host's.
    pub(super) fn fact_check_url(&self, ctx: &Context<Self>) -> Option<Rc<Template>> {
        match Template::parse(&self.typed.template) {
            Ok(t) => Some(Rc::new(t)),
            Err(_) => ctx.props().fact_check_url.clone(),
        }
    }

    /// Reads the reader's values for this document when the document is
    /// another than the one they were read for, or `again` (another tab
    /// wrote them). A damaged value is said, and left where it is.
    pub(super) fn read_publishing(&mut self, ctx: &Context<Self>, again: bool) {
        if self.typed.key == self.session.key() && !again {
            return;
        }
        self.typed.key = self.session.key().to_string();
        self.typed.details = match self.store.read(&article_details::details_key(self.session.key())) {
            None => ArticleDetails::default(),
            Some(raw) => article_details::decode(&raw).unwrap_or_else(|why| {
                self.error = Some(format!("{} Give them again in Article details.", capitalised(&why)));
                ArticleDetails::default()
            }),
        };
        self.typed.template = self.store.read(FACT_CHECK_URL_KEY).unwrap_or_default();
        self.typed.problems = Rc::default();
        self.mirror_publishing(ctx);
    }

    /// Whether `key` is one of the storage keys the reader's values live under.
    pub(super) fn is_publishing_key(&self, key: &str) -> bool {
        key == FACT_CHECK_URL_KEY || key == article_details::details_key(self.session.key())
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
        self.typed.problems = Rc::new(problems);
        if !self.typed.problems.is_empty() {
            return;
        }
        // Kept here first: storage refusing them loses nothing of this visit.
        self.typed.details = typed.clone();
        self.typed.template.clone_from(&template);
        let key = article_details::details_key(self.session.key());
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
            Err(why) => self.error = Some(format!("The article details are in use but could not be saved: {why}.")),
        }
        self.mirror_publishing(ctx);
    }

    /// Keeps the details an opened `.html` file's metadata gave, as if the
    /// reader had typed them, unless the reader already gave this article
    /// details of their own (theirs are not overwritten).
    pub(super) fn take_read_details(&mut self, ctx: &Context<Self>, read: ArticleDetails) {
        self.read_publishing(ctx, false);
        let read = read.tidied();
        if read == ArticleDetails::default() || self.typed.details != ArticleDetails::default() {
            return;
        }
        self.typed.details = read.clone();
        match self.store.write(&article_details::details_key(self.session.key()), &article_details::encode(&read)) {
            Ok(()) => self.status.push_str(", with its article details"),
            Err(why) => self.error = Some(format!("The article details read from the file could not be kept: {why}.")),
        }
        self.mirror_publishing(ctx);
    }

    /// The handle's exports read what the page's exports use.
    fn mirror_publishing(&self, ctx: &Context<Self>) {
        let (details, template) = (self.article_details(ctx), self.fact_check_url(ctx));
        let mut shared = ctx.props().mirror.0.borrow_mut();
        shared.details = Rc::new(details);
        shared.fact_check_url = template;
    }
}
