// Shared work: two readers' browsers sync one article's annotations through
// a real CouchDB-compatible server (express-pouchdb, in memory), started
// here on 127.0.0.1 and stopped by its process id.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { test as base, expect, clickText, openFresh, tagText, storyReady, THROTTLE } from './fixtures.mjs';
import { startServer } from './sync-server.mjs';

const test = base.extend({
  server: async ({ browser }, use) => {
    // The database is there before the server takes a connection (and
    // again, empty, after `restart()`).
    const server = await startServer(0, { databases: ['desk'] });
    await use(server);
    // The readers close first: a request still open as the server stops
    // would fail, and the browser log it as an error of the test.
    for (const context of browser.contexts()) await context.close();
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

/**
 * A reader: a browser context of its own (made by the `newContext` fixture,
 * so watched and throttled like every page) on the sync demo. `prepare(page)`
 * runs before the page loads (a route, the clock); `user` and `password` are
 * basic credentials given as the `sync` option.
 */
async function reader(newContext, server, { prepare = async () => {}, user, password } = {}) {
  const context = await newContext();
  const page = await context.newPage();
  await prepare(page);
  const query = new URLSearchParams({ server: server.url, db: 'desk' });
  if (user) {
    query.set('user', user);
    query.set('password', password);
  }
  await page.goto(`/examples/embed/sync.html?${query}`);
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
const serverDocs = async (server, auth) =>
  (await server.admin('GET', '/desk/_all_docs?include_docs=true&conflicts=true', undefined, auth)).body.rows.filter((r) =>
    r.id.startsWith('marginalia:'),
  );

/**
 * The longest wait before a retry: README "Sharing", after 1 s, 2 s, 4 s …
 * up to 5 minutes, plus the widget's jitter of under a second.
 */
const LONGEST_BACKOFF_MS = 5 * 60_000 + 1_000;

/**
 * Counts, in the page, each request the widget starts to `server`, as
 * "METHOD /path". The clock runs each timer's microtasks before the next
 * timer, and the widget calls fetch from those, so a count read after
 * `page.clock.fastForward` includes every request its timers started. Call
 * before the page loads; gives a function that reads the list.
 */
async function countRequests(page, server) {
  await page.addInitScript((origin) => {
    const real = window.fetch;
    window.__serverRequests = [];
    window.fetch = function (input, init) {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(origin)) window.__serverRequests.push(`${init?.method ?? 'GET'} ${url.slice(origin.length)}`);
      return real.apply(this, arguments);
    };
  }, server.url);
  return () => page.evaluate(() => window.__serverRequests);
}

/** Chromium's console error for a request the network refused (offline, a server down). */
const netError = (code) => new RegExp(`: Failed to load resource: net::${code}$`);
/** Chromium's console error for a reply with an HTTP error status. */
const httpError = (code) => new RegExp(`: Failed to load resource: the server responded with a status of ${code} \\(`);

/**
 * The desk as README "Sharing" sets it up: its `validate_doc_update` (the
 * README's own code block), its `_security`, and users; then the admin
 * party ends (the admin is `admin:secret`).
 */
async function desk(server, { users = [], members = { names: [], roles: ['desk'] }, validate = false }) {
  for (const [name, roles] of users) {
    const user = { name, password: `${name}-pw`, roles, type: 'user' };
    expect((await server.admin('PUT', `/_users/org.couchdb.user:${name}`, user)).status).toBe(201);
  }
  const security = { admins: { names: [], roles: ['desk-admins'] }, members };
  expect((await server.admin('PUT', '/desk/_security', security)).status).toBe(200);
  if (validate) {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const code = readme.match(/```js\n(function \(newDoc, oldDoc, userCtx\) \{[\s\S]*?\n\})\n```/)[1];
    expect((await server.admin('PUT', '/desk/_design/desk', { validate_doc_update: code })).status).toBe(201);
  }
  expect((await server.admin('PUT', '/_config/admins/admin', 'secret')).status).toBe(200);
}

/**
 * How long a poll may wait for a reader's next try and what follows it,
 * when its requests have failed since `since` (a Date.now()): the waits
 * double from 1 s, each with under 1 s of jitter, so each is at most all
 * the waits before it and 2 s more, and the try due now comes within the
 * time failed so far and 2 s. Then `then` ms (expect's own timeout) for
 * the exchange itself.
 */
const retryWithin = (since, then = 5_000 * THROTTLE) => Date.now() - since + 2_000 + then;

/** The timeout of a test that waits on retries: room for its polls' `retryWithin`. */
const WITH_RETRIES = 60_000 * THROTTLE;

/**
 * Fires, once, every timer the page's clock holds (installed before the
 * page loaded), as if the longest backoff had passed: any retry the widget
 * set would be sent now. Timers set meanwhile (a new request's deadline)
 * are not run.
 */
const pastEveryRetry = (page) => page.clock.fastForward(LONGEST_BACKOFF_MS);

test('a reader offline keeps working; the changes wait, then reach the other reader', async ({ newContext, server, watch }) => {
  test.setTimeout(WITH_RETRIES);
  // A's requests while its network is off.
  watch.allow(netError('ERR_INTERNET_DISCONNECTED'));
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await a.context.setOffline(true);
  const offline = Date.now();
  await add(a.page, w3c('offline-1', 'flood barrier along the River Wendle', 'claim'));
  await expect.poll(() => status(a.page)).toBe('Sync: Offline · 1 change waiting');
  // The change is still waiting in A, so B cannot have it.
  expect(await tagsOf(b.page)).toEqual([]);

  await a.context.setOffline(false);
  // A's next try sends it, and B's longpoll hears of it.
  await expect.poll(() => tagsOf(b.page), { timeout: retryWithin(offline) }).toEqual(['claim: flood barrier along the River Wendle']);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
});

test('a server that answers 500, then malformed JSON, is shown and retried; nothing is lost', async ({ newContext, server, watch }) => {
  test.setTimeout(WITH_RETRIES);
  // The 500 the route below answers.
  watch.allow(httpError(500));
  const a = await reader(newContext, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  let mode = 'error';
  await a.page.route(`${server.url}/desk/_bulk_docs`, (route) =>
    mode === 'error'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"boom","reason":"disk <b>on fire</b>"}' })
      : mode === 'garbage'
        ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"not json' })
        : route.continue(),
  );
  const failing = Date.now();
  await add(a.page, w3c('later-1', 'Amara Okafor', 'quote'));
  await expect.poll(() => status(a.page)).toBe('Sync: Server refused: 500 disk <b>on fire</b> · 1 change waiting');
  // The server's words are text, never markup.
  expect(await a.page.locator('.sync-status b').count()).toBe(0);
  // Retried: the next answer is shown in its turn.
  mode = 'garbage';
  await expect
    .poll(() => status(a.page), { timeout: retryWithin(failing) })
    .toBe('Sync: Server refused: the reply is not JSON · 1 change waiting');
  mode = 'pass';
  await expect.poll(async () => (await serverDocs(server)).length, { timeout: retryWithin(failing) }).toBe(1);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
});

test('the same annotation edited in both browsers ends as the later edit in both', async ({ newContext, server, watch }) => {
  test.setTimeout(WITH_RETRIES);
  // A's requests while its network is off.
  watch.allow(netError('ERR_INTERNET_DISCONNECTED'));
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  await add(a.page, w3c('same-1', 'voted 31 to 9', 'claim'));
  await expect.poll(() => tagsOf(b.page)).toEqual(['claim: voted 31 to 9']);
  await a.context.setOffline(true);
  const offline = Date.now();
  const update = (page, tag) => page.evaluate((a) => window.marginaliaDemo.story.updateAnnotation(a), w3c('same-1', 'voted 31 to 9', tag));
  expect(await update(a.page, 'quote')).toMatchObject({ accepted: 1 });
  // B's edit is the later one: made once B's clock is past A's edit.
  const aEdited = await a.page.evaluate(() => Date.parse(window.marginaliaDemo.story.getAnnotation('same-1').modified));
  await b.page.waitForFunction((t) => Date.now() > t, aEdited);
  expect(await update(b.page, 'caption')).toMatchObject({ accepted: 1 });
  expect(await b.page.evaluate(() => Date.parse(window.marginaliaDemo.story.getAnnotation('same-1').modified))).toBeGreaterThan(aEdited);
  await expect.poll(() => status(b.page)).toBe('Sync: Synced');
  await a.context.setOffline(false);
  // A's next try meets B's later edit on the server, and takes it.
  await expect.poll(() => tagsOf(a.page), { timeout: retryWithin(offline) }).toEqual(['caption: voted 31 to 9']);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  expect(await tagsOf(b.page)).toEqual(['caption: voted 31 to 9']);
  const docs = await serverDocs(server);
  expect(docs.map((r) => [r.doc.annotation.tag, !!r.doc._conflicts])).toEqual([['caption', false]]);
});

// Issue 29: the two readers change different parts of one annotation while
// one is offline; once it is back, both readers hold both changes.
test('different parts of one annotation edited in both browsers are both kept', async ({ newContext, server, watch }) => {
  test.setTimeout(WITH_RETRIES);
  watch.allow(netError('ERR_INTERNET_DISCONNECTED'));
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  await add(a.page, w3c('parts-1', 'voted 31 to 9', 'claim'));
  await expect.poll(() => tagsOf(b.page)).toEqual(['claim: voted 31 to 9']);
  await a.context.setOffline(true);
  const offline = Date.now();
  // A writes a note, offline; B makes it a quote.
  const noted = { ...w3c('parts-1', 'voted 31 to 9', 'claim') };
  noted.body = [...noted.body, { type: 'TextualBody', purpose: 'commenting', value: 'Ask the clerk' }];
  expect(await a.page.evaluate((x) => window.marginaliaDemo.story.updateAnnotation(x), noted)).toMatchObject({ accepted: 1 });
  expect(await b.page.evaluate((x) => window.marginaliaDemo.story.updateAnnotation(x), w3c('parts-1', 'voted 31 to 9', 'quote'))).toMatchObject({
    accepted: 1,
  });
  await expect.poll(() => status(b.page)).toBe('Sync: Synced');
  await a.context.setOffline(false);
  const notes = (page) =>
    page.evaluate(() => window.marginaliaDemo.story.annotations().map((x) => x.body.find((y) => y.purpose === 'commenting')?.value ?? ''));
  await expect.poll(() => tagsOf(a.page), { timeout: retryWithin(offline) }).toEqual(['quote: voted 31 to 9']);
  await expect.poll(() => notes(a.page)).toEqual(['Ask the clerk']);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await expect.poll(() => tagsOf(b.page)).toEqual(['quote: voted 31 to 9']);
  await expect.poll(() => notes(b.page)).toEqual(['Ask the clerk']);
  const docs = await serverDocs(server);
  expect(docs.map((r) => [r.doc.annotation.tag, r.doc.annotation.note, !!r.doc._conflicts])).toEqual([['quote', 'Ask the clerk', false]]);
});

test('a note written on the server with markup arrives as plain text and never runs', async ({ newContext, server }) => {
  const a = await reader(newContext, server);
  await add(a.page, w3c('xss-1', 'Amara Okafor', 'quote'));
  await expect.poll(async () => (await serverDocs(server)).length).toBe(1);
  // Someone with write access to the database plants a payload.
  const [row] = await serverDocs(server);
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const doc = { ...row.doc, annotation: { ...row.doc.annotation, note: payload, updated: row.doc.annotation.updated + 1000 } };
  expect((await server.admin('PUT', `/desk/${encodeURIComponent(row.id)}`, doc)).status).toBe(201);
  const note = () => a.page.evaluate(() => window.marginaliaDemo.story.getAnnotation('xss-1')?.body.find((b) => b.purpose === 'commenting')?.value);
  // A's longpoll answers with the change at once.
  await expect.poll(note).toBe(payload);
  await clickText(a.page, 'Amara Okafor', 0, '#story');
  await a.page.getByRole('dialog', { name: 'Edit highlight' }).getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(a.page.getByRole('dialog', { name: 'Edit annotation' }).getByRole('textbox', { name: 'Note' })).toHaveValue(payload);
  await expect(a.page.getByRole('dialog', { name: 'Edit highlight' })).toBeHidden();
  expect(await a.page.evaluate(() => window.pwned)).toBeUndefined();
  expect(await a.page.locator('img[src="x"]').count()).toBe(0);
});

test('a reply too large to be a reader\'s work is refused and shown, and sync goes on', async ({ newContext, server }) => {
  test.setTimeout(WITH_RETRIES);
  const a = await reader(newContext, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  let huge = true;
  await a.page.route(new RegExp(`^${server.url}/desk/_changes`), (route) =>
    huge
      ? route.fulfill({ status: 200, contentType: 'application/json', body: `{"results":[],"pad":"${'x'.repeat(33 * 1024 * 1024)}"}` })
      : route.continue(),
  );
  // The push wakes A's longpoll; the pull after it gets the route's reply.
  const failing = Date.now();
  await add(a.page, w3c('big-1', 'voted 31 to 9', 'claim'));
  await expect.poll(() => status(a.page)).toMatch(/^Sync: Server refused: the reply is larger than 32 MB/);
  huge = false;
  await expect.poll(async () => (await serverDocs(server)).length).toBe(1);
  // The next try pulls the real reply.
  await expect.poll(() => status(a.page), { timeout: retryWithin(failing) }).toBe('Sync: Synced');
});

test('a reply that declares no length is read only up to the cap, then dropped', async ({ newContext }) => {
  // A server that streams one endless chunked body, with no Content-Length.
  const cut = [];
  const endless = http.createServer((req, res) => {
    const cors = {
      'Access-Control-Allow-Origin': req.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
    };
    // The widget's first request (its checkpoint, a PUT) is preflighted.
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, PUT, POST', 'Access-Control-Allow-Headers': 'Content-Type, Accept' });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'application/json', ...cors });
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
    const a = await reader(newContext, { url: `http://127.0.0.1:${endless.address().port}` });
    await expect.poll(() => status(a.page)).toBe('Sync: Server refused: the reply is larger than 32 MB');
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

test('1,000 annotations reach the other reader, each once', async ({ newContext, server }) => {
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  const words = ['voted 31 to 9', 'Amara Okafor', 'flood barrier', 'River Wendle', 'Millbridge gauge', '£12.6 million'];
  const items = Array.from({ length: 1000 }, (_, i) => w3c(`bulk-${i}`, words[i % words.length], ['claim', 'quote', 'caption'][i % 3]));
  const set = await a.page.evaluate((list) => window.marginaliaDemo.story.setAnnotations(list), items);
  expect(set.accepted).toBe(1000);
  const count = (page) => page.evaluate(() => window.marginaliaDemo.story.annotations().length);
  // Two pushes of 500 and B's pulls: 2.2–2.3 s here on a loaded 2-core
  // machine (2.4–3.7 s with the CPU slowed fourfold), so four times that.
  await expect.poll(() => count(b.page), { timeout: 10_000 * THROTTLE }).toBe(1000);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  const docs = await serverDocs(server);
  expect(docs.length).toBe(1000);
  expect(new Set(docs.map((r) => r.id)).size).toBe(1000);
  const ids = await b.page.evaluate(() => window.marginaliaDemo.story.annotations().map((x) => x.id));
  expect(new Set(ids).size).toBe(1000);
});

test('wrong credentials say "Sign-in needed" and are not retried in a loop', async ({ newContext, server, watch }) => {
  // An admin ends the admin party: unknown credentials are now refused.
  expect((await server.admin('PUT', '/_config/admins/admin', 'secret')).status).toBe(200);
  // The server's refusal of the credentials.
  watch.allow(httpError(401));
  let requests;
  const { page } = await reader(newContext, server, {
    user: 'nobody',
    password: 'wrong',
    prepare: async (page) => {
      await page.clock.install();
      requests = await countRequests(page, server);
    },
  });
  await expect.poll(() => status(page)).toBe('Sync: Sign-in needed');
  const asked = await requests();
  // The first request (the checkpoint document, written before anything is
  // pushed or pulled) is refused, and nothing follows it.
  expect(asked).toEqual([expect.stringMatching(/^PUT \/desk\/_local\//)]);
  // Every timer the widget could have set for a retry runs: none sends anything.
  await pastEveryRetry(page);
  expect(await requests()).toEqual(asked);
  expect(await status(page)).toBe('Sync: Sign-in needed');
});

test('a write the server\'s validate_doc_update refuses is shown in its words, kept here, and not retried in a loop', async ({ newContext, server }) => {
  // README's desk: members by the 'desk' role, and the README's validation.
  // An intern may read the desk's work (a member by name) but lacks the role.
  await desk(server, { users: [['ana', ['desk']], ['intern', []]], members: { names: ['intern'], roles: ['desk'] }, validate: true });
  const asAdmin = () => serverDocs(server, 'admin:secret');
  let requests;
  const intern = await reader(newContext, server, {
    user: 'intern',
    password: 'intern-pw',
    prepare: async (page) => {
      await page.clock.install();
      requests = await countRequests(page, server);
    },
  });
  const ana = await reader(newContext, server, { user: 'ana', password: 'ana-pw' });
  await expect.poll(() => status(intern.page)).toBe('Sync: Synced');
  await expect.poll(() => status(ana.page)).toBe('Sync: Synced');
  const pushes = async () => (await requests()).filter((r) => r === 'POST /desk/_bulk_docs').length;

  // The intern tags a claim with the mouse.
  await tagText(intern.page, 'voted 31 to 9', 'Claim', 0, '#story', 'body');
  const [made] = await intern.page.evaluate(() => window.marginaliaDemo.story.annotations().map((a) => a.id));
  const id = made.replace('urn:marginalia:annotation:', '');
  const refused = `Sync: Server refused: ${id}: forbidden Only the desk may annotate.`;
  await expect.poll(() => status(intern.page)).toBe(refused);
  expect(await pushes()).toBe(1);
  expect(await asAdmin()).toEqual([]);
  // Every timer the widget could have set for a retry runs: no push again.
  await pastEveryRetry(intern.page);
  expect(await pushes()).toBe(1);
  expect(await status(intern.page)).toBe(refused);

  // The desk's own writes pass the same validation, and reach the intern.
  await add(ana.page, w3c('desk-1', 'Amara Okafor', 'quote'));
  await expect.poll(async () => (await asAdmin()).map((r) => r.doc.annotation.tag)).toEqual(['quote']);
  await expect.poll(() => tagsOf(intern.page)).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);
  expect(await status(intern.page)).toBe(refused);

  // Kept here: after a reload the claim is still the intern's, sent once
  // more (the server is not known to hold it), refused once more.
  await intern.page.reload();
  await storyReady(intern.page);
  expect(await tagsOf(intern.page)).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);
  await expect.poll(() => status(intern.page)).toBe(refused);
  expect(await pushes()).toBe(1);
  await pastEveryRetry(intern.page);
  expect(await pushes()).toBe(1);
  expect((await asAdmin()).map((r) => r.doc.annotation.tag)).toEqual(['quote']);
  expect(await tagsOf(ana.page)).toEqual(['quote: Amara Okafor']);
});

test('the page\'s Sync dialog starts syncing, and a reload syncs on with the settings kept', async ({ page, server }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Sync with a server…' }).click();
  await page.getByLabel('Server', { exact: true }).fill(server.url);
  await page.getByLabel('Database', { exact: true }).fill('desk');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await serverDocs(server)).length).toBe(1);
  // A reload syncs again with the settings kept.
  await page.reload();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  await page.getByRole('button', { name: 'Sync settings' }).click();
  await expect(page.getByLabel('Server', { exact: true })).toHaveValue(server.url);
  await expect(page.getByLabel('Database', { exact: true })).toHaveValue('desk');
});

// A reload while a checkpoint write is on its way: the server has the new
// revision of our checkpoint document, this browser never stored it. The
// next session takes the revision from the server when it checks the
// checkpoint, so its first write is not refused as stale (a 409, which the
// watch fixture would report as a console error).
test('after a reload that lost the checkpoint revision, the next checkpoint write carries the server\'s', async ({ page, server }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Sync with a server…' }).click();
  await page.getByLabel('Server', { exact: true }).fill(server.url);
  await page.getByLabel('Database', { exact: true }).fill('desk');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await serverDocs(server)).length).toBe(1);
  const stateKey = () => page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('marginalia:v1:sync:')));
  const key = await stateKey();
  await expect.poll(() => page.evaluate((k) => JSON.parse(localStorage.getItem(k)).checkpoint_rev ?? null, key)).not.toBeNull();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  // The stored revision is one behind what the server holds.
  const written = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)).checkpoint_rev, key);
  const [n, ...tail] = written.split('-');
  const stale = Number(n) > 1 ? `${Number(n) - 1}-${tail.join('-')}` : '0-0';
  await page.evaluate(([k, stale]) => {
    const state = JSON.parse(localStorage.getItem(k));
    state.checkpoint_rev = stale;
    localStorage.setItem(k, JSON.stringify(state));
  }, [key, stale]);
  await page.reload();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  // A change now moves the checkpoint, written over the server's revision.
  await tagText(page, 'Some residents remain unconvinced.', 'Quote');
  await expect.poll(async () => (await serverDocs(server)).length).toBe(2);
  await expect.poll(() => page.evaluate((k) => JSON.parse(localStorage.getItem(k)).checkpoint_rev, key)).not.toBe(stale);
  await expect.poll(() => page.evaluate((k) => JSON.parse(localStorage.getItem(k)).checkpoint_rev, key)).not.toBe(written);
  await expect.poll(() => status(page)).toBe('Sync: Synced');
});

test('"Remember the password": ticked, a reload syncs on without asking; unticked, the password is never stored and is asked for again', async ({
  page,
  context,
  server,
}) => {
  // The desk: ana, a member; the admin party ended, so only her name and
  // password open the database.
  await desk(server, { users: [['ana', ['desk']]] });
  const ana = `Basic ${Buffer.from('ana:ana-pw').toString('base64')}`;
  let sent = [];
  page.on('request', (r) => r.url().startsWith(server.url) && sent.push(r.headers().authorization ?? null));
  const stored = () =>
    page.evaluate(() => [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k} ${s.getItem(k)}`)).join('\n'));
  const settings = () => page.evaluate(() => JSON.parse(localStorage.getItem('marginalia:v1:sync-settings')));
  const name = page.getByLabel('Name (blank: the server\'s sign-in cookie)');
  const password = page.getByLabel('Password', { exact: true });
  const remember = page.getByLabel('Remember the password on this device');

  await openFresh(page);
  await page.getByRole('button', { name: 'Sync with a server…' }).click();
  await page.getByLabel('Server', { exact: true }).fill(server.url);
  await page.getByLabel('Database', { exact: true }).fill('desk');
  await name.fill('ana');
  await password.fill('ana-pw');
  // The password with every request, not a session: then it may be remembered.
  await expect(remember).toBeDisabled();
  await page.getByLabel(/^Sign in once/).uncheck();
  await expect(remember).toBeEnabled();
  await expect(remember).not.toBeChecked();
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent)).toEqual(new Set([ana]));
  // Not remembered: the settings are kept, the password nowhere (nor as
  // the header it makes).
  expect(await settings()).toEqual({ url: server.url, database: 'desk', username: 'ana' });
  expect(await stored()).not.toContain('ana-pw');
  expect(await stored()).not.toContain(ana.slice('Basic '.length));
  expect(await context.cookies()).toEqual([]);
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: 'Sign in again to sync: the password was not kept.' })).toBeVisible();
  expect(await page.locator('.sync-status').count()).toBe(0);
  await expect(name).toHaveValue('ana');
  await expect(password).toHaveValue('');

  // Remembered: kept on the device, and a reload syncs on with it.
  await password.fill('ana-pw');
  await expect(page.getByLabel(/^Sign in once/)).not.toBeChecked();
  await remember.check();
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  expect(await settings()).toEqual({ url: server.url, database: 'desk', username: 'ana', password: 'ana-pw' });
  sent = [];
  await page.reload();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  await expect(page.getByText('Sign in again to sync')).toHaveCount(0);
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent)).toEqual(new Set([ana]));
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await serverDocs(server, 'admin:secret')).map((r) => r.doc.annotation.tag)).toEqual(['claim']);
  await page.getByRole('button', { name: 'Sync settings' }).click();
  await expect(remember).toBeChecked();
});

test('signing in to a session: the password is sent once, the cookie signs the rest, and stopping signs out', async ({ page, context, server, watch }) => {
  // The desk: one member, and the admin party ended.
  await desk(server, { users: [['ana', []]], members: { names: ['ana'], roles: [] } });
  const asAdmin = () => serverDocs(server, 'admin:secret');
  const signed = [];
  const refusals = [];
  page.on('request', (r) => r.url().startsWith(server.url) && signed.push([r.url(), r.headers().authorization ?? null]));
  page.on('response', (r) => r.status() === 401 && refusals.push(`${r.request().method()} ${r.url().slice(server.url.length)}`));
  // The refused sign-in below: its 401 is the only one (checked at the end).
  watch.allow(httpError(401));

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

  await page.getByLabel('Password', { exact: true }).fill('ana-pw');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  await tagText(page, 'voted 31 to 9', 'Claim');
  await expect.poll(async () => (await asAdmin()).length).toBe(1);
  // No request carried the password: the cookie signed them.
  expect(signed.length).toBeGreaterThan(3);
  expect(signed.filter(([, auth]) => auth !== null)).toEqual([]);
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  expect(stored).not.toContain('ana-pw');
  expect((await context.cookies()).map((c) => c.name)).toContain('AuthSession');

  // A reload syncs on with the cookie; nothing is asked.
  await page.reload();
  await expect.poll(() => status(page)).toBe('Sync: Synced');
  // Stopping signs out: the server forgets the cookie.
  await page.getByRole('button', { name: 'Sync settings' }).click();
  await page.getByRole('button', { name: 'Stop syncing' }).click();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).not.toContain('AuthSession');
  expect(await page.locator('.sync-status').count()).toBe(0);
  expect(refusals).toEqual(['POST /_session']);
});

test('two readers edit one article and both converge, with nothing duplicated', async ({ newContext, server }) => {
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');

  await add(a.page, w3c('a-1', 'voted 31 to 9', 'claim'));
  await add(b.page, w3c('b-1', 'Amara Okafor', 'quote'));
  const both = ['claim: voted 31 to 9', 'quote: Amara Okafor'];
  await expect.poll(() => tagsOf(a.page)).toEqual(both);
  await expect.poll(() => tagsOf(b.page)).toEqual(both);
  await expect.poll(() => status(b.page)).toBe('Sync: Synced');

  const docs = await serverDocs(server);
  expect(docs.length).toBe(2);
  expect(docs.every((r) => !r.doc._conflicts)).toBe(true);

  // A deletion travels too, and stays deleted.
  await a.page.evaluate(() => window.marginaliaDemo.story.removeAnnotation('urn:marginalia:annotation:a-1'));
  await expect.poll(() => tagsOf(b.page)).toEqual(['quote: Amara Okafor']);
});

test('the server restarts empty mid-sync: both readers send everything again and converge', async ({ newContext, server, watch }) => {
  test.setTimeout(WITH_RETRIES);
  // Requests cut or refused while the server is down (the browser's words
  // vary with the moment: refused, reset, not connected; checked below to
  // be only requests begun before the server was back), and each reader's
  // checkpoint, gone from the new server (checked to be the only 404s).
  watch.allow(/: Failed to load resource: net::ERR_[A-Z_]+$/);
  watch.allow(httpError(404));
  const missing = [];
  const failed = [];
  const a = await reader(newContext, server);
  const b = await reader(newContext, server);
  for (const { page } of [a, b]) {
    page.on('response', (r) => r.status() === 404 && missing.push(`${r.request().method()} ${r.url().slice(server.url.length)}`));
    page.on('requestfailed', (r) => failed.push({ url: r.url(), began: r.timing().startTime, why: r.failure()?.errorText }));
  }
  await add(a.page, w3c('r-a', 'voted 31 to 9', 'claim'));
  await add(b.page, w3c('r-b', 'Amara Okafor', 'quote'));
  await expect.poll(() => tagsOf(a.page)).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);
  await expect.poll(() => tagsOf(b.page)).toEqual(['claim: voted 31 to 9', 'quote: Amara Okafor']);

  const down = Date.now();
  await server.stop();
  await add(a.page, w3c('r-a2', 'River Wendle', 'caption'));
  await expect.poll(() => status(a.page)).toBe('Sync: Offline · 1 change waiting');
  // A new server at the address, with nothing of what the old one held.
  await server.restart();
  const up = Date.now();
  expect((await serverDocs(server)).length).toBe(0);
  const all = ['caption: River Wendle', 'claim: voted 31 to 9', 'quote: Amara Okafor'];
  // Each reader's next try finds its checkpoint gone and sends everything.
  await expect.poll(() => tagsOf(b.page), { timeout: retryWithin(down) }).toEqual(all);
  await expect.poll(async () => (await serverDocs(server)).length).toBe(3);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await expect.poll(() => status(b.page)).toBe('Sync: Synced');
  expect(await tagsOf(a.page)).toEqual(all);
  expect((await serverDocs(server)).every((r) => !r.doc._conflicts)).toBe(true);
  expect(missing.length).toBeGreaterThan(0);
  expect(missing.filter((m) => !/^GET \/desk\/_local\//.test(m))).toEqual([]);
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.filter((f) => !(f.began < up))).toEqual([]);
});

test('an edit made while a pull reply is arriving is still sent', async ({ newContext, server }) => {
  // A's first longpoll answer (B's change, from the real server) is held
  // back, and handed over just as A makes an edit of its own: the reply is
  // then taken in before A's edit is saved.
  let held;
  const arrived = new Promise((resolve) => {
    held = resolve;
  });
  const a = await reader(newContext, server, {
    prepare: (page) => page.route(/\/desk\/_changes\?feed=longpoll/, async (route) => held({ route, response: await route.fetch() }), { times: 1 }),
  });
  const b = await reader(newContext, server);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
  await add(b.page, w3c('race-b', 'Amara Okafor', 'quote'));
  const { route, response } = await arrived;
  await Promise.all([add(a.page, w3c('race-a', 'voted 31 to 9', 'claim')), route.fulfill({ response })]);
  const both = ['claim: voted 31 to 9', 'quote: Amara Okafor'];
  await expect.poll(() => tagsOf(b.page)).toEqual(both);
  await expect.poll(async () => (await serverDocs(server)).length).toBe(2);
  await expect.poll(() => status(a.page)).toBe('Sync: Synced');
});
