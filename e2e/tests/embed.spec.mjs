// The embeddable widget: mount() (in place on the host's own article, or
// on given text), the <marginalia-annotator> element, the handle's API and
// events, isolation from the host page, CSP and sandboxing.
//
// Mounted in place, the host's article is never changed: highlights are
// ranges in CSS.highlights over the host's own text nodes, and the controls
// live in the widget's own element (`handle.controls`, `[data-marginalia]`):
// the demo story's is a side panel at the end of <body>, the custom
// element's sits in the element's own shadow root. With the `text` option
// the widget renders its own `article [data-para]` in a shadow root.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  test,
  expect,
  dragSelect,
  tagText,
  textPoints,
  afterSave,
  painted,
  clickText,
  hoverText,
  withRanges,
  checkW3c,
  readSaved,
} from './fixtures.mjs';

const DEMO = '/examples/embed/index.html';
const STORY_KEY = 'marginalia:v1:doc:gazette-flood-barrier-2026-11';
const LETTERS_KEY = 'marginalia:v1:doc:gazette-letters-2026-11';
const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));
// The build the tests are served (playwright.config.mjs serves the same).
const DIST_EMBED = join(resolve(E2E_DIR, process.env.MARGINALIA_DIST ?? '../dist'), 'embed');
/** The demo story's controls: its side panel, the first widget element at the end of <body>. */
const STORY_CONTROLS = 'body > [data-marginalia] >> nth=0';
const picker = (page, scope) => page.locator(scope).getByRole('toolbar', { name: 'Tag the selection' });

/** Waits until the demo's two widgets are mounted: the story's and the custom element's. */
async function demoMounted(page) {
  // Both annotators load on first use; these tests drive them, so ask for them.
  await page.waitForFunction(() => window.marginaliaDemo?.story && document.querySelector('marginalia-annotator')?.handle);
  await page.evaluate(() =>
    Promise.all([window.marginaliaDemo.story.ready, document.querySelector('marginalia-annotator').handle.ready]).then(() => true),
  );
  await expect(page.locator(STORY_CONTROLS).getByTestId('counts')).toHaveCount(1);
  await expect(page.locator('marginalia-annotator').getByTestId('counts')).toHaveCount(1);
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          window.marginaliaDemo?.story.controls === document.querySelector('body > [data-marginalia]') &&
          typeof document.querySelector('marginalia-annotator')?.handle?.annotations === 'function',
      ),
    )
    .toBe(true);
}

/** Opens the demo page and waits for both of its widgets. */
async function openDemo(page, path = DEMO) {
  await page.goto(path);
  await demoMounted(page);
}

/**
 * Mounts a widget on a new element appended to <main> and keeps its handle
 * at window.handles[id]. Runs the module's own import and init. With the
 * `text` option the widget renders its own article in the element.
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
      await window.handles[id].ready;
    },
    [id, options, tag],
  );
  await expect(page.locator(`#${id} article [data-para]`).first()).toBeVisible();
}

/** The painted highlights in `scope` as [tag, text] pairs (suggestions left out), sorted. */
const tagsIn = async (page, scope) =>
  (await painted(page, scope))
    .filter((h) => !h.suggested)
    .map((h) => [h.tag, h.text])
    .sort((a, b) => (a.join('\n') < b.join('\n') ? -1 : 1));

/**
 * Every Marginalia range in CSS.highlights (the chosen one's too) over
 * nodes inside `scope` (through shadow roots), as registry names.
 */
async function rangesIn(page, scope) {
  await withRanges(page);
  return page.evaluate((scope) => window.__marginaliaRanges(scope, { active: true }).map((r) => r.name), scope);
}

/** The client rects of the ranges of registry entry `name` inside `scope`. */
async function highlightRects(page, scope, name) {
  await withRanges(page);
  return page.evaluate(
    ([scope, name]) =>
      window
        .__marginaliaRanges(scope, { active: true })
        .filter((r) => r.name === name)
        .flatMap((r) => [...r.live.getClientRects()].filter((b) => b.width > 0))
        .map((b) => ({ width: b.width, height: b.height })),
    [scope, name],
  );
}

/**
 * The style the page gives the text of registry entry `name` in the
 * paragraph of `scope` holding `needle` (the host's own, or the widget's
 * shadow article): what `::highlight(name)` resolves to there.
 */
async function highlightStyle(page, scope, needle, name) {
  return page.evaluate(
    ([scope, needle, name]) => {
      const deepAll = (root, selector) => {
        const found = [...root.querySelectorAll(selector)];
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepAll(el.shadowRoot, selector));
        return found;
      };
      const within = document.querySelector(scope);
      let paras = deepAll(within, 'article [data-para]');
      if (paras.length === 0) paras = [...within.querySelectorAll('p, h1, h2, h3, h4, h5, h6, li, figcaption')];
      const para = paras.find((p) => p.textContent.includes(needle));
      const cs = getComputedStyle(para, `::highlight(${name})`);
      return { background: cs.backgroundColor, line: cs.textDecorationLine };
    },
    [scope, needle, name],
  );
}

/**
 * Two frames and a task: whatever the page does in answer to the input
 * before it (a render, a queued CSP report) has run.
 */
async function settled(page) {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))),
  );
}

/** Collapses runs of white space, as a reader sees the text. */
const squash = (s) => s.replace(/\s+/g, ' ').trim();

test('mount() annotates the story in place: the host’s DOM, figure, emphasis, link and fonts stay', async ({ page }) => {
  // Hold the demo's script back until the untouched story has been recorded.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/examples/embed/demo.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(DEMO, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => document.readyState !== 'loading' && document.querySelector('link[rel="stylesheet"]')?.sheet,
  );
  const before = await page.evaluate(() => {
    const story = document.getElementById('story');
    const nodes = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
      const out = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
      return out;
    };
    const fontOf = () => getComputedStyle(story.querySelector('p')).fontFamily;
    const record = { html: story.innerHTML, nodes: nodes(story), font: fontOf() };
    // Any change at all to the story's subtree, from now on.
    window.storyChanges = [];
    new MutationObserver((records) => window.storyChanges.push(...records.map((r) => r.type))).observe(story, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    window.storyAsBefore = () => {
      const now = nodes(story);
      return {
        html: story.innerHTML === record.html,
        nodes: now.length === record.nodes.length && now.every((n, i) => n === record.nodes[i]),
        font: fontOf() === record.font,
        changes: window.storyChanges.length,
      };
    };
    return { font: record.font, mounted: !!window.marginaliaDemo, nodes: record.nodes.length };
  });
  expect(before.mounted).toBe(false);
  // The site's own font for the story's paragraphs (site.css).
  expect(before.font).toBe('Georgia, serif');
  const untouched = { html: true, nodes: true, font: true, changes: 0 };

  release();
  await demoMounted(page);
  // Mounted: the story is exactly the host's, its figure, emphasis and link in place.
  expect(await page.evaluate(() => window.storyAsBefore())).toEqual(untouched);
  await expect(page.locator('#story > h2')).toHaveText(
    'City council approves £48 million flood barrier after third winter of record river levels',
  );
  await expect(page.locator('#story figure .hero[role="img"]')).toBeVisible();
  expect((await page.locator('#story figure .hero').boundingBox()).height).toBeGreaterThan(100);
  await expect(page.locator('#story figure figcaption')).toHaveText(
    'The River Wendle bursts its banks at Millbridge (pictured) on Sunday',
  );
  await expect(page.locator('#story p em')).toHaveText('£48 million');
  expect(await page.locator('#story p em').evaluate((em) => getComputedStyle(em).fontStyle)).toBe('italic');
  const link = page.locator('#story').getByRole('link', { name: 'the Association of British Insurers' });
  await expect(link).toBeVisible();
  expect(await page.locator('#story p').first().evaluate((p) => getComputedStyle(p).fontFamily)).toBe(before.font);
  // The controls are the widget's own element, outside the story.
  const controls = await page.evaluate(() => {
    const c = window.marginaliaDemo.story.controls;
    return {
      element: c instanceof HTMLElement,
      connected: c.isConnected,
      inStory: document.getElementById('story').contains(c),
      marked: c.hasAttribute('data-marginalia'),
      shadow: c.shadowRoot?.mode ?? null,
    };
  });
  expect(controls).toEqual({ element: true, connected: true, inStory: false, marked: true, shadow: 'open' });

  // Tagging across the <em> paints the host's own text and changes nothing in it.
  await tagText(page, 'a £48 million flood barrier', 'Claim', 0, '#story', STORY_CONTROLS);
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['claim', 'a £48 million flood barrier']]);
  // And from before the link to after it: the link is annotated, and still a link.
  await tagText(page, '2020, the Association of British Insurers said', 'Quote', 0, '#story', STORY_CONTROLS);
  await expect
    .poll(() => tagsIn(page, '#story'))
    .toEqual([
      ['claim', 'a £48 million flood barrier'],
      ['quote', '2020, the Association of British Insurers said'],
    ]);
  expect(await page.evaluate(() => window.storyAsBefore())).toEqual(untouched);
  // The story's text, as the widget reads it: its seven blocks (the hero
  // image counts as nothing; the <em> and the link join their paragraphs),
  // one paragraph each, and the annotations' positions are in that text.
  const blocks = await page.evaluate(() =>
    [...document.querySelectorAll('#story h2, #story figcaption, #story p')].map((b) => b.textContent),
  );
  expect(blocks).toHaveLength(7);
  const text = blocks.map(squash).join('\n');
  const positions = await page.evaluate(() =>
    window.marginaliaDemo.story.annotations().map((a) => {
      const quote = a.target.selector.find((s) => s.type === 'TextQuoteSelector');
      const position = a.target.selector.find((s) => s.type === 'TextPositionSelector');
      return [quote.exact, position.start, position.end];
    }),
  );
  const at = (exact) => [...text.slice(0, text.indexOf(exact))].length;
  expect(positions).toEqual(
    ['a £48 million flood barrier', '2020, the Association of British Insurers said'].map((exact) => [
      exact,
      at(exact),
      at(exact) + [...exact].length,
    ]),
  );
  expect(await page.evaluate(() => location.hash)).toBe('');
  await link.click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#abi');
  // The link did what the host made it do: no popover of the widget's.
  await expect(page.locator(STORY_CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toHaveCount(0);

  // destroy(): the story is still exactly the host's, and unpainted.
  await page.evaluate(() => window.marginaliaDemo.story.destroy());
  expect(await page.evaluate(() => window.storyAsBefore())).toEqual(untouched);
  expect(await rangesIn(page, '#story')).toEqual([]);
  await expect(page.locator('#story figure .hero')).toBeVisible();
  await expect(page.locator('#story p em')).toHaveText('£48 million');
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

test('tagging by keyboard keeps the reader where they are, with the article near the top of the window', async ({ page }) => {
  // Focus goes back to the article after a tag, and focusing an element
  // much taller than the window scrolls its top into view: a reader tagging
  // from the keyboard near the article's start had the page jump each time.
  await openDemo(page);
  const text = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of a long story, with enough words to wrap once or twice in the column.`).join('\n');
  await mountNew(page, 'long', { text });
  // The article's top 24 px below the window's.
  await page.evaluate(() => {
    document.querySelector('#long > *').shadowRoot.querySelector('article').scrollIntoView();
    window.scrollBy(0, -24);
  });
  await dragSelect(page, 'a long story', 0, '#long');
  const picker = page.locator('#long').getByRole('toolbar', { name: 'Tag the selection' });
  await expect(picker).toBeVisible();
  // Into the picker from the keyboard, and the tag chosen with Enter.
  await picker.getByRole('button', { name: 'Claim' }).focus();
  const before = await page.evaluate(() => scrollY);
  await page.keyboard.press('Enter');
  await expect(page.locator('#long').getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe('ARTICLE');
  const after = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(scrollY)))));
  expect(after, 'the page did not scroll').toBe(before);
});

test('the mounted story and the custom element each tag by mouse and save under their own key', async ({ page }) => {
  await openDemo(page);
  const claim = 'voted 31 to 9 on Tuesday night';
  const quote = 'residents were promised a wall in 2016';
  await tagText(page, claim, 'Claim', 0, '#story', STORY_CONTROLS);
  await tagText(page, quote, 'Quote', 0, 'marginalia-annotator');
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['claim', claim]]);
  await expect.poll(() => tagsIn(page, 'marginalia-annotator')).toEqual([['quote', quote]]);
  await expect(page.locator(STORY_CONTROLS).getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  await expect(page.locator('marginalia-annotator').getByTestId('counts')).toHaveText('0 claims · 1 quote · 0 captions');
  // The story's side panel, closed on this window, says how many there are.
  await expect(page.locator(STORY_CONTROLS).getByRole('button', { name: 'Annotations (1)' })).toBeVisible();
  // The custom element's panel is its own, right after its article, in its shadow root.
  const letters = await page.evaluate(() => {
    const el = document.querySelector('marginalia-annotator');
    const controls = el.handle.controls;
    return {
      inShadow: el.shadowRoot.contains(controls),
      afterSlot: el.shadowRoot.querySelector('slot')?.nextElementSibling?.contains(controls) ?? false,
      lightChildren: [...el.children].map((c) => c.tagName.toLowerCase()),
    };
  });
  expect(letters).toEqual({ inShadow: true, afterSlot: true, lightChildren: ['h2', 'p', 'p'] });

  await afterSave(page);
  const [story, lettersSaved] = [await readSaved(page, STORY_KEY), await readSaved(page, LETTERS_KEY)];
  expect(story.annotations).toHaveLength(1);
  expect(JSON.stringify(story.annotations)).toContain(claim);
  expect(JSON.stringify(story.annotations)).not.toContain(quote);
  expect(lettersSaved.annotations).toHaveLength(1);
  expect(JSON.stringify(lettersSaved.annotations)).toContain(quote);
  expect(JSON.stringify(lettersSaved.annotations)).not.toContain(claim);
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
  const controls = page.locator(STORY_CONTROLS);
  const needle = 'flood barrier along the River Wendle';

  await tagText(page, needle, 'Claim', 0, '#story', STORY_CONTROLS);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:create', 'dom:create']);
  let [on, dom] = await events();
  expect(on.plain).toBe(true);
  expect(dom).toMatchObject({ plain: true, target: true, bubbles: true, composed: true });
  expect(dom.a).toEqual(on.a);
  expect(on.a.type).toBe('Annotation');
  expect(on.a.body).toEqual([{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }]);
  expect(on.a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact).toBe(needle);
  const id = on.a.id;

  // A click on the highlighted text selects it.
  await page.evaluate(() => (window.got = []));
  await clickText(page, needle, 0, '#story');
  const dialog = controls.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog).toBeVisible();
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:select', 'dom:select']);
  for (const e of await events()) expect(e.a.id).toBe(id);

  // Retagging is an update carrying the new tag.
  await page.evaluate(() => (window.got = []));
  await dialog.getByRole('button', { name: 'Quote' }).click();
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['quote', needle]]);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:update', 'dom:update']);
  for (const e of await events()) {
    expect(e.plain).toBe(true);
    expect(e.a.id).toBe(id);
    expect(e.a.body[0].value).toBe('quote');
  }

  // Deleting carries the annotation as it was.
  await page.evaluate(() => (window.got = []));
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => tagsIn(page, '#story')).toEqual([]);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:delete', 'dom:delete']);
  for (const e of await events()) {
    expect(e.a.id).toBe(id);
    expect(e.a.body[0].value).toBe('quote');
  }

  // Showing a highlight from the panel is a select too.
  await tagText(page, 'Insurance claims for flood damage', 'Caption', 0, '#story', STORY_CONTROLS);
  await page.evaluate(() => (window.got = []));
  await controls.getByRole('button', { name: 'Annotations (1)' }).click();
  await controls.getByRole('list', { name: 'Annotations', exact: true }).getByRole('button').first().click();
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['on:select', 'dom:select']);
  expect((await events())[0].a.body[0].value).toBe('caption');
  await controls.getByRole('button', { name: 'Close panel' }).click();
  await expect(controls.getByRole('list', { name: 'Annotations', exact: true })).toBeHidden();

  // off() stops the handler; the DOM events still arrive.
  await page.evaluate(() => {
    window.got = [];
    for (const [name, fn] of Object.entries(window.onHandlers)) window.marginaliaDemo.story.off(name, fn);
  });
  await tagText(page, 'reached £12.6 million last year', 'Claim', 0, '#story', STORY_CONTROLS);
  await expect
    .poll(() => tagsIn(page, '#story'))
    .toEqual([
      ['caption', 'Insurance claims for flood damage'],
      ['claim', 'reached £12.6 million last year'],
    ]);
  await expect.poll(async () => (await events()).map((e) => `${e.via}:${e.name}`)).toEqual(['dom:create']);
});

test('annotations() gives W3C annotations with positions in code points', async ({ page }) => {
  await openDemo(page);
  const text = 'Emoji 😀 then the claim here';
  const exact = 'the claim here';
  await mountNew(page, 'emoji', { text, documentId: 'embed-emoji' });
  await tagText(page, exact, 'Claim', 0, '#emoji');
  await expect.poll(() => tagsIn(page, '#emoji')).toEqual([['claim', exact]]);
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

  const dir = mkdtempSync(join(tmpdir(), 'marginalia-w3c-'));
  const file = join(dir, 'annotations.json');
  writeFileSync(file, JSON.stringify(list, null, 2));
  try {
    checkW3c(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('setAnnotations() round-trips, refuses what cannot anchor, and rejects a non-array', async ({ page }) => {
  await openDemo(page);
  const claim = 'The city council voted 31 to 9';
  const quote = 'the most important thing this chamber will do in a generation';
  await tagText(page, claim, 'Claim', 0, '#story', STORY_CONTROLS);
  await tagText(page, quote, 'Quote', 0, '#story', STORY_CONTROLS);
  const both = [
    ['claim', claim],
    ['quote', quote],
  ];
  await expect.poll(() => tagsIn(page, '#story')).toEqual(both);
  const first = await page.evaluate(() => window.marginaliaDemo.story.annotations());
  expect(first).toHaveLength(2);
  const idsOf = (list) => list.map((a) => a.id);
  const counts = page.locator(STORY_CONTROLS).getByTestId('counts');

  const cleared = await page.evaluate(() => window.marginaliaDemo.story.setAnnotations([]));
  expect(cleared).toMatchObject({ accepted: 0, refused: [], items: [] });
  await expect.poll(() => rangesIn(page, '#story')).toEqual([]);
  expect(await page.evaluate(() => window.marginaliaDemo.story.annotations())).toEqual([]);
  await expect(counts).toHaveText('0 claims · 0 quotes · 0 captions');

  const back = await page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), first);
  expect(back).toMatchObject({ accepted: 2, refused: [] });
  await expect.poll(() => tagsIn(page, '#story')).toEqual(both);
  await expect(counts).toHaveText('1 claim · 1 quote · 0 captions');
  // Brought back after being removed, they count as modified now (so the
  // removal, which other tabs may have seen, does not win over them).
  const restored = await page.evaluate(() => window.marginaliaDemo.story.annotations());
  expect(idsOf(restored)).toEqual(idsOf(first));
  const withoutModified = (list) => list.map(({ modified, ...rest }) => rest);
  expect(withoutModified(restored)).toEqual(withoutModified(first));
  for (const [i, a] of restored.entries()) expect(Date.parse(a.modified)).toBeGreaterThan(Date.parse(first[i].modified));
  // Setting what is already there changes nothing, not even the times.
  await page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), restored);
  expect(await page.evaluate(() => window.marginaliaDemo.story.annotations())).toEqual(restored);
  // And it was saved.
  await afterSave(page);
  const saved = await readSaved(page, STORY_KEY);
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
  await settled(page);
  expect(await tagsIn(page, '#story')).toEqual(both);
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
  await settled(page);
  expect(await tagsIn(page, '#story')).toEqual(both);
  expect(withoutModified(await page.evaluate(() => window.marginaliaDemo.story.annotations()))).toEqual(withoutModified(first));
});

test('a widget whose handle the host drops lives on through garbage collection until destroy()', async ({ page }) => {
  await openDemo(page);
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const host = document.createElement('section');
    host.id = 'unheld';
    host.innerHTML = '<p>Forecasters say the river will peak on Friday.</p>';
    const panel = document.createElement('div');
    panel.id = 'unheld-panel';
    document.querySelector('main').prepend(host, panel);
    // No reference to the handle is kept anywhere.
    mount(host, { documentId: 'embed-unheld', panel });
  });
  const controls = page.locator('#unheld-panel > [data-marginalia]');
  // The launcher brings the annotator, which no handle holds either.
  await controls.getByRole('button', { name: 'Annotations (0)' }).click();
  await expect(controls.getByTestId('counts')).toHaveText('0 claims · 0 quotes · 0 captions');
  // Collect until a sentinel's finalizer has run, twice: finalizers are
  // queued as tasks by the collection that found their objects gone, so
  // once the sentinel's has run, the handle's (dropped long before) have too.
  const cdp = await page.context().newCDPSession(page);
  for (let round = 1; round <= 2; round++) {
    await page.evaluate(() => {
      window.__finalized ??= 0;
      window.__sentinels ??= new FinalizationRegistry(() => (window.__finalized += 1));
      window.__sentinels.register({}, 'sentinel');
    });
    await expect
      .poll(async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return page.evaluate(() => window.__finalized);
      })
      .toBe(round);
  }
  await expect(controls.getByTestId('counts')).toHaveCount(1);
  await tagText(page, 'the river will peak', 'Claim', 0, '#unheld', '#unheld-panel');
  await expect.poll(() => tagsIn(page, '#unheld')).toEqual([['claim', 'the river will peak']]);
  await expect(controls.getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  await afterSave(page);
  const saved = await readSaved(page, 'marginalia:v1:doc:embed-unheld');
  expect(saved.annotations.map((a) => a.quote.exact)).toEqual(['the river will peak']);
});

test('destroy() removes every range, stylesheet, element and listener the widget added, and nothing else', async ({ page }) => {
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
    const nodes = () => {
      const walker = document.createTreeWalker(host, NodeFilter.SHOW_ALL);
      const out = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
      return out;
    };
    const keep = nodes();
    const before = host.innerHTML;
    window.goneAsBefore = () => {
      const now = nodes();
      return { html: host.innerHTML === before, nodes: now.length === keep.length && now.every((n, i) => n === keep[i]) };
    };
    const sheets = [...document.adoptedStyleSheets];
    const registry = [...CSS.highlights.keys()];
    const elements = document.querySelectorAll('[data-marginalia]').length;
    const handle = mount(host, { documentId: 'embed-destroy' });
    await handle.ready;
    window.destroyed = { handle, got: [], sheets, registry, elements };
    for (const name of ['create', 'update', 'delete', 'select']) {
      handle.on(name, () => window.destroyed.got.push(`on:${name}`));
      host.addEventListener(`marginalia:${name}`, () => window.destroyed.got.push(`dom:${name}`));
    }
    // The widget's own element is the second at the end of <body> (the story's is the first).
    return { before, second: document.querySelectorAll('body > [data-marginalia]')[1] === handle.controls };
  });
  expect(original.second).toBe(true);
  const controls = 'body > [data-marginalia] >> nth=1';
  // Mounted in place: a widget, and it works before destroy (so the check after is meaningful).
  await expect(page.locator(controls).getByTestId('counts')).toHaveText('0 claims · 0 quotes · 0 captions');
  await tagText(page, 'the river will peak', 'Claim', 0, '#gone', controls);
  await expect.poll(() => tagsIn(page, '#gone')).toEqual([['claim', 'the river will peak']]);
  expect(await page.evaluate(() => window.destroyed.got)).toEqual(['on:create', 'dom:create']);
  // Painted with its stylesheet adopted by the document, and chosen (the active entry too).
  expect(await highlightStyle(page, '#gone', 'the river will peak', 'marginalia-claim')).toMatchObject({ line: 'underline' });
  expect(await page.evaluate(() => document.adoptedStyleSheets.length)).toBeGreaterThan(
    await page.evaluate(() => window.destroyed.sheets.length),
  );
  expect((await rangesIn(page, '#gone')).sort()).toEqual(['marginalia--active', 'marginalia-claim']);
  expect(await page.evaluate(() => window.goneAsBefore())).toEqual({ html: true, nodes: true });

  const after = await page.evaluate(() => {
    window.destroyed.got = [];
    const { handle, sheets, elements } = window.destroyed;
    handle.destroy();
    const now = document.adoptedStyleSheets;
    return {
      sheets: now.length === sheets.length && now.every((s, i) => s === sheets[i]),
      elements: document.querySelectorAll('[data-marginalia]').length === elements,
      controls: handle.controls.isConnected,
      marked: document.getElementById('gone').querySelector('[data-marginalia]') !== null,
    };
  });
  // The document's adopted stylesheets are the very ones it had; the widget's element is gone.
  expect(after).toEqual({ sheets: true, elements: true, controls: false, marked: false });
  // No range of the widget's is left, and entries left empty are gone:
  // the registry is as it was before the mount.
  expect(await rangesIn(page, '#gone')).toEqual([]);
  expect(await page.evaluate(() => [...CSS.highlights.keys()])).toEqual(
    await page.evaluate(() => window.destroyed.registry),
  );
  expect(await page.evaluate(() => window.goneAsBefore())).toEqual({ html: true, nodes: true });
  expect(await page.locator('#gone').innerHTML()).toBe(original.before);

  // A mouse selection over the text, and the key '1': no picker, no highlight, no events.
  await dragSelect(page, 'the river will peak', 0, '#gone');
  expect(await page.evaluate(() => getSelection().toString())).toBe('the river will peak');
  await page.keyboard.press('1');
  // The story's widget (still mounted) answers a drag of its own: the events
  // before it have all been handled when its picker shows.
  await dragSelect(page, 'Insurance claims for flood damage', 0, '#story');
  await expect(picker(page, STORY_CONTROLS)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(picker(page, STORY_CONTROLS)).toBeHidden();
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toHaveCount(0);
  expect(await rangesIn(page, '#gone')).toEqual([]);
  expect(await page.evaluate(() => window.destroyed.got)).toEqual([]);
  expect(await page.evaluate(() => window.goneAsBefore())).toEqual({ html: true, nodes: true });
  // Calling destroy again is harmless.
  await page.evaluate(() => window.destroyed.handle.destroy());
  expect(await page.evaluate(() => window.goneAsBefore())).toEqual({ html: true, nodes: true });
  // The story's widget lost nothing: its stylesheet is still adopted, it still tags.
  await tagText(page, 'bail out their kitchens', 'Quote', 0, '#story', STORY_CONTROLS);
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['quote', 'bail out their kitchens']]);
  expect(await highlightStyle(page, '#story', 'bail out their kitchens', 'marginalia-quote')).toMatchObject({
    line: 'underline',
  });
});

// Yew tears a component down only at its next run, after destroy() has
// returned: the widget unpaints itself first, so a host reading
// CSS.highlights right after destroy() finds none of its ranges.
test('destroy() has taken its ranges out of CSS.highlights by the time it returns', async ({ page }) => {
  await openDemo(page);
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const host = document.createElement('section');
    host.id = 'gone-now';
    host.innerHTML = '<p>Forecasters say the river will peak on Friday.</p>';
    const panel = document.createElement('div');
    panel.id = 'gone-now-panel';
    document.querySelector('main').prepend(host, panel);
    window.goneNow = mount(host, { documentId: 'embed-destroy-now', panel });
  });
  await tagText(page, 'the river will peak', 'Claim', 0, '#gone-now', '#gone-now-panel');
  await expect.poll(() => tagsIn(page, '#gone-now')).toEqual([['claim', 'the river will peak']]);
  const left = await page.evaluate(() => {
    window.goneNow.destroy();
    const host = document.getElementById('gone-now');
    let n = 0;
    for (const [name, highlight] of CSS.highlights) {
      if (name.startsWith('marginalia-')) for (const r of highlight) if (host.contains(r.startContainer)) n += 1;
    }
    return { ranges: n, names: [...CSS.highlights.keys()] };
  });
  expect(left).toEqual({ ranges: 0, names: [] });
});

test('hostile host CSS neither breaks the widget nor is changed by it', async ({ page }) => {
  await openDemo(page);
  // A host section the widget will annotate in place.
  await page.evaluate(() => {
    const host = document.createElement('section');
    host.id = 'plain';
    host.innerHTML = '<h3>In place</h3><p>The host’s own paragraph keeps the host’s own styles.</p>';
    document.querySelector('main').append(host);
  });
  const styleOf = () =>
    page.evaluate(() =>
      ['.masthead h1', '#events', 'body', 'footer', '#plain p', '#story p em'].map((sel) => {
        const cs = getComputedStyle(document.querySelector(sel));
        // Sizes follow the content (a new widget makes the body taller); every other property must not move.
        const geometry = /^(height|width|block-size|inline-size|perspective-origin|transform-origin)$/;
        return Object.fromEntries([...cs].filter((p) => !geometry.test(p)).map((p) => [p, cs.getPropertyValue(p)]));
      }),
    );
  const before = await styleOf();
  await mountNew(page, 'second', { text: 'Hostile pages\nThe widget keeps its own styles under any host rules.' });
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    window.handles.plain = mount(document.getElementById('plain'), { documentId: 'embed-plain', panel: false });
  });
  expect(await styleOf()).toEqual(before);
  const ownStyle = await highlightStyle(page, '#second', 'keeps its own styles', 'marginalia-claim');
  expect(ownStyle.line).toBe('underline');

  await page.addStyleTag({
    content:
      '* { all: unset !important; } [data-para], aside, [role="toolbar"] { display: none !important; } ' +
      '::highlight(marginalia-claim) { background-color: transparent !important; text-decoration: none !important; } ' +
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
    await expect.poll(() => tagsIn(page, scope)).toEqual([['claim', needle]]);
    // Painted on screen, in the widget's own colours (the host's ::highlight rule does not reach in).
    const rects = await highlightRects(page, scope, 'marginalia-claim');
    expect(rects.length).toBeGreaterThan(0);
    expect(rects[0].width).toBeGreaterThan(10);
    expect(rects[0].height).toBeGreaterThan(5);
    expect(await highlightStyle(page, scope, needle, 'marginalia-claim')).toEqual(ownStyle);
    // The widget's own sizes, not the host's 60px.
    const size = await page
      .locator(`${scope} article [data-para]`)
      .filter({ hasText: needle })
      .evaluate((p) => getComputedStyle(p).fontSize);
    expect(size).toBe('17px');
  }
  // The widgets mounted in place before the hostile rules still work too
  // (the host's text is the host's to style: painted, whatever it looks like).
  await tagText(page, 'Insurance claims for flood damage', 'Quote', 0, '#story', STORY_CONTROLS);
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['quote', 'Insurance claims for flood damage']]);
  expect((await highlightRects(page, '#story', 'marginalia-quote')).length).toBeGreaterThan(0);
  await tagText(page, 'keeps the host’s own styles', 'Caption', 0, '#plain', 'body > [data-marginalia] >> nth=1');
  await expect.poll(() => tagsIn(page, '#plain')).toEqual([['caption', 'keeps the host’s own styles']]);
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
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(
    "style-src 'self'",
  );
  await tagText(page, 'bail out their kitchens', 'Quote', 0, '#story', STORY_CONTROLS);
  await tagText(page, 'I’ll believe it when I see the concrete', 'Claim', 0, 'marginalia-annotator');
  await expect.poll(() => tagsIn(page, '#story')).toEqual([['quote', 'bail out their kitchens']]);
  await expect
    .poll(() => tagsIn(page, 'marginalia-annotator'))
    .toEqual([['claim', 'I’ll believe it when I see the concrete']]);
  // The document-level adopted stylesheet applies (a style-src violation would leave the highlights unstyled).
  expect(await highlightStyle(page, '#story', 'bail out their kitchens', 'marginalia-quote')).toMatchObject({
    line: 'underline',
  });
  expect(await highlightStyle(page, 'marginalia-annotator', 'see the concrete', 'marginalia-claim')).toMatchObject({
    line: 'underline',
  });
  // The label (placed through the CSSOM) on hover, the popover on a click, the side panel opened.
  await hoverText(page, 'bail out their kitchens', 0, '#story');
  await expect(page.locator(STORY_CONTROLS).locator('.hl-label')).toHaveText('Quote');
  await clickText(page, 'bail out their kitchens', 0, '#story');
  await expect(page.locator(STORY_CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.locator(STORY_CONTROLS).getByRole('button', { name: 'Annotations (1)' }).click();
  await expect(page.locator(STORY_CONTROLS).getByRole('list', { name: 'Annotations', exact: true })).toBeVisible();
  await settled(page);
  expect(await page.evaluate(() => window.violations)).toEqual([]);

  for (const name of ['marginalia.js', 'marginalia_glue.js']) {
    const source = readFileSync(join(DIST_EMBED, name), 'utf8');
    expect(source.length).toBeGreaterThan(100);
    expect(source, name).not.toContain('new Function');
    expect(source, name).not.toContain('eval(');
  }
});

/** Opens the sandboxed frame's demo; returns its frame locator and Frame. */
async function openSandbox(page) {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('/examples/embed/sandbox.html');
  const frame = page.frameLocator('#frame');
  await expect(frame.locator(STORY_CONTROLS).getByTestId('counts')).toHaveCount(1);
  await expect(frame.locator('marginalia-annotator').getByTestId('counts')).toHaveCount(1);
  const inner = await (await page.locator('#frame').elementHandle()).contentFrame();
  return { frame, inner };
}

test('in a sandboxed frame without storage the widget warns and still tags in memory', async ({ page }) => {
  const { frame, inner } = await openSandbox(page);
  // Both widgets have the warning (the story's in its side panel).
  await expect(frame.locator(STORY_CONTROLS).locator('[role="alert"]')).toContainText('not being saved');
  await expect(frame.locator('marginalia-annotator').getByRole('alert')).toContainText('not being saved');

  // The fixtures' helpers measure in the frame; the mouse moves in the page.
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
  const bar = frame.locator(STORY_CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
  await expect(bar).toBeVisible();
  await bar.getByRole('button', { name: 'Claim' }).click();
  await expect.poll(() => tagsIn(inner, '#story')).toEqual([['claim', needle]]);
  await expect(frame.locator(STORY_CONTROLS).getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  const kept = await inner.evaluate(() => window.marginaliaDemo.story.annotations().map((a) => a.body[0].value));
  expect(kept).toEqual(['claim']);
  // Opening the story's panel shows its warning.
  await frame.locator(STORY_CONTROLS).getByRole('button', { name: 'Annotations (1)' }).click();
  await expect(frame.locator(STORY_CONTROLS).getByRole('alert')).toBeVisible();
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

// The side panel starts closed when the window has no room right of the
// article (here, a 1000px frame); its warnings and live region are outside
// the part that closes, so the reader is told that nothing is saved.
test('in a sandboxed frame the in-place story warns the reader without the panel being opened', async ({ page }) => {
  const { frame } = await openSandbox(page);
  await expect(frame.locator(STORY_CONTROLS).getByRole('button', { name: 'Annotations (0)' })).toBeVisible();
  const banner = frame.locator(STORY_CONTROLS).getByRole('alert');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('not being saved');
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
      inPlace: el.innerHTML === '<p>A late element mounts itself.</p>' && el.shadowRoot?.contains(el.handle?.controls),
    };
  });
  expect(result).toEqual({ distinct: true, defined: true, same: true, handle: true, inPlace: true });
  await expect(page.locator('#second-copy article [data-para]')).toHaveCount(2);
  await tagText(page, 'It mounts too', 'Caption', 0, '#second-copy');
  await expect.poll(() => tagsIn(page, '#second-copy')).toEqual([['caption', 'It mounts too']]);
  // The late element annotates its own paragraph in place.
  await tagText(page, 'mounts itself', 'Claim', 0, '#late-element');
  await expect.poll(() => tagsIn(page, '#late-element')).toEqual([['claim', 'mounts itself']]);
  expect(await page.locator('#late-element').innerHTML()).toBe('<p>A late element mounts itself.</p>');
});

test('two widgets with the same documentId stay in step; another documentId stays apart', async ({ page }) => {
  await openDemo(page);
  const text = 'Twin report\nThe ferry will run again from March, the harbour board said.';
  await mountNew(page, 'twin-a', { text, documentId: 'embed-twins' });
  await mountNew(page, 'twin-b', { text, documentId: 'embed-twins' });
  await mountNew(page, 'other', { text, documentId: 'embed-other' });
  const ferry = 'The ferry will run again from March';
  const board = 'the harbour board said';

  await tagText(page, ferry, 'Claim', 0, '#twin-a');
  await expect.poll(() => tagsIn(page, '#twin-a')).toEqual([['claim', ferry]]);
  await expect.poll(() => tagsIn(page, '#twin-b')).toEqual([['claim', ferry]]);
  await expect(page.locator('#twin-b').getByTestId('counts')).toHaveText('1 claim · 0 quotes · 0 captions');
  expect(await tagsIn(page, '#other')).toEqual([]);
  // They share the registry's entry, each with its own range.
  expect(await page.evaluate(() => CSS.highlights.get('marginalia-claim').size)).toBe(2);

  // And back the other way, by tagging in the second twin.
  await tagText(page, board, 'Quote', 0, '#twin-b');
  await expect
    .poll(() => tagsIn(page, '#twin-a'))
    .toEqual([
      ['claim', ferry],
      ['quote', board],
    ]);
  const lists = await page.evaluate(() => ['twin-a', 'twin-b', 'other'].map((id) => window.handles[id].annotations()));
  expect(lists[0]).toHaveLength(2);
  expect(lists[1]).toEqual(lists[0]);
  expect(lists[2]).toEqual([]);

  // A delete in one twin removes the highlight from the other.
  await clickText(page, ferry, 0, '#twin-b');
  await page.locator('#twin-b').getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => tagsIn(page, '#twin-a')).toEqual([['quote', board]]);
  await expect.poll(() => tagsIn(page, '#twin-b')).toEqual([['quote', board]]);

  // The other document is independent: its own tag, its own key.
  await tagText(page, board, 'Caption', 0, '#other');
  await expect.poll(() => tagsIn(page, '#other')).toEqual([['caption', board]]);
  expect(await tagsIn(page, '#twin-a')).toEqual([['quote', board]]);
  await afterSave(page);
  const keys = {
    twins: (await readSaved(page, 'marginalia:v1:doc:embed-twins')).annotations.length,
    other: (await readSaved(page, 'marginalia:v1:doc:embed-other')).annotations.length,
  };
  expect(keys).toEqual({ twins: 1, other: 1 });
});
