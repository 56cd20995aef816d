// Tagging, overlap, retagging, deleting and the panel, with real mouse drags.
import { test, expect, openFresh, dragSelect, tagText, dragAcross } from './fixtures.mjs';

const counts = (page) => page.getByTestId('counts');
const panelList = (page) => page.getByRole('list', { name: 'Annotations' });

test.beforeEach(async ({ page }) => openFresh(page));

for (const [tag, needle] of [
  ['Claim', 'will protect an estimated 4,300 homes'],
  ['Quote', '“We cannot keep asking families to bail out their kitchens every January.”'],
  ['Caption', 'Volunteers fill sandbags on Quay Street'],
]) {
  test(`a mouse drag tags a span as ${tag}`, async ({ page }) => {
    await tagText(page, needle, tag);
    const value = tag.toLowerCase();
    const mark = page.locator(`article mark[data-tag="${value}"]`);
    await expect(mark).toHaveCount(1);
    await expect(mark).toHaveText(needle);
    await expect(mark).toHaveAttribute('data-annotation-id', /.+/);
    // A visible text label, not colour alone.
    const label = await mark.evaluate((m) => getComputedStyle(m, '::before').content);
    expect(label).toBe(`"${tag}"`);
    await expect(panelList(page).getByRole('listitem')).toHaveCount(1);
    await expect(panelList(page).getByRole('listitem')).toContainText(tag);
    await expect(panelList(page).getByRole('listitem')).toContainText(needle.slice(0, 30));
    await expect(page.getByRole('status')).toHaveText(`${tag} added`);
  });
}

test('keys 1, 2, 3 pick and Escape cancels', async ({ page }) => {
  await dragSelect(page, 'Insurance claims for flood damage');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
  await expect(page.locator('article mark')).toHaveCount(0);
  // Cancelling keeps the selection; a click elsewhere clears it before a new drag.
  await page.mouse.click(5, 5);
  await dragSelect(page, 'Insurance claims for flood damage');
  await page.keyboard.press('2');
  await expect(page.locator('article mark[data-tag="quote"]')).toHaveText('Insurance claims for flood damage');
});

test('an empty click or a whitespace drag shows no picker', async ({ page }) => {
  const para = page.locator('article p[data-para="2"]');
  await para.click({ position: { x: 20, y: 5 } });
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
  // The single space between two words of the first paragraph.
  await dragSelect(page, ' ', 1);
  expect(await page.evaluate(() => getSelection().toString())).toBe(' ');
  await expect(page.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden();
});

test('overlapping annotations both stay visible and clickable', async ({ page }) => {
  await tagText(page, 'The city council voted 31 to 9 on Tuesday night', 'Claim');
  await tagText(page, 'voted 31 to 9 on Tuesday night to build a £48 million flood barrier', 'Quote');
  const claim = page.locator('article mark[data-tag="claim"]');
  const quote = page.locator('article mark[data-tag="quote"]');
  await expect(claim.first()).toBeVisible();
  await expect(quote.first()).toBeVisible();
  // The overlap is nested: a quote inside the claim.
  await expect(page.locator('article mark[data-tag="claim"] mark[data-tag="quote"]')).toHaveText(
    'voted 31 to 9 on Tuesday night',
  );
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 0 captions');

  // The part only the claim covers opens the claim; the overlap offers both.
  await claim.first().click({ position: { x: 30, y: 8 } });
  await expect(page.getByRole('dialog', { name: 'Edit highlight' }).locator('section')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.locator('article mark[data-tag="claim"] mark[data-tag="quote"]').click();
  await expect(page.getByRole('dialog', { name: 'Edit highlight' }).locator('section')).toHaveCount(2);
  // The quote-only tail is clickable too.
  await page.keyboard.press('Escape');
  await page.locator('article mark[data-tag="quote"]', { hasText: 'flood barrier' }).last().click();
  const dialog = page.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog.locator('section')).toHaveCount(1);
  await expect(dialog).toContainText('Quote');
});

test('clicking a highlight changes its tag', async ({ page }) => {
  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await page.locator('article mark[data-tag="claim"]').click();
  const dialog = page.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog.getByRole('button', { name: 'Claim' })).toHaveAttribute('aria-pressed', 'true');
  await dialog.getByRole('button', { name: 'Caption' }).click();
  await expect(page.locator('article mark[data-tag="caption"]')).toHaveText('Work is expected to begin in the spring');
  await expect(page.locator('article mark[data-tag="claim"]')).toHaveCount(0);
  await expect(counts(page)).toHaveText('0 claims · 0 quotes · 1 caption');
  await expect(page.getByRole('status')).toHaveText('Claim changed to Caption');
});

test('Delete removes a highlight', async ({ page }) => {
  await tagText(page, 'Some residents remain unconvinced.', 'Claim');
  await page.locator('article mark[data-tag="claim"]').click();
  await page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('article mark')).toHaveCount(0);
  await expect(page.getByRole('dialog', { name: 'Edit highlight' })).toBeHidden();
  await expect(panelList(page).getByRole('listitem')).toHaveCount(0);
  await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');
});

test('a drag across two paragraphs tags the text in both', async ({ page }) => {
  await dragAcross(page, 'government grant announced last year.', 'Some residents');
  await page.getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: 'Claim' }).click();
  const marks = page.locator('article mark[data-tag="claim"]');
  await expect(marks).toHaveCount(2);
  await expect(marks.nth(0)).toHaveText('government grant announced last year.');
  await expect(marks.nth(1)).toHaveText('Some residents');
  await expect(panelList(page).getByRole('listitem')).toHaveCount(1);
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
  await items.nth(2).getByRole('button').click();
  const mark = page.locator('article mark', { hasText: 'Some residents remain unconvinced.' });
  await expect(mark).toHaveClass(/flash/);
  await expect(mark).toBeInViewport();
  await expect(mark).not.toHaveClass(/flash/, { timeout: 5000 });
});
