// Starts the real CouchDB-compatible server (../sync-server.mjs) on a free
// port of 127.0.0.1, and stops it by its own process id.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../sync-server.mjs', import.meta.url));

export async function startServer(port = 0) {
  const child = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.on('exit', (code) => reject(new Error(`the sync server exited (${code})`)));
  });
  const url = `http://127.0.0.1:${listening}`;
  return {
    url,
    port: listening,
    /** A request as the desk's admin (admin party: no admins configured). */
    async admin(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await gone;
    },
  };
}
