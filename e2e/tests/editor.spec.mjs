// The docked editor (issue 33): the popover's Edit opens the long forms beside
// the article, in the panel's column or as a bottom sheet on a phone, and the
// claim being edited stays in view, never under the editor: on the stand-alone
// page and on the embed demo, at 1366×900 and 390×844, for a claim near the
// top, one in the middle and one in the last paragraph. axe finds nothing
// with the editor open.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, tagText, clickText, openFresh, withRanges, withParagraphs, serveHost } from './fixtures.mjs';

// A desktop docks at a side: the panel's column where it is beside the
// article (the page), else the window's edge away from the text (the
// demo, whose side panel would cover its story); a phone, the bottom sheet.
const VIEWPORTS = [
  { width: 1366, height: 900, dock: /^(side|right|left)$/ },
  { width: 390, height: 844, dock: /^bottom$/ },
];

const STORY_CONTROLS = 'body > [data-marginalia] >> nth=0';

// Where each place's article is and how it is opened.
const PLACES = {
  page: {
    open: openFresh,
    scope: 'body',
    controls: 'body',
  },
  embed: {
    open: async (page) => {
      await page.goto('/examples/embed/index.html');
      await page.waitForFunction(() => window.marginaliaDemo?.story);
      await page.evaluate(() => window.marginaliaDemo.story.ready.then(() => true));
    },
    scope: '#story',
    controls: STORY_CONTROLS,
  },
};

/** The text of the first, a middle and the last paragraph (a few words of each), as the reader sees them. */
async function claims(page, scope) {
  await withParagraphs(page);
  return page.evaluate((scope) => {
    const paras = window.__marginaliaParagraphs(scope);
    const words = (p) => p.textContent.trim().split(/\s+/).slice(1, 5).join(' ');
    return [paras[1], paras[Math.floor(paras.length / 2)], paras[paras.length - 1]].map(words);
  }, scope);
}

/** The line boxes of the chosen highlight (the one being edited) and the editor's box, in viewport pixels. */
async function boxes(page) {
  await withRanges(page);
  return page.evaluate(() => {
    const active = window.__marginaliaRanges('body', { active: true }).filter((r) => r.name === 'marginalia--active');
    const lines = active.flatMap((r) => [...r.live.getClientRects()]).map((b) => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom }));
    const controls = [...document.querySelectorAll('[data-marginalia]')].map((v) => v.shadowRoot?.querySelector('.editor')).find(Boolean);
    const e = controls.getBoundingClientRect();
    return { lines, editor: { left: e.left, top: e.top, right: e.right, bottom: e.bottom }, dock: controls.dataset.dock, innerWidth, innerHeight };
  });
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const [where, place] of Object.entries(PLACES)) {
  for (const view of VIEWPORTS) {
    test(`${where} at ${view.width}×${view.height}: the claim being edited stays in view beside the editor`, async ({ page }) => {
      await page.setViewportSize({ width: view.width, height: view.height });
      await place.open(page);
      for (const words of await claims(page, place.scope)) {
        await tagText(page, words, 'Claim', 0, place.scope, place.controls);
        await clickText(page, words, 0, place.scope);
        const controls = page.locator(place.controls);
        await controls.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
        const editor = controls.getByRole('dialog', { name: 'Edit annotation' });
        await expect(editor).toBeVisible();
        await expect(editor.getByLabel('Verdict')).toBeFocused();
        const at = await boxes(page);
        const seen = `"${words}": ${JSON.stringify(at)}`;
        expect(at.dock, seen).toMatch(view.dock);
        expect(at.lines.length, seen).toBeGreaterThan(0);
        for (const line of at.lines) {
          expect(overlaps(line, at.editor), `a line of the claim is under the editor: ${seen}`).toBe(false);
          expect(line.top >= 0 && line.bottom <= at.innerHeight && line.left >= 0 && line.right <= at.innerWidth, `on screen: ${seen}`).toBe(true);
        }
        console.log(`${where} ${view.width}×${view.height} "${words}": claim ${JSON.stringify(at.lines[0])} editor ${JSON.stringify(at.editor)}`);
        await page.keyboard.press('Escape');
        await expect(editor).toHaveCount(0);
      }
    });

    test(`${where} at ${view.width}×${view.height}: axe finds no WCAG 2 A or AA violation with the editor open`, async ({ page }) => {
      await page.setViewportSize({ width: view.width, height: view.height });
      await place.open(page);
      const [words] = await claims(page, place.scope);
      await tagText(page, words, 'Claim', 0, place.scope, place.controls);
      await clickText(page, words, 0, place.scope);
      const controls = page.locator(place.controls);
      await controls.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
      await expect(controls.getByRole('dialog', { name: 'Edit annotation' })).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
}

test('a status is shown next to the control that caused it, and said once in the live region', async ({ page }, testInfo) => {
  await openFresh(page);
  const [words] = await claims(page, 'body');
  await tagText(page, words, 'Claim');
  await clickText(page, words);
  await page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = page.getByRole('dialog', { name: 'Edit annotation' });
  await editor.getByRole('textbox', { name: 'Note' }).fill('Ask for the minutes');
  await editor.getByRole('button', { name: 'Save note' }).click();
  // In the live region, and in sight inside the editor (hidden from screen readers, which hear the live region).
  await expect(page.getByRole('status')).toHaveText('Note saved');
  const inEditor = editor.locator('.status-near');
  await expect(inEditor).toHaveText('Note saved');
  await expect(inEditor).toBeInViewport({ ratio: 1 });
  await expect(inEditor).toHaveAttribute('aria-hidden', 'true');
  await page.keyboard.press('Escape');

  // A download: said under the file buttons, not at the foot of the page.
  const download = page.getByRole('button', { name: 'Download annotations' });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  await file.saveAs(testInfo.outputPath('near.jsonld'));
  const near = page.locator('.status-near');
  await expect(near).toHaveCount(1);
  await expect(near).toHaveText(/^Downloaded 1 annotation\(s\) as /);
  await expect(page.getByRole('status')).toHaveText(/^Downloaded 1 annotation\(s\) as /);
  // Right under the group of file buttons the Download button is in.
  const group = page.getByRole('group', { name: 'Annotation files' });
  const [box, said] = [await group.boundingBox(), await near.boundingBox()];
  const gap = said.y - (box.y + box.height);
  expect(gap >= 0 && gap < 24, `the message ${JSON.stringify(said)} is just under the buttons ${JSON.stringify(box)}`).toBe(true);
  await expect(near).toBeInViewport();
});

/** The host's links and controls the closed panel's button lies over, as their text; and the button's corner. */
async function coveredByLauncher(page) {
  return page.evaluate(() => {
    const view = [...document.querySelectorAll('[data-marginalia]')].find((v) => v.shadowRoot?.querySelector('.side-panel.closed'));
    const launcher = view.shadowRoot.querySelector('.side-panel.closed');
    const l = launcher.getBoundingClientRect();
    const hit = (r) => r.width > 0 && r.height > 0 && r.left < l.right && l.left < r.right && r.top < l.bottom && l.top < r.bottom;
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')].filter((c) => !c.closest('[data-marginalia]'));
    return { corner: launcher.dataset.corner, covered: controls.filter((c) => [...c.getClientRects()].some(hit)).map((c) => c.textContent.trim()) };
  });
}

for (const view of VIEWPORTS) {
  test(`embed at ${view.width}×${view.height}: the closed panel's button covers none of the host's links, scrolled or not`, async ({ page }) => {
    await page.setViewportSize({ width: view.width, height: view.height });
    // The first paint's button, before the annotator is asked for, and the annotator's after.
    await page.goto('/examples/embed/index.html');
    await expect(page.locator(STORY_CONTROLS).locator('[data-launcher]')).toBeVisible();
    await expect.poll(async () => (await coveredByLauncher(page)).covered, 'the first paint\'s button').toEqual([]);
    await PLACES.embed.open(page);
    const toggle = page.locator(STORY_CONTROLS).locator('.panel-toggle');
    if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
    for (const y of [0, 200, 600]) {
      await page.evaluate((y) => window.scrollTo(0, y), y);
      await expect.poll(async () => (await coveredByLauncher(page)).covered, `scrolled to ${y}`).toEqual([]);
    }
    // The demo's masthead links are at the top left: at the top, the customary top right is free.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(async () => (await coveredByLauncher(page)).corner).toMatch(/^(top-right|bottom-right)$/);
  });
}

test('the launcher option puts the closed panel\'s button in the corner asked for, and a bad value is refused', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await serveHost(page, '/launcher.html', {
    script: `window.handle = mount(document.getElementById('host'), { documentId: 'launcher', panelOpen: false, launcher: 'bottom-left' });
      try { mount(document.createElement('div'), { launcher: 'middle' }); } catch (e) { window.refused = String(e.message ?? e); }`,
  });
  await page.goto('/launcher.html');
  await page.waitForFunction(() => window.mounted);
  expect(await page.evaluate(() => window.refused)).toBe(
    'options.launcher must be "auto", "top-right", "bottom-right", "bottom-left" or "top-left"',
  );
  await page.evaluate(() => window.handle.ready);
  await expect.poll(async () => (await coveredByLauncher(page)).corner).toBe('bottom-left');
  const box = await page.locator('body > [data-marginalia]').locator('.panel-toggle').boundingBox();
  expect(box.x).toBeLessThan(10);
  expect(box.y + box.height).toBeGreaterThan(844 - 10);
});
