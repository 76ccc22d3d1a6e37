// End to end in headless Chromium against a sandbox server of the test's own (`?url=`), so the
// test can drive contacts and read the world the server keeps: create a group in the dialog and
// change its subject (centred system lines, also for what members do), exit it, a location card, a
// contact card, a message deleted by its sender and one deleted for everyone from the message
// menu, starring, and the chat menu's pin, mute and archive (icons, the Archived row), also
// after a reload.
/* global document -- the callbacks of page.waitForFunction run in the page */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSandbox } from '@wa/sandbox';
import { browserDisabled, useServedApp, watchedPage } from './support.mjs';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const CAROL = '15550100004@c.us';

let sandbox;
const app = useServedApp({
  setUp: async ({ server }) => {
    sandbox = await startSandbox({ allowedOrigins: [new URL(server.url).origin] });
  },
  tearDown: () => sandbox?.close(),
});

/** Whether a stored message's bytes on the server still hold `text`. */
function storedHolds(message, text) {
  return Buffer.from(message?.raw ?? '', 'base64').toString('latin1').includes(text) || message?.text === text;
}

test('groups, message kinds, deletes, stars and chat actions', { skip: browserDisabled && 'WA_TEST_BROWSER=0', timeout: 90_000 }, async () => {
  const { context, page, problems } = await watchedPage(app.browser);
  const account = () => sandbox.world.requireAccount(ME);
  const chatItem = (jid) => page.locator(`[data-testid="chat-item"][data-jid="${jid}"]`);
  try {
    await page.goto(`${app.server.url}?url=${encodeURIComponent(sandbox.url)}`);
    const qr = await page.locator('[data-testid="qr"][data-qr]').getAttribute('data-qr');
    sandbox.phone.scan(qr);
    await chatItem(ALICE).waitFor();

    // 1. A new group: the dialog, subject and two contacts; it opens with its first system line.
    await page.getByTestId('new-group').click();
    const dialog = page.getByTestId('new-group-dialog');
    await dialog.waitFor();
    assert.equal(await page.getByTestId('create-group').isDisabled(), true, 'nothing to create yet');
    await page.getByTestId('group-subject').fill('Book club');
    await dialog.locator(`[data-testid="pick-contact"][data-jid="${ALICE}"]`).check();
    await dialog.locator(`[data-testid="pick-contact"][data-jid="${BOB}"]`).check();
    await page.getByTestId('create-group').click();
    await dialog.waitFor({ state: 'detached' });
    const conversation = page.locator('[data-testid="conversation"]');
    await page.waitForFunction(() => /^15550100001-\d+@g\.us$/.test(document.querySelector('[data-testid="conversation"]')?.getAttribute('data-jid') ?? ''));
    const gid = await conversation.getAttribute('data-jid');
    assert.deepEqual(sandbox.world.requireGroup(gid).participants.map((participant) => participant.jid).sort(), [ME, ALICE, BOB].sort());
    await page.locator('[data-testid="system-line"]', { hasText: 'You created group "Book club"' }).waitFor();
    assert.equal(await page.getByTestId('conversation-name').textContent(), 'Book club');
    await chatItem(gid).waitFor();

    // 2. Its subject, changed in the header's dialog.
    await page.getByTestId('edit-subject').click();
    assert.equal(await page.getByTestId('subject-input').inputValue(), 'Book club');
    await page.getByTestId('subject-input').fill('Readers');
    await page.getByTestId('save-subject').click();
    await page.locator('[data-testid="system-line"]', { hasText: 'You changed the subject to "Readers"' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-name"]')?.textContent === 'Readers');
    assert.equal(sandbox.world.requireGroup(gid).subject, 'Readers');
    await chatItem(gid).locator('.chat-name', { hasText: 'Readers' }).waitFor();

    // 3. What members do shows the same way, centred between the bubbles.
    sandbox.contact(ALICE).setGroupSubject(gid, 'Readers & friends');
    await page.locator('[data-testid="system-line"]', { hasText: 'Alice changed the subject to "Readers & friends"' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="conversation-name"]')?.textContent === 'Readers & friends');
    sandbox.contact(BOB).leaveGroup(gid);
    await page.locator('[data-testid="system-line"]', { hasText: 'Bob left' }).waitFor();
    assert.equal(await page.locator('[data-testid="message"]').count(), 0, 'system lines are no bubbles');

    // Exit the group from its chat menu: "You left", and no composer any more.
    await chatItem(gid).hover();
    await chatItem(gid).getByTestId('chat-menu-button').click();
    await page.getByTestId('chat-menu').locator('[data-action="leave"]').click();
    await page.locator('[data-testid="system-line"]', { hasText: 'You left' }).waitFor();
    await page.getByTestId('read-only').waitFor();
    assert.equal(await page.getByTestId('composer').isVisible(), false);
    assert.equal(await page.getByTestId('edit-subject').count(), 0, 'no subject changes after leaving');
    assert.equal(sandbox.world.requireGroup(gid).participants.some((participant) => participant.jid === ME), false);

    // 4. Alice's chat: a location card, a contact card, a message she deletes for everyone.
    await chatItem(ALICE).click();
    await page.locator(`[data-testid="conversation"][data-jid="${ALICE}"]`).waitFor();
    await page.locator('[data-testid="message"]', { hasText: 'Are we still on for Saturday?' }).waitFor();
    const alice = sandbox.contact(ALICE);
    alice.sendLocation({ latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor', address: 'Pariser Platz' });
    const location = page.getByTestId('location');
    await location.waitFor();
    assert.equal(await location.locator('.location-name').textContent(), 'Brandenburger Tor');
    assert.equal(await location.locator('.location-address').textContent(), 'Pariser Platz');
    assert.equal(await location.getByTestId('location-coordinates').textContent(), '52.5163, 13.3777');
    assert.equal(await location.getAttribute('href'), 'https://maps.google.com/maps?q=52.5163,13.3777');
    alice.sendContact('BEGIN:VCARD\nVERSION:3.0\nFN:Zed Zero\nTEL;type=CELL;waid=15550100009:+1 555 010 0009\nEND:VCARD');
    const card = page.locator('[data-testid="message"]', { has: page.getByTestId('contact-card') });
    await card.waitFor();
    assert.equal(await card.getByTestId('contact-name').textContent(), 'Zed Zero');
    assert.equal(await card.locator('.contact-number').textContent(), '+1 555 010 0009');
    const oops = alice.sendText('oops, wrong chat');
    await page.locator('[data-testid="message"]', { hasText: 'oops, wrong chat' }).waitFor();
    alice.revoke(oops.id);
    const theirs = page.locator(`[data-testid="message"][data-id="${oops.id}"]`);
    await page.locator(`[data-testid="message"][data-id="${oops.id}"][data-kind="deleted"]`).waitFor();
    assert.equal(await theirs.getByTestId('deleted').textContent(), '🚫 This message was deleted');
    assert.equal(await page.locator('[data-testid="message"]', { hasText: 'oops, wrong chat' }).count(), 0);
    assert.equal(await chatItem(ALICE).locator('.preview-text').textContent(), '🚫 This message was deleted');

    // 5. Delete one's own message for everyone, from the message menu.
    await page.getByTestId('composer').fill('sent by mistake');
    await page.getByTestId('composer').press('Enter');
    const mine = page.locator('[data-testid="message"].out[data-status="SERVER_ACK"], [data-testid="message"].out[data-status="DELIVERY_ACK"], [data-testid="message"].out[data-status="READ"]', { hasText: 'sent by mistake' });
    await mine.waitFor();
    const mineId = await mine.getAttribute('data-id');
    await mine.getByTestId('message-menu-button').click();
    const menu = page.getByTestId('message-menu');
    assert.deepEqual(await menu.locator('[data-action]').evaluateAll((items) => items.map((item) => item.getAttribute('data-action'))), ['star', 'delete-for-me', 'delete-for-everyone']);
    await menu.locator('[data-action="delete-for-everyone"]').click();
    await page.locator(`[data-testid="message"][data-id="${mineId}"][data-kind="deleted"]`).waitFor();
    const stored = () => sandbox.world.chat(account(), ALICE).messages.find((message) => message.id === mineId);
    assert.ok(stored() !== undefined && !storedHolds(stored(), 'sent by mistake'), 'the server keeps only the stub');
    // Someone else's message offers no "for everyone".
    await card.getByTestId('message-menu-button').click();
    assert.deepEqual(await page.getByTestId('message-menu').locator('[data-action]').evaluateAll((items) => items.map((item) => item.getAttribute('data-action'))), ['star', 'delete-for-me']);

    // 6. Star the contact card.
    await page.getByTestId('message-menu').locator('[data-action="star"]').click();
    await page.locator('[data-testid="message"][data-starred="true"]', { has: page.getByTestId('contact-card') }).waitFor();
    assert.equal(await card.getByTestId('starred').count(), 1);
    assert.equal(sandbox.world.chat(account(), ALICE).messages.filter((message) => message.starred).length, 1);

    // 7. The chat menu: pin and mute Bob, archive Alice.
    await chatItem(BOB).hover();
    await chatItem(BOB).getByTestId('chat-menu-button').click();
    await page.getByTestId('chat-menu').locator('[data-action="pin"]').click();
    await chatItem(BOB).getByTestId('pinned-icon').waitFor();
    assert.equal(await page.locator('[data-testid="chat-item"]').first().getAttribute('data-jid'), BOB, 'pinned on top');
    await chatItem(BOB).getByTestId('chat-menu-button').click();
    await page.getByTestId('chat-menu').locator('[data-action="mute"]').click();
    await chatItem(BOB).getByTestId('muted-icon').waitFor();
    assert.ok(sandbox.world.chat(account(), BOB).pin > 0 && sandbox.world.chat(account(), BOB).mute > Date.now() / 1000);
    await chatItem(ALICE).getByTestId('chat-menu-button').click();
    await page.getByTestId('chat-menu').locator('[data-action="archive"]').click();
    await chatItem(ALICE).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('archived-count').textContent(), '1');
    assert.equal(sandbox.world.chat(account(), ALICE).archived, true);
    // The phone archives Carol: pushed, and in the count.
    sandbox.phone.archiveChat(CAROL);
    await page.waitForFunction(() => document.querySelector('[data-testid="archived-count"]')?.textContent === '2');
    await page.getByTestId('archived-row').click();
    await chatItem(ALICE).getByTestId('archived-icon').waitFor();
    await chatItem(CAROL).getByTestId('archived-icon').waitFor();
    assert.equal(await chatItem(BOB).count(), 0, 'only archived chats in the archived view');
    await page.getByTestId('archived-back').click();
    await chatItem(BOB).waitFor();

    // 8. A reload restores all of it from the server: marks, the group's history of changes.
    await page.reload();
    await chatItem(BOB).getByTestId('pinned-icon').waitFor();
    await chatItem(BOB).getByTestId('muted-icon').waitFor();
    assert.equal(await page.getByTestId('archived-count').textContent(), '2');
    await chatItem(gid).click();
    for (const line of ['You created group "Book club"', 'You changed the subject to "Readers"', 'Alice changed the subject to "Readers & friends"', 'Bob left', 'You left']) {
      await page.locator('[data-testid="system-line"]', { hasText: line }).waitFor();
    }
    await page.getByTestId('read-only').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('in the page sandbox: a new group, a pin and a delete for everyone survive a reload', { skip: browserDisabled && 'WA_TEST_BROWSER=0', timeout: 60_000 }, async () => {
  const { context, page, problems } = await watchedPage(app.browser);
  const chatItem = (jid) => page.locator(`[data-testid="chat-item"][data-jid="${jid}"]`);
  try {
    await page.goto(app.server.url);
    await page.getByTestId('scan').click();
    await chatItem(ALICE).waitFor();
    await page.getByTestId('new-group').click();
    await page.getByTestId('group-subject').fill('Picnic');
    await page.locator(`[data-testid="pick-contact"][data-jid="${CAROL}"]`).check();
    await page.getByTestId('create-group').click();
    await page.locator('[data-testid="system-line"]', { hasText: 'You created group "Picnic"' }).waitFor();
    const gid = await page.locator('[data-testid="conversation"]').getAttribute('data-jid');
    assert.match(gid, /^15550100001-\d+@g\.us$/);

    await chatItem(ALICE).click();
    await page.getByTestId('composer').fill('not for Alice');
    await page.getByTestId('composer').press('Enter');
    const mine = page.locator('[data-testid="message"].out[data-status="READ"]', { hasText: 'not for Alice' });
    await mine.waitFor();
    const id = await mine.getAttribute('data-id');
    await mine.getByTestId('message-menu-button').click();
    await page.getByTestId('message-menu').locator('[data-action="delete-for-everyone"]').click();
    await page.locator(`[data-testid="message"][data-id="${id}"][data-kind="deleted"]`).waitFor();
    await chatItem(gid).getByTestId('chat-menu-button').click();
    await page.getByTestId('chat-menu').locator('[data-action="pin"]').click();
    await chatItem(gid).getByTestId('pinned-icon').waitFor();

    // The in-page sandbox saved all of it in localStorage: the reload restores it from there.
    await page.reload();
    await chatItem(gid).getByTestId('pinned-icon').waitFor();
    assert.equal(await page.locator('[data-testid="chat-item"]').first().getAttribute('data-jid'), gid);
    await chatItem(gid).click();
    await page.locator('[data-testid="system-line"]', { hasText: 'You created group "Picnic"' }).waitFor();
    await chatItem(ALICE).click();
    await page.locator(`[data-testid="message"][data-id="${id}"][data-kind="deleted"]`).waitFor();
    assert.equal(await page.locator('[data-testid="message"]', { hasText: 'not for Alice' }).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
