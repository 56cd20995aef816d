//! Marginalia's browser shell: Yew components over the pure model in
//! `marginalia-core`, mountable on any element.
//!
//! The shell does what the core cannot: it reads the DOM selection
//! ([`selection`], through [`text_map`], the one module that maps DOM
//! positions to code points; both in `marginalia-dom`, which the first
//! paint shares), talks to localStorage ([`storage`]), reads the clock ([`clock`]) and
//! renders. Every decision — what a selection tags, what is saved, how
//! overlapping highlights nest, how W3C annotations anchor — is asked of
//! the core.
//!
//! [`widget::mount`] puts the annotator in a shadow root on any element;
//! [`embed`] exposes it to JavaScript (`mount`, the handle, events);
//! [`page`] is the stand-alone page, one more user of `widget::mount`.

pub mod app;
mod article;
mod attribution_editor;
mod checks;
mod claim_fields;
mod clock;
mod disclosure;
mod download;
mod drafts;
mod editor;
pub mod embed;
mod exports;
mod field_problems;
mod float;
mod html_file;
mod idle;
mod label;
mod loader;
mod metadata;
mod note;
pub mod page;
mod panel;
mod picker;
mod popover;
mod print;
mod publishing_form;
mod review_editor;
pub mod rules;
mod settle;
mod storage;
mod suggestion_popover;
mod suggestions;
mod sync;
mod sync_form;
mod transfer;
pub mod widget;

pub use app::{App, AppProps};
pub use marginalia_dom::selection;
pub use marginalia_dom::text_map;
use marginalia_dom::{hit, keys, observe, paint};
