// Our own CSV read back: Download CSV with the real button, then Import
// annotations on a fresh page with the real file input draws the same
// highlights on the same text, with what each carried; a CSV without our
// columns, or with rows that cannot be read, is said next to the Import
// control; the handle's setAnnotations reads the same CSV text.
import { test, expect, openFresh, tagText, clickText, download, afterSave, shown } from './fixtures.mjs';
import { editor, status, openForm, fillCheck } from './factcheck-ui.mjs';

// Every script and mark a CSV must carry: an emoji, CJK, right-to-left
// text (Hebrew), curly and straight quotes, commas, and a line that reads
// as a formula.
const ARTICLE = [
  'Harbour wall 😀 repairs approved, “at last”',
  'The council said the wall, built in 1887, will cost £12.6 million, up from £9.1m.',
  '市议会批准了4800万英镑的防洪屏障。',
  'In Hebrew, the notice read הבנייה תתחיל באביב, אמרה דנה לוי, on the gate.',
  '“We will act now,” said Dana "the harbour master" Levi.',
  '=SUM(A1) was painted on the wall overnight; -5 degrees, +3 metres of water.',
].join('\n');

const CLAIM = 'the wall, built in 1887, will cost £12.6 million';
const FORMULA = '=SUM(A1) was painted on the wall overnight';
const NOTE = '=HYPERLINK("http://evil.example","click"), a note that reads as a formula';
const CHECK = {
  verdict: 'Mostly true',
  state: 'In progress',
  explanation: 'The budget says £12.4m, “before contingency”, and\nthe 1887 date is right.',
  sources: [{ url: 'https://harbour.example/budget?year=2025,2026', title: '' }],
  name: 'Inès Carvalho',
};

const importInput = (page) => page.getByLabel('Import annotations');
/** What is said next to the Import control: the message right under the group of file buttons. */
const besideImport = (page) => page.locator('[role="group"][aria-label="Annotation files"] + .status-near');

async function pasteArticle(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(text);
  await page.getByRole('button', { name: 'Use this text' }).click();
  await expect(page.locator('article h1')).toHaveText(text.split('\n')[0]);
}

/** A CSV's rows, header first, by the rules of RFC 4180 (CRLF line ends, quoted cells). */
function rows(text) {
  const out = [];
  const cell = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/gy;
  let record = [];
  for (let m = cell.exec(text); m && m[0] !== ''; m = cell.exec(text)) {
    record.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    if (m[2] !== ',') {
      out.push(record);
      record = [];
    }
  }
  return out;
}

test('Download CSV, then Import annotations on a fresh page: the same highlights on the same text, with their note, fact-check and speaker', async ({ page }, testInfo) => {
  await openFresh(page);
  await pasteArticle(page, ARTICLE);
  await tagText(page, 'Harbour wall 😀 repairs approved', 'Caption');
  await tagText(page, CLAIM, 'Claim');
  await tagText(page, '市议会批准了4800万英镑的防洪屏障。', 'Caption');
  // The drag starts and ends on left-to-right letters, as the fixture's points assume; the words between are right-to-left.
  await tagText(page, 'notice read הבנייה תתחיל באביב, אמרה דנה לוי, on', 'Claim');
  await tagText(page, '“We will act now,”', 'Quote');
  await tagText(page, FORMULA, 'Claim');
  // A note that a spreadsheet would run, on the formula-looking claim.
  await clickText(page, FORMULA);
  await page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
  await editor(page).getByRole('textbox', { name: 'Note' }).fill(NOTE);
  await editor(page).getByRole('button', { name: 'Save note' }).click();
  await expect(status(page)).toHaveText('Note saved');
  await page.keyboard.press('Escape');
  // A provisional verdict, with an explanation of commas, quotes and a line break.
  await clickText(page, CLAIM);
  await openForm(page, 'Fact-check');
  await fillCheck(page, CHECK);
  await page.keyboard.press('Escape');
  // The quote's speaker, with straight quotes in the name.
  await clickText(page, 'We will act now');
  await openForm(page, 'Who said it');
  const speaker = editor(page).getByRole('form', { name: 'Speaker' });
  await speaker.getByLabel('Speaker').fill('Dana "the harbour master" Levi');
  await speaker.getByRole('button', { name: 'Save speaker' }).click();
  await expect(status(page)).toHaveText('Quote attributed to Dana "the harbour master" Levi');
  await page.keyboard.press('Escape');
  await afterSave(page);
  const before = await shown(page);
  expect(before.map((a) => [a.tag, a.text])).toEqual([
    ['caption', 'Harbour wall 😀 repairs approved'],
    ['claim', CLAIM],
    ['caption', '市议会批准了4800万英镑的防洪屏障。'],
    ['claim', 'notice read הבנייה תתחיל באביב, אמרה דנה לוי, on'],
    ['quote', '“We will act now,”'],
    ['claim', FORMULA],
  ]);

  const file = await download(page, 'Download CSV', testInfo, 'annotations.csv');
  expect(file.name).toMatch(/\.csv$/);
  const written = rows(file.text);
  // Made inert on the way out: the formula-looking cells start with an apostrophe.
  const formulaRow = written.find((r) => r[4] === `'${FORMULA}`);
  expect(formulaRow?.[5]).toBe(`'${NOTE}`);

  // A fresh page, empty storage, the same article: the CSV brings every highlight back to the same text.
  await openFresh(page);
  await pasteArticle(page, ARTICLE);
  expect(await shown(page)).toEqual([]);
  await importInput(page).setInputFiles(file.path);
  await expect(status(page)).toHaveText('Imported 6 annotation(s)');
  await expect(besideImport(page)).toHaveText('Imported 6 annotation(s)');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect.poll(() => shown(page)).toEqual(before);
  // Read back as written: the note shown without the apostrophe the CSV gave it.
  const panel = page.getByRole('list', { name: 'Annotations', exact: true });
  await expect(panel).toContainText(NOTE);
  await expect(panel).not.toContainText(`'${NOTE}`);
  // Everything the CSV carries came back: a second download has the same rows (the fact-check and speaker included).
  const again = await download(page, 'Download CSV', testInfo, 'again.csv');
  const sorted = (list) => [...list.slice(1)].sort((a, b) => a[0].localeCompare(b[0]));
  expect(sorted(rows(again.text))).toEqual(sorted(written));
  const claimRow = written.find((r) => r[4] === CLAIM);
  expect(claimRow.slice(8)).toEqual([CHECK.verdict, CHECK.state, CHECK.explanation, CHECK.sources[0].url, '']);
  // And saved: a reload shows them.
  await afterSave(page);
  await page.reload();
  await expect.poll(() => shown(page)).toEqual(before);
});

test('a CSV without our columns is refused next to the Import control, naming them; a row that cannot be read is refused by its number', async ({ page }, testInfo) => {
  await openFresh(page);
  await pasteArticle(page, ARTICLE);
  const spreadsheet = 'Quote,Tag,Comment\r\n"the wall, built in 1887",claim,from a sheet\r\n';
  await importInput(page).setInputFiles({ name: 'sheet.csv', mimeType: 'text/csv', buffer: Buffer.from(spreadsheet) });
  const said =
    'Nothing was imported: the CSV lacks the column(s) id, start, end (our CSV\'s columns are id, tag, start, end, quote, note, ' +
    'created, modified, verdict, status, explanation, sources, speaker).';
  await expect(besideImport(page)).toHaveText(said);
  await expect(status(page)).toHaveText(said);
  await expect(besideImport(page)).toBeInViewport();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await shown(page)).toEqual([]);

  // Our columns, a good row, then one whose start is not a number and one that does not fit the text.
  await tagText(page, CLAIM, 'Claim');
  const ours = await download(page, 'Download CSV', testInfo, 'ours.csv');
  const [header, good] = ours.text.split('\r\n');
  const bad = 'b1,claim,first,9,Harbour,,,,,,,,';
  const gone = 'b2,quote,0,5,A sentence the article never had,,,,,,,,';
  const csv = [header, bad, good.replace(/^[^,]+/, 'c1'), gone, ''].join('\r\n');
  await openFresh(page);
  await pasteArticle(page, ARTICLE);
  await importInput(page).setInputFiles({ name: 'mixed.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(besideImport(page)).toHaveText('Imported 1 annotation(s)');
  await expect(page.locator('.banner.error[role="alert"]')).toHaveText(
    '2 row(s) of the file were not imported: row 2: its start “first” is not a whole number of characters; ' +
      'row 4: its quote “A sentence the article never had” is not in the text.',
  );
  await expect.poll(async () => (await shown(page)).map((a) => [a.id, a.tag, a.text])).toEqual([['c1', 'claim', CLAIM]]);
});

test('the handle’s setAnnotations reads our CSV text as Import annotations does: the same annotations, the same report, rows named', async ({ page }) => {
  await page.goto('/examples/embed/index.html');
  const result = await page.evaluate(async (text) => {
    const { default: init, mount } = await import('/embed/marginalia.js');
    await init();
    const widget = (id) => {
      const el = document.createElement('div');
      document.querySelector('main').append(el);
      return mount(el, { text, documentId: id });
    };
    const from = widget('csv-from');
    await from.ready;
    const item = (exact, tag, note) => ({
      type: 'Annotation',
      body: [
        { type: 'TextualBody', purpose: 'tagging', value: tag },
        { type: 'TextualBody', purpose: 'commenting', value: note },
      ],
      target: { selector: [{ type: 'TextQuoteSelector', exact }] },
    });
    from.setAnnotations([
      item('市议会批准了4800万英镑的防洪屏障。', 'caption', '-5, a “note”'),
      item('הבנייה תתחיל באביב', 'claim', '@someone\nsaid so'),
    ]);
    const csv = from.export('csv');
    const to = widget('csv-to');
    await to.ready;
    const report = to.setAnnotations(csv);
    const after = to.annotations();
    // setAnnotations replaces: this empties the widget, so it comes after the read above.
    const broken = to.setAnnotations(`${csv.split('\r\n')[0]}\r\nx1,claim,0,99999,Nowhere,,,,,,,,\r\n`);
    let refused = null;
    try {
      to.setAnnotations('Quote,Tag\r\nx,claim\r\n');
    } catch (e) {
      refused = String(e.message ?? e);
    }
    return { before: from.annotations(), after, report, broken, refused };
  }, ARTICLE);
  // The same annotations: ids, times, bodies (the notes as written) and selectors; only the document's IRI differs.
  const bare = (list) => list.map((a) => ({ ...a, target: { ...a.target, source: null } }));
  expect(bare(result.after)).toEqual(bare(result.before));
  expect(result.report).toMatchObject({ accepted: 2, refused: [], fuzzy: 0, ambiguous: 0 });
  expect(result.report.items.map((i) => [i.row, i.anchored])).toEqual([
    ['row 2', 'position'],
    ['row 3', 'position'],
  ]);
  expect(result.broken.accepted).toBe(0);
  expect(result.broken.refused).toEqual([{ index: 0, row: 'row 2', reason: 'its quote “Nowhere” is not in the text' }]);
  expect(result.refused).toContain('nothing was set: the CSV lacks the column(s) id, start, end');
});
