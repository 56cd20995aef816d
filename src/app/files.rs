//! The page's downloads: each export (W3C, CSV, ClaimReview, report) as
//! a file, and a message for a checked claim ClaimReview leaves out.

use super::{clock, App, Context};
use crate::exports;
use crate::transfer::Format;
use marginalia_core::claimreview::{self, Publication};

impl App {
    /// Saves the annotations as a file in `format`.
    pub(super) fn download(&mut self, ctx: &Context<Self>, format: Format) {
        let all = self.session.annotator().all();
        let props = ctx.props();
        let (details, template) = (self.article_details(ctx), self.fact_check_url(ctx));
        let sources = exports::Sources {
            key: self.session.key(),
            doc: self.session.annotator().document(),
            annotations: &all,
            scale: &props.scale,
            organization: props.organization.as_deref(),
            details: &details,
            fact_check_url: template.as_deref(),
            now_ms: clock::env().now_ms,
        };
        let file = match exports::make(format, &sources) {
            Ok(file) => file,
            Err(why) => {
                self.error = Some(format!("No file written: {why}."));
                return;
            }
        };
        // A checked claim that cannot be published is said, not dropped.
        let left_out = match format {
            Format::ClaimReview | Format::ClaimReviewMarkup => {
                let publication = Publication {
                    article: &details,
                    fact_check_url: template.as_deref(),
                    organization: props.organization.as_deref(),
                    scale: &props.scale,
                    now_ms: sources.now_ms,
                };
                claimreview::left_out_message(&claimreview::prepare(&all, &publication).1)
            }
            _ => None,
        };
        match crate::download::save(&file.name, file.mime, &file.text()) {
            Ok(()) => self.status = format!("Downloaded {} as {}", file.count, file.name),
            Err(why) => self.error = Some(format!("The download failed: {why}.")),
        }
        if let Some(why) = left_out {
            self.error = Some(why);
        }
    }
}
