// End to end in headless Chromium: states that used to be silent or stuck. Stored credentials
// whose keys are wrong, stored credentials that cannot be read, and a `?url=` that is no
// WebSocket URL each end on a screen that says what happened and what to do.
/* global window, document, MutationObserver -- the callbacks of page.evaluate & co. run in the page */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserDisabled, useServedApp } from './support.mjs';

const CREDENTIALS = 'wa-web-client:credentials';
const skip = browserDisabled && 'WA_TEST_BROWSER=0';
const app = useServedApp();

/** A new page that records page errors and whether a chat list or a "Retry" button ever showed. */
async function openPage() {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    window.__sawChats = false;
    window.__sawRetry = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="chat-item"]')) window.__sawChats = true;
      if ([...document.querySelectorAll('[data-testid="problem"] button')].some((button) => button.textContent === 'Retry')) window.__sawRetry = true;
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.setDefaultTimeout(15_000);
  return { context, page, errors };
}

/** Logs in by QR with the in-page sandbox's phone; resolves once the chat list shows. */
async function logInByQr(page) {
  await page.locator('[data-testid="qr"][data-qr]').waitFor();
  await page.getByTestId('scan').click();
  await page.locator('[data-testid="chat-item"]').first().waitFor();
}

/** Reloads and resets the page's records. */
async function reload(page) {
  await page.reload();
  await page.evaluate(() => {
    window.__sawChats = false;
    window.__sawRetry = false;
  });
}

test('stored keys that are wrong: no empty chat list, the QR screen says BAD_KEYS, a new scan logs in', { skip, timeout: 40_000 }, async () => {
  const { context, page, errors } = await openPage();
  try {
    await page.goto(app.server.url);
    await logInByQr(page);
    // Tokens the in-page sandbox still knows, an encKey that is not the session's.
    await page.evaluate((key) => {
      const stored = JSON.parse(localStorage.getItem(key));
      stored.encKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
      localStorage.setItem(key, JSON.stringify(stored));
    }, CREDENTIALS);
    await page.reload();
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /keys could not read anything the server sent \(BAD_KEYS\).*scan the code to log in again/);
    await page.locator('[data-testid="qr"][data-qr]').waitFor();
    assert.equal(await page.evaluate(() => window.__sawChats), false, 'the empty chat list of the broken session never showed');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), CREDENTIALS), null, 'the useless credentials were cleared');
    await logInByQr(page);
    assert.ok((await page.locator('[data-testid="chat-item"]').count()) > 3);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('stored credentials that cannot be read are cleared and the QR screen says so (no Retry loop)', { skip, timeout: 40_000 }, async () => {
  const { context, page, errors } = await openPage();
  try {
    await page.goto(app.server.url);
    await page.locator('[data-testid="qr"][data-qr]').waitFor();
    for (const broken of ['{not json', JSON.stringify({ clientId: 'x', encKey: 'short' })]) {
      await page.evaluate(([key, value]) => localStorage.setItem(key, value), [CREDENTIALS, broken]);
      await reload(page);
      const notice = page.getByTestId('notice');
      await notice.waitFor();
      assert.match(await notice.textContent(), /saved session could not be read.*cleared; scan the code to log in again/);
      await page.locator('[data-testid="qr"][data-qr]').waitFor();
      assert.equal(await page.evaluate(() => window.__sawRetry), false, 'no "Retry" that would read the same broken value again');
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), CREDENTIALS), null);
    }
    await logInByQr(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('?url= that is no WebSocket URL: an error screen says what is wrong and how to fix it', { skip, timeout: 30_000 }, async () => {
  const { context, page, errors } = await openPage();
  try {
    const cases = [
      ['not-a-url', /\?url=not-a-url is not a URL\. Pass the WebSocket URL of a running wa-sandbox, e\.g\. \?url=ws:\/\/127\.0\.0\.1:8080\/ws/],
      ['http://127.0.0.1:8080', /is an http URL; the client needs the sandbox's WebSocket URL, such as ws:\/\/127\.0\.0\.1:8080\/ws/],
      ['ftp://example.com/ws', /has the scheme ftp:; it must be ws: or wss:/],
      ['', /\?url= is empty/],
    ];
    for (const [value, expected] of cases) {
      await page.goto(`${app.server.url}?url=${encodeURIComponent(value)}`);
      const problem = page.getByTestId('problem');
      await problem.waitFor();
      assert.match(await problem.locator('h1').textContent(), /This \?url= cannot be used/);
      assert.match(await page.getByTestId('problem-text').textContent(), expected);
      assert.match(await page.getByTestId('problem-text').textContent(), /or open the page without \?url= to use the sandbox inside the page/);
      assert.equal(await page.getByTestId('problem-hint').textContent(), `${app.server.url}?url=ws://127.0.0.1:8080/ws`);
      assert.equal(await page.locator('#app').textContent().then((text) => text.includes('Loading…')), false);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
