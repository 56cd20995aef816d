// Fact-checking: a claim's verdict, explanation, sources and status, a
// quote's speaker, the "Claims to check" and "Quotes by speaker" views,
// and what goes out — ClaimReview (checked by two structured-data
// validators from npm), the Markdown report and its print view.
import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openFresh, tagText, clickText, download, readSaved } from './fixtures.mjs';
import { validateClaimReview, validateMarkupPages } from './structured-data.mjs';
import { popover, editor, factCheck, status, checkCounts, openForm, openViews, fillCheck, setArticleDetails } from './factcheck-ui.mjs';
import { fromMarkdown, fromPrintView } from './report-views.mjs';

const SEED = fileURLToPath(new URL('../../../shared/articles/seed-article.txt', import.meta.url));
async function axeClean(page, state) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}: ${n.failureSummary}`));
  expect(found, `axe violations with ${state}:\n${found.join('\n')}`).toEqual([]);
}

const QUOTE =
  '‘The evidence shows that Russian authorities have committed violation of international human rights and international humanitarian law and corresponding war crimes,’';
const CLAIMS = [
  {
    text: 'Suggestions that a new court should deal with crimes of aggression, then, were first raised in 2022',
    verdict: 'True',
    explanation: 'The proposal dates from the first weeks of the invasion.',
    sources: [
      { url: 'https://www.coe.int/en/web/portal/special-tribunal', title: 'Council of Europe: the special tribunal' },
      { url: 'https://www.icc-cpi.int/about/how-the-court-works', title: 'ICC: how the Court works' },
    ],
  },
  {
    text: 'The President has refused to describe Russia’s actions as an invasion',
    verdict: 'Mostly true',
    explanation: 'He has avoided the word in public statements.',
    sources: [{ url: 'https://www.whitehouse.gov/briefings-statements/', title: 'White House statements' }],
  },
  {
    text: 'Russian authorities have committed violation of international human rights',
    verdict: 'Unverifiable',
    explanation: 'The Commission’s evidence is not public in full.',
    sources: [{ url: 'https://www.ohchr.org/en/hr-bodies/hrc/iicihr-ukraine/index', title: '' }],
  },
];

test('the reference article fact-checked: three claims with sources, a quote attributed, ClaimReview passes two validators', async ({ page }, testInfo) => {
  if (!existsSync(SEED)) console.log(`notice: ${SEED} is absent (not a CI checkout); skipping the fact-checking test`);
  test.skip(!existsSync(SEED), 'the reference article ../shared/articles/seed-article.txt is absent');
  await openFresh(page);
  await page.getByLabel('Open article').setInputFiles(SEED);
  await expect(page.locator('article h1')).toContainText('Britain is set to back prosecuting Vladimir Putin');
  await tagText(page, QUOTE, 'Quote');
  for (const c of CLAIMS) await tagText(page, c.text, 'Claim');
  await expect(checkCounts(page)).toHaveText('To check: 3 · In progress: 0 · Checked: 0');
  await axeClean(page, 'the views closed');
  await openViews(page);

  // The quote's speaker, from its popover.
  await clickText(page, 'The evidence shows');
  await openForm(page, 'Who said it');
  const speaker = editor(page).getByRole('form', { name: 'Speaker' });
  await speaker.getByLabel('Speaker').fill('Erik Mose');
  await speaker.getByLabel('Where (when known)').fill('UN Commission of Inquiry on Ukraine');
  await speaker.getByRole('button', { name: 'Save speaker' }).click();
  await expect(status(page)).toHaveText('Quote attributed to Erik Mose');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Erik Mose (1)' })).toBeVisible();

  // Bad input is said, in the form, and nothing is saved.
  await clickText(page, CLAIMS[0].text);
  await openForm(page, 'Fact-check');
  const form = factCheck(page);
  await form.getByLabel('Status').selectOption({ label: 'Checked' });
  await form.getByRole('button', { name: 'Save fact-check' }).click();
  await expect(form.getByRole('alert')).toHaveText('A claim marked checked needs a verdict.');
  await form.getByLabel('Source address').fill('javascript:alert(1)');
  await form.getByRole('button', { name: 'Add source' }).click();
  await expect(form.getByRole('alert')).toContainText('“javascript:alert(1)” is not a web address');
  await form.getByLabel('Source address').fill('');
  await expect(checkCounts(page)).toHaveText('To check: 3 · In progress: 0 · Checked: 0');

  // The first two from a click on their text; the reviewer's name is asked once.
  await fillCheck(page, { ...CLAIMS[0], name: 'Ana Ruiz' });
  await page.keyboard.press('Escape');
  await clickText(page, CLAIMS[1].text);
  await openForm(page, 'Fact-check');
  await expect(factCheck(page).getByText('Reviewer: Ana Ruiz')).toBeVisible();
  await fillCheck(page, CLAIMS[1]);
  await page.keyboard.press('Escape');

  // The third from the "Claims to check" view, by keyboard alone.
  const third = page.getByRole('button', { name: `Check claim: ${CLAIMS[2].text}` });
  await third.focus();
  await page.keyboard.press('Enter');
  await expect(factCheck(page)).toBeVisible();
  await expect(editor(page).locator(':focus')).toHaveCount(1);
  await axeClean(page, 'the fact-check form open');
  await fillCheck(page, CLAIMS[2]);
  await page.keyboard.press('Escape');
  await expect(checkCounts(page)).toHaveText('To check: 0 · In progress: 0 · Checked: 3');

  // The filter by verdict, and undo and redo of a review.
  await page.locator('section.checks').getByLabel('Verdict').selectOption({ label: 'True' });
  await expect(page.getByRole('heading', { name: 'Checked (1)' })).toBeVisible();
  await page.locator('section.checks').getByLabel('Verdict').selectOption({ label: 'All verdicts' });
  await expect(page.getByRole('heading', { name: 'Checked (3)' })).toBeVisible();
  await axeClean(page, 'the Claims to check and Quotes by speaker views');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(checkCounts(page)).toHaveText('To check: 1 · In progress: 0 · Checked: 2');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(checkCounts(page)).toHaveText('To check: 0 · In progress: 0 · Checked: 3');

  // Saved: a reload keeps every check and the speaker.
  await page.reload();
  await expect(checkCounts(page)).toHaveText('To check: 0 · In progress: 0 · Checked: 3');
  await openViews(page);
  await expect(page.getByRole('heading', { name: 'Erik Mose (1)' })).toBeVisible();

  // Nothing is published without the article's and the checks' addresses:
  // no file, and the claims are named with what they lack.
  await page.getByRole('button', { name: 'Download ClaimReview' }).click();
  await expect(page.locator('.banner.error')).toContainText('3 checked claim(s) not published:');
  await expect(page.locator('.banner.error')).toContainText('no fact-check address');
  await expect(page.locator('.banner.error')).toContainText('no article address');
  await setArticleDetails(page, {
    url: 'https://news.example/2026/putin-tribunal',
    title: 'Britain is set to back prosecuting Vladimir Putin',
    publisher: 'The Example Post',
    published: '2026-11-30',
    template: 'https://checks.example/{slug}',
  });
  // The first claim's claimant typed, with a Wikidata page; the third's is the quote's speaker.
  await clickText(page, CLAIMS[0].text);
  await openForm(page, 'Fact-check (Checked: True)');
  await factCheck(page).getByLabel('Claimant (who made the claim)').fill('Keir Starmer');
  await factCheck(page).getByLabel("Claimant's job title (optional)").fill('Prime Minister');
  await factCheck(page).getByLabel("Claimant's page (Wikidata or official, optional)").fill('https://www.wikidata.org/wiki/Q6383960');
  await factCheck(page).getByRole('button', { name: 'Save fact-check' }).click();
  await expect(status(page)).toHaveText('Review saved: True');
  await page.keyboard.press('Escape');
  // The second claim is the article's own statement: its reporter is the claimant, typed with no page.
  await clickText(page, CLAIMS[1].text);
  await openForm(page, 'Fact-check (Checked: Mostly true)');
  await factCheck(page).getByLabel('Claimant (who made the claim)').fill('Staff reporter');
  await factCheck(page).getByRole('button', { name: 'Save fact-check' }).click();
  await expect(status(page)).toHaveText('Review saved: Mostly true');
  await page.keyboard.press('Escape');

  // ClaimReview out, through two validators.
  const file = await download(page, 'Download ClaimReview', testInfo, 'claimreview.jsonld');
  expect(file.name).toMatch(/^marginalia-britain-is-set-to-back-prosecuting-vladimir-putin.*\.claimreview\.jsonld$/);
  const reviews = JSON.parse(file.text);
  expect(reviews.map((r) => [r.claimReviewed, r.reviewRating.alternateName])).toEqual(CLAIMS.map((c) => [c.text, c.verdict]));
  const inQuote = reviews[2];
  expect(inQuote.itemReviewed.author).toEqual({ '@type': 'Person', name: 'Erik Mose' });
  expect(reviews[0].itemReviewed.author).toEqual({
    '@type': 'Person', name: 'Keir Starmer', jobTitle: 'Prime Minister', sameAs: 'https://www.wikidata.org/wiki/Q6383960',
  });
  expect(reviews[1].itemReviewed.author).toEqual({ '@type': 'Person', name: 'Staff reporter' });
  expect(reviews[0].url).toBe('https://checks.example/suggestions-that-a-new-court-should-deal-with-crimes-of');
  expect(reviews[1].itemReviewed.firstAppearance).toEqual({
    '@type': 'CreativeWork', url: 'https://news.example/2026/putin-tribunal', headline: 'Britain is set to back prosecuting Vladimir Putin',
    publisher: { '@type': 'Organization', name: 'The Example Post' }, datePublished: '2026-11-30',
  });
  expect(reviews[1].itemReviewed.datePublished, 'no claim date: the article\'s').toBe('2026-11-30');
  expect([inQuote.reviewRating.ratingValue, inQuote.reviewRating.bestRating, inQuote.reviewRating.worstRating]).toEqual([0, 5, 0]);
  expect(reviews[0].citation.map((c) => c.url)).toEqual(CLAIMS[0].sources.map((s) => s.url));
  expect(reviews[0].author).toEqual({ '@type': 'Person', name: 'Ana Ruiz' });
  const verdict = await validateClaimReview(reviews);
  console.log(`structured-data validators on the ClaimReview download:\n${JSON.stringify(verdict, null, 2)}`);
  console.log(`one ClaimReview object:\n${JSON.stringify(reviews[2], null, 2)}`);
  expect(verdict.found).toEqual({ adobe: 3, sdtt: 3 });
  // The Fact Check Markup Tool's pages: the same claims, valid against the API's schema.
  const markup = JSON.parse((await download(page, 'Download Fact Check Markup', testInfo, 'claimreview-markup.json')).text);
  console.log(`one ClaimReviewMarkupPage:\n${JSON.stringify(markup[0], null, 2)}`);
  expect(await validateMarkupPages(markup)).toEqual([]);
  expect(markup.map((p) => p.claimReviewMarkups[0].claimReviewed)).toEqual(CLAIMS.map((c) => c.text));
  expect(markup[0].claimReviewMarkups[0].claimAuthor).toEqual({ name: 'Keir Starmer', jobTitle: 'Prime Minister', sameAs: 'https://www.wikidata.org/wiki/Q6383960' });
  expect(markup[1].claimReviewMarkups[0].claimAuthor).toEqual({ name: 'Staff reporter' });
  expect(markup[2].claimReviewMarkups[0].claimAuthor).toEqual({ name: 'Erik Mose' });
  expect(markup.map((p) => p.pageUrl)).toEqual(reviews.map((r) => r.url));
  expect(verdict.adobe).toEqual([]);
  expect(verdict.sdtt.failed).toEqual([]);
  expect(verdict.sdtt.passed).toEqual(expect.arrayContaining(['ClaimReview', 'url', 'reviewRating', 'claimReviewed', 'author', 'datePublished', 'itemReviewed']));

  // The report: each claim in document order with its facts, the quote with its speaker; ordinary punctuation as written.
  const report = await download(page, 'Download report', testInfo, 'report.md');
  expect(report.name).toMatch(/\.md$/);
  const at = CLAIMS.map((c) => report.text.indexOf(`   - Explanation: ${c.explanation}\n`));
  expect(at.every((i) => i > 0) && at[0] < at[1] && at[1] < at[2], `report:\n${report.text}`).toBe(true);
  expect(report.text).toContain('     - [Council of Europe: the special tribunal](https://www.coe.int/en/web/portal/special-tribunal)');
  const markdown = fromMarkdown(report.text);
  const today = reviews[0].datePublished;
  expect(markdown.claims.map((c) => c.facts)).toEqual(
    CLAIMS.map((c, i) => ({
      Verdict: c.verdict,
      Status: 'Checked',
      // The claimant typed for the first claim, the quote's speaker for the third: as in ClaimReview.
      ...(i === 0 ? { 'Said by': 'Keir Starmer' } : {}),
      ...(i === 1 ? { 'Said by': 'Staff reporter' } : {}),
      ...(i === 2 ? { 'Said by': 'Erik Mose' } : {}),
      Reviewer: 'Ana Ruiz',
      'Reviewed on': today,
      Explanation: c.explanation,
    })),
  );
  expect(markdown.claims.map((c) => c.sources)).toEqual(CLAIMS.map((c) => c.sources.map((s) => ({ text: s.title || s.url, href: s.url }))));

  // The print view: a window of its own with the same report, fact for fact.
  const [view] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Print report' }).click()]);
  await expect(view.locator('h1')).toContainText('Fact-check report: Britain is set to back');
  await expect(view.locator('ol.claims > li')).toHaveCount(3);
  await expect(view.getByRole('link', { name: 'ICC: how the Court works' })).toHaveAttribute('href', CLAIMS[0].sources[1].url);
  await expect(view.locator('ol.quotes')).toContainText('Erik Mose, UN Commission of Inquiry on Ukraine');
  expect(await fromPrintView(view)).toEqual(markdown);
});

test('a host rating scale and organisation: handle exports, a stored verdict off the scale kept and said, bad options refused', async ({ page }) => {
  await page.goto('/examples/embed/index.html');
  const text = 'Flood plan\nThe barrier will cost £48 million, the council said.\n“It will hold,” said Amara Okafor.';
  const ratings = [
    { id: 'correct', label: 'Correct', value: 3 },
    { id: 'partly', label: 'Partly correct', value: 2 },
    { id: 'wrong', label: 'Wrong', value: 1 },
  ];
  const result = await page.evaluate(
    async ([text, ratings]) => {
      const { default: init, mount } = await import('/embed/marginalia.js');
      await init();
      const refused = [];
      for (const options of [
        { text, ratings: [{ id: 'only', label: 'Only', value: 1 }] },
        { text, ratings: [{ id: 'Bad Id', label: 'x', value: 1 }, { id: 'b', label: 'y', value: 2 }] },
        { text, organization: { name: ' ', url: 'https://desk.example' } },
        { text, organization: { name: 'Desk', url: 'javascript:alert(1)' } },
      ]) {
        const el = document.createElement('div');
        document.querySelector('main').append(el);
        try {
          mount(el, options).destroy();
          refused.push(null);
        } catch (e) {
          refused.push(String(e.message ?? e));
        }
        el.remove();
      }
      const el = document.createElement('div');
      el.id = 'desk';
      document.querySelector('main').append(el);
      const handle = mount(el, {
        text, documentId: 'flood-plan', ratings, organization: { name: 'Gazette Fact Desk', url: 'https://gazette.example/factcheck' },
        factCheckUrl: 'https://gazette.example/checks/{id}', article: { url: 'https://gazette.example/flood-plan', publisher: 'The Gazette' },
      });
      await handle.ready;
      window.desk = handle;
      const claim = (exact, verdict, status) => ({
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        type: 'Annotation',
        body: [
          { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
          { type: 'TextualBody', purpose: 'assessing', value: verdict },
          { type: 'TextualBody', purpose: 'classifying', value: status, creator: { type: 'Person', name: 'Ana' } },
        ],
        target: { source: 'x', selector: [{ type: 'TextQuoteSelector', exact }] },
      });
      const set = handle.setAnnotations([
        claim('The barrier will cost £48 million', 'Partly correct', 'checked'),
        claim('the council said', 'Half true', 'checked'),
      ]);
      return { refused, set: { accepted: set.accepted, refused: set.refused }, claimreview: handle.export('claimreview'), report: handle.export('report') };
    },
    [text, ratings],
  );
  expect(result.refused[0]).toContain('options.ratings: a rating scale needs at least two ratings');
  expect(result.refused[1]).toContain('options.ratings: rating 1');
  expect(result.refused[2]).toContain('options.organization');
  expect(result.refused[3]).toContain('options.organization');
  // An unknown rating on import is refused, with the scale's names.
  expect(result.set.accepted).toBe(1);
  expect(result.set.refused[0].reason).toContain('“Half true” is not on this rating scale');
  expect(result.claimreview).toHaveLength(1);
  const [review] = result.claimreview;
  expect(review.author).toEqual({ '@type': 'Organization', name: 'Gazette Fact Desk', url: 'https://gazette.example/factcheck' });
  expect(review.reviewRating).toEqual({ '@type': 'Rating', ratingValue: 2, bestRating: 3, worstRating: 1, alternateName: 'Partly correct' });
  const verdict = await validateClaimReview(result.claimreview);
  expect(verdict.adobe).toEqual([]);
  expect(verdict.sdtt.failed).toEqual([]);
  expect(fromMarkdown(result.report).claims.map((c) => [c.facts.Verdict, c.facts.Status])).toEqual([['Partly correct', 'Checked']]);

  // A verdict saved under another scale is kept, and the form says so.
  const key = 'marginalia:v1:doc:flood-plan';
  await expect.poll(() => page.evaluate((k) => localStorage.getItem(k) !== null, key)).toBe(true);
  // Written as one envelope, its log folded in (as an older save of it would be).
  const saved = await readSaved(page, key);
  saved.annotations[0].review.verdict = 'pants-on-fire';
  await page.evaluate(
    ([k, value]) => {
      localStorage.setItem(k, value);
      localStorage.removeItem(k.replace('marginalia:v1:doc:', 'marginalia:v1:log:'));
      window.desk.destroy();
    },
    [key, JSON.stringify(saved)],
  );
  await page.evaluate(
    async ([text, ratings]) => {
      const { mount } = await import('/embed/marginalia.js');
      window.desk = mount(document.querySelector('#desk'), { text, documentId: 'flood-plan', ratings });
    },
    [text, ratings],
  );
  await expect(page.locator('#desk .banner.error')).toHaveText(
    'Some claims have a verdict this site\'s rating scale does not have (“pants-on-fire”). They are kept as they are, and left out of ClaimReview until they are given a verdict from this scale.',
  );
  // Nothing left to publish: the export says why rather than give an empty list.
  const refusal = await page.evaluate(() => {
    try {
      return window.desk.export('claimreview');
    } catch (e) {
      return e.message;
    }
  });
  expect(refusal).toContain('not on this rating scale');
  await clickText(page, 'The barrier will cost', 0, '#desk');
  await page.locator('#desk').getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.locator('#desk').getByRole('form', { name: 'Fact-check' });
  await expect(form.getByLabel('Verdict')).toHaveValue('pants-on-fire');
  await expect(form).toContainText('The verdict “pants-on-fire” is not on this site\'s rating scale. It is kept until you choose another.');
  const kept = await page.evaluate(() => window.desk.export('w3c').first.items[0].body.find((b) => b.purpose === 'assessing'));
  expect(kept['schema:identifier']).toBe('pants-on-fire');
});

test('a quote the suggestions found offers their speaker; a verdict saved in a second tab is seen in the first', async ({ page, context }) => {
  await openFresh(page);
  const quote = '“We have rebuilt the engines and the crew is ready to sail,”';
  const claim = 'The ferry carried 12,400 passengers last summer';
  const article = ['Harbour ferry returns after winter repairs', `${quote} said Mara Lind, the harbour master.`, `${claim}, up 15% on the year before.`].join('\n');
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text (each line a paragraph)').fill(article);
  await page.getByRole('button', { name: 'Use this text' }).click();
  const suggestions = page.getByRole('region', { name: 'Suggestions' });
  await suggestions.getByRole('button', { name: 'Suggest' }).click();
  await suggestions.locator('li[data-tag="quote"]').getByRole('button', { name: 'Accept', exact: true }).click();
  await tagText(page, claim, 'Claim');
  await openViews(page);

  // Offered, not recorded: the speaker is saved only when the reader saves it.
  await clickText(page, 'We have rebuilt');
  await openForm(page, 'Who said it');
  const speaker = editor(page).getByRole('form', { name: 'Speaker' });
  await expect(speaker.getByLabel('Speaker')).toHaveValue('Mara Lind');
  await expect(speaker).toContainText('Found by the suggestions: check it, then save.');
  await expect(page.getByRole('heading', { name: 'No speaker yet (1)' })).toBeVisible();
  await speaker.getByRole('button', { name: 'Save speaker' }).click();
  await expect(status(page)).toHaveText('Quote attributed to Mara Lind');
  await expect(page.getByRole('heading', { name: 'Mara Lind (1)' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { name: 'No speaker yet (1)' })).toBeVisible();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByRole('heading', { name: 'Mara Lind (1)' })).toBeVisible();
  await page.keyboard.press('Escape');

  // A second tab of the same page: a verdict saved there reaches this one.
  const other = await context.newPage();
  await other.goto('/index.html');
  await expect(checkCounts(other)).toHaveText('To check: 1 · In progress: 0 · Checked: 0');
  await clickText(other, claim);
  await openForm(other, 'Fact-check');
  await fillCheck(other, { verdict: 'False', state: 'In progress', explanation: 'The port says 11,900.', sources: [{ url: 'https://port.example/2025', title: 'Port figures' }], name: 'Bo' });
  await expect(checkCounts(page)).toHaveText('To check: 0 · In progress: 1 · Checked: 0');
  await page.getByRole('button', { name: `Check claim: ${claim}` }).click();
  await expect(factCheck(page).getByLabel('Explanation')).toHaveValue('The port says 11,900.');
  await other.close();
  await page.reload();
  await expect(checkCounts(page)).toHaveText('To check: 0 · In progress: 1 · Checked: 0');
  // Not checked yet: nothing to publish, so no file, and the reader is told.
  await setArticleDetails(page, { url: 'https://port.example/news/tonnage', template: 'https://checks.example/{id}' });
  await page.getByRole('button', { name: 'Download ClaimReview' }).click();
  await expect(page.locator('.banner.error')).toHaveText(/No file written: Nothing is checked yet\./);
  // Marked Checked, the same claim is published, its reviewer the name given in the other tab.
  await clickText(page, claim);
  await openForm(page, 'Fact-check (In progress: False)');
  await factCheck(page).getByLabel('Status').selectOption({ label: 'Checked' });
  await factCheck(page).getByRole('button', { name: 'Save fact-check' }).click();
  await expect(status(page)).toHaveText('Review saved: False');
  await page.keyboard.press('Escape');
  const checked = JSON.parse((await download(page, 'Download ClaimReview', test.info(), 'checked.claimreview.jsonld')).text);
  expect(checked.map((r) => [r.claimReviewed, r.reviewRating.alternateName, r.author])).toEqual([
    [claim, 'False', { '@type': 'Person', name: 'Bo' }],
  ]);
  // The reviewer's name, asked once in the other tab, is kept in this browser.
  expect(await page.evaluate(() => localStorage.getItem('marginalia:v1:reviewer'))).toBe('Bo');
});
