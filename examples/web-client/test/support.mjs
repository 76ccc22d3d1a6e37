// Helpers of the end-to-end test: build the app if needed, serve dist/ over HTTP on a random
// port, launch the system Chromium through playwright.
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(packageDir, 'dist');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

/** Builds dist/ when it is missing (turbo builds it before `test`; a bare `node --test` may not). */
export async function ensureBuilt() {
  if (existsSync(join(distDir, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ root: packageDir, logLevel: 'warn' });
}

/** A static server for dist/ on 127.0.0.1 and a random port. */
export async function serveDist() {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(distDir)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The system Chromium, headless. */
export async function launchChromium() {
  const { chromium } = await import('playwright');
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const executablePath = candidates.find((path) => existsSync(path));
  if (executablePath === undefined) throw new Error('no Chromium found: install it or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Whether the browser half is switched off (WA_TEST_BROWSER=0, as for the other packages). */
export const browserDisabled = process.env.WA_TEST_BROWSER === '0';

/**
 * Registers `before`/`after` hooks that build the app if needed, serve `dist/` and launch
 * Chromium once per test file (nothing when the browser half is off). The returned object's
 * `server` and `browser` are set once the `before` hook ran; `setUp(app)` runs right after
 * (in the same hook, since node:test does not order a file's hooks) and `tearDown()` first.
 */
export function useServedApp({ setUp, tearDown } = {}) {
  const app = { server: undefined, browser: undefined };
  before(async () => {
    if (browserDisabled) return;
    await ensureBuilt();
    app.server = await serveDist();
    app.browser = await launchChromium();
    await setUp?.(app);
  });
  after(async () => {
    await tearDown?.();
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * A new browser context and page (1280 × 800, 15 s per step) whose page errors and console
 * errors are collected in `problems`, for the test to assert it stays empty.
 */
export async function watchedPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.setDefaultTimeout(15_000);
  return { context, page, problems };
}
