//! The pure model of Marginalia, a reader's tool for tagging the claims,
//! quotes and captions of a news article.
//!
//! Nothing here knows about a browser: no DOM, no storage, no clock, no
//! randomness. The shell (the root `marginalia` crate) supplies those and
//! asks this crate every question whose answer is a decision:
//!
//! - [`document`]: the article as paragraphs and the one *document text*
//!   that every position counts into, with its fingerprint.
//! - [`offsets`]: code points (the W3C rule, and ours) to and from UTF-8
//!   bytes and UTF-16 units (what the DOM counts), never splitting a
//!   surrogate pair.
//! - [`span`], [`tag`], [`annotation`]: the values a reader makes; tags
//!   come in a [`TagSet`], the standard claim/quote/caption or a host's own.
//! - [`textmap`]: one block of a DOM (its text nodes and `<br>`s) to its
//!   paragraph of the document text and back, by the same whitespace rule.
//! - [`drafts`]: what a reader typed into a form and has not saved, per
//!   annotation and form; saved with the annotations, never exported.
//! - [`annotator`]: the state and its `apply(action)` update; which
//!   annotations cover a character (what a click opens).
//! - [`codec`]: the versioned storage envelope; [`encoder`]: writing it again
//!   after an edit, reusing each unchanged annotation's JSON.
//! - [`anchor`]: where an annotation belongs in a (changed) text, by its
//!   selectors; [`placement`]: the report of how each imported item was placed.
//! - [`w3c`]: W3C Web Annotation JSON-LD out and in, anchoring by selectors;
//!   [`time`]: the RFC 3339 timestamps it uses; [`interchange`]: the files
//!   a reader downloads and imports, our CSV read back by [`csv_in`].
//! - [`review`]: fact-checking values: a claim's verdict, explanation,
//!   sources and status on a rating scale, a quote's attribution.
//! - [`claimreview`]: schema.org ClaimReview JSON-LD for every checked
//!   claim, and which checked claims cannot be published, and why.
//! - [`report`]: the readable fact-check report of a page's claims and
//!   quotes, one model for the Markdown download and the print view;
//!   [`markdown`]: reader text as CommonMark that cannot become markup.
//! - [`theme`]: the CSS rules that colour each tag of a set.
//! - [`suggest`]: a suggestion as the model knows it, a rejection, and what
//!   is left for the reader to decide (the rules are `marginalia-suggest`).
//! - [`sync`]: sync with a CouchDB-compatible server, as data: documents,
//!   conflicts settled by the merge's rule, the outbox, what a reply means.

pub mod anchor;
pub mod annotation;
pub mod annotator;
pub mod article_details;
pub mod claim_facts;
pub mod claimreview;
pub mod claimreview_markup;
pub mod codec;
pub mod csv_in;
pub mod dock;
pub mod document;
pub mod drafts;
pub mod encoder;
pub mod fact_check_url;
pub mod field_times;
pub mod history;
pub mod interchange;
pub mod json;
pub mod label_spot;
pub mod markdown;
pub mod merge;
pub mod offsets;
pub mod placement;
pub mod query;
pub mod repeat;
pub mod report;
pub mod review;
pub mod session;
pub mod span;
pub mod suggest;
pub mod sync;
pub mod tag;
pub mod textmap;
pub mod theme;
pub mod time;
pub mod w3c;

pub use annotation::{Annotation, AnnotationId, TextQuote};
pub use annotator::{tidy_selection, Action, ActionError, Annotator, Env, Outcome};
pub use document::{Document, Fingerprint, Paragraph};
pub use span::Span;
pub use tag::{Color, Tag, TagDef, TagSet};
