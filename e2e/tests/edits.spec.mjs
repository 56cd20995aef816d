// Issue 32's four defects, each reproduced by hand through the real
// interface: the handle, the host editing its own article, a reload, and
// another tab's save. Each failed before its fix.
import { test, expect, afterSave, painted, readSaved, serveHost, tagText, withRanges } from './fixtures.mjs';

const PAGE = '/edits-host.html';
const DOC = 'edits-test';
const KEY = `marginalia:v1:doc:${DOC}`;
const LOG_KEY = `marginalia:v1:log:${DOC}`;
// A caption printed twice, as news pages do (under the photo, then in the
// gallery beside it): a word in its middle has the same 32 characters of
// context each side in both copies.
const CAPTION = 'Pictured: the flood barrier at Millbridge, seen from the north bank of the River Wendle in November 2026';
const ARTICLE = `<h1>Barrier vote</h1>
  <p>The council voted on Monday to build the barrier.</p>
  <figure><figcaption>${CAPTION}</figcaption></figure>
  <figure><figcaption>${CAPTION}</figcaption></figure>
  <p>The council said it had waited long enough.</p>
  <p>It opens in May.</p>`;
const CONTROLS = 'body > [data-marginalia]';

async function load(page) {
  await serveHost(page, PAGE, {
    body: `<article id="host">${ARTICLE}</article>`,
    script: `window.handle = mount(document.getElementById('host'), { documentId: '${DOC}' });`,
  });
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
}

const w3c = (id, exact, tag, { prefix, note } = {}) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [
    { type: 'TextualBody', purpose: 'tagging', value: tag },
    ...(note ? [{ type: 'TextualBody', purpose: 'commenting', value: note }] : []),
  ],
  target: { source: 'urn:x', selector: [{ type: 'TextQuoteSelector', exact, ...(prefix ? { prefix } : {}) }] },
});

const call = (page, method, arg) => page.evaluate(([m, a]) => window.handle[m](a), [method, arg]);

/** The ids and notes of the W3C export (drawn and orphaned alike). */
const exported = (page) =>
  page.evaluate(() =>
    (window.handle.export('w3c').first?.items ?? []).map((a) => ({
      id: a.id.replace('urn:marginalia:annotation:', ''),
      note: a.body.find((b) => b.purpose === 'commenting')?.value ?? '',
    })),
  );

/** The ids and notes of what storage holds for the document. */
const stored = async (page) => ((await readSaved(page, KEY))?.annotations ?? []).map((a) => ({ id: a.id, note: a.note ?? '' }));

/** What storage holds for the document as written: its envelope and its log. */
const values = (page) => page.evaluate((keys) => keys.map((k) => localStorage.getItem(k)), [KEY, LOG_KEY]);

/** The storage events another tab's writes from `before` to `after` would fire in `page`. */
const deliver = (page, before, after) =>
  page.evaluate(
    ([keys, before, after]) =>
      keys.forEach((key, i) => {
        if (after[i] === before[i]) return;
        const init = { key, oldValue: before[i], newValue: after[i], storageArea: localStorage };
        window.dispatchEvent(new StorageEvent('storage', init));
      }),
    [[KEY, LOG_KEY], before, after],
  );

/** Each painted highlight's tag, text, and the index of the host block it starts in (which copy). */
async function paintedWhere(page) {
  await withRanges(page);
  return page.evaluate(() => {
    const blocks = [...document.querySelectorAll('#host h1, #host p, #host figcaption')];
    return window
      .__marginaliaRanges('#host')
      .map(({ tag, live }) => ({ tag, block: blocks.indexOf(live.startContainer.parentElement.closest('h1, p, figcaption')), text: live.toString() }))
      .sort((a, b) => a.block - b.block);
  });
}

test('removeAnnotation on an orphan removes it, and says so only then', async ({ page }) => {
  await load(page);
  expect(await call(page, 'addAnnotation', w3c('monday', 'voted on Monday', 'claim'))).toMatchObject({ accepted: 1 });
  await expect.poll(() => painted(page, '#host')).toEqual([{ name: 'marginalia-claim', tag: 'claim', suggested: false, text: 'voted on Monday' }]);
  // The host corrects its article: the claim's words are gone, so it is orphaned, kept.
  await page.evaluate(() => {
    const p = document.querySelector('#host p');
    p.textContent = p.textContent.replace('Monday', 'Friday');
  });
  await expect.poll(() => painted(page, '#host')).toEqual([]);
  // The widget has read the edit (its observer is debounced; the old range
  // collapses at once): the claim is listed as orphaned.
  await expect(page.locator('body > [data-marginalia]').locator('.orphaned li[data-annotation-id]')).toHaveCount(1);
  expect(await exported(page)).toEqual([{ id: 'monday', note: '' }]);
  await afterSave(page);
  expect(await stored(page)).toEqual([{ id: 'monday', note: '' }]);
  // annotations() gives the orphan too, and setting that list back keeps it.
  const all = await page.evaluate(() => window.handle.annotations());
  expect(all.map((a) => a.id)).toEqual(['urn:marginalia:annotation:monday']);
  const back = await call(page, 'setAnnotations', all);
  expect(back).toMatchObject({
    accepted: 1,
    refused: [],
    items: [{ index: 0, id: 'urn:marginalia:annotation:monday', anchored: 'orphaned', kept: 'orphan' }],
  });
  expect(await exported(page)).toEqual([{ id: 'monday', note: '' }]);

  expect(await call(page, 'removeAnnotation', 'urn:marginalia:annotation:monday')).toMatchObject({ accepted: 1, refused: [] });
  expect(await exported(page)).toEqual([]);
  await afterSave(page);
  expect(await stored(page)).toEqual([]);
  expect(await exported(page)).toEqual([]);
  // Removing it again is refused, with the reason.
  const again = await call(page, 'removeAnnotation', 'monday');
  expect(again.accepted).toBe(0);
  expect(again.refused[0].reason).toMatch(/no annotation has this id/);
});

test('an edit through setAnnotations with the modified time it was read with is kept, and an older one refused', async ({ page }) => {
  await load(page);
  await call(page, 'addAnnotation', w3c('vote', 'voted on Monday', 'claim', { note: 'b: first' }));
  await afterSave(page);
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
  expect(await exported(page)).toEqual([{ id: 'vote', note: 'b: first' }]);

  // The page reads the list, changes the note, and sets it back: the same `modified`.
  const read = await page.evaluate(() => window.handle.annotations());
  const edited = read.map((a) => ({ ...a, body: a.body.map((b) => (b.purpose === 'commenting' ? { ...b, value: 'a: corrected' } : b)) }));
  expect(edited[0].modified).toBe(read[0].modified);
  expect(await call(page, 'setAnnotations', edited)).toMatchObject({ accepted: 1, refused: [] });
  await afterSave(page);
  expect(await exported(page)).toEqual([{ id: 'vote', note: 'a: corrected' }]);
  expect(await stored(page)).toEqual([{ id: 'vote', note: 'a: corrected' }]);
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
  expect(await exported(page)).toEqual([{ id: 'vote', note: 'a: corrected' }]);

  // The copy read before that edit is older than what is held now: refused, said why, nothing changes.
  const stale = read.map((a) => ({ ...a, body: a.body.map((b) => (b.purpose === 'commenting' ? { ...b, value: 'c: stale' } : b)) }));
  const answer = await call(page, 'setAnnotations', stale);
  expect(answer.accepted).toBe(0);
  expect(answer.refused).toEqual([{ index: 0, reason: expect.stringMatching(/^older than the annotation held here/) }]);
  expect(await call(page, 'updateAnnotation', stale[0])).toMatchObject({ accepted: 0, refused: [{ reason: expect.stringMatching(/^older/) }] });
  expect(await exported(page)).toEqual([{ id: 'vote', note: 'a: corrected' }]);
});

/** Where each copy of `needle` starts in the host's document text (code points), and where the handle says each annotation is. */
const places = (page, needle) =>
  page.evaluate((needle) => {
    const text = [...document.querySelectorAll('#host h1, #host p, #host figcaption')].map((b) => b.textContent.trim()).join('\n');
    const copies = [];
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) copies.push(Array.from(text.slice(0, at)).length);
    const held = window.handle.annotations().map((a) => a.target.selector.find((s) => s.type === 'TextPositionSelector').start);
    return { copies, held };
  }, needle);

test('a highlight on the second copy of a caption stays on it when the host inserts a paragraph above both', async ({ page }) => {
  await load(page);
  // Blocks: 0 h1, 1 p, 2 caption, 3 caption, 4 p, 5 p. The reader tags the second copy.
  await tagText(page, 'north bank', 'Claim', 1, '#host', CONTROLS);
  await expect.poll(() => paintedWhere(page)).toEqual([{ tag: 'claim', block: 3, text: 'north bank' }]);
  const before = await places(page, 'north bank');
  expect(before.held).toEqual([before.copies[1]]);
  await afterSave(page);

  // The host inserts a paragraph of about sixty characters above both
  // copies: the old position is now nearer the first copy than the second.
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'An editor’s note of about sixty characters, added this morning.';
    document.querySelector('#host h1').after(p);
  });
  // Once the widget has taken the edit (the handle's position moves), the
  // claim is on the second copy, in its block (now 4).
  await expect.poll(async () => (await places(page, 'north bank')).held).not.toEqual(before.held);
  const after = await places(page, 'north bank');
  expect(after.held).toEqual([after.copies[1]]);
  expect(await paintedWhere(page)).toEqual([{ tag: 'claim', block: 4, text: 'north bank' }]);

  // Then it takes the note out again: back where it was.
  await page.evaluate(() => document.querySelector('#host h1 + p').remove());
  await expect.poll(async () => (await places(page, 'north bank')).held).toEqual(before.held);
  expect(await paintedWhere(page)).toEqual([{ tag: 'claim', block: 3, text: 'north bank' }]);
  await afterSave(page);
  // What was saved is that copy too.
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
  expect(await places(page, 'north bank')).toEqual(before);
  await expect.poll(() => paintedWhere(page)).toEqual([{ tag: 'claim', block: 3, text: 'north bank' }]);
});

/**
 * Another tab of the host page that starts from `base` (the stored value
 * this tab saved), in its own context: a real second tab's storage event
 * would come at once, and a race of two tabs could not be timed.
 */
async function otherTabFrom(newContext, base) {
  const other = await (await newContext()).newPage();
  await other.addInitScript(
    ([keys, values]) => keys.forEach((k, i) => values[i] !== null && (localStorage.getItem(k) ?? localStorage.setItem(k, values[i]))),
    [[KEY, LOG_KEY], base],
  );
  await load(other);
  return other;
}

test("another tab's save is merged from what its storage event carried, even when storage already holds this tab's later save", async ({ page, newContext }) => {
  await load(page);
  await call(page, 'addAnnotation', w3c('shared', 'voted on Monday', 'claim'));
  await afterSave(page);
  const base = await values(page);

  // The other tab, with what this one saved, adds a quote and saves (the
  // race of issue 32, two saves within a millisecond).
  const other = await otherTabFrom(newContext, base);
  await call(other, 'addAnnotation', w3c('theirs', 'It opens in May', 'quote'));
  await afterSave(other);
  const theirs = await values(other);
  await other.close();

  // Meanwhile this tab saved its own change, without theirs; then the
  // browser delivers their event, whose value is the only copy of it left.
  await call(page, 'addAnnotation', w3c('mine', 'waited long enough', 'caption'));
  await afterSave(page);
  const mine = await values(page);
  await deliver(page, base, theirs);
  await expect.poll(() => exported(page).then((items) => items.map((a) => a.id).sort())).toEqual(['mine', 'shared', 'theirs']);
  await afterSave(page);
  expect((await stored(page)).map((a) => a.id).sort()).toEqual(['mine', 'shared', 'theirs']);
  expect(await values(page)).not.toEqual(mine);
});

// Issue 29: two tabs change different parts of one annotation at once, a
// note in one and the tag in the other, each before hearing of the other.
// Both are kept, in either tab and after a reload: a save of the whole
// annotation no longer overwrites the part the other tab changed.
test('two tabs that change different parts of one annotation at once keep both changes', async ({ page, newContext }) => {
  await load(page);
  await call(page, 'addAnnotation', w3c('shared', 'voted on Monday', 'claim'));
  await afterSave(page);
  const base = await values(page);

  // The other tab (its event delivered late) writes a note on it.
  const other = await otherTabFrom(newContext, base);
  expect(await call(other, 'updateAnnotation', w3c('shared', 'voted on Monday', 'claim', { note: 'Ask the clerk' }))).toMatchObject({ accepted: 1 });
  await afterSave(other);
  const theirs = await values(other);
  await other.close();

  // Meanwhile this tab, without the note, makes it a quote; then their event arrives.
  expect(await call(page, 'updateAnnotation', w3c('shared', 'voted on Monday', 'quote'))).toMatchObject({ accepted: 1 });
  await afterSave(page);
  await deliver(page, base, theirs);
  const both = { id: 'shared', tag: 'quote', note: 'Ask the clerk' };
  const tagged = (page) =>
    page.evaluate(() =>
      (window.handle.export('w3c').first?.items ?? []).map((a) => ({
        id: a.id.replace('urn:marginalia:annotation:', ''),
        tag: a.body.find((b) => b.purpose === 'tagging')?.value ?? '',
        note: a.body.find((b) => b.purpose === 'commenting')?.value ?? '',
      })),
    );
  await expect.poll(() => tagged(page)).toEqual([both]);
  await afterSave(page);
  const saved = await readSaved(page, KEY);
  expect(saved.schema).toBe(8);
  expect(saved.annotations.map((a) => ({ id: a.id, tag: a.tag, note: a.note }))).toEqual([both]);
  await page.reload();
  await page.waitForFunction(() => window.mounted);
  await page.evaluate(() => window.handle.ready);
  expect(await tagged(page)).toEqual([both]);
});
