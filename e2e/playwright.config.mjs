// End-to-end tests against the release build in dist/, in Debian's Chromium.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.MARGINALIA_E2E_PORT ?? 4180);
// `cargo xtask stress` slows every page's CPU this many times (see
// tests/fixtures.mjs); each step then takes that much longer, so the time
// budgets grow by the same factor. A plain run keeps the usual ones.
const slow = Math.max(1, Number(process.env.MARGINALIA_CPU_THROTTLE ?? 1));

export default defineConfig({
  testDir: './tests',
  timeout: 30_000 * slow,
  expect: { timeout: 5_000 * slow },
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // MARGINALIA_DIST serves another build (a snapshot, while dist/ is rebuilt).
    command: `node serve.mjs ${process.env.MARGINALIA_DIST ?? '../dist'} ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 15_000,
  },
});
