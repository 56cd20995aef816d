import { test, expect, openFresh, dragSelect, textPoints } from './fixtures.mjs';
test('probe', async ({ page, context }) => {
  await openFresh(page);
  const other = await context.newPage();
  await other.goto('/index.html');
  await expect(other.locator('article [data-para]').first()).toBeVisible();
  const T0 = Date.now();
  const log = (...a) => console.log(Date.now() - T0, ...a);
  const tagByKey = async (p, n, needle, key) => {
    await dragSelect(p, needle); log(n, 'dragged');
    await expect(p.getByRole('toolbar', { name: 'Tag the selection' })).toBeVisible(); log(n, 'picker');
    await p.keyboard.press(key); log(n, 'pressed');
    await expect(p.getByRole('toolbar', { name: 'Tag the selection' })).toBeHidden(); log(n, 'hidden');
  };
  await Promise.all([tagByKey(page, 'A', 'The city council voted 31 to 9 on Tuesday night', '1'), tagByKey(other, 'B', 'Insurance claims for flood damage', '2')]);
  await Promise.all([tagByKey(page, 'A', 'Work is expected to begin in the spring', '3'), tagByKey(other, 'B', 'Some residents remain unconvinced.', '1')]);
});
