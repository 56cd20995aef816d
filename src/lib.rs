//! Marginalia's browser shell: Yew components over the pure model in
//! `marginalia-core`, mountable on any element.
//!
//! The shell does what the core cannot: it reads the DOM selection
//! ([`selection`], the one module that maps DOM positions to code points),
//! talks to localStorage ([`storage`]), reads the clock ([`clock`]) and
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
mod clock;
mod disclosure;
mod download;
pub mod embed;
mod exports;
mod float;
mod keys;
mod label;
mod loader;
mod note;
pub mod page;
mod panel;
mod picker;
mod popover;
mod print;
mod review_editor;
pub mod selection;
mod settle;
mod storage;
mod suggestions;
mod sync;
mod sync_form;
mod transfer;
pub mod widget;

pub use app::{App, AppProps};
pub use marginalia_dom::text_map;
use marginalia_dom::{hit, observe, paint};
