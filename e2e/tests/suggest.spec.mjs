// Suggestions: the rules' quotes, captions and claims shown as pending
// highlights, accepted or rejected in the panel (by mouse and keyboard),
// remembered per document, and through the embed handle.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, openFresh, tagText, clickText, hoverText, afterSave, withRanges, download, readSaved } from './fixtures.mjs';

const CHECKER = fileURLToPath(new URL('../../../shared/w3c-annotation-model/check.mjs', import.meta.url));
const SEED = fileURLToPath(new URL('../../../shared/articles/seed-article.txt', import.meta.url));
const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));
const DEMO = '/examples/embed/index.html';
const DOC_PREFIX = 'marginalia:v1:doc:';
const REJECTED_PREFIX = 'marginalia:v1:rejected:';
const SOFTWARE = { id: 'urn:marginalia:software:suggest', type: 'Software', name: 'Marginalia suggestions' };

// A small article whose suggestions are known from the rules: one quote
// (curly quotes and "said"), one caption printed twice (both copies), one
// claim (a number and a percentage). The headline and the last sentence
// carry nothing checkable, so they are never suggested.
const HEADLINE = 'Harbour ferry returns after winter repairs';
const QUOTE = '“We have rebuilt the engines and the crew is ready to sail,”';
const SPEECH = `${QUOTE} said Mara Lind, the harbour master.`;
const CLAIM = 'The ferry carried 12,400 passengers last summer, up 15% on the year before.';
const CAPTION = 'Crowds wait on the quay as the ferry docks at dawn';
const PLAIN = 'The ferry will sail twice a day from the old pier.';
const ARTICLE = [HEADLINE, SPEECH, CLAIM, CAPTION, CAPTION, PLAIN].join('\n');

const counts = (page, scope = 'body') => page.locator(scope).getByTestId('counts');
const section = (page, scope = 'body') => page.locator(scope).getByRole('region', { name: 'Suggestions' });
const pendingItems = (page, scope = 'body') => section(page, scope).getByRole('list', { name: 'Suggestions' }).getByRole('listitem');
const pendingItem = (page, tag, scope = 'body') => pendingItems(page, scope).and(page.locator(`[data-tag="${tag}"]`));
const suggestButton = (page, scope = 'body') => section(page, scope).getByRole('button', { name: /^Suggest( again)?$/ });
const annotationItems = (page, scope = 'body') => page.locator(scope).getByRole('list', { name: 'Annotations', exact: true }).getByRole('listitem');
/**
 * Every Marginalia range painted in CSS.highlights inside `scope` (a
 * widget's shadow root counts as inside its host), in document order, as
 * `{ tag, suggested, para, text }`: `para` is the `data-para` of the
 * paragraph it starts in.
 */
async function paintedInOrder(page, scope = 'body') {
  await withRanges(page);
  return page.evaluate((scope) => {
    const found = window.__marginaliaRanges(scope).map(({ tag, suggested, range, live }) => {
      const para = range.startContainer.parentElement?.closest('[data-para]')?.dataset.para ?? null;
      return { live, item: { tag, suggested, para, text: live.toString() } };
    });
    found.sort(
      (x, y) =>
        x.live.compareBoundaryPoints(Range.START_TO_START, y.live) ||
        x.live.compareBoundaryPoints(Range.END_TO_END, y.live),
    );
    return found.map((f) => f.item);
  }, scope);
}

/** What is pending, as painted: `{ tag, para, text }` per suggestion, in document order. */
async function pendingShown(page, scope = 'body') {
  return (await paintedInOrder(page, scope)).filter((h) => h.suggested).map(({ tag, para, text }) => ({ tag, para, text }));
}

/** The pending suggestions painted (of one tag). */
const pendingTexts = async (page, tag, scope = 'body') =>
  (await pendingShown(page, scope)).filter((h) => !tag || h.tag === tag).map((h) => h.text);

/** The texts of the reader's own painted highlights (accepted or tagged by hand) of one tag, or of any. */
const ownTexts = async (page, tag, scope = 'body') =>
  (await paintedInOrder(page, scope)).filter((h) => !h.suggested && (!tag || h.tag === tag)).map((h) => h.text);

/** How the highlights of registry entry `name` are drawn: their ::highlight() style on the article's text. */
const highlightLook = (page, name, scope = 'body') =>
  page
    .locator(`${scope} article [data-para]`)
    .first()
    .evaluate((p, name) => {
      const cs = getComputedStyle(p, `::highlight(${name})`);
      return { fill: cs.backgroundColor, line: cs.textDecorationLine, underline: cs.textDecorationStyle };
    }, name);

const hoverLabel = (page, scope = 'body') => page.locator(scope).locator('.hl-label');

/** Opens a pasted article on the stand-alone page. */
async function pasteArticle(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(text);
  await page.getByRole('button', { name: 'Use this text' }).click();
  await expect(page.locator('article h1')).toHaveText(text.split('\n')[0].trim());
}

/** The stored value of the one key starting with `prefix`, parsed (null while there is none). */
const storedUnder = async (page, prefix) => {
  const keys = await page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix) && !k.includes(':corrupt:')), prefix);
  if (keys.length > 1) throw new Error(`more than one key under ${prefix}: ${keys.join(', ')}`);
  if (!keys.length) return null;
  // A document's annotations: its envelope with its log laid over it.
  if (prefix === DOC_PREFIX) return readSaved(page, keys[0]);
  return JSON.parse(await page.evaluate((k) => localStorage.getItem(k), keys[0]));
};

/** Runs the W3C model checker on JSON; skips only that check, saying so, when the checker is absent. */
function checkW3c(json) {
  if (!existsSync(CHECKER)) {
    console.log(`notice: ${CHECKER} is absent; skipping the W3C model check`);
  }
  test.skip(!existsSync(CHECKER), 'the W3C annotation model checker (../shared/w3c-annotation-model) is absent');
  const dir = mkdtempSync(join(tmpdir(), 'marginalia-w3c-'));
  const file = join(dir, 'annotations.json');
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  const run = spawnSync(process.execPath, [CHECKER, file], { cwd: E2E_DIR, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  expect(run.status, `check.mjs said:\n${run.stdout}\n${run.stderr}`).toBe(0);
}

/** Opens the embed demo page and waits for its widgets. */
async function openDemo(page) {
  await page.goto(DEMO);
  // Both widgets annotate in place: their handles are there once mounted.
  await page.waitForFunction(
    () => window.marginaliaDemo?.story && document.querySelector('marginalia-annotator')?.handle,
  );
}

/** Mounts a widget on a new element in <main>; its handle is window.handles[id]. */
async function mountNew(page, id, options) {
  await page.evaluate(
    async ([id, options]) => {
      const { default: init, mount } = await import('/embed/marginalia.js');
      await init();
      const el = document.createElement('div');
      el.id = id;
      document.querySelector('main').append(el);
      window.handles ??= {};
      window.handles[id] = mount(el, options);
      await window.handles[id].ready;
    },
    [id, options],
  );
  await expect(page.locator(`#${id} article [data-para]`).first()).toBeVisible();
}

/** Waits until a change painted now would have been saved. */
const afterSaveFrame = (page) => afterSave(page);

const tagsOf = (list) => list.map((a) => a.body.find((b) => b.purpose === 'tagging').value);
const exactOf = (a) => a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact;

test.describe('on the page', () => {
  test.beforeEach(async ({ page }) => {
    await openFresh(page);
    await pasteArticle(page, ARTICLE);
  });

  test('Suggest shows the quote, both caption copies and the claim as dashed pending highlights, listed to decide', async ({ page }) => {
    expect(await paintedInOrder(page)).toEqual([]);
    await expect(section(page).getByRole('list', { name: 'Suggestions' }).getByRole('listitem')).toHaveCount(0);
    await suggestButton(page).click();

    // Both copies of the caption, one in each of the two paragraphs (3 and 4); the
    // headline (0) and the sentence with nothing checkable (5) are left alone.
    await expect.poll(() => paintedInOrder(page)).toEqual([
      { tag: 'quote', suggested: true, para: '1', text: QUOTE },
      { tag: 'claim', suggested: true, para: '2', text: CLAIM },
      { tag: 'caption', suggested: true, para: '3', text: CAPTION },
      { tag: 'caption', suggested: true, para: '4', text: CAPTION },
    ]);

    // Drawn with a dashed underline and no fill, and labelled "Suggested …" under the pointer (not colour alone).
    expect(await highlightLook(page, 'marginalia-suggested-quote')).toEqual({
      fill: 'rgba(0, 0, 0, 0)',
      line: 'underline',
      underline: 'dashed',
    });
    for (const [text, occurrence, label] of [
      [QUOTE, 0, 'Suggested quote'],
      [CLAIM, 0, 'Suggested claim'],
      [CAPTION, 0, 'Suggested caption'],
      [CAPTION, 1, 'Suggested caption'],
    ]) {
      await hoverText(page, text, occurrence);
      await expect(hoverLabel(page)).toHaveText(label);
    }
    await hoverText(page, HEADLINE);
    await expect(hoverLabel(page)).toHaveCount(0);

    // Listed in document order, each with its own Accept and Reject; the quote names its speaker.
    const items = pendingItems(page);
    await expect(items).toHaveCount(4);
    expect(await items.evaluateAll((lis) => lis.map((li) => li.dataset.tag))).toEqual(['quote', 'claim', 'caption', 'caption']);
    await expect(items.nth(0)).toContainText('Speaker: Mara Lind');
    await expect(items.nth(0)).toContainText(QUOTE);
    for (let i = 0; i < 4; i += 1) {
      await expect(items.nth(i).getByRole('button', { name: 'Accept', exact: true })).toBeVisible();
      await expect(items.nth(i).getByRole('button', { name: 'Reject', exact: true })).toBeVisible();
    }
    for (const name of ['Accept all quotes (1)', 'Accept all captions (2)', 'Accept all claims (1)', 'Reject all quotes', 'Reject all captions', 'Reject all claims']) {
      await expect(section(page).getByRole('button', { name, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('status')).toHaveText('4 suggestion(s): 1 quotes, 2 captions, 1 claims');
    await expect(suggestButton(page)).toHaveText('Suggest again');

    // Pending is not annotated: nothing counted, listed, clickable or saved.
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
    await expect(annotationItems(page)).toHaveCount(0);
    await clickText(page, QUOTE);
    await expect(page.getByRole('dialog', { name: 'Edit highlight' })).toHaveCount(0);
    await afterSaveFrame(page);
    expect((await storedUnder(page, DOC_PREFIX))?.annotations ?? []).toEqual([]);
    await page.reload();
    await expect(page.locator('article h1')).toHaveText(HEADLINE);
    await expect.poll(() => paintedInOrder(page)).toEqual([]);
    await expect(suggestButton(page)).toHaveText('Suggest');
  });

  test('accepting makes ordinary annotations, created by Software in the export, and they survive a reload', async ({ page }, testInfo) => {
    // One of the reader's own first, to tell apart in the export.
    await tagText(page, 'twice a day', 'Claim');
    await suggestButton(page).click();
    await expect(pendingItems(page)).toHaveCount(4);

    await pendingItem(page, 'quote').getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => ownTexts(page, 'quote')).toEqual([QUOTE]);
    await expect(annotationItems(page).and(page.locator('[data-tag="quote"]'))).toHaveAttribute('data-annotation-id', /^a/);
    // Why the rules suggested it is shown beside it, not as its note.
    const acceptedQuote = annotationItems(page).and(page.locator('[data-tag="quote"]'));
    await expect(acceptedQuote.locator('.panel-why')).toHaveText('Why suggested: Speaker: Mara Lind');
    await expect(acceptedQuote.locator('.panel-note')).toHaveCount(0);
    await hoverText(page, QUOTE);
    await expect(hoverLabel(page)).toHaveText('Quote');
    expect(await pendingTexts(page, 'quote')).toEqual([]);
    await expect(counts(page)).toHaveText('1 claim · 1 quote · 0 captions');
    await expect(page.getByRole('status')).toHaveText('1 suggestion(s) accepted');
    await expect(pendingItems(page)).toHaveCount(3);

    await section(page).getByRole('button', { name: 'Accept all captions (2)' }).click();
    await expect.poll(() => ownTexts(page, 'caption')).toEqual([CAPTION, CAPTION]);
    expect(await pendingTexts(page, 'caption')).toEqual([]);
    await expect(counts(page)).toHaveText('1 claim · 1 quote · 2 captions');
    await expect(page.getByRole('status')).toHaveText('2 suggestion(s) accepted');
    // Only the claim is left to decide; the group buttons follow.
    await expect(pendingItems(page)).toHaveCount(1);
    await expect(pendingItem(page, 'claim')).toContainText(CLAIM);
    await expect(section(page).getByRole('button', { name: /^Accept all (quotes|captions)/ })).toHaveCount(0);
    await expect(annotationItems(page)).toHaveCount(4);
    // An accepted highlight opens like any other.
    await clickText(page, QUOTE);
    await expect(page.getByRole('dialog', { name: 'Edit highlight' })).toContainText('Quote');
    await page.keyboard.press('Escape');

    await expect
      .poll(async () => ((await storedUnder(page, DOC_PREFIX))?.annotations ?? []).map((a) => [a.tag, !!a.suggested]).sort())
      .toEqual([['caption', true], ['caption', true], ['claim', false], ['quote', true]]);
    await page.reload();
    await expect(page.locator('article h1')).toHaveText(HEADLINE);
    await expect(counts(page)).toHaveText('1 claim · 1 quote · 2 captions');
    await expect.poll(() => ownTexts(page, 'quote')).toEqual([QUOTE]);
    await expect.poll(() => ownTexts(page, 'caption')).toEqual([CAPTION, CAPTION]);
    expect(await pendingTexts(page)).toEqual([]);

    // The export says who made each: the accepted ones were made by Software.
    const file = await download(page, 'Download annotations', testInfo, 'accepted.jsonld');
    const items = JSON.parse(file.text).first.items;
    expect(items).toHaveLength(4);
    const byText = Object.fromEntries(items.map((a) => [`${tagsOf([a])[0]}:${exactOf(a)}`, a]));
    const mine = byText['claim:twice a day'];
    expect(mine).toBeDefined();
    expect(mine.creator).toBeUndefined();
    const accepted = items.filter((a) => a !== mine);
    expect(tagsOf(accepted).sort()).toEqual(['caption', 'caption', 'quote']);
    for (const a of accepted) {
      expect(a.creator).toEqual(SOFTWARE);
      expect(a.generator).toEqual(SOFTWARE);
      expect(a.id).toMatch(/^urn:marginalia:annotation:a/);
    }
    // The rule's reason goes out as the software's classifying body, never
    // as a commenting body (the reader's note).
    expect(byText[`quote:${QUOTE}`].body).toContainEqual({
      type: 'TextualBody',
      purpose: 'classifying',
      value: 'Speaker: Mara Lind',
      format: 'text/plain',
      creator: SOFTWARE,
    });
    for (const a of items) expect(a.body.filter((b) => b.purpose === 'commenting'), exactOf(a)).toEqual([]);

    // Suggest again brings back only what is still undecided.
    await suggestButton(page).click();
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([['claim', CLAIM]]);
    await expect(counts(page)).toHaveText('1 claim · 1 quote · 2 captions');

    checkW3c(file.text);
  });

  test('a quote is accepted with the speaker the rules found, one by one or all at once, and is then attributed like one typed by hand', async ({ page }, testInfo) => {
    for (const how of ['one', 'all']) {
      if (how === 'all') {
        await openFresh(page);
        await pasteArticle(page, ARTICLE);
      }
      await suggestButton(page).click();
      await expect(pendingItems(page)).toHaveCount(4);
      if (how === 'one') {
        await pendingItem(page, 'quote').getByRole('button', { name: 'Accept with Mara Lind' }).click();
        await expect(page.getByRole('status')).toHaveText('1 suggestion(s) accepted, 1 with the speaker found');
      } else {
        await section(page).getByRole('button', { name: 'Accept all quotes with their speakers (1)' }).click();
        await expect(page.getByRole('status')).toHaveText('1 suggestion(s) accepted, 1 with the speaker found');
      }
      // Recorded: the quote's editor names the speaker, and the export carries it as an identifying body.
      await clickText(page, QUOTE);
      await page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
      await expect(page.getByRole('dialog', { name: 'Edit annotation' }).getByRole('button', { name: 'Speaker: Mara Lind', exact: true })).toBeVisible();
      await page.keyboard.press('Escape');
      const file = await download(page, 'Download annotations', testInfo, `speakers-${how}.jsonld`);
      const quote = JSON.parse(file.text).first.items.find((a) => tagsOf([a])[0] === 'quote');
      expect(quote.body).toContainEqual({ type: 'TextualBody', purpose: 'identifying', value: 'Mara Lind' });
      checkW3c(file.text);
    }
  });

  test('a suggested highlight is decided where it stands: a click opens Accept, Accept as another tag and Reject; j and k step through suggestions too, and Enter opens one', async ({ page }) => {
    await suggestButton(page).click();
    await expect(pendingItems(page)).toHaveCount(4);
    // A click on the suggested claim, in the article.
    await clickText(page, 'carried 12,400 passengers');
    const claimPopover = page.getByRole('dialog', { name: 'Suggested claim' });
    await expect(claimPopover).toContainText('Why suggested:');
    await claimPopover.getByRole('button', { name: 'Accept as quote' }).click();
    await expect(claimPopover).toHaveCount(0);
    await expect.poll(() => ownTexts(page, 'quote')).toEqual([CLAIM]);
    expect(await pendingTexts(page, 'claim')).toEqual([]);
    // A click on a caption copy: Reject, remembered like the list's.
    await clickText(page, CAPTION, 0);
    await page.getByRole('dialog', { name: 'Suggested caption' }).getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('1 suggestion(s) rejected');
    await expect.poll(() => pendingTexts(page, 'caption')).toEqual([CAPTION]);
    // By keyboard: from the top, j reaches the suggested quote, announced among the suggestions.
    await clickText(page, HEADLINE);
    await page.keyboard.press('j');
    await expect(page.getByRole('status')).toHaveText(`Suggested quote 1 of 2: ${QUOTE}`);
    await page.keyboard.press('j');
    await expect(page.getByRole('status')).toHaveText(`Quote 1 of 1: ${CLAIM}`);
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    const quotePopover = page.getByRole('dialog', { name: 'Suggested quote' });
    await expect(quotePopover.getByRole('button', { name: 'Accept with Mara Lind' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toHaveText('1 suggestion(s) accepted, 1 with the speaker found');
    await expect.poll(() => ownTexts(page, 'quote')).toEqual([QUOTE, CLAIM]);
    await clickText(page, QUOTE);
    await page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).first().click();
    await expect(page.getByRole('dialog', { name: 'Edit annotation' }).getByRole('button', { name: 'Speaker: Mara Lind', exact: true })).toBeVisible();
  });

  /** Scrolls the window with the mouse wheel until `target` is at its top,
   * as a reader does (the wheel event, then the scroll it makes). */
  async function wheelTo(page, target) {
    const top = await target.evaluate((e) => e.getBoundingClientRect().top);
    await page.mouse.wheel(0, top);
    await expect.poll(() => target.evaluate((e) => Math.round(e.getBoundingClientRect().top))).toBe(0);
  }

  test('on a long article the list starts at the reading position and follows scrolling', async ({ page }) => {
    const lines = Array.from({ length: 300 }, (_, i) => `Section ${i + 1}: the council spent £${i + 3} million on ${i + 2} new bridges in 2024.`);
    await pasteArticle(page, ['Roads and bridges', ...lines].join('\n'));
    // Read down to section 200, then ask for suggestions.
    await page.locator('article [data-para]').nth(200).evaluate((p) => p.scrollIntoView({ block: 'start' }));
    await suggestButton(page).click();
    // The first card in view in the list's own box; the earlier ones are
    // above it in the box, and the window was not scrolled to show it.
    const list = section(page).getByRole('list', { name: 'Suggestions' });
    const firstInView = () => list.evaluate((ol) => {
      const top = ol.getBoundingClientRect().top;
      const li = [...ol.children].find((c) => c.getBoundingClientRect().bottom > top + 1);
      return li?.querySelector('.panel-quote')?.textContent ?? '';
    });
    const windowAt = await page.evaluate(() => window.scrollY);
    await expect.poll(firstInView).toMatch(/^Section 200: /);
    await expect(section(page)).toContainText('199 earlier, above where you are reading.');
    expect(await page.evaluate(() => window.scrollY)).toBe(windowAt);
    // The reader goes on reading, the pointer on the article: the list
    // follows once the scroll ends.
    const article = await page.locator('article').boundingBox();
    await page.mouse.move(article.x + 10, 300);
    await wheelTo(page, page.locator('article [data-para]').nth(250));
    await expect.poll(firstInView).toMatch(/^Section 250: /);
    // While the pointer is on the list, the cards stay where they are, so
    // nothing moves under it; a card is clicked where it stands.
    const box = await list.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    const earlier = async () => Number((await section(page).locator('.earlier').textContent()).split(' ')[0]);
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('PageUp');
    await expect.poll(earlier).toBeLessThan(240);
    expect(await firstInView()).toMatch(/^Section 250: /);
    // A scroll made by code (a host's script, a link) is not the reader's:
    // the list stays.
    await page.mouse.move(article.x + 10, 300);
    await page.locator('article [data-para]').nth(150).evaluate((p) => new Promise((done) => {
      addEventListener('scrollend', () => requestAnimationFrame(() => requestAnimationFrame(done)), { once: true });
      p.scrollIntoView({ block: 'start' });
    }));
    expect(await firstInView()).toMatch(/^Section 250: /);
    // Back to the top by the keyboard, the pointer on the article: from the first.
    await page.keyboard.press('Home');
    await expect.poll(firstInView).toMatch(/^Section 1: /);
  });

  test('rejected suggestions stay rejected for that document after a reload', async ({ page }) => {
    await suggestButton(page).click();
    await expect(pendingItems(page)).toHaveCount(4);
    await pendingItem(page, 'claim').getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('1 suggestion(s) rejected');
    await expect.poll(() => pendingTexts(page, 'claim')).toEqual([]);
    await section(page).getByRole('button', { name: 'Reject all captions', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('2 suggestion(s) rejected');
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([['quote', QUOTE]]);
    await expect(pendingItems(page)).toHaveCount(1);
    // Rejecting annotates nothing.
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
    expect(await ownTexts(page)).toEqual([]);
    await expect
      .poll(async () => ((await storedUnder(page, REJECTED_PREFIX)) ?? []).map((r) => r.tag).sort())
      .toEqual(['caption', 'caption', 'claim']);

    await page.reload();
    await expect(page.locator('article h1')).toHaveText(HEADLINE);
    await suggestButton(page).click();
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([['quote', QUOTE]]);
    await expect(page.getByRole('status')).toHaveText('1 suggestion(s): 1 quotes, 0 captions, 0 claims');

    // Another document (the same paragraphs under another headline) is not affected…
    const other = ['Ferry back on the water', CLAIM, CAPTION, CAPTION].join('\n');
    await pasteArticle(page, other);
    await suggestButton(page).click();
    await expect.poll(async () => (await pendingShown(page)).map((s) => s.tag)).toEqual(['claim', 'caption', 'caption']);
    // …and coming back to the first, its rejections still hold.
    await pasteArticle(page, ARTICLE);
    await suggestButton(page).click();
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([['quote', QUOTE]]);

    // With the last one rejected, nothing is left, even after a reload.
    await pendingItem(page, 'quote').getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(section(page).getByText('No suggestions left.')).toBeVisible();
    await expect.poll(() => pendingTexts(page)).toEqual([]);
    await page.reload();
    await expect(page.locator('article h1')).toHaveText(HEADLINE);
    await suggestButton(page).click();
    await expect(section(page).getByText('No suggestions left.')).toBeVisible();
    await expect.poll(() => pendingTexts(page)).toEqual([]);
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
  });

  test('Suggest never duplicates an annotation the reader already made with the same tag', async ({ page }) => {
    // Part of the speech tagged as a quote; the claim sentence's number tagged as a quote too.
    await tagText(page, 'We have rebuilt the engines', 'Quote');
    await tagText(page, '12,400 passengers', 'Quote');
    await expect(counts(page)).toHaveText('0 claims · 2 quotes · 0 captions');
    await suggestButton(page).click();
    // No quote suggested over either; the claim (another tag) and the captions still are.
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([
      ['claim', CLAIM],
      ['caption', CAPTION],
      ['caption', CAPTION],
    ]);
    await expect(section(page).getByRole('button', { name: /^Accept all quotes/ })).toHaveCount(0);
    await expect(page.getByRole('status')).toHaveText('3 suggestion(s): 0 quotes, 2 captions, 1 claims');

    // Tagging one caption copy by hand while it is pending takes it off the list.
    await tagText(page, 'Crowds wait on the quay', 'Caption', 0);
    // Only the other copy (paragraph 4) is still pending.
    await expect.poll(async () => (await pendingShown(page)).filter((h) => h.tag === 'caption')).toEqual([
      { tag: 'caption', para: '4', text: CAPTION },
    ]);
    await expect(pendingItems(page)).toHaveCount(2);
    await section(page).getByRole('button', { name: 'Accept all captions (1)' }).click();
    await expect(counts(page)).toHaveText('0 claims · 2 quotes · 2 captions');

    // Suggest again: only the claim, never a second copy of what is tagged.
    await suggestButton(page).click();
    await expect.poll(async () => (await pendingShown(page)).map((s) => [s.tag, s.text])).toEqual([['claim', CLAIM]]);
    await section(page).getByRole('button', { name: 'Accept all claims (1)' }).click();
    await expect(counts(page)).toHaveText('1 claim · 2 quotes · 2 captions');
    await suggestButton(page).click();
    await expect(section(page).getByText('No suggestions left.')).toBeVisible();
    await expect.poll(() => pendingTexts(page)).toEqual([]);
    await expect(annotationItems(page)).toHaveCount(5);
  });

  test('Suggest, Accept and Reject are reached and worked with the keyboard', async ({ page }) => {
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        const li = el?.closest('li');
        return { tag: el?.tagName.toLowerCase(), text: el?.textContent.trim(), item: li?.dataset.tag ?? null };
      });
    /** Presses `key` (Tab) until focus is on `want` (a subset of focused()), at most `limit` times. */
    const tabTo = async (want, key = 'Tab', limit = 30) => {
      for (let i = 0; i < limit; i += 1) {
        const now = await focused();
        if (Object.entries(want).every(([k, v]) => now[k] === v)) return;
        await page.keyboard.press(key);
      }
      throw new Error(`Tab never reached ${JSON.stringify(want)}; focus is on ${JSON.stringify(await focused())}`);
    };

    // From the article, Tab reaches Suggest; Enter runs it.
    await page.locator('article').focus();
    await tabTo({ tag: 'button', text: 'Suggest' });
    await page.keyboard.press('Enter');
    await expect(pendingItems(page)).toHaveCount(4);

    // Tab reaches the quote's Accept; Enter accepts it.
    await tabTo({ tag: 'button', text: 'Accept', item: 'quote' });
    await page.keyboard.press('Enter');
    await expect.poll(() => ownTexts(page, 'quote')).toEqual([QUOTE]);
    await expect(counts(page)).toHaveText('0 claims · 1 quote · 0 captions');
    await expect(pendingItems(page)).toHaveCount(3);

    // Shift+Tab reaches the group buttons; Space rejects both captions.
    await tabTo({ tag: 'button', text: 'Reject all captions' }, 'Shift+Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => pendingTexts(page, 'caption')).toEqual([]);
    await expect(pendingItems(page)).toHaveCount(1);

    // The claim's Reject, by Space.
    await tabTo({ tag: 'button', text: 'Reject', item: 'claim' });
    await page.keyboard.press('Space');
    await expect(section(page).getByText('No suggestions left.')).toBeVisible();
    await expect.poll(() => pendingTexts(page)).toEqual([]);
    await expect(counts(page)).toHaveText('0 claims · 1 quote · 0 captions');
    await expect
      .poll(async () => ((await storedUnder(page, REJECTED_PREFIX)) ?? []).map((r) => r.tag).sort())
      .toEqual(['caption', 'caption', 'claim']);
  });

  // Pending suggestions are told from the reader's own by more than the
  // colour: no fill, only an underline (dashed where the tag's own line is
  // solid, the tag's own style otherwise), and a "Suggested …" label.
  test('pending highlights have no fill and only an underline, unlike accepted ones', async ({ page }) => {
    await suggestButton(page).click();
    await expect(pendingItems(page)).toHaveCount(4);
    // Accepted, the claim is filled: the contrast the pending look must keep.
    await section(page).getByRole('button', { name: 'Accept all claims (1)' }).click();
    await expect.poll(() => ownTexts(page, 'claim')).toEqual([CLAIM]);
    const accepted = await highlightLook(page, 'marginalia-claim');
    expect(accepted).toMatchObject({ line: 'underline', underline: 'solid' });
    expect(accepted.fill).not.toBe('rgba(0, 0, 0, 0)');
    expect((await pendingShown(page)).map((p) => p.tag)).toEqual(['quote', 'caption', 'caption']);
    for (const [tag, underline] of [['claim', 'dashed'], ['quote', 'dashed'], ['caption', 'dotted']]) {
      expect(await highlightLook(page, `marginalia-suggested-${tag}`), `pending ${tag}`).toEqual({
        fill: 'rgba(0, 0, 0, 0)',
        line: 'underline',
        underline,
      });
    }
    // Under the pointer, each says what it is.
    await hoverText(page, CLAIM);
    await expect(hoverLabel(page)).toHaveText('Claim');
    await hoverText(page, CAPTION);
    await expect(hoverLabel(page)).toHaveText('Suggested caption');
  });

  // Deciding a suggestion removes the focused button's item; focus moves to
  // the same button of the next one, so a keyboard reader stays in the list.
  test('each suggestion says its confidence; Accept all takes the high ones unless asked for the low ones too', async ({ page }) => {
    const sure = 'The council voted 31 to 9 on Tuesday to build the barrier.';
    const hedged = 'The barrier could cost as much as £60 million by 2030, engineers believe.';
    await pasteArticle(page, ['Barrier vote', sure, hedged].join('\n'));
    await suggestButton(page).click();
    const claims = pendingItems(page).and(page.locator('[data-tag="claim"]'));
    await expect(claims).toHaveCount(2);
    await expect(claims.nth(0)).toContainText('high confidence');
    await expect(claims.nth(1)).toContainText('low confidence');
    const group = section(page).getByRole('group', { name: 'Suggested claims' });
    await expect(group.getByRole('button', { name: 'Accept all claims (1)', exact: true })).toBeVisible();
    await group.getByRole('button', { name: 'Accept all claims (1)', exact: true }).click();
    await expect.poll(() => ownTexts(page, 'claim')).toEqual([sure]);
    expect(await pendingTexts(page, 'claim')).toEqual([hedged]);
    // Only low ones are left: the one button takes them, and says so.
    await group.getByRole('button', { name: 'Accept all claims, low confidence (1)', exact: true }).click();
    await expect.poll(() => ownTexts(page, 'claim')).toEqual([sure, hedged]);
    await expect(counts(page)).toHaveText('2 claims · 0 quotes · 0 captions');
  });

  test('after Accept or Reject by keyboard, focus stays in the Suggestions section', async ({ page }) => {
    const focusInSection = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return { tag: el?.tagName.toLowerCase(), inSection: !!el?.closest('section.suggestions') };
      });
    await suggestButton(page).click();
    await expect(pendingItems(page)).toHaveCount(4);
    await pendingItem(page, 'quote').getByRole('button', { name: 'Accept', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(pendingItems(page)).toHaveCount(3);
    // The focused button's item goes with the render; focus is then put on
    // the next one (settle, after the render): wait for that, not a moment.
    await expect.poll(focusInSection, { message: 'focus after Accept' }).toEqual({ tag: 'button', inSection: true });
    await pendingItem(page, 'claim').getByRole('button', { name: 'Reject', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect(pendingItems(page)).toHaveCount(2);
    await expect.poll(focusInSection, { message: 'focus after Reject' }).toEqual({ tag: 'button', inSection: true });
  });
});

test.describe('embedded', () => {
  test('mount with suggest: true shows pending highlights at once; handle.suggest() returns them by Software, unaccepted', async ({ page }) => {
    await openDemo(page);
    await page.evaluate(() => {
      window.created = [];
      document.addEventListener('marginalia:create', (e) => window.created.push(e.detail));
    });
    await mountNew(page, 'sugg', { text: ARTICLE, documentId: 'embed-suggest', suggest: true });
    // At once: pending highlights, nothing annotated.
    await expect.poll(async () => (await pendingShown(page, '#sugg')).map((s) => [s.tag, s.text])).toEqual([
      ['quote', QUOTE],
      ['claim', CLAIM],
      ['caption', CAPTION],
      ['caption', CAPTION],
    ]);
    await expect(pendingItems(page, '#sugg')).toHaveCount(4);
    await expect(counts(page, '#sugg')).toHaveText('0 claims · 0 quotes · 0 captions');
    expect(await page.evaluate(() => window.handles.sugg.annotations())).toEqual([]);

    const list = await page.evaluate(() => window.handles.sugg.suggest());
    expect(list).toHaveLength(4);
    expect(tagsOf(list)).toEqual(['quote', 'claim', 'caption', 'caption']);
    expect(list.map(exactOf)).toEqual([QUOTE, CLAIM, CAPTION, CAPTION]);
    for (const a of list) {
      expect(a['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
      expect(a.type).toBe('Annotation');
      expect(a.creator).toEqual(SOFTWARE);
      expect(a.generator).toEqual(SOFTWARE);
      expect(a.target.source).toBe('urn:marginalia:document:embed-suggest');
    }
    expect(new Set(list.map((a) => a.id)).size).toBe(4);
    expect(list[0].body).toContainEqual({ type: 'TextualBody', purpose: 'classifying', value: 'Speaker: Mara Lind', format: 'text/plain', creator: SOFTWARE });
    // Positions are code points in the document text (paragraphs joined by \n).
    const cps = [...ARTICLE];
    for (const a of list) {
      const pos = a.target.selector.find((s) => s.type === 'TextPositionSelector');
      expect(cps.slice(pos.start, pos.end).join('')).toBe(exactOf(a));
    }

    // Nothing was accepted: no annotations, no events, nothing saved; still pending.
    expect(await page.evaluate(() => window.handles.sugg.annotations())).toEqual([]);
    expect(await pendingShown(page, '#sugg')).toHaveLength(4);
    await expect(counts(page, '#sugg')).toHaveText('0 claims · 0 quotes · 0 captions');
    await afterSaveFrame(page);
    expect(await page.evaluate(() => window.created)).toEqual([]);
    const saved = await readSaved(page, 'marginalia:v1:doc:embed-suggest');
    expect(saved === null ? [] : saved.annotations).toEqual([]);

    // Accepting in the widget's panel: the handle and the events then carry Software as creator.
    await section(page, '#sugg').getByRole('button', { name: 'Accept all captions (2)' }).click();
    await expect(counts(page, '#sugg')).toHaveText('0 claims · 0 quotes · 2 captions');
    const accepted = await page.evaluate(() => window.handles.sugg.annotations());
    expect(tagsOf(accepted)).toEqual(['caption', 'caption']);
    for (const a of accepted) {
      expect(a.creator).toEqual(SOFTWARE);
      expect(a.id).toMatch(/^urn:marginalia:annotation:a/);
    }
    await expect.poll(() => page.evaluate(() => window.created.map((a) => [a.body[0].value, a.creator?.type]))).toEqual([
      ['caption', 'Software'],
      ['caption', 'Software'],
    ]);
    // suggest() now leaves out what is annotated.
    const again = await page.evaluate(() => window.handles.sugg.suggest());
    expect(again.map((a) => [tagsOf([a])[0], exactOf(a)])).toEqual([
      ['quote', QUOTE],
      ['claim', CLAIM],
    ]);
    await expect.poll(async () => (await pendingShown(page, '#sugg')).map((s) => s.tag)).toEqual(['quote', 'claim']);

    checkW3c(list);
  });

  // The rules are a module of their own: not in what a first selection
  // waits for, loaded when the browser is idle after the annotator mounts.
  test('the suggestion rules load as their own module, after the annotator, when the browser is idle', async ({ page }) => {
    const asked = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname.split('/').pop()));
    await openDemo(page);
    const rulesFiles = () => asked.filter((f) => f.startsWith('marginalia_rules'));
    // The demo's widgets stand as first paints: no annotator, no rules.
    expect(rulesFiles()).toEqual([]);
    // A widget given text mounts the annotator; idle, the rules follow it,
    // with no Suggest pressed.
    await mountNew(page, 'early', { text: ARTICLE, documentId: 'embed-suggest-early' });
    expect(asked).toContain('marginalia_bg.wasm');
    // Not before three seconds after the mount, once the page is quiet
    // (src/rules.rs): the poll waits past that on purpose.
    await expect.poll(rulesFiles, { timeout: 15_000 }).toEqual(['marginalia_rules_glue.js', 'marginalia_rules_bg.wasm']);
    expect(asked.indexOf('marginalia_bg.wasm')).toBeLessThan(asked.indexOf('marginalia_rules_glue.js'));
    await expect(pendingItems(page, '#early')).toHaveCount(0);
    // Loaded once for every widget of the page: another asks for nothing more.
    await mountNew(page, 'later', { text: ARTICLE, documentId: 'embed-suggest-later' });
    const list = await page.evaluate(() => window.handles.later.suggest());
    expect(list.map((a) => tagsOf([a])[0])).toEqual(['quote', 'claim', 'caption', 'caption']);
    await expect(pendingItems(page, '#later')).toHaveCount(4);
    expect(rulesFiles()).toEqual(['marginalia_rules_glue.js', 'marginalia_rules_bg.wasm']);
  });

  test('rules that cannot load are said where Suggest is, and the next Suggest tries again', async ({ page, watch }) => {
    watch.allow(/Failed to load resource: the server responded with a status of 503/);
    // Every attempt fails (the idle prefetch's, then the reader's), whatever its address.
    await page.route('**/embed/marginalia_rules_*', (route) => route.fulfill({ status: 503, body: 'busy' }));
    await openDemo(page);
    await mountNew(page, 'down', { text: ARTICLE, documentId: 'embed-suggest-down' });
    await suggestButton(page, '#down').click();
    await expect(page.locator('#down').getByRole('status').filter({ hasText: 'The suggestion rules could not load' })).toHaveText(
      /^The suggestion rules could not load: .+\. Press Suggest to try again\.$/,
    );
    // Said where the reader pressed Suggest too, not only to a screen reader.
    await expect(page.locator('#down .status-near')).toBeVisible();
    await expect(page.locator('#down .status-near')).toHaveText(/^The suggestion rules could not load: /);
    await expect(pendingItems(page, '#down')).toHaveCount(0);
    expect(await pendingShown(page, '#down')).toEqual([]);
    // The handle's suggest() rejects, saying why.
    const refused = await page.evaluate(() => window.handles.down.suggest().then(() => 'resolved', (e) => e.message));
    expect(refused).toMatch(/^the suggestion rules could not load: /);
    // The network is back: the next Suggest loads them and shows what they find.
    await page.unroute('**/embed/marginalia_rules_*');
    await suggestButton(page, '#down').click();
    await expect(pendingItems(page, '#down')).toHaveCount(4);
    await expect(page.locator('#down').getByRole('status').filter({ hasText: 'suggestion(s)' })).toHaveText(
      '4 suggestion(s): 1 quotes, 2 captions, 1 claims',
    );
  });

  // handle.suggest() returns what the widget shows: not what the reader
  // rejected.
  test('handle.suggest() leaves out what the reader rejected, as the widget does', async ({ page }) => {
    await openDemo(page);
    await mountNew(page, 'rej', { text: ARTICLE, documentId: 'embed-suggest-rejected', suggest: true });
    await expect(pendingItems(page, '#rej')).toHaveCount(4);
    await pendingItem(page, 'claim', '#rej').getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => pendingTexts(page, 'claim', '#rej')).toEqual([]);

    const list = await page.evaluate(() => window.handles.rej.suggest());
    // The widget shows the three still undecided…
    await expect.poll(async () => (await pendingShown(page, '#rej')).map((s) => s.tag)).toEqual(['quote', 'caption', 'caption']);
    // …and the handle must return the same three, not the rejected claim.
    expect(list.map((a) => [tagsOf([a])[0], exactOf(a)])).toEqual([
      ['quote', QUOTE],
      ['caption', CAPTION],
      ['caption', CAPTION],
    ]);
  });

  // …and only kinds the widget's tag set has.
  test('handle.suggest() returns only suggestions for the widget\'s own tags', async ({ page }) => {
    await openDemo(page);
    await mountNew(page, 'claims', {
      text: ARTICLE,
      documentId: 'embed-suggest-claims-only',
      tags: [{ id: 'claim', label: 'Claim', color: '#0b4f8a' }],
      suggest: true,
    });
    await expect.poll(async () => (await pendingShown(page, '#claims')).map((s) => [s.tag, s.text])).toEqual([['claim', CLAIM]]);
    const list = await page.evaluate(() => window.handles.claims.suggest());
    expect(list.map((a) => [tagsOf([a])[0], exactOf(a)])).toEqual([['claim', CLAIM]]);
  });
});

test('the reference article: Suggest finds a quote and both copies of every repeated caption', async ({ page }) => {
  if (!existsSync(SEED)) {
    console.log(`notice: ${SEED} is absent; skipping the reference article test`);
  }
  test.skip(!existsSync(SEED), 'the reference article (../shared/articles/seed-article.txt) is absent');
  const text = readFileSync(SEED, 'utf8');
  await openFresh(page);
  await pasteArticle(page, text);
  await suggestButton(page).click();
  await expect.poll(async () => (await pendingShown(page)).length).toBeGreaterThan(0);

  const shown = await pendingShown(page);
  const quotes = shown.filter((s) => s.tag === 'quote');
  expect(quotes.length, 'at least one quote suggested').toBeGreaterThanOrEqual(1);
  // Each opens with a quotation mark and closes with one, or runs on to its
  // paragraph's end when the next paragraph opens with one (a quotation over
  // paragraphs, which this article has).
  const texts = await page.locator('article [data-para]').evaluateAll((ps) => ps.map((p) => [p.dataset.para, p.textContent]));
  for (const q of quotes) {
    expect(q.text).toMatch(/^[“‘'"«„]/);
    if (/[”’'"»“]$/.test(q.text)) continue;
    const at = texts.findIndex(([para]) => para === String(q.para));
    const next = texts.slice(at + 1).find(([, t]) => t.trim() !== '')?.[1] ?? '';
    expect(texts[at][1].trimEnd().endsWith(q.text), `a quote without its closing mark ends its paragraph: ${q.text}`).toBe(true);
    expect(next.trimStart(), `and the next paragraph goes on with the quotation: ${q.text}`).toMatch(/^[“‘'"«„]/);
  }

  // Repeated paragraphs, found here independently of the rules: a paragraph
  // printed twice in a row, the copies differing at most in quote marks.
  const captionIn = new Map();
  for (const s of shown.filter((s) => s.tag === 'caption')) captionIn.set(s.para, (captionIn.get(s.para) ?? '') + s.text);
  const paras = (
    await page.locator('article [data-para]').evaluateAll((ps) => ps.map((p) => ({ index: p.dataset.para, text: p.textContent })))
  ).map((p) => ({ ...p, caption: captionIn.get(p.index) ?? '' }));
  const plain = (s) => s.replace(/[‘’]/g, "'").replace(/[“”„]/g, '"').replace(/\s+/g, ' ').trim();
  const repeated = [];
  for (let i = 1; i < paras.length; i += 1) {
    if (paras[i].text.length >= 20 && plain(paras[i].text) === plain(paras[i - 1].text)) repeated.push([paras[i - 1], paras[i]]);
  }
  expect(repeated.length, 'the reference article prints some captions twice').toBeGreaterThanOrEqual(1);
  const missed = repeated
    .flat()
    .filter((p) => p.caption !== p.text)
    .map((p) => `paragraph ${p.index}: ${p.text.slice(0, 60)}`);
  expect(missed, 'every copy of a repeated caption is suggested whole').toEqual([]);
  // And in the panel, the captions can be accepted together.
  const captions = shown.filter((s) => s.tag === 'caption').length;
  expect(captions).toBeGreaterThanOrEqual(repeated.length * 2);
  await expect(section(page).getByRole('button', { name: `Accept all captions (${captions})` })).toBeVisible();
});
