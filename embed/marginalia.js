// Marginalia's embed module. A host page needs only this file (and the
// bundle's other files beside it):
//
//   import init, { mount } from "./marginalia.js";
//   await init();
//   const handle = mount(document.querySelector("article"), { documentId: "story-42" });
//   await handle.ready; // before calling the handle's methods
//
// or, after init(), the <marginalia-annotator> element. The module brings its
// own styles (adopted into the widget's shadow root and, for the highlights,
// by the document) and uses no eval.
//
// Three WebAssembly modules: init() loads the small first paint, which
// paints the saved highlights on the host's own article and shows a
// launcher; the annotator (panel, picker, import, export, sync) loads on the
// reader's first use — a selection, a click on a highlight, the article's
// keys, the launcher — or when `handle.ready` is asked for, and takes over
// with the same options. Options only the annotator serves (`text`, `sync`,
// `suggest`) load it at once. The suggestion rules load on the first Suggest
// (or `handle.suggest()`), or before it when the browser is idle.
import initFirstPaint, { firstPaint } from './marginalia_first_glue.js';

const ELEMENT = 'marginalia-annotator';
const EVENTS = ['create', 'update', 'delete', 'select'];
let ready;
/** Each module's load under way or done, by name; a failed one is forgotten. */
const loads = new Map();
/** How many times each module was asked for. */
const attempts = new Map();
/** Each module's wasm exports, once loaded (for `memoryBytes`). */
const loaded = [];
/** Elements with a widget mounted through this module. */
const mounted = new WeakSet();

/** Loads the first paint once; later calls return the same promise. */
export default function init(wasmUrl) {
  ready ??= initFirstPaint({
    module_or_path: wasmUrl ?? new URL('./marginalia_first_bg.wasm', import.meta.url),
  }).then((exports) => {
    loaded.push(exports);
    defineElement();
  });
  return ready;
}

/**
 * Loads the annotator now, for a host that will use it at once (a desk
 * that calls the handle's methods on load): `handle.ready` then waits for
 * nothing more than the mount.
 */
export function preload() {
  return loadAnnotator().then(() => undefined);
}

/** The bytes of WebAssembly memory the loaded modules hold (for benchmarks). */
export function memoryBytes() {
  return loaded.reduce((sum, exports) => sum + (exports?.memory?.buffer?.byteLength ?? 0), 0);
}

/**
 * Loads the module `name` (its `_glue.js` and `_bg.wasm`) once; after a
 * failure, the next call tries again.
 */
function loadModule(name) {
  if (!loads.has(name)) {
    // Browsers that keep a module's failed fetch under its URL (the older
    // rule; Chromium asks again) would refuse a retry there: it asks under
    // a new one.
    const attempt = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, attempt);
    const glue = attempt > 1 ? `./${name}_glue.js?attempt=${attempt}` : `./${name}_glue.js`;
    const load = import(glue)
      .then(async (module) => {
        loaded.push(await module.default({ module_or_path: new URL(`./${name}_bg.wasm`, import.meta.url) }));
        return module;
      })
      .catch((error) => {
        loads.delete(name);
        throw error;
      });
    loads.set(name, load);
  }
  return loads.get(name);
}

/** The annotator's module, once. */
const loadAnnotator = () => loadModule('marginalia');

/**
 * The suggestion rules' module, once: the annotator calls it on the first
 * Suggest (the stand-alone page imports it from here too).
 */
export const loadRules = () => loadModule('marginalia_rules');

/**
 * Turns `element` into an annotator. Options: `text`, `documentId`, `tags`
 * (`[{id, label, color}]`), `readOnly`, `panel`, `suggest`, `ratings`
 * (`[{id, label, value}]`), `organization` (`{name, url}`), `sync`
 * (`{url, database, credentials?: {username, password}}`). Throws on a bad
 * option. The handle's methods work once `handle.ready` has resolved.
 */
export function mount(element, options) {
  if (!(element instanceof Element)) throw new Error('mount() needs an element');
  if (mounted.has(element)) throw new Error('this element already has a Marginalia widget');
  return new Handle(element, options ?? {});
}

class Handle {
  #element;
  #options;
  #first;
  #widget = null;
  #loading = null;
  #handlers = [];
  #gone = false;

  constructor(element, options) {
    this.#element = element;
    this.#options = options;
    // A selection being made fetches the annotator before the mouse is let go.
    const prefetch = () => loadAnnotator().catch(() => {});
    this.#first = firstPaint(element, options, (event) => this.#wake(event), prefetch);
    mounted.add(element);
    if (this.#first.handover) this.#wake(null);
  }

  /** Resolves to this handle once the annotator has taken over. */
  get ready() {
    return this.#start(null);
  }

  /**
   * Loads the annotator, once at a time. A failure is shown on the page
   * (the first paint stays, and the reader's next use tries again) and
   * rejects `ready`.
   */
  #start(event) {
    if (!this.#loading) {
      // Said only when it takes long enough to notice.
      const slow = setTimeout(() => this.#first?.loading(), 400);
      const loading = this.#load(event);
      loading.finally(() => clearTimeout(slow)).catch(() => {});
      this.#loading = loading.catch((error) => {
        this.#loading = null;
        const why = error?.message ?? String(error);
        this.#first?.failed(why);
        throw new Error(`Marginalia could not load: ${why}`);
      });
    }
    return this.#loading;
  }

  #wake(event) {
    // Nobody may be awaiting a load the reader started: the page shows why.
    this.#start(event).catch(() => {});
  }

  async #load(event) {
    // Keys the reader presses in the article while the annotator loads
    // (a picker's digit after a selection) are kept for it, in order; but
    // not past a change of the selection: a key meant for one selection
    // must never act on another.
    const keys = [];
    let selections = 0;
    const moved = () => (selections += 1);
    const keep = (e) => {
      if (e.isTrusted && readingTarget(e, this.#element)) keys.push([e, selections]);
    };
    let keeping = Boolean(event);
    const stopKeeping = () => {
      keeping = false;
      removeEventListener('keydown', keep, true);
      document.removeEventListener('selectionchange', moved);
    };
    if (event) {
      addEventListener('keydown', keep, true);
      // The selection that woke the annotator may still announce itself.
      setTimeout(() => keeping && document.addEventListener('selectionchange', moved));
    }
    try {
      const module = await loadAnnotator();
      if (this.#gone) return this;
      const launcher = event?.type === 'click' && !this.#element.contains(event.target);
      // Where the first paint stood, the side panel opens if the reader
      // pressed the launcher, and stays closed, as the reader saw it, after
      // anything else.
      const options = this.#first.handover ? this.#options : { ...this.#options, panelOpen: launcher };
      // The annotator mounts first and the first paint goes after it, so the
      // highlights never flicker and a failure leaves them painted.
      // The first paint's sheet of highlight rules (for the same options)
      // is taken over, not adopted again: each change to the document's
      // sheets restyles the whole page.
      this.#widget = module.mount(this.#element, options, loadRules, this.#first.highlightSheet);
      this.#first.handOverSheet();
      this.#first.destroy();
      this.#first.free();
      this.#first = null;
      for (const [name, handler] of this.#handlers) this.#widget.on(name, handler);
      this.#handlers = [];
      if (event) {
        // The annotator acts on the event that woke it once it has
        // rendered, then on the keys, each after the last has rendered.
        await rendered();
        stopKeeping();
        replay(this.#element, this.#widget, event, launcher);
        for (const [key, at] of keys) {
          await rendered();
          if (at === selections && key.target.isConnected) key.target.dispatchEvent(new KeyboardEvent(key.type, key));
        }
      }
      return this;
    } finally {
      stopKeeping();
    }
  }

  #live(name) {
    if (this.#widget) return this.#widget;
    throw new Error(`Marginalia is still loading: await handle.ready before calling ${name}()`);
  }

  annotations() {
    return this.#live('annotations').annotations();
  }
  export(format) {
    return this.#live('export').export(format);
  }
  setAnnotations(list) {
    return this.#live('setAnnotations').setAnnotations(list);
  }
  addAnnotation(item) {
    return this.#live('addAnnotation').addAnnotation(item);
  }
  updateAnnotation(item) {
    return this.#live('updateAnnotation').updateAnnotation(item);
  }
  removeAnnotation(id) {
    return this.#live('removeAnnotation').removeAnnotation(id);
  }
  getAnnotation(id) {
    return this.#live('getAnnotation').getAnnotation(id);
  }
  /**
   * Resolves to the suggestions (W3C annotations by Software, pending),
   * loading the rules first if need be; rejects if they cannot load.
   */
  suggest() {
    return this.#live('suggest').suggest();
  }

  /** Handlers registered before the annotator loads are kept for it. */
  on(name, handler) {
    if (this.#widget) return this.#widget.on(name, handler);
    if (!EVENTS.includes(name)) throw new Error(`unknown event ${JSON.stringify(name)}: use create, update, delete or select`);
    if (typeof handler !== 'function') throw new Error('on() needs a function');
    this.#handlers.push([name, handler]);
  }
  off(name, handler) {
    if (this.#widget) return this.#widget.off(name, handler);
    if (!EVENTS.includes(name)) throw new Error(`unknown event ${JSON.stringify(name)}: use create, update, delete or select`);
    this.#handlers = this.#handlers.filter(([n, h]) => n !== name || h !== handler);
  }

  /** The widget's own element: the launcher's, then the annotator's. */
  get controls() {
    return this.#widget?.controls ?? this.#first?.controls;
  }

  destroy() {
    this.#gone = true;
    this.#widget?.destroy();
    this.#first?.destroy();
    this.#first?.free();
    this.#first = null;
    mounted.delete(this.#element);
  }
}

/** A task later: what the last step queued (a Yew render) has run. */
const rendered = () => new Promise((resolve) => setTimeout(resolve));

/** Whether a key is meant for the article: nothing has focus, or the article. */
function readingTarget(e, article) {
  const target = e.composedPath()[0];
  return target === document.body || target === document.documentElement || article.contains(target);
}

/** Hands the event of the first use to the annotator. */
function replay(element, widget, event, launcher) {
  if (launcher) {
    widget.controls?.shadowRoot?.querySelector('.panel-toggle')?.focus();
  } else if (event.type === 'selectionchange') {
    // A touch selection: the annotator reads it as a selection that ended.
    element.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, composed: true }));
  } else if (event.target?.isConnected) {
    event.target.dispatchEvent(new event.constructor(event.type, event));
  }
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

      /** The same handle mount() returns; its methods work once `handle.ready` resolves. */
      get handle() {
        return this.#handle;
      }
    },
  );
}
