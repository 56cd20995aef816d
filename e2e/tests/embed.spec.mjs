// The embeddable widget: mount(), the <marginalia-annotator> element, the
// handle's API and events, isolation from the host page, CSP and sandboxing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, dragSelect, tagText, textPoints, afterSave } from './fixtures.mjs';

const DEMO = '/examples/embed/index.html';
const STORY_KEY = 'marginalia:v1:doc:gazette-flood-barrier-2026-11';
const LETTERS_KEY = 'marginalia:v1:doc:gazette-letters-2026-11';
const CHECKER = fileURLToPath(new URL('../../../shared/w3c-annotation-model/check.mjs', import.meta.url));
const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));
const DIST_EMBED = fileURLToPath(new URL('../../dist/embed/', import.meta.url));
const picker = (page, scope) => page.locator(scope).getByRole('toolbar', { name: 'Tag the selection' });

/** Opens the demo page and waits for both of its widgets. */
async function openDemo(page, path = DEMO) {
  await page.goto(path);
  await expect(page.locator('#story article [data-para]').first()).toBeVisible();
  await expect(page.locator('marginalia-annotator article [data-para]').first()).toBeVisible();
}

/**
 * Mounts a widget on a new element appended to <main> and keeps its handle
 * at window.handles[id]. Runs the module's own import and init.
 */
async function mountNew(page, id, options, tag = 'div') {
  await page.evaluate(
    async ([id, options, tag]) => {
      const { default: init, mount } = await import('/embed/marginalia.js');
      await init();
      const el = document.createElement(tag);
      el.id = id;
      document.querySelector('main').append(el);
      window.handles ??= {};
      window.handles[id] = mount(el, options);
    },
    [id, options, tag],
  );
  await expect(page.locator(`#${id} article [data-para]`).first()).toBeVisible();
}

/** Collapses runs of white space, as a reader sees the text. */
const squash = (s) => s.replace(/\s+/g, ' ').trim();

test('mount() on existing content shows the story as the article and sets the light DOM aside', async ({ page }) => {
  await openDemo(page);
  // The host's own blocks, read from the served page (the live ones are set aside).
  const html = await (await page.request.get(DEMO)).text();
  const hostBlocks = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const story = doc.querySelector('#story');
    return [...story.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, figcaption, blockquote')].map((el) => ({
      tag: el.tagName.toLowerCase(),
      text: el.textContent,
    }));
  }, html);
  expect(hostBlocks.length).toBe(7);
  const shown = page.locator('#story article [data-para]');
  await expect(shown).toHaveCount(hostBlocks.length);
  const texts = (await shown.allTextContents()).map(squash);
  expect(texts).toEqual(hostBlocks.map((b) => squash(b.text)));
  // The headline keeps its level; the hero's caption is a block of the article.
  await expect(page.locator('#story article h2[data-para="0"]')).toHaveText(
    'City council approves £48 million flood barrier after third winter of record river levels',
  );
  await expect(shown.nth(1)).toHaveText('The River Wendle bursts its banks at Millbridge (pictured) on Sunday');
  // The light DOM holds only the view; the widget is in its open shadow root.
  const light = await page.evaluate(() => {
    const story = document.getElementById('story');
    return {
      nodes: story.childNodes.length,
      only: story.firstChild?.nodeName,
      marked: story.firstChild?.hasAttribute?.('data-marginalia'),
      shadow: !!story.firstChild?.shadowRoot,
      lightText: story.querySelector('p, h2, figcaption') === null,
    };
  });
  expect(light).toEqual({ nodes: 1, only: 'DIV', marked: true, shadow: true, lightText: true });
});

test('the text option shows each non-empty line as a paragraph', async ({ page }) => {
  await openDemo(page);
  await mountNew(page, 'from-text', { text: 'Line one\n\nLine two\n' });
  const paras = page.locator('#from-text article [data-para]');
  await expect(paras).toHaveCount(2);
  await expect(paras.nth(0)).toHaveText('Line one');
  await expect(paras.nth(1)).toHaveText('Line two');
  const nodes = await page.evaluate(() => document.getElementById('from-text').children.length);
  expect(nodes).toBe(1);
});

test('the mounted story and the custom element each tag by mouse and save under their own key', async ({ page }) => {
  await openDemo(page);
  const claim = 'voted 31 to 9 on Tuesday night';
  const quote = 'residents were promised a wall in 2016';
  await tagText(page, claim, 'Claim', 0, '#story');
  await tagText(page, quote, 'Quote', 0, 'marginalia-annotator');
  await expect(page.locator('#story mark[data-tag="claim"]')).toHaveText(claim);
  await expect(page.locator('#story mark')).toHaveCount(1);
  await expect(page.locator('marginalia-annotator mark[data-tag="quote"]')).toHaveText(quote);
  await expect(page.locator('marginalia-annotator mark')).toHaveCount(1);
  await expect(page.locator('#story').getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  await expect(page.locator('marginalia-annotator').getByTestId('counts')).toHaveText('0 claims · 1 quote · 0 captions');

  await afterSave(page);
  const saved = await page.evaluate(([a, b]) => [localStorage.getItem(a), localStorage.getItem(b)], [STORY_KEY, LETTERS_KEY]);
  const [story, letters] = saved.map((raw) => JSON.parse(raw));
  expect(story.annotations).toHaveLength(1);
  expect(JSON.stringify(story.annotations)).toContain(claim);
  expect(JSON.stringify(story.annotations)).not.toContain(quote);
  expect(letters.annotations).toHaveLength(1);
  expect(JSON.stringify(letters.annotations)).toContain(quote);
  expect(JSON.stringify(letters.annotations)).not.toContain(claim);
  // The handles agree with what is shown.
  const fromHandles = await page.evaluate(() => [
    window.marginaliaDemo.story.annotations().map((a) => a.body[0].value),
    document.querySelector('marginalia-annotator').handle.annotations().map((a) => a.body[0].value),
  ]);
  expect(fromHandles).toEqual([['claim'], ['quote']]);
});

test('events reach handle.on() handlers and the host as DOM events; off() stops them', async ({ page }) => {
  await openDemo(page);
  await page.evaluate(() => {
    const story = document.getElementById('story');
    const handle = window.marginaliaDemo.story;
    window.got = [];
    window.onHandlers = {};
    const plain = (a) => Object.getPrototypeOf(a) === Object.prototype && JSON.stringify(structuredClone(a)) === JSON.stringify(a);
    for (const name of ['create', 'update', 'delete', 'select']) {
      window.onHandlers[name] = (a) => got.push({ via: 'on', name, plain: plain(a), a });
      handle.on(name, window.onHandlers[name]);
      // Listening on document proves the event bubbles out of the host.
      document.addEventListener(`marginalia:${name}`, (e) =>
        got.push({
          via: 'dom',
          name,
          plain: plain(e.detail),
          a: e.detail,
          target: e.target === story,
          bubbles: e.bubbles,
          composed: e.composed,
        }),
      );
    }
  });
  const events = () => page.evaluate(() => window.got);
  const needle = 'flood barrier along the River Wendle';

  await tagText(page, needle, 'Claim', 0, '#story');
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:create', 'dom:create']);
  let [on, dom] = await events();
  expect(on.plain).toBe(true);
  expect(dom).toMatchObject({ plain: true, target: true, bubbles: true, composed: true });
  expect(dom.a).toEqual(on.a);
  expect(on.a.type).toBe('Annotation');
  expect(on.a.body).toEqual([{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }]);
  expect(on.a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact).toBe(needle);
  const id = on.a.id;

  // A click on the highlight selects it.
  await page.evaluate(() => (window.got = []));
  await page.locator('#story mark[data-tag="claim"]').first().click();
  const dialog = page.locator('#story').getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog).toBeVisible();
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:select', 'dom:select']);
  for (const e of await events()) expect(e.a.id).toBe(id);

  // Retagging is an update carrying the new tag.
  await page.evaluate(() => (window.got = []));
  await dialog.getByRole('button', { name: 'Quote' }).click();
  await expect(page.locator('#story mark[data-tag="quote"]')).toHaveText(needle);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:update', 'dom:update']);
  for (const e of await events()) {
    expect(e.plain).toBe(true);
    expect(e.a.id).toBe(id);
    expect(e.a.body[0].value).toBe('quote');
  }

  // Deleting carries the annotation as it was.
  await page.evaluate(() => (window.got = []));
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('#story mark')).toHaveCount(0);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:delete', 'dom:delete']);
  for (const e of await events()) {
    expect(e.a.id).toBe(id);
    expect(e.a.body[0].value).toBe('quote');
  }

  // Showing a highlight from the panel is a select too.
  await tagText(page, 'Insurance claims for flood damage', 'Caption', 0, '#story');
  await page.evaluate(() => (window.got = []));
  await page.locator('#story').getByRole('list', { name: 'Annotations' }).getByRole('button').first().click();
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:select', 'dom:select']);
  expect((await events())[0].a.body[0].value).toBe('caption');

  // off() stops the handler; the DOM events still arrive.
  await page.evaluate(() => {
    window.got = [];
    for (const [name, fn] of Object.entries(window.onHandlers)) window.marginaliaDemo.story.off(name, fn);
  });
  await tagText(page, 'the Association of British Insurers', 'Claim', 0, '#story');
  await expect(page.locator('#story mark[data-tag="claim"]')).toHaveText('the Association of British Insurers');
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['dom:create']);
});

test('annotations() gives W3C annotations with positions in code points', async ({ page }) => {
  await openDemo(page);
  const text = 'Emoji 😀 then the claim here';
  const exact = 'the claim here';
  await mountNew(page, 'emoji', { text, documentId: 'embed-emoji' });
  await tagText(page, exact, 'Claim', 0, '#emoji');
  await expect(page.locator('#emoji mark[data-tag="claim"]')).toHaveText(exact);
  const list = await page.evaluate(() => window.handles.emoji.annotations());
  expect(list).toHaveLength(1);
  const [a] = list;
  expect(Object.keys(a).sort()).toEqual(['@context', 'body', 'created', 'id', 'modified', 'target', 'type']);
  expect(a['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
  expect(a.id).toMatch(/^urn:marginalia:annotation:[A-Za-z0-9_:.-]+$/);
  expect(a.type).toBe('Annotation');
  for (const t of [a.created, a.modified]) {
    expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    expect(Math.abs(Date.parse(t) - Date.now())).toBeLessThan(5 * 60_000);
  }
  expect(a.body).toEqual([{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }]);
  expect(a.target.source).toBe('urn:marginalia:document:embed-emoji');
  const quote = a.target.selector.find((s) => s.type === 'TextQuoteSelector');
  const position = a.target.selector.find((s) => s.type === 'TextPositionSelector');
  expect(a.target.selector).toHaveLength(2);
  expect(quote.exact).toBe(exact);
  expect(quote.prefix.endsWith('😀 then ')).toBe(true);
  expect(typeof quote.suffix).toBe('string');
  // In code points "the" starts at 13 (the emoji counts once); UTF-16 would say 14.
  const start = [...text.slice(0, text.indexOf(exact))].length;
  expect(start).toBe(13);
  expect(position).toEqual({ type: 'TextPositionSelector', start, end: start + [...exact].length });

  if (!existsSync(CHECKER)) {
    console.log(`notice: ${CHECKER} is absent; skipping the W3C model check`);
  }
  test.skip(!existsSync(CHECKER), 'the W3C annotation model checker (../shared/w3c-annotation-model) is absent');
  const dir = mkdtempSync(join(tmpdir(), 'marginalia-w3c-'));
  const file = join(dir, 'annotations.json');
  writeFileSync(file, JSON.stringify(list, null, 2));
  const run = spawnSync(process.execPath, [CHECKER, file], { cwd: E2E_DIR, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  expect(run.status, `check.mjs said:\n${run.stdout}\n${run.stderr}`).toBe(0);
});

test('setAnnotations() round-trips, refuses what cannot anchor, and rejects a non-array', async ({ page }) => {
  await openDemo(page);
  await tagText(page, 'The city council voted 31 to 9', 'Claim', 0, '#story');
  await tagText(page, 'the most important thing this chamber will do in a generation', 'Quote', 0, '#story');
  const marks = page.locator('#story mark[data-annotation-id]');
  await expect(marks).toHaveCount(2);
  const marksOf = () =>
    marks.evaluateAll((ms) => ms.map((m) => [m.dataset.tag, m.dataset.annotationId, m.textContent]));
  const before = await marksOf();
  const first = await page.evaluate(() => window.marginaliaDemo.story.annotations());
  expect(first).toHaveLength(2);

  const cleared = await page.evaluate(() => window.marginaliaDemo.story.setAnnotations([]));
  expect(cleared).toEqual({ accepted: 0, refused: [] });
  await expect(marks).toHaveCount(0);
  expect(await page.evaluate(() => window.marginaliaDemo.story.annotations())).toEqual([]);
  await expect(page.locator('#story').getByTestId('counts')).toHaveText('0 claims · 0 quotes · 0 captions');

  const back = await page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), first);
  expect(back).toEqual({ accepted: 2, refused: [] });
  await expect(marks).toHaveCount(2);
  expect(await marksOf()).toEqual(before);
  // Brought back after being removed, they count as modified now (so the
  // removal, which other tabs may have seen, does not win over them).
  const restored = await page.evaluate(() => window.marginaliaDemo.story.annotations());
  const withoutModified = (list) => list.map(({ modified, ...rest }) => rest);
  expect(withoutModified(restored)).toEqual(withoutModified(first));
  for (const [i, a] of restored.entries()) expect(Date.parse(a.modified)).toBeGreaterThan(Date.parse(first[i].modified));
  // Setting what is already there changes nothing, not even the times.
  await page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), restored);
  expect(await page.evaluate(() => window.marginaliaDemo.story.annotations())).toEqual(restored);
  // And it was saved.
  await afterSave(page);
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORY_KEY));
  expect(saved.annotations).toHaveLength(2);

  // A quote that is not in the text cannot anchor: refused, with a reason.
  const stray = structuredClone(first[0]);
  stray.id = 'urn:marginalia:annotation:stray-quote-1';
  stray.target.selector = [{ type: 'TextQuoteSelector', exact: 'a sentence nobody ever wrote', prefix: '', suffix: '' }];
  const mixed = await page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), [first[0], stray, first[1]]);
  expect(mixed.accepted).toBe(2);
  expect(mixed.refused).toHaveLength(1);
  expect(mixed.refused[0].index).toBe(1);
  expect(typeof mixed.refused[0].reason).toBe('string');
  expect(mixed.refused[0].reason).toMatch(/not in the text/);
  await expect(marks).toHaveCount(2);
  expect(withoutModified(await page.evaluate(() => window.marginaliaDemo.story.annotations()))).toEqual(withoutModified(first));

  // Anything but an array throws, and changes nothing.
  const thrown = await page.evaluate(() =>
    [{}, 'x', null, undefined, 42].map((v) => {
      try {
        window.marginaliaDemo.story.setAnnotations(v);
        return null;
      } catch (e) {
        return String(e?.message ?? e);
      }
    }),
  );
  for (const message of thrown) expect(message).toMatch(/array/);
  await expect(marks).toHaveCount(2);
  expect(withoutModified(await page.evaluate(() => window.marginaliaDemo.story.annotations()))).toEqual(withoutModified(first));
});

test('a widget whose handle the host drops lives on through garbage collection until destroy()', async ({ page }) => {
  await openDemo(page);
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const host = document.createElement('section');
    host.id = 'unheld';
    host.innerHTML = '<p>Forecasters say the river will peak on Friday.</p>';
    document.querySelector('main').prepend(host);
    // No reference to the handle is kept anywhere.
    mount(host, { documentId: 'embed-unheld' });
  });
  await expect(page.locator('#unheld article [data-para]')).toHaveCount(1);
  // Collect, let finalizers run (they are queued as tasks), collect again.
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  }
  await expect(page.locator('#unheld article [data-para]')).toHaveCount(1);
  await tagText(page, 'the river will peak', 'Claim', 0, '#unheld');
  await expect(page.locator('#unheld mark[data-tag="claim"]')).toHaveText('the river will peak');
  await afterSave(page);
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('marginalia:v1:doc:embed-unheld')));
  expect(saved.annotations.map((a) => a.quote.exact)).toEqual(['the river will peak']);
});

test('destroy() restores the original DOM exactly and leaves nothing listening', async ({ page }) => {
  await openDemo(page);
  const original = await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const host = document.createElement('section');
    host.id = 'gone';
    host.className = 'story';
    host.innerHTML =
      '\n  <h3 class="kicker">Weather</h3>\n  <p>Rain is <em>expected</em> across the valley tonight.</p>' +
      '<!-- a comment --><p>Forecasters say the river will peak on Friday.</p>\n';
    document.querySelector('main').prepend(host);
    window.keep = [...host.childNodes];
    const before = host.innerHTML;
    const handle = mount(host, { documentId: 'embed-destroy' });
    window.destroyed = { handle, got: [] };
    for (const name of ['create', 'update', 'delete', 'select']) {
      handle.on(name, () => window.destroyed.got.push(`on:${name}`));
      host.addEventListener(`marginalia:${name}`, () => window.destroyed.got.push(`dom:${name}`));
    }
    return before;
  });
  // Mounted: a widget, and it works before destroy (so the check after is meaningful).
  await expect(page.locator('#gone article [data-para]')).toHaveCount(3);
  await tagText(page, 'the river will peak', 'Claim', 0, '#gone');
  await expect(page.locator('#gone mark[data-tag="claim"]')).toHaveText('the river will peak');
  expect(await page.evaluate(() => window.destroyed.got)).toEqual(['on:create', 'dom:create']);

  const after = await page.evaluate(() => {
    window.destroyed.got = [];
    window.destroyed.handle.destroy();
    const host = document.getElementById('gone');
    const nodes = [...host.childNodes];
    return {
      html: host.innerHTML,
      sameNodes: nodes.length === window.keep.length && nodes.every((n, i) => n === window.keep[i]),
      view: host.querySelector('[data-marginalia]') !== null,
    };
  });
  expect(after).toEqual({ html: original, sameNodes: true, view: false });

  // A mouse selection over the restored text: no picker, no events.
  const points = await page.evaluate(() => {
    const p = document.querySelectorAll('#gone p')[1];
    p.scrollIntoView({ block: 'center' });
    const node = p.firstChild;
    const at = node.data.indexOf('the river will peak');
    const rect = (o) => {
      const r = document.createRange();
      r.setStart(node, o);
      r.setEnd(node, o + 1);
      return r.getBoundingClientRect();
    };
    const a = rect(at);
    const b = rect(at + 'the river will peak'.length - 1);
    return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
  });
  await page.mouse.move(points.x1, points.y1);
  await page.mouse.down();
  await page.mouse.move(points.x2, points.y2, { steps: 6 });
  await page.mouse.up();
  expect(await page.evaluate(() => getSelection().toString())).toBe('the river will peak');
  await page.keyboard.press('1');
  await page.waitForTimeout(300);
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toHaveCount(0);
  await expect(page.locator('#gone mark')).toHaveCount(0);
  expect(await page.evaluate(() => window.destroyed.got)).toEqual([]);
  expect(await page.locator('#gone').innerHTML()).toBe(original);
  // Calling destroy again is harmless.
  await page.evaluate(() => window.destroyed.handle.destroy());
  expect(await page.locator('#gone').innerHTML()).toBe(original);
});

test('hostile host CSS neither breaks the widget nor is changed by it', async ({ page }) => {
  await openDemo(page);
  const styleOf = () =>
    page.evaluate(() =>
      ['.masthead h1', '#events', 'body', 'footer'].map((sel) => {
        const cs = getComputedStyle(document.querySelector(sel));
        // Sizes follow the content (a new widget makes the body taller); every other property must not move.
        const geometry = /^(height|width|block-size|inline-size|perspective-origin|transform-origin)$/;
        return Object.fromEntries([...cs].filter((p) => !geometry.test(p)).map((p) => [p, cs.getPropertyValue(p)]));
      }),
    );
  const before = await styleOf();
  await mountNew(page, 'second', { text: 'Hostile pages\nThe widget keeps its own styles under any host rules.' });
  expect(await styleOf()).toEqual(before);

  await page.addStyleTag({
    content:
      '* { all: unset !important; } mark { display: none !important; } ' +
      'html, body { font-size: 60px !important; } button { display: none !important; }',
  });
  const hostile = await styleOf();
  expect(hostile[0]['font-size']).not.toBe(before[0]['font-size']);
  await mountNew(page, 'third', { text: 'Hostile again\nA third widget mounted under hostile rules still works.' });
  expect(await styleOf()).toEqual(hostile);

  for (const [scope, needle] of [
    ['#second', 'keeps its own styles'],
    ['#third', 'still works'],
  ]) {
    await dragSelect(page, needle, 0, scope);
    const bar = picker(page, scope);
    await expect(bar).toBeVisible();
    for (const name of ['Claim', 'Quote', 'Caption']) {
      const button = bar.getByRole('button', { name });
      await expect(button).toBeVisible();
      const box = await button.boundingBox();
      expect(box.width).toBeGreaterThan(10);
      expect(box.height).toBeGreaterThan(10);
      expect(await button.evaluate((b) => getComputedStyle(b).fontSize)).toBe('14px');
    }
    await bar.getByRole('button', { name: 'Claim' }).click();
    await expect(bar).toBeHidden();
    const mark = page.locator(`${scope} mark[data-tag="claim"]`);
    await expect(mark).toHaveText(needle);
    await expect(mark).toBeVisible();
    const box = await mark.boundingBox();
    expect(box.width).toBeGreaterThan(10);
    expect(box.height).toBeGreaterThan(5);
    expect(await mark.evaluate((m) => getComputedStyle(m).display)).toBe('inline');
    // The widget's own sizes, not the host's 60px.
    expect(await mark.evaluate((m) => getComputedStyle(m.closest('[data-para]')).fontSize)).toBe('17px');
  }
  // The story widget mounted before the hostile rules still works too.
  await tagText(page, 'Insurance claims for flood damage', 'Quote', 0, '#story');
  await expect(page.locator('#story mark[data-tag="quote"]')).toBeVisible();
});

test('under a strict CSP the widget works without a single violation; no eval in the module', async ({ page }) => {
  await page.addInitScript(() => {
    window.violations = [];
    window.addEventListener(
      'securitypolicyviolation',
      (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
      true,
    );
  });
  await openDemo(page, '/examples/embed/csp.html');
  // The policy is in force on this page.
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(
    "script-src 'self' 'wasm-unsafe-eval'",
  );
  await tagText(page, 'bail out their kitchens', 'Quote', 0, '#story');
  await tagText(page, 'I’ll believe it when I see the concrete', 'Claim', 0, 'marginalia-annotator');
  await expect(page.locator('#story mark[data-tag="quote"]')).toHaveText('bail out their kitchens');
  await expect(page.locator('marginalia-annotator mark[data-tag="claim"]')).toBeVisible();
  // The adopted stylesheet applies (a style-src violation would leave marks unstyled).
  const underline = await page
    .locator('#story mark[data-tag="quote"]')
    .evaluate((m) => getComputedStyle(m).textDecorationLine);
  expect(underline).toBe('underline');
  await page.locator('#story mark[data-tag="quote"]').click();
  await expect(page.locator('#story').getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.violations)).toEqual([]);

  for (const name of ['marginalia.js', 'marginalia_glue.js']) {
    const source = readFileSync(join(DIST_EMBED, name), 'utf8');
    expect(source.length).toBeGreaterThan(100);
    expect(source, name).not.toContain('new Function');
    expect(source, name).not.toContain('eval(');
  }
});

test('in a sandboxed frame without storage the widget warns and still tags in memory', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('/examples/embed/sandbox.html');
  const frame = page.frameLocator('#frame');
  await expect(frame.locator('#story article [data-para]').first()).toBeVisible();
  const banner = frame.locator('#story').getByRole('alert');
  await expect(banner).toContainText('not being saved');
  await expect(frame.locator('marginalia-annotator').getByRole('alert')).toContainText('not being saved');

  // The fixtures' helpers measure in the frame; the mouse moves in the page.
  const inner = await (await page.locator('#frame').elementHandle()).contentFrame();
  const origin = await page.evaluate(() => {
    const f = document.getElementById('frame');
    const r = f.getBoundingClientRect();
    const cs = getComputedStyle(f);
    return { x: r.left + f.clientLeft + parseFloat(cs.paddingLeft), y: r.top + f.clientTop + parseFloat(cs.paddingTop) };
  });
  const needle = 'passed 5.2 metres for the third winter running';
  const first = await textPoints(inner, needle, 0, '#story');
  await page.mouse.move(origin.x + first.start.x, origin.y + first.start.y);
  await page.mouse.down();
  const again = await textPoints(inner, needle, 0, '#story');
  await page.mouse.move(origin.x + again.end.x, origin.y + again.end.y, { steps: 8 });
  await page.mouse.up();
  const bar = frame.locator('#story').getByRole('toolbar', { name: 'Tag the selection' });
  await expect(bar).toBeVisible();
  await bar.getByRole('button', { name: 'Claim' }).click();
  await expect(frame.locator('#story mark[data-tag="claim"]')).toHaveText(needle);
  await expect(frame.locator('#story').getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  const kept = await inner.evaluate(() => window.marginaliaDemo.story.annotations().map((a) => a.body[0].value));
  expect(kept).toEqual(['claim']);
  // The frame really has no storage.
  const storage = await inner.evaluate(() => {
    try {
      return typeof localStorage.length;
    } catch (e) {
      return e.name;
    }
  });
  expect(storage).toBe('SecurityError');
});

test('importing the module a second time and calling its init raises no error', async ({ page }) => {
  await openDemo(page);
  const result = await page.evaluate(async () => {
    const before = customElements.get('marginalia-annotator');
    const second = await import('/embed/marginalia.js?second');
    await second.default();
    await second.default();
    const first = await import('/embed/marginalia.js');
    await first.default();
    // Both copies still mount; the element still mounts itself.
    const host = document.createElement('div');
    host.id = 'second-copy';
    document.querySelector('main').append(host);
    window.secondHandle = second.mount(host, { text: 'From the second copy\nIt mounts too.' });
    const el = document.createElement('marginalia-annotator');
    el.id = 'late-element';
    el.setAttribute('document-id', 'embed-late-element');
    el.innerHTML = '<p>A late element mounts itself.</p>';
    document.querySelector('main').append(el);
    return {
      distinct: second !== first,
      defined: typeof customElements.get('marginalia-annotator') === 'function',
      same: customElements.get('marginalia-annotator') === before,
      handle: el.handle !== null && typeof el.handle?.annotations === 'function',
    };
  });
  expect(result).toEqual({ distinct: true, defined: true, same: true, handle: true });
  await expect(page.locator('#second-copy article [data-para]')).toHaveCount(2);
  await expect(page.locator('#late-element article [data-para]')).toHaveText(['A late element mounts itself.']);
  await tagText(page, 'It mounts too', 'Caption', 0, '#second-copy');
  await expect(page.locator('#second-copy mark[data-tag="caption"]')).toHaveText('It mounts too');
});

test('two widgets with the same documentId stay in step; another documentId stays apart', async ({ page }) => {
  await openDemo(page);
  const text = 'Twin report\nThe ferry will run again from March, the harbour board said.';
  await mountNew(page, 'twin-a', { text, documentId: 'embed-twins' });
  await mountNew(page, 'twin-b', { text, documentId: 'embed-twins' });
  await mountNew(page, 'other', { text, documentId: 'embed-other' });

  await tagText(page, 'The ferry will run again from March', 'Claim', 0, '#twin-a');
  await expect(page.locator('#twin-a mark[data-tag="claim"]')).toHaveText('The ferry will run again from March');
  await expect(page.locator('#twin-b mark[data-tag="claim"]')).toHaveText('The ferry will run again from March');
  await expect(page.locator('#twin-b').getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  await expect(page.locator('#other mark')).toHaveCount(0);

  // And back the other way, by tagging in the second twin.
  await tagText(page, 'the harbour board said', 'Quote', 0, '#twin-b');
  await expect(page.locator('#twin-a mark[data-tag="quote"]')).toHaveText('the harbour board said');
  const lists = await page.evaluate(() => ['twin-a', 'twin-b', 'other'].map((id) => window.handles[id].annotations()));
  expect(lists[0]).toHaveLength(2);
  expect(lists[1]).toEqual(lists[0]);
  expect(lists[2]).toEqual([]);

  // A delete in one twin removes the highlight from the other.
  await page.locator('#twin-b mark[data-tag="claim"]').first().click();
  await page.locator('#twin-b').getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('#twin-a mark[data-tag="claim"]')).toHaveCount(0);
  await expect(page.locator('#twin-a mark[data-tag="quote"]')).toHaveCount(1);

  // The other document is independent: its own tag, its own key.
  await tagText(page, 'the harbour board said', 'Caption', 0, '#other');
  await expect(page.locator('#twin-a mark[data-tag="caption"]')).toHaveCount(0);
  await afterSave(page);
  const keys = await page.evaluate(() => ({
    twins: JSON.parse(localStorage.getItem('marginalia:v1:doc:embed-twins')).annotations.length,
    other: JSON.parse(localStorage.getItem('marginalia:v1:doc:embed-other')).annotations.length,
  }));
  expect(keys).toEqual({ twins: 1, other: 1 });
});
