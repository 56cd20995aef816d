// The tag label of a highlight (issue 33: "on the phone a label covers the
// words on the line above"): wherever it is drawn, on the page and on the
// embed demo, at 1366×900 and 390×844, it covers none of the article's text.
// It goes above the highlight, in a margin beside it or below it, whichever
// covers nothing (marginalia_core::label_spot); where every spot would
// cover text it is not drawn, and the underline's style and the popover
// still say the tag.
import { test, expect, tagText, clickText, hoverText, openFresh, textPoints, activeText, withParagraphs } from './fixtures.mjs';

const VIEWPORTS = [
  { width: 1366, height: 900, phone: false },
  { width: 390, height: 844, phone: true },
];

const PLACES = {
  page: { open: openFresh, scope: 'body', controls: 'body' },
  embed: {
    open: async (page) => {
      await page.goto('/examples/embed/index.html');
      await page.waitForFunction(() => window.marginaliaDemo?.story);
      await page.evaluate(() => window.marginaliaDemo.story.ready.then(() => true));
    },
    scope: '#story',
    controls: 'body > [data-marginalia] >> nth=0',
  },
};

/** Words at the start, the middle and the end of the article's longest paragraph. */
async function spots(page, scope) {
  await withParagraphs(page);
  return page.evaluate((scope) => {
    const longest = window.__marginaliaParagraphs(scope).reduce((a, b) => (b.textContent.length > a.textContent.length ? b : a));
    const words = longest.textContent.trim().split(/\s+/);
    const mid = Math.floor(words.length / 2);
    return {
      first: words.slice(0, 3).join(' '),
      middle: words.slice(mid, mid + 3).join(' '),
      last: words.slice(-3).join(' '),
    };
  }, scope);
}

/** The label's box (or null when none is drawn) and the boxes of every line of the article's text. */
async function geometry(page, scope) {
  await withParagraphs(page);
  return page.evaluate((scope) => {
    const lines = window.__marginaliaParagraphs(scope).flatMap((p) => {
      const r = document.createRange();
      r.selectNodeContents(p);
      return [...r.getClientRects()].filter((b) => b.width > 0).map((b) => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom }));
    });
    const label = [document, ...[...document.querySelectorAll('[data-marginalia]')].map((h) => h.shadowRoot).filter(Boolean)]
      .map((root) => root.querySelector('.hl-label'))
      .find(Boolean);
    const b = label?.getBoundingClientRect();
    return { lines, label: b ? { left: b.left, top: b.top, right: b.right, bottom: b.bottom, text: label.textContent } : null };
  }, scope);
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const [where, place] of Object.entries(PLACES)) {
  for (const view of VIEWPORTS) {
    test(`${where} at ${view.width}×${view.height}: a highlight's tag label covers no text of the article`, async ({ page }) => {
      await page.setViewportSize({ width: view.width, height: view.height });
      await place.open(page);
      const words = await spots(page, place.scope);
      for (const needle of Object.values(words)) await tagText(page, needle, 'Claim', 0, place.scope, place.controls);
      const drawn = {};
      for (const [at, needle] of Object.entries(words)) {
        // Whatever the last step opened is closed, so it covers nothing.
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
        // A mouse shows the label on hover; a finger has no hover, and a
        // tap chooses the highlight, which shows it too.
        if (view.phone) await clickText(page, needle, 0, place.scope);
        else await hoverText(page, needle, 0, place.scope);
        if (view.phone) await expect.poll(() => activeText(page)).toBe(needle);
        const { start, end } = await textPoints(page, needle, 0, place.scope);
        const g = await geometry(page, place.scope);
        drawn[at] = g.label;
        if (g.label === null) continue;
        expect(g.label.text).toBe('Claim');
        // Beside its own highlight: level with, just above or just below
        // its first or last line.
        const middle = (g.label.top + g.label.bottom) / 2;
        expect(Math.min(Math.abs(middle - start.y), Math.abs(middle - end.y)), `the label of "${needle}" is beside it: ${JSON.stringify(g.label)}`).toBeLessThan(24);
        const { innerWidth, innerHeight } = await page.evaluate(() => ({ innerWidth, innerHeight }));
        expect(g.label.left >= 0 && g.label.top >= 0 && g.label.right <= innerWidth && g.label.bottom <= innerHeight, `inside the window: ${JSON.stringify(g.label)}`).toBe(true);
        for (const line of g.lines) {
          expect(overlaps(g.label, line), `the label of "${needle}" (${at}) ${JSON.stringify(g.label)} covers the line ${JSON.stringify(line)}`).toBe(false);
        }
      }
      console.log(`${where} ${view.width}×${view.height}: ${JSON.stringify(drawn)}`);
      // A paragraph's first line has the paragraph's gap above it, on any
      // width: the label is drawn there, not left out.
      expect(drawn.first, 'the label of a paragraph\'s first words').not.toBeNull();
    });
  }
}
