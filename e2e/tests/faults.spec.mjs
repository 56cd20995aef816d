// Annotation files in and out (W3C, CSV, Recogito, Hypothesis, bad files)
// and storage faults (blocked, full, corrupt, newer schema, two tabs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  test,
  expect,
  THROTTLE,
  openFresh,
  dragSelect,
  tagText,
  dragAcross,
  afterSave,
  readSaved,
  clickText,
  shown,
  documentText,
  download,
  checkW3c,
} from './fixtures.mjs';

const fixture = (name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const DOC_PREFIX = 'marginalia:v1:doc:';
const ANNOTATION_IRI = 'urn:marginalia:annotation:';
const SAMPLE_SLUG = 'marginalia-city-council-approves-48-million-flood-barrier-after';

const picker = (page) => page.getByRole('toolbar', { name: 'Tag the selection' });
const counts = (page) => page.getByTestId('counts');
const errorBanner = (page) => page.locator('.banner.error[role="alert"]');
const warningBanner = (page) => page.locator('.banner.warning[role="alert"]');
const importInput = (page) => page.getByLabel('Import annotations');
/** What is said next to the Import control: the message right under the group of file buttons. */
const besideImport = (page) => page.locator('[role="group"][aria-label="Annotation files"] + .status-near');
const status = (page) => page.getByRole('status');

/** The storage key of the shown document's annotations as storage holds it now (null before the first save). */
const keyNow = (page) =>
  page.evaluate((prefix) => Object.keys(localStorage).find((k) => k.startsWith(prefix) && !k.includes(':corrupt:')) ?? null, DOC_PREFIX);

/** The document's storage key, once the pending save has written it. */
const docKey = async (page) => {
  await afterSave(page);
  return keyNow(page);
};

const stored = async (page, key) => {
  await afterSave(page);
  return page.evaluate((k) => localStorage.getItem(k), key);
};

/** What storage holds of the document at `key`, its log laid over it (`readSaved`). */
const saved = async (page, key) => {
  await afterSave(page);
  return readSaved(page, key);
};

async function pasteArticle(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(text);
  await page.getByRole('button', { name: 'Use this text' }).click();
  await expect(page.locator('article h1')).toHaveText(text.split('\n')[0]);
}

/** A minimal RFC 4180 reader: records of fields; throws on anything malformed. */
function parseCsv(text) {
  const records = [];
  let i = 0;
  while (i < text.length) {
    const record = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
            } else {
              i += 1;
              break;
            }
          } else {
            field += text[i++];
          }
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new Error(`a bare quote in an unquoted field at ${i}`);
          field += text[i++];
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected "," or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
    }
    records.push(record);
  }
  return records;
}

/**
 * Presses `key` and waits until what the widget did with it is drawn: a
 * listener the test adds after the widget's own hears the same keydown
 * after it, the widget's update and render run in the microtasks between
 * the two, and two frames later its paint is on screen.
 */
async function pressAndDraw(page, key) {
  await page.evaluate((key) => {
    window.__drawn = new Promise((resolve) => {
      addEventListener('keydown', function heard(e) {
        if (e.key !== key) return;
        removeEventListener('keydown', heard);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
      });
    });
  }, key);
  await page.keyboard.press(key);
  await page.evaluate(() => window.__drawn);
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

// ---------------------------------------------------------------------------

test('download annotations, then import the file on a fresh page: the same highlights come back', async ({ page }, testInfo) => {
  await openFresh(page);
  await tagText(page, 'The city council voted 31 to 9 on Tuesday night', 'Claim');
  await tagText(page, '“Nobody is against protecting homes,”', 'Quote');
  await tagText(page, 'Volunteers fill sandbags on Quay Street as the river rises.', 'Caption', 1);
  await expect.poll(async () => (await shown(page)).length).toBe(3);
  const before = await shown(page);
  expect(before.every((a) => a.id)).toBe(true);
  expect(before.map((a) => [a.tag, a.text])).toEqual([
    ['claim', 'The city council voted 31 to 9 on Tuesday night'],
    ['quote', '“Nobody is against protecting homes,”'],
    ['caption', 'Volunteers fill sandbags on Quay Street as the river rises.'],
  ]);

  const file = await download(page, 'Download annotations', testInfo, 'annotations.jsonld');
  expect(file.name).toBe(`${SAMPLE_SLUG}.jsonld`);
  await expect(page.getByRole('status')).toHaveText(`Downloaded 3 annotation(s) as ${SAMPLE_SLUG}.jsonld`);
  const collection = JSON.parse(file.text);
  expect(collection['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
  expect(collection.type).toBe('AnnotationCollection');
  expect(collection.total).toBe(3);
  const items = collection.first.items;
  expect(items).toHaveLength(3);
  const byId = Object.fromEntries(items.map((a) => [a.id, a]));
  for (const a of before) {
    const item = byId[`${ANNOTATION_IRI}${a.id}`];
    expect(item, `item for ${a.id}`).toBeTruthy();
    expect(item.type).toBe('Annotation');
    expect(item.body).toEqual([{ type: 'TextualBody', purpose: 'tagging', value: a.tag }]);
    expect(item.target.selector.find((s) => s.type === 'TextQuoteSelector').exact).toBe(a.text);
    expect(item.target.selector.find((s) => s.type === 'TextPositionSelector')).toEqual({
      type: 'TextPositionSelector',
      start: a.start,
      end: a.end,
    });
  }

  // A fresh page, empty storage: the file brings everything back.
  await openFresh(page);
  expect(await shown(page)).toEqual([]);
  await importInput(page).setInputFiles(file.path);
  await expect(page.getByRole('status')).toHaveText('Imported 3 annotation(s)');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => shown(page)).toEqual(before);
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 1 caption');

  // Saved, and a second download is the same collection (ids, times, selectors).
  await page.reload();
  await expect.poll(() => shown(page)).toEqual(before);
  const again = JSON.parse((await download(page, 'Download annotations', testInfo, 'again.jsonld')).text);
  const sortById = (list) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  expect(sortById(again.first.items)).toEqual(sortById(items));

  checkW3c(file.path);
});

test('a claim checked elsewhere (verdict, explanation, status, sources) and an attributed quote come in, are saved, and go out as standard W3C bodies', async ({ page }, testInfo) => {
  await openFresh(page);
  const bodies = [
    { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
    { type: 'TextualBody', purpose: 'assessing', value: 'Mostly true' },
    { type: 'TextualBody', purpose: 'describing', value: 'The agency report says 4,100 homes.', format: 'text/plain' },
    { type: 'TextualBody', purpose: 'classifying', value: 'checked', creator: { type: 'Person', name: 'A. Checker' }, modified: '2026-11-30T10:00:00Z' },
    { type: 'SpecificResource', purpose: 'linking', source: { id: 'https://www.gov.uk/flood-report', type: 'Text', 'schema:name': 'Flood report' } },
  ];
  const item = (id, exact, body) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://desk.example/a/${id}`,
    type: 'Annotation',
    body,
    target: { source: 'https://news.example/flood', selector: [{ type: 'TextQuoteSelector', exact }] },
  });
  const quote = '“We cannot keep asking families to bail out their kitchens every January.”';
  const items = [
    item('c1', 'will protect an estimated 4,300 homes', bodies),
    item('q1', quote, [
      { type: 'TextualBody', purpose: 'tagging', value: 'quote' },
      { type: 'TextualBody', purpose: 'identifying', value: 'Amara Okafor', 'schema:dateCreated': '2026-11-30', 'schema:location': 'Council chamber' },
    ]),
    // A verdict off the scale is refused, and said so.
    item('c2', 'The barrier', [{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }, { type: 'TextualBody', purpose: 'assessing', value: 'Pants on fire' }]),
  ];
  await importInput(page).setInputFiles({ name: 'checked.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(items)) });
  await expect(page.getByRole('status')).toHaveText('Imported 2 annotation(s)');
  await expect(errorBanner(page)).toContainText('item 3: its verdict “Pants on fire” is not on this rating scale');

  // Saved (schema 4), and after a reload the download carries the same bodies.
  // (Waited for: a reload at once relies on the pagehide flush, whose known
  // gap is persist.spec's fixme.)
  await afterSave(page);
  await page.reload();
  await expect.poll(async () => (await shown(page)).length).toBe(2);
  const file = await download(page, 'Download annotations', testInfo, 'checked.jsonld');
  const out = JSON.parse(file.text).first.items;
  const claim = out.find((a) => a.body[0].value === 'claim');
  expect(claim.body.slice(1)).toEqual([
    { type: 'TextualBody', purpose: 'assessing', value: 'Mostly true', 'schema:identifier': 'mostly-true' },
    { type: 'TextualBody', purpose: 'describing', value: 'The agency report says 4,100 homes.', format: 'text/plain' },
    { type: 'TextualBody', purpose: 'classifying', value: 'checked', creator: { type: 'Person', name: 'A. Checker' }, modified: '2026-11-30T10:00:00.000Z' },
    { type: 'SpecificResource', purpose: 'linking', source: { id: 'https://www.gov.uk/flood-report', type: 'Text', 'schema:name': 'Flood report' } },
  ]);
  const spoken = out.find((a) => a.body[0].value === 'quote');
  expect(spoken.body[1]).toEqual({ type: 'TextualBody', purpose: 'identifying', value: 'Amara Okafor', 'schema:dateCreated': '2026-11-30', 'schema:location': 'Council chamber' });
  checkW3c(file.path);
});

test('Download CSV gives RFC 4180 rows: header, one row per annotation, quoted fields where needed', async ({ page }, testInfo) => {
  await openFresh(page);
  const claim = 'will protect an estimated 4,300 homes';
  const quote = '“We cannot keep asking families to bail out their kitchens every January.”';
  const caption = '“Nobody is against protecting homes,” said Councillor Dev Mistry.';
  await tagText(page, claim, 'Claim');
  await tagText(page, quote, 'Quote');
  await tagText(page, caption, 'Caption');
  await expect.poll(async () => (await shown(page)).length).toBe(3);
  const marks = await shown(page);
  expect(marks.map((a) => a.text).sort()).toEqual([claim, quote, caption].sort());

  const file = await download(page, 'Download CSV', testInfo, 'annotations.csv');
  expect(file.name).toBe(`${SAMPLE_SLUG}.csv`);
  const text = file.text;
  expect(text.startsWith('id,tag,start,end,quote,note,created,modified,verdict,status,explanation,sources,speaker\r\n')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  // Every line break is CRLF (none of these quotes holds a line break).
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  // Fields with a comma are quoted; the rest are not.
  expect(text).toContain(`,"${claim}",`);
  expect(text).toContain(`,"${caption}",`);
  expect(text).toContain(`,${quote},`);

  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(['id', 'tag', 'start', 'end', 'quote', 'note', 'created', 'modified', 'verdict', 'status', 'explanation', 'sources', 'speaker']);
  expect(rows).toHaveLength(3);
  for (const row of rows) expect(row).toHaveLength(13);
  const got = rows.map(([id, tag, start, end, q, note]) => ({ id, tag, start: Number(start), end: Number(end), text: q, note }));
  const want = marks.map(({ id, tag, start, end, text }) => ({ id, tag, start, end, text, note: '' }));
  const order = (list) => [...list].sort((a, b) => a.start - b.start);
  expect(order(got)).toEqual(order(want));
  for (const row of rows) {
    expect(row[6]).toMatch(ISO);
    expect(row[7]).toMatch(ISO);
    expect(Math.abs(Date.parse(row[6]) - Date.now())).toBeLessThan(5 * 60_000);
  }
});

test('Download CSV makes a formula from an imported file inert: its cell starts with an apostrophe', async ({ page }, testInfo) => {
  await openFresh(page);
  const formula = '=HYPERLINK("http://evil.example/steal","click me")';
  const item = (id, exact, note) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `https://other.example/a/${id}`,
    type: 'Annotation',
    body: [
      { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
      { type: 'TextualBody', purpose: 'commenting', value: note },
    ],
    target: { source: 'https://news.example/flood', selector: [{ type: 'TextQuoteSelector', exact }] },
  });
  const items = [
    item('f1', 'will protect an estimated 4,300 homes', formula),
    item('f2', 'The barrier', '@SUM(1+1)'),
    item('f3', 'Some residents remain unconvinced.', 'a plain note - with a dash'),
  ];
  // A fact-check's explanation and a quote's speaker are cells too.
  items[0].body.push({ type: 'TextualBody', purpose: 'describing', value: '+1 this is true' });
  items.push({
    ...item('f4', '“We cannot keep asking families to bail out their kitchens every January.”', 'a quote'),
    body: [
      { type: 'TextualBody', purpose: 'tagging', value: 'quote' },
      { type: 'TextualBody', purpose: 'identifying', value: '=cmd|" /C calc"!A0' },
    ],
  });
  await importInput(page).setInputFiles({ name: 'formulas.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(items)) });
  await expect(page.getByRole('status')).toContainText('Imported 4 annotation(s)');
  // Shown as written in the panel: only the spreadsheet export changes it.
  await expect(page.getByRole('list', { name: 'Annotations', exact: true })).toContainText(formula);
  const file = await download(page, 'Download CSV', testInfo, 'formulas.csv');
  const rows = parseCsv(file.text).slice(1);
  const notes = rows.map((row) => row[5]).sort();
  expect(notes).toEqual([`'${formula}`, "'@SUM(1+1)", 'a plain note - with a dash', ''].sort());
  expect(rows.map((row) => row[10]).filter(Boolean)).toEqual(["'+1 this is true"]);
  expect(rows.map((row) => row[12]).filter(Boolean)).toEqual(['\'=cmd|" /C calc"!A0']);
  // No cell of the file begins with a formula character.
  for (const row of parseCsv(file.text)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
});

test('CSV doubles straight quotes and quotes a quote that spans two paragraphs', async ({ page }, testInfo) => {
  await openFresh(page);
  await pasteArticle(page, 'Straight quotes\nThe sign said "closed", so we left.\nNext morning it was open.');
  const straight = 'The sign said "closed", so we left.';
  await tagText(page, straight, 'Quote');
  // One drag over the end of one paragraph and the start of the next.
  await dragAcross(page, 'so we left.', 'Next morning');
  await picker(page).getByRole('button', { name: 'Claim' }).click();
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 0 captions');

  const text = (await download(page, 'Download CSV', testInfo, 'straight.csv')).text;
  expect(text).toContain(',"The sign said ""closed"", so we left.",');
  expect(text).toContain(',"so we left.\nNext morning",');
  const [, ...rows] = parseCsv(text);
  expect(rows.map((r) => [r[1], r[4]]).sort()).toEqual(
    [
      ['claim', 'so we left.\nNext morning'],
      ['quote', straight],
    ].sort(),
  );
});

test('a Recogito file (UTF-16 positions, tag "Claim") and a Hypothesis API file anchor on the right text', async ({ page }) => {
  await openFresh(page);
  const article = readFileSync(fixture('emoji-article.txt'), 'utf8').trim();
  await pasteArticle(page, article);
  const doc = await documentText(page);
  expect(doc).toBe(article);
  // The fixture's positions are UTF-16 offsets of the second "the wall will hold",
  // which two astral emoji precede (as code points it starts two earlier).
  const wall = 'the wall will hold';
  const second = doc.indexOf(wall, doc.indexOf(wall) + 1);
  const recogito = JSON.parse(readFileSync(fixture('recogito-emoji.json'), 'utf8'));
  expect(recogito[0].target.selector[1]).toMatchObject({ start: second, end: second + wall.length });
  expect([...doc.slice(0, second)].length).toBe(second - 2);

  await importInput(page).setInputFiles(fixture('recogito-emoji.json'));
  // "the wall will hold" occurs twice and the file gives no context: its
  // position chose, and the reader is told.
  await expect(page.getByRole('status')).toHaveText(
    'Imported 2 annotation(s); 1 quote(s) occur more than once with no context to tell them apart, placed by their position or on the first',
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  const cp = (utf16) => [...doc.slice(0, utf16)].length;
  const engineer = doc.indexOf('said the engineer');
  await expect
    .poll(async () => (await shown(page)).map(({ tag, text, start, end }) => ({ tag, text, start, end })))
    .toEqual([
      { tag: 'quote', text: 'said the engineer', start: cp(engineer), end: cp(engineer) + 17 },
      { tag: 'claim', text: wall, start: cp(second), end: cp(second) + wall.length },
    ]);
  let marks = await shown(page);
  // The claim is the second copy, after "she repeated it: ".
  const claim = marks.find((a) => a.tag === 'claim');
  expect([...doc].slice(0, claim.start).join('').endsWith('she repeated it: ')).toBe(true);

  // The same file again adds nothing: foreign ids are stable.
  await importInput(page).setInputFiles(fixture('recogito-emoji.json'));
  await expect(page.getByRole('status')).toHaveText('Imported 0 annotation(s); 2 already here were kept as they are');
  expect(await shown(page)).toEqual(marks);

  // Hypothesis API rows: one by quote (with context), one by position only.
  await importInput(page).setInputFiles(fixture('hypothesis-rows.json'));
  await expect(page.getByRole('status')).toHaveText('Imported 2 annotation(s)');
  await expect(page.getByRole('alert')).toHaveCount(0);
  const first = doc.indexOf(wall);
  const gauge = doc.indexOf('The gauge read 5.2 metres');
  await expect
    .poll(async () => (await shown(page)).map(({ tag, text, start }) => ({ tag, text, start })))
    .toEqual([
      { tag: 'caption', text: 'The gauge read 5.2 metres', start: cp(gauge) },
      { tag: 'quote', text: wall, start: cp(first) },
      { tag: 'quote', text: 'said the engineer', start: cp(engineer) },
      { tag: 'claim', text: wall, start: cp(second) },
    ]);
  marks = await shown(page);
  await expect(counts(page)).toHaveText('1 claim · 2 quotes · 1 caption');
  await page.reload();
  await expect(page.locator('article h1')).toHaveText('Storm diary from the river');
  await expect.poll(() => shown(page)).toEqual(marks);
});

test('bad files: not JSON, the wrong shape, refused items, existing ids, and a file over 20 MB', async ({ page }) => {
  await openFresh(page);
  const mine = 'Insurance claims for flood damage';
  await tagText(page, mine, 'Claim');
  await expect.poll(async () => (await shown(page)).map((a) => [a.tag, a.text])).toEqual([['claim', mine]]);
  const key = await docKey(page);
  expect(key).not.toBeNull();
  const original = await shown(page);
  const before = await saved(page, key);
  const unchanged = async () => {
    expect(await shown(page)).toEqual(original);
    expect(await saved(page, key)).toEqual(before);
  };

  // Not JSON: said next to the Import control (and once in the live region), not as a banner.
  await importInput(page).setInputFiles(fixture('not-json.json'));
  await expect(besideImport(page)).toContainText('Nothing was imported');
  await expect(besideImport(page)).toContainText('not JSON');
  await expect(status(page)).toContainText('Nothing was imported: the file is not JSON');
  await expect(errorBanner(page)).toHaveCount(0);
  await unchanged();

  // JSON of the wrong shape.
  await importInput(page).setInputFiles(fixture('wrong-shape.json'));
  await expect(besideImport(page)).toContainText('Nothing was imported');
  await expect(besideImport(page)).toContainText('no annotations');
  await unchanged();

  // Valid items mixed with refused ones: the valid ones come in, each refusal is named.
  const doc = await documentText(page);
  const length = [...doc].length;
  const posOf = (needle) => {
    const at = doc.indexOf(needle);
    const start = [...doc.slice(0, at)].length;
    return { type: 'TextPositionSelector', start, end: start + [...needle].length };
  };
  const item = (id, tag, selector) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id,
    type: 'Annotation',
    body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
    target: { source: 'https://news.example/flood', selector },
  });
  const mixed = [
    item('https://tool.example/a/1', 'quote', [{ type: 'TextQuoteSelector', exact: 'Some residents remain unconvinced.' }]),
    item('https://tool.example/a/2', 'claim', [{ type: 'TextPositionSelector', start: length + 10, end: length + 25 }]),
    item('https://tool.example/a/3', 'claim', [
      { type: 'TextQuoteSelector', exact: 'The mayor resigned in disgrace', prefix: '', suffix: '' },
    ]),
    item('https://tool.example/a/4', 'CAPTION', [
      { type: 'TextQuoteSelector', exact: 'Work is expected to begin in the spring', prefix: '', suffix: '.' },
      posOf('Work is expected to begin in the spring'),
    ]),
  ];
  await importInput(page).setInputFiles({
    name: 'mixed.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(mixed)),
  });
  await expect(page.getByRole('status')).toHaveText('Imported 2 annotation(s)');
  const refusal = errorBanner(page);
  await expect(refusal).toContainText('2 item(s) of the file were not imported');
  await expect(refusal).toContainText(`item 2: its position ${length + 10}..${length + 25} is outside the text (length ${length})`);
  await expect(refusal).toContainText('item 3: its quote “The mayor resigned in disgrace” is not in the text');
  await expect(refusal).not.toContainText('item 1');
  await expect(refusal).not.toContainText('item 4');
  await expect.poll(async () => (await shown(page)).length).toBe(3);
  const after = await shown(page);
  expect(after.map(({ tag, text }) => [tag, text])).toEqual([
    ['claim', mine],
    ['caption', 'Work is expected to begin in the spring'],
    ['quote', 'Some residents remain unconvinced.'],
  ]);
  expect(after.find((a) => a.text === mine)).toEqual(original[0]);
  expect((await saved(page, key)).annotations).toHaveLength(3);

  // An item whose id is already here, with another tag: the one here is kept as it is.
  const current = await saved(page, key);
  const clash = item(`${ANNOTATION_IRI}${original[0].id}`, 'quote', [{ type: 'TextQuoteSelector', exact: mine }]);
  clash.modified = new Date(Date.now() + 60_000).toISOString();
  await importInput(page).setInputFiles({
    name: 'clash.jsonld',
    mimeType: 'application/ld+json',
    buffer: Buffer.from(JSON.stringify({ type: 'AnnotationPage', items: [clash] })),
  });
  await expect(page.getByRole('status')).toHaveText('Imported 0 annotation(s); 1 already here were kept as they are');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await shown(page)).toEqual(after);
  expect((await shown(page)).find((a) => a.id === original[0].id)).toMatchObject({ tag: 'claim', text: mine });
  expect(await saved(page, key)).toEqual(current);

  // Over 20 MB: refused before reading.
  const huge = Buffer.alloc(20 * 1024 * 1024 + 16, 0x20);
  huge[0] = 0x5b; // "[" … "]": JSON, so only the size can refuse it
  huge[huge.length - 1] = 0x5d;
  await importInput(page).setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: huge });
  await expect(besideImport(page)).toHaveText('Nothing was imported: “huge.json” is larger than 20 MB; choose a smaller file.');
  expect(await shown(page)).toEqual(after);
  expect(await saved(page, key)).toEqual(current);
});

test('with storage throwing on access, tagging works in memory and the download keeps it', async ({ page }, testInfo) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto('/index.html');
  await expect(page.locator('article [data-para]').first()).toBeVisible();
  await expect(warningBanner(page)).toContainText('not being saved');
  const needle = 'Work is expected to begin in the spring';
  await tagText(page, needle, 'Claim');
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await expect
    .poll(async () => (await shown(page)).map(({ tag, text }) => [tag, text]))
    .toEqual([
      ['claim', needle],
      ['quote', 'Some residents remain unconvinced.'],
    ]);
  const marks = await shown(page);
  await expect(counts(page)).toHaveText('1 claim · 1 quote · 0 captions');
  await expect(errorBanner(page)).toHaveCount(0);

  const file = await download(page, 'Download annotations', testInfo, 'memory.jsonld');
  const items = JSON.parse(file.text).first.items;
  expect(
    items.map((a) => [a.id, a.body[0].value, a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact]),
  ).toEqual(marks.map((a) => [`${ANNOTATION_IRI}${a.id}`, a.tag, a.text]));
  const csv = (await download(page, 'Download CSV', testInfo, 'memory.csv')).text;
  expect(parseCsv(csv)).toHaveLength(3);
});

test('a store filled to quota by the host: "storage is full", nothing of the host touched, saved once there is room', async ({ page }) => {
  // Filling the store key by key takes a while, the more so under stress.
  test.setTimeout(90_000 * THROTTLE);
  await openFresh(page);
  // The host fills storage with its own keys, in shrinking chunks, until even one character does not fit.
  const filler = await page.evaluate(() => {
    const value = (n, size) => String.fromCharCode(97 + (n % 26)).repeat(size);
    const keys = [];
    let n = 0;
    for (const size of [1 << 20, 1 << 17, 1 << 14, 1 << 11, 1 << 8, 32, 4, 1]) {
      for (;;) {
        const key = `host:filler:${n}`;
        try {
          localStorage.setItem(key, value(n, size));
        } catch (e) {
          if (e.name !== 'QuotaExceededError') throw e;
          break;
        }
        keys.push([key, n, size]);
        n += 1;
      }
    }
    return keys;
  });
  expect(filler.length).toBeGreaterThan(3);
  expect(filler[0][2]).toBe(1 << 20);
  const hostIntact = (keys) =>
    page.evaluate((keys) => {
      const value = (n, size) => String.fromCharCode(97 + (n % 26)).repeat(size);
      const wrong = keys.filter(([key, n, size]) => localStorage.getItem(key) !== value(n, size)).map(([key]) => key);
      const foreign = Object.keys(localStorage).filter((k) => !k.startsWith('host:filler:') && !k.startsWith('marginalia:v1:'));
      const hostCount = Object.keys(localStorage).filter((k) => k.startsWith('host:filler:')).length;
      return { wrong, foreign, hostCount };
    }, keys);

  const first = 'Work is expected to begin in the spring';
  await tagText(page, first, 'Claim');
  await expect.poll(async () => (await shown(page)).map(({ tag, text }) => [tag, text])).toEqual([['claim', first]]);
  // The banner is the failed write's own word: it was tried, and nothing was stored. A failed write
  // leaves the change marked unsaved (README: Saving), so there is no save to wait for.
  await expect(errorBanner(page)).toContainText(/^Not saved: storage is full/);
  await expect(page.locator('[data-marginalia]')).toHaveAttribute('data-marginalia-unsaved', '');
  expect(await keyNow(page)).toBeNull();
  expect(await hostIntact(filler)).toEqual({ wrong: [], foreign: [], hostCount: filler.length });

  // The host frees room; the next change saves everything.
  await page.evaluate(() => localStorage.removeItem('host:filler:0'));
  const rest = filler.slice(1);
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await expect(errorBanner(page)).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const key = await docKey(page);
  expect(key).not.toBeNull();
  expect((await saved(page, key)).annotations).toHaveLength(2);
  await expect.poll(async () => (await shown(page)).length).toBe(2);
  const before = await shown(page);

  await page.reload();
  await expect.poll(() => shown(page)).toEqual(before);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await hostIntact(rest)).toEqual({ wrong: [], foreign: [], hostCount: rest.length });
});

for (const [name, corrupt] of [
  ['text that is not JSON', '{not json'],
  ['JSON of another shape', '[1,2,3]'],
  ['an object that is not an envelope', '{"schema":2,"annotations":"none"}'],
]) {
  test(`a saved value that is ${name} is quarantined under :corrupt: and the widget starts empty`, async ({ page }) => {
    await openFresh(page);
    await tagText(page, 'The city council voted 31 to 9', 'Claim');
    const key = await docKey(page);
    expect(key).not.toBeNull();
    const hostNote = 'host notes: {not json either, and “quoted”';
    await page.evaluate(
      ([key, corrupt, hostNote]) => {
        localStorage.setItem(key, corrupt);
        localStorage.setItem('host:notes', hostNote);
      },
      [key, corrupt, hostNote],
    );
    await page.reload();
    await expect(page.locator('article [data-para]').first()).toBeVisible();

    const quarantined = () =>
      page.evaluate((key) => Object.keys(localStorage).filter((k) => k.startsWith(`${key}:corrupt:`)), key);
    await expect.poll(quarantined).toHaveLength(1);
    const [backup] = await quarantined();
    expect(backup).toMatch(new RegExp(`^${key}:corrupt:\\d+$`));
    expect(await stored(page, backup)).toBe(corrupt);
    await expect(errorBanner(page)).toContainText(backup);
    await expect(errorBanner(page)).toContainText('could not be read');
    expect(await stored(page, 'host:notes')).toBe(hostNote);
    expect(await shown(page)).toEqual([]);
    await expect(counts(page)).toHaveText('0 claims · 0 quotes · 0 captions');

    // It works: a new highlight is shown and saved over the damaged value.
    await tagText(page, 'Some residents remain unconvinced.', 'Quote');
    await expect
      .poll(async () => (await shown(page)).map(({ tag, text }) => [tag, text]))
      .toEqual([['quote', 'Some residents remain unconvinced.']]);
    const envelope = await saved(page, key);
    expect(envelope.schema).toBe(8);
    expect(envelope.annotations).toHaveLength(1);
    // The one copy of the damaged value is still there, still exact, and still the one named.
    expect(await quarantined()).toEqual([backup]);
    expect(await stored(page, backup)).toBe(corrupt);
    await expect(errorBanner(page)).toContainText(backup);
    expect(await stored(page, 'host:notes')).toBe(hostNote);
    await page.reload();
    await expect
      .poll(async () => (await shown(page)).map(({ tag, text }) => [tag, text]))
      .toEqual([['quote', 'Some residents remain unconvinced.']]);
    expect(await quarantined()).toEqual([backup]);
  });
}

test('a value from a newer schema is shown read-only and never overwritten', async ({ page }, testInfo) => {
  await openFresh(page);
  const needle = 'Insurance claims for flood damage';
  await tagText(page, needle, 'Claim');
  const key = await docKey(page);
  const envelope = await saved(page, key);
  expect(envelope.annotations).toHaveLength(1);
  const annotation = envelope.annotations[0];
  const future = JSON.stringify({
    schema: 9,
    document: key.slice(DOC_PREFIX.length),
    annotations: [annotation],
    future: true,
  });
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, future]);
  await page.reload();
  await expect(page.locator('article [data-para]').first()).toBeVisible();

  await expect(warningBanner(page)).toContainText('newer version');
  const onlyIt = [{ id: annotation.id, tag: 'claim', text: needle }];
  const idTagText = async () => (await shown(page)).map(({ id, tag, text }) => ({ id, tag, text }));
  await expect.poll(idTagText).toEqual(onlyIt);

  // A drag offers no picker, and keys tag nothing.
  await dragSelect(page, 'Some residents remain unconvinced.');
  expect(await page.evaluate(() => getSelection().toString())).toBe('Some residents remain unconvinced.');
  await pressAndDraw(page, '1');
  await expect(picker(page)).toHaveCount(0);
  expect(await idTagText()).toEqual(onlyIt);
  // Its popover has no controls; importing is not offered.
  await page.mouse.click(5, 5);
  await clickText(page, needle);
  const dialog = page.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Quote' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(importInput(page)).toHaveCount(0);
  // Downloading what is shown still works.
  const items = JSON.parse((await download(page, 'Download annotations', testInfo, 'future.jsonld')).text).first.items;
  expect(items.map((a) => a.id)).toEqual([`${ANNOTATION_IRI}${annotation.id}`]);

  expect(await stored(page, key)).toBe(future);
  await page.reload();
  await expect(warningBanner(page)).toContainText('newer version');
  expect(await stored(page, key)).toBe(future);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':corrupt:')))).toEqual([]);
});

/** A second page of the app in the test's context (watched by the fixture like the first). */
async function secondPage(context) {
  const other = await context.newPage();
  await other.goto('/index.html');
  await expect(other.locator('article [data-para]').first()).toBeVisible();
  return other;
}

const tagsAndTexts = async (p) => (await shown(p)).map(({ tag, text }) => [tag, text]);
/** What storage holds for the document, read in `page`, as [tag, quote] in document order. */
const storedTagsAndTexts = async (page, key) =>
  ((await readSaved(page, key))?.annotations ?? []).sort((a, b) => a.span.start - b.span.start).map((a) => [a.tag, a.quote.exact]);

/**
 * From the next load on, `page`'s widget is not told of other pages'
 * saves until `releaseStorageEvents`: a listener that runs before the
 * widget's stops each `storage` event for a document's annotations and
 * keeps it (others, such as the storage probe, pass). Storage itself is
 * shared and current, so this is the moment a busy tab lives through
 * between another tab's write and the event that tells it: a save it
 * makes then reads what the other tab wrote, which it has not shown.
 */
async function holdStorageEvents(page) {
  await page.addInitScript(() => {
    window.__held = [];
    window.__holding = true;
    addEventListener(
      'storage',
      (e) => {
        // A document's envelope, or the log beside it.
        if (!window.__holding || !e.isTrusted || !/^marginalia:v1:(doc|log):/.test(e.key ?? '')) return;
        e.stopImmediatePropagation();
        window.__held.push({ key: e.key, oldValue: e.oldValue, newValue: e.newValue, url: e.url });
      },
      true,
    );
  });
}

/** The keys of the `storage` events held so far. */
const heldKeys = (page) => page.evaluate(() => window.__held.map((e) => e.key));

/** Hands the held `storage` events to the widget, in order, and stops holding. */
const releaseStorageEvents = (page) =>
  page.evaluate(() => {
    window.__holding = false;
    const held = window.__held.splice(0);
    for (const e of held) dispatchEvent(new StorageEvent('storage', { ...e, storageArea: localStorage }));
    return held.length;
  });

test('a page that tags before it has taken in another page\'s save merges that save into its own: both pages and storage keep both', async ({ page, context }) => {
  await holdStorageEvents(page);
  await openFresh(page);
  const other = await secondPage(context);
  const a1 = 'The city council voted 31 to 9 on Tuesday night';
  const b1 = 'Insurance claims for flood damage';
  const doc = await documentText(page);
  const both = [
    ['claim', a1],
    ['quote', b1],
  ].sort((x, y) => doc.indexOf(x[1]) - doc.indexOf(y[1]));

  // The first page's picker waits for its key (a page in front gets its input promptly).
  await page.bringToFront();
  await dragSelect(page, a1);
  await expect(picker(page)).toBeVisible();
  // The second page tags and saves.
  await other.bringToFront();
  await tagText(other, b1, 'Quote');
  await afterSave(other);
  const key = await keyNow(other);
  expect(await storedTagsAndTexts(other, key)).toEqual([['quote', b1]]);

  // The first page has been told (the event is held, not lost), its storage holds the
  // second page's quote, and it shows none of it: its widget has not taken that save in.
  await expect.poll(() => heldKeys(page)).toEqual([key]);
  expect(await storedTagsAndTexts(page, key)).toEqual([['quote', b1]]);
  expect(await tagsAndTexts(page)).toEqual([]);
  await expect(picker(page)).toBeVisible();

  // Now its key arrives: it tags and saves before taking in the second page's save.
  await page.bringToFront();
  await page.keyboard.press('1');
  await expect(picker(page)).toBeHidden();
  await expect(status(page)).toHaveText('Claim added');
  await afterSave(page);
  // Its save merged the quote it had never shown: storage holds both, and the page shows
  // both, with the event that would have told it still held and its status still the tag's
  // own (taking in another page's save says "Updated from another view of this article").
  expect(await storedTagsAndTexts(page, key)).toEqual(both);
  await expect.poll(() => tagsAndTexts(page), { message: 'the first page shows both after its own save' }).toEqual(both);
  expect(await heldKeys(page)).toEqual([key]);
  await expect(status(page)).toHaveText('Claim added');
  // The second page took in the first page's save in the usual way.
  await expect.poll(() => tagsAndTexts(other), { message: 'the second page shows both' }).toEqual(both);
  await expect(status(other)).toHaveText('Updated from another view of this article');

  // The late event changes nothing: the first page already holds what it announced.
  // (The widget handles an event as it is dispatched, so it has when the release returns.)
  expect(await releaseStorageEvents(page)).toBe(1);
  await expect(status(page)).toHaveText('Claim added');
  expect(await tagsAndTexts(page)).toEqual(both);
  expect(await storedTagsAndTexts(page, key)).toEqual(both);
  expect(await shown(other)).toEqual(await shown(page));

  await Promise.all([page.reload(), other.reload()]);
  await expect.poll(() => tagsAndTexts(page), { message: 'after reload, the first page' }).toEqual(both);
  await expect.poll(() => tagsAndTexts(other), { message: 'after reload, the second page' }).toEqual(both);
  expect(await storedTagsAndTexts(page, await docKey(page))).toEqual(both);
});

test('two pages answering their pickers at the same moment lose nothing: whichever saves first, both pages, storage and a reload show both highlights', async ({ page, context }) => {
  await openFresh(page);
  const other = await secondPage(context);
  // Each page drags and its picker waits; then both keys are pressed at
  // once (1 Claim, 3 Caption), so neither save waits for the other.
  const ready = async (p, needle) => {
    await p.bringToFront();
    await dragSelect(p, needle);
    await expect(picker(p)).toBeVisible();
  };
  const doc = await documentText(page);
  const a = 'Work is expected to begin in the spring';
  const b = 'Some residents remain unconvinced.';
  await ready(page, a);
  await ready(other, b);
  await Promise.all([page.keyboard.press('3'), other.keyboard.press('1')]);
  await expect(picker(page)).toBeHidden();
  await expect(picker(other)).toBeHidden();
  const want = [
    ['caption', a],
    ['claim', b],
  ].sort((x, y) => doc.indexOf(x[1]) - doc.indexOf(y[1]));
  await expect.poll(() => tagsAndTexts(page), { message: 'the first page shows both' }).toEqual(want);
  await expect.poll(() => tagsAndTexts(other), { message: 'the second page shows both' }).toEqual(want);
  expect(await shown(other)).toEqual(await shown(page));
  await Promise.all([afterSave(page), afterSave(other)]);
  expect(await storedTagsAndTexts(page, await keyNow(page))).toEqual(want);

  await Promise.all([page.reload(), other.reload()]);
  await expect.poll(() => tagsAndTexts(page), { message: 'after reload, the first page' }).toEqual(want);
  await expect.poll(() => tagsAndTexts(other), { message: 'after reload, the second page' }).toEqual(want);
  expect(await storedTagsAndTexts(page, await docKey(page))).toEqual(want);
});

test('two pages on one article: a delete in one reaches the other, and both reload to the same set', async ({ page, context }) => {
  await openFresh(page);
  const other = await secondPage(context);
  const a = 'The city council voted 31 to 9 on Tuesday night';
  const b = 'Insurance claims for flood damage';
  const c = 'Work is expected to begin in the spring';
  // One after the other, without waiting for the other page to follow.
  await page.bringToFront();
  await tagText(page, a, 'Claim');
  await other.bringToFront();
  await tagText(other, b, 'Quote');
  await tagText(other, c, 'Caption');
  const want = [
    ['claim', a],
    ['quote', b],
    ['caption', c],
  ];
  await expect.poll(() => tagsAndTexts(page)).toEqual(want);
  await expect.poll(() => tagsAndTexts(other)).toEqual(want);

  // Page A deletes the highlight page B made.
  const gone = (await shown(page)).find((x) => x.text === b);
  await page.bringToFront();
  await clickText(page, b);
  const dialog = page.getByRole('dialog', { name: 'Edit highlight' });
  await expect(dialog.locator('section')).toHaveCount(1);
  await expect(dialog.locator('section')).toHaveAttribute('data-annotation-id', gone.id);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  const ids = async (p) => (await shown(p)).map((x) => x.id);
  await expect.poll(() => ids(page)).not.toContain(gone.id);
  await expect.poll(() => ids(other)).not.toContain(gone.id);
  const left = want.filter(([, text]) => text !== b);
  await expect.poll(() => tagsAndTexts(other)).toEqual(left);
  await expect(other.getByTestId('counts')).toHaveText('1 claim · 0 quotes · 1 caption');

  await Promise.all([page.reload(), other.reload()]);
  await expect.poll(() => tagsAndTexts(page)).toEqual(left);
  await expect.poll(() => tagsAndTexts(other)).toEqual(left);
  expect(await shown(other)).toEqual(await shown(page));
  const envelope = await saved(page, await docKey(page));
  expect(envelope.annotations.map((x) => x.id).sort()).toEqual((await shown(page)).map((x) => x.id).sort());
  expect(envelope.deleted.map((t) => t.id)).toEqual([gone.id]);
});
