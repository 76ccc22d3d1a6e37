// Media end to end in headless Chromium, the sandbox inside the page: attach an image with the
// paperclip → it is encrypted, uploaded to the in-page media store, relayed, acknowledged and
// shown inline from a blob URL holding exactly the picked bytes; Alice answers with a document
// chip whose click downloads and decrypts her file.
/* global document -- the callbacks of page.evaluate run in the page */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { browserDisabled, useServedApp } from './support.mjs';

const ALICE = '15550100002@c.us';
// A 1×1 PNG, so the browser really decodes what comes back.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const app = useServedApp();

test('send an image with the paperclip, see it inline; save the document Alice sends back', { skip: browserDisabled && 'WA_TEST_BROWSER=0', timeout: 40_000 }, async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(app.server.url);
    await page.getByTestId('scan').click();
    await page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"]`).click();
    await page.locator(`[data-testid="conversation"][data-jid="${ALICE}"]`).waitFor();

    await page.getByTestId('attach').waitFor();
    await page.getByTestId('file-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    const mine = page.locator('[data-testid="message"].out[data-status="READ"]', { has: page.getByTestId('media-image') });
    await mine.waitFor();
    assert.match((await mine.getAttribute('data-id')) ?? '', /^3EB0[0-9A-F]{16}$/);
    const image = mine.getByTestId('media-image');
    assert.match((await image.getAttribute('src')) ?? '', /^blob:/);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="media-image"]')].some((img) => img.complete && img.naturalWidth === 1));
    const shown = await image.evaluate(async (img) => [...new Uint8Array(await (await fetch(img.src)).arrayBuffer())]);
    assert.deepEqual(Buffer.from(shown), PNG, 'the inline image is the picked file, after upload, download and decryption');
    assert.equal(await page.locator(`[data-testid="chat-item"][data-jid="${ALICE}"] .preview-text`).textContent(), '📷 Photo');

    const chip = page.locator('[data-testid="message"].in [data-testid="media-chip"]', { hasText: 'thanks.txt' });
    await chip.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), chip.click()]);
    assert.equal(download.suggestedFilename(), 'thanks.txt');
    const saved = await readFile(await download.path(), 'utf8');
    assert.match(saved, /^Thanks for the file! Here is my list for Saturday:\n/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
