// Drafts and retags (issue 33): what a reader types into a note, a fact-check or a
// speaker form is kept by the core and saved with the annotations, so no way
// of closing the form loses it: ×, Escape, a click in the article, Paste
// article, a reload, another article and back, a second tab. Only Discard
// draft drops it, and Undo brings it back.
import { test, expect, afterSave, tagText, clickText, openFresh, download, checkW3c, THROTTLE } from './fixtures.mjs';
import { popover, editor, fillCheck, openForm } from './factcheck-ui.mjs';

const ARTICLE = 'Council story\nThe council voted 31 to 9 on Monday to build the barrier.\n“We will build it by May,” said the mayor.';
const OTHER = 'Another story\nNothing here is about the council.';

/** Pastes `text` as the article, as a reader would. */
async function paste(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(text);
  await page.getByRole('button', { name: 'Use this text' }).click();
  await expect(page.locator('article [data-para]').first()).toHaveText(text.split('\n')[0]);
}

/** Reloads, and waits for the article to be shown again. */
async function reload(page) {
  await page.reload();
  await expect(page.locator('article [data-para]').first()).toHaveText('Council story');
}

// Each form: the words its highlight is on, its tag, the button that opens
// it (none: always shown), and the field typed into.
const FORMS = [
  { form: 'note', words: 'voted 31 to 9', tag: 'Claim', opener: null, field: 'Note', typed: 'Half a thought about the vote, not saved' },
  { form: 'fact-check', words: 'voted 31 to 9', tag: 'Claim', opener: 'Fact-check', field: 'Explanation', typed: 'The minutes say 30 to 10; checking' },
  { form: 'speaker', words: '“We will build it by May,”', tag: 'Quote', opener: 'Who said it', field: 'Speaker', typed: 'The mayor, Jo Reyes' },
];

/** Clicks `words`, then the popover's Edit: the editor opens with the form (open by default), and gives the field. */
async function open(page, { words, opener, field }) {
  await clickText(page, words.slice(1, 6));
  await popover(page).getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(editor(page)).toBeVisible();
  if (opener) await expect(editor(page).getByRole('button', { name: new RegExp(`^${opener}`) })).toHaveAttribute('aria-expanded', 'true');
  return editor(page).getByRole('textbox', { name: field, exact: true });
}

for (const f of FORMS) {
  test(`a ${f.form} draft survives every way of closing its form, and Discard then Undo brings it back`, async ({ page, context }) => {
    test.setTimeout(90_000 * THROTTLE);
    await openFresh(page);
    await paste(page, ARTICLE);
    await tagText(page, f.words, f.tag);
    await afterSave(page);

    // Typed, never saved.
    await (await open(page, f)).fill(f.typed);
    await afterSave(page);
    // The list says so, in words; so does the closed panel's count (on a host page).
    await expect(page.locator('.annotation-list li').first()).toContainText(`Draft: ${f.form} not saved`);

    const closes = {
      '×': () => editor(page).getByRole('button', { name: 'Close' }).click(),
      Escape: () => page.keyboard.press('Escape'),
      'a click in the article': () => clickText(page, 'Council story'),
      'Paste article (the same text again)': () => paste(page, ARTICLE),
      'a reload': () => reload(page),
      'another article and back': async () => {
        await paste(page, OTHER);
        await paste(page, ARTICLE);
      },
    };
    for (const [how, close] of Object.entries(closes)) {
      await close();
      await expect(editor(page), `closed by ${how}`).toHaveCount(0);
      await expect(await open(page, f), `after ${how}`).toHaveValue(f.typed);
    }

    // A second tab on the same article has it too.
    const second = await context.newPage();
    await second.goto('/index.html');
    await expect(second.locator('article [data-para]').first()).toHaveText('Council story');
    await expect(await open(second, f), 'in a second tab').toHaveValue(f.typed);
    await second.close();

    // Discard draft: the field shows the saved value (nothing), the mark goes.
    await editor(page).getByRole('button', { name: 'Discard draft' }).click();
    await expect(editor(page).getByRole('textbox', { name: f.field, exact: true })).toHaveValue('');
    await expect(page.getByRole('status')).toHaveText(`Draft of the ${f.form} discarded`);
    await expect(page.locator('.annotation-list li').first()).not.toContainText('Draft');
    // Undo brings it back, in the field and after a reload.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await expect(page.getByRole('status')).toHaveText(`Undone: Draft of the ${f.form} discarded`);
    await expect(await open(page, f)).toHaveValue(f.typed);
    await afterSave(page);
    await reload(page);
    await expect(await open(page, f)).toHaveValue(f.typed);
  });
}

test('saving ends the draft, and undoing the save brings the draft back', async ({ page }) => {
  await openFresh(page);
  await paste(page, ARTICLE);
  await tagText(page, 'voted 31 to 9', 'Claim');
  const note = await open(page, FORMS[0]);
  await note.fill('A note worth keeping');
  await editor(page).getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByRole('status')).toHaveText('Note saved');
  await expect(editor(page).getByRole('button', { name: 'Discard draft' })).toHaveCount(0);
  await expect(page.locator('.annotation-list li').first()).not.toContainText('Draft');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('status')).toHaveText('Undone: Note saved');
  // The note is as it was (none), and what was typed is a draft again.
  await expect(page.locator('.annotation-list li').first()).toContainText('Draft: note not saved');
  await expect(await open(page, FORMS[0])).toHaveValue('A note worth keeping');
});

test('a checked claim retagged as a caption keeps its fact-check out of sight and out of the export; a claim again, it is back', async ({ page }, testInfo) => {
  await openFresh(page);
  await paste(page, ARTICLE);
  await tagText(page, 'voted 31 to 9', 'Claim');
  await clickText(page, 'oted 3');
  await openForm(page, 'Fact-check');
  await fillCheck(page, { verdict: 'False', explanation: 'The minutes say 30 to 10.', name: 'A. Checker' });

  await editor(page).getByRole('button', { name: 'Caption', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Claim changed to Caption; its fact-check is kept, out of sight');
  await expect(editor(page)).toContainText('Its fact-check is kept while it is a caption: tag it a claim again to see it.');
  await expect(editor(page).getByRole('button', { name: /^Fact-check/ })).toHaveCount(0);
  // The W3C file has a caption with no assessing (nor any review) body, and passes the W3C model checker.
  await afterSave(page);
  const file = await download(page, 'Download annotations', testInfo, 'retagged.jsonld');
  const items = JSON.parse(file.text).first.items;
  expect(items).toHaveLength(1);
  expect(items[0].body.map((b) => b.purpose)).toEqual(['tagging']);
  expect(items[0].body[0].value).toBe('caption');
  checkW3c(file.path);

  await editor(page).getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Caption changed to Claim; its fact-check is back');
  await expect(editor(page).getByRole('button', { name: 'Fact-check (Checked: False)' })).toBeVisible();
  const again = JSON.parse((await download(page, 'Download annotations', testInfo, 'claim-again.jsonld')).text).first.items;
  expect(again[0].body.find((b) => b.purpose === 'assessing')?.value).toBe('False');
});

test('Tab and Shift+Tab stay inside the popover, then the editor, until Escape gives focus back to the highlight', async ({ page }) => {
  await openFresh(page);
  await paste(page, ARTICLE);
  await tagText(page, 'voted 31 to 9', 'Claim');
  await clickText(page, 'oted 3');
  await expect(popover(page)).toBeVisible();
  // Where focus is: inside which dialog (seen through the widget's shadow root).
  const where = () =>
    page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.closest('.popover') ? 'popover' : el?.closest('.editor') ? 'editor' : el?.tagName;
    });
  const stays = async (dialog, name) => {
    const controls = await dialog.locator('button, input, select, textarea, a[href]').count();
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < controls + 2; i++) {
        await page.keyboard.press(key);
        expect(await where(), `${key} ${i + 1}`).toBe(name);
      }
    }
  };
  await popover(page).getByRole('button', { name: 'Close' }).focus();
  await stays(popover(page), 'popover');
  // Edit, by keyboard: the editor opens with focus in its first field.
  await popover(page).getByRole('button', { name: 'Edit', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(editor(page).getByLabel('Verdict')).toBeFocused();
  await stays(editor(page), 'editor');
  // Escape, from a text field too: closed, focus on the article with the claim still the chosen one.
  await editor(page).getByLabel('Explanation').focus();
  await page.keyboard.press('Escape');
  await expect(editor(page)).toHaveCount(0);
  expect(await where()).toBe('ARTICLE');
  await page.keyboard.press('Enter');
  await expect(popover(page)).toContainText('voted 31 to 9');
});

test('Paste article takes the old highlight label away with the old article', async ({ page }) => {
  await openFresh(page);
  await paste(page, ARTICLE);
  await tagText(page, 'voted 31 to 9', 'Claim');
  // The highlight just tagged is the chosen one, labelled.
  const label = page.locator('[data-marginalia] .hl-label, .hl-label');
  await expect(label.first()).toHaveText(/^claim$/i);
  await paste(page, OTHER);
  await expect(label).toHaveCount(0);
});
