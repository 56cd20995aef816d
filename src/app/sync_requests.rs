//! The extra requests a sync round may need besides its push and pull: the
//! server's versions of documents a push conflicted on, a conflicted
//! document's other leaves, and the pull checkpoint kept on the server.
//! Each is sent here and answered through a `SyncMsg` to `sync.rs`.

use super::{App, Msg};
use crate::sync::http::{request, Reply};
use crate::sync::{SyncMsg, SHORT_DEADLINE_MS};
use marginalia_core::sync::{checkpoint_path, doc_id, encode_component, from_doc, Incoming};
use marginalia_core::AnnotationId;
use serde_json::{json, Value};
use yew::prelude::*;

impl App {
    /// Fetches the server's versions of the documents a push conflicted on.
    pub(super) fn sync_fetch(&mut self, ctx: &Context<Self>, round: u32, key: &str, ids: &[String]) {
        let Some(s) = self.sync.as_ref() else { return };
        let config = s.config.clone();
        let paths: Vec<String> = ids
            .iter()
            .filter_map(|id| AnnotationId::parse(id))
            .map(|id| format!("{}?conflicts=true", encode_component(&doc_id(key, &id))))
            .collect();
        ctx.link().send_future(async move {
            let mut replies = Vec::new();
            for path in paths {
                replies.push(request(&config, "GET", &path, None, SHORT_DEADLINE_MS).await);
            }
            Msg::Sync(SyncMsg::Fetched { round, replies })
        });
    }

    /// Fetches a conflicted document's other leaves, to settle them.
    pub(super) fn sync_leaves(&mut self, ctx: &Context<Self>, round: u32, key: &str, current: Incoming) {
        let Some(s) = self.sync.as_ref() else { return };
        let config = s.config.clone();
        let id = encode_component(&doc_id(key, current.entry.id()));
        let paths: Vec<String> =
            current.conflicts.iter().map(|rev| format!("{id}?rev={}", encode_component(rev))).collect();
        ctx.link().send_future(async move {
            let mut replies = Vec::new();
            for path in paths {
                replies.push(request(&config, "GET", &path, None, SHORT_DEADLINE_MS).await);
            }
            Msg::Sync(SyncMsg::Leaves { round, current: Box::new(current), replies })
        });
    }

    /// Keeps the pull checkpoint on the server too, in a `_local` document
    /// (never replicated), so a reader's other browser state can resume.
    /// One write at a time: two in flight would carry the same `_rev`, and
    /// the second would be refused (409); pulls that end meanwhile are
    /// written when it returns (`Checkpointed`).
    pub(super) fn sync_checkpoint(&mut self, ctx: &Context<Self>) {
        let Some(s) = self.sync.as_mut() else { return };
        if s.checkpointing {
            return;
        }
        let (Some(key), Some(seq)) = (s.key.clone(), s.state.checkpoint.clone()) else { return };
        s.checkpointing = true;
        let (config, round, known) = (s.config.clone(), s.round, s.state.checkpoint_rev.clone());
        let path = checkpoint_path(&key, &s.replica);
        ctx.link().send_future(async move {
            let put = |rev: Option<String>| {
                let mut doc = json!({ "last_seq": seq });
                if let Some(rev) = rev {
                    doc["_rev"] = json!(rev);
                }
                doc
            };
            let revision =
                |r: &Reply| r.ok_body().and_then(|v| v.get("rev")).and_then(Value::as_str).map(str::to_string);
            let written = seq.clone();
            let mut reply = request(&config, "PUT", &path, Some(&put(known)), SHORT_DEADLINE_MS).await;
            if reply.status == 409 {
                // Written meanwhile elsewhere (another tab): update that one.
                let old = request(&config, "GET", &path, None, SHORT_DEADLINE_MS).await;
                let rev = old.ok_body().and_then(|v| v.get("_rev")).and_then(Value::as_str).map(str::to_string);
                reply = request(&config, "PUT", &path, Some(&put(rev)), SHORT_DEADLINE_MS).await;
            }
            Msg::Sync(SyncMsg::Checkpointed { round, written, rev: revision(&reply) })
        });
    }
}

/// The annotation documents among fetched replies; what is not one (a
/// 404, a damaged document) is left out, to be met again on the next pull.
pub(super) fn documents(replies: &[Reply], key: &str) -> Vec<Incoming> {
    replies.iter().filter_map(Reply::ok_body).filter_map(|v| from_doc(v, key).ok()).collect()
}
