// Marginalia's embed module. A host page needs only this file:
//
//   import init, { mount } from "./marginalia.js";
//   await init();
//   const handle = mount(document.querySelector("article"), { documentId: "story-42" });
//
// or, after init(), the <marginalia-annotator> element. The module brings its
// own styles (adopted into the widget's shadow root and, for the highlights,
// by the document) and uses no eval.
import initWasm, { mount } from './marginalia_glue.js';

export { mount };

const ELEMENT = 'marginalia-annotator';
let ready;

/** Loads the WebAssembly once; later calls return the same promise. */
export default function init(wasmUrl) {
  ready ??= initWasm({ module_or_path: wasmUrl ?? new URL('./marginalia_bg.wasm', import.meta.url) }).then((exports) => {
    defineElement();
    return exports;
  });
  return ready;
}

function optionsOf(el) {
  const options = {};
  const id = el.getAttribute('document-id');
  if (id) options.documentId = id;
  if (el.hasAttribute('read-only')) options.readOnly = true;
  if (el.getAttribute('panel') === 'false') options.panel = false;
  return options;
}

// Another copy of this module (imported under another URL) may have
// defined the element already; defining it twice would throw.
function defineElement() {
  if (customElements.get(ELEMENT)) return;
  customElements.define(
    ELEMENT,
    class MarginaliaAnnotator extends HTMLElement {
      #handle = null;

      connectedCallback() {
        if (this.#handle) return;
        // The element's children are the article, annotated in place and
        // left as they are; its own shadow root shows them (a slot) with
        // the panel after them, so the panel stays beside its article.
        const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
        const panel = document.createElement('div');
        root.replaceChildren(document.createElement('slot'), panel);
        const options = optionsOf(this);
        options.panel ??= panel;
        try {
          this.#handle = mount(this, options);
        } catch (error) {
          console.warn(`<${ELEMENT}>: ${error.message ?? error}`);
        }
      }

      disconnectedCallback() {
        this.#handle?.destroy();
        this.#handle = null;
        this.shadowRoot?.replaceChildren();
      }

      /** The same handle mount() returns: annotations(), setAnnotations(), on(), off(). */
      get handle() {
        return this.#handle;
      }
    },
  );
}
