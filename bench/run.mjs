// Marginalia's benchmark: the release embed bundle in headless Chromium
// against two references measured in the same run, interleaved — plain text
// without annotations, and the same annotations painted with the CSS Custom
// Highlight API in a few lines of JavaScript. The widget is measured twice:
// showing the text it is given, and in place on an article the host
// rendered. Every widget figure is reported as a ratio to the references;
// absolute times on a shared machine are noise. The report ends with issue
// 30's budgets (BUDGETS), judged against the references of the same run.
//
//   node bench/run.mjs SITE_DIR   (cargo xtask bench builds SITE_DIR and runs this)
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeAnnotations, makeDocument } from './data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(join(root, 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');

// ---------- budgets (issue 30) ----------
// The one place the budgets are defined. Each measure reads a cell's
// widget figure and the reference figure it is held to; a budget bounds
// their ratio (`ratio`) or their difference in ms (`plus`), in the cells
// it names, or in every cell of the full run (`every`) — a cell a narrowed
// run left out is reported as not measured, never dropped. The report
// prints them; an unmet budget does not fail the run.
const MEASURES = {
  load: ['load, own text ×highlight load', (c) => [c.load_ms.widget, c.load_ms.highlight]],
  in_place: ['load, in place ×highlight load', (c) => [c.in_place.load_ms, c.load_ms.highlight]],
  positions_off: ['load, positions off ×own text load', (c) => [c.positions_off.load_ms, c.load_ms.widget]],
  first_paint: ['from storage, in place, first paint ×highlight load', (c) => [c.in_place.first_paint_ms, c.load_ms.highlight]],
  add_top: ['add top, own text vs highlight add', (c) => [c.add_top_ms.widget, c.add_top_ms.highlight]],
  add_end: ['add end, own text vs highlight add', (c) => [c.add_end_ms.widget, c.add_end_ms.highlight]],
  in_place_add_top: ['add top, in place vs highlight add', (c) => [c.in_place.add_top_ms, c.add_top_ms.highlight]],
  in_place_add_end: ['add end, in place vs highlight add', (c) => [c.in_place.add_end_ms, c.add_end_ms.highlight]],
  memory: ['memory after load, own text ×highlight', (c) => [c.memory_bytes.widget, c.memory_bytes.highlight]],
};
const BUDGETS = [
  { cells: [[1_000_000, 10_000]], measures: ['load', 'in_place'], ratio: 1.3 },
  { cells: [[1_000_000, 10_000]], measures: ['positions_off'], ratio: 1.2 },
  { cells: [[100_000, 1_000], [10_000, 1_000]], measures: ['load', 'in_place'], ratio: 1.5 },
  { cells: [[10_000, 10_000]], measures: ['load', 'in_place'], ratio: 2 },
  { cells: [[10_000, 100]], measures: ['first_paint'], ratio: 2 },
  { cells: [[1_000_000, 10_000]], measures: ['first_paint'], ratio: 1.3 },
  { cells: 'every', measures: ['add_top', 'add_end', 'in_place_add_top', 'in_place_add_end'], plus: 16 },
  { cells: [[1_000_000, 10_000]], measures: ['memory'], ratio: 2 },
];
// The full run's cells, for `every`.
const FULL_SIZES = [10_000, 100_000, 1_000_000];
const FULL_COUNTS = [100, 1_000, 10_000];

const site = resolve(process.argv[2] ?? join(root, 'target', 'bench', 'site'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const list = (name, fallback) => (process.env[name] ? process.env[name].split(',').map(Number) : fallback);
// BENCH_SIZES / BENCH_COUNTS / BENCH_RUNS narrow a run for a quick look.
const SIZES = list('BENCH_SIZES', FULL_SIZES);
const COUNTS = list('BENCH_COUNTS', FULL_COUNTS);
const port = 4300 + Math.floor(Math.random() * 500);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------- in-page measurements ----------
// Each runs in a fresh page; it returns { ms, memory, nodes } or an add latency.

/**
 * Installed in every bench page (context.addInitScript): the bytes the page
 * holds, plus `wasmBytes` of WebAssembly linear memory.
 *
 * Why this and not usedJSHeapSize: the highlight reference keeps almost
 * all it makes (paragraphs, text nodes, Ranges, Highlights) in Blink's
 * DOM heap, which usedJSHeapSize does not count, and its deltas move with
 * when V8 last collected — the last run read the reference's as 0 KB at
 * every 1,000 and 10,000 cell. measureUserAgentSpecificMemory() counts
 * the JS heap and the DOM heap of live objects alone (it measures during
 * a full collection, so garbage is not counted) for both sides the same
 * way. It does not count WebAssembly memory (its backing store is outside
 * the heaps: a widget page's reading grew by 4 MB while its linear memory
 * grew by 105 MB), so the widget's linear memory is added as the
 * module reports it; linear memory never shrinks, so that is what the page
 * holds. Not counted on either side: layout objects, compiled code, and
 * the text of DOM text nodes (Blink keeps it outside both heaps), so the
 * reference's copy of the document is free while the widget's copy in its
 * linear memory counts — about the document's size against the widget.
 *
 * A page's inputs are in both readings: `hold` keeps them alive to the
 * last one, else a page that no longer uses its arguments (V8 keeps only
 * live registers of a suspended async function) is credited with their
 * size: at 1 MB, more than the plain page's paragraphs cost.
 *
 * The API needs a cross-origin isolated page (the server's `isolated`
 * option) and, without ForceEagerMeasureMemory, waits for V8's next
 * collection: 8 to 18 s a reading here.
 */
function installMemory() {
  const held = [];
  globalThis.benchMemory = async (wasmBytes = 0) => {
    if (!globalThis.crossOriginIsolated) throw new Error('bench page not cross-origin isolated: no memory measurement');
    const { bytes } = await performance.measureUserAgentSpecificMemory();
    return bytes + wasmBytes;
  };
  globalThis.benchMemory.hold = (inputs) => held.push(inputs);
}

/**
 * Installed in every bench page: `savedIds(documentId)`, the ids storage
 * holds for a document, its envelope's with its log's entries over them
 * (a save after one edit writes only the log).
 */
function installSavedIds() {
  globalThis.savedIds = (documentId) => {
    const envelope = JSON.parse(localStorage.getItem(`marginalia:v1:doc:${documentId}`) ?? '{"annotations":[]}');
    const ids = new Set(envelope.annotations.map((a) => a.id));
    for (const line of (localStorage.getItem(`marginalia:v1:log:${documentId}`) ?? '').split('\n').slice(1).filter(Boolean)) {
      const entry = JSON.parse(line);
      for (const a of entry.annotations ?? []) ids.add(a.id);
      for (const t of entry.deleted ?? []) ids.delete(t.id);
    }
    return ids;
  };
}

async function plainPage({ lines }) {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  benchMemory.hold(arguments[0]);
  const memory0 = await benchMemory();
  globalThis.gc?.();
  const t0 = performance.now();
  const host = document.getElementById('host');
  for (const line of lines) {
    const p = document.createElement('p');
    p.textContent = line;
    host.append(p);
  }
  await frames();
  const ms = performance.now() - t0;
  return { ms, memory: (await benchMemory()) - memory0, nodes: document.getElementsByTagName('*').length };
}

async function highlightPage({ lines, marks, add }) {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // UTF-16 offset of code point `cp` in `text`.
  const unit = (text, cp) => {
    let u = 0;
    let i = 0;
    for (const ch of text) {
      if (i++ === cp) break;
      u += ch.length;
    }
    return u;
  };
  benchMemory.hold(arguments[0]);
  const memory0 = await benchMemory();
  globalThis.gc?.();
  const t0 = performance.now();
  const host = document.getElementById('host');
  const nodes = lines.map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    host.append(p);
    return p.firstChild;
  });
  const highlights = { claim: new Highlight(), quote: new Highlight(), caption: new Highlight() };
  const range = ({ p, from, to }) => {
    const r = new Range();
    r.setStart(nodes[p], unit(lines[p], from));
    r.setEnd(nodes[p], unit(lines[p], to));
    return r;
  };
  for (const m of marks) highlights[m.tag].add(range(m));
  for (const [name, h] of Object.entries(highlights)) CSS.highlights.set(name, h);
  await frames();
  const ms = performance.now() - t0;
  const out = { ms, memory: (await benchMemory()) - memory0, nodes: document.getElementsByTagName('*').length };
  // Adding one annotation, at the top and at the end.
  for (const [where, m] of Object.entries(add)) {
    // Garbage from the load is collected first, for the reference and the
    // widget alike, so it does not land in the add.
    globalThis.gc?.();
    const t = performance.now();
    highlights.claim.add(range(m));
    await frames();
    out[`add_${where}`] = performance.now() - t;
  }
  return out;
}

async function widgetPage({ text, annotations, add, fromStorage, expected, handleAdds }) {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // Memory from before the module is imported, as the references' from
  // their blank page: the widget's footprint includes its modules' own
  // linear memory, which the references do not have.
  benchMemory.hold(arguments[0]);
  const memory0 = await benchMemory();
  const { default: init, mount, preload, memoryBytes } = await import('/embed/marginalia.js');
  await init();
  // The annotator is loaded before the clock starts, as it was when it was
  // the only module; the first paint is timed on its own (storedPage).
  await preload();
  const countNodes = (root) => {
    let n = 0;
    for (const el of root.querySelectorAll('*')) {
      n += 1;
      if (el.shadowRoot) n += countNodes(el.shadowRoot);
    }
    return n;
  };
  // The widget renders asynchronously: "painted" is two frames after its
  // panel counts every annotation (the counts render in the same pass as
  // the highlights), polled once a frame.
  const counted = () => {
    const counts = document.querySelector('[data-marginalia]')?.shadowRoot?.querySelector('[data-testid=counts]');
    return (counts?.textContent ?? '').split('·').reduce((sum, part) => sum + (parseInt(part, 10) || 0), 0);
  };
  const settle = async (want) => {
    // The work the change queued as microtasks (Yew renders there) comes
    // first, so a change shown in the next frame is not charged a frame
    // more than the reference for being polled.
    await Promise.resolve();
    for (let i = 0; i < 6000 && counted() !== want; i++) {
      await new Promise((r) => requestAnimationFrame(r));
    }
    await frames();
  };
  globalThis.gc?.();
  const t0 = performance.now();
  const handle = mount(document.getElementById('host'), { text, documentId: 'bench' });
  await handle.ready;
  if (!fromStorage) handle.setAnnotations(annotations);
  await settle(expected ?? annotations.length);
  const ms = performance.now() - t0;
  const wasm = memoryBytes();
  const out = { ms, memory: (await benchMemory(wasm)) - memory0, wasm, nodes: countNodes(document) };
  out.count = handle.annotations().length;
  // The suggestions engine, in its own module (loaded by now: idle after
  // the mount, or here), by suggest().
  if (!fromStorage) {
    const ts = performance.now();
    out.suggestions = (await handle.suggest()).length;
    out.suggest_ms = performance.now() - ts;
    // The rules alone, as the widget's own User Timing measure records them.
    out.suggest_rules_ms = performance.getEntriesByName('marginalia:suggest', 'measure').at(-1)?.duration ?? null;
  }
  // One annotation through the handle (a host that syncs), timed until
  // painted; then a 10 KB quote changed here and there (anchored fuzzily)
  // and one that is nowhere (orphaned), timed for the call alone.
  if (handleAdds) {
    // As a host would add later: once the load's own work (its save at the
    // first idle moment) is done.
    await new Promise((r) => requestIdleCallback(r));
    await frames();
    const before = counted();
    // Garbage from the load is collected first, for the reference and the
    // widget alike, so it does not land in the add.
    globalThis.gc?.();
    const t = performance.now();
    const report = handle.addAnnotation(handleAdds.one);
    await settle(before + 1);
    out.handle_add = performance.now() - t;
    if (report.accepted !== 1) throw new Error(`handle add refused: ${JSON.stringify(report.refused)}`);
    for (const [key, item, want] of [['fuzzy_10k', handleAdds.fuzzy, 'fuzzy'], ['orphan_10k', handleAdds.orphan, 'orphaned']]) {
      const tf = performance.now();
      const r = handle.addAnnotation(item);
      out[key] = performance.now() - tf;
      if (r.items[0].anchored !== want) throw new Error(`${key}: ${JSON.stringify(r.items[0])}`);
    }
  }
  if (add) {
    const shadow = document.querySelector('[data-marginalia]').shadowRoot;
    const article = shadow.querySelector('article');
    for (const [where, m] of Object.entries(add)) {
      // Select the span as a reader would, let the picker appear, then time the tag.
      const para = shadow.querySelector(`[data-para="${m.p}"]`);
      const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
      const locate = (cp) => {
        let left = [...m.text].slice(0, cp).join('').length;
        let node;
        while ((node = walker.nextNode())) {
          if (left <= node.data.length) return [node, left];
          left -= node.data.length;
        }
        throw new Error('offset outside the paragraph');
      };
      const [sn, so] = locate(m.from);
      walker.currentNode = para;
      const [en, eo] = locate(m.to);
      getSelection().setBaseAndExtent(sn, so, en, eo);
      article.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      await frames();
      const button = shadow.querySelector('.picker button[data-tag="claim"]');
      if (!button) throw new Error('no picker');
      const before = counted();
      // Garbage from the load is collected first, for the reference and the
      // widget alike, so it does not land in the add.
      globalThis.gc?.();
      const t = performance.now();
      button.click();
      await settle(before + 1);
      out[`add_${where}`] = performance.now() - t;
    }
    // The reload measured next loads what this page saved: wait until the
    // adds are written (a long write waits for an idle period, half a
    // second at most), not timed.
    const saved = () => savedIds('bench').size;
    for (let i = 0; i < 100 && saved() !== counted(); i++) await new Promise((r) => setTimeout(r, 50));
  }
  return out;
}

// The host renders the article itself (as plainPage does) and the widget
// annotates it in place: the cell a news site sees.
async function inPlacePage({ lines, annotations, add }) {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const { default: init, mount, preload } = await import('/embed/marginalia.js');
  await init();
  await preload();
  const controls = () => document.querySelector('body > [data-marginalia]')?.shadowRoot;
  const counted = () => {
    const counts = controls()?.querySelector('[data-testid=counts]');
    return (counts?.textContent ?? '').split('·').reduce((sum, part) => sum + (parseInt(part, 10) || 0), 0);
  };
  const settle = async (want) => {
    // The work the change queued as microtasks (Yew renders there) comes
    // first, so a change shown in the next frame is not charged a frame
    // more than the reference for being polled.
    await Promise.resolve();
    for (let i = 0; i < 6000 && counted() !== want; i++) {
      await new Promise((r) => requestAnimationFrame(r));
    }
    await frames();
  };
  globalThis.gc?.();
  const t0 = performance.now();
  const host = document.getElementById('host');
  const texts = lines.map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    host.append(p);
    return p.firstChild;
  });
  const handle = mount(host, { documentId: 'bench-in-place' });
  await handle.ready;
  handle.setAnnotations(annotations);
  await settle(annotations.length);
  const out = { ms: performance.now() - t0 };
  // What the widget added inside the article: nothing, by design.
  out.article_nodes_added = host.querySelectorAll('*').length - lines.length;
  for (const [where, m] of Object.entries(add)) {
    const unit = (cp) => [...m.text].slice(0, cp).join('').length;
    getSelection().setBaseAndExtent(texts[m.p], unit(m.from), texts[m.p], unit(m.to));
    host.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    await frames();
    const button = controls()?.querySelector('.picker button[data-tag="claim"]');
    if (!button) throw new Error('no picker');
    const before = counted();
    // Garbage from the load is collected first, for the reference and the
    // widget alike, so it does not land in the add.
    globalThis.gc?.();
    const t = performance.now();
    button.click();
    await settle(before + 1);
    out[`add_${where}`] = performance.now() - t;
  }
  out.article_nodes_added_after_adds = host.querySelectorAll('*').length - lines.length;
  return out;
}

// From storage, in place: how long the host's reader waits until the saved
// highlights show, timed from before the module is imported (the host's
// page, with this context's cache). `annotator` mounts the annotator at
// once, as every mount did before the first paint (and as `preload()` and
// `handle.ready` still do); else the first paint alone.
async function storedPage({ lines, annotator }) {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const saved = savedIds('bench-in-place').size;
  const painted = () =>
    [...CSS.highlights.entries()].filter(([k]) => k.startsWith('marginalia-')).reduce((sum, [, h]) => sum + h.size, 0);
  globalThis.gc?.();
  const t0 = performance.now();
  const host = document.getElementById('host');
  for (const line of lines) {
    const p = document.createElement('p');
    p.textContent = line;
    host.append(p);
  }
  const { default: init, mount, preload } = await import('/embed/marginalia.js');
  await init();
  if (annotator) await preload();
  const handle = mount(host, { documentId: 'bench-in-place' });
  if (annotator) await handle.ready;
  for (let i = 0; i < 6000 && painted() < saved; i++) await new Promise((r) => requestAnimationFrame(r));
  await frames();
  return { ms: performance.now() - t0, painted: painted(), saved };
}

/** What the handle cells add: one short claim at the end, a 10 KB quote of
 * the middle paragraphs with every 400th letter changed (fuzzy), and a
 * 10 KB quote of letters in no paragraph (orphaned). */
function handleItems(lines) {
  const w3c = (id, exact) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:marginalia:annotation:${id}`,
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }],
    target: { source: 'urn:marginalia:document:bench', selector: [{ type: 'TextQuoteSelector', exact }] },
  });
  const last = [...lines[lines.length - 1]];
  const one = w3c('handle-one', last.slice(4, 24).join(''));
  let long = '';
  for (let i = Math.floor(lines.length / 2); long.length < 10_000 && i < lines.length; i++) long += `${lines[i]}\n`;
  const chars = [...long.slice(0, 10_000)];
  for (let i = 200; i < chars.length; i += 400) chars[i] = chars[i] === 'x' ? 'y' : 'x';
  return { one, fuzzy: w3c('handle-fuzzy', chars.join('')), orphan: w3c('handle-orphan', 'qzj '.repeat(2_500)) };
}

// ---------- the run ----------

// `isolated`: COOP/COEP headers, for the memory measurement (installMemory).
const server = spawn(process.execPath, [join(root, 'e2e', 'serve.mjs'), site, String(port), 'isolated'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}/harness.html`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc',
    // Memory measured at once, not at V8's next collection (installMemory).
    '--enable-blink-features=ForceEagerMeasureMemory',
  ],
});

async function newContext() {
  const context = await browser.newContext();
  await context.addInitScript(installMemory);
  await context.addInitScript(installSavedIds);
  return context;
}

async function fresh(context) {
  const page = await context.newPage();
  for (let i = 0; ; i++) {
    try {
      await page.goto(base);
      return page;
    } catch (e) {
      if (i > 20) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

// A page that does not finish in this time is recorded as not finished
// (null), and the cell's remaining runs of that variant are skipped.
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MS ?? 60_000);

async function measure(fn, arg, context) {
  const page = await fresh(context);
  try {
    return await Promise.race([
      page.evaluate(fn, arg),
      new Promise((resolve) => setTimeout(() => resolve(null), LIMIT_MS)),
    ]);
  } finally {
    await page.close().catch(() => {});
  }
}

const cells = [];
const sample = join(root, 'src', 'sample-article.txt');
for (const size of SIZES) {
  const lines = makeDocument(sample, size);
  const text = lines.join('\n');
  for (const count of COUNTS) {
    const all = makeAnnotations(lines, count);
    const marks = all.map((a) => ({ tag: a.body[0].value, ...a._bench }));
    const annotations = all.map(({ _bench, ...w3c }) => w3c);
    const first = lines[0];
    const lastP = lines.length - 1;
    const add = {
      top: { p: 0, from: 4, to: 14, text: first },
      end: { p: lastP, from: 4, to: 14, text: lines[lastP] },
    };
    // The same annotations with positions counted over a text with a blank
    // line between paragraphs (as textContent-based tools count): each is
    // off by the number of paragraphs before it.
    const offset = all.map(({ _bench, ...w3c }) => {
      const shifted = structuredClone(w3c);
      const pos = shifted.target.selector[1];
      pos.start += _bench.p;
      pos.end += _bench.p;
      return shifted;
    });
    const handleAdds = handleItems(lines);
    const samples = { plain: [], highlight: [], widget: [], reload: [], inplace: [], offset: [], first: [], stored: [] };
    const gaveUp = new Set();
    // One warm-up round, then RUNS rounds, each variant in a rotating order.
    for (let run = -1; run < RUNS; run++) {
      const order = ['plain', 'highlight', 'widget', 'inplace', 'offset'];
      for (let k = 0; k < ((run + 5) % 5); k++) order.push(order.shift());
      for (const variant of order) {
        if (gaveUp.has(variant)) continue;
        const context = await newContext();
        let result;
        if (variant === 'plain') result = await measure(plainPage, { lines }, context);
        if (variant === 'highlight') result = await measure(highlightPage, { lines, marks, add }, context);
        if (variant === 'inplace') {
          result = await measure(inPlacePage, { lines, annotations, add }, context);
          // What it saved, painted again by a new page: by the first paint,
          // and by the annotator (in turn first, run by run).
          const kinds = run % 2 ? [false, true] : [true, false];
          for (const annotator of result ? kinds : []) {
            const again = await measure(storedPage, { lines, annotator }, context);
            if (again && again.painted !== again.saved) throw new Error(`painted ${again.painted} of ${again.saved}`);
            if (run >= 0 && again) samples[annotator ? 'stored' : 'first'].push(again);
          }
        }
        if (variant === 'offset') result = await measure(widgetPage, { text, annotations: offset, handleAdds }, context);
        if (variant === 'widget') {
          result = await measure(widgetPage, { text, annotations, add }, context);
          // The same context keeps localStorage: a reload loads the saved annotations.
          // The saved set: the annotations and the two added by the first page.
          const expected = annotations.length + Object.keys(add).length;
          const reload = result && (await measure(widgetPage, { text, annotations, fromStorage: true, expected }, context));
          if (run >= 0 && reload) samples.reload.push(reload);
        }
        await context.close();
        if (!result) {
          gaveUp.add(variant);
          console.error(`  ${variant}: not finished within ${LIMIT_MS / 1000} s; skipped for this cell`);
          continue;
        }
        if (run >= 0) samples[variant].push(result);
      }
    }
    const m = (variant, key) => (samples[variant].length ? median(samples[variant].map((s) => s[key])) : null);
    const cell = {
      size,
      bytes: Buffer.byteLength(text),
      annotations: count,
      anchored: m('widget', 'count'),
      load_ms: { widget: m('widget', 'ms'), plain: m('plain', 'ms'), highlight: m('highlight', 'ms') },
      add_top_ms: { widget: m('widget', 'add_top'), highlight: m('highlight', 'add_top') },
      add_end_ms: { widget: m('widget', 'add_end'), highlight: m('highlight', 'add_end') },
      reload_ms: { widget: m('reload', 'ms') },
      in_place: {
        load_ms: m('inplace', 'ms'),
        add_top_ms: m('inplace', 'add_top'),
        add_end_ms: m('inplace', 'add_end'),
        article_nodes_added: m('inplace', 'article_nodes_added_after_adds'),
        first_paint_ms: m('first', 'ms'),
        annotator_paint_ms: m('stored', 'ms'),
        painted: m('first', 'painted'),
      },
      positions_off: {
        load_ms: m('offset', 'ms'),
        anchored: m('offset', 'count'),
        handle_add_ms: m('offset', 'handle_add'),
        fuzzy_10k_ms: m('offset', 'fuzzy_10k'),
        orphan_10k_ms: m('offset', 'orphan_10k'),
      },
      suggest_ms: m('widget', 'suggest_ms'),
      suggest_rules_ms: m('widget', 'suggest_rules_ms'),
      suggestions: m('widget', 'suggestions'),
      // JS and DOM heaps plus wasm linear memory after the load (installMemory).
      memory_bytes: { widget: m('widget', 'memory'), widget_wasm: m('widget', 'wasm'), plain: m('plain', 'memory'), highlight: m('highlight', 'memory') },
      dom_nodes: { widget: m('widget', 'nodes'), plain: m('plain', 'nodes'), highlight: m('highlight', 'nodes') },
      runs: RUNS,
    };
    cells.push(cell);
    console.error(`measured ${size} B × ${count}`);
  }
}
await browser.close();
server.kill();

const bundle = {};
for (const f of ['marginalia.js', 'marginalia_first_bg.wasm']) {
  const bytes = readFileSync(join(site, 'embed', f));
  bundle[f] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
bundle.total = {
  raw: Object.values(bundle).reduce((s, b) => s + b.raw, 0),
  gzip: Object.values(bundle).reduce((s, b) => s + b.gzip, 0),
};

// ---------- report ----------
const kb = (b) => (b == null ? 'DNF' : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.round(b / 1e3)} KB`);
const x = (a, b) => (a == null ? 'DNF' : b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const ms = (v, digits = 0) => (v == null ? 'DNF' : v.toFixed(digits));
const n = (v) => (v == null ? 'DNF' : v.toLocaleString('en'));
const rows = [
  '| document × annotations | load ms: widget / highlight / plain | load ×highlight | ×plain | add top ms: widget vs highlight | add end ms | reload ms (×highlight load) | memory (JS + DOM + wasm): widget / highlight (×highlight) | DOM nodes: widget / highlight | suggest ms: rules / whole call |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const c of cells) {
  rows.push(
    `| ${kb(c.bytes)} × ${c.annotations.toLocaleString('en')} | ${ms(c.load_ms.widget)} / ${ms(c.load_ms.highlight)} / ${ms(c.load_ms.plain)} | ${x(c.load_ms.widget, c.load_ms.highlight)} | ${x(c.load_ms.widget, c.load_ms.plain)} | ${ms(c.add_top_ms.widget, 1)} vs ${ms(c.add_top_ms.highlight, 1)} | ${ms(c.add_end_ms.widget, 1)} vs ${ms(c.add_end_ms.highlight, 1)} | ${ms(c.reload_ms.widget)} (${x(c.reload_ms.widget, c.load_ms.highlight)}) | ${kb(c.memory_bytes.widget)} (${kb(c.memory_bytes.widget_wasm)} wasm) / ${kb(c.memory_bytes.highlight)} (${x(c.memory_bytes.widget, c.memory_bytes.highlight)}) | ${n(c.dom_nodes.widget)} / ${n(c.dom_nodes.highlight)} | ${ms(c.suggest_rules_ms, 1)} / ${ms(c.suggest_ms, 1)} |`,
  );
}
rows.push('');
rows.push('In place (the host renders the article, the widget annotates it where it is):');
rows.push('');
rows.push('| document × annotations | load ms: in place / highlight | load ×highlight | add top ms: in place vs highlight (+ms) | add end ms (+ms) | nodes added in the article |');
rows.push('| --- | --- | --- | --- | --- | --- |');
const plus = (a, b) => (a == null || b == null ? 'DNF' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(1)}`);
for (const c of cells) {
  const p = c.in_place;
  rows.push(
    `| ${kb(c.bytes)} × ${c.annotations.toLocaleString('en')} | ${ms(p.load_ms)} / ${ms(c.load_ms.highlight)} | ${x(p.load_ms, c.load_ms.highlight)} | ${ms(p.add_top_ms, 1)} vs ${ms(c.add_top_ms.highlight, 1)} (${plus(p.add_top_ms, c.add_top_ms.highlight)}) | ${ms(p.add_end_ms, 1)} vs ${ms(c.add_end_ms.highlight, 1)} (${plus(p.add_end_ms, c.add_end_ms.highlight)}) | ${n(p.article_nodes_added)} |`,
  );
}
rows.push('');
rows.push('From storage, in place: until the saved highlights show, from before the module is imported:');
rows.push('');
rows.push('| document × highlights | first paint ms | the annotator ms (every mount before the first paint) | first paint ×annotator | first paint ×highlight load |');
rows.push('| --- | --- | --- | --- | --- |');
for (const c of cells) {
  const p = c.in_place;
  rows.push(
    `| ${kb(c.bytes)} × ${n(p.painted)} | ${ms(p.first_paint_ms)} | ${ms(p.annotator_paint_ms)} | ${x(p.first_paint_ms, p.annotator_paint_ms)} | ${x(p.first_paint_ms, c.load_ms.highlight)} |`,
  );
}
rows.push('');
rows.push('Positions off (counted with a blank line between paragraphs), and one annotation through the handle:');
rows.push('');
rows.push('| document × annotations | load ms: off / exact positions | off ×exact | anchored | handle add ms vs highlight add (+ms) | 10 KB quote ms: fuzzy / orphaned |');
rows.push('| --- | --- | --- | --- | --- | --- |');
for (const c of cells) {
  const o = c.positions_off;
  rows.push(
    `| ${kb(c.bytes)} × ${c.annotations.toLocaleString('en')} | ${ms(o.load_ms)} / ${ms(c.load_ms.widget)} | ${x(o.load_ms, c.load_ms.widget)} | ${n(o.anchored)} | ${ms(o.handle_add_ms, 1)} vs ${ms(c.add_end_ms.highlight, 1)} (${plus(o.handle_add_ms, c.add_end_ms.highlight)}) | ${ms(o.fuzzy_10k_ms, 1)} / ${ms(o.orphan_10k_ms, 1)} |`,
  );
}
rows.push('');
rows.push(`Bundle to mount (the first paint: wasm + JS, CSS inside): ${bundle.total.raw.toLocaleString('en')} B raw, ${bundle.total.gzip.toLocaleString('en')} B gzip -9.`);
const budgets = judgeBudgets(cells);
const met = budgets.filter((b) => b.met === true).length;
const measured = budgets.filter((b) => b.met !== 'not measured').length;
const metLine = `budgets met: ${met} of ${measured}${measured < budgets.length ? ` (${budgets.length - measured} not measured in this run)` : ''}`;
rows.push('');
rows.push('Budgets (issue 30), against the references measured in this run:');
rows.push('');
rows.push('| cell | measure | widget / reference | ratio or difference | budget | met |');
rows.push('| --- | --- | --- | --- | --- | --- |');
for (const b of budgets) rows.push(budgetRow(b));
rows.push('');
rows.push(metLine);
const table = rows.join('\n');
console.log(table);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `bench-${stamp}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs: RUNS, cells, bundle, budgets, budgets_met: { met, measured }, table }, null, 2));
console.error(`written ${file}`);
console.error(metLine);

/** Every budget in every cell it names, each with its figures and whether it is met. */
function judgeBudgets(cells) {
  const out = [];
  for (const budget of BUDGETS) {
    const where = budget.cells === 'every' ? FULL_SIZES.flatMap((size) => FULL_COUNTS.map((count) => [size, count])) : budget.cells;
    for (const [size, count] of where) {
      const cell = cells.find((c) => c.size === size && c.annotations === count);
      for (const key of budget.measures) out.push(judge(budget, key, size, count, cell));
    }
  }
  return out;
}

function judge(budget, key, size, count, cell) {
  const [measure, figures] = MEASURES[key];
  const bound = budget.ratio ? `≤ ${budget.ratio}×` : `≤ +${budget.plus} ms`;
  const limit = budget.ratio ?? budget.plus;
  const row = { cell: `${kb(size)} × ${count.toLocaleString('en')}`, size, annotations: count, key, measure, budget: bound, limit };
  if (!cell) return { ...row, met: 'not measured' };
  const [widget, reference] = figures(cell);
  // A side that did not finish within the limit (null) does not meet it.
  if (widget == null || reference == null || (budget.ratio && reference <= 0)) return { ...row, widget, reference, met: false };
  if (budget.ratio) return { ...row, widget, reference, ratio: widget / reference, met: widget / reference <= budget.ratio };
  return { ...row, widget, reference, delta_ms: widget - reference, met: widget - reference <= budget.plus };
}

function budgetRow(b) {
  const figure = b.key === 'memory' ? kb : (v) => ms(v, 1);
  const pair = b.met === 'not measured' ? '–' : `${figure(b.widget)} / ${figure(b.reference)}`;
  const by = b.ratio != null ? `${b.ratio.toFixed(2)}×` : b.delta_ms != null ? plus(b.widget, b.reference) : '–';
  const verdict = b.met === 'not measured' ? 'not measured' : b.met ? 'yes' : '**no**';
  return `| ${b.cell} | ${b.measure} | ${pair} | ${by} | ${b.budget} | ${verdict} |`;
}
