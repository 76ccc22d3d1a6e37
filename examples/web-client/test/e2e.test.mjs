// End to end in headless Chromium: the built app with the sandbox inside the page. QR → scan →
// chat list → Alice's chat → send → ticks up to read → Alice types and answers → reload restores
// without a QR → logout brings the QR back.
/* global window, document, MutationObserver -- the callbacks of page.evaluate & co. run in the page */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserDisabled, useServedApp } from './support.mjs';

const ALICE = '15550100002@c.us';
const TIMEOUT = 15_000;

const app = useServedApp();

/** Dark pixels of the QR canvas: a drawn code has thousands, a blank canvas none. */
function darkPixels(page) {
  return page.$eval('[data-testid="qr"] canvas', (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 100 && data[i + 3] > 200) dark += 1;
    return dark;
  });
}

test('QR login, chatting with ticks and typing, restore on reload, logout', { skip: browserDisabled && 'WA_TEST_BROWSER=0', timeout: 50_000 }, async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Records whether a QR screen ever appears in a page load (the restore must never show one).
  await context.addInitScript(() => {
    window.__sawQr = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="qr"]')) window.__sawQr = true;
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Errors, and the warning a failed presence subscription logs (a server push that settled
    // the request under its tag used to make two of them on every login).
    if (message.type() === 'error' || (message.type() === 'warning' && message.text().startsWith('presence subscription'))) problems.push(`console: ${message.text()}`);
  });
  page.setDefaultTimeout(TIMEOUT);
  try {
    await page.goto(app.server.url);

    // 1. The QR screen: a drawn code whose text is "ref,publicKey,clientId".
    const qrBox = page.locator('[data-testid="qr"][data-qr]');
    await qrBox.waitFor();
    const qr = await qrBox.getAttribute('data-qr');
    assert.match(qr, /^[^,]+,[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{22}==$/);
    await page.waitForFunction(() => {
      const canvas = document.querySelector('[data-testid="qr"] canvas');
      return canvas !== null && canvas.getContext('2d').getImageData(0, 0, 40, 40).data.some((value, i) => i % 4 === 0 && value < 100);
    });
    assert.ok((await darkPixels(page)) > 5_000, 'the QR code is drawn');

    // 2. The simulated phone scans it; the chat list arrives.
    await page.getByTestId('scan').click();
    await page.locator('[data-testid="chat-item"]').first().waitFor();
    assert.equal(await page.getByTestId('me-name').textContent(), 'Sandy Sandbox');
    const names = await page.locator('[data-testid="chat-item"] .chat-name').allTextContents();
    for (const name of ['Alice', 'Bob', 'Carol', 'Dave (work)', 'Echo Bot', 'Weekend Trip']) assert.ok(names.includes(name), `${name} in ${names}`);
    assert.equal(await page.locator('[data-testid="qr"]').count(), 0);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('wa-web-client:credentials') ?? 'null'));
    assert.equal(stored?.wid, '15550100001@c.us', 'credentials saved in localStorage');

    // Echo Bot is online: its presence subscription got its answer and then the presence push.
    await page.locator('[data-testid="chat-item"][data-jid="15550100099@c.us"]').click();
    await page.locator('[data-testid="conversation"][data-jid="15550100099@c.us"]').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-subtitle"]')?.textContent === 'online');

    // Carol's unread message shows a badge.
    assert.equal(await page.locator(`[data-testid="chat-item"][data-jid="15550100004@c.us"] [data-testid="unread"]`).textContent(), '1');

    // 3. Alice's chat: history with bubbles on both sides.
    await page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"]`).click();
    const conversation = page.locator(`[data-testid="conversation"][data-jid="${ALICE}"]`);
    await conversation.waitFor();
    assert.equal(await page.getByTestId('conversation-name').textContent(), 'Alice');
    // Opening the chat marks it read: its unread badge goes away.
    await page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"] [data-testid="unread"]`).waitFor({ state: 'detached' });
    await page.locator('.message-row.in .bubble-text', { hasText: 'Are we still on for Saturday?' }).waitFor();
    await page.locator('.message-row.out .bubble-text', { hasText: 'Yes, 10am at the station' }).waitFor();

    // 4. Send: a pending bubble, then the server ack, delivery and read (blue ticks).
    const text = `Hello from Chromium ${Date.now()}`;
    await page.getByTestId('composer').fill(text);
    await page.getByTestId('composer').press('Enter');
    const mine = page.locator('[data-testid="message"].out', { hasText: text });
    await mine.waitFor();
    assert.match((await mine.getAttribute('data-id')) ?? '', /^(pending-\d+|3EB0[0-9A-F]{16})$/);
    await page.locator('[data-testid="message"].out[data-status="READ"]', { hasText: text }).waitFor();
    assert.match((await mine.getAttribute('data-id')) ?? '', /^3EB0[0-9A-F]{16}$/, 'the bubble carries the real message id');
    assert.equal(await mine.locator('.ticks.read').count(), 1, 'blue ticks');
    assert.equal(await page.getByTestId('composer').inputValue(), '', 'the composer is cleared');
    const preview = page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"] .preview`);
    assert.equal(await preview.locator('.preview-text').textContent(), text);

    // 5. Alice types (presence) and answers.
    await page.locator('[data-testid="conversation-subtitle"].typing', { hasText: 'typing…' }).waitFor();
    await page.locator('[data-testid="message"].in', { hasText: 'Nice! 😄' }).waitFor();
    assert.notEqual(await page.getByTestId('conversation-subtitle').textContent(), 'typing…');
    if (process.env.WEB_CLIENT_SCREENSHOT) await page.screenshot({ path: process.env.WEB_CLIENT_SCREENSHOT });

    // 6. Reload: restored from localStorage, no QR, and the history kept by the in-page sandbox.
    await page.reload();
    await page.locator('[data-testid="chat-item"]').first().waitFor();
    assert.equal(await page.evaluate(() => window.__sawQr), false, 'no QR screen on restore');
    await page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"]`).click();
    await page.locator('[data-testid="message"].out[data-status="READ"]', { hasText: text }).waitFor();

    // 7. Logout: the QR screen is back and the credentials are gone.
    await page.getByTestId('logout').click();
    await page.locator('[data-testid="qr"][data-qr]').waitFor();
    assert.notEqual(await page.locator('[data-testid="qr"]').getAttribute('data-qr'), qr, 'a fresh QR code');
    assert.equal(await page.evaluate(() => localStorage.getItem('wa-web-client:credentials')), null);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
