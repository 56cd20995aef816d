//! The page's downloads: each export (W3C, CSV, ClaimReview, report) as
//! a file, and a message for a checked claim ClaimReview leaves out.

use super::{clock, App, Context};
use crate::exports;
use crate::transfer::Format;
use marginalia_core::claimreview;

impl App {
    /// Saves the annotations as a file in `format`.
    pub(super) fn download(&mut self, ctx: &Context<Self>, format: Format) {
        let all = self.annotator.all();
        let props = ctx.props();
        let sources = exports::Sources {
            key: &self.key,
            doc: self.annotator.document(),
            annotations: &all,
            scale: &props.scale,
            organization: props.organization.as_deref(),
            now_ms: clock::env().now_ms,
        };
        let file = exports::make(format, &sources);
        // A checked claim that cannot be published is said, not dropped.
        let left_out = match format {
            Format::ClaimReview => claimreview::unpublishable(&all, &props.scale),
            _ => Vec::new(),
        };
        match crate::download::save(&file.name, file.mime, &file.text()) {
            Ok(()) => self.status = format!("Downloaded {} as {}", file.count, file.name),
            Err(why) => self.error = Some(format!("The download failed: {why}.")),
        }
        if !left_out.is_empty() {
            let why: Vec<String> = left_out.iter().map(|(_, why)| why.clone()).collect();
            self.error = Some(format!(
                "{} checked claim(s) were left out of the ClaimReview file: {}.",
                left_out.len(),
                why.join("; ")
            ));
        }
    }
}
