//! The stand-alone page that Trunk builds: the annotator on its own.
//!
//! Its suggestion rules are the embed bundle's own module, loaded by the
//! same loader the embed uses (`embed/marginalia.js`'s `loadRules`, beside
//! the page in `embed/`): one way to load them, and to try again.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(inline_js = "export function rules_loader() {
  return () => import(new URL('embed/marginalia.js', document.baseURI)).then((embed) => embed.loadRules());
}")]
extern "C" {
    fn rules_loader() -> js_sys::Function;
}

fn main() {
    marginalia::page::start(marginalia::rules::Source::Module(rules_loader()));
}
