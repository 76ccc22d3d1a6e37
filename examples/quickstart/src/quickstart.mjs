#!/usr/bin/env node
// The quickstart: an embedded sandbox server, a WAClient logging in by QR (the sandbox's phone
// scans it), the chat list, a message in each direction with its receipts, a session restored
// from the saved credentials without a QR, and a logout. Runs offline in about a second.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { WAClient } from '@wa/client';
import { FileAuthStore } from '@wa/client/node';
import { startSandbox } from '@wa/sandbox';

const ALICE = '15550100002@c.us';
const TIMEOUT_MS = 20_000;

const bold = (text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const step = (number, title) => console.log(`\n${bold(`${number}. ${title}`)}`);
const say = (text) => console.log(`   ${text}`);
const ticks = { DELIVERY_ACK: '✓✓ delivered', READ: '✓✓ read (blue ticks)', PLAYED: '✓✓ played' };

async function printQr(text) {
  // Colours only on a terminal; piped output (CI, the smoke test) gets plain block characters.
  const type = process.stdout.isTTY ? 'terminal' : 'utf8';
  const rendered = await QRCode.toString(text, { type, small: true, errorCorrectionLevel: 'L' });
  console.log(rendered.replace(/^/gm, '   '));
}

/** Shows what goes wrong in the background; attached before connect(), as the login's pushes come before it resolves. */
function reportFailures(client) {
  client.on('frame-error', (error) => say(`⚠ skipped a frame (${error.code}${error.tag ? `, tag ${error.tag}` : ''})`));
  client.on('error', (error) => console.error(`   ⚠ ${error.code}: ${error.message}`));
  client.on('close', ({ reason, error }) => {
    if (error) console.error(`   ⚠ session ended (${reason}): ${error.code}: ${error.message}`);
  });
}

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`quickstart: no result within ${TIMEOUT_MS / 1000} s`);
    process.exit(1);
  }, TIMEOUT_MS);
  watchdog.unref();

  const sandbox = await startSandbox();
  const dir = await mkdtemp(join(tmpdir(), 'wa-quickstart-'));
  const sessionFile = join(dir, 'session.json');
  try {
    step(1, `Connecting to the embedded sandbox at ${sandbox.url}`);
    const client = new WAClient({ url: sandbox.url, auth: new FileAuthStore(sessionFile), browser: ['Quickstart', 'Chrome', '1.0'] });
    reportFailures(client);
    client.on('qr', ({ qr, ttlMs }) => {
      say(`Scan this QR code with WhatsApp (valid ${ttlMs / 1000} s):`);
      printQr(qr)
        .then(() => {
          say('📱 The simulated phone scans the QR code …');
          sandbox.phone.scan(qr);
        })
        .catch((error) => console.error(`cannot show or scan the QR code: ${error.message}`));
    });
    // The phone pushes the chat list and the contacts after the login, a round trip each.
    const firstChats = client.waitFor('chats');
    const firstContacts = client.waitFor('contacts');
    await client.connect();
    const me = client.me;
    say(`✅ Logged in as ${me.pushname} (${me.wid}); keys derived from Conn.secret, credentials saved`);

    step(2, 'Chat list (pushed by the server right after login)');
    const chats = client.chats().length > 0 ? client.chats() : await firstChats;
    const contacts = client.contacts().length > 0 ? client.contacts() : await firstContacts;
    const names = new Map(contacts.map((contact) => [contact.jid, contact.name ?? contact.notify]));
    for (const chat of chats) {
      const unread = chat.unreadCount > 0 ? ` (${chat.unreadCount} unread)` : '';
      say(`💬 ${(chat.name ?? names.get(chat.jid) ?? chat.jid).padEnd(14)} ${chat.jid}${unread}`);
    }

    step(3, 'Alice sends a message');
    const incoming = client.waitFor('message', { filter: (event) => event.source === 'relay' && event.chat === ALICE });
    sandbox.contact(ALICE).sendText('Hi! Did the quickstart work? 👋');
    const message = await incoming;
    say(`← ${names.get(message.sender) ?? message.sender}: ${message.text}`);
    await client.markRead(ALICE, message.id);
    say('   (marked as read)');

    step(4, 'Replying with sendText, then watching the receipts');
    const receipts = [];
    const readReceipt = new Promise((resolve) => {
      client.on('receipt', (receipt) => {
        receipts.push(receipt);
        if (receipt.ack >= 3) resolve(receipt);
      });
    });
    const sent = await client.sendText(ALICE, 'Yes, it did! 🎉', { quoted: message.info });
    say(`→ You: "Yes, it did! 🎉" (id ${sent.id})`);
    say(`   ✓ server ack (${sent.status})`);
    await readReceipt;
    for (const receipt of receipts.filter((entry) => entry.id === sent.id)) say(`   ${ticks[receipt.status] ?? receipt.status}`);

    step(5, 'Closing the connection (the session stays valid)');
    await client.close();
    say(`🔒 Closed. Credentials kept in ${sessionFile}`);

    step(6, 'Restoring the session from the saved credentials (no QR this time)');
    const restored = new WAClient({ url: sandbox.url, auth: new FileAuthStore(sessionFile), browser: ['Quickstart', 'Chrome', '1.0'] });
    reportFailures(restored);
    restored.on('qr', () => {
      throw new Error('a restore must not need a QR code');
    });
    await restored.connect();
    say(`✅ Restored as ${restored.me.wid} via ${restored.me.via}; fresh tokens saved again`);
    say(`📨 Alice's chat holds ${(await restored.loadMessages(ALICE, { count: 50 })).messages.length} messages on the server`);

    step(7, 'Logging out');
    await restored.logout();
    const fileGone = await stat(sessionFile).then(() => false, () => true);
    say(`👋 Logged out: the server forgot the session${fileGone ? ' and the credentials file is deleted' : ''}`);
    console.log('\nDone.');
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().catch((error) => {
  console.error(`quickstart failed: ${error?.code ?? ''} ${error?.stack ?? error}`);
  process.exitCode = 1;
});
