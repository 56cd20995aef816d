//! What comes from outside the reader's hands: the embed handle's sets,
//! an annotation file imported, the host's edits to its article. Each goes
//! through the core, which decides what is kept, placed or refused.

use super::{clock, App, Context, HostOp, Source};
use crate::text_map::TextMap;
use marginalia_core::session::{Effect, Event};
use marginalia_core::w3c::Importer;
use marginalia_core::Action;
use marginalia_core::{interchange, placement};
use std::rc::Rc;

impl App {
    /// Takes what the embed handle set since the last time: every
    /// annotation replaced, then single puts and removals, in order. None
    /// of it is told back to the embedder as events: the page made it.
    pub(super) fn take_incoming(&mut self, ctx: &Context<Self>) -> bool {
        let (items, ops) = {
            let mut shared = ctx.props().mirror.0.borrow_mut();
            (shared.incoming.take(), std::mem::take(&mut shared.ops))
        };
        if items.is_none() && ops.is_empty() {
            return false;
        }
        if let Some(items) = items {
            self.update_session(ctx, Event::Replace(items, clock::env().now_ms));
            self.status = "Annotations replaced".into();
        }
        // The handle answered each by the same rules against the same
        // state; a reader's edit in between can still refuse one: said.
        for op in ops {
            let event = match op {
                HostOp::Put(a) => Event::Put(a, clock::env().now_ms),
                HostOp::Remove(id) => Event::Act(Action::Delete { id }, clock::env()),
            };
            for answer in self.update_session(ctx, event) {
                self.status = match answer {
                    Effect::Put(put) => match *put {
                        Ok(Some(change)) if change.before.is_some() => "Annotation changed by the page".into(),
                        Ok(Some(_)) => "Annotation added by the page".into(),
                        Ok(None) => "The page's annotation was already as given".into(),
                        Err(why) => format!("The page's change was not made: it was {why}"),
                    },
                    Effect::Applied(Ok(_)) => "Annotation removed by the page".into(),
                    Effect::Applied(Err(why)) => format!("The page's removal was not made: {why}"),
                    _ => continue,
                };
            }
        }
        self.list_changed(ctx);
        self.forget_in_popover();
        self.place_label();
        self.save_soon(ctx);
        true
    }

    /// Adds the valid items of an annotation file (W3C JSON, or our CSV);
    /// reports every refusal, naming the item or row. Nothing already here
    /// is overwritten: an import only adds. A file that cannot be read at
    /// all is said next to the Import control, like the import's result.
    pub(super) fn import(&mut self, ctx: &Context<Self>, text: &str) {
        let batch = match interchange::read_batch(text.as_bytes()) {
            Ok(batch) => batch,
            Err(why) => {
                // As any import's result, it replaces the last one's refusals.
                self.error = None;
                self.status = format!("Nothing was imported: {why}.");
                return;
            }
        };
        let doc = self.session.annotator().document().clone();
        let tags = self.session.annotator().tags().clone();
        let scale = &ctx.props().scale;
        let importer = Importer::new(&doc, clock::env().now_ms).with_tags(&tags).with_scale(scale);
        let mut valid = Vec::new();
        let mut refused = Vec::new();
        let mut ambiguous = std::collections::HashSet::new();
        for (entry, result) in batch.entries.iter().zip(batch.import(&importer)) {
            match result {
                Ok((a, found)) => {
                    if placement::is_ambiguous(&found) {
                        ambiguous.insert(a.id.clone());
                    }
                    valid.push(a);
                }
                Err(why) => refused.push(format!("{}: {}", entry.name, why.reason)),
            }
        }
        let answers = self.update_session(ctx, Event::Import(valid, clock::env().now_ms));
        let Some((created, skipped)) = answers.into_iter().find_map(|e| match e {
            Effect::Imported { created, skipped } => Some((created, skipped)),
            _ => None,
        }) else {
            return;
        };
        let added = created.len();
        let fuzzy = created.iter().filter(|c| c.after.as_ref().is_some_and(|a| a.fuzzy.is_some())).count();
        // Only what came in counts: an item already here was not placed.
        let ambiguous = created.iter().filter(|c| ambiguous.contains(&c.id)).count();
        self.list_changed(ctx);
        self.save_soon(ctx);
        self.tell_changes(ctx, created);
        self.status = format!("Imported {added} annotation(s)");
        if !skipped.is_empty() {
            self.status.push_str(&format!("; {} already here were kept as they are", skipped.len()));
        }
        if fuzzy > 0 {
            self.status.push_str(&format!("; {fuzzy} placed by a fuzzy match, listed under To check"));
        }
        if ambiguous > 0 {
            self.status.push_str(&format!(
                "; {ambiguous} quote(s) occur more than once with no context to tell them apart, placed by their position or on the first"
            ));
        }
        self.error = (!refused.is_empty()).then(|| {
            format!("{} {}(s) of the file were not imported: {}.", refused.len(), batch.unit, refused.join("; "))
        });
    }

    /// The host changed its article: read it again and, if its text
    /// changed, place every annotation again through the core (position,
    /// quote with context, fuzzy, else orphaned: never drawn on the wrong
    /// text, never lost). The document key stays the one of the mount.
    pub(super) fn host_changed(&mut self, ctx: &Context<Self>) -> bool {
        let Source::InPlace { map } = &ctx.props().source else { return false };
        let fresh = Rc::new(TextMap::read(map.root()));
        let changed = fresh.document().text() != self.session.annotator().document().text();
        if changed {
            self.picker = None;
            self.current = None;
            self.hover = Vec::new();
            self.set_pending(ctx, Vec::new());
            self.suggested = false;
            // Placed again by the session: redrawn, saved, and said.
            self.update_session(ctx, Event::HostText(Rc::new(fresh.document().clone())));
        }
        // New text nodes, even for the same text: every range is made again.
        self.settle.borrow_mut().remap(fresh);
        self.place_label();
        true
    }
}
