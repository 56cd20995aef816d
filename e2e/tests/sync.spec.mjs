// Shared work: two readers' browsers sync one article's annotations through
// a real CouchDB-compatible server (express-pouchdb, in memory), started
// here on 127.0.0.1 and stopped by its process id.
import { test as base, expect, clickText, openFresh, tagText, storyReady } from './fixtures.mjs';
import { startServer } from './sync-server.mjs';
import http from 'node:http';

const test = base.extend({
  server: async ({}, use) => {
    const server = await startServer();
    // Databases are made as admin: a non-admin PUT can crash this server.
    expect((await server.admin('PUT', '/desk')).status).toBe(201);
    await use(server);
    await server.stop();
  },
});

const SOURCE = 'urn:marginalia:document:gazette-flood-barrier-sync';
const w3c = (id, exact, tag) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:marginalia:annotation:${id}`,
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
  target: { source: SOURCE, selector: [{ type: 'TextQuoteSelector', exact }] },
});

async function reader(browser, server, prepare = async () => {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await prepare(page);
  await page.goto(`/examples/embed/sync.html?server=${encodeURIComponent(server.url)}&db=desk`);
  await storyReady(page);
  return { context, page };
}

const tagsOf = (page) =>
  page.evaluate(() =>
    window.marginaliaDemo.story
      .annotations()
      .map((a) => `${a.body.find((b) => b.purpose === 'tagging').value}: ${a.target.selector.find((s) => s.type === 'TextQuoteSelector').exact}`)
      .sort(),
  );
const add = (page, item) => page.evaluate((a) => window.marginaliaDemo.story.addAnnotation(a), item);
const status = (page) => page.locator('.sync-status').textContent();
const serverDocs = async (server) =>
  (await server.admin('GET', '/desk/_all_docs?include_docs=true&conflicts=true')).body.rows.filter((r) => r.id.startsWith('marginalia:'));

test('a reader offline keeps working; the changes wait, then reach the other reader', async ({ browser, server }) => {
  const a = await reader(browser, server);
  const b = await reader(browser, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await a.context.setOffline(true);
  await add(a.page, w3c('offline-1', 'flood barrier along the River Wendle', 'claim'));
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Offline · 1 change waiting');
  expect(await tagsOf(b.page)).toEqual([]);

  await a.context.setOffline(false);
  await expect.poll(() => tagsOf(b.page), { timeout: 20_000 }).toEqual(['claim: flood barrier along the River Wendle']);
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Synced');
  await a.context.close();
  await b.context.close();
});

test('a server that answers 500, then malformed JSON, is shown and retried; nothing is lost', async ({ browser, server }) => {
  const a = await reader(browser, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  let mode = 'error';
  await a.page.route(`${server.url}/desk/_bulk_docs`, (route) =>
    mode === 'error'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"boom","reason":"disk <b>on fire</b>"}' })
      : mode === 'garbage'
        ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"not json' })
        : route.continue(),
  );
  await add(a.page, w3c('later-1', 'Amara Okafor', 'quote'));
  await expect.poll(() => status(a.page), { timeout: 10_000 }).toBe('Sync: Server refused: 500 disk <b>on fire</b> · 1 change waiting');
  // The server's words are text, never markup.
  expect(await a.page.locator('.sync-status b').count()).toBe(0);
  mode = 'garbage';
  await expect.poll(() => status(a.page), { timeout: 10_000 }).toBe('Sync: Server refused: the reply is not JSON · 1 change waiting');
  mode = 'pass';
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Synced');
  await a.context.close();
});

test('the same annotation edited in both browsers ends as the later edit in both', async ({ browser, server }) => {
  const a = await reader(browser, server);
  const b = await reader(browser, server);
  await add(a.page, w3c('same-1', 'voted 31 to 9', 'claim'));
  await expect.poll(() => tagsOf(b.page), { timeout: 15_000 }).toEqual(['claim: voted 31 to 9']);
  await a.context.setOffline(true);
  const update = (page, tag) => page.evaluate((a) => window.marginaliaDemo.story.updateAnnotation(a), w3c('same-1', 'voted 31 to 9', tag));
  expect(await update(a.page, 'quote')).toMatchObject({ accepted: 1 });
  // B's edit is the later one.
  await b.page.waitForTimeout(20);
  expect(await update(b.page, 'caption')).toMatchObject({ accepted: 1 });
  await expect.poll(() => status(b.page), { timeout: 15_000 }).toBe('Sync: Synced');
  await a.context.setOffline(false);
  await expect.poll(() => tagsOf(a.page), { timeout: 20_000 }).toEqual(['caption: voted 31 to 9']);
  await expect.poll(() => tagsOf(b.page), { timeout: 20_000 }).toEqual(['caption: voted 31 to 9']);
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Synced');
  const docs = await serverDocs(server);
  expect(docs.map((r) => [r.doc.annotation.tag, !!r.doc._conflicts])).toEqual([['caption', false]]);
  await a.context.close();
  await b.context.close();
});

test('a note written on the server with markup arrives as plain text and never runs', async ({ browser, server }) => {
  const a = await reader(browser, server);
  await add(a.page, w3c('xss-1', 'Amara Okafor', 'quote'));
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 15_000 }).toBe(1);
  // Someone with write access to the database plants a payload.
  const [row] = await serverDocs(server);
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const doc = { ...row.doc, annotation: { ...row.doc.annotation, note: payload, updated: row.doc.annotation.updated + 1000 } };
  expect((await server.admin('PUT', `/desk/${encodeURIComponent(row.id)}`, doc)).status).toBe(201);
  const note = () => a.page.evaluate(() => window.marginaliaDemo.story.getAnnotation('xss-1')?.body.find((b) => b.purpose === 'commenting')?.value);
  await expect.poll(note, { timeout: 20_000 }).toBe(payload);
  await clickText(a.page, 'Amara Okafor', 0, '#story');
  await expect.poll(() => a.page.locator('textarea').first().inputValue()).toBe(payload);
  expect(await a.page.evaluate(() => window.pwned)).toBeUndefined();
  expect(await a.page.locator('img[src="x"]').count()).toBe(0);
  await a.context.close();
});

test('a reply too large to be a reader\'s work is refused and shown, and sync goes on', async ({ browser, server }) => {
  const a = await reader(browser, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  let huge = true;
  await a.page.route(new RegExp(`^${server.url}/desk/_changes`), (route) =>
    huge
      ? route.fulfill({ status: 200, contentType: 'application/json', body: `{"results":[],"pad":"${'x'.repeat(33 * 1024 * 1024)}"}` })
      : route.continue(),
  );
  await add(a.page, w3c('big-1', 'voted 31 to 9', 'claim'));
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toMatch(/^Sync: Server refused: the reply is larger than 32 MB/);
  huge = false;
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 15_000 }).toBe(1);
  await expect.poll(() => status(a.page), { timeout: 20_000 }).toBe('Sync: Synced');
  await a.context.close();
});

test('a reply that declares no length is read only up to the cap, then dropped', async ({ browser }) => {
  // A server that streams one endless chunked body, with no Content-Length.
  const cut = [];
  const endless = http.createServer((req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': req.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
    });
    res.write('{"results":[],"pad":"');
    const chunk = 'x'.repeat(1 << 20);
    let sent = 0;
    const more = () => {
      while (!res.destroyed && sent < 512 * (1 << 20)) {
        sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', more);
      }
      res.end('"}');
    };
    res.on('close', () => cut.push({ sent, finished: res.writableFinished }));
    more();
  });
  await new Promise((resolve) => endless.listen(0, '127.0.0.1', resolve));
  try {
    const a = await reader(browser, { url: `http://127.0.0.1:${endless.address().port}` });
    await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Server refused: the reply is larger than 32 MB');
    // The widget stopped the reply itself, far short of the 512 MB on offer.
    await expect.poll(() => cut.length).toBeGreaterThan(0);
    expect(cut[0].finished).toBe(false);
    // (32 MB read, and what the sockets and the browser buffered meanwhile.)
    expect(cut[0].sent).toBeLessThan(128 * (1 << 20));
    await a.context.close();
  } finally {
    await new Promise((resolve) => endless.close(resolve));
  }
});

test('1,000 annotations reach the other reader, each once', async ({ browser, server }) => {
  const a = await reader(browser, server);
  const b = await reader(browser, server);
  const words = ['voted 31 to 9', 'Amara Okafor', 'flood barrier', 'River Wendle', 'Millbridge gauge', '£12.6 million'];
  const items = Array.from({ length: 1000 }, (_, i) => w3c(`bulk-${i}`, words[i % words.length], ['claim', 'quote', 'caption'][i % 3]));
  const set = await a.page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), items);
  expect(set.accepted).toBe(1000);
  const count = (page) => page.evaluate(() => window.marginaliaDemo.story.annotations().length);
  await expect.poll(() => count(b.page), { timeout: 30_000 }).toBe(1000);
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Synced');
  const docs = await serverDocs(server);
  expect(docs.length).toBe(1000);
  expect(new Set(docs.map((r) => r.id)).size).toBe(1000);
  const ids = await b.page.evaluate(() => window.marginaliaDemo.story.annotations().map((x) => x.id));
  expect(new Set(ids).size).toBe(1000);
  await a.context.close();
  await b.context.close();
});

test('wrong credentials say "Sign-in needed" and are not retried in a loop', async ({ browser, server }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // An admin ends the admin party: unknown credentials are now refused.
  expect((await server.admin('PUT', '/_config/admins/admin', 'secret')).status).toBe(200);
  let asked = 0;
  page.on('request', (r) => r.url().startsWith(server.url) && asked++);
  await page.goto(`/examples/embed/sync.html?server=${encodeURIComponent(server.url)}&db=desk&user=nobody&password=wrong`);
  await storyReady(page);
  await expect.poll(() => status(page), { timeout: 10_000 }).toBe('Sync: Sign-in needed');
  const after = asked;
  await page.waitForTimeout(3000);
  expect(asked).toBe(after);
  await context.close();
});

test('the page\'s Sync dialog starts syncing, keeps the settings but not an unremembered password', async ({ page, server }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Sync with a server…' }).click();
  await page.getByLabel('Server', { exact: true }).fill(server.url);
  await page.getByLabel('Database', { exact: true }).fill('desk');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Sync: Synced');
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 15_000 }).toBe(1);
  // A reload syncs again with the settings kept.
  await page.reload();
  await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Sync: Synced');

  // A name and a password, not remembered: never in storage, asked again.
  const user = await server.admin('PUT', '/_users/org.couchdb.user:ana', { name: 'ana', password: 's3cret-pw', roles: [], type: 'user' });
  expect(user.status).toBe(201);
  await page.getByRole('button', { name: 'Sync settings' }).click();
  await page.getByLabel('Name (blank: the server\'s sign-in cookie)').fill('ana');
  await page.getByLabel('Password', { exact: true }).fill('s3cret-pw');
  // The password with every request this time, not a session.
  await page.getByLabel(/^Sign in once/).uncheck();
  await page.getByRole('button', { name: 'Sync with these' }).click();
  await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Sync: Synced');
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  expect(stored).not.toContain('s3cret-pw');
  await page.reload();
  await expect(page.getByText('Sign in again to sync: the password was not kept.')).toBeVisible();
  expect(await page.locator('.sync-status').count()).toBe(0);
});

test('signing in to a session: the password is sent once, the cookie signs the rest, and stopping signs out', async ({ browser, server }) => {
  // Its own context: the refused sign-in below is a 401 the console logs.
  const context = await browser.newContext();
  const page = await context.newPage();
  // The desk: one member, and the admin party ended.
  const user = { name: 'ana', password: 's3cret-pw', roles: [], type: 'user' };
  expect((await server.admin('PUT', '/_users/org.couchdb.user:ana', user)).status).toBe(201);
  expect((await server.admin('PUT', '/desk/_security', { admins: { names: [], roles: [] }, members: { names: ['ana'], roles: [] } })).status).toBe(200);
  expect((await server.admin('PUT', '/_config/admins/admin', 'secret')).status).toBe(200);
  const asAdmin = async () => (await server.admin('GET', '/desk/_all_docs', undefined, 'admin:secret')).body.rows;
  const signed = [];
  page.on('request', (r) => r.url().startsWith(server.url) && signed.push([r.url(), r.headers().authorization ?? null]));

  await openFresh(page);
  await page.getByRole('button', { name: 'Sync with a server…' }).click();
  await page.getByLabel('Server', { exact: true }).fill(server.url);
  await page.getByLabel('Database', { exact: true }).fill('desk');
  await page.getByLabel('Name (blank: the server\'s sign-in cookie)').fill('ana');
  await page.getByLabel('Password', { exact: true }).fill('wrong');
  await expect(page.getByLabel(/^Sign in once/)).toBeChecked();
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The server did not accept this name and password.' })).toBeVisible();
  expect(await page.locator('.sync-status').count()).toBe(0);
  // What was typed stays, to correct the password only.
  await expect(page.getByLabel('Server', { exact: true })).toHaveValue(server.url);
  await expect(page.getByLabel('Name (blank: the server\'s sign-in cookie)')).toHaveValue('ana');

  await page.getByLabel('Password', { exact: true }).fill('s3cret-pw');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Sync: Synced');
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await asAdmin()).filter((r) => r.id.startsWith('marginalia:')).length, { timeout: 15_000 }).toBe(1);
  // No request carried the password: the cookie signed them.
  expect(signed.length).toBeGreaterThan(3);
  expect(signed.filter(([, auth]) => auth !== null)).toEqual([]);
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  expect(stored).not.toContain('s3cret-pw');
  expect((await page.context().cookies()).map((c) => c.name)).toContain('AuthSession');

  // A reload syncs on with the cookie; nothing is asked.
  await page.reload();
  await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Sync: Synced');
  // Stopping signs out: the server forgets the cookie.
  await page.getByRole('button', { name: 'Sync settings' }).click();
  await page.getByRole('button', { name: 'Stop syncing' }).click();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).not.toContain('AuthSession');
  expect(await page.locator('.sync-status').count()).toBe(0);
  await context.close();
});

test('two readers edit one article and both converge, with nothing duplicated', async ({ browser, server }) => {
  const a = await reader(browser, server);
  const b = await reader(browser, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');

  await add(a.page, w3c('a-1', 'voted 31 to 9', 'claim'));
  await add(b.page, w3c('b-1', 'Amara Okafor', 'quote'));
  const both = ['claim: voted 31 to 9', 'quote: Amara Okafor'];
  await expect.poll(() => tagsOf(a.page), { timeout: 15_000 }).toEqual(both);
  await expect.poll(() => tagsOf(b.page), { timeout: 15_000 }).toEqual(both);
  await expect.poll(() => status(b.page)).toBe('Sync: Synced');

  const docs = await serverDocs(server);
  expect(docs.length).toBe(2);
  expect(docs.every((r) => !r.doc._conflicts)).toBe(true);

  // A deletion travels too, and stays deleted.
  await a.page.evaluate(() => window.marginaliaDemo.story.removeAnnotation('urn:marginalia:annotation:a-1'));
  await expect.poll(() => tagsOf(b.page), { timeout: 15_000 }).toEqual(['quote: Amara Okafor']);
  await a.context.close();
  await b.context.close();
});

test('the server restarts empty mid-sync: both readers send everything again and converge', async ({ browser, server }) => {
  const a = await reader(browser, server);
  const b = await reader(browser, server);
  await add(a.page, w3c('r-a', 'voted 31 to 9', 'claim'));
  await add(b.page, w3c('r-b', 'Amara Okafor', 'quote'));
  await expect.poll(() => tagsOf(a.page), { timeout: 15_000 }).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);
  await expect.poll(() => tagsOf(b.page), { timeout: 15_000 }).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);

  await server.stop();
  await add(a.page, w3c('r-a2', 'River Wendle', 'caption'));
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Offline · 1 change waiting');
  // A new server at the address, with nothing of what the old one held.
  await server.restart();
  expect((await server.admin('PUT', '/desk')).status).toBe(201);
  const all = ['caption: River Wendle', 'claim: voted 31 to 9', 'quote: Amara Okafor'];
  await expect.poll(() => tagsOf(b.page), { timeout: 40_000 }).toEqual(all);
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 40_000 }).toBe(3);
  await expect.poll(() => status(a.page), { timeout: 40_000 }).toBe('Sync: Synced');
  await expect.poll(() => status(b.page), { timeout: 40_000 }).toBe('Sync: Synced');
  expect(await tagsOf(a.page)).toEqual(all);
  expect((await serverDocs(server)).every((r) => !r.doc._conflicts)).toBe(true);
  await a.context.close();
  await b.context.close();
});

test('an edit made while a pull reply is arriving is still sent', async ({ browser, server }) => {
  // A's first longpoll answer (B's change, from the real server) is held
  // back, and handed over just as A makes an edit of its own: the reply is
  // then taken in before A's edit is saved.
  let held;
  const arrived = new Promise((resolve) => { held = resolve; });
  const a = await reader(browser, server, (page) =>
    page.route(/\/desk\/_changes\?feed=longpoll/, async (route) => held({ route, response: await route.fetch() }), { times: 1 }),
  );
  const b = await reader(browser, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await add(b.page, w3c('race-b', 'Amara Okafor', 'quote'));
  const { route, response } = await arrived;
  await Promise.all([add(a.page, w3c('race-a', 'voted 31 to 9', 'claim')), route.fulfill({ response })]);
  const both = ['claim: voted 31 to 9', 'quote: Amara Okafor'];
  await expect.poll(() => tagsOf(b.page), { timeout: 15_000 }).toEqual(both);
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: 15_000 }).toBe(2);
  await expect.poll(() => status(a.page), { timeout: 15_000 }).toBe('Sync: Synced');
  await a.context.close();
  await b.context.close();
});
