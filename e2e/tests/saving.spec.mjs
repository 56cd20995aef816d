// The save signal the README promises (and afterSave waits on): the widget's
// element carries data-marginalia-unsaved from a change until the write that
// stores it, and each write dispatches marginalia:saved with its key.
import { test, expect, openFresh, tagText, fillStorage, afterSave, storyReady } from './fixtures.mjs';

/**
 * Logs, in the page, each change of the mark on the widget's element
 * `view` (a CSS selector) with what storage held under `key` at that
 * moment (how many annotations), and each `marginalia:saved` heard on the
 * document with its key. A MutationObserver reports every change, however
 * soon the save follows the change.
 */
async function record(page, view, key) {
  await page.evaluate(
    ([view, key]) => {
      const el = document.querySelector(view);
      // How many annotations storage holds: the envelope's, and the log's
      // entries over it (a save writes what changed there).
      const stored = () => {
        const ids = new Set(JSON.parse(localStorage.getItem(key) ?? '{"annotations":[]}').annotations.map((a) => a.id));
        const log = localStorage.getItem(key.replace('marginalia:v1:doc:', 'marginalia:v1:log:')) ?? '';
        for (const entry of log.split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l))) {
          for (const a of entry.annotations ?? []) ids.add(a.id);
          for (const t of entry.deleted ?? []) ids.delete(t.id);
        }
        return ids.size;
      };
      window.__log = [];
      new MutationObserver(() => window.__log.push({ unsaved: el.hasAttribute('data-marginalia-unsaved'), stored: stored() })).observe(el, {
        attributes: true,
        attributeFilter: ['data-marginalia-unsaved'],
      });
      document.addEventListener('marginalia:saved', (e) => window.__log.push({ saved: e.detail.key, stored: stored() }));
    },
    [view, key],
  );
}

const log = (page) => page.evaluate(() => window.__log);

/** The embed demo's story with nothing saved, its saves recorded; its key. */
async function openStory(page) {
  const key = 'marginalia:v1:doc:gazette-flood-barrier-2026-11';
  await page.goto('/examples/embed/index.html');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await storyReady(page);
  await record(page, 'body > [data-marginalia]', key);
  return key;
}

/** A claim on the story's "voted 31 to 9", as a host adds it. */
const claim = (id) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }],
  target: { selector: [{ type: 'TextQuoteSelector', exact: 'voted 31 to 9' }] },
});

/** The story's one change, marked, written and announced, then unmarked. */
async function savedOnce(page, key) {
  await expect.poll(() => log(page)).toHaveLength(3);
  expect(await log(page)).toEqual([
    { unsaved: true, stored: 0 },
    { saved: key, stored: 1 },
    { unsaved: false, stored: 1 },
  ]);
}

/** The stand-alone page's storage key for the open article. */
const pageKey = (page) =>
  page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('marginalia:v1:doc:') && !k.includes(':corrupt:')));

test('the page: a tag marks the widget unsaved until the write, which is announced with its key', async ({ page }) => {
  await openFresh(page);
  // The key is the article's fingerprint: learn it from a first save.
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await afterSave(page);
  const key = await pageKey(page);
  expect(key).toMatch(/^marginalia:v1:doc:[0-9a-f]{16}$/);
  await record(page, '#app > [data-marginalia]', key);

  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await expect.poll(() => log(page)).toHaveLength(3);
  // Marked while storage held one annotation; the event, then the mark taken
  // away, once it held both.
  expect(await log(page)).toEqual([
    { unsaved: true, stored: 1 },
    { saved: key, stored: 2 },
    { unsaved: false, stored: 2 },
  ]);
  await expect(page.locator('#app > [data-marginalia]')).not.toHaveAttribute('data-marginalia-unsaved');
});

test('a full store keeps the mark and announces nothing; the next change that fits is saved and clears it', async ({ page }) => {
  await openFresh(page);
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await afterSave(page);
  const key = await pageKey(page);
  await record(page, '#app > [data-marginalia]', key);
  await fillStorage(page);
  await tagText(page, 'Work is expected to begin in the spring', 'Claim');
  await expect(page.getByRole('alert')).toContainText('Not saved: storage is full');
  // The failed write is what put the alert up: the mark is still there, and no save was announced.
  const view = page.locator('#app > [data-marginalia]');
  await expect(view).toHaveAttribute('data-marginalia-unsaved', '');
  expect(await log(page)).toEqual([{ unsaved: true, stored: 1 }]);

  await page.evaluate(() => (window.__full = false));
  await tagText(page, 'The city council voted 31 to 9 on Tuesday night', 'Claim');
  await expect(view).not.toHaveAttribute('data-marginalia-unsaved');
  expect(await log(page)).toEqual([
    { unsaved: true, stored: 1 },
    { saved: key, stored: 3 },
    { unsaved: false, stored: 3 },
  ]);
});

test('in place on a host page: a handle change is marked and announced from the widget element at the end of <body>', async ({ page }) => {
  const key = await openStory(page);
  const report = await page.evaluate((item) => window.marginaliaDemo.story.addAnnotation(item), claim('saved-signal-1'));
  expect(report).toMatchObject({ accepted: 1 });
  await savedOnce(page, key);
});

test('a write not known to be short waits for a quiet page: none while frames are drawn, then once it is', async ({ page }) => {
  const key = await openStory(page);
  // A page drawing a frame every time it can (an animation, a scroll): its
  // idle periods are what is left of each frame. The widget's first write
  // (how long it takes is not known yet) must not run in one of them.
  const during = await page.evaluate(
    (item) =>
      new Promise((done) => {
        // Twelve frames: a fifth of a second at 60 Hz, well inside the
        // second a long write waits at most; the old rule wrote after the
        // first.
        let frames = 0;
        const draw = () => {
          frames += 1;
          if (frames < 12) requestAnimationFrame(draw);
          else done([...window.__log]);
        };
        requestAnimationFrame(draw);
        window.marginaliaDemo.story.addAnnotation(item);
      }),
    claim('quiet-1'),
  );
  expect(during, 'marked unsaved, not written while frames were drawn').toEqual([{ unsaved: true, stored: 0 }]);
  // The page is quiet now: written.
  await savedOnce(page, key);
});
