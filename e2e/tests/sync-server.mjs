// Starts the real CouchDB-compatible server (../sync-server.mjs) on a free
// port of 127.0.0.1, and stops it by its own process id.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../sync-server.mjs', import.meta.url));

function launch(port, databases) {
  const child = spawn(process.execPath, [script, String(port), ...databases], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.on('exit', (code) => reject(new Error(`the sync server exited (${code})`)));
  });
  return { child, listening };
}

async function halt(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await gone;
}

/**
 * Starts a server; `databases` are made before it listens (and again, empty,
 * by `restart()`).
 */
export async function startServer(port = 0, { databases = [] } = {}) {
  let { child, listening } = launch(port, databases);
  listening = await listening;
  const url = `http://127.0.0.1:${listening}`;
  return {
    url,
    port: listening,
    /**
     * A request as the desk's admin: in the admin party (no admins
     * configured) by default, or with `auth` ("name:password") after it.
     */
    async admin(method, path, body, auth) {
      const headers = { 'Content-Type': 'application/json' };
      if (auth) headers.Authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
      const r = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    },
    /**
     * Stops the server; `restart()` starts a new one at the same address,
     * holding nothing but the same databases, empty.
     */
    async stop() {
      await halt(child);
    },
    async restart() {
      await halt(child);
      const again = launch(listening, databases);
      child = again.child;
      await again.listening;
    },
  };
}
