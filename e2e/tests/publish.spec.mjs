// Publishing fact-checks from a news site's own page (issue 27): the
// article's address, title, publisher and date are read from the page's
// metadata (canonical link and Open Graph before JSON-LD), with no form
// filled; each check's address comes from the factCheckUrl template; both
// published formats pass their validators; a missing part is said, by
// claim, and nothing is written for it; bad options are refused at mount.
import { test, expect, openFresh } from './fixtures.mjs';
import { validateClaimReview, validateMarkupPages } from './structured-data.mjs';
import { setArticleDetails } from './factcheck-ui.mjs';

const PAGE = '/news/harbour-plan.html';
const HEAD = `
  <link rel="canonical" href="https://harbour.example/news/plan">
  <meta property="og:url" content="https://harbour.example/og-address">
  <meta property="og:title" content="Harbour plan approved">
  <meta property="og:site_name" content="The Harbour Times">
  <meta property="article:published_time" content="2026-11-28T08:00:00Z">
  <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"JSON-LD headline",
    "url":"https://harbour.example/ld-address","datePublished":"2026-11-01","publisher":{"@type":"Organization","name":"LD Press"}}</script>`;
const ARTICLE = `<h1>Harbour plan approved</h1>
  <p>The council said the <a href="#report">new report</a> was clear. Work starts in May.</p>`;

/** A claim checked elsewhere, as a W3C annotation. */
const CHECKED = {
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  type: 'Annotation',
  body: [
    { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
    { type: 'TextualBody', purpose: 'assessing', value: 'False' },
    { type: 'TextualBody', purpose: 'describing', value: 'The contract says June.' },
    { type: 'TextualBody', purpose: 'classifying', value: 'checked', creator: { type: 'Person', name: 'Ana' } },
  ],
  target: { source: 'x', selector: [{ type: 'TextQuoteSelector', exact: 'Work starts in May' }] },
};

/** Serves the news page with its metadata, mounting the widget in place with `options` (JSON). */
async function serve(page, options) {
  await page.route(`**${PAGE}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour</title><link rel="icon" href="data:,">${HEAD}</head>
<body><main><article id="host">${ARTICLE}</article></main>
<script type="module">
  import init, { mount } from '/embed/marginalia.js';
  await init();
  try {
    window.handle = mount(document.getElementById('host'), ${options});
    await window.handle.ready;
    window.handle.setAnnotations([${JSON.stringify(CHECKED)}]);
  } catch (e) {
    window.refused = e.message;
  }
  window.mounted = true;
</script></body></html>`,
    }),
  );
  await page.goto(PAGE);
  await page.waitForFunction(() => window.mounted);
}

/** The handle's export in `format`, or the message it refused with. */
const exported = (page, format) =>
  page.evaluate((format) => {
    try {
      return { value: window.handle.export(format) };
    } catch (e) {
      return { refused: e.message };
    }
  }, format);

test('on a news page: ClaimReview and the Markup Tool pages name the page\'s own article and the check\'s address, with no form filled, and pass their validators', async ({ page }) => {
  await serve(page, `{ factCheckUrl: 'https://harbour.example/checks/{slug}' }`);
  const { value: reviews } = await exported(page, 'claimreview');
  expect(reviews).toHaveLength(1);
  const [review] = reviews;
  expect(review.url).toBe('https://harbour.example/checks/work-starts-in-may');
  // Canonical before og:url before JSON-LD; Open Graph's title, site name and time before JSON-LD's.
  const article = {
    '@type': 'CreativeWork',
    url: 'https://harbour.example/news/plan',
    headline: 'Harbour plan approved',
    publisher: { '@type': 'Organization', name: 'The Harbour Times' },
    datePublished: '2026-11-28',
  };
  expect(review.itemReviewed).toEqual({ '@type': 'Claim', appearance: article, firstAppearance: article, datePublished: '2026-11-28' });
  const verdict = await validateClaimReview(reviews);
  console.log(`validators on the news page's ClaimReview:\n${JSON.stringify(verdict, null, 2)}`);
  expect(verdict.found).toEqual({ adobe: 1, sdtt: 1 });
  expect(verdict.adobe).toEqual([]);
  expect(verdict.sdtt.failed).toEqual([]);

  const { value: pages } = await exported(page, 'claimreview-markup');
  expect(await validateMarkupPages(pages)).toEqual([]);
  expect(pages[0].pageUrl).toBe(review.url);
  expect(pages[0].claimReviewMarkups[0]).toMatchObject({
    claimReviewed: 'Work starts in May',
    claimFirstAppearance: 'https://harbour.example/news/plan',
    claimDate: '2026-11-28',
    rating: { textualRating: 'False', ratingExplanation: 'The contract says June.' },
  });
});

test('the article option wins over the page\'s metadata, field by field', async ({ page }) => {
  await serve(page, `{ factCheckUrl: 'https://harbour.example/checks/{id}', article: { publisher: 'Harbour Fact Desk', published: '2026-11-29' } }`);
  const { value: [review] } = await exported(page, 'claimreview');
  expect(review.itemReviewed.firstAppearance).toEqual({
    '@type': 'CreativeWork',
    url: 'https://harbour.example/news/plan',
    headline: 'Harbour plan approved',
    publisher: { '@type': 'Organization', name: 'Harbour Fact Desk' },
    datePublished: '2026-11-29',
  });
});

test('no fact-check address: the export names the claim and what it lacks, and gives nothing', async ({ page }) => {
  await serve(page, '{}');
  for (const format of ['claimreview', 'claimreview-markup']) {
    const { refused, value } = await exported(page, format);
    expect(value, format).toBeUndefined();
    expect(refused).toBe('1 checked claim(s) not published: “Work starts in May”: no fact-check address (the factCheckUrl option, or Fact-check address).');
  }
});

for (const [options, message] of [
  [`{ factCheckUrl: 'https://harbour.example/checks/' }`, 'options.factCheckUrl: "https://harbour.example/checks/" has neither {id} nor {slug}'],
  [`{ factCheckUrl: '/checks/{id}' }`, 'options.factCheckUrl: "/checks/{id}" is not a web address'],
  [`{ article: { url: 'harbour.example/plan' } }`, 'options.article: the article\'s address "harbour.example/plan" is not a web address'],
  [`{ article: { published: '28/11/2026' } }`, 'options.article: the date "28/11/2026" is not a date like 2026-11-30'],
]) {
  test(`mount refuses ${options}`, async ({ page }) => {
    await serve(page, options);
    expect(await page.evaluate(() => window.refused)).toContain(message);
  });
}

test('a saved news page opened as an .html file: its blocks become the article, scripts and markup stay out, and its metadata fills the Article details', async ({ page }) => {
  await openFresh(page);
  const html = `<!doctype html><html><head><title>Harbour</title>${HEAD}<script>window.ran = true;</script></head>
<body><nav><p>Home · Sport</p></nav><article>${ARTICLE}<ul><li><p>Boats <b>moved</b> at dawn.</p></li></ul>
<script>document.title = 'changed';</script><img src="x" onerror="window.ran = true"></article></body></html>`;
  await page.getByLabel('Open article').setInputFiles({ name: 'harbour.html', mimeType: 'text/html', buffer: Buffer.from(html) });
  await expect(page.locator('article [data-para]')).toHaveText([
    'Harbour plan approved',
    'The council said the new report was clear. Work starts in May.',
    'Boats moved at dawn.',
  ]);
  await expect(page.getByRole('status')).toHaveText('Opened “Harbour plan approved”, with its article details');
  expect(await page.evaluate(() => window.ran ?? false)).toBe(false);
  await page.getByRole('button', { name: /^Article details/ }).click();
  const form = page.getByRole('form', { name: 'Article details' });
  await expect(form.getByLabel('Article address')).toHaveValue('https://harbour.example/news/plan');
  await expect(form.getByLabel('Title')).toHaveValue('Harbour plan approved');
  await expect(form.getByLabel('Publisher')).toHaveValue('The Harbour Times');
  await expect(form.getByLabel('Published on')).toHaveValue('2026-11-28');
  // Kept with the article: a reload shows them again.
  await page.reload();
  await page.getByRole('button', { name: /^Article details/ }).click();
  await expect(page.getByRole('form', { name: 'Article details' }).getByLabel('Article address')).toHaveValue('https://harbour.example/news/plan');
});

test('Article details saved in one tab are used by another at once; a damaged saved value is said, not silently dropped', async ({ page, context }) => {
  await openFresh(page);
  const other = await context.newPage();
  await other.goto('/index.html');
  await expect(other.locator('article [data-para]').first()).toBeVisible();
  await other.getByRole('button', { name: /^Article details/ }).click();
  await setArticleDetails(page, { url: 'https://news.example/flood', template: 'https://checks.example/{id}' });
  // The other tab hears the storage event and shows what this one saved.
  const there = other.getByRole('form', { name: 'Article details' });
  await expect(there.getByLabel('Article address')).toHaveValue('https://news.example/flood');
  await expect(there.getByLabel('Fact-check address')).toHaveValue('https://checks.example/{id}');
  await other.close();
  // A damaged value under this article's details key is said on the next load.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('marginalia:v1:details:'));
    localStorage.setItem(key, '{not json');
  });
  await page.reload();
  await expect(page.locator('.banner.error')).toContainText('The saved article details are damaged');
});
