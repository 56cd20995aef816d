// Where the widget's time goes: a CPU profile (Chrome DevTools Protocol) of
// mounting with setAnnotations and adding one annotation, on the largest
// cell, printed as the functions with the most self time. Run on a bundle
// built without wasm-opt, so wasm function names survive:
//
//   cargo xtask bench --profile
//
// PROFILE_HANDLE=1 adds through handle.addAnnotation instead of a tag click;
// PROFILE_ONLY_ADD=1 profiles the add alone, PROFILE_ADD_AT=top adds in the
// first paragraph instead of the last; PROFILE_SAVE=1 goes on until the
// add is saved; PROFILE_TOTAL=1 also prints
// each function's time with its callees.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAnnotations, makeDocument } from './data.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');
const site = resolve(process.argv[2]);
const size = Number(process.env.PROFILE_BYTES ?? 1_000_000);
const count = Number(process.env.PROFILE_COUNT ?? 10_000);
const port = 4800 + Math.floor(Math.random() * 100);

const server = spawn(process.execPath, [join(root, 'e2e', 'serve.mjs'), site, String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 400));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/harness.html`);
const lines = makeDocument(join(root, 'src', 'sample-article.txt'), size);
const annotations = makeAnnotations(lines, count).map(({ _bench, ...w }) => w);
await page.evaluate(async () => {
  const { default: init } = await import('/embed/marginalia.js');
  await init();
});
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
// A timeline trace beside the CPU profile: the browser's own style, layout
// and paint work, which the profile only shows as "(program)".
await browser.startTracing(page, { categories: ["devtools.timeline", "blink.user_timing", "toplevel"] });
await page.evaluate(
  async ({ text, annotations, suggestFirst, inPlace }) => {
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const { mount } = await import('/embed/marginalia.js');
    const counted = () => {
      const c = document.querySelector('[data-marginalia]')?.shadowRoot?.querySelector('[data-testid=counts]');
      return (c?.textContent ?? '').split('·').reduce((s, p) => s + (parseInt(p, 10) || 0), 0);
    };
    // The widget keeps only its latest measure of each name; an observer
    // sees every one as it is recorded.
    const recorded = [];
    new PerformanceObserver((list) => recorded.push(...list.getEntries())).observe({ entryTypes: ['measure'] });
    performance.mark('bench:load');
    const t0 = performance.now();
    const host = document.getElementById('host');
    if (inPlace) {
      // PROFILE_IN_PLACE=1: the host renders the article, the widget annotates it.
      for (const line of text.split('\n')) {
        const p = document.createElement('p');
        p.textContent = line;
        host.append(p);
      }
    }
    const handle = mount(host, inPlace ? { documentId: 'profile' } : { text, documentId: 'profile' });
    await handle.ready;
    handle.setAnnotations(annotations);
    while (counted() !== annotations.length) await new Promise((r) => requestAnimationFrame(r));
    await frames();
    const load = performance.now() - t0;
    // PROFILE_SUGGEST=1: add with every suggestion pending, as the bench does.
    if (suggestFirst) {
      await handle.suggest();
      await frames();
    }
    window.__profile = { handle, recorded, t0, load };
    return null;
  },
  {
    text: lines.join('\n'),
    annotations,
    suggestFirst: process.env.PROFILE_SUGGEST === '1',
    inPlace: process.env.PROFILE_IN_PLACE === '1',
  },
);
// PROFILE_ONLY_ADD=1: the profile covers the add alone.
if (process.env.PROFILE_ONLY_ADD === '1') {
  await cdp.send('Profiler.stop');
  await cdp.send('Profiler.start');
}
const phases = await page.evaluate(
  async ({ inPlace, byHandle, addAtTop, saveToo }) => {
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const counted = () => {
      const c = document.querySelector('[data-marginalia]')?.shadowRoot?.querySelector('[data-testid=counts]');
      return (c?.textContent ?? '').split('·').reduce((s, p) => s + (parseInt(p, 10) || 0), 0);
    };
    const { handle, recorded, t0, load } = window.__profile;
    const host = document.getElementById('host');
    const shadow = document.querySelector('[data-marginalia]').shadowRoot;
    const paras = inPlace ? host.querySelectorAll('p') : shadow.querySelectorAll('[data-para]');
    // PROFILE_ADD_AT=top: in the first paragraph (the headline, on the
    // widget's own text), as the bench's "add top" does.
    const last = addAtTop ? paras[0] : paras[paras.length - 1];
    // A text node long enough to select in (dense cells cut text into bits).
    const walker = document.createTreeWalker(last, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    for (let n = node; n; n = walker.nextNode()) if (n.data.length > node.data.length) node = n;
    getSelection().setBaseAndExtent(node, 0, node, Math.min(10, node.data.length));
    (inPlace ? host : shadow.querySelector('article')).dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    await frames();
    const before = counted();
    performance.mark('bench:add');
    const t1 = performance.now();
    // PROFILE_HANDLE=1: through the handle, as a host that syncs adds one.
    if (byHandle) {
      const exact = [...node.data].slice(0, 10).join('');
      const item = {
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        id: 'urn:marginalia:annotation:profile-handle',
        type: 'Annotation',
        body: [{ type: 'TextualBody', purpose: 'tagging', value: 'quote' }],
        target: { source: 'urn:x', selector: [{ type: 'TextQuoteSelector', exact, suffix: node.data.slice(10, 40) }] },
      };
      handle.addAnnotation(item);
    } else shadow.querySelector('.picker button[data-tag="claim"]').click();
    while (counted() !== before + 1) await new Promise((r) => requestAnimationFrame(r));
    await frames();
    const add = performance.now() - t1;
    // PROFILE_SAVE=1: the profile goes on until the add is saved.
    if (saveToo) {
      const view = document.querySelector('[data-marginalia]');
      while (view.hasAttribute('data-marginalia-unsaved')) await new Promise((r) => setTimeout(r, 10));
    }
    const measures = {};
    await new Promise((r) => setTimeout(r, 0));
    for (const m of recorded) (measures[m.name] ??= []).push(`${Math.round(m.duration * 10) / 10}@${Math.round(m.startTime - t0)}`);
    return { load, add, measures };
  },
  { inPlace: process.env.PROFILE_IN_PLACE === '1', byHandle: process.env.PROFILE_HANDLE === '1', addAtTop: process.env.PROFILE_ADD_AT === 'top', saveToo: process.env.PROFILE_SAVE === '1' },
);
const { profile } = await cdp.send('Profiler.stop');
const trace = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
await browser.close();
server.kill();

// Self time per function, from the samples.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const name = node.callFrame.functionName || `(${node.callFrame.url.split('/').pop() || 'program'})`;
  self.set(name, (self.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const demangle = (name) => name.replace(/^_ZN/, '').replace(/17h[0-9a-f]{16}E$/, '').replace(/\d+([A-Za-z_][A-Za-z0-9_]*)/g, '$1::').replace(/::$/, '');
console.log(`${size} B × ${count}: load ${phases.load.toFixed(0)} ms, add at the end ${phases.add.toFixed(0)} ms; profile ${total.toFixed(0)} ms`);
// Browser work by kind, before and after the add began (main thread, ms).
const addAt = trace.find((e) => e.name === 'bench:add')?.ts ?? Infinity;
const kinds = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'ParseHTML', 'MajorGC', 'MinorGC'];
const work = { load: {}, add: {} };
for (const e of trace) {
  if (e.ph !== 'X' || !kinds.includes(e.name)) continue;
  const phase = e.ts < addAt ? work.load : work.add;
  phase[e.name] = (phase[e.name] ?? 0) + (e.dur ?? 0) / 1000;
}
// The main thread's long tasks after the add began, to see what its time is made of.
const main = trace.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
const loadAt = trace.find((e) => e.name === 'bench:load')?.ts ?? 0;
const longTasks = (from, to) =>
  trace
    .filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.tid === main)
    .filter((e) => e.ts >= from && e.ts < to && (e.dur ?? 0) > 3000)
    .map((e) => `${((e.ts - from) / 1000).toFixed(0)}+${(e.dur / 1000).toFixed(0)}`)
    .join(', ');
console.log(`main-thread tasks over 3 ms (start+ms) during load: ${longTasks(loadAt, addAt)}`);
console.log(`main-thread tasks over 3 ms (start+ms) during the add: ${longTasks(addAt, Infinity)}`);
// The costliest style recalculations after the add began, with how many
// elements each touched (when the trace says).
const recalcs = trace
  .filter((e) => e.ph === 'X' && e.name === 'UpdateLayoutTree' && e.ts >= addAt && (e.dur ?? 0) > 5000)
  .map((e) => `${(e.dur / 1000).toFixed(0)} ms/${e.args?.elementCount ?? e.args?.data?.elementCount ?? '?'} elements`);
if (recalcs.length) console.log(`style recalculations over 5 ms during the add: ${recalcs.join(', ')}`);
// Every style and layout pass over 5 ms in the load, in order (start
// after the load began + ms): each full pass over a large article is one
// the reference does once.
const passes = trace
  .filter((e) => e.ph === 'X' && (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.ts >= loadAt && e.ts < addAt)
  .filter((e) => (e.dur ?? 0) > 5000)
  .map((e) => `${e.name === 'Layout' ? 'layout' : 'style'}@${((e.ts - loadAt) / 1000).toFixed(0)}+${(e.dur / 1000).toFixed(0)}`);
console.log(`style and layout passes over 5 ms during load: ${passes.join(', ') || 'none'}`);
for (const [phase, sums] of Object.entries(work)) {
  console.log(`browser work during ${phase}: ${Object.entries(sums).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
}
for (const [name, list] of Object.entries(phases.measures)) console.log(`${name}: ${list.slice(-6).join(', ')} ms (last ${Math.min(6, list.length)} of ${list.length})`);
// PROFILE_TOTAL=1: time per function with what it called (each function
// counted once per sample, however deep it recurs): where a phase goes.
if (process.env.PROFILE_TOTAL === '1') {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at).callFrame;
      if (f.functionName && !seen.has(f.functionName)) seen.add(f.functionName);
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  console.log('| total ms | function |\n| --- | --- |');
  for (const [name, ms] of [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 60)) {
    console.log(`| ${ms.toFixed(1)} | ${demangle(name).slice(0, 120)} |`);
  }
}
console.log('| self ms | share | function |\n| --- | --- | --- |');
for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`| ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(1)}% | ${demangle(name).slice(0, 110)} |`);
}
