// Tagging, overlap, retagging, deleting and the panel, with real mouse drags.
// Highlights are ranges in CSS.highlights, not elements: they are read from
// the registry, and clicked and hovered where their text is.
import {
  test,
  expect,
  openFresh,
  dragSelect,
  tagText,
  dragAcross,
  painted,
  highlightsWithText,
  activeText,
  clickText,
  hoverText,
  textPoints,
} from './fixtures.mjs';

const counts = (page) => page.getByTestId('counts');
const panelList = (page) => page.getByRole('list', { name: 'Annotations', exact: true });
const popover = (page) => page.getByRole('dialog', { name: 'Edit highlight' });
const label = (page) => page.locator('.hl-label');
/** What is painted, as "tag: text", sorted. */
const paintedList = async (page) => (await painted(page)).map((h) => `${h.suggested ? 'suggested ' : ''}${h.tag}: ${h.text}`).sort();
/** The tag labels of the popover's sections, in order. */
const popoverTags = (page) => popover(page).locator('section .tag-label').allTextContents();
/** How a tag's highlights are drawn: their ::highlight() style on the article's text. */
const highlightStyle = (page, name) =>
  page.locator('article [data-para]').first().evaluate((p, name) => {
    const cs = getComputedStyle(p, `::highlight(${name})`);
    return { line: cs.textDecorationLine, style: cs.textDecorationStyle, fill: cs.backgroundColor };
  }, name);

test.beforeEach(async ({ page }) => openFresh(page));

for (const [tag, needle, underline] of [
  ['Claim', 'will protect an estimated 4,300 homes', 'solid'],
  ['Quote', '“We cannot keep asking families to bail out their kitchens every January.”', 'dashed'],
  ['Caption', 'Volunteers fill sandbags on Quay Street', 'dotted'],
]) {
  test(`a mouse drag tags a span as ${tag}`, async ({ page }) => {
    await tagText(page, needle, tag);
    const value = tag.toLowerCase();
    await expect.poll(() => painted(page)).toEqual([{ name: `marginalia-${value}`, tag: value, suggested: false, text: needle }]);
    await expect(panelList(page).getByRole('listitem')).toHaveCount(1);
    await expect(panelList(page).getByRole('listitem')).toHaveAttribute('data-annotation-id', /.+/);
    await expect(panelList(page).getByRole('listitem')).toContainText(tag);
    await expect(panelList(page).getByRole('listitem')).toContainText(needle.slice(0, 30));
    await expect(page.getByRole('status')).toHaveText(`${tag} added`);
    // The new highlight is the chosen one.
    await expect.poll(() => activeText(page)).toBe(needle);

    // Not colour alone: the tag's own underline style, and a text label on hover.
    expect(await highlightStyle(page, `marginalia-${value}`)).toMatchObject({ line: 'underline', style: underline });
    await page.mouse.move(5, 5);
    await expect(page.locator('article')).not.toHaveClass(/over-highlight/);
    await hoverText(page, needle);
    await expect(label(page)).toHaveText(tag);
    await expect(label(page)).toHaveAttribute('data-tag', value);
    await expect(label(page)).toHaveAttribute('aria-hidden', 'true');
    await expect(page.locator('article')).toHaveClass(/over-highlight/);
    // The label is drawn outside the article, beside the highlight's first
    // line: above it, or in the margin at its height (label.spec checks it
    // covers no text).
    await expect(page.locator('article .hl-label')).toHaveCount(0);
    const { start } = await textPoints(page, needle);
    const box = await label(page).boundingBox();
    expect(Math.abs(box.y + box.height / 2 - start.y)).toBeLessThan(24);
    // The article's text is untouched: one text node per paragraph.
    expect(await page.locator('article [data-para]').evaluateAll((ps) => ps.every((p) => p.childNodes.length === 1 && p.firstChild.nodeType === 3))).toBe(true);
  });
}

test('keys 1, 2, 3 pick and Escape cancels', async ({ page }) => {
  await dragSelect(page, 'Insurance claims for flood damage');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
  expect(await painted(page)).toEqual([]);
  // Cancelling keeps the selection; a click elsewhere clears it before a new drag.
  await page.mouse.click(5, 5);
  await dragSelect(page, 'Insurance claims for flood damage');
  await page.keyboard.press('2');
  await expect.poll(() => paintedList(page)).toEqual(['quote: Insurance claims for flood damage']);
});

test('an empty click or a whitespace drag shows no picker', async ({ page }) => {
  const para = page.locator('article p[data-para="2"]');
  await para.click({ position: { x: 20, y: 5 } });
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
  // The single space between two words of the first paragraph.
  await dragSelect(page, ' ', 1);
  expect(await page.evaluate(() => getSelection().toString())).toBe(' ');
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
  expect(await painted(page)).toEqual([]);
});

test('overlapping annotations both stay visible and clickable', async ({ page }) => {
  // They overlap on "Tuesday night"; the quote is the smaller, though it starts later.
  const claimText = 'The city council voted 31 to 9 on Tuesday night';
  const quoteText = 'Tuesday night to build a £48 million';
  await tagText(page, claimText, 'Claim');
  await tagText(page, quoteText, 'Quote');
  // Both are painted whole, each in its tag's entry, over the shared words.
  await expect.poll(() => paintedList(page)).toEqual([`claim: ${claimText}`, `quote: ${quoteText}`]);
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 0 captions');

  // The part only the claim covers opens the claim.
  await clickText(page, 'The city council');
  await expect(popover(page).locator('section')).toHaveCount(1);
  expect(await popoverTags(page)).toEqual(['Claim']);
  await page.keyboard.press('Escape');
  await expect(popover(page)).toBeHidden();

  // The overlap offers both, smallest first; the smallest is the chosen one.
  await hoverText(page, 'Tuesday night');
  await expect(label(page)).toHaveText('Quote · Claim');
  await clickText(page, 'Tuesday night');
  await expect(popover(page).locator('section')).toHaveCount(2);
  expect(await popoverTags(page)).toEqual(['Quote', 'Claim']);
  await expect(popover(page).locator('section').nth(0)).toContainText(quoteText);
  await expect(popover(page).locator('section').nth(1)).toContainText(claimText);
  await expect.poll(() => activeText(page)).toBe(quoteText);

  // The quote-only tail is clickable too.
  await page.keyboard.press('Escape');
  await expect(popover(page)).toBeHidden();
  await clickText(page, 'to build a £48');
  await expect(popover(page).locator('section')).toHaveCount(1);
  expect(await popoverTags(page)).toEqual(['Quote']);
  await expect.poll(() => activeText(page)).toBe(quoteText);
  // And the claim-only head is the claim again.
  await page.keyboard.press('Escape');
  await clickText(page, 'council voted');
  expect(await popoverTags(page)).toEqual(['Claim']);
  await expect.poll(() => activeText(page)).toBe(claimText);
});

test('clicking a highlight changes its tag', async ({ page }) => {
  const needle = 'Work is expected to begin in the spring';
  await tagText(page, needle, 'Claim');
  await clickText(page, needle);
  const dialog = popover(page);
  await expect(dialog.getByRole('button', { name: 'Claim' })).toHaveAttribute('aria-pressed', 'true');
  await dialog.getByRole('button', { name: 'Caption' }).click();
  await expect.poll(() => paintedList(page)).toEqual([`caption: ${needle}`]);
  await expect(counts(page)).toHaveText('0 claims · 0 quotes · 1 caption');
  await expect(page.getByRole('status')).toHaveText('Claim changed to Caption');
});

test('Delete removes a highlight', async ({ page }) => {
  await tagText(page, 'Some residents remain unconvinced.', 'Claim');
  await expect.poll(async () => (await highlightsWithText(page, 'Some residents')).length).toBe(1);
  await clickText(page, 'Some residents remain unconvinced.');
  await popover(page).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => painted(page)).toEqual([]);
  await expect.poll(() => activeText(page)).toBeNull();
  await expect(popover(page)).toBeHidden();
  await expect(panelList(page).getByRole('listitem')).toHaveCount(0);
  await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
});

test('a drag across two paragraphs tags the text in both', async ({ page }) => {
  await dragAcross(page, 'government grant announced last year.', 'Some residents');
  await page.getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Claim' }).click();
  // One range from the end of one paragraph into the next.
  await expect.poll(() => paintedList(page)).toEqual(['claim: government grant announced last year.\nSome residents']);
  await expect(panelList(page).getByRole('listitem')).toHaveCount(1);
  // Both parts open it.
  await clickText(page, 'Some residents');
  await expect(popover(page).locator('section')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await clickText(page, 'government grant');
  await expect(popover(page).locator('section')).toHaveCount(1);
  await expect(popover(page)).toContainText('Claim');
});

test('the panel lists annotations in document order with counts, and shows each', async ({ page }) => {
  await tagText(page, 'Some residents remain unconvinced.', 'Claim');
  await tagText(page, 'The city council voted 31 to 9', 'Claim');
  await tagText(page, 'Council leader Amara Okafor (pictured)', 'Caption', 1);
  const items = panelList(page).getByRole('listitem');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('The city council voted 31 to 9');
  await expect(items.nth(1)).toContainText('Council leader Amara Okafor (pictured)');
  await expect(items.nth(2)).toContainText('Some residents remain unconvinced.');
  await expect(counts(page)).toHaveText('2 claims · 0 quotes · 1 caption');

  await page.evaluate(() => window.scrollTo(0, 0));
  await items.nth(0).getByRole('button').click();
  await expect.poll(() => activeText(page)).toBe('The city council voted 31 to 9');
  await items.nth(2).getByRole('button').click();
  // Shown: scrolled to, and the chosen highlight (painted active, labelled).
  await expect.poll(() => activeText(page)).toBe('Some residents remain unconvinced.');
  const inView = () =>
    page.evaluate(() => {
      const r = [...CSS.highlights.get('marginalia--active')][0];
      const live = document.createRange();
      live.setStart(r.startContainer, r.startOffset);
      live.setEnd(r.endContainer, r.endOffset);
      const box = live.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
    });
  await expect.poll(inView).toBe(true);
  await expect(label(page)).toHaveText('Claim');
});
