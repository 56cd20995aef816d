// Shared fixtures: every page a test opens is watched (a page error or a
// console error fails the test, unless the test allows it by pattern) and
// slowed under `cargo xtask stress`; real-mouse selection helpers; and
// waits on the events they mean (a save on the widget's own signal).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

// `MARGINALIA_CPU_THROTTLE=4` (set by `cargo xtask stress`) slows every
// page of the test fourfold through the DevTools protocol, so races between
// the widget's deferred work and the reader's next step show up reliably.
export const THROTTLE = Math.max(1, Number(process.env.MARGINALIA_CPU_THROTTLE ?? 1));

/**
 * The watch over every page of a test: the fixture's `page`, other pages of
 * its `context` (`context.newPage()`, popups), and every page of a context
 * made with the `newContext` fixture. Each is throttled under stress, and
 * its page errors and console errors are kept; at the end of the test any
 * that no `allow(pattern)` covers fail it.
 */
class Watch {
  constructor() {
    this.problems = [];
    this.allowed = [];
    this.pages = new WeakMap();
  }

  /** Watches `page` (once), and resolves when it is throttled. */
  page(page) {
    let ready = this.pages.get(page);
    if (!ready) {
      const label = () => {
        try {
          return page.url();
        } catch {
          return '(closed page)';
        }
      };
      page.on('pageerror', (e) => this.problems.push(`pageerror on ${label()}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') this.problems.push(`console.error on ${label()}: ${m.text()}`);
      });
      ready = throttle(page);
      this.pages.set(page, ready);
    }
    return ready;
  }

  /** Watches every page `context` has and will open. */
  context(context) {
    context.on('page', (p) => {
      this.page(p).catch(() => {});
    });
    return Promise.all(context.pages().map((p) => this.page(p)));
  }

  /** A page or console error matching `pattern` does not fail the test. */
  allow(pattern) {
    this.allowed.push(pattern);
  }

  /** The problems no allowance covers. */
  unexpected() {
    return this.problems.filter((p) => !this.allowed.some((a) => a.test(p)));
  }
}

async function throttle(page) {
  if (!(THROTTLE > 1)) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
}

export const test = base.extend({
  // Auto: set up before and torn down after every other fixture of the
  // test, so errors raised while pages close are counted too.
  watch: [
    async ({}, use) => {
      const watch = new Watch();
      await use(watch);
      expect(watch.unexpected(), 'no page errors or console errors in any page of the test').toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, watch }, use) => {
    await watch.context(context);
    await use(context);
  },
  page: async ({ page, watch }, use) => {
    await watch.page(page);
    await use(page);
  },
  /** `await newContext(options)`: another browser context (a second
   *  reader), watched like the test's own and closed at its end. */
  newContext: async ({ browser, watch }, use) => {
    const made = [];
    await use(async (options = {}) => {
      const context = await browser.newContext(options);
      made.push(context);
      await watch.context(context);
      return context;
    });
    for (const context of made) await context.close().catch(() => {});
  },
});
export { expect };

/**
 * Waits until every widget on the page has written its changes to storage.
 * The widget's element (`[data-marginalia]`, also inside a
 * `<marginalia-annotator>`'s shadow root) carries `data-marginalia-unsaved`
 * from a change until the write that stores it (README: Saving), so this
 * waits on the save itself, however long the widget waits for idle time.
 * A change is marked as it is made, so call this after the step that made it.
 */
export async function afterSave(page) {
  await page.waitForFunction(() => {
    const roots = [document, ...[...document.querySelectorAll('marginalia-annotator')].map((e) => e.shadowRoot).filter(Boolean)];
    return roots.every((r) => r.querySelector('[data-marginalia][data-marginalia-unsaved]') === null);
  });
}

/** Clicks a download button and saves the real download; gives its name, path and text. */
export async function download(page, button, testInfo, as, scope = page) {
  const [file] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name: button }).click()]);
  const path = testInfo.outputPath(as);
  await file.saveAs(path);
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}

/** Opens the app with empty storage and waits for the article. */
export async function openFresh(page) {
  await page.goto('/index.html');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('article [data-para]').first()).toBeVisible();
}

/**
 * Viewport points just inside the first character of the `occurrence`-th
 * match of `needle` in the article's paragraphs and just inside its last.
 * The widget renders in a shadow root, so the search goes through open
 * shadow roots; `scope` (a CSS selector) limits it to one widget's host.
 */
export async function textPoints(page, needle, occurrence = 0, scope = 'body') {
  const points = await page.evaluate(
    async ([needle, occurrence, scope]) => {
      const deepAll = (root, selector) => {
        const found = [...root.querySelectorAll(selector)];
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) found.push(...deepAll(el.shadowRoot, selector));
        }
        return found;
      };
      const within = document.querySelector(scope);
      let paras = deepAll(within, 'article [data-para]');
      if (paras.length === 0) {
        // Mounted in place: the host's own blocks, innermost first.
        const blocks = [...within.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, figcaption, blockquote, dt, dd')];
        paras = blocks.filter((b) => !blocks.some((o) => o !== b && b.contains(o)));
      }
      let seen = 0;
      for (const para of paras) {
        const text = para.textContent;
        let at = text.indexOf(needle);
        while (at !== -1) {
          if (seen++ === occurrence) {
            // The mouse can only reach what is on screen; off-screen
            // chunks of a long article also skip layout (content-visibility).
            const box = para.getBoundingClientRect();
            if (box.top < 0 || box.bottom > innerHeight) {
              para.scrollIntoView({ block: 'center' });
              await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            }
            // Map a UTF-16 offset in the paragraph to a text node position.
            const locate = (offset) => {
              const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
              let node;
              while ((node = walker.nextNode())) {
                if (offset < node.data.length) return [node, offset];
                offset -= node.data.length;
              }
              throw new Error('offset past the paragraph');
            };
            const rectOf = (offset) => {
              const [node, o] = locate(offset);
              const r = document.createRange();
              r.setStart(node, o);
              r.setEnd(node, o + 1);
              const rects = r.getClientRects();
              return rects[0];
            };
            const first = rectOf(at);
            const last = rectOf(at + needle.length - 1);
            return {
              start: { x: first.left + 1, y: first.top + first.height / 2 },
              end: { x: last.right - 1, y: last.top + last.height / 2 },
            };
          }
          at = text.indexOf(needle, at + 1);
        }
      }
      return null;
    },
    [needle, occurrence, scope],
  );
  if (!points) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the article`);
  return points;
}

/** Selects text with a real mouse drag from its first to its last character. */
export async function dragSelect(page, needle, occurrence = 0, scope = 'body') {
  const first = await textPoints(page, needle, occurrence, scope);
  await page.mouse.move(first.start.x, first.start.y);
  await page.mouse.down();
  await page.mouse.move((first.start.x + first.end.x) / 2, (first.start.y + first.end.y) / 2, { steps: 4 });
  // The page may scroll during the drag; measure the end again.
  const again = await textPoints(page, needle, occurrence, scope);
  await page.mouse.move(again.end.x, again.end.y, { steps: 4 });
  await page.mouse.up();
}

/**
 * One real mouse drag from the first character of `fromNeedle` to the last
 * of `toNeedle` (in another paragraph, say).
 */
export async function dragAcross(page, fromNeedle, toNeedle) {
  const from = await textPoints(page, fromNeedle);
  const to = await textPoints(page, toNeedle);
  await page.mouse.move(from.start.x, from.start.y);
  await page.mouse.down();
  await page.mouse.move(to.end.x, to.end.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Drags over `needle` and picks `tag` ('Claim' | 'Quote' | 'Caption') in the
 * picker, found in `controls` (a widget mounted in place has its controls
 * in its own element, outside the article).
 */
export async function tagText(page, needle, tag, occurrence = 0, scope = 'body', controls = scope) {
  await dragSelect(page, needle, occurrence, scope);
  const picker = page.locator(controls).getByRole('toolbar', { name: 'Tag the selection' });
  await expect(picker).toBeVisible();
  await picker.getByRole('button', { name: tag }).click();
  await expect(picker).toBeHidden();
}

/**
 * Defines `window.__marginaliaRanges(scope, { active })` in the page (once):
 * every Marginalia range in `CSS.highlights` over nodes inside `scope` (a
 * CSS selector; a widget's shadow root counts as inside its host), as
 * `{ name, tag, suggested, range, live }` (`live`: a Range over the same
 * points). The chosen highlight (`marginalia--active`) only with `active`.
 * Every helper that reads the registry builds on it.
 */
export async function withRanges(page) {
  await page.evaluate(() => {
    if (window.__marginaliaRanges) return;
    window.__marginaliaRanges = (scope, { active = false } = {}) => {
      const within = document.querySelector(scope);
      const inside = (node) => {
        for (let n = node; n; ) {
          if (within.contains(n)) return true;
          const root = n.getRootNode();
          n = root instanceof ShadowRoot ? root.host : null;
        }
        return false;
      };
      const out = [];
      for (const [name, highlight] of CSS.highlights) {
        if (!name.startsWith('marginalia-') || (name === 'marginalia--active' && !active)) continue;
        const suggested = name.startsWith('marginalia-suggested-');
        const tag = name.slice(suggested ? 'marginalia-suggested-'.length : 'marginalia-'.length);
        for (const range of highlight) {
          if (!inside(range.startContainer) && !inside(range.endContainer)) continue;
          const live = document.createRange();
          live.setStart(range.startContainer, range.startOffset);
          live.setEnd(range.endContainer, range.endOffset);
          out.push({ name, tag, suggested, range, live });
        }
      }
      return out;
    };
  });
}

/**
 * Defines `window.__marginaliaParagraphs(scope)` in the page: the article's
 * paragraphs inside `scope` as the reader sees them, through open shadow
 * roots (the widget's own article), or, mounted in place, the host's own
 * blocks, innermost first.
 */
export async function withParagraphs(page) {
  await page.evaluate(() => {
    if (window.__marginaliaParagraphs) return;
    const deep = (root, selector) => {
      const found = [...root.querySelectorAll(selector)];
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deep(el.shadowRoot, selector));
      return found;
    };
    window.__marginaliaParagraphs = (scope) => {
      const within = document.querySelector(scope);
      const paras = deep(within, 'article [data-para]');
      if (paras.length > 0) return paras;
      const blocks = [...within.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, figcaption, blockquote, dt, dd')];
      return blocks.filter((b) => !blocks.some((o) => o !== b && b.contains(o)));
    };
  });
}

/**
 * Every highlight painted in `CSS.highlights` by Marginalia inside `scope`
 * (a CSS selector; a widget's shadow root counts as inside its host), as
 * `{ name, tag, suggested, text }`: `text` is the text the range covers,
 * with paragraph breaks as "\n". The active highlight is left out.
 */
export async function painted(page, scope = 'body') {
  await withRanges(page);
  return page.evaluate((scope) => {
    const textOf = (r) => {
      const live = document.createRange();
      live.setStart(r.startContainer, r.startOffset);
      live.setEnd(r.endContainer, r.endOffset);
      // Paragraph breaks: where the range crosses from one block to the next.
      let out = '';
      const walker = document.createTreeWalker(live.commonAncestorContainer, NodeFilter.SHOW_TEXT);
      let node = walker.currentNode.nodeType === 3 ? walker.currentNode : walker.nextNode();
      let last = null;
      for (; node; node = walker.nextNode()) {
        if (!live.intersectsNode(node)) continue;
        const from = node === r.startContainer ? r.startOffset : 0;
        const to = node === r.endContainer ? r.endOffset : node.data.length;
        const block = node.parentElement.closest('p, h1, h2, h3, h4, h5, h6, li, figcaption, blockquote, div');
        if (last && block !== last && out) out += '\n';
        last = block;
        out += node.data.slice(from, to);
      }
      return out.replace(/[ \t\r\n]*\n[ \t\r\n]*/g, '\n').replace(/[ \t\r]+/g, ' ');
    };
    return window.__marginaliaRanges(scope).map(({ name, tag, suggested, range }) => ({
      name,
      tag,
      suggested,
      text: textOf(range),
    }));
  }, scope);
}

/** The painted highlights (not suggestions) whose text contains `text`. */
export async function highlightsWithText(page, text, scope = 'body') {
  return (await painted(page, scope)).filter((h) => !h.suggested && h.text.includes(text));
}

/** The text of the active (chosen) highlight, or null. */
export async function activeText(page) {
  return page.evaluate(() => {
    const h = CSS.highlights.get('marginalia--active');
    const r = h && [...h][0];
    if (!r) return null;
    const live = document.createRange();
    live.setStart(r.startContainer, r.startOffset);
    live.setEnd(r.endContainer, r.endOffset);
    return live.toString();
  });
}

/**
 * Makes storage refuse the widget's annotation writes as a full store does
 * (QuotaExceededError) until `window.__full = false`.
 */
export async function fillStorage(page) {
  await page.evaluate(() => {
    const real = Storage.prototype.setItem;
    window.__full = true;
    Storage.prototype.setItem = function (key, value) {
      // The envelope and the log beside it (`codec/log.rs`).
      if (window.__full && (key.startsWith('marginalia:v1:doc:') || key.startsWith('marginalia:v1:log:'))) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return real.call(this, key, value);
    };
  });
}

/**
 * What storage holds of a document's annotations, as the widget reads it:
 * the envelope at `key` (`marginalia:v1:doc:<document>`) with the log
 * beside it (`marginalia:v1:log:<document>`) laid over it, each entry's
 * versions over the earlier ones (`codec/log.rs`: every entry was written
 * after its writer read all before it). `null` when nothing is stored.
 */
export async function readSaved(page, key) {
  const logKey = key.replace('marginalia:v1:doc:', 'marginalia:v1:log:');
  const [base, log] = await page.evaluate(([k, l]) => [localStorage.getItem(k), localStorage.getItem(l)], [key, logKey]);
  return mergeSaved(base, log);
}

/** `readSaved`'s reading of an envelope and a log (either may be null). */
export function mergeSaved(base, log) {
  if (base === null && log === null) return null;
  const saved = base === null ? { annotations: [], deleted: [], drafts: [] } : JSON.parse(base);
  const lines = (log ?? '').split('\n').filter(Boolean).slice(1).map((line) => JSON.parse(line));
  const over = (list, item, same) => {
    const at = list.findIndex((x) => same(x, item));
    if (at < 0) list.push(item);
    else list[at] = item;
  };
  for (const entry of lines) {
    for (const a of entry.annotations ?? []) over(saved.annotations, a, (x, y) => x.id === y.id);
    for (const t of entry.deleted ?? []) over((saved.deleted ??= []), t, (x, y) => x.id === y.id);
    for (const d of entry.drafts ?? []) over((saved.drafts ??= []), d, (x, y) => x.id === y.id && x.form === y.form);
  }
  const gone = new Map((saved.deleted ?? []).map((t) => [t.id, t.at]));
  saved.annotations = saved.annotations.filter((a) => !gone.has(a.id) || a.updated > gone.get(a.id));
  return saved;
}

/**
 * A real mouse click just inside the first character of the `occurrence`-th
 * match of `needle`: with nothing selected, the widget hit-tests that point
 * (highlights are ranges, not elements).
 */
export async function clickText(page, needle, occurrence = 0, scope = 'body') {
  const { start } = await textPoints(page, needle, occurrence, scope);
  await page.mouse.click(start.x, start.y);
}

/** Moves the real mouse just inside the first character of the match (no button pressed). */
export async function hoverText(page, needle, occurrence = 0, scope = 'body') {
  const { start } = await textPoints(page, needle, occurrence, scope);
  await page.mouse.move(start.x, start.y, { steps: 2 });
}

/**
 * How many Marginalia ranges in `CSS.highlights` (the active one too) point
 * at nodes no longer in the document: left over from an article that was
 * replaced. `painted` cannot see those, since they are inside no scope.
 */
export async function detachedRanges(page) {
  return page.evaluate(() => {
    let n = 0;
    for (const [name, highlight] of CSS.highlights) {
      if (!name.startsWith('marginalia-')) continue;
      for (const r of highlight) if (!r.startContainer.isConnected || !r.endContainer.isConnected) n += 1;
    }
    return n;
  });
}

/**
 * What the article shows: one entry per highlight painted in CSS.highlights,
 * with its tag, the text it covers and its code point offsets in the
 * document text (the paragraphs joined by "\n", as positions count in
 * Marginalia), in document order (and any range on text that is not the
 * article's, last). Highlights are ranges, not elements, so
 * the id is the one the panel's entry of that tag and quote carries (the
 * panel lists them in document order too).
 */
export async function shown(page) {
  const ranges = await page.locator('article [data-para]').evaluateAll((paras) => {
    const cps = (s) => [...s].length;
    const texts = paras.map((p) => p.textContent);
    const bases = [];
    let base = 0;
    for (const t of texts) {
      bases.push(base);
      base += cps(t) + 1;
    }
    // The code point of a boundary point inside a paragraph.
    const cpOf = (node, offset) => {
      const i = paras.findIndex((p) => p.contains(node));
      if (i < 0) return null;
      const before = document.createRange();
      before.setStart(paras[i], 0);
      before.setEnd(node, offset);
      return bases[i] + cps(before.toString());
    };
    const chars = [...texts.join('\n')];
    const out = [];
    for (const [name, highlight] of CSS.highlights) {
      if (!name.startsWith('marginalia-') || name === 'marginalia--active' || name.startsWith('marginalia-suggested-')) continue;
      for (const r of highlight) {
        const start = cpOf(r.startContainer, r.startOffset);
        const end = cpOf(r.endContainer, r.endOffset);
        // A range on text that is not the article's (say, left over from another article) is shown as such.
        if (start === null || end === null) {
          out.push({ tag: name.slice('marginalia-'.length), start: Infinity, end: Infinity, text: `not in the article: ${r.startContainer.textContent}` });
          continue;
        }
        out.push({ tag: name.slice('marginalia-'.length), start, end, text: chars.slice(start, end).join('') });
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end);
  });
  const entries = await page
    .getByRole('list', { name: 'Annotations', exact: true })
    .getByRole('listitem')
    .evaluateAll((lis) => lis.map((li) => ({ id: li.dataset.annotationId, tag: li.dataset.tag, quote: li.querySelector('.panel-quote').textContent })));
  const same = (quote, text) => quote === text || (quote.endsWith('…') && text.startsWith(quote.slice(0, -1)));
  return ranges.map((r) => {
    const at = entries.findIndex((e) => e.tag === r.tag && same(e.quote, r.text));
    const id = at < 0 ? null : entries.splice(at, 1)[0].id;
    return { id, ...r };
  });
}

/** The document text as the article shows it. */
export const documentText = (page) =>
  page.locator('article [data-para]').evaluateAll((paras) => paras.map((p) => p.textContent).join('\n'));

/**
 * Waits for the demo story's handle, then for its annotator to take over
 * (it loads on first use, or when `handle.ready` is asked for).
 */
export async function storyReady(page) {
  await page.waitForFunction(() => window.marginaliaDemo?.story);
  await page.evaluate(() => window.marginaliaDemo.story.ready.then(() => true));
}

/** A small host article: a link, emphasis, an emoji and right-to-left text. */
export const HOST_ARTICLE = `<h1>Harbour plan approved</h1>
  <p>The council said the <a href="#report">new report</a> was clear. Work starts in May.</p>
  <p><em>Critics</em> called it rushed, and 😀 שלום said so too.</p>`;

/**
 * Serves a host page at `path` (routed, so no file is needed), built from
 * `host` at each load (a test may change it between visits): `style` (CSS), `body` (default: HOST_ARTICLE in
 * `<article id="host">`, in `<main>`) and `script` (a module body run after
 * `init()`, with `init`, `mount` and `preload` imported; it sets
 * `window.handle`). `window.mounted` says the script has run.
 */
export async function serveHost(page, path, host) {
  await page.route(`**${path}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<link rel="icon" href="data:,"><style>${host.style ?? ''}</style></head>
<body><main>${host.body ?? `<article id="host">${HOST_ARTICLE}</article>`}</main>
<script type="module">
  import init, { mount, preload } from '/embed/marginalia.js';
  await init();
  ${host.script}
  window.mounted = true;
</script></body></html>`,
    }),
  );
}

/** The names of the embed bundle's files (`marginalia*`) the page asks for from now on. */
export function bundleRequests(page) {
  const asked = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop();
    if (name.startsWith('marginalia')) asked.push(name);
  });
  return asked;
}

/** Holds the annotator's wasm back until the returned function is called. */
export async function holdAnnotator(page) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/embed/marginalia_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

const CHECKER = fileURLToPath(new URL('../../../shared/w3c-annotation-model/check.mjs', import.meta.url));
const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the W3C model checker (`../shared/w3c-annotation-model`) on a file
 * and expects it to pass; where the checker is absent (a user's clone) the
 * test is skipped from here on, with a printed notice, never passed.
 */
export function checkW3c(path) {
  if (!existsSync(CHECKER)) {
    console.log(`notice: ${CHECKER} is absent; skipping the W3C model check`);
  }
  test.skip(!existsSync(CHECKER), 'the W3C annotation model checker (../shared/w3c-annotation-model) is absent');
  const run = spawnSync(process.execPath, [CHECKER, path], { cwd: E2E_DIR, encoding: 'utf8' });
  expect(run.status, `check.mjs said:\n${run.stdout}\n${run.stderr}`).toBe(0);
}
