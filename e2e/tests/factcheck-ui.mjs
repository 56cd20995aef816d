// The fact-check UI as the tests drive it (the small popover, the docked
// editor's Fact-check form, the panel's views), shared by checking.spec.mjs (the reference article)
// and factcheck.spec.mjs (the project's own).
import { expect } from './fixtures.mjs';

export const popover = (page) => page.getByRole('dialog', { name: 'Edit highlight' });
export const editor = (page) => page.getByRole('dialog', { name: 'Edit annotation' });
export const factCheck = (page) => editor(page).getByRole('form', { name: 'Fact-check' });
export const status = (page) => page.getByRole('status');
export const checkCounts = (page) => page.getByTestId('check-counts');
export const NAME_FIELD = 'Your name (asked once, kept in this browser)';

/** The Edit button of the popover's first section tagged `tag` ("Claim", "Quote"): several highlights may share it. */
export function editOf(page, tag) {
  return popover(page)
    .locator('section')
    .filter({ has: page.locator('.tag-label', { hasText: new RegExp(`^${tag}$`, 'i') }) })
    .first()
    .getByRole('button', { name: 'Edit', exact: true });
}

/**
 * From the open popover, Edit (of its first claim for a fact-check, of its
 * first quote for a speaker): the editor opens, the popover closes, and
 * the form whose button has this exact label ("Fact-check", "Fact-check
 * (Checked: True)", "Who said it") is open in it.
 */
export async function openForm(page, name) {
  await editOf(page, name.startsWith('Fact-check') ? 'Claim' : 'Quote').click();
  await expect(editor(page)).toBeVisible();
  await expect(popover(page)).toBeHidden();
  await expect(editor(page).getByRole('button', { name, exact: true })).toHaveAttribute('aria-expanded', 'true');
}

/** Opens the closed "Claims to check" and "Quotes by speaker" views. */
export async function openViews(page) {
  for (const name of [/^Claims to check \(\d+\)$/, /^Quotes by speaker \(\d+\)$/]) {
    const button = page.getByRole('button', { name });
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
  }
}

/**
 * Fills the open popover's fact-check form (sources added one by one, the
 * reviewer's `name` typed when given), saves it, and waits for the status
 * line that says it was saved.
 */
export async function fillCheck(page, { verdict, state = 'Checked', explanation, sources = [], name }) {
  const form = factCheck(page);
  await form.getByLabel('Verdict').selectOption({ label: verdict ?? 'No verdict yet' });
  await form.getByLabel('Status').selectOption({ label: state });
  await form.getByLabel('Explanation').fill(explanation);
  for (const s of sources) {
    await form.getByLabel('Source address').fill(s.url);
    await form.getByLabel('Source title').fill(s.title);
    await form.getByRole('button', { name: 'Add source' }).click();
  }
  await expect(form.getByText(`Sources (${sources.length})`)).toBeVisible();
  if (name) await form.getByLabel(NAME_FIELD).fill(name);
  await form.getByRole('button', { name: 'Save fact-check' }).click();
  await expect(status(page)).toHaveText(`Review saved: ${verdict ?? state.toLowerCase()}`);
}

/**
 * Fills and saves the panel's Article details form: the article's address
 * (and title, publisher, date when given) and the fact-check address
 * template, which ClaimReview and the Markup Tool's pages need.
 */
export async function setArticleDetails(page, { url, template, title, publisher, published }) {
  const toggle = page.getByRole('button', { name: /^Article details/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const form = page.getByRole('form', { name: 'Article details' });
  await form.getByLabel('Article address').fill(url);
  if (title !== undefined) await form.getByLabel('Title').fill(title);
  if (publisher !== undefined) await form.getByLabel('Publisher').fill(publisher);
  if (published !== undefined) await form.getByLabel('Published on').fill(published);
  await form.getByLabel('Fact-check address').fill(template);
  await form.getByRole('button', { name: 'Save article details' }).click();
  await expect(status(page)).toHaveText('Article details saved');
}
