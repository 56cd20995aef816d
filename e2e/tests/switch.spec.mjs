// Races between the reader's next step and the widget's deferred work: an
// article switched inside the pending-save window, and text pressed on in
// the frame it first appears. Each step here is the real UI (its buttons,
// its mouse), with two steps run in one task where a fast hand or a busy
// machine could bring them together; before the fixes each test failed on
// every run, not now and then.
import { test, expect, openFresh, tagText, dragSelect, afterSave, fillStorage, painted, detachedRanges, storyReady } from './fixtures.mjs';

/**
 * What is painted in CSS.highlights inside `scope`, as "tag: text"
 * (suggestions marked), sorted, with one "detached" for each range left on
 * text no longer shown (an article switched away from).
 */
const shown = async (page, scope = 'body') => [
  ...(await painted(page, scope)).map((h) => `${h.suggested ? 'suggested ' : ''}${h.tag}: ${h.text}`).sort(),
  ...Array(await detachedRanges(page)).fill('detached'),
];

const A = 'First article\nAlpha says the sky is green.';
const B = 'Second article\nBeta says the sea is red.';

/** Opens the paste form and fills it, leaving "Use this text" to click. */
async function fillPaste(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(text);
}

async function paste(page, text) {
  await fillPaste(page, text);
  await page.getByRole('button', { name: 'Use this text' }).click();
}

/**
 * Clicks the widget's buttons named `names`, in order, in one task: no frame
 * and no timer runs between the clicks. Buttons are found through open
 * shadow roots by their visible text.
 */
async function clickInOneTask(page, names) {
  await page.evaluate(
    ([click, names]) => {
      const press = new Function(`return (${click})`)();
      for (const name of names) press(name);
    },
    [clickButton.toString(), names],
  );
}

/** In the page: clicks the widget button whose own text (its key hint aside) is `name`. */
function clickButton(name) {
  const buttons = (root) => [
    ...root.querySelectorAll('button'),
    ...[...root.querySelectorAll('*')].filter((e) => e.shadowRoot).flatMap((e) => buttons(e.shadowRoot)),
  ];
  const label = (b) =>
    [...b.childNodes]
      .filter((n) => n.nodeName !== 'KBD')
      .map((n) => n.textContent)
      .join('')
      .trim();
  const button = buttons(document).find((b) => label(b) === name);
  if (!button) throw new Error(`no button "${name}"`);
  button.click();
}

/** Every saved annotation envelope: its document key and its annotations' tags and quotes. */
async function saved(page) {
  return page.evaluate(() =>
    Object.entries(localStorage)
      .filter(([key]) => key.startsWith('marginalia:v1:doc:'))
      .map(([, raw]) => JSON.parse(raw))
      .map((e) => ({ document: e.document, items: e.annotations.map((a) => `${a.tag}: ${a.quote.exact}`) }))
      .filter((e) => e.items.length > 0)
      .sort((x, y) => x.items[0].localeCompare(y.items[0])),
  );
}

test('a tag made just before switching articles is saved under its own article, with its own span', async ({ page }) => {
  await openFresh(page);
  await paste(page, A);
  await dragSelect(page, 'the sky is green');
  await fillPaste(page, B);
  // Tag A, then open B before the tag's deferred save runs.
  await clickInOneTask(page, ['Claim', 'Use this text']);
  await expect(page.locator('article h1')).toHaveText('Second article');
  await expect.poll(() => shown(page)).toEqual([]);

  await dragSelect(page, 'the sea is red');
  await fillPaste(page, A);
  await clickInOneTask(page, ['Quote', 'Use this text']);
  await expect(page.locator('article h1')).toHaveText('First article');
  await expect.poll(() => shown(page)).toEqual(['claim: the sky is green']);

  await afterSave(page);
  const stored = await saved(page);
  expect(stored.map((e) => e.items)).toEqual([['claim: the sky is green'], ['quote: the sea is red']]);
  expect(stored[0].document).not.toBe(stored[1].document);

  await page.reload();
  await expect(page.locator('article h1')).toHaveText('First article');
  await expect.poll(() => shown(page)).toEqual(['claim: the sky is green']);
  await paste(page, B);
  await expect(page.locator('article h1')).toHaveText('Second article');
  await expect.poll(() => shown(page)).toEqual(['quote: the sea is red']);
});

test('an article switch while saving fails keeps the article open and its tag, and says why', async ({ page }) => {
  await openFresh(page);
  await paste(page, A);
  await fillStorage(page);
  await dragSelect(page, 'the sky is green');
  await fillPaste(page, B);
  await clickInOneTask(page, ['Claim', 'Use this text']);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Not saved: storage is full');
  await expect(alert).toContainText('The other article was not opened');
  await expect(page.locator('article h1')).toHaveText('First article');
  await expect.poll(() => shown(page)).toEqual(['claim: the sky is green']);

  // Room again: the switch goes through, and the tag was written on the way.
  await page.evaluate(() => (window.__full = false));
  await paste(page, B);
  await expect(page.locator('article h1')).toHaveText('Second article');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect((await saved(page)).map((e) => e.items)).toEqual([['claim: the sky is green']]);
});

/**
 * The viewport boxes of the article's paragraphs (those on screen, at most
 * `limit`), measured in the task that showed the article, then again two
 * frames later. `start` runs in the page and shows the article; it gets
 * `clickButton` as its argument.
 */
async function boxesThenAndLater(page, start, scope = 'body', limit = 200) {
  return page.evaluate(
    async ([start, click, scope, limit]) => {
      const deepAll = (root, selector) => [
        ...root.querySelectorAll(selector),
        ...[...root.querySelectorAll('*')].filter((e) => e.shadowRoot).flatMap((e) => deepAll(e.shadowRoot, selector)),
      ];
      await new Function(`return (${start})`)()(new Function(`return (${click})`)());
      // Yew renders in a microtask of this task; no frame has run yet.
      await Promise.resolve();
      // The widget's own article, or (in place) the host's own blocks.
      const paragraphs = () => {
        const own = deepAll(document.querySelector(scope), 'article [data-para]');
        return own.length ? own : [...document.querySelector(scope).querySelectorAll('h1, h2, h3, p, li, figcaption')];
      };
      const boxes = () =>
        paragraphs()
          .map((p) => p.getBoundingClientRect())
          .filter((r) => r.height > 0 && r.bottom > 0 && r.top < innerHeight)
          .slice(0, limit)
          .map((r) => [r.left, r.top, r.width, r.height].map(Math.round).join(','));
      const then = boxes();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { then, later: boxes() };
    },
    [start.toString(), clickButton.toString(), scope, limit],
  );
}

test('pasted text is where it stays from its first layout, so a drag at once tags the words under it', async ({ page }) => {
  await openFresh(page);
  await fillPaste(page, A);
  const { then, later } = await boxesThenAndLater(page, (click) => click('Use this text'));
  expect(then.length).toBe(2);
  expect(then).toEqual(later);
  // And the drag the boxes stand for.
  await tagText(page, 'the sky is green', 'Claim');
  await expect.poll(() => shown(page)).toEqual(['claim: the sky is green']);
});

test('a long article (in chunks) is where it stays from its first layout, and opens at its start', async ({ page }) => {
  await openFresh(page);
  const long = (title) => [title, ...Array.from({ length: 300 }, (_, i) => `Paragraph ${i} says the tide is ${i} cm.`)];
  // The reader is deep in one long article when opening the next.
  await paste(page, long('One long article').join('\n'));
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(5000);
  await fillPaste(page, long('Another long article').join('\n'));
  const { then, later } = await boxesThenAndLater(page, (click) => click('Use this text'));
  expect(then.length).toBeGreaterThan(3);
  expect(then).toEqual(later);
  await expect(page.locator('article h1')).toBeInViewport();
});

test('a widget mounted in place on a host element leaves its text where it was laid out', async ({ page }) => {
  await page.goto('/examples/embed/index.html');
  await storyReady(page);
  const { then, later } = await boxesThenAndLater(page, async () => {
    const { default: init, mount } = await import('/embed/marginalia.js');
    await init();
    const host = document.createElement('section');
    host.id = 'fresh';
    host.innerHTML =
      '<h2>Weather</h2><p>Rain is <em>expected</em> across the valley tonight.</p>' +
      '<p>Forecasters say the river will peak on Friday.</p>';
    document.querySelector('main').prepend(host);
    // The handle is dropped, as a host's one-line script would.
    mount(host, { documentId: 'switch-spec-fresh' });
  }, '#fresh');
  expect(then.length).toBe(3);
  expect(then).toEqual(later);
  await tagText(page, 'the river will peak', 'Claim', 0, '#fresh', 'body');
  await expect.poll(() => shown(page, '#fresh')).toEqual(['claim: the river will peak']);
});
