// A real CouchDB-compatible server for the sync tests: express-pouchdb over
// PouchDB's in-memory adapter, on 127.0.0.1. `node sync-server.mjs [port]
// [database…]` makes the databases named (through its own HTTP API, on a
// port of its own, so no client can meet the server without them), then
// prints one line of JSON, {"port": N}, once it listens on `port`. The tests
// start it and stop it by its process id (tests/sync-server.mjs).
//
// CORS is added here, as a desk adds it to CouchDB (`[chttpd] enable_cors`):
// the widget runs on the article's origin, the server on its own.
import express from 'express';
import PouchDB from 'pouchdb-core';
import memory from 'pouchdb-adapter-memory';
import http from 'pouchdb-adapter-http';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';
import expressPouchDB from 'express-pouchdb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const Memory = PouchDB.plugin(memory).plugin(http).plugin(mapreduce).plugin(replication).defaults({ adapter: 'memory' });
const app = express();
app.use((req, res, next) => {
  // MARGINALIA_SYNC_TRACE=1 logs each request's start and end to stderr,
  // with the socket: how a stuck or reset request was found.
  if (process.env.MARGINALIA_SYNC_TRACE) {
    const trace = (what) =>
      console.error(`[sync-server ${new Date().toISOString().slice(11, 23)}] ${what} ${req.method} ${req.url} socket ${req.socket.remotePort}`);
    trace('>');
    res.on('finish', () => trace(`< ${res.statusCode}`));
    res.on('close', () => res.writableFinished || trace('x closed'));
  }
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, Accept');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
});
app.use('/', expressPouchDB(Memory, {
    inMemoryConfig: true,
    // Its log goes to the temporary directory, not into the project.
    logPath: join(tmpdir(), `marginalia-sync-${process.pid}.log`),
  }));
// A server restarted empty at a known address comes back with its
// databases at once: else a client's retry landing between its start and
// a database made afterwards would meet a 404 for the whole database (a
// refusal the widget rightly does not retry), not the empty one meant.
const [port = '0', ...databases] = process.argv.slice(2);
if (databases.length > 0) {
  const boot = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => boot.once('listening', resolve));
  for (const db of databases) {
    const made = await fetch(`http://127.0.0.1:${boot.address().port}/${encodeURIComponent(db)}`, { method: 'PUT' });
    if (made.status !== 201) throw new Error(`the database ${db} was not made: ${made.status} ${await made.text()}`);
  }
  await new Promise((resolve) => boot.close(resolve));
}
const server = app.listen(Number(port), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
// Node closes an idle keep-alive socket after 5 s, which races a browser
// reusing it: the request then fails with a reset, which a real CouchDB
// (idle timeout far longer than the browser's) does not do. Keep sockets
// longer than Chromium does (its idle timeout is about a minute).
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
