// Files from other tools count positions over a text we do not show: the
// page's textContent with blank lines between paragraphs, raw whitespace in
// the quotes. Each item must still land on its own words, an uncertain one
// must be listed for the reader to check, and the host must be told how
// each item was placed.
import { test, expect, openFresh, shown, documentText, afterSave, painted, storyReady } from './fixtures.mjs';

const importInput = (page) => page.getByLabel('Import annotations');

/** W3C items over `doc` (paragraphs joined by "\n") whose positions count a
 * blank line between paragraphs: off by one more for each paragraph before. */
function offItems(doc) {
  const paras = doc.split('\n');
  const starts = [];
  let at = 0;
  for (const p of paras) {
    starts.push(at);
    at += [...p].length + 1;
  }
  const item = (id, tag, exact, start, extra = {}) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://other.example/a/${id}`,
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
    target: {
      source: 'https://news.example/flood',
      selector: [
        { type: 'TextQuoteSelector', exact, ...extra },
        { type: 'TextPositionSelector', start, end: start + [...exact].length },
      ],
    },
  });
  const items = [];
  const want = [];
  // A few words from the middle of every fourth paragraph, no context.
  for (let p = 1; p < paras.length; p += 4) {
    const words = paras[p].split(' ');
    if (words.length < 8) continue;
    const mid = Math.floor(words.length / 2);
    const exact = words.slice(mid, mid + 3).join(' ');
    const local = [...paras[p].slice(0, paras[p].indexOf(` ${exact} `) + 1)].length;
    const start = starts[p] + local;
    items.push(item(`p${p}`, 'claim', exact, start + p));
    want.push({ tag: 'claim', text: exact, start });
  }
  // A caption printed twice, no context: the hint names the second copy.
  const twice = paras.findIndex((line, i) => line.length > 20 && paras.indexOf(line) !== i);
  const caption = paras[twice];
  items.push(item('caption-2', 'caption', caption, starts[twice] + twice));
  want.push({ tag: 'caption', text: caption, start: starts[twice] });
  // One quoted with a typo (a changed letter) and its raw context: fuzzy.
  const p = paras.findIndex((line) => line.split(' ').length > 14);
  const words = paras[p].split(' ');
  const exact = words.slice(2, 9).join(' ');
  const typo = exact.replace(/e/, 'a');
  const local = [...paras[p].slice(0, paras[p].indexOf(exact))].length;
  items.push(item('typo', 'quote', typo, starts[p] + local + p, { prefix: `${words.slice(0, 2).join('  ')}  `, suffix: ` ${words[9]}` }));
  want.push({ tag: 'quote', text: exact, start: starts[p] + local });
  // Exact quotes found more than once, with no context to choose: the import says so.
  const count = (needle) => doc.split(needle).length - 1;
  const ambiguous = items.filter((i) => i.target.selector[0].exact !== typo && count(i.target.selector[0].exact) > 1).length;
  return { items, want: want.sort((a, b) => a.start - b.start), caption, exact, typo, ambiguous };
}

test('a file whose positions count blank lines anchors every item on its words; the fuzzy one is listed to check', async ({ page }) => {
  await openFresh(page);
  const doc = await documentText(page);
  const { items, want, exact, typo, ambiguous } = offItems(doc);
  expect(items.length).toBeGreaterThan(4);
  expect(ambiguous).toBeGreaterThan(0); // the caption printed twice, at least
  expect(typo).not.toBe(exact);
  await importInput(page).setInputFiles({ name: 'other-tool.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(items)) });
  await expect(page.getByRole('status')).toHaveText(
    `Imported ${items.length} annotation(s); 1 placed by a fuzzy match, listed under To check; ` +
      `${ambiguous} quote(s) occur more than once with no context to tell them apart, placed by their position or on the first`,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect.poll(async () => (await shown(page)).map(({ tag, text, start }) => ({ tag, text, start }))).toEqual(want);

  // The fuzzy one is listed to check, in words, not only by colour.
  const review = page.getByRole('region', { name: /To check/ });
  await expect(review.getByRole('heading')).toHaveText('To check (1)');
  await expect(review.getByRole('listitem')).toContainText(`“${exact}”`);
  await expect(review.getByRole('listitem')).toContainText('% of its quote matched');
  const entry = page.getByRole('list', { name: 'Annotations', exact: true }).getByRole('listitem').filter({ hasText: exact });
  await expect(entry).toContainText('Check placement: fuzzy match');

  // Still to check after a reload: the mark is saved.
  await afterSave(page);
  await page.reload();
  await expect(page.getByRole('region', { name: /To check/ })).toBeVisible();

  // Confirmed: no longer listed; undo brings the mark back.
  await page.getByRole('button', { name: 'Placement is right' }).click();
  await expect(page.getByRole('region', { name: /To check/ })).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Placement confirmed');
  await expect(entry).not.toContainText('Check placement');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('region', { name: /To check/ })).toBeVisible();
});

test('setAnnotations with positions off reports how each item was placed', async ({ page }) => {
  await page.goto('/examples/embed/index.html');
  await storyReady(page);
  const exact = 'flood barrier along the River Wendle';
  const item = (id, selector) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:marginalia:annotation:${id}`,
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }],
    target: { source: 'urn:x', selector },
  });
  const quote = { type: 'TextQuoteSelector', exact };
  // Where the quote is, as the widget counts: from a probe placed by quote alone.
  const start = await page.evaluate(([probe]) => {
    const story = window.marginaliaDemo.story;
    story.addAnnotation(probe);
    const at = story.getAnnotation(probe.id).target.selector.find((s) => s.type === 'TextPositionSelector').start;
    story.removeAnnotation(probe.id);
    return at;
  }, [item('probe', [quote])]);
  const position = (from, text = exact) => ({ type: 'TextPositionSelector', start: from, end: from + [...text].length });
  const report = await page.evaluate(
    (list) => window.marginaliaDemo.story.setAnnotations(list),
    [
      // Off by seven, as blank lines between paragraphs would make it.
      item('off', [quote, position(start + 7)]),
      item('exact', [{ ...quote, exact: 'flood barrier' }, position(start, 'flood barrier')]),
      item('gone', [{ type: 'TextQuoteSelector', exact: 'a sentence nobody ever wrote here' }]),
      { type: 'Note' },
    ],
  );
  expect(report.accepted).toBe(2);
  expect(report.items.map((i) => i.anchored)).toEqual(['quote', 'position', 'orphaned', 'refused']);
  expect(report.items[0]).toMatchObject({ index: 0, id: 'urn:marginalia:annotation:off', occurrences: 1, decidedBy: 'only' });
  expect(report.refused.map((r) => r.index)).toEqual([2, 3]);
  expect(report).toMatchObject({ fuzzy: 0, ambiguous: 0 });
  await expect.poll(async () => (await painted(page, '#story')).map((h) => h.text).sort()).toEqual(['flood barrier', exact]);
});
