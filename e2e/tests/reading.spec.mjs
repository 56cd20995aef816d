// Reading and editing through the real UI: notes, undo and redo, the panel's
// filters, search and order, repeated captions; a keyboard-only session with
// focus checked after every step; axe (WCAG 2 A and AA) in each state; what
// screen readers are pointed at; touch on a small screen; dark scheme and
// reduced motion with label contrast worked out in the page.
//
// Highlights are ranges in CSS.highlights, not elements: they are read from
// the registry (`painted`), clicked and hovered where their text is, and the
// keyboard's "chosen" highlight is read from the active entry, the window's
// selection and the live region.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import {
  test,
  expect,
  openFresh,
  dragSelect,
  tagText,
  textPoints,
  dragAcross,
  painted,
  highlightsWithText,
  activeText,
} from './fixtures.mjs';

const SAMPLE = readFileSync(new URL('../../src/sample-article.txt', import.meta.url), 'utf8');

const picker = (page) => page.getByRole('toolbar', { name: 'Tag the selection' });
const popover = (page) => page.getByRole('dialog', { name: 'Edit highlight' });
const status = (page) => page.getByRole('status');
const counts = (page) => page.getByTestId('counts');
const panelList = (page) => page.getByRole('list', { name: 'Annotations', exact: true });
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
const editor = (page) => page.getByRole('dialog', { name: 'Edit annotation' });
const noteField = (page) => editor(page).getByRole('textbox', { name: 'Note' });

/** The open popover's Edit: the editor opens with the long forms, and the popover closes. */
async function openEditor(page) {
  await popover(page).getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(editor(page)).toBeVisible();
  await expect(popover(page)).toBeHidden();
}
const label = (page) => page.locator('.hl-label');

/** Every painted highlight (not suggestions), as "tag: text", sorted. */
const paintedList = async (page) =>
  (await painted(page))
    .filter((h) => !h.suggested)
    .map((h) => `${h.tag}: ${h.text}`)
    .sort();
/** How many highlights (not suggestions) are painted. */
const paintedCount = async (page) => (await painted(page)).filter((h) => !h.suggested).length;
/** The texts of the painted highlights of one tag id ('claim', ...), sorted. */
const textsOf = async (page, tag) =>
  (await painted(page))
    .filter((h) => !h.suggested && h.tag === tag)
    .map((h) => h.text)
    .sort();

/**
 * The `data-para` of the paragraph each painted range of `tag` starts in,
 * in document order.
 */
const parasOf = (page, tag) =>
  page.evaluate((tag) => {
    const h = CSS.highlights.get(`marginalia-${tag}`);
    if (!h) return [];
    return [...h]
      .map((r) => {
        const el = r.startContainer.nodeType === 1 ? r.startContainer : r.startContainer.parentElement;
        return el.closest('[data-para]').dataset.para;
      })
      .sort((a, b) => Number(a) - Number(b));
  }, tag);

/**
 * The window's selection as the widget's shadow root sees it: its text
 * (empty when collapsed), whether it is collapsed, and the paragraph its
 * start is in.
 */
const selection = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-marginalia]').shadowRoot;
    const [r] = getSelection().getComposedRanges({ shadowRoots: [root] });
    if (!r) return null;
    const live = document.createRange();
    live.setStart(r.startContainer, r.startOffset);
    live.setEnd(r.endContainer, r.endOffset);
    const node = r.startContainer;
    const el = node.nodeType === 1 ? node : node.parentElement;
    return { text: live.toString(), collapsed: r.collapsed, para: el?.closest('[data-para]')?.dataset.para ?? null };
  });

/** Where `needle` is drawn now, without scrolling: its first character's middle and its whole box. */
const textBox = (page, needle, occurrence = 0) =>
  page.evaluate(
    ([needle, occurrence]) => {
      const root = document.querySelector('[data-marginalia]').shadowRoot;
      let seen = 0;
      for (const para of root.querySelectorAll('article [data-para]')) {
        const text = para.firstChild?.data ?? '';
        let at = text.indexOf(needle);
        while (at !== -1 && seen++ !== occurrence) at = text.indexOf(needle, at + 1);
        if (at === -1) continue;
        const r = document.createRange();
        r.setStart(para.firstChild, at);
        r.setEnd(para.firstChild, at + 1);
        const c = r.getClientRects()[0];
        r.setEnd(para.firstChild, at + needle.length);
        const b = r.getBoundingClientRect();
        return {
          x: c.left + 1,
          y: c.top + c.height / 2,
          box: { left: b.left, top: b.top, right: b.right, bottom: b.bottom },
          innerHeight,
          innerWidth,
        };
      }
      return null;
    },
    [needle, occurrence],
  );
const inViewport = (t) => t.box.top >= 0 && t.box.bottom <= t.innerHeight && t.box.left >= 0 && t.box.right <= t.innerWidth;

/** A real mouse click just inside the first character of `needle` (scrolled to if off screen). */
async function clickOn(page, needle, occurrence = 0) {
  const { start } = await textPoints(page, needle, occurrence);
  await page.mouse.click(start.x, start.y);
}

/** The real mouse moved just inside the first character of `needle`, no button pressed. */
async function hoverOn(page, needle, occurrence = 0) {
  const { start } = await textPoints(page, needle, occurrence);
  await page.mouse.move(start.x, start.y, { steps: 2 });
}

/** Waits until `needle` is the chosen highlight: in the active entry, and labelled. */
async function expectChosen(page, needle, tagLabel) {
  await expect.poll(() => activeText(page)).toBe(needle);
  if (tagLabel) await expect(label(page)).toHaveText(tagLabel);
}

const CLAIM = 'The city council voted 31 to 9 on Tuesday night';
const QUOTE = '“Nobody is against protecting homes,”';
const CAPTION = 'Volunteers fill sandbags on Quay Street as the river rises.';
const REPEATED = 'Council leader Amara Okafor (pictured)';
const HEADLINE = 'City council approves';

/** One highlight of each tag, made with the mouse. */
async function tagOneOfEach(page) {
  await tagText(page, CLAIM, 'Claim');
  await tagText(page, QUOTE, 'Quote');
  await tagText(page, CAPTION, 'Caption', 1);
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 1 caption');
  await expect.poll(() => paintedList(page)).toEqual([`caption: ${CAPTION}`, `claim: ${CLAIM}`, `quote: ${QUOTE}`]);
}

/**
 * What has focus, looking through open shadow roots: the element's tag name,
 * its accessible-ish name, and where it sits.
 */
function focusInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let inShadow = false;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) {
      el = el.shadowRoot.activeElement;
      inShadow = true;
    }
    if (!el) return { tag: 'none' };
    const text = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
    const name = text.trim().replace(/\s+/g, ' ').slice(0, 60);
    return {
      tag: el.tagName.toLowerCase(),
      name,
      pressed: el.getAttribute('aria-pressed'),
      article: el.matches('article'),
      inShadow,
      inPicker: !!el.closest('[role="toolbar"]'),
      inDialog: !!el.closest('[role="dialog"]'),
    };
  });
}

/** Waits until focus matches `want` (a subset of focusInfo), and is never on <body>. */
async function expectFocus(page, want, step) {
  try {
    await expect.poll(async () => focusInfo(page)).toMatchObject(want);
  } catch {
    const actual = await focusInfo(page);
    throw new Error(`focus after "${step}": wanted ${JSON.stringify(want)}, but focus is on ${JSON.stringify(actual)}`);
  }
  const now = await focusInfo(page);
  expect(now.tag, `focus after "${step}" must not be lost to <body>`).not.toBe('body');
  return now;
}

/** Presses Tab until focus matches `want`, at most 20 times: the control is reachable by keyboard, and focus never leaves the dialog on the way. */
async function tabTo(page, want, step) {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const now = await focusInfo(page);
    expect(now.inDialog, `${step}: Tab ${i + 1} left the dialog for ${JSON.stringify(now)}`).toBe(true);
    if (Object.entries(want).every(([k, v]) => now[k] === v)) return;
  }
  throw new Error(`${step}: ${JSON.stringify(want)} not reached in 20 Tabs`);
}

/** Focus on the article, inside the widget's shadow root. */
const ARTICLE = { tag: 'article', article: true, inShadow: true };
/** Focus still on the History group's Undo (or Redo) button: disabled with aria-disabled, it keeps focus. */
const UNDO_FOCUS = { tag: 'button', name: 'Undo', inShadow: true, inPicker: false, inDialog: false };
const REDO_FOCUS = { tag: 'button', name: 'Redo', inShadow: true, inPicker: false, inDialog: false };

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

  test('a note is added, edited and removed in the editor, and shown in the panel as plain text', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await clickOn(page, CLAIM);
    await expect(popover(page)).toBeVisible();
    await openEditor(page);
    await expect(noteField(page)).toHaveValue('');

    const html = 'Check the <b>vote</b> count & <img src=x onerror=alert(1)> source';
    await noteField(page).fill(html);
    await editor(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    const note = panelItems(page).first().locator('.panel-note');
    await expect(note).toHaveText(html);
    await expect(panelList(page).locator('b, img')).toHaveCount(0);
    await expect(editor(page).locator('b, img')).toHaveCount(0);
    // The popover shows the note, as text too.
    await page.keyboard.press('Escape');
    await expect(editor(page)).toBeHidden();
    await clickOn(page, CLAIM);
    await expect(popover(page).locator('.note')).toHaveText(html);
    await expect(popover(page).locator('b, img')).toHaveCount(0);

    // Reopened, the editor shows the saved note for editing.
    await openEditor(page);
    await expect(noteField(page)).toHaveValue(html);
    await noteField(page).fill('Ask the clerk for the vote record');
    await editor(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    await expect(note).toHaveText('Ask the clerk for the vote record');

    // An empty note removes it.
    await noteField(page).fill('   ');
    await editor(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note removed');
    await expect(panelList(page).locator('.panel-note')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await clickOn(page, CLAIM);
    await openEditor(page);
    await expect(noteField(page)).toHaveValue('');
  });

  test('the popover of a highlight low in the window fits in the window, so its controls can be reached', async ({ page }) => {
    // At 1280 × 720, unscrolled, this quote sits about 550 px down.
    await tagText(page, QUOTE, 'Quote');
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => paintedList(page)).toEqual([`quote: ${QUOTE}`]);
    const at = await textBox(page, QUOTE);
    expect(inViewport(at), `the quote ${JSON.stringify(at)} is on screen unscrolled`).toBe(true);
    expect(at.box.top, 'the quote is low in the window').toBeGreaterThan(at.innerHeight / 2);
    await page.mouse.click(at.x, at.y);
    await expect(popover(page)).toBeVisible();
    const where = await popover(page).evaluate((el) => {
      const b = el.getBoundingClientRect();
      return { top: Math.round(b.top), bottom: Math.round(b.bottom), innerHeight };
    });
    expect(where.top, `popover ${JSON.stringify(where)}`).toBeGreaterThanOrEqual(0);
    expect(where.bottom, `popover ${JSON.stringify(where)} runs past the bottom of the window`).toBeLessThanOrEqual(
      where.innerHeight,
    );
    for (const name of ['Edit', 'Delete', 'Close']) {
      await expect(popover(page).getByRole('button', { name }), `${name} is on screen`).toBeInViewport({ ratio: 1 });
    }
    await popover(page).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => paintedCount(page)).toBe(0);
  });

  test('create, retag, note and delete undo and redo, with the buttons and with Ctrl+Z / Ctrl+Shift+Z', async ({ page }) => {
    await expect(undoButton(page)).toBeDisabled();
    await expect(redoButton(page)).toBeDisabled();

    await tagText(page, CLAIM, 'Claim');
    await clickOn(page, CLAIM);
    await popover(page).getByRole('button', { name: 'Quote' }).click();
    await expect(status(page)).toHaveText('Claim changed to Quote');
    await openEditor(page);
    await noteField(page).fill('first note');
    await editor(page).getByRole('button', { name: 'Save note' }).click();
    await expect(status(page)).toHaveText('Note saved');
    await page.keyboard.press('Escape');
    await clickOn(page, CLAIM);
    await popover(page).getByRole('button', { name: 'Delete' }).click();
    await expect(status(page)).toHaveText('Quote deleted');
    await expect.poll(() => paintedCount(page)).toBe(0);

    // Each state, from the newest back to the empty page.
    const afterDelete = async () => {
      await expect.poll(() => paintedList(page)).toEqual([]);
      await expect(panelItems(page)).toHaveCount(0);
      await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
    };
    const afterNote = async () => {
      await expect.poll(() => paintedList(page)).toEqual([`quote: ${CLAIM}`]);
      await expect(panelItems(page).locator('.panel-note')).toHaveText('first note');
      await expect(counts(page)).toHaveText('0 claims · 1 quote · 0 captions');
    };
    const afterRetag = async () => {
      await expect.poll(() => paintedList(page)).toEqual([`quote: ${CLAIM}`]);
      await expect(panelItems(page).locator('.panel-note')).toHaveCount(0);
    };
    const afterCreate = async () => {
      await expect.poll(() => paintedList(page)).toEqual([`claim: ${CLAIM}`]);
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
    const all = ['claim: Some residents remain unconvinced.', `claim: ${CLAIM}`, `quote: ${QUOTE}`];
    await expect.poll(() => paintedList(page)).toEqual(all);

    // Claims off.
    await filter(page, 'Claim').click();
    await expect(filter(page, 'Claim')).toHaveAttribute('aria-pressed', 'false');
    await expect(panelItems(page)).toHaveCount(1);
    await expect(panelItems(page)).toContainText(QUOTE);
    await expect(summary(page)).toHaveText('Showing 1 of 3');
    // The counts are of everything, not of what is shown; the article hides the claims too.
    await expect(counts(page)).toHaveText('2 claims · 1 quote · 0 captions');
    await expect(filter(page, 'Claim')).toHaveText('Claim (2)');
    await expect.poll(() => paintedList(page)).toEqual([`quote: ${QUOTE}`]);
    // The claim just tagged was the chosen one: hidden, it is not drawn as chosen either.
    expect(await activeText(page)).toBeNull();
    // A hidden claim is not clicked either: read once, since the click is
    // answered within its own task (see the mixed-direction click test).
    await clickOn(page, CLAIM);
    expect(await popover(page).isVisible(), 'a click on a hidden claim opens nothing').toBe(false);
    // Quotes off too: nothing listed, nothing drawn.
    await filter(page, 'Quote').click();
    await expect(panelItems(page)).toHaveCount(0);
    await expect(summary(page)).toHaveText('Showing 0 of 3');
    await expect.poll(() => paintedList(page)).toEqual([]);
    await filter(page, 'Claim').click();
    await filter(page, 'Quote').click();
    await expect(panelItems(page)).toHaveCount(3);
    await expect(summary(page)).toHaveCount(0);
    await expect.poll(() => paintedList(page)).toEqual(all);

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
    await page.evaluate((needle) => {
      const root = document.querySelector('[data-marginalia]').shadowRoot;
      const para = [...root.querySelectorAll('article [data-para]')].find((p) => p.textContent.includes(needle));
      para.scrollIntoView({ block: 'center' });
    }, QUOTE);
    await clickOn(page, QUOTE);
    await openEditor(page);
    await noteField(page).fill('Mistry on the budget overrun');
    await editor(page).getByRole('button', { name: 'Save note' }).click();
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
    await expect.poll(() => paintedList(page)).toEqual([`caption: ${REPEATED}`, `caption: ${REPEATED}`]);
    expect(await parasOf(page, 'caption')).toEqual(['4', '5']);
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 2 captions');
    await expect(panelItems(page)).toHaveCount(2);

    await undoButton(page).click();
    await expect(status(page)).toHaveText('Undone: 2 captions added');
    await expect.poll(() => paintedCount(page)).toBe(0);
    await redoButton(page).click();
    await expect(status(page)).toHaveText('Redone: 2 captions added');
    await expect.poll(() => paintedList(page)).toEqual([`caption: ${REPEATED}`, `caption: ${REPEATED}`]);
    expect(await parasOf(page, 'caption')).toEqual(['4', '5']);

    // With the switch left off, only the selected copy is tagged.
    await dragSelect(page, 'said the barrier was the most important decision', 1);
    await expect(picker(page).getByRole('button', { name: 'Tag both copies' })).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('1');
    await expect(status(page)).toHaveText('Claim added');
    await expect.poll(() => textsOf(page, 'claim')).toEqual(['said the barrier was the most important decision']);
    expect(await parasOf(page, 'claim')).toEqual(['5']);
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
    await expectFocus(page, ARTICLE, 'Tab into the article');

    // Select two words with Ctrl+Shift+Right: the picker shows, focus stays.
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    expect((await selection(page)).text.trim()).toBe('City council');
    await expectFocus(page, ARTICLE, 'Shift+Arrow selection');

    // Enter moves into the picker; Escape cancels back to the article.
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inPicker: true, name: 'Claim1' }, 'Enter on the article');
    await page.keyboard.press('Escape');
    await expect(picker(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Escape in the picker');
    await expect(status(page)).toHaveText('Cancelled');

    // The selection is kept: extend by a word and tag with "1". The new
    // highlight is the chosen one, with the caret just after it.
    await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('1');
    await expect(status(page)).toHaveText('Claim added');
    await expect.poll(() => paintedList(page)).toEqual(['claim: City council approves']);
    await expectChosen(page, 'City council approves', 'Claim');
    await expect.poll(() => selection(page)).toMatchObject({ text: '', collapsed: true, para: '0' });
    await expectFocus(page, ARTICLE, 'tagging with 1');
    await expect(picker(page)).toBeHidden();

    // Arrow down into the first paragraph, select three words, tag with "2".
    for (let i = 0; i < 6; i++) {
      if ((await selection(page))?.para === '1') break;
      await page.keyboard.press('ArrowDown');
    }
    // A plain arrow move clears the choice.
    await expect.poll(() => activeText(page)).toBeNull();
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('2');
    await expect(status(page)).toHaveText('Quote added');
    await expect.poll(() => textsOf(page, 'quote')).toEqual(['The city council']);
    await expectChosen(page, 'The city council', 'Quote');
    await expectFocus(page, ARTICLE, 'tagging with 2');

    // k and j select the highlights' text, make each the chosen one and say where they are.
    await page.keyboard.press('k');
    await expect(status(page)).toHaveText('Claim 1 of 2: City council approves');
    await expectChosen(page, 'City council approves', 'Claim');
    await expect.poll(() => selection(page)).toMatchObject({ text: 'City council approves', para: '0' });
    await expectFocus(page, ARTICLE, 'k');
    await page.keyboard.press('j');
    await expect(status(page)).toHaveText('Quote 2 of 2: The city council');
    await expectChosen(page, 'The city council', 'Quote');
    await expect.poll(() => selection(page)).toMatchObject({ text: 'The city council', para: '1' });
    await expectFocus(page, ARTICLE, 'j');
    await page.keyboard.press('j');
    await expect(status(page)).toHaveText('No highlight after this one');
    await expectChosen(page, 'The city council', 'Quote');
    expect((await selection(page)).text).toBe('The city council');
    await expectFocus(page, ARTICLE, 'j at the last highlight');

    // Enter opens the popover on its first button; retag with Tab and Space.
    await page.keyboard.press('Enter');
    await expect(popover(page)).toBeVisible();
    await expect(popover(page).locator('section')).toHaveCount(1);
    await expect(popover(page)).toContainText('The city council');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Claim' }, 'Enter on a highlight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Caption', pressed: 'false' }, 'Tab to Caption');
    await page.keyboard.press('Space');
    await expect(status(page)).toHaveText('Quote changed to Caption');
    await expect.poll(() => paintedList(page)).toEqual(['caption: The city council', 'claim: City council approves']);
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Caption', pressed: 'true' }, 'retagging in the popover');
    await expect(popover(page).getByRole('button', { name: 'Caption' })).toHaveAttribute('aria-pressed', 'true');

    // Escape closes it and returns to the article, the same highlight still chosen.
    await page.keyboard.press('Escape');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Escape in the popover');
    // (Its label after the retag is checked in its own test below: the product leaves it stale.)
    await expectChosen(page, 'The city council');

    // Delete removes the chosen highlight; focus stays on the article.
    await page.keyboard.press('Delete');
    await expect(status(page)).toHaveText('Caption deleted');
    await expect.poll(() => paintedList(page)).toEqual(['claim: City council approves']);
    await expect.poll(() => activeText(page)).toBeNull();
    await expectFocus(page, ARTICLE, 'Delete on a highlight');

    // Ctrl+Z and Ctrl+Shift+Z.
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Caption deleted');
    await expect.poll(() => paintedList(page)).toEqual(['caption: The city council', 'claim: City council approves']);
    await expectFocus(page, ARTICLE, 'Ctrl+Z');
    await page.keyboard.press('Control+Shift+Z');
    await expect(status(page)).toHaveText('Redone: Caption deleted');
    await expect.poll(() => paintedList(page)).toEqual(['claim: City council approves']);
    await expectFocus(page, ARTICLE, 'Ctrl+Shift+Z');
    await expect(counts(page)).toHaveText('1 claim · 0 quotes · 0 captions');
  });

  // Product bug (issue 12, slice 1): retagging the chosen highlight in its
  // popover leaves its `.hl-label` stale. After Claim → Quote and Escape, the
  // chosen highlight is painted in `marginalia-quote` but the label still
  // reads "Claim" with data-tag="claim" (App::place_label runs only when the
  // chosen id or the hovered ids change, and a retag changes neither).
  test('the chosen highlight\'s label follows a retag made from the keyboard', async ({ page }) => {
    await page.locator('article').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('1');
    await expect(status(page)).toHaveText('Claim added');
    // The mouse has not moved: the label is the chosen highlight's.
    await expectChosen(page, HEADLINE, 'Claim');
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Claim' }, 'Enter on the chosen highlight');
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Quote' }, 'Tab to Quote');
    await page.keyboard.press('Space');
    await expect(status(page)).toHaveText('Claim changed to Quote');
    await expect.poll(() => paintedList(page)).toEqual([`quote: ${HEADLINE}`]);
    await page.keyboard.press('Escape');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Escape in the popover');
    await expect.poll(() => activeText(page)).toBe(HEADLINE);
    await expect(label(page)).toHaveAttribute('data-tag', 'quote');
    await expect(label(page)).toHaveText('Quote');
  });

  test('the picker and popover buttons keep focus in the widget when used from the keyboard', async ({ page }) => {
    const article = page.locator('article');
    await article.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inPicker: true, name: 'Claim1' }, 'Enter on the article');
    // The Cancel button returns to the article.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inPicker: true, name: 'Cancel' }, 'Tab to Cancel in the picker');
    await page.keyboard.press('Enter');
    await expect(picker(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Cancel in the picker');
    // A tag button tags; focus goes back to the article, the new highlight chosen.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inPicker: true, name: 'Quote2' }, 'Tab in the picker');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Quote added');
    await expect.poll(() => paintedList(page)).toEqual(['quote: City council approves']);
    await expectFocus(page, ARTICLE, 'Quote in the picker');
    await expectChosen(page, 'City council approves', 'Quote');

    // Edit from the keyboard: the editor opens with focus in its first field
    // (the quote's speaker); Save note from the keyboard stays in the editor.
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Claim' }, 'Enter on the chosen highlight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Edit' }, 'Tab to Edit');
    await page.keyboard.press('Enter');
    await expect(editor(page)).toBeVisible();
    await expectFocus(page, { tag: 'input', inDialog: true, name: 'Speaker' }, 'Edit');
    await tabTo(page, { tag: 'textarea', inDialog: true, name: 'Note' }, 'Tab to the note');
    await page.keyboard.type('from the headline');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Note saved');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Save note' }, 'Save note');
    // Escape returns to the article, the highlight still chosen.
    await page.keyboard.press('Escape');
    await expect(editor(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Escape in the editor');
    await expectChosen(page, 'City council approves', 'Quote');
    // Close returns to the article, the highlight still chosen (past Edit and Delete).
    await page.keyboard.press('Enter');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Claim' }, 'Enter on the chosen highlight again');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Close' }, 'Tab to Close');
    await page.keyboard.press('Enter');
    await expect(popover(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Close in the popover');
    await expectChosen(page, 'City council approves', 'Quote');

    // Delete in the popover: focus must not fall to <body> with the removed button.
    await page.keyboard.press('Enter');
    await expect(popover(page)).toBeVisible();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Delete' }, 'Tab to Delete');
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Quote deleted');
    await expect(popover(page)).toBeHidden();
    await expect.poll(() => paintedCount(page)).toBe(0);
    await expectFocus(page, ARTICLE, 'Delete in the popover');
  });

  test('the Undo button keeps focus in the widget when undoing the last step disables it', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await undoButton(page).focus();
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Undone: Claim added');
    await expect(undoButton(page)).toBeDisabled();
    await expectFocus(page, UNDO_FOCUS, 'Undo (the last step) pressed with Enter');
  });

  test('the Redo button keeps focus in the widget when redoing the last step disables it', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await page.keyboard.press('Control+Z');
    await expect(status(page)).toHaveText('Undone: Claim added');
    await redoButton(page).focus();
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Redone: Claim added');
    await expect(redoButton(page)).toBeDisabled();
    await expectFocus(page, REDO_FOCUS, 'Redo (the last step) pressed with Enter');
  });

  test('with single-key shortcuts off, j and k do nothing; on again, they step', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await tagText(page, QUOTE, 'Quote');
    await expect(shortcutsBox(page)).toBeChecked();
    await shortcutsBox(page).uncheck();
    await expect(shortcutsBox(page)).not.toBeChecked();

    // A click in the headline: the caret there, focus on the article, nothing chosen.
    await clickOn(page, HEADLINE);
    await expectFocus(page, ARTICLE, 'a click in the headline');
    await expect.poll(() => activeText(page)).toBeNull();
    await expect(status(page)).toHaveText('Quote added');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    // A key the article handles next: once its effect shows, j and k have
    // been handled too (in order), so a wrongly handled one would show.
    await page.keyboard.press('Shift+ArrowRight');
    await expect(picker(page)).toBeVisible();
    await expectFocus(page, ARTICLE, 'j and k with shortcuts off');
    await expect(status(page)).toHaveText('Quote added');
    // Shift+Right extended the caret the click left, not a highlight j or k selected.
    expect(await selection(page)).toMatchObject({ text: HEADLINE[0], para: '0' });
    await page.keyboard.press('Escape');
    await expect(picker(page)).toBeHidden();

    await shortcutsBox(page).check();
    await clickOn(page, HEADLINE);
    await expectFocus(page, ARTICLE, 'a click in the headline');
    await page.keyboard.press('j');
    await expect(status(page)).toHaveText(`Claim 1 of 2: ${CLAIM}`);
    await expectChosen(page, CLAIM);
    await expect.poll(async () => (await selection(page)).text).toBe(CLAIM);
    await expectFocus(page, ARTICLE, 'j with shortcuts on');
    await page.keyboard.press('j');
    await expect(status(page)).toHaveText(`Quote 2 of 2: ${QUOTE}`);
    await expectChosen(page, QUOTE);
    await expect.poll(async () => (await selection(page)).text).toBe(QUOTE);
    await page.keyboard.press('k');
    await expect(status(page)).toHaveText(`Claim 1 of 2: ${CLAIM}`);
    await expectChosen(page, CLAIM);
  });

  test('typing j, k, 1 in the note field or the search box types text and fires no shortcut', async ({ page }) => {
    await tagText(page, CLAIM, 'Claim');
    await tagText(page, QUOTE, 'Quote');

    // The note field, reached from a highlight by keyboard.
    await page.keyboard.press('k');
    await expect(status(page)).toHaveText('Claim 1 of 2: ' + CLAIM);
    await expectChosen(page, CLAIM);
    await expectFocus(page, ARTICLE, 'k');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expectFocus(page, { tag: 'button', inDialog: true, name: 'Edit' }, 'Tab to Edit');
    await page.keyboard.press('Enter');
    // A claim's editor: focus in the fact-check's first field, the note after the fact-check.
    await expectFocus(page, { tag: 'select', inDialog: true, name: 'Verdict' }, 'Edit');
    await tabTo(page, { tag: 'textarea', inDialog: true, name: 'Note' }, 'Tab to the note');
    await page.keyboard.type('j1k2 3');
    await expect(noteField(page)).toHaveValue('j1k2 3');
    // Ctrl+Z in the field is the field's own undo, not the annotations'.
    await page.keyboard.press('Control+Z');
    await expect(noteField(page)).not.toHaveValue('j1k2 3');
    expect(await paintedList(page)).toEqual([`claim: ${CLAIM}`, `quote: ${QUOTE}`]);
    await expect(editor(page)).toBeVisible();
    await expect(editor(page).getByRole('button', { name: 'Claim' })).toHaveAttribute('aria-pressed', 'true');
    await expectFocus(page, { tag: 'textarea', inDialog: true, name: 'Note' }, 'typing in the note');
    await expect(status(page)).toHaveText('Claim 1 of 2: ' + CLAIM);
    expect(await activeText(page)).toBe(CLAIM);
    // Escape, from the note field: the editor closes, focus is back on the article.
    await page.keyboard.press('Escape');
    await expect(editor(page)).toBeHidden();
    await expectFocus(page, ARTICLE, 'Escape');
    await expectChosen(page, CLAIM);

    // The search box, with the picker open for a fresh selection.
    await dragSelect(page, 'Insurance claims for flood damage');
    await expect(picker(page)).toBeVisible();
    await search(page).click();
    await page.keyboard.type('1j');
    await expect(search(page)).toHaveValue('1j');
    // The search has run on what was typed: the keys have all been handled.
    await expect(summary(page)).toHaveText('Showing 0 of 2');
    expect(await paintedList(page)).toEqual([`claim: ${CLAIM}`, `quote: ${QUOTE}`]);
    expect(await highlightsWithText(page, 'Insurance claims')).toEqual([]);
    await expect(status(page)).toHaveText('Claim 1 of 2: ' + CLAIM);
    await expectFocus(page, { tag: 'input', name: 'Search annotations', inShadow: true }, 'typing in the search box');
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

  test('with a highlight hovered and labelled', async ({ page }) => {
    await tagOneOfEach(page);
    await hoverOn(page, QUOTE);
    await expect(label(page)).toHaveText('Quote');
    await expectAxeClean(page, 'a highlight hovered, its label shown');
  });

  test('with the popover open', async ({ page }) => {
    await tagOneOfEach(page);
    await clickOn(page, QUOTE);
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
    await clickOn(page, CLAIM);
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

  /**
   * What a reader's tools get from the article: no element is ever added
   * inside a paragraph (each holds exactly one text node), nothing in the
   * widget points at ids it does not have, and labels are outside the
   * article and hidden from screen readers.
   */
  const checkArticle = (page) =>
    page.evaluate(() => {
      const root = document.querySelector('[data-marginalia]').shadowRoot;
      const article = root.querySelector('article');
      const problems = [];
      const paras = [...article.querySelectorAll('[data-para]')];
      for (const p of paras) {
        const kids = [...p.childNodes];
        if (kids.length !== 1 || kids[0].nodeType !== Node.TEXT_NODE) {
          problems.push(`paragraph ${p.dataset.para} holds ${kids.map((k) => k.nodeName).join(', ')}`);
        }
      }
      for (const el of article.querySelectorAll('mark, [tabindex], [aria-details], [aria-label], [data-annotation-id]')) {
        problems.push(`${el.tagName} inside the article: ${el.outerHTML.slice(0, 80)}`);
      }
      for (const el of root.querySelectorAll('[aria-details], [aria-describedby], [aria-labelledby], [aria-controls]')) {
        for (const attr of ['aria-details', 'aria-describedby', 'aria-labelledby', 'aria-controls']) {
          for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
            if (!root.getElementById(id)) problems.push(`${attr}="${id}" on ${el.tagName} resolves to nothing in its root`);
          }
        }
      }
      for (const el of document.querySelectorAll('[aria-details]')) problems.push(`aria-details outside the widget on ${el.tagName}`);
      for (const l of root.querySelectorAll('.hl-label')) {
        if (article.contains(l)) problems.push('a label inside the article');
        if (l.getAttribute('aria-hidden') !== 'true') problems.push(`label "${l.textContent}" is not aria-hidden`);
      }
      return { problems, paragraphs: paras.length };
    });

  const paragraphTexts = (page) => page.locator('article [data-para]').evaluateAll((ps) => ps.map((p) => p.textContent));

  test('every highlight is in the registry and listed by a click, the article holds only its text, and labels are hidden from screen readers', async ({ page }) => {
    const lines = SAMPLE.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).filter(Boolean);
    const before = await paragraphTexts(page);
    expect(before).toEqual(lines);
    const articleText = await page.locator('article').evaluate((a) => a.textContent);

    await tagOneOfEach(page);
    // Overlapping, across paragraphs and both copies of a caption.
    const overlap = 'voted 31 to 9 on Tuesday night to build a £48 million flood barrier';
    await tagText(page, overlap, 'Quote');
    await dragAcross(page, 'government grant announced last year.', 'Some residents');
    await picker(page).getByRole('button', { name: 'Claim' }).click();
    await dragSelect(page, REPEATED, 0);
    await picker(page).getByRole('button', { name: 'Tag both copies' }).click();
    await picker(page).getByRole('button', { name: 'Caption' }).click();
    await expect(panelItems(page)).toHaveCount(7);
    const all = await paintedList(page);
    expect(all).toHaveLength(7);
    expect(all).toEqual(
      expect.arrayContaining([
        `claim: ${CLAIM}`,
        `quote: ${overlap}`,
        `caption: ${REPEATED}`,
        expect.stringMatching(/^claim: government grant announced last year\.\n.*Some residents$/),
      ]),
    );

    let result = await checkArticle(page);
    expect(result.problems).toEqual([]);
    expect(result.paragraphs).toBe(lines.length);
    expect(await paragraphTexts(page)).toEqual(before);
    expect(await page.locator('article').evaluate((a) => a.textContent)).toBe(articleText);
    // Labels are drawn outside the article, so the text a reader gets is the article's.
    await hoverOn(page, 'voted 31 to 9');
    await expect(label(page)).toHaveText('Claim · Quote');
    expect(await page.locator('article').evaluate((a) => a.innerText.toUpperCase().includes('CLAIM · QUOTE'))).toBe(false);
    result = await checkArticle(page);
    expect(result.problems).toEqual([]);

    // Both overlapping highlights are under a click there, smallest first.
    await clickOn(page, 'voted 31 to 9');
    await expect(popover(page)).toBeVisible();
    await expect(popover(page).locator('section .popover-quote')).toHaveText([
      new RegExp(`^Claim “${CLAIM}”$`),
      new RegExp(`^Quote “${overlap}”$`),
    ]);
    await page.keyboard.press('Escape');
    await expect(popover(page)).toBeHidden();

    // Captions switched off are hidden in the article too (a search narrows
    // only the list); switched on again, they are back.
    await filter(page, 'Caption').click();
    await search(page).fill('council');
    await expect(summary(page)).toBeVisible();
    await expect.poll(() => paintedList(page)).toEqual(all.filter((h) => !h.startsWith('caption:')));
    result = await checkArticle(page);
    expect(result.problems).toEqual([]);
    await filter(page, 'Caption').click();
    await expect.poll(() => paintedList(page)).toEqual(all);

    // After a delete and its undo, the registry holds exactly what there is.
    await clickOn(page, CLAIM);
    await expect(popover(page)).toBeVisible();
    await popover(page).getByRole('button', { name: 'Delete' }).first().click();
    await expect(status(page)).toHaveText('Claim deleted');
    await expect.poll(() => paintedList(page)).toEqual(all.filter((h) => h !== `claim: ${CLAIM}`));
    result = await checkArticle(page);
    expect(result.problems).toEqual([]);
    await undoButton(page).click();
    await expect.poll(() => paintedList(page)).toEqual(all);
    result = await checkArticle(page);
    expect(result.problems).toEqual([]);
    expect(await paragraphTexts(page)).toEqual(before);
  });

  test('status messages go to one polite live region, and the highlight is reachable from the panel entry', async ({ page }) => {
    const live = page.locator('[role="status"]');
    await expect(live).toHaveCount(1);
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await tagText(page, CLAIM, 'Claim');
    await expect(live).toHaveText('Claim added');
    await tagText(page, QUOTE, 'Quote');
    await expect(live).toHaveText('Quote added');
    // The panel entry's button names tag and quote, and shows that highlight: it becomes the chosen one.
    const entry = panelItems(page).filter({ hasText: CLAIM });
    await expect(entry.getByRole('button')).toHaveAccessibleName(new RegExp(`Claim.*${CLAIM}`));
    await page.mouse.move(5, 5);
    await entry.getByRole('button').click();
    await expectChosen(page, CLAIM, 'Claim');
    // From there the keyboard carries on, announced in the same region.
    await page.locator('article').focus();
    await page.keyboard.press('j');
    await expect(live).toHaveText(`Quote 2 of 2: ${QUOTE}`);
    await expectChosen(page, QUOTE, 'Quote');
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
    await expect.poll(() => paintedList(page)).toEqual([`claim: ${needle}`]);
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
    await expect.poll(() => paintedList(page)).toEqual([`caption: ${REPEATED}`, `caption: ${REPEATED}`]);
  });

  test('tapping a highlight opens its popover, which stays open', async ({ page }) => {
    // After a touch, a selection becomes the picker (closing any popover)
    // once it has been still for 350 ms, on a timer. The test's clock runs
    // that timer out at once, below, where a sleep would only hope to.
    await page.clock.install();
    await openFresh(page);
    const needle = 'will protect an estimated 4,300 homes';
    await touchSelect(page, needle);
    await page.clock.runFor(400);
    await expect(picker(page)).toBeVisible();
    await picker(page).getByRole('button', { name: 'Claim' }).tap();
    // Tagged: the picker is gone and the new highlight is the chosen one, the caret after it.
    await expect(status(page)).toHaveText('Claim added');
    await expect(picker(page)).toBeHidden();
    await expect.poll(() => paintedList(page)).toEqual([`claim: ${needle}`]);
    await expect.poll(() => activeText(page)).toBe(needle);
    expect(await selection(page)).toMatchObject({ text: '', collapsed: true });
    const at = await textPoints(page, needle);
    await page.touchscreen.tap(at.start.x, at.start.y);
    await expect(popover(page)).toBeVisible();
    await expect(popover(page).locator('section .popover-quote')).toHaveText([`Claim “${needle}”`]);
    await expect.poll(() => activeText(page)).toBe(needle);
    // The tap left a caret, not a selection; and once every timer it set
    // has run (the 350 ms settle timer among them, had it selected
    // anything), the popover is still open.
    expect(await selection(page)).toMatchObject({ text: '', collapsed: true });
    await page.clock.runFor(400);
    await expect(popover(page)).toBeVisible();
    await expect(picker(page)).toHaveCount(0);
    const p = await box(popover(page));
    const vw = await page.evaluate(() => innerWidth);
    expect(p.right).toBeLessThanOrEqual(vw);
  });

  test('nothing overflows sideways and the panel sits below the article', async ({ page }) => {
    const needle = 'will protect an estimated 4,300 homes';
    await touchSelect(page, needle);
    await picker(page).getByRole('button', { name: 'Quote' }).tap();
    await expect.poll(() => paintedList(page)).toEqual([`quote: ${needle}`]);
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
    // The chosen highlight's label fits the screen too.
    await expect(label(page)).toHaveText('Quote');
    const l = await box(label(page));
    expect(l.left).toBeGreaterThanOrEqual(0);
    expect(l.right).toBeLessThanOrEqual(sizes.inner);
    await expectAxeClean(page, 'touch at 390 × 844, annotated');
  });
});

test.describe('dark scheme and reduced motion', () => {
  /**
   * Contrast of the hovered highlight's text label against its own
   * background, of highlighted text over its ::highlight() fill, and of the
   * panel's label for the tag.
   */
  const contrasts = (page, tag) =>
    page.evaluate((tag) => {
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
      const round = (x) => Math.round(x * 100) / 100;
      const host = document.querySelector('[data-marginalia]');
      const root = host.shadowRoot;
      const paper = getComputedStyle(host).backgroundColor;
      const labelEl = root.querySelector('.hl-label');
      const ls = getComputedStyle(labelEl);
      const para = root.querySelector('article [data-para]');
      const fill = getComputedStyle(para, `::highlight(marginalia-${tag})`).backgroundColor;
      const ink = getComputedStyle(para).color;
      const chip = getComputedStyle(root.querySelector(`.panel .tag-label[data-tag="${tag}"]`));
      return {
        paper,
        fill,
        labelTag: labelEl.dataset.tag,
        labelText: labelEl.textContent,
        label: round(ratio(paint(paper, ls.color), paint(paper, ls.backgroundColor))),
        text: round(ratio(paint(paper, ink), paint(paper, fill))),
        panel: round(ratio(paint(paper, chip.color), paint(paper, chip.backgroundColor))),
      };
    }, tag);

  for (const scheme of ['light', 'dark']) {
    test(`tag labels keep AA contrast in the ${scheme} scheme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openFresh(page);
      await tagOneOfEach(page);
      const seen = [];
      for (const [tag, needle, occurrence] of [
        ['claim', CLAIM, 0],
        ['quote', QUOTE, 0],
        ['caption', CAPTION, 1],
      ]) {
        const name = `${tag[0].toUpperCase()}${tag.slice(1)}`;
        await hoverOn(page, needle, occurrence);
        await expect(label(page)).toHaveText(name);
        await expect(label(page)).toHaveAttribute('data-tag', tag);
        const c = await contrasts(page, tag);
        seen.push(c.labelTag);
        expect(c.labelText, `${tag} label text`).toBe(name);
        expect(c.fill, `${tag} has a ::highlight() fill`).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^transparent$/);
        // The labels are 10 px and 11 px text: AA asks 4.5:1.
        expect(c.label, `${tag} label contrast on ${c.paper} (${scheme})`).toBeGreaterThanOrEqual(4.5);
        expect(c.panel, `${tag} panel label contrast (${scheme})`).toBeGreaterThanOrEqual(4.5);
        expect(c.text, `${tag} highlighted text over its fill ${c.fill} (${scheme})`).toBeGreaterThanOrEqual(4.5);
      }
      expect(seen).toEqual(['claim', 'quote', 'caption']);
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

    // Showing a highlight from the panel jumps there at once and makes it the chosen one.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(async () => inViewport(await textBox(page, CAPTION, 1))).toBe(false);
    await panelItems(page).nth(2).getByRole('button').click();
    await expect.poll(() => activeText(page)).toBe(CAPTION);
    // At once: on screen, with no smooth scroll still moving the page over the next frames.
    expect(inViewport(await textBox(page, CAPTION, 1)), 'the caption is on screen at once').toBe(true);
    const [before, after] = await page.evaluate(
      () => new Promise((r) => { const y = scrollY; requestAnimationFrame(() => requestAnimationFrame(() => r([y, scrollY]))); }),
    );
    expect(after, 'the page has stopped scrolling').toBe(before);
    await expectAxeClean(page, 'dark scheme with reduced motion');
  });
});
