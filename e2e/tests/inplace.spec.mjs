// Annotating a host's own article in place: its DOM is never touched, its
// text is read by the documented rule, highlights are painted through
// CSS.highlights (or boxes where the browser has none), and the widget
// follows the host when it changes its article.
import { test, expect, painted, dragSelect, textPoints, afterSave, readSaved, serveHost } from './fixtures.mjs';

const PAGE = '/inplace-host.html';
const CONTROLS = 'body > [data-marginalia]';

/** A host page with a figure, links, emphasis, `<br>`, hidden text, a
 * skipped byline and a script; `before` runs first (to take APIs away). */
function hostPage({ before = '', options = '{ documentId: "inplace-test" }' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>In place</title>
<link rel="icon" href="data:,">
<style>body { font-family: "DejaVu Serif", serif; margin: 40px; max-width: 640px } .hide { display: none }</style>
<script>${before}</script></head>
<body><main>
<article id="host">
  <h1>Harbour <em>plan</em> approved</h1>
  <p class="byline" data-marginalia-skip>By A. Reporter · Share · Tweet</p>
  <figure><img alt="A harbour" width="200" height="60" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <figcaption>The harbour at dawn</figcaption></figure>
  <p>The council said the <a href="#report">new report</a> was clear.<br>Work   starts
     in May.</p>
  <p><em>Critics</em> called it <strong>rushed</strong><span hidden> HIDDEN</span><span class="hide"> GONE</span>.</p>
  <script>/* not text */</script>
  <p>Prices: 😀 €5 and שלום עולם then 東京.</p>
</article>
<aside id="elsewhere"></aside>
</main>
<script type="module">
  import init, { mount } from '/embed/marginalia.js';
  await init();
  window.handle = mount(document.getElementById('host'), ${options});
  window.mounted = true;
</script></body></html>`;
}

const TEXT = [
  'Harbour plan approved',
  'The harbour at dawn',
  'The council said the new report was clear. Work starts in May.',
  'Critics called it rushed.',
  'Prices: 😀 €5 and שלום עולם then 東京.',
].join('\n');

async function open(page, opts) {
  await page.route(`**${PAGE}`, (route) => route.fulfill({ contentType: 'text/html', body: hostPage(opts) }));
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
}

/** Records every mutation of the host's subtree from now on. */
async function watchHost(page) {
  await page.evaluate(() => {
    const host = document.getElementById('host');
    window.hostNodes = [...host.querySelectorAll('*')].concat([...host.childNodes]);
    window.hostHtml = host.innerHTML;
    window.mutations = [];
    new MutationObserver((records) => window.mutations.push(...records.map((r) => r.type))).observe(host, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
}

async function hostUnchanged(page) {
  return page.evaluate(() => {
    const host = document.getElementById('host');
    const nodes = [...host.querySelectorAll('*')].concat([...host.childNodes]);
    return {
      mutations: window.mutations,
      html: host.innerHTML === window.hostHtml,
      nodes: nodes.length === window.hostNodes.length && nodes.every((n, i) => n === window.hostNodes[i]),
    };
  });
}

/** Code points, as W3C positions count. */
const cp = (s) => [...s].length;

test('the host article is never modified while it is annotated, clicked, hovered and left', async ({ page }) => {
  await page.route(`**${PAGE}`, (route) => route.fulfill({ contentType: 'text/html', body: hostPage({ options: 'null' }) }));
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
  // Mounted with no options after the watch starts, so mounting itself is watched.
  await page.evaluate(() => window.handle.destroy());
  await watchHost(page);
  const font = await page.evaluate(() => getComputedStyle(document.querySelector('#host p:not(.byline)')).fontFamily);
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    window.handle = mount(document.getElementById('host'), { documentId: 'inplace-test' });
  });
  await dragSelect(page, 'council said the new');
  await page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Claim' }).click();
  await expect.poll(() => painted(page, '#host')).toEqual([
    { name: 'marginalia-claim', tag: 'claim', suggested: false, text: 'council said the new' },
  ]);
  const at = await textPoints(page, 'said');
  await page.mouse.move(at.start.x, at.start.y);
  await expect(page.locator(CONTROLS).locator('.hl-label')).toHaveText('Claim');
  // The cursor says the highlighted text is clickable, there only.
  const cursor = () =>
    page.evaluate(
      () => getComputedStyle([...document.querySelectorAll('#host p')].find((p) => p.textContent.includes('said'))).cursor,
    );
  await expect.poll(cursor).toBe('pointer');
  const plain = await textPoints(page, 'Prices');
  await page.mouse.move(plain.start.x, plain.start.y);
  await expect.poll(cursor).toBe('auto');
  await page.mouse.move(at.start.x, at.start.y);
  await page.mouse.click(at.start.x, at.start.y);
  await expect(page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(await hostUnchanged(page)).toEqual({ mutations: [], html: true, nodes: true });
  // The host's font and link are its own, and the link still navigates.
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('#host p:not(.byline)')).fontFamily)).toBe(font);
  await page.locator('#host a').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#report');
  // Nothing of ours is inside the article, and destroy() removes what we added.
  expect(await page.evaluate(() => document.querySelector('#host [data-marginalia], #host .hl-label'))).toBeNull();
  await page.evaluate(() => window.handle.destroy());
  expect(await painted(page)).toEqual([]);
  expect(await page.evaluate(() => document.querySelectorAll('[data-marginalia]').length)).toBe(0);
  expect(await hostUnchanged(page)).toEqual({ mutations: [], html: true, nodes: true });
});

test('the document text follows the documented rule, and a selection across markup tags exactly its words', async ({ page }) => {
  await open(page);
  // From inside the emphasis back to inside the link of the paragraph
  // before (a drag begun on a link drags the link, so it ends there).
  const from = await textPoints(page, 'Critics');
  const to = await textPoints(page, 'report');
  await page.mouse.move(from.end.x, from.end.y);
  await page.mouse.down();
  await page.mouse.move(to.start.x, to.start.y, { steps: 8 });
  await page.mouse.up();
  await page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Quote' }).click();
  const [a] = await page.evaluate(() => window.handle.annotations());
  const quote = a.target.selector.find((s) => s.type === 'TextQuoteSelector');
  const position = a.target.selector.find((s) => s.type === 'TextPositionSelector');
  const exact = 'report was clear. Work starts in May.\nCritics';
  expect(quote.exact).toBe(exact);
  const start = cp(TEXT.slice(0, TEXT.indexOf(exact)));
  expect(position).toEqual({ type: 'TextPositionSelector', start, end: start + cp(exact) });
  // The byline (skipped), the image, hidden text and the script are not text.
  expect(quote.prefix.endsWith('The council said the new ')).toBe(true);
  // After an emoji, positions count code points (a drag over right-to-left
  // text starts where its first letter is drawn, so the words are Latin).
  await dragSelect(page, '€5 and');
  await page.keyboard.press('1');
  await expect.poll(async () => (await page.evaluate(() => window.handle.annotations())).length).toBe(2);
  const claim = (await page.evaluate(() => window.handle.annotations())).find((x) => x.body[0].value === 'claim');
  const where = claim.target.selector.find((s) => s.type === 'TextPositionSelector');
  expect(where.start).toBe(cp(TEXT.slice(0, TEXT.indexOf('€5 and'))));
  // The painted ranges cover the host's raw text (its <br> and line
  // breaks): the same words.
  const bare = (s) => s.replace(/\s+/g, '');
  const texts = (await painted(page, '#host')).map((h) => bare(h.text)).sort();
  expect(texts).toEqual([bare(exact), bare('€5 and')].sort());
});

test('late paragraphs, a correction and a re-render re-anchor every highlight, never onto the wrong text', async ({ page }) => {
  await open(page);
  await dragSelect(page, 'called it');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.keyboard.press('1');
  await dragSelect(page, 'Work');
  await page.keyboard.press('2');
  await expect.poll(async () => (await painted(page, '#host')).length).toBe(2);
  const positionOf = async (value) => {
    const list = await page.evaluate(() => window.handle.annotations());
    return list.find((a) => a.body[0].value === value)?.target.selector.find((s) => s.type === 'TextPositionSelector').start;
  };
  const before = await positionOf('claim');

  // A paragraph loads late, above both.
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'Update: this story was corrected on Friday.';
    document.querySelector('#host figure').after(p);
  });
  await expect.poll(() => positionOf('claim')).toBe(before + cp('Update: this story was corrected on Friday.\n'));
  await expect
    .poll(async () => (await painted(page, '#host')).map((h) => `${h.tag}:${h.text}`).sort())
    .toEqual(['claim:called it', 'quote:Work']);

  // A framework re-renders the article: every node is new, the text the same.
  await page.evaluate(() => {
    const host = document.getElementById('host');
    host.innerHTML = host.innerHTML;
  });
  await expect
    .poll(async () => (await painted(page, '#host')).map((h) => `${h.tag}:${h.text}`).sort())
    .toEqual(['claim:called it', 'quote:Work']);
  expect(await page.evaluate(() => [...CSS.highlights.get('marginalia-claim')][0].startContainer.isConnected)).toBe(true);

  // A correction removes the quoted word: the quote is kept, not drawn.
  await page.evaluate(() => {
    const p = [...document.querySelectorAll('#host p')].find((x) => x.textContent.includes('Work'));
    p.lastChild.data = ' Building begins in June.';
  });
  await expect.poll(async () => (await painted(page, '#host')).map((h) => `${h.tag}:${h.text}`)).toEqual(['claim:called it']);
  // The side panel stays closed as the first paint showed it, and says one
  // waits for the reader; opened, it lists the orphan.
  await page.locator(CONTROLS).getByRole('button', { name: 'Annotations (1 · 1 to check)' }).click();
  await expect(page.locator(CONTROLS).getByText('no longer in the article', { exact: false })).toBeVisible();
  await afterSave(page);
  const saved = await readSaved(page, 'marginalia:v1:doc:inplace-test');
  expect(saved.annotations.map((a) => a.quote.exact).sort()).toEqual(['Work', 'called it']);
});

test('two widgets share a registry name and keep their own ranges; other highlights are left alone', async ({ page }) => {
  await open(page);
  await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    const other = document.getElementById('elsewhere');
    const p = document.createElement('p');
    p.textContent = 'A second article about the harbour.';
    other.append(p);
    // The host's own highlight, which Marginalia must never touch.
    const r = document.createRange();
    r.selectNodeContents(document.querySelector('#host h1'));
    CSS.highlights.set('host-search', new Highlight(r));
    window.second = mount(other, { documentId: 'inplace-second', panel: false });
  });
  await dragSelect(page, 'harbour at dawn');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.keyboard.press('1');
  await dragSelect(page, 'second article');
  await page.keyboard.press('1');
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('marginalia-claim')?.size)).toBe(2);
  expect((await painted(page, '#host')).map((h) => h.text)).toEqual(['harbour at dawn']);
  expect((await painted(page, '#elsewhere')).map((h) => h.text)).toEqual(['second article']);
  await page.evaluate(() => window.second.destroy());
  expect((await painted(page)).map((h) => h.text)).toEqual(['harbour at dawn']);
  expect(await page.evaluate(() => CSS.highlights.get('host-search').size)).toBe(1);
  await page.evaluate(() => window.handle.destroy());
  expect(await page.evaluate(() => [...CSS.highlights.keys()])).toEqual(['host-search']);
  expect(await page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
});

test('the ::highlight() rules are in a document-level sheet that destroy() takes away', async ({ page }) => {
  await open(page);
  const rules = () =>
    page.evaluate(() => document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n'));
  expect(await rules()).toContain('::highlight(marginalia-claim)');
  const fill = await page.evaluate(
    () => getComputedStyle(document.querySelector('#host p:not(.byline)'), '::highlight(marginalia-claim)').backgroundColor,
  );
  expect(fill).not.toBe('rgba(0, 0, 0, 0)');
  await page.evaluate(() => window.handle.destroy());
  expect(await rules()).toBe('');
});

test('the panel goes where the host says: its element, a side panel, or none', async ({ page }) => {
  await open(page, { options: '{ documentId: "inplace-test", panel: document.getElementById("elsewhere") }' });
  const inHost = page.locator('#elsewhere > [data-marginalia]');
  // Until first use the element holds the launcher; pressing it brings the panel there.
  await expect(inHost.getByRole('heading', { name: 'Annotations' })).toHaveCount(0);
  await inHost.getByRole('button', { name: 'Annotations (0)' }).click();
  await expect(inHost.getByRole('heading', { name: 'Annotations' })).toBeVisible();
  await page.evaluate(() => window.handle.destroy());
  expect(await page.evaluate(() => document.getElementById('elsewhere').childNodes.length)).toBe(0);

  await open(page, { options: '{ documentId: "inplace-test", panel: false }' });
  await expect(page.locator(CONTROLS).getByRole('heading', { name: 'Annotations' })).toHaveCount(0);
  await dragSelect(page, 'called it');
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.keyboard.press('1');
  await expect.poll(async () => (await painted(page, '#host')).map((h) => h.text)).toEqual(['called it']);

  await open(page);
  const side = page.locator(CONTROLS).locator('aside.side-panel');
  await expect(side).toBeVisible();
  const toggle = side.locator('.panel-toggle');
  const was = await toggle.getAttribute('aria-expanded');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', was === 'true' ? 'false' : 'true');
  // A panel element inside the article is refused: it would change the article.
  const refused = await page.evaluate(async () => {
    const { mount } = await import('/embed/marginalia.js');
    window.handle.destroy();
    try {
      mount(document.getElementById('host'), { panel: document.querySelector('#host figure') });
      return null;
    } catch (e) {
      return String(e.message ?? e);
    }
  });
  expect(refused).toMatch(/inside the article/);
});

test('keyboard only on a host page: read, select, tag, step and open', async ({ page }) => {
  await open(page);
  // The launcher opens the side panel, and its focus goes there.
  const launcher = page.locator(CONTROLS).getByRole('button', { name: 'Annotations (0)' });
  const focused = () => launcher.evaluate((b) => b.getRootNode().activeElement === b);
  for (let i = 0; i < 10 && !(await focused()); i++) await page.keyboard.press('Tab');
  await expect(launcher).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator(CONTROLS).getByRole('button', { name: 'Close panel' })).toBeFocused();
  await page.locator(CONTROLS).getByRole('button', { name: 'Read the article with the keyboard' }).click();
  for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowRight');
  const picker = page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
  await expect(picker).toBeVisible();
  await page.keyboard.press('1');
  await expect.poll(async () => (await painted(page, '#host')).map((h) => h.text)).toEqual(['Harbour']);
  // The new highlight is chosen, with the caret after it: nothing before it.
  await page.keyboard.press('k');
  await expect(page.locator(CONTROLS).locator('p.status')).toHaveText('No highlight before this one');
  // A caret move lets the choice go; k finds the highlight before the caret.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('k');
  await expect(page.locator(CONTROLS).locator('p.status')).toHaveText('Claim 1 of 1: Harbour');
  await page.keyboard.press('Enter');
  await expect(page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await painted(page, '#host')).length).toBe(0);
});

test('without CSS.highlights every highlight is still drawn, over the host text, and clickable', async ({ page }) => {
  await open(page, { before: 'delete window.Highlight; Object.defineProperty(CSS, "highlights", { value: undefined });' });
  await watchHost(page);
  await dragSelect(page, 'called it');
  // The first selection loads the annotator: its picker is what '1' acts on.
  await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
  await page.keyboard.press('1');
  const boxes = page.locator(CONTROLS).locator('.overlay-box[data-tag="claim"]');
  await expect(boxes).toHaveCount(1);
  // The box lies over the words.
  const [box, words] = await Promise.all([
    boxes.first().boundingBox(),
    textPoints(page, 'called it'),
  ]);
  expect(box.x).toBeLessThanOrEqual(words.start.x);
  expect(box.x + box.width).toBeGreaterThanOrEqual(words.end.x);
  expect(box.y).toBeLessThanOrEqual(words.start.y);
  expect(box.y + box.height).toBeGreaterThanOrEqual(words.start.y);
  await page.mouse.click(words.start.x + 2, words.start.y);
  await expect(page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
  expect(await hostUnchanged(page)).toEqual({ mutations: [], html: true, nodes: true });
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.handle.destroy());
  await expect(page.locator('.overlay-box')).toHaveCount(0);
});

test.describe('touch on a host page', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });

  test('a touch selection tags the host text, and a tap on it opens its popover', async ({ page }) => {
    await open(page);
    await watchHost(page);
    const needle = 'Critics called it';
    const at = await textPoints(page, needle);
    // A long-press: a touch pointerdown at the words, then the selection
    // the browser makes there (selectionchange), with no mouseup.
    await page.touchscreen.tap(at.start.x, at.start.y);
    await page.evaluate((needle) => {
      const p = [...document.querySelectorAll('#host p')].find((x) => x.textContent.includes(needle));
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      const nodes = [];
      for (let n; (n = walker.nextNode()); ) nodes.push(n);
      // "Critics" is in the <em>, " called it" in the text after it.
      getSelection().setBaseAndExtent(nodes[0], 0, nodes[1], ' called it'.length);
    }, needle);
    const picker = page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
    await expect(picker).toBeVisible();
    await picker.getByRole('button', { name: 'Claim' }).tap();
    await expect.poll(async () => (await painted(page, '#host')).map((h) => h.text)).toEqual([needle]);
    const again = await textPoints(page, 'called');
    await page.touchscreen.tap(again.start.x + 2, again.start.y);
    const dialog = page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(needle);
    expect(await hostUnchanged(page)).toEqual({ mutations: [], html: true, nodes: true });
  });
});

test.describe('axe on host pages: WCAG 2 A and AA', () => {
  const clean = async (page, state) => {
    const { default: AxeBuilder } = await import('@axe-core/playwright');
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const found = violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary}`));
    expect(found, `axe violations with ${state}:\n${found.join('\n')}`).toEqual([]);
  };

  test('the embed demo, annotated in place, in every state', async ({ page }) => {
    await page.goto('/examples/embed/index.html');
    await page.waitForFunction(() => window.marginaliaDemo?.story && document.querySelector('marginalia-annotator')?.handle);
    await clean(page, 'the demo as loaded');
    await dragSelect(page, 'voted 31 to 9', 0, '#story');
    const picker = page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' });
    await expect(picker).toBeVisible();
    await clean(page, 'the picker open');
    await picker.getByRole('button', { name: 'Claim' }).click();
    const at = await textPoints(page, 'voted', 0, '#story');
    await page.mouse.move(at.start.x + 2, at.start.y);
    await expect(page.locator(CONTROLS).locator('.hl-label')).toHaveText('Claim');
    await clean(page, 'a highlight hovered, its label shown');
    await page.mouse.click(at.start.x + 2, at.start.y);
    await expect(page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' })).toBeVisible();
    await clean(page, 'the popover open');
    await page.keyboard.press('Escape');
    const toggle = page.locator(CONTROLS).locator('.panel-toggle');
    await toggle.click();
    await clean(page, `the side panel ${await toggle.getAttribute('aria-expanded') === 'true' ? 'open' : 'closed'}`);
    await toggle.click();
    await clean(page, `the side panel ${await toggle.getAttribute('aria-expanded') === 'true' ? 'open' : 'closed'}`);
  });

  test('a host page with a figure, links and hidden text, annotated', async ({ page }) => {
    await open(page);
    await clean(page, 'the first paint, its launcher before first use');
    await dragSelect(page, 'called it');
    // The picker first: this test is about the annotated page's accessibility.
    // A key pressed while the annotator loads is firstpaint.spec's (under
    // stress it was once not applied here, 1 run in 3: a race not yet fixed).
    await expect(page.locator(CONTROLS).getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible();
    await page.keyboard.press('1');
    await expect.poll(async () => (await painted(page, '#host')).length).toBe(1);
    await clean(page, 'one claim on the host page');
  });
});

test('a click on any letter of a highlight that mixes directions opens it, and a click beside it does not', async ({ page }) => {
  // In a right-to-left paragraph the browser may put the caret at the far
  // end of the Latin run clicked (after "again" for its "a"): the hit test
  // must still find the letter under the pointer.
  const para = 'מזג האוויר היה נעים מאוד ביום שני בבוק, again and again.';
  await serveHost(page, '/bidi.html', {
    style: 'body { font-family: "DejaVu Serif", serif; margin: 40px; max-width: 640px; line-height: 1.6 }',
    body: `<article id="host"><p>Council backs the harbour wall</p><p dir="rtl" lang="he">${para}</p></article>`,
    script: 'window.handle = mount(document.getElementById("host"), { documentId: "bidi" });',
  });
  await page.goto('/bidi.html');
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
  const quote = 'בבוק, again';
  const answer = await page.evaluate((exact) => window.handle.addAnnotation({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: 'quote' }],
    target: { selector: [{ type: 'TextQuoteSelector', exact }] },
  }), quote);
  expect(answer.accepted).toBe(1);
  const dialog = page.locator(CONTROLS).getByRole('dialog', { name: 'Edit highlight' });
  /** The centre of the character at UTF-16 `offset` of the Hebrew paragraph. */
  const centre = (offset) => page.evaluate((offset) => {
    const node = document.querySelectorAll('#host p')[1].firstChild;
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const box = range.getBoundingClientRect();
    return { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
  }, offset);
  const start = para.indexOf(quote);
  // Every letter of the quote: Hebrew, the comma, both ends of "again".
  for (const offset of [start, start + 3, start + 4, start + 6, start + 7, start + quote.length - 1]) {
    const { x, y } = await centre(offset);
    await page.mouse.click(x, y);
    await expect(dialog, `a click on "${para[offset]}" (offset ${offset}) opens the highlight`).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  // The letters just outside it, on both sides, and the same word later on.
  for (const offset of [start - 2, start + quote.length + 1, para.lastIndexOf('again')]) {
    const { x, y } = await centre(offset);
    await page.mouse.click(x, y);
    // Read once, not polled: the click is answered within its own task (the
    // listener's message runs in that task's microtasks), and Playwright's
    // click returns once the page has handled it, so a popover it opened
    // would be in the DOM by now.
    expect(await dialog.isVisible(), `a click on "${para[offset]}" (offset ${offset}) opens nothing`).toBe(false);
  }
});
