// Mounting in two steps: `init()` and `mount()` download the first paint
// only, which paints the saved highlights on the host's own article and
// shows a launcher; the annotator loads on the reader's first use (or
// `handle.ready`) and acts on the event that woke it.
import { test, expect, dragSelect, painted, clickText, afterSave, textPoints, serveHost, bundleRequests, holdAnnotator, HOST_ARTICLE } from './fixtures.mjs';

const PAGE = '/firstpaint-host.html';
const CONTROLS = 'body > [data-marginalia]';
/** The host page, mounting the first paint with `options` (a JS object literal). */
const serve = (page, options = '{ documentId: "first-paint" }') =>
  serveHost(page, PAGE, { script: `window.handle = mount(document.getElementById('host'), ${options});` });

/** Opens the host page; gives the list of the bundle's files it asked for. */
async function open(page, options) {
  await serve(page, options);
  const asked = bundleRequests(page);
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
  return asked;
}

const w3c = (id, exact, tag) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
  target: { source: 'urn:x', selector: [{ type: 'TextQuoteSelector', exact }] },
});

/** Saves two annotations through the annotator, then reloads: the first paint shows them. */
async function savedTwo(page) {
  await open(page);
  await page.evaluate(async (items) => {
    await window.handle.ready;
    window.handle.setAnnotations(items);
  }, [w3c('a', 'called it rushed', 'claim'), w3c('b', 'שלום said', 'quote')]);
  await expect.poll(async () => (await painted(page, '#host')).length).toBe(2);
  const byAnnotator = await painted(page, '#host');
  await afterSave(page);
  return byAnnotator;
}

/** Reloads, as a new visit: the first paint shows `shown`. Gives the files the page asks for from now on. */
async function revisit(page, shown) {
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname.split('/').pop()));
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await expect.poll(() => painted(page, '#host')).toEqual(shown);
  return asked;
}

// Most readers have nothing saved: for them the first paint paints
// nothing, and reading a long article's DOM at mount (a computed style per
// element) would be paid for nothing. It is read at the first selection.
test('with nothing saved, mounting reads nothing of the article; the first selection reads it and wakes the annotator', async ({ page }) => {
  await page.addInitScript(() => {
    window.styleReads = 0;
    const original = window.getComputedStyle;
    window.getComputedStyle = function (element, pseudo) {
      if (element instanceof Element && document.getElementById('host')?.contains(element)) window.styleReads += 1;
      return original.call(this, element, pseudo);
    };
  });
  const asked = await open(page);
  await expect(page.locator(CONTROLS).getByRole('button', { name: 'Annotations (0)' })).toBeVisible();
  expect(await page.evaluate(() => window.styleReads)).toBe(0);
  expect(asked).not.toContain('marginalia_bg.wasm');
  await dragSelect(page, 'called it', 0, '#host');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  expect(await page.evaluate(() => window.styleReads)).toBeGreaterThan(0);
});

test('mounting downloads the first paint only, paints what the annotator painted, and leaves the article alone', async ({ page }) => {
  // Timers run by the test's clock (in real time, until told to run ahead),
  // so that a wake's "Loading Marginalia…" timer can be run out below.
  await page.clock.install();
  const byAnnotator = await savedTwo(page);
  const asked = await revisit(page, byAnnotator);
  // Two files: the module (the first paint's glue is inside it) and its wasm.
  expect(asked.filter((f) => f.startsWith('marginalia')).sort()).toEqual(['marginalia.js', 'marginalia_first_bg.wasm']);
  // The host's article is its own: not one node or attribute of ours.
  expect(await page.evaluate((html) => document.getElementById('host').innerHTML === html, HOST_ARTICLE)).toBe(true);
  // The launcher stands where the side panel goes, and says what is there.
  const launcher = page.locator(CONTROLS).getByRole('button', { name: 'Annotations (2)' });
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveAttribute('aria-expanded', 'false');
  // The handle says plainly what to wait for.
  const early = await page.evaluate(() => {
    try {
      window.handle.annotations();
      return null;
    } catch (e) {
      return e.message;
    }
  });
  expect(early).toBe('Marginalia is still loading: await handle.ready before calling annotations()');
  // Reading, scrolling and clicking plain text wake nothing. A wake starts
  // the load as its event is handled, and a load still going after 400 ms
  // says "Loading Marginalia…" on the busy launcher: with the annotator held
  // back, running the clock past that shows any wake these steps made.
  const release = await holdAnnotator(page);
  // The launcher's live region (empty, so not yet in the accessibility tree).
  const status = page.locator(CONTROLS).locator('[role="status"]');
  await page.mouse.wheel(0, 200);
  await clickText(page, 'Harbour plan', 0, '#host');
  await page.keyboard.press('PageDown');
  await page.clock.runFor(500);
  await expect(status).toHaveText('');
  await expect(launcher).not.toHaveAttribute('aria-busy', 'true');
  expect(asked).not.toContain('marginalia_bg.wasm');
  // handle.ready brings the annotator (said on the launcher while it loads),
  // which paints the same and lists both.
  await page.evaluate(() => {
    window.loaded = window.handle.ready.then(() => true);
  });
  await page.clock.runFor(500);
  await expect(status).toHaveText('Loading Marginalia…');
  await expect(launcher).toHaveAttribute('aria-busy', 'true');
  release();
  expect(await page.evaluate(() => window.loaded)).toBe(true);
  expect(asked).toContain('marginalia_bg.wasm');
  await expect.poll(() => painted(page, '#host')).toEqual(byAnnotator);
  expect(await page.evaluate(() => window.handle.annotations().length)).toBe(2);
});

// Adopting a sheet on the document, or taking one out, restyles the whole
// page (on a 1 MB article ~35–60 ms a time): the annotator takes over the
// first paint's sheet of highlight rules rather than adopt its own.
test("the annotator takes over the first paint's highlight sheet: the handover writes no document sheet, destroy takes it away", async ({ page }) => {
  const byAnnotator = await savedTwo(page);
  // From the reload on, every write of document.adoptedStyleSheets is counted.
  await page.addInitScript(() => {
    const own = Object.getOwnPropertyDescriptor(Document.prototype, 'adoptedStyleSheets');
    window.sheetWrites = 0;
    Object.defineProperty(Document.prototype, 'adoptedStyleSheets', {
      configurable: true,
      get() {
        return own.get.call(this);
      },
      set(list) {
        window.sheetWrites += 1;
        own.set.call(this, list);
      },
    });
  });
  await revisit(page, byAnnotator);
  const sheets = () =>
    page.evaluate(() => ({
      writes: window.sheetWrites,
      rules: document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n'),
      count: document.adoptedStyleSheets.length,
      same: document.adoptedStyleSheets[0] === window.firstSheet,
    }));
  await page.evaluate(() => (window.firstSheet = document.adoptedStyleSheets[0]));
  const first = await sheets();
  expect(first).toMatchObject({ writes: 1, count: 1, same: true });
  expect(first.rules).toContain('::highlight(marginalia-claim)');
  await page.evaluate(() => window.handle.ready);
  await expect.poll(() => painted(page, '#host')).toEqual(byAnnotator);
  expect(await page.evaluate(() => window.handle.annotations().length)).toBe(2);
  // The same sheet, not written again; the highlights still drawn by it.
  expect(await sheets()).toEqual({ ...first, same: true });
  const fill = await page.evaluate(() => {
    const p = [...document.querySelectorAll('#host p')].find((e) => e.textContent.includes('called it rushed'));
    return getComputedStyle(p, '::highlight(marginalia-claim)').backgroundColor;
  });
  expect(fill).not.toBe('rgba(0, 0, 0, 0)');
  await page.evaluate(() => window.handle.destroy());
  expect(await sheets()).toMatchObject({ writes: 2, count: 0, rules: '' });
});

test('a click on a highlight wakes the annotator, which opens that highlight', async ({ page }) => {
  await revisit(page, await savedTwo(page));
  await clickText(page, 'called it', 0, '#host');
  const dialog = page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('called it rushed');
});

test('a selection being made fetches the annotator before the mouse is let go', async ({ page }) => {
  await open(page);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname.split('/').pop()));
  const at = await textPoints(page, 'called it', 0, '#host');
  await page.mouse.move(at.start.x, at.start.y);
  await page.mouse.down();
  await page.mouse.move(at.end.x, at.end.y, { steps: 4 });
  await expect.poll(() => asked.includes('marginalia_bg.wasm')).toBe(true);
  const picker = page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
  // Fetched, not mounted: the first paint still stands until the selection ends.
  await expect(page.locator(CONTROLS).getByRole('button', { name: 'Annotations (0)' })).toBeVisible();
  await expect(picker).toHaveCount(0);
  await page.mouse.up();
  await expect(picker).toBeVisible();
});

test('the launcher opens the side panel, with the focus in it', async ({ page }) => {
  await open(page);
  const launcher = page.locator(CONTROLS).getByRole('button', { name: 'Annotations (0)' });
  await launcher.focus();
  await page.keyboard.press('Enter');
  const toggle = page.locator(CONTROLS).getByRole('button', { name: 'Close panel' });
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator(CONTROLS).getByRole('heading', { name: 'Annotations' })).toBeVisible();
});

test('a key pressed while the annotator loads acts on the selection it was pressed for, never on a later one', async ({ page }) => {
  let release = await holdAnnotator(page);
  await open(page);
  await dragSelect(page, 'called it', 0, '#host');
  await page.keyboard.press('1');
  release();
  await expect.poll(() => painted(page, '#host')).toEqual([
    { name: 'marginalia-claim', tag: 'claim', suggested: false, text: 'called it' },
  ]);

  await afterSave(page);
  // The newest route answers first (and routing keeps the cache out).
  release = await holdAnnotator(page);
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await dragSelect(page, 'council said', 0, '#host');
  await page.keyboard.press('2');
  await dragSelect(page, 'Work starts', 0, '#host');
  release();
  // The picker is for the selection there is now; the key was for the one before.
  // handle.ready resolves once the annotator has acted on the event that
  // woke it and on every key kept while it loaded (or dropped it): by then a
  // key carried over to this selection would have tagged it and closed the picker.
  const picker = page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
  expect(await page.evaluate(() => window.handle.ready.then(() => true))).toBe(true);
  await expect(picker).toBeVisible();
  expect((await painted(page, '#host')).map((h) => h.text)).toEqual(['called it']);
  await page.keyboard.press('1');
  await expect.poll(async () => (await painted(page, '#host')).map((h) => `${h.tag}: ${h.text}`).sort()).toEqual([
    'claim: Work starts',
    'claim: called it',
  ]);
});

test('handlers given before the annotator loads hear its events', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    window.heard = [];
    window.handle.on('create', (a) => window.heard.push(a.body.find((b) => b.purpose === 'tagging').value));
  });
  await dragSelect(page, 'Work starts', 0, '#host');
  await page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Quote' }).click();
  await expect.poll(() => page.evaluate(() => window.heard)).toEqual(['quote']);
  const unknown = await page.evaluate(() => {
    try {
      window.handle.off('nothing', () => {});
      return null;
    } catch (e) {
      return e.message;
    }
  });
  expect(unknown).toMatch(/unknown event/);
});

test('bad options are refused at mount; options only the annotator serves load it at once', async ({ page }) => {
  await open(page);
  const refused = await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const el = document.createElement('div');
    document.querySelector('main').append(el);
    const out = [];
    for (const options of [{ tags: 'claims' }, { documentId: '' }, { text: 7 }, { text: '  \n ' }, { panel: 'left' }]) {
      try {
        mount(el, options).destroy();
        out.push(null);
      } catch (e) {
        out.push(e.message);
      }
    }
    try {
      mount(document.getElementById('host'), {});
      out.push(null);
    } catch (e) {
      out.push(e.message);
    }
    return out;
  });
  expect(refused).toEqual([
    'options.tags: must be an array of {id, label, color}',
    'options.documentId must be a non-empty string',
    'options.text must be a string',
    'the article has no text to annotate',
    'options.panel must be an element of the page, true (a side panel) or false',
    'this element already has a Marginalia widget',
  ]);
  // Given text, the widget shows its own article: the annotator, at once.
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const el = document.createElement('div');
    el.id = 'given';
    document.querySelector('main').append(el);
    window.given = mount(el, { text: 'Given text\nIt is shown by the annotator.' });
  });
  await expect(page.locator('#given article [data-para]').first()).toBeVisible();
  expect(await page.evaluate(() => window.given.annotations().length)).toBe(0);
});

test('the host changing its text hands over at once; the same text re-rendered is painted again', async ({ page }) => {
  const byAnnotator = await savedTwo(page);
  const asked = await revisit(page, byAnnotator);
  // A framework re-renders the paragraph: new nodes, the same text.
  // Both highlights are in that paragraph, so none is on the article until
  // the first paint has read it again: it repaints when the text is the
  // same, and wakes the annotator instead when it is not, so the repaint
  // is the sign that it read the change and kept it.
  await page.evaluate(() => {
    const p = document.querySelector('#host p:last-of-type');
    p.replaceWith(p.cloneNode(true));
  });
  await expect.poll(() => painted(page, '#host')).toEqual(byAnnotator);
  expect(asked).not.toContain('marginalia_bg.wasm');
  // A correction above both: the annotator places them in the new text.
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'Correction: an earlier version misnamed the council.';
    document.querySelector('#host h1').after(p);
  });
  await expect.poll(() => asked.includes('marginalia_bg.wasm')).toBe(true);
  await expect.poll(() => painted(page, '#host')).toEqual(byAnnotator);
  expect(await page.evaluate(() => window.handle.ready.then((h) => h.annotations().length))).toBe(2);
});

test('an article edited between visits is the annotator\'s: the first paint hands over, and every highlight is on its own words', async ({ page }) => {
  const byAnnotator = await savedTwo(page);
  // The next visit's page has a correction above both highlights: the saved
  // positions point at other words now.
  const edited = HOST_ARTICLE.replace('</h1>', '</h1><p>Correction: an earlier version misnamed the council.</p>');
  await serveHost(page, PAGE, {
    body: `<article id="host">${edited}</article>`,
    script: 'window.handle = mount(document.getElementById(\'host\'), { documentId: "first-paint" });',
  });
  const asked = bundleRequests(page);
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  // No reader's action: the first paint paints nothing and loads the annotator at once.
  await expect.poll(() => asked.includes('marginalia_bg.wasm')).toBe(true);
  await expect.poll(() => painted(page, '#host')).toEqual(byAnnotator);
  expect(await page.evaluate(() => window.handle.ready.then((h) => h.annotations().length))).toBe(2);
});

test('another tab saving this article brings the annotator, with what it saved', async ({ page, context }) => {
  await open(page);
  const other = await context.newPage();
  await serve(other);
  await other.goto(PAGE);
  await other.waitForFunction(() => window.mounted);
  await other.evaluate(async (item) => {
    await window.handle.ready;
    window.handle.setAnnotations([item]);
  }, w3c('c', 'Work starts', 'caption'));
  await afterSave(other);
  await expect.poll(() => painted(page, '#host')).toEqual([
    { name: 'marginalia-caption', tag: 'caption', suggested: false, text: 'Work starts' },
  ]);
  await other.close();
});

/** A refused download is a console error: the tests that refuse one let exactly that through. */
const allowRefusedDownload = (watch) => watch.allow(/Failed to load resource: the server responded with a status of 503/);

test('a failed load is said on the page, the highlights stay, and the next use tries again', async ({ page, watch }) => {
  allowRefusedDownload(watch);
  const byAnnotator = await savedTwo(page);
  await page.route('**/embed/marginalia_bg.wasm', (route) => route.fulfill({ status: 503, body: 'busy' }));
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await dragSelect(page, 'council said', 0, '#host');
  const status = page.locator(CONTROLS).getByRole('status');
  await expect(status).toContainText('Marginalia could not load');
  await expect(page.locator(CONTROLS).getByRole('button', { name: 'Annotations (2)' })).not.toHaveAttribute('aria-busy', 'true');
  expect(await painted(page, '#host')).toEqual(byAnnotator);
  const ready = await page.evaluate(() => window.handle.ready.then(() => 'loaded', (e) => e.message));
  expect(ready).toMatch(/^Marginalia could not load/);
  // Mounted with text, it hands over at once; the failure is said all the same.
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const el = document.createElement('div');
    document.querySelector('main').append(el);
    window.given = mount(el, { text: 'Given text\nShown by the annotator.' });
    await window.given.ready.catch(() => {});
  });
  const said = page.getByRole('status').filter({ hasText: 'Marginalia could not load' });
  await expect(said).toHaveCount(2);
  // The network is back: the next selection brings the annotator, and
  // handle.ready the given text's.
  await page.unroute('**/embed/marginalia_bg.wasm');
  await dragSelect(page, 'Work starts', 0, '#host');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.evaluate(() => window.given.ready.then(() => true));
  await expect(said).toHaveCount(0);
});

test('a failed download of the annotator\'s script is tried again at the next use', async ({ page, watch }) => {
  allowRefusedDownload(watch);
  // Every attempt fails (the prefetch's, then the selection's), whatever its address.
  await page.route('**/embed/marginalia_glue.js*', (route) => route.fulfill({ status: 503, body: 'busy' }));
  await open(page);
  await dragSelect(page, 'called it', 0, '#host');
  await expect(page.locator(CONTROLS).getByRole('status')).toContainText('Marginalia could not load');
  await page.unroute('**/embed/marginalia_glue.js*');
  await dragSelect(page, 'Work starts', 0, '#host');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
});
