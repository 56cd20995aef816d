// The sync benchmark: time to the first sync of 1,000 and 10,000
// annotations through the real CouchDB-compatible server the tests use
// (e2e/sync-server.mjs), each against a reference measured in the same run:
// the same documents pushed and pulled by a few lines of Node with fetch.
//
//   node bench/sync.mjs SITE_DIR   (cargo xtask bench runs it after run.mjs)
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(join(root, 'e2e', 'package.json'));
const { chromium } = require('@playwright/test');
const { startServer } = await import(join(root, 'e2e', 'tests', 'sync-server.mjs'));

const site = resolve(process.argv[2] ?? join(root, 'target', 'bench', 'site'));
const COUNTS = process.env.BENCH_SYNC_COUNTS ? process.env.BENCH_SYNC_COUNTS.split(',').map(Number) : [1_000, 10_000];
const port = 4800 + Math.floor(Math.random() * 500);
const TEXT = Array.from({ length: 200 }, (_, i) => `[${i + 1}] The council voted 31 to 9 on Tuesday to build a flood barrier, said Amara Okafor.`).join('\n');

const items = (n) =>
  Array.from({ length: n }, (_, i) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:marginalia:annotation:bench-${i}`,
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: ['claim', 'quote', 'caption'][i % 3] }],
    target: {
      source: 'urn:marginalia:document:bench-sync',
      selector: [{ type: 'TextPositionSelector', start: (i % 200) * 86 + 6, end: (i % 200) * 86 + 20 }],
    },
  }));

/** In the page: mount with sync, give it `list`, time until the server has all. */
async function pushPage({ text, server, list }) {
  const { default: init, mount } = await import('/embed/marginalia.js');
  await init();
  localStorage.clear();
  const host = document.getElementById('host');
  const handle = mount(host, { text, documentId: 'bench-sync', sync: { url: server, database: 'desk' } });
  await handle.ready;
  // The status line, wherever the widget drew it (its shadow roots are open).
  const find = (root) => {
    const hit = root.querySelector('.sync-status');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const status = () => find(document);
  const synced = () => new Promise((done) => {
    const tick = () => {
      const s = status();
      if (s && s.dataset.waiting === '0' && s.textContent === 'Sync: Synced') done();
      else setTimeout(tick, 5);
    };
    tick();
  });
  await synced();
  // Timed from the call to the moment the last change is accepted: the
  // status line's count of waiting changes rises, then falls back to 0.
  const line = status();
  const done = new Promise((resolve) => {
    let rose = false;
    new MutationObserver(() => {
      rose ||= line.dataset.waiting !== '0';
      if (rose && line.dataset.waiting === '0' && line.textContent === 'Sync: Synced') resolve(performance.now());
    }).observe(line, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  const t0 = performance.now();
  handle.setAnnotations(list);
  return (await done) - t0;
}

/** In the page: a reader new to the article, until all `n` have arrived. */
async function pullPage({ text, server, n }) {
  const { default: init, mount } = await import('/embed/marginalia.js');
  await init();
  localStorage.clear();
  const t0 = performance.now();
  const handle = mount(document.getElementById('host'), { text, documentId: 'bench-sync', sync: { url: server, database: 'desk' } });
  await handle.ready;
  await new Promise((done) => {
    const tick = () => (handle.annotations().length >= n ? done() : setTimeout(tick, 5));
    tick();
  });
  return performance.now() - t0;
}

async function reference(server, n) {
  // The documents the widget wrote, pushed again to a fresh database and pulled back.
  const all = (await (await fetch(`${server.url}/desk/_all_docs?include_docs=true`)).json()).rows
    .filter((r) => r.id.startsWith('marginalia:'))
    .map(({ doc }) => {
      const { _rev, ...rest } = doc;
      return rest;
    });
  await server.admin('PUT', '/ref');
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 500) {
    await fetch(`${server.url}/ref/_bulk_docs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ docs: all.slice(i, i + 500) }) }).then((r) => r.json());
  }
  const push = performance.now() - t0;
  const t1 = performance.now();
  let since = 0;
  let got = 0;
  while (got < n) {
    const c = await (await fetch(`${server.url}/ref/_changes?include_docs=true&conflicts=true&limit=500&since=${since}`)).json();
    got += c.results.length;
    since = c.last_seq;
    if (c.results.length === 0) break;
  }
  return { push, pull: performance.now() - t1 };
}

const statics = spawn(process.execPath, [join(root, 'e2e', 'serve.mjs'), site, String(port)], { stdio: 'ignore' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const open = async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/harness.html`);
      return { context, page };
    } catch (e) {
      if (i > 20) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
};
const rows = [];
try {
  for (const n of COUNTS) {
    const server = await startServer();
    try {
      await server.admin('PUT', '/desk');
      const a = await open();
      const push = await a.page.evaluate(pushPage, { text: TEXT, server: server.url, list: items(n) });
      const b = await open();
      const pull = await b.page.evaluate(pullPage, { text: TEXT, server: server.url, n });
      await a.context.close();
      await b.context.close();
      const ref = await reference(server, n);
      rows.push({ n, push, pull, ref });
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
  process.kill(statics.pid, 'SIGTERM');
}
const ms = (x) => `${Math.round(x).toLocaleString('en')}`;
console.log('\n| annotations | first push ms: widget / reference | ×reference | first pull ms: widget / reference | ×reference |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.n.toLocaleString('en')} | ${ms(r.push)} / ${ms(r.ref.push)} | ${(r.push / r.ref.push).toFixed(1)}× | ${ms(r.pull)} / ${ms(r.ref.pull)} | ${(r.pull / r.ref.pull).toFixed(1)}× |`);
}
