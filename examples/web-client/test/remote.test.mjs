// End to end in headless Chromium against a real sandbox server (`?url=ws://…/ws`): the page shows
// the commands to scan by hand, the test scans like a person would, then chats with the Echo Bot
// and restores the session on reload.
/* global document -- the callbacks of page.waitForFunction run in the page */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSandbox } from '@wa/sandbox';
import { browserDisabled, useServedApp } from './support.mjs';

const ALICE = '15550100002@c.us';
const ECHO = '15550100099@c.us';

let sandbox;
const app = useServedApp({
  // Browsers cannot set Origin: the page's own origin must be let in.
  setUp: async ({ server }) => {
    sandbox = await startSandbox({ allowedOrigins: [new URL(server.url).origin] });
  },
  tearDown: () => sandbox?.close(),
});

test('a real sandbox server: scan by hand, echo, restore on reload', { skip: browserDisabled && 'WA_TEST_BROWSER=0', timeout: 40_000 }, async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${app.server.url}?url=${encodeURIComponent(sandbox.url)}`);
    const qrBox = page.locator('[data-testid="qr"][data-qr]');
    await qrBox.waitFor();
    const qr = await qrBox.getAttribute('data-qr');
    assert.equal(await page.getByTestId('scan').count(), 0, 'no in-page scan button for a remote sandbox');
    const commands = await page.locator('.command code').allTextContents();
    assert.deepEqual(commands, [`curl -X POST --data '${qr}' ${sandbox.httpUrl}/scan`, `npx wa-sandbox scan '${qr}' --port ${sandbox.port}`]);
    assert.deepEqual(sandbox.waitingRefs().map((ref) => ref.ref), [qr.split(',')[0]]);

    // What `curl -X POST /scan` does on the server side.
    sandbox.phone.scan(qr);
    const alice = page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"]`);
    await alice.waitFor();
    assert.equal(await alice.getByTestId('unread').textContent(), '1');

    // Alice types, then writes while her chat is closed: "typing…" in the list, then the preview
    // and a second unread message.
    sandbox.contact(ALICE).setPresence('composing');
    await alice.locator('.preview.typing', { hasText: 'typing…' }).waitFor();
    sandbox.contact(ALICE).sendText('Are you there?');
    await alice.locator('.preview-text', { hasText: 'Are you there?' }).waitFor();
    assert.equal(await alice.locator('.preview.typing').count(), 0);
    assert.equal(await alice.getByTestId('unread').textContent(), '2');
    assert.equal(await page.locator('[data-testid="chat-item"]').first().getAttribute('data-jid'), ALICE, 'the newest chat on top');

    // The search box filters the list.
    await page.getByTestId('search').fill('car');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-item"]').length === 1);
    assert.equal(await page.locator('[data-testid="chat-item"] .chat-name').textContent(), 'Carol');
    await page.getByTestId('search').fill('');

    await page.locator(`[data-testid="chat-item"][data-jid="${ECHO}"]`).click();
    await page.getByTestId('composer').fill('ping over a real WebSocket');
    await page.getByTestId('send').click();
    await page.locator('[data-testid="message"].out[data-status="READ"]', { hasText: 'ping over a real WebSocket' }).waitFor();
    await page.locator('[data-testid="message"].in', { hasText: 'echo: ping over a real WebSocket' }).waitFor();

    await page.reload();
    await page.locator('[data-testid="chat-item"]').first().waitFor();
    assert.equal(sandbox.sessions().length, 1, 'the same session, restored');
    assert.deepEqual(sandbox.waitingRefs(), [], 'no QR asked for');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
