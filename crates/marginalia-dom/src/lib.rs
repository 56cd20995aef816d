//! Marginalia's DOM side, with no UI framework in it: what both of the
//! browser modules need, the full annotator (`marginalia`, with Yew) and the
//! small first-paint module a host page downloads to mount
//! (`marginalia-first-paint`).
//!
//! - [`text_map`] — the one module that maps DOM positions to code points
//!   and back (the rule is in ARCHITECTURE.md);
//! - [`paint`] — highlights through the CSS Custom Highlight API, with the
//!   [`overlay`] fallback where a browser has none;
//! - [`selection`] — the reader's selection through the text map, and
//!   [`keys`], keyboard-only reading; [`targets`] — which event targets
//!   are the article's and which are controls;
//! - [`hit`] — the code point under a pointer;
//! - [`observe`] — changes to a host's article, debounced;
//! - [`launcher`] — the corner of the closed side panel's button;
//! - [`options`] — the embedder's `mount` options; [`sheet`] — the
//!   document's adopted stylesheets, and the modules' own (minified at
//!   build time by `minify`).
//!
//! Decisions stay in `marginalia-core`; this crate only reads and draws.

pub mod hit;
pub mod keys;
pub mod launcher;
#[cfg(test)]
mod minify;
pub mod observe;
pub mod options;
pub mod overlay;
pub mod paint;
pub mod selection;
pub mod sheet;
mod shown;
pub mod targets;
pub mod text_map;
