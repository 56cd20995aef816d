// Runs real, maintained structured-data validators from npm on ClaimReview
// JSON-LD, as a search engine would read it from a page's
// <script type="application/ld+json">:
// - @adobe/structured-data-validator (Google rich-result rules: Rating in
//   range, Person and Organization names), over @marbec/web-auto-extractor;
// - structured-data-testing-tool's Google preset, whose ClaimReview schema
//   requires url, reviewRating and claimReviewed and warns without author,
//   datePublished and itemReviewed.
import AdobeValidator from '@adobe/structured-data-validator';
import WebAutoExtractor from '@marbec/web-auto-extractor';
import sdtt from 'structured-data-testing-tool';
import presets from 'structured-data-testing-tool/presets.js';

/** A page holding `jsonld` the way a fact-check site publishes it. */
const pageWith = (jsonld) =>
  `<!doctype html><html><head><title>Fact-check</title><script type="application/ld+json">${JSON.stringify(jsonld).replace(/</g, '\\u003c')}</script></head><body></body></html>`;

/**
 * Validates `jsonld` (an array of ClaimReview objects, or one). Gives both
 * validators' findings: `adobe` (issues, each with a severity) and
 * `sdtt` (`passed`, `failed`, `warnings`: test descriptions), plus the
 * ClaimReview objects each extractor found.
 */
export async function validateClaimReview(jsonld) {
  const html = pageWith(jsonld);
  const extracted = new WebAutoExtractor({ addLocation: true, embedSource: ['rdfa', 'microdata'] }).parse(html);
  const adobe = await new AdobeValidator().validate(extracted);
  let result;
  try {
    result = await sdtt.structuredDataTest(html, { presets: [presets.Google], schemas: ['ClaimReview'] });
  } catch (e) {
    // It rejects when a test fails, with the same result attached.
    if (!e.res) throw e;
    result = e.res;
  }
  const describe = (t) => `${t.description ?? t.test}${t.error ? `: ${t.error.message}` : ''}`;
  return {
    adobe: adobe.map(({ severity, issueMessage, path, fieldNames }) => ({ severity, issueMessage, path, fieldNames })),
    sdtt: {
      passed: result.passed.map(describe),
      failed: result.failed.map(describe),
      warnings: result.warnings.map(describe),
    },
    found: {
      adobe: extracted.jsonld.ClaimReview?.length ?? 0,
      sdtt: result.structuredData?.jsonld?.ClaimReview?.length ?? 0,
    },
  };
}

/**
 * Validates the Fact Check Markup Tool download (an array of
 * ClaimReviewMarkupPage) against claimreview-markup.schema.json with ajv:
 * the list of errors, empty when every page is valid.
 */
export async function validateMarkupPages(pages) {
  const { default: Ajv } = await import('ajv');
  const { default: addFormats } = await import('ajv-formats');
  const { readFileSync } = await import('node:fs');
  const schema = JSON.parse(readFileSync(new URL('./claimreview-markup.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!Array.isArray(pages) || pages.length === 0) return ['not a non-empty array of pages'];
  return pages.flatMap((page, i) => (validate(page) ? [] : validate.errors.map((e) => `page ${i}${e.instancePath}: ${e.message}`)));
}
