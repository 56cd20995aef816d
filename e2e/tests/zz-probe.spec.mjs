import AxeBuilder from '@axe-core/playwright';
import { test, expect, openFresh, tagText } from './fixtures.mjs';
test('probe', async ({ page }) => {
  await openFresh(page);
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  console.log(JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => [n.target, n.failureSummary])})), null, 1));
  await tagText(page, 'The city council voted 31 to 9', 'Claim');
  const r2 = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  console.log(JSON.stringify(r2.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => [n.target, n.failureSummary])})), null, 1));
  const tabs = [];
  await page.evaluate(() => document.activeElement.blur());
  for (let i = 0; i < 12; i++) { await page.keyboard.press('Tab'); tabs.push(await page.evaluate(() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return a.tagName + ' ' + (a.getAttribute('aria-label') || a.textContent.slice(0, 30)); })); }
  console.log(tabs);
});
