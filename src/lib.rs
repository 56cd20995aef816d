//! Marginalia's browser shell: Yew components over the pure model in
//! `marginalia-core`.
//!
//! The shell does what the core cannot: it reads the DOM selection
//! ([`selection`], the one module that maps DOM positions to code points),
//! talks to localStorage ([`storage`]), reads the clock ([`clock`]) and
//! renders. Every decision — what a selection tags, what is saved, how
//! overlapping highlights nest — is asked of the core.

pub mod app;
mod article;
mod clock;
mod loader;
mod panel;
mod picker;
mod popover;
pub mod selection;
mod storage;

pub use app::{App, AppProps};

/// Mounts the annotator on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
