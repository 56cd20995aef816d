// Shared fixtures: a page that fails its test on any page error or console
// error, and real-mouse selection helpers.
import { test as base, expect } from '@playwright/test';

// `MARGINALIA_CPU_THROTTLE=4` (set by `cargo xtask stress`) slows every
// page of the test fourfold through the DevTools protocol, so races between
// the widget's deferred work and the reader's next step show up reliably.
const THROTTLE = Number(process.env.MARGINALIA_CPU_THROTTLE ?? 1);

async function throttle(page) {
  if (!(THROTTLE > 1)) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
}

export const test = base.extend({
  context: async ({ context }, use) => {
    context.on('page', (p) => {
      throttle(p).catch(() => {});
    });
    await use(context);
  },
  page: async ({ page }, use) => {
    await throttle(page);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    await use(page);
    expect(problems, 'no errors in the page').toEqual([]);
  },
});
export { expect };

/** Opens the app with empty storage and waits for the article. */
/** Waits until the widget's pending save has run: it writes in the task
 *  after the next frame (so saving never delays a highlight), and a frame
 *  plus a task here comes after it. */
export async function afterSave(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

export async function openFresh(page) {
  await page.goto('/index.html');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('article [data-para]').first()).toBeVisible();
}

/**
 * Viewport points just inside the first character of the `occurrence`-th
 * match of `needle` in the article's paragraphs and just inside its last.
 * The widget renders in a shadow root, so the search goes through open
 * shadow roots; `scope` (a CSS selector) limits it to one widget's host.
 */
export async function textPoints(page, needle, occurrence = 0, scope = 'body') {
  const points = await page.evaluate(
    async ([needle, occurrence, scope]) => {
      const deepAll = (root, selector) => {
        const found = [...root.querySelectorAll(selector)];
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) found.push(...deepAll(el.shadowRoot, selector));
        }
        return found;
      };
      const paras = deepAll(document.querySelector(scope), 'article [data-para]');
      let seen = 0;
      for (const para of paras) {
        const text = para.textContent;
        let at = text.indexOf(needle);
        while (at !== -1) {
          if (seen++ === occurrence) {
            // The mouse can only reach what is on screen; off-screen
            // chunks of a long article also skip layout (content-visibility).
            const box = para.getBoundingClientRect();
            if (box.top < 0 || box.bottom > innerHeight) {
              para.scrollIntoView({ block: 'center' });
              await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            }
            // Map a UTF-16 offset in the paragraph to a text node position.
            const locate = (offset) => {
              const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
              let node;
              while ((node = walker.nextNode())) {
                if (offset < node.data.length) return [node, offset];
                offset -= node.data.length;
              }
              throw new Error('offset past the paragraph');
            };
            const rectOf = (offset) => {
              const [node, o] = locate(offset);
              const r = document.createRange();
              r.setStart(node, o);
              r.setEnd(node, o + 1);
              const rects = r.getClientRects();
              return rects[0];
            };
            const first = rectOf(at);
            const last = rectOf(at + needle.length - 1);
            return {
              start: { x: first.left + 1, y: first.top + first.height / 2 },
              end: { x: last.right - 1, y: last.top + last.height / 2 },
            };
          }
          at = text.indexOf(needle, at + 1);
        }
      }
      return null;
    },
    [needle, occurrence, scope],
  );
  if (!points) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the article`);
  return points;
}

/** Selects text with a real mouse drag from its first to its last character. */
export async function dragSelect(page, needle, occurrence = 0, scope = 'body') {
  const first = await textPoints(page, needle, occurrence, scope);
  await page.mouse.move(first.start.x, first.start.y);
  await page.mouse.down();
  await page.mouse.move((first.start.x + first.end.x) / 2, (first.start.y + first.end.y) / 2, { steps: 4 });
  // The page may scroll during the drag; measure the end again.
  const again = await textPoints(page, needle, occurrence, scope);
  await page.mouse.move(again.end.x, again.end.y, { steps: 4 });
  await page.mouse.up();
}

/**
 * One real mouse drag from the first character of `fromNeedle` to the last
 * of `toNeedle` (in another paragraph, say).
 */
export async function dragAcross(page, fromNeedle, toNeedle) {
  const from = await textPoints(page, fromNeedle);
  const to = await textPoints(page, toNeedle);
  await page.mouse.move(from.start.x, from.start.y);
  await page.mouse.down();
  await page.mouse.move(to.end.x, to.end.y, { steps: 8 });
  await page.mouse.up();
}

/** Drags over `needle` and picks `tag` ('Claim' | 'Quote' | 'Caption') in the picker. */
export async function tagText(page, needle, tag, occurrence = 0, scope = 'body') {
  await dragSelect(page, needle, occurrence, scope);
  const picker = page.locator(scope).getByRole('toolbar', { name: 'Tag the selection' });
  await expect(picker).toBeVisible();
  await picker.getByRole('button', { name: tag }).click();
  await expect(picker).toBeHidden();
}

/** The marks of one annotation, found through the text they cover. */
export function marksWithText(page, text) {
  return page.locator('article mark[data-annotation-id]', { hasText: text });
}

/**
 * Makes storage refuse the widget's annotation writes as a full store does
 * (QuotaExceededError) until `window.__full = false`.
 */
export async function fillStorage(page) {
  await page.evaluate(() => {
    const real = Storage.prototype.setItem;
    window.__full = true;
    Storage.prototype.setItem = function (key, value) {
      if (window.__full && key.startsWith('marginalia:v1:doc:')) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return real.call(this, key, value);
    };
  });
}
