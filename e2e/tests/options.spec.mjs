// Embed options and handle features the README promises ("Embed it"),
// each driven the way a host or a reader uses it: `readOnly` and the
// `read-only` attribute, `preload()`, the launcher's loading notice, the
// theme's custom properties, and a host's own tags. The host pages are
// built here and served with `page.route` (fixtures' `serveHost`).
import { test, expect, afterSave, dragSelect, clickText, painted, serveHost, bundleRequests, holdAnnotator } from './fixtures.mjs';

const PAGE = '/options-host.html';
const CONTROLS = 'body > [data-marginalia]';
const ARTICLE = `<h1>Harbour plan approved</h1>
  <p>The council said the new report was clear. Work starts in May.</p>
  <p>Critics called it rushed, and the mayor said so too.</p>`;

/**
 * Serves the host page at PAGE (fixtures' `serveHost`), with this file's
 * article by default. The page is built from `host` at each load, so a test
 * can change it (its `script`, say) between visits.
 */
function serve(page, host) {
  host.body ??= `<article id="host">${ARTICLE}</article>`;
  return serveHost(page, PAGE, host);
}

/** Loads PAGE (or reloads it) and waits for the host's script to have run. */
async function load(page) {
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
}

const w3c = (id, exact, tag, note) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [
    { type: 'TextualBody', purpose: 'tagging', value: tag },
    ...(note ? [{ type: 'TextualBody', purpose: 'commenting', value: note }] : []),
  ],
  target: { source: 'urn:x', selector: [{ type: 'TextQuoteSelector', exact }] },
});

/** The highlights painted in `scope` (fixtures.mjs `painted`), sorted by text: the registry's order is no promise. */
const shownIn = async (page, scope) => (await painted(page, scope)).sort((a, b) => (a.text < b.text ? -1 : 1));

/** Every key and value in the page's localStorage. */
const storage = (page) => page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));

/** The tag ids of the W3C annotations the handle gives, with the words each covers, sorted. */
const tagged = (page) =>
  page.evaluate(() =>
    window.handle.ready.then((h) =>
      h
        .annotations()
        .map((a) => {
          const tag = a.body.find((b) => b.purpose === 'tagging').value;
          return `${tag}: ${a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact}`;
        })
        .sort(),
    ),
  );

/**
 * Records, from now on, every toolbar "Tag the selection" (the picker) and
 * every control to edit a highlight (a tag button, a note field, Delete)
 * added in any shadow root the page makes, so a picker or an editor that
 * showed for a moment is seen too. Run before the page loads.
 */
async function recordEditing(page) {
  await page.addInitScript(() => {
    window.__editing = [];
    const editing = [
      '[role=toolbar][aria-label="Tag the selection"]',
      '.popover [role=group][aria-label=Tag]',
      '.popover textarea',
      '.popover .delete',
    ].join(', ');
    const look = (node) => {
      if (node.nodeType !== 1) return;
      for (const el of [node, ...node.querySelectorAll('*')]) {
        if (el.matches(editing)) window.__editing.push(el.outerHTML.slice(0, 80));
      }
    };
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      const seen = (records) => records.forEach((r) => r.addedNodes.forEach(look));
      new MutationObserver(seen).observe(root, { childList: true, subtree: true });
      return root;
    };
  });
}

const SEEDED = [w3c('a', 'called it rushed', 'claim', 'Said twice'), w3c('b', 'Work starts', 'quote')];
const READ_ONLY_KEY = 'marginalia:v1:doc:options-read-only';

/**
 * Saves SEEDED under the document id `options-read-only` through a widget
 * that may change things (made by `script`), and checks on the way that
 * `recordEditing` sees the picker such a widget offers. Gives what it painted.
 */
async function seed(page, host, script, scope, controls) {
  host.script = script;
  await load(page);
  await page.evaluate(async (items) => (await window.handle.ready).setAnnotations(items), SEEDED);
  await expect.poll(async () => (await painted(page, scope)).length).toBe(2);
  await afterSave(page);
  expect(Object.keys(await storage(page))).toContain(READ_ONLY_KEY);
  await dragSelect(page, 'council said', 0, scope);
  await expect(page.locator(controls).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => window.__editing.length)).toBe(1);
  return shownIn(page, scope);
}

/**
 * What a reader of a read-only widget tries, through the mouse and the
 * keys: a selection and the key that would tag it (the first use, which
 * wakes the annotator), a click on a highlight, then Escape, Delete on the
 * highlight the popover leaves chosen, and `k`. Asserts that none of it
 * offered a picker or an editing control, or changed a highlight. `side`:
 * the panel is the side panel, closed until its button is pressed.
 */
async function readerChangesNothing(page, scope, controls, shown, side) {
  const within = page.locator(controls);
  await dragSelect(page, 'council said', 0, scope);
  await page.keyboard.press('1');
  // handle.ready resolves once the annotator has acted on the selection and the key.
  await page.evaluate(() => window.handle.ready.then(() => true));
  await clickText(page, 'called it', 0, scope);
  // The popover shows the highlight, its tag and its note: to read, not to edit.
  const dialog = within.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Claim “called it rushed”');
  await expect(dialog).toContainText('Said twice');
  expect(await dialog.getByRole('button').allTextContents()).toEqual(['×']);
  await expect(dialog.getByRole('textbox')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Closing leaves "called it rushed" chosen; Delete would delete it, and
  // `k` (handled after it) announces the highlight before it out of how many.
  await page.keyboard.press('Delete');
  await page.keyboard.press('k');
  await expect(within.locator('p.status')).toHaveText('Quote 1 of 2: Work starts');
  expect(await shownIn(page, scope)).toEqual(shown);
  expect(await page.evaluate(() => window.__editing)).toEqual([]);
  // Nothing in the panel changes things either (a side panel opens first).
  if (side) await within.getByRole('button', { name: 'Annotations (2)' }).click();
  await expect(within.getByRole('list', { name: 'Annotations', exact: true }).getByRole('listitem')).toHaveCount(2);
  await expect(within.getByRole('button', { name: /^(Undo|Redo|Suggest|Delete)$/ })).toHaveCount(0);
  await expect(within.locator('input[type=file]')).toHaveCount(0);
}

test('readOnly: the saved highlights are shown; a selection offers no picker, keys tag and delete nothing, a click opens no editing control; nothing is saved', async ({
  page,
}) => {
  const host = {};
  await serve(page, host);
  await recordEditing(page);
  const mountWith = (extra) => `window.handle = mount(document.getElementById('host'), { documentId: 'options-read-only'${extra} });`;
  const shown = await seed(page, host, mountWith(''), '#host', CONTROLS);

  const before = await storage(page);
  host.script = mountWith(', readOnly: true');
  await load(page);
  await expect.poll(() => shownIn(page, '#host')).toEqual(shown);
  await readerChangesNothing(page, '#host', CONTROLS, shown, true);
  await afterSave(page);
  expect(await storage(page)).toEqual(before);
});

test('the read-only attribute: the element shows the saved highlights; a selection offers no picker, keys tag and delete nothing, a click opens no editing control; nothing is saved', async ({
  page,
}) => {
  const element = (attributes) => `<marginalia-annotator document-id="options-read-only"${attributes}>${ARTICLE}</marginalia-annotator>`;
  const host = { body: element(''), script: `window.handle = document.querySelector('marginalia-annotator').handle;` };
  await serve(page, host);
  await recordEditing(page);
  const shown = await seed(page, host, host.script, 'marginalia-annotator', 'marginalia-annotator');

  const before = await storage(page);
  host.body = element(' read-only');
  await load(page);
  await expect.poll(() => shownIn(page, 'marginalia-annotator')).toEqual(shown);
  await readerChangesNothing(page, 'marginalia-annotator', 'marginalia-annotator', shown, false);
  await afterSave(page);
  expect(await storage(page)).toEqual(before);
});

test('readOnly: the handle\'s addAnnotation, updateAnnotation, removeAnnotation and setAnnotations accept and show their change, but save nothing: a reload shows the saved highlights', async ({
  page,
}) => {
  const host = {};
  await serve(page, host);
  await recordEditing(page);
  const mountWith = (extra) => `window.handle = mount(document.getElementById('host'), { documentId: 'options-read-only'${extra} });`;
  const shown = await seed(page, host, mountWith(''), '#host', CONTROLS);

  const before = await storage(page);
  host.script = mountWith(', readOnly: true');
  await load(page);
  await page.evaluate(() => window.handle.ready.then(() => true));
  // What the handle does under readOnly (the README does not say): each call is
  // answered as accepted and its change is shown, while storage stays as it was.
  const step = async (call, arg, shows) => {
    const answer = await page.evaluate(([call, arg]) => window.handle[call](arg), [call, arg]);
    expect(answer).toMatchObject({ accepted: 1, refused: [] });
    await expect.poll(async () => (await painted(page, '#host')).map((h) => `${h.tag}: ${h.text}`).sort()).toEqual(shows);
    await afterSave(page);
    expect(await storage(page)).toEqual(before);
  };
  await step('addAnnotation', w3c('c', 'mayor said', 'caption'), ['caption: mayor said', 'claim: called it rushed', 'quote: Work starts']);
  await step('updateAnnotation', w3c('c', 'mayor said', 'claim'), ['claim: called it rushed', 'claim: mayor said', 'quote: Work starts']);
  await step('removeAnnotation', 'a', ['claim: mayor said', 'quote: Work starts']);
  await step('setAnnotations', [w3c('d', 'Harbour plan', 'caption')], ['caption: Harbour plan']);
  expect(await tagged(page)).toEqual(['caption: Harbour plan']);
  // None of it reached storage: the next visit shows what was saved.
  await load(page);
  await expect.poll(() => shownIn(page, '#host')).toEqual(shown);
  expect(await tagged(page)).toEqual(['claim: called it rushed', 'quote: Work starts']);
});

test('preload() downloads the annotator before any use, and handle.ready then resolves without a further download', async ({ page }) => {
  await serve(page, {
    script: `window.handle = mount(document.getElementById('host'), { documentId: 'options-preload' });
  window.preloaded = preload().then(() => true);`,
  });
  const asked = bundleRequests(page);
  await load(page);
  // Nothing has used the widget: no selection, no click, no handle.ready.
  expect(await page.evaluate(() => window.preloaded)).toBe(true);
  expect(asked).toEqual(expect.arrayContaining(['marginalia_glue.js', 'marginalia_bg.wasm']));
  // Loaded, not mounted: the first paint's launcher still stands.
  const launcher = page.locator(CONTROLS).locator('button[data-launcher]');
  await expect(launcher).toHaveText('Annotations (0)');
  const before = asked.length;
  expect(await page.evaluate(() => window.handle.ready.then((h) => h.annotations()))).toEqual([]);
  expect(asked.slice(before)).toEqual([]);
  await expect(launcher).toHaveCount(0);
  expect(asked.filter((n) => n === 'marginalia_bg.wasm')).toHaveLength(1);
});

test('an annotator slower than 400 ms: the launcher says "Loading Marginalia…" in its live region at 400 ms, not at 399, and the notice goes when the annotator takes over', async ({
  page,
}) => {
  await serve(page, { script: `window.handle = mount(document.getElementById('host'), { documentId: 'options-loading' });` });
  const release = await holdAnnotator(page);
  // The page's timers run on Playwright's clock: only runFor() moves it once paused.
  await page.clock.install();
  await load(page);
  const controls = page.locator(CONTROLS);
  const launcher = controls.getByRole('button', { name: 'Annotations (0)' });
  await expect(launcher).toBeVisible();
  // The live region is there, empty (and hidden), from the start: one added later is not always announced.
  const status = controls.locator('[role=status]');
  await expect(status).toHaveText('');
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  await launcher.click();
  // Every timer due within 399 ms has run: no notice yet.
  await page.clock.runFor(399);
  await expect(status).toHaveText('');
  await page.clock.runFor(1);
  await expect(controls.getByRole('status')).toHaveText('Loading Marginalia…');
  await expect(launcher).toHaveAttribute('aria-busy', 'true');
  // The download arrives: the annotator takes over, opens the panel the
  // launcher was pressed for, and the notice is gone.
  release();
  await page.clock.resume();
  await page.evaluate(() => window.handle.ready.then(() => true));
  await expect(controls.getByRole('button', { name: 'Close panel' })).toBeFocused();
  await expect(page.getByText('Loading Marginalia…')).toHaveCount(0);
  await expect(controls.locator('[aria-busy=true]')).toHaveCount(0);
});

const THEME = { font: '"DejaVu Sans Mono", monospace', ink: 'rgb(12, 60, 24)', paper: 'rgb(250, 236, 200)' };
const ELEMENT_THEME = { font: '"DejaVu Serif", serif', ink: 'rgb(90, 10, 70)', paper: 'rgb(225, 240, 250)' };
const themeRule = (t) => `--marginalia-font: ${t.font}; --marginalia-ink: ${t.ink}; --marginalia-paper: ${t.paper};`;

/**
 * The font, ink and paper a reader sees in each control of the widget
 * whose controls `controls` (a selector) holds: the launcher (with `side`,
 * the side panel's; the element's panel shows at once), the panel's
 * heading, the picker for a selection of `needle` (tagged Claim from it),
 * then the popover of that highlight, each read as it shows. Font and ink
 * are those of the control's words; the paper is the first background that
 * is not transparent behind them, from the control's box outwards (through
 * the shadow roots), as the reader sees it.
 */
async function controlsTheme(page, scope, controls, needle, side) {
  const within = page.locator(controls);
  const look = (words, box) =>
    words.evaluate((el, box) => {
      let behind = box ? el.closest(box) : el;
      const clear = (e) => getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)';
      while (behind && clear(behind)) behind = behind.parentElement ?? behind.getRootNode().host ?? null;
      const style = getComputedStyle(el);
      return { font: style.fontFamily, ink: style.color, paper: behind ? getComputedStyle(behind).backgroundColor : 'none' };
    }, box);
  const seen = {};
  if (side) {
    const launcher = within.locator('button[data-launcher]');
    seen.launcher = await look(launcher, '.launcher');
    await launcher.click();
  }
  const heading = within.getByRole('heading', { name: 'Annotations', exact: true });
  await expect(heading).toBeVisible();
  seen.panel = await look(heading, null);
  await dragSelect(page, needle, 0, scope);
  const claim = within.getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Claim' });
  seen.picker = await look(claim, '.picker');
  await claim.click();
  await clickText(page, needle, 0, scope);
  seen.popover = await look(within.getByRole('dialog', { name: 'Edit highlight' }).locator('.popover-quote'), '.popover');
  await page.keyboard.press('Escape');
  return seen;
}

test('--marginalia-font, --marginalia-ink and --marginalia-paper, set in the host\'s CSS on an ancestor or on the element, are the font, ink and paper of the launcher, panel, picker and popover', async ({
  page,
}) => {
  // The mounted story's controls are the widget's own element at the end of
  // <body>: a host themes them from an ancestor. The element is the host's own.
  await serve(page, {
    style: `:root { ${themeRule(THEME)} } marginalia-annotator { ${themeRule(ELEMENT_THEME)} }`,
    body: `<article id="host">${ARTICLE}</article>
<marginalia-annotator document-id="options-theme-element"><p>Letters: the barrier is late again.</p></marginalia-annotator>`,
    script: `window.handle = mount(document.getElementById('host'), { documentId: 'options-theme' });`,
  });
  await load(page);
  const story = await controlsTheme(page, '#host', CONTROLS, 'called it', true);
  // The element's panel stands in place of its launcher once its annotator is there.
  await page.evaluate(() => document.querySelector('marginalia-annotator').handle.ready.then(() => true));
  const element = await controlsTheme(page, 'marginalia-annotator', 'marginalia-annotator', 'barrier is late', false);
  expect({ story, element }).toEqual({
    story: { launcher: THEME, panel: THEME, picker: THEME, popover: THEME },
    element: { panel: ELEMENT_THEME, picker: ELEMENT_THEME, popover: ELEMENT_THEME },
  });
});

const HOST_TAGS = [
  { id: 'fact', label: 'Fact', color: '#1f77b4' },
  { id: 'opinion', label: 'Opinion', color: '#d62728' },
  { id: 'data-point', label: 'Data point', color: '#2ca02c' },
];

test('a host\'s own tags: the picker offers their labels on keys 1..n; a mouse selection tagged with each is painted under its id, listed under its label, exported with its id, and kept over a reload', async ({
  page,
}) => {
  await serve(page, {
    script: `window.handle = mount(document.getElementById('host'), { documentId: 'options-tags', tags: ${JSON.stringify(HOST_TAGS)} });`,
  });
  await load(page);
  const controls = page.locator(CONTROLS);
  const picker = controls.getByRole('toolbar', { name: 'Tag the selection' });
  await dragSelect(page, 'council said', 0, '#host');
  // Only the host's tags, in its order, each on its number key.
  const offered = picker.locator('button[data-tag]');
  await expect(offered).toHaveCount(3);
  // Each button: the tag's id, its label, the key it shows, and the key it declares.
  const faces = offered.evaluateAll((bs) =>
    bs.map((b) => [b.dataset.tag, b.firstChild.textContent, b.querySelector('kbd').textContent, b.getAttribute('aria-keyshortcuts')]),
  );
  expect(await faces).toEqual([
    ['fact', 'Fact', '1', '1'],
    ['opinion', 'Opinion', '2', '2'],
    ['data-point', 'Data point', '3', '3'],
  ]);
  await page.keyboard.press('3');
  await expect(picker).toBeHidden();
  await dragSelect(page, 'Work starts', 0, '#host');
  await page.keyboard.press('1');
  await expect(picker).toBeHidden();
  await dragSelect(page, 'called it rushed', 0, '#host');
  await picker.getByRole('button', { name: 'Opinion' }).click();
  await expect(picker).toBeHidden();
  const shown = [
    { name: 'marginalia-fact', tag: 'fact', suggested: false, text: 'Work starts' },
    { name: 'marginalia-opinion', tag: 'opinion', suggested: false, text: 'called it rushed' },
    { name: 'marginalia-data-point', tag: 'data-point', suggested: false, text: 'council said' },
  ];
  await expect.poll(() => shownIn(page, '#host')).toEqual(shown);
  // The panel lists each under its label, in document order, and counts them by label.
  await controls.getByRole('button', { name: 'Annotations (3)' }).click();
  const entries = controls.getByRole('list', { name: 'Annotations', exact: true }).getByRole('listitem');
  await expect(entries).toHaveCount(3);
  const listed = entries.evaluateAll((lis) =>
    lis.map((li) => [li.querySelector('.tag-label').textContent, li.querySelector('.panel-quote').textContent]),
  );
  expect(await listed).toEqual([
    ['Data point', 'council said'],
    ['Fact', 'Work starts'],
    ['Opinion', 'called it rushed'],
  ]);
  await expect(controls.getByTestId('counts')).toHaveText('1 fact · 1 opinion · 1 data point');
  // The W3C annotations, and the exported file, carry the tag ids.
  const expected = ['data-point: council said', 'fact: Work starts', 'opinion: called it rushed'];
  expect(await tagged(page)).toEqual(expected);
  const exported = await page.evaluate(() =>
    window.handle.export('w3c').first.items.map((a) => a.body.find((b) => b.purpose === 'tagging').value).sort(),
  );
  expect(exported).toEqual(['data-point', 'fact', 'opinion']);
  await afterSave(page);
  await load(page);
  await expect.poll(() => shownIn(page, '#host')).toEqual(shown);
  expect(await tagged(page)).toEqual(expected);
});
