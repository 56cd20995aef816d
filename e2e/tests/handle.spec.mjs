// One annotation at a time through the handle: addAnnotation,
// updateAnnotation, removeAnnotation and getAnnotation, on the demo's story
// annotated in place. The page made these changes, so no events are fired.
import { test, expect, painted, tagText, afterSave, storyReady } from './fixtures.mjs';

const DEMO = '/examples/embed/index.html';
const CONTROLS = 'body > [data-marginalia]';

const tagsOf = async (page) => (await painted(page, '#story')).map((h) => `${h.tag}: ${h.text}`).sort();

/** A W3C annotation of `exact` with tag `tag`, as another tool would send. */
const w3c = (id, exact, tag) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
  target: { source: 'urn:marginalia:document:gazette-flood-barrier-2026-11', selector: [{ type: 'TextQuoteSelector', exact }] },
});

test('add, update, get and remove one annotation through the handle', async ({ page }) => {
  await page.goto(DEMO);
  await storyReady(page);
  const listen = () =>
    page.evaluate(() => {
      window.heard = [];
      for (const name of ['create', 'update', 'delete']) window.marginaliaDemo.story.on(name, () => window.heard.push(name));
    });
  await listen();
  await tagText(page, 'voted 31 to 9', 'Claim', 0, '#story', CONTROLS);
  await expect.poll(() => tagsOf(page)).toEqual(['claim: voted 31 to 9']);
  await page.evaluate(() => (window.heard = []));
  const call = (method, arg) => page.evaluate(([m, a]) => window.marginaliaDemo.story[m](a), [method, arg]);

  // Add: painted at once, listed, got back by id; no event.
  const added = await call('addAnnotation', w3c('host-1', 'flood barrier along the River Wendle', 'quote'));
  expect(added).toMatchObject({ accepted: 1, refused: [], items: [{ index: 0, anchored: 'quote', decidedBy: 'only' }] });
  await expect.poll(() => tagsOf(page)).toEqual(['claim: voted 31 to 9', 'quote: flood barrier along the River Wendle']);
  const got = await call('getAnnotation', 'urn:marginalia:annotation:host-1');
  expect(got.target.selector.find((s) => s.type === 'TextQuoteSelector').exact).toBe('flood barrier along the River Wendle');
  expect((await call('getAnnotation', 'host-1')).id).toBe(got.id);
  expect(await page.evaluate(() => window.marginaliaDemo.story.annotations().length)).toBe(2);
  await expect(page.locator(CONTROLS).getByTestId('counts')).toHaveText('1 claim · 1 quote · 0 captions');

  // The same id again, and a quote not in the text: refused, with a reason.
  const again = await call('addAnnotation', w3c('host-1', 'the River Wendle', 'quote'));
  expect(again.accepted).toBe(0);
  expect(again.refused[0].reason).toMatch(/already here/);
  const stray = await call('addAnnotation', w3c('host-2', 'a sentence nobody ever wrote', 'claim'));
  expect(stray.accepted).toBe(0);
  expect(stray.refused[0].reason).toMatch(/not in the text/);

  // Update: other words and another tag, the same id.
  const updated = await call('updateAnnotation', w3c('host-1', 'Millbridge gauge passed 5.2 metres', 'claim'));
  expect(updated).toMatchObject({ accepted: 1, refused: [] });
  await expect.poll(() => tagsOf(page)).toEqual(['claim: Millbridge gauge passed 5.2 metres', 'claim: voted 31 to 9']);
  const missing = await call('updateAnnotation', w3c('host-9', 'the River Wendle', 'quote'));
  expect(missing.refused[0].reason).toMatch(/no annotation has this id/);

  // The page made these changes: it hears no event for them.
  expect(await page.evaluate(() => window.heard)).toEqual([]);

  // Saved like any change, and back after a reload.
  await afterSave(page);
  await page.reload();
  await storyReady(page);
  await expect.poll(() => tagsOf(page)).toEqual(['claim: Millbridge gauge passed 5.2 metres', 'claim: voted 31 to 9']);
  expect(await page.evaluate(() => window.marginaliaDemo.story.getAnnotation('host-1')?.body[0].value)).toBe('claim');
  await listen();

  // Remove, then remove again.
  const removed = await page.evaluate(() => window.marginaliaDemo.story.removeAnnotation('urn:marginalia:annotation:host-1'));
  expect(removed).toMatchObject({ accepted: 1, refused: [] });
  await expect.poll(() => tagsOf(page)).toEqual(['claim: voted 31 to 9']);
  expect(await page.evaluate(() => window.marginaliaDemo.story.getAnnotation('host-1'))).toBeNull();
  const twice = await page.evaluate(() => window.marginaliaDemo.story.removeAnnotation('host-1'));
  expect(twice.refused[0].reason).toMatch(/no annotation has this id/);
  expect(await page.evaluate(() => window.heard)).toEqual([]);
  // A thing that is not an annotation object throws.
  const thrown = await page.evaluate(() => {
    try {
      window.marginaliaDemo.story.addAnnotation('x');
      return null;
    } catch (e) {
      return String(e.message ?? e);
    }
  });
  expect(thrown).toMatch(/one W3C annotation/);
});
