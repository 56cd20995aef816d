// Reading and editing through the real UI: notes, undo and redo, the panel's
// filters, search and order, repeated captions; a keyboard-only session with
// focus checked after every step; axe (WCAG 2 A and AA) in each state; what
// screen readers are pointed at; touch on a small screen; dark scheme and
// reduced motion with label contrast worked out in the page.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, openFresh, dragSelect, tagText, textPoints, dragAcross } from './fixtures.mjs';

const SAMPLE = readFileSync(new URL('../../src/sample-article.txt', import.meta.url), 'utf8');

const picker = (page) => page.getByRole('toolbar', { name: 'Tag the selection' });
const popover = (page) => page.getByRole('dialog', { name: 'Edit highlight' });
const status = (page) => page.getByRole('status');
const counts = (page) => page.getByTestId('counts');
const panelList = (page) => page.getByRole('list', { name: 'Annotations' });
const panelItems = (page) => panelList(page).getByRole('listitem');
const history = (page) => page.getByRole('group', { name: 'History' });
const undoButton = (page) => history(page).getByRole('button', { name: 'Undo' });
const redoButton = (page) => history(page).getByRole('button', { name: 'Redo' });
const summary = (page) => page.locator('.panel .shown');
const search = (page) => page.getByRole('searchbox', { name: 'Search annotations' });
const sortBy = (page) => page.getByRole('combobox', { name: 'Sort by' });
const filter = (page, tag) => page.locator('.tag-filter', { hasText: tag });
const shortcutsBox = (page) =>
  page.getByRole('checkbox', { name: 'Single-key shortcuts (j, k: next and previous highlight)' });
const noteField = (page) => popover(page).getByRole('textbox', { name: 'Note' });
const marks = (page) => page.locator('article mark[data-annotation-id]');
const highlight = (page, tag) => page.locator(`article mark[data-label][data-tag="${tag}"]`);

const CLAIM = 'The city council voted 31 to 9 on Tuesday night';
const QUOTE = '“Nobody is against protecting homes,”';
const CAPTION = 'Volunteers fill sandbags on Quay Street as the river rises.';
const REPEATED = 'Council leader Amara Okafor (pictured)';

/** One highlight of each tag, made with the mouse. */
async function tagOneOfEach(page) {
  await tagText(page, CLAIM, 'Claim');
  await tagText(page, QUOTE, 'Quote');
  await tagText(page, CAPTION, 'Caption', 1);
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 1 caption');
}

/**
 * What has focus, looking through open shadow roots: the element's tag name,
 * its annotation id and tag, its accessible-ish name, and where it sits.
 */
function focusInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return { tag: 'none' };
    const text = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
    const name = text.trim().replace(/\s+/g, ' ').slice(0, 60);
    return {
      tag: el.tagName.toLowerCase(),
      annotation: el.getAttribute('data-annotation-id'),
      dataTag: el.getAttribute('data-tag'),
      name,
      pressed: el.getAttribute('aria-pressed'),
      article: el.matches('article'),
      inPicker: !!el.closest('[role="toolbar"]'),
      inDialog: !!el.closest('[role="dialog"]'),
    };
  });
}

/** Waits until focus matches `want` (a subset of focusInfo), and is never on <body>. */
async function expectFocus(page, want, step) {
  try {
    await expect.poll(async () => focusInfo(page), { timeout: 3000 }).toMatchObject(want);
  } catch {
    const actual = await focusInfo(page);
    throw new Error(`focus after "${step}": wanted ${JSON.stringify(want)}, but focus is on ${JSON.stringify(actual)}`);
  }
  const now = await focusInfo(page);
  expect(now.tag, `focus after "${step}" must not be lost to <body>`).not.toBe('body');
  return now;
}

/** Runs axe (WCAG 2 A and AA) and fails listing every violation: rule, target, message. */
async function expectAxeClean(page, state) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${v.id} (${v.impact}) at ${JSON.stringify(n.target)}: ${v.help} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`,
    ),
  );
  expect(found, `axe violations with ${state}:\n${found.join('\n')}`).toEqual([]);
}

/** The visible panel entries' quote texts, in the order shown. */
const shownQuotes = (page) => panelList(page).locator('li:not([hidden]) .panel-quote').allTextContents();

test.describe('editing', () => {
  test.beforeEach(async ({ page }) => openFresh(page));

  test('a note is added, edited and removed in the popover, and shown in the panel as plain text', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await highlight(page, 'claim').click();
    await expect(popover(page)).toBeVisible();
    await expect(noteField(page)).toHaveValue('');

    const html = 'Check the <b>vote</b> count & <img src=x onerror=alert(1)> source';
    await noteField(page).fill(html);
    await popover(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    const note = panelItems(page).first().locator('.panel-note');
    await expect(note).toHaveText(html);
    await expect(panelList(page).locator('b, img')).toHaveCount(0);
    await expect(popover(page).locator('b, img')).toHaveCount(0);

    // Reopened, the popover shows the saved note for editing.
    await page.keyboard.press('Escape');
    await expect(popover(page)).toBeHidden();
    await highlight(page, 'claim').click();
    await expect(noteField(page)).toHaveValue(html);
    await noteField(page).fill('Ask the clerk for the vote record');
    await popover(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    await expect(note).toHaveText('Ask the clerk for the vote record');

    // An empty note removes it.
    await noteField(page).fill('   ');
    await popover(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note removed');
    await expect(panelList(page).locator('.panel-note')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await highlight(page, 'claim').click();
    await expect(noteField(page)).toHaveValue('');
  });

  test('the popover of a highlight low in the window fits in the window, so its controls can be reached', async ({ page }) => {
    // At 1280 × 720, unscrolled, this quote sits about 550 px down.
    await tagText(page, QUOTE, 'Quote');
    await page.evaluate(() => window.scrollTo(0, 0));
    const mark = highlight(page, 'quote');
    await expect(mark).toBeInViewport();
    await mark.click();
    await expect(popover(page)).toBeVisible();
    const where = await popover(page).evaluate((el) => {
      const b = el.getBoundingClientRect();
      return { top: Math.round(b.top), bottom: Math.round(b.bottom), innerHeight };
    });
    expect(where.top, `popover ${JSON.stringify(where)}`).toBeGreaterThanOrEqual(0);
    expect(where.bottom, `popover ${JSON.stringify(where)} runs past the bottom of the window`).toBeLessThanOrEqual(
      where.innerHeight,
    );
    for (const name of ['Save note', 'Delete', 'Close']) {
      await expect(popover(page).getByRole('button', { name }), `${name} is on screen`).toBeInViewport({ ratio: 1 });
    }
    await popover(page).getByRole('button', { name: 'Delete' }).click({ timeout: 3000 });
    await expect(marks(page)).toHaveCount(0);
  });

  test('create, retag, note and delete undo and redo, with the buttons and with Ctrl+Z / Ctrl+Shift+Z', async ({ page }) => {
    await expect(undoButton(page)).toBeDisabled();
    await expect(redoButton(page)).toBeDisabled();

    await tagText(page, CLAIM, 'Claim');
    await highlight(page, 'claim').click();
    await popover(page).getByRole('button', { name: 'Quote' }).click();
    await expect(status(page)).toHaveText('Claim changed to Quote');
    await noteField(page).fill('first note');
    await popover(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    await popover(page).getByRole('button', { name: 'Delete' }).click();
    await expect(status(page)).toHaveText('Quote deleted');
    await expect(marks(page)).toHaveCount(0);

    // Each state, from the newest back to the empty page.
    const afterDelete = async () => {
      await expect(marks(page)).toHaveCount(0);
      await expect(panelItems(page)).toHaveCount(0);
      await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
    };
    const afterNote = async () => {
      await expect(highlight(page, 'quote')).toHaveText(CLAIM);
      await expect(panelItems(page).locator('.panel-note')).toHaveText('first note');
      await expect(counts(page)).toHaveText('0 claims · 1 quote · 0 captions');
    };
    const afterRetag = async () => {
      await expect(highlight(page, 'quote')).toHaveText(CLAIM);
      await expect(panelItems(page).locator('.panel-note')).toHaveCount(0);
    };
    const afterCreate = async () => {
      await expect(highlight(page, 'claim')).toHaveText(CLAIM);
      await expect(marks(page)).toHaveCount(1);
      await expect(counts(page)).toHaveText('1 claim · 0 quotes · 0 captions');
    };
    const empty = afterDelete;

    // Undo with the button, all the way.
    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: Quote deleted');
    await afterNote();
    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: Note saved');
    await afterRetag();
    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: Claim changed to Quote');
    await afterCreate();
    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: Claim added');
    await empty();
    await expect(undoButton(page)).toBeDisabled();
    await expect(redoButton(page)).toBeEnabled();

    // Redo with Ctrl+Shift+Z, all the way.
    await page.locator('article').focus();
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Claim added');
    await afterCreate();
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Claim changed to Quote');
    await afterRetag();
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Note saved');
    await afterNote();
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Quote deleted');
    await afterDelete();
    await expect(redoButton(page)).toBeDisabled();

    // Ctrl+Z back two steps, then the Redo button once.
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Quote deleted');
    await afterNote();
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Note saved');
    await afterRetag();
    await redoButton(page).click();
    await expect(status(page)).toHaveText('Redone: Note saved');
    await afterNote();

    // The state undo and redo reach is what is saved.
    await page.reload();
    await afterNote();
  });

  test('filter toggles, search over quotes and notes, sort order and the summary line', async ({ page }) => {
    await tagText(page, 'Some residents remain unconvinced.', 'Claim');
    await tagText(page, QUOTE, 'Quote');
    await tagText(page, CLAIM, 'Claim');
    await expect(counts(page)).toHaveText('2 claims · 1 quote · 0 captions');
    await expect(filter(page, 'Claim')).toHaveText('Claim (2)');
    await expect(filter(page, 'Quote')).toHaveText('Quote (1)');
    await expect(filter(page, 'Caption')).toHaveText('Caption (0)');
    for (const tag of ['Claim', 'Quote', 'Caption']) await expect(filter(page, tag)).toHaveAttribute('aria-pressed', 'true');
    await expect(summary(page)).toHaveCount(0);
    expect(await shownQuotes(page)).toEqual([CLAIM, QUOTE, 'Some residents remain unconvinced.']);

    // Claims off.
    await filter(page, 'Claim').click();
    await expect(filter(page, 'Claim')).toHaveAttribute('aria-pressed', 'false');
    await expect(panelItems(page)).toHaveCount(1);
    await expect(panelItems(page)).toContainText(QUOTE);
    await expect(summary(page)).toHaveText('Showing 1 of 3');
    // The counts are of everything, not of what is shown; the highlights stay.
    await expect(counts(page)).toHaveText('2 claims · 1 quote · 0 captions');
    await expect(filter(page, 'Claim')).toHaveText('Claim (2)');
    await expect(marks(page)).toHaveCount(3);
    // Quotes off too: nothing listed.
    await filter(page, 'Quote').click();
    await expect(panelItems(page)).toHaveCount(0);
    await expect(summary(page)).toHaveText('Showing 0 of 3');
    await filter(page, 'Claim').click();
    await filter(page, 'Quote').click();
    await expect(panelItems(page)).toHaveCount(3);
    await expect(summary(page)).toHaveCount(0);

    // Search over quotes, case-insensitively and with plain quote marks.
    await search(page).fill('RESIDENTS');
    await expect(panelItems(page)).toHaveCount(1);
    await expect(panelItems(page)).toContainText('Some residents remain unconvinced.');
    await expect(summary(page)).toHaveText('Showing 1 of 3');
    await search(page).fill('"nobody');
    await expect(panelItems(page)).toHaveCount(1);
    await expect(panelItems(page)).toContainText(QUOTE);

    // ... and over notes.
    await search(page).fill('');
    await expect(summary(page)).toHaveCount(0);
    // Mid-screen, so the popover fits below it (see the popover placement test).
    await highlight(page, 'quote').evaluate((m) => m.scrollIntoView({ block: 'center' }));
    await highlight(page, 'quote').click();
    await noteField(page).fill('Mistry on the budget overrun');
    await popover(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    await page.keyboard.press('Escape');
    await search(page).fill('budget');
    await expect(panelItems(page)).toHaveCount(1);
    await expect(panelItems(page)).toContainText(QUOTE);
    await expect(panelItems(page).locator('.panel-note')).toHaveText('Mistry on the budget overrun');
    await expect(summary(page)).toHaveText('Showing 1 of 3');
    // Search and filter together.
    await filter(page, 'Quote').click();
    await expect(panelItems(page)).toHaveCount(0);
    await expect(summary(page)).toHaveText('Showing 0 of 3');
    await filter(page, 'Quote').click();
    await search(page).fill('');
    await expect(panelItems(page)).toHaveCount(3);

    // Position order, then time order: the most recently changed first (the
    // quote's note is its latest change).
    await expect(sortBy(page)).toHaveValue('position');
    expect(await shownQuotes(page)).toEqual([CLAIM, QUOTE, 'Some residents remain unconvinced.']);
    await sortBy(page).selectOption('time');
    await expect.poll(() => shownQuotes(page)).toEqual([QUOTE, CLAIM, 'Some residents remain unconvinced.']);
    await sortBy(page).selectOption('position');
    await expect.poll(() => shownQuotes(page)).toEqual([CLAIM, QUOTE, 'Some residents remain unconvinced.']);
  });

  test('both copies of a repeated caption are tagged at once, as one undoable step', async ({ page }) => {
    // Text that is not repeated offers no such switch.
    await dragSelect(page, 'Insurance claims for flood damage');
    await expect(picker(page)).toBeVisible();
    await expect(picker(page).getByRole('button', { name: 'Tag both copies' })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.mouse.click(5, 5);

    await dragSelect(page, REPEATED, 0);
    const both = picker(page).getByRole('button', { name: 'Tag both copies' });
    await expect(both).toHaveAttribute('aria-pressed', 'false');
    await both.click();
    await expect(both).toHaveAttribute('aria-pressed', 'true');
    await picker(page).getByRole('button', { name: 'Caption' }).click();
    await expect(picker(page)).toBeHidden();
    await expect(status(page)).toHaveText('2 captions added');
    const captions = highlight(page, 'caption');
    await expect(captions).toHaveCount(2);
    await expect(captions.nth(0)).toHaveText(REPEATED);
    await expect(captions.nth(1)).toHaveText(REPEATED);
    expect(await captions.evaluateAll((ms) => ms.map((m) => m.closest('[data-para]').dataset.para))).toEqual(['4', '5']);
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 2 captions');
    await expect(panelItems(page)).toHaveCount(2);

    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: 2 captions added');
    await expect(marks(page)).toHaveCount(0);
    await redoButton(page).click();
    await expect(status(page)).toHaveText('Redone: 2 captions added');
    await expect(captions).toHaveCount(2);

    // With the switch left off, only the selected copy is tagged.
    await dragSelect(page, 'said the barrier was the most important decision', 1);
    await expect(picker(page).getByRole('button', { name: 'Tag both copies' })).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('1');
    await expect(status(page)).toHaveText('Claim added');
    await expect(highlight(page, 'claim')).toHaveCount(1);
    expect(await highlight(page, 'claim').evaluate((m) => m.closest('[data-para]').dataset.para)).toBe('5');
  });
});

test.describe('keyboard only', () => {
  test.beforeEach(async ({ page }) => openFresh(page));

  test('a whole session: tab in, select, tag, step between highlights, retag, delete, undo and redo', async ({ page }) => {
    // From the start of the page: the site link, Open article, Paste article, the article.
    const stops = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      const f = await focusInfo(page);
      stops.push(f.article ? 'article' : `${f.tag} ${f.name}`);
      if (f.article) break;
    }
    expect(stops, 'Tab stops from the top of the page to the article').toEqual([
      'a Embed demo: Marginalia on a news site',
      'input Open article',
      'button Paste article',
      'article',
    ]);
    await expectFocus(page, { article: true }, 'Tab into the article');

    // Select two words with Ctrl+Shift+Right: the picker shows, focus stays.
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    expect((await page.evaluate(() => getSelection().toString())).trim()).toBe('City council');
    await expectFocus(page, { article: true }, 'Shift+Arrow selection');

    // Enter moves into the picker; Escape cancels back to the article.
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inPicker: true, name: 'Claim1' }, 'Enter on the article');
    await page.keyboard.press('Escape');
    await expect(picker(page)).toBeHidden();
    await expectFocus(page, { article: true }, 'Escape in the picker');
    await expect(status(page)).toHaveText('Cancelled');

    // The selection is kept: extend by a word and tag with "1".
    await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('1');
    await expect(status(page)).toHaveText('Claim added');
    await expect(highlight(page, 'claim')).toHaveText('City council approves');
    const claim = await expectFocus(page, { tag: 'mark', dataTag: 'claim' }, 'tagging with 1');
    await expect(picker(page)).toBeHidden();

    // Arrow down into the first paragraph, select three words, tag with "2".
    for (let i = 0; i < 6; i++) {
      const para = await page.evaluate(() => {
        const root = document.querySelector('[data-marginalia]').shadowRoot;
        const [r] = getSelection().getComposedRanges({ shadowRoots: [root] });
        const node = r?.startContainer;
        const el = node?.nodeType === 1 ? node : node?.parentElement;
        return el?.closest('[data-para]')?.dataset.para ?? null;
      });
      if (para === '1') break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('2');
    await expect(status(page)).toHaveText('Quote added');
    await expect(highlight(page, 'quote')).toHaveText('The city council');
    const quote = await expectFocus(page, { tag: 'mark', dataTag: 'quote' }, 'tagging with 2');

    // k and j step between the highlights and say where they are.
    await page.keyboard.press('k');
    await expectFocus(page, { tag: 'mark', annotation: claim.annotation }, 'k');
    await expect(status(page)).toHaveText('Claim 1 of 2: City council approves');
    await page.keyboard.press('j');
    await expectFocus(page, { tag: 'mark', annotation: quote.annotation }, 'j');
    await expect(status(page)).toHaveText('Quote 2 of 2: The city council');
    await page.keyboard.press('j');
    await expect(status(page)).toHaveText('No highlight after this one');
    await expectFocus(page, { tag: 'mark', annotation: quote.annotation }, 'j at the last highlight');

    // Enter opens the popover on its first button; retag with Tab and Space.
    await page.keyboard.press('Enter');
    await expect(popover(page)).toBeVisible();
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Claim' }, 'Enter on a highlight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Caption', pressed: 'false' }, 'Tab to Caption');
    await page.keyboard.press('Space');
    await expect(status(page)).toHaveText('Quote changed to Caption');
    await expect(highlight(page, 'caption')).toHaveText('The city council');
    await expectFocus(page, { inDialog: true }, 'retagging in the popover');
    await expect(popover(page).getByRole('button', { name: 'Caption' })).toHaveAttribute('aria-pressed', 'true');

    // Escape closes it and returns to the highlight.
    await page.keyboard.press('Escape');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, { tag: 'mark', annotation: quote.annotation, dataTag: 'caption' }, 'Escape in the popover');

    // Delete removes the focused highlight; focus goes to the article.
    await page.keyboard.press('Delete');
    await expect(status(page)).toHaveText('Caption deleted');
    await expect(highlight(page, 'caption')).toHaveCount(0);
    await expectFocus(page, { article: true }, 'Delete on a highlight');

    // Ctrl+Z and Ctrl+Shift+Z.
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Caption deleted');
    await expect(highlight(page, 'caption')).toHaveText('The city council');
    await expectFocus(page, { article: true }, 'Ctrl+Z');
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Caption deleted');
    await expect(highlight(page, 'caption')).toHaveCount(0);
    await expectFocus(page, { article: true }, 'Ctrl+Shift+Z');
    await expect(counts(page)).toHaveText('1 claim · 0 quotes · 0 captions');
  });

  test('the picker and popover buttons keep focus in the widget when used from the keyboard', async ({ page }) => {
    const article = page.locator('article');
    await article.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Enter');
    await expectFocus(page, { inPicker: true, name: 'Claim1' }, 'Enter on the article');
    // The Cancel button returns to the article.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { inPicker: true, name: 'Cancel' }, 'Tab to Cancel in the picker');
    await page.keyboard.press('Enter');
    await expect(picker(page)).toBeHidden();
    await expectFocus(page, { article: true }, 'Cancel in the picker');
    // A tag button moves focus to the new highlight.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expectFocus(page, { inPicker: true, name: 'Quote2' }, 'Tab in the picker');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Quote added');
    const quote = await expectFocus(page, { tag: 'mark', dataTag: 'quote' }, 'Quote in the picker');

    // Save note from the keyboard stays in the popover.
    await page.keyboard.press('Enter');
    await expectFocus(page, { inDialog: true, name: 'Claim' }, 'Enter on the highlight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'textarea', inDialog: true }, 'Tab to the note');
    await page.keyboard.type('from the headline');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Note saved');
    await expectFocus(page, { inDialog: true }, 'Save note');
    // Close returns to the highlight.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expectFocus(page, { inDialog: true, name: 'Close' }, 'Tab to Close');
    await page.keyboard.press('Enter');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, { tag: 'mark', annotation: quote.annotation }, 'Close in the popover');

    // Delete in the popover: focus must not fall to <body> with the removed button.
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { inDialog: true, name: 'Delete' }, 'Tab to Delete');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Quote deleted');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, { article: true }, 'Delete in the popover');
  });

  test('the Undo button keeps focus in the widget when undoing the last step disables it', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await undoButton(page).focus();
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Undone: Claim added');
    await expect(undoButton(page)).toBeDisabled();
    await expectFocus(page, {}, 'Undo (the last step) pressed with Enter');
  });

  test('the Redo button keeps focus in the widget when redoing the last step disables it', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Claim added');
    await redoButton(page).focus();
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Redone: Claim added');
    await expect(redoButton(page)).toBeDisabled();
    await expectFocus(page, {}, 'Redo (the last step) pressed with Enter');
  });

  test('with single-key shortcuts off, j and k do nothing; on again, they step', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await tagText(page, QUOTE, 'Quote');
    await expect(shortcutsBox(page)).toBeChecked();
    await shortcutsBox(page).uncheck();
    await expect(shortcutsBox(page)).not.toBeChecked();

    await page.locator('article').focus();
    await expect(status(page)).toHaveText('Quote added');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    // Give a wrongly handled key time to act before checking it did not.
    await page.waitForTimeout(300);
    await expectFocus(page, { article: true }, 'j and k with shortcuts off');
    await expect(status(page)).toHaveText('Quote added');

    await shortcutsBox(page).check();
    await page.locator('article').focus();
    await page.keyboard.press('j');
    await expectFocus(page, { tag: 'mark', dataTag: 'claim' }, 'j with shortcuts on');
    await expect(status(page)).toHaveText(`Claim 1 of 2: ${CLAIM}`);
  });

  test('typing j, k, 1 in the note field or the search box types text and fires no shortcut', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await tagText(page, QUOTE, 'Quote');

    // The note field, reached from a highlight by keyboard.
    await page.keyboard.press('k');
    const claim = await expectFocus(page, { tag: 'mark', dataTag: 'claim' }, 'k');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'textarea', inDialog: true }, 'Tab to the note');
    await page.keyboard.type('j1k2 3');
    await expect(noteField(page)).toHaveValue('j1k2 3');
    // Ctrl+Z in the field is the field's own undo, not the annotations'.
    await page.keyboard.press('Control+Z');
    await expect(marks(page)).toHaveCount(2);
    await expect(highlight(page, 'claim')).toHaveCount(1);
    await expect(popover(page)).toBeVisible();
    await expect(popover(page).getByRole('button', { name: 'Claim' })).toHaveAttribute('aria-pressed', 'true');
    await expectFocus(page, { tag: 'textarea', inDialog: true }, 'typing in the note');
    await expect(status(page)).toHaveText('Claim 1 of 2: ' + CLAIM);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab');
    await expectFocus(page, { inDialog: true, name: 'Claim' }, 'Shift+Tab back');
    await page.keyboard.press('Escape');
    await expectFocus(page, { tag: 'mark', annotation: claim.annotation }, 'Escape');

    // The search box, with the picker open for a fresh selection.
    await dragSelect(page, 'Insurance claims for flood damage');
    await expect(picker(page)).toBeVisible();
    await search(page).click();
    await page.keyboard.type('1j');
    await expect(search(page)).toHaveValue('1j');
    await page.waitForTimeout(300);
    await expect(marks(page)).toHaveCount(2);
    await expect(page.locator('article mark', { hasText: 'Insurance claims' })).toHaveCount(0);
    await expectFocus(page, { tag: 'input' }, 'typing in the search box');
  });
});

test.describe('axe: WCAG 2 A and AA', () => {
  test.beforeEach(async ({ page }) => openFresh(page));

  test('the empty page', async ({ page }) => {
    await expectAxeClean(page, 'the empty page');
  });

  test('annotated with one of each tag', async ({ page }) => {
    await tagOneOfEach(page);
    await expectAxeClean(page, 'one claim, one quote and one caption');
  });

  test('with the popover open', async ({ page }) => {
    await tagOneOfEach(page);
    await highlight(page, 'quote').click();
    await expect(popover(page)).toBeVisible();
    await expectAxeClean(page, 'the popover open');
  });

  test('with the picker open', async ({ page }) => {
    await tagOneOfEach(page);
    await dragSelect(page, REPEATED, 0);
    await expect(picker(page)).toBeVisible();
    await expect(picker(page).getByRole('button', { name: 'Tag both copies' })).toBeVisible();
    await expectAxeClean(page, 'the picker open');
  });

  test('with the panel filtered and searched', async ({ page }) => {
    await tagOneOfEach(page);
    await filter(page, 'Claim').click();
    await search(page).fill('o');
    await expect(summary(page)).toBeVisible();
    await expectAxeClean(page, 'a filter off and a search');
  });

  test('in the dark scheme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await tagOneOfEach(page);
    await expectAxeClean(page, 'the dark scheme, annotated');
    await highlight(page, 'claim').click();
    await expect(popover(page)).toBeVisible();
    await expectAxeClean(page, 'the dark scheme, popover open');
    await page.keyboard.press('Escape');
    await dragSelect(page, REPEATED, 0);
    await expect(picker(page)).toBeVisible();
    await expectAxeClean(page, 'the dark scheme, picker open');
  });

  test('on a 390 × 844 screen', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAxeClean(page, 'a 390 × 844 viewport, empty');
    await tagOneOfEach(page);
    await expectAxeClean(page, 'a 390 × 844 viewport, annotated');
  });
});

test.describe('what assistive technology is pointed at', () => {
  test.beforeEach(async ({ page }) => openFresh(page));

  /** Checks every aria-details and mark on the page; returns what was checked. */
  const checkMarks = (page) =>
    page.evaluate(() => {
      const root = document.querySelector('[data-marginalia]').shadowRoot;
      const problems = [];
      const all = [...root.querySelectorAll('[aria-details]')];
      for (const el of all) {
        const id = el.getAttribute('aria-details');
        const target = el.getRootNode().getElementById(id);
        if (id !== `ann-${el.dataset.annotationId}`) problems.push(`aria-details="${id}" on the mark of ${el.dataset.annotationId}`);
        if (!target) problems.push(`aria-details="${id}" on ${el.tagName} resolves to nothing in its root`);
        else if (target.tagName !== 'LI' || !target.closest('ol[aria-label="Annotations"]')) {
          problems.push(`aria-details="${id}" resolves to ${target.tagName}#${target.id}, not a panel entry`);
        }
        if (root.querySelectorAll(`[id="${id}"]`).length > 1) problems.push(`id ${id} is not unique`);
      }
      // Nothing outside the shadow root carries the panel's ids.
      for (const el of document.querySelectorAll('[aria-details]')) problems.push(`aria-details outside the widget on ${el.tagName}`);
      for (const mark of root.querySelectorAll('mark')) {
        if (mark.hasAttribute('aria-label')) problems.push(`mark ${mark.dataset.annotationId} has aria-label`);
        if (!mark.hasAttribute('aria-details')) problems.push(`mark ${mark.dataset.annotationId} has no aria-details`);
      }
      return { problems, checked: all.length };
    });

  const paragraphTexts = (page) => page.locator('article [data-para]').evaluateAll((ps) => ps.map((p) => p.textContent));

  test('every aria-details resolves in the same shadow root, marks have no aria-label, and the text is unchanged', async ({ page }) => {
    const lines = SAMPLE.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).filter(Boolean);
    const before = await paragraphTexts(page);
    expect(before).toEqual(lines);
    const articleText = await page.locator('article').evaluate((a) => a.textContent);

    await tagOneOfEach(page);
    // Overlapping, across paragraphs and both copies of a caption.
    await tagText(page, 'voted 31 to 9 on Tuesday night to build a £48 million flood barrier', 'Quote');
    await dragAcross(page, 'government grant announced last year.', 'Some residents');
    await picker(page).getByRole('button', { name: 'Claim' }).click();
    await dragSelect(page, REPEATED, 0);
    await picker(page).getByRole('button', { name: 'Tag both copies' }).click();
    await picker(page).getByRole('button', { name: 'Caption' }).click();
    await expect(panelItems(page)).toHaveCount(7);

    let result = await checkMarks(page);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBeGreaterThanOrEqual(9);
    expect(await paragraphTexts(page)).toEqual(before);
    expect(await page.locator('article').evaluate((a) => a.textContent)).toBe(articleText);
    // Labels are generated content, so the text a reader gets is the article's.
    expect(await page.locator('article').evaluate((a) => a.innerText.includes('CLAIM'))).toBe(false);

    // Filtered out, the entries stay (hidden) for the highlights to point at.
    await filter(page, 'Caption').click();
    await search(page).fill('council');
    await expect(summary(page)).toBeVisible();
    result = await checkMarks(page);
    expect(result.problems).toEqual([]);

    // After a delete and its undo, nothing dangles.
    await highlight(page, 'claim').first().click();
    await popover(page).getByRole('button', { name: 'Delete' }).first().click();
    result = await checkMarks(page);
    expect(result.problems).toEqual([]);
    await undoButton(page).click();
    result = await checkMarks(page);
    expect(result.problems).toEqual([]);
    expect(await paragraphTexts(page)).toEqual(before);
  });

  test('status messages go to one polite live region, and the highlight is reachable from the panel entry', async ({ page }) => {
    const live = page.locator('[role="status"]');
    await expect(live).toHaveCount(1);
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await tagText(page, CLAIM, 'Claim');
    await expect(live).toHaveText('Claim added');
    // The mark's details name its panel entry, whose button names tag and quote.
    const details = await highlight(page, 'claim').getAttribute('aria-details');
    const entry = page.locator(`li#${details}`);
    await expect(entry.getByRole('button')).toHaveAccessibleName(new RegExp(`Claim.*${CLAIM}`));
  });
});

test.describe('touch on a small screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  test.beforeEach(async ({ page }) => openFresh(page));

  /**
   * Selects `needle` as a long-press would: a tap (a touch pointerdown) at
   * its start, then the selection set inside the shadow root, which fires
   * selectionchange. Returns the selection's rectangle.
   */
  async function touchSelect(page, needle, occurrence = 0) {
    const at = await textPoints(page, needle, occurrence);
    await page.touchscreen.tap(at.start.x, at.start.y);
    return page.evaluate(
      ([needle, occurrence]) => {
        const root = document.querySelector('[data-marginalia]').shadowRoot;
        let seen = 0;
        for (const para of root.querySelectorAll('article [data-para]')) {
          let i = para.textContent.indexOf(needle);
          while (i !== -1 && seen++ !== occurrence) i = para.textContent.indexOf(needle, i + 1);
          if (i === -1) continue;
          const locate = (offset) => {
            const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
              if (offset <= node.data.length) return [node, offset];
              offset -= node.data.length;
            }
            throw new Error('offset past the paragraph');
          };
          const [sn, so] = locate(i);
          const [en, eo] = locate(i + needle.length);
          getSelection().setBaseAndExtent(sn, so, en, eo);
          const r = document.createRange();
          r.setStart(sn, so);
          r.setEnd(en, eo);
          const b = r.getBoundingClientRect();
          return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
        }
        throw new Error(`"${needle}" not found`);
      },
      [needle, occurrence],
    );
  }

  const box = (locator) => locator.evaluate((el) => {
    const b = el.getBoundingClientRect();
    return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
  });
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

  test('a touch selection shows the picker clear of the selection, and tagging works', async ({ page }) => {
    const needle = 'will protect an estimated 4,300 homes';
    const sel = await touchSelect(page, needle);
    await expect(picker(page)).toBeVisible();
    const p = await box(picker(page));
    expect(overlaps(p, sel), `picker ${JSON.stringify(p)} covers the selection ${JSON.stringify(sel)}`).toBe(false);
    // Below the selection, with room for the finger resting on its end.
    expect(p.top - sel.bottom).toBeGreaterThanOrEqual(30);
    const vw = await page.evaluate(() => innerWidth);
    expect(p.left).toBeGreaterThanOrEqual(0);
    expect(p.right, 'the picker fits the screen').toBeLessThanOrEqual(vw);

    await picker(page).getByRole('button', { name: 'Claim' }).tap();
    await expect(highlight(page, 'claim')).toHaveText(needle);
    await expect(status(page)).toHaveText('Claim added');
    await expect(picker(page)).toBeHidden();
    await expect(counts(page)).toHaveText('1 claim · 0 quotes · 0 captions');
  });

  test('the picker for a repeated caption, with its extra switch, fits the screen', async ({ page }) => {
    const sel = await touchSelect(page, REPEATED, 0);
    await expect(picker(page)).toBeVisible();
    await expect(picker(page).getByRole('button', { name: 'Tag both copies' })).toBeVisible();
    const p = await box(picker(page));
    const vw = await page.evaluate(() => innerWidth);
    expect(overlaps(p, sel)).toBe(false);
    expect(p.left).toBeGreaterThanOrEqual(0);
    expect(p.right, `the picker (${JSON.stringify(p)}) fits the ${vw}px screen`).toBeLessThanOrEqual(vw);
    await picker(page).getByRole('button', { name: 'Tag both copies' }).tap();
    await picker(page).getByRole('button', { name: 'Caption' }).tap();
    await expect(highlight(page, 'caption')).toHaveCount(2);
  });

  test('tapping a highlight opens its popover, which stays open', async ({ page }) => {
    await touchSelect(page, 'will protect an estimated 4,300 homes');
    await picker(page).getByRole('button', { name: 'Claim' }).tap();
    await expect(highlight(page, 'claim')).toHaveCount(1);
    await page.waitForTimeout(500);
    await highlight(page, 'claim').tap();
    await expect(popover(page)).toBeVisible();
    // Longer than the 350 ms a touch selection takes to settle.
    await page.waitForTimeout(800);
    await expect(popover(page)).toBeVisible();
    const p = await box(popover(page));
    const vw = await page.evaluate(() => innerWidth);
    expect(p.right).toBeLessThanOrEqual(vw);
  });

  test('nothing overflows sideways and the panel sits below the article', async ({ page }) => {
    await touchSelect(page, 'will protect an estimated 4,300 homes');
    await picker(page).getByRole('button', { name: 'Quote' }).tap();
    await expect(highlight(page, 'quote')).toHaveCount(1);
    const sizes = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: innerWidth,
    }));
    expect(sizes.scroll, 'no horizontal scrolling').toBeLessThanOrEqual(sizes.inner);
    const article = await box(page.locator('article'));
    const panel = await box(page.locator('.panel'));
    expect(panel.top, 'the panel is under the article').toBeGreaterThanOrEqual(article.bottom);
    expect(article.right).toBeLessThanOrEqual(sizes.inner);
    expect(panel.right).toBeLessThanOrEqual(sizes.inner);
    await expectAxeClean(page, 'touch at 390 × 844, annotated');
  });
});

test.describe('dark scheme and reduced motion', () => {
  /** Contrast of each tag's label (::before) against its own background, and of highlighted text over its fill. */
  const contrasts = (page) =>
    page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      // Resolves any CSS colour, composited over the given opaque layers.
      const paint = (...layers) => {
        ctx.clearRect(0, 0, 1, 1);
        for (const c of layers) {
          ctx.fillStyle = '#000';
          ctx.fillStyle = c;
          ctx.fillRect(0, 0, 1, 1);
        }
        const d = ctx.getImageData(0, 0, 1, 1).data;
        return [d[0], d[1], d[2]];
      };
      const lum = (rgb) => {
        const [r, g, b] = rgb.map((v) => {
          const s = v / 255;
          return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a, b) => {
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
      };
      const host = document.querySelector('[data-marginalia]');
      const paper = getComputedStyle(host).backgroundColor;
      const out = {};
      for (const mark of host.shadowRoot.querySelectorAll('article mark[data-label]')) {
        const before = getComputedStyle(mark, '::before');
        const label = ratio(paint(paper, before.color), paint(paper, before.backgroundColor));
        const style = getComputedStyle(mark);
        const text = ratio(paint(paper, style.color), paint(paper, style.backgroundColor));
        const chip = host.shadowRoot.querySelector(`.panel .tag-label[data-tag="${mark.dataset.tag}"]`);
        const cs = getComputedStyle(chip);
        const panel = ratio(paint(paper, cs.color), paint(paper, cs.backgroundColor));
        out[mark.dataset.tag] = {
          label: Math.round(label * 100) / 100,
          text: Math.round(text * 100) / 100,
          panel: Math.round(panel * 100) / 100,
          content: before.content,
        };
      }
      return { paper, out };
    });

  for (const scheme of ['light', 'dark']) {
    test(`tag labels keep AA contrast in the ${scheme} scheme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openFresh(page);
      await tagOneOfEach(page);
      const { paper, out } = await contrasts(page);
      expect(Object.keys(out).sort()).toEqual(['caption', 'claim', 'quote']);
      for (const [tag, c] of Object.entries(out)) {
        expect(c.content, `${tag} label text`).toBe(`"${tag[0].toUpperCase()}${tag.slice(1)}"`);
        // The labels are 10 px and 11 px text: AA asks 4.5:1.
        expect(c.label, `${tag} label ::before contrast on ${paper} (${scheme})`).toBeGreaterThanOrEqual(4.5);
        expect(c.panel, `${tag} panel label contrast (${scheme})`).toBeGreaterThanOrEqual(4.5);
        expect(c.text, `${tag} highlighted text over its fill (${scheme})`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  test('dark scheme with reduced motion renders the dark palette and moves nothing', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await openFresh(page);
    await tagOneOfEach(page);
    const look = await page.evaluate(() => {
      const host = document.querySelector('[data-marginalia]');
      const root = host.shadowRoot;
      const cs = (sel) => getComputedStyle(root.querySelector(sel));
      return {
        motion: matchMedia('(prefers-reduced-motion: reduce)').matches,
        paper: getComputedStyle(host).backgroundColor,
        ink: cs('article').color,
        button: cs('.panel-item').backgroundColor,
        transitions: [...root.querySelectorAll('*')].filter((el) => {
          const s = getComputedStyle(el);
          return s.transitionDuration.split(',').some((d) => parseFloat(d) > 0) || s.animationName !== 'none';
        }).length,
        smooth: [...root.querySelectorAll('*')].filter((el) => getComputedStyle(el).scrollBehavior === 'smooth').length,
      };
    });
    expect(look.motion).toBe(true);
    expect(look.paper).toBe('rgb(22, 22, 26)');
    expect(look.ink).toBe('rgb(236, 235, 230)');
    expect(look.button).toBe('rgb(36, 36, 42)');
    expect(look.transitions).toBe(0);
    expect(look.smooth).toBe(0);

    // Showing a highlight from the panel jumps there at once and flashes it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await panelItems(page).nth(2).getByRole('button').click();
    const mark = highlight(page, 'caption');
    await expect(mark).toHaveClass(/flash/);
    await expect(mark).toBeInViewport();
    await expectAxeClean(page, 'dark scheme with reduced motion');
  });
});
