// What must survive: reloads, other articles, hostile text and broken storage.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openFresh, tagText, fillStorage } from './fixtures.mjs';

const SEED = fileURLToPath(new URL('../../../shared/articles/seed-article.txt', import.meta.url));

test('a reload restores every highlight exactly', async ({ page }) => {
  await openFresh(page);
  await tagText(page, 'The city council voted 31 to 9 on Tuesday night', 'Claim');
  await tagText(page, '“Nobody is against protecting homes,”', 'Quote');
  await tagText(page, 'Volunteers fill sandbags on Quay Street as the river rises.', 'Caption', 1);
  const before = await page.locator('article').innerHTML();
  await page.reload();
  await expect(page.locator('article mark')).not.toHaveCount(0);
  expect(await page.locator('article').innerHTML()).toBe(before);
  await expect(page.getByTestId('counts')).toHaveText('1 claim · 1 quote · 1 caption');
});

test('the reference article opens from a file, and its tagged quote survives a reload', async ({ page }) => {
  if (!existsSync(SEED)) {
    console.log(`notice: ${SEED} is absent (not a CI checkout); skipping the reference-article test`);
  }
  test.skip(!existsSync(SEED), 'the reference article ../shared/articles/seed-article.txt is absent');
  await openFresh(page);
  await page.getByLabel('Open article').setInputFiles(SEED);
  await expect(page.locator('article h1')).toContainText('Britain is set to back prosecuting Vladimir Putin');
  const quote = '‘crimes of aggression’';
  await tagText(page, quote, 'Quote');
  await expect(page.locator('article mark[data-tag="quote"]')).toHaveText(quote);
  await page.reload();
  await expect(page.locator('article h1')).toContainText('Britain is set to back prosecuting Vladimir Putin');
  await expect(page.locator('article mark[data-tag="quote"]')).toHaveText(quote);
});

test('two articles keep separate annotations', async ({ page }) => {
  await openFresh(page);
  const paste = async (text) => {
    await page.getByRole('button', { name: 'Paste article' }).click();
    await page.getByLabel('Article text (each line a paragraph)').fill(text);
    await page.getByRole('button', { name: 'Use this text' }).click();
  };
  await paste('First article\nAlpha says the sky is green.');
  await tagText(page, 'the sky is green', 'Claim');
  await paste('Second article\nBeta says the sea is red.');
  await expect(page.locator('article mark')).toHaveCount(0);
  await tagText(page, 'the sea is red', 'Quote');
  await paste('First article\nAlpha says the sky is green.');
  await expect(page.locator('article mark')).toHaveCount(1);
  await expect(page.locator('article mark[data-tag="claim"]')).toHaveText('the sky is green');
  await page.reload();
  await expect(page.locator('article h1')).toHaveText('First article');
  await expect(page.locator('article mark[data-tag="claim"]')).toHaveText('the sky is green');
});

test('text that looks like HTML is shown literally', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await openFresh(page);
  const hostile = '<img src=x onerror=alert(1)> and <script>alert(2)</script> <b>bold</b>';
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(`Hostile article\n${hostile}`);
  await page.getByRole('button', { name: 'Use this text' }).click();
  await expect(page.locator('article p[data-para="1"]')).toHaveText(hostile);
  await expect(page.locator('article img, article script, article b')).toHaveCount(0);
  await tagText(page, '<img src=x onerror=alert(1)>', 'Claim');
  await expect(page.locator('article mark')).toHaveText('<img src=x onerror=alert(1)>');
  await page.reload();
  await expect(page.locator('article p[data-para="1"]')).toHaveText(hostile);
  expect(dialogs).toBe(0);
});

test('with storage blocked the page works in memory and says so', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto('/index.html');
  await expect(page.getByRole('alert')).toContainText('not being saved');
  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await expect(page.locator('article mark[data-tag="claim"]')).toHaveCount(1);
});

test('a full store keeps the highlight, says so, and saves on the next change', async ({ page }) => {
  await openFresh(page);
  await fillStorage(page);
  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await expect(page.locator('article mark[data-tag="claim"]')).toHaveCount(1);
  await expect(page.getByRole('alert')).toContainText('Not saved: storage is full');
  await page.evaluate(() => (window.__full = false));
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('article mark')).toHaveCount(2);
});

test('two tabs on one article stay in step and neither overwrites the other', async ({ page, context }) => {
  await openFresh(page);
  const other = await context.newPage();
  const otherErrors = [];
  other.on('pageerror', (e) => otherErrors.push(e.message));
  await other.goto('/index.html');
  await expect(other.locator('article [data-para]').first()).toBeVisible();

  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await expect(other.locator('article mark[data-tag="claim"]')).toHaveText('Work is expected to begin in the spring');
  await tagText(other, 'Some residents remain unconvinced.', 'Quote');
  await expect(page.locator('article mark[data-tag="quote"]')).toHaveText('Some residents remain unconvinced.');

  await page.reload();
  await expect(page.locator('article mark')).toHaveCount(2);
  await other.close();
  expect(otherErrors).toEqual([]);
});
