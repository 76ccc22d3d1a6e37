// End-to-end tests of the terminal client: the program is spawned as a user would start it, with
// piped stdin, against the embedded sandbox (and against a sandbox given by --url), and its
// output is read line by line. Every child is killed when a test ends, passed or not.
import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '@wa/sandbox';
import { parseOptions, UsageError } from '../src/args.mjs';
import { parseJid } from '../src/format.mjs';
import { downloadName, mediaKindOf } from '../src/terminal.mjs';
import { pairByQr, run, waitUntil, withTempDir } from './support.mjs';

test('chats with the embedded sandbox, then restores the session without a QR code', { timeout: 30_000 }, () =>
  withTempDir(async (dir) => {
    const auth = join(dir, 'session.json');

    const first = run(['--auth', auth]);
    try {
      await first.waitFor(/Scan this QR code/);
      await first.waitFor(/The simulated phone of the embedded sandbox scans it/);
      await first.waitFor(/Logged in as Sandy Sandbox \(15550100001@c\.us\), paired by QR code/);
      // The chat list the server pushed after login, numbered; open Alice by her number in it.
      const [, alice] = await first.waitFor(/^\s+(\d+)\. Alice\s+15550100002@c\.us/m);
      await first.waitFor(/^\s+\d+\. Weekend Trip\s+15550100001-1600000000@g\.us/m);
      first.send(`/open ${alice}`);
      await first.waitFor(/── Alice \(15550100002@c\.us\) ──/);
      // Her history from the sandbox's default world.
      await first.waitFor(/Alice: Hi! Are we still on for Saturday\?/);
      const mark = first.out.length;
      first.send('Hello from the terminal test');
      const [, id] = await first.waitFor(/→ \[\d\d:\d\d\] You: Hello from the terminal test ✓ (3EB0[0-9A-F]{16})/, mark);
      // Alice's phone delivers, then reads (blue ticks): both receipts name the message.
      const delivered = await first.waitFor(/✓✓ delivered: "Hello from the terminal test"/, mark);
      const read = await first.waitFor(/✓✓ read: "Hello from the terminal test"/, mark);
      assert.ok(delivered.index < read.index, 'delivered before read');
      assert.match(id, /^3EB0/);
      // The Echo Bot types (a presence event of the subscribed chat) and answers in the open chat.
      first.send('/open Echo Bot');
      await first.waitFor(/── Echo Bot \(15550100099@c\.us\) ──/, mark);
      const echoMark = first.out.length;
      first.send('ping');
      await first.waitFor(/Echo Bot is typing…/, echoMark);
      await first.waitFor(/← \[\d\d:\d\d\] Echo Bot: echo: ping/, echoMark);
      first.send('/quit');
      const exit = await first.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, first.err);
      assert.equal(first.err, '');
    } finally {
      first.kill();
    }

    // The credentials file the client saved (mode 0600) and the sandbox's remembered session.
    const saved = JSON.parse(await readFile(auth, 'utf8'));
    assert.equal(saved.wid, '15550100001@c.us');
    assert.equal((await stat(auth)).mode & 0o777, 0o600);
    await stat(join(dir, 'session.sandbox-state.json'));

    const second = run(['--auth', auth]);
    try {
      await second.waitFor(/Logged in as Sandy Sandbox \(15550100001@c\.us\), restored from .*session\.json, no QR code needed/);
      await second.waitFor(/^\s+\d+\. Alice\s+15550100002@c\.us/m);
      // The message of the first run is in the restored server-side history, read by Alice.
      second.send('/open 15550100002');
      await second.waitFor(/You: Hello from the terminal test ✓✓/);
      second.send('/quit');
      assert.deepEqual(await second.exited, { code: 0, signal: null }, second.err);
      assert.doesNotMatch(second.out, /Scan this QR code/);
      // The restore rotated the tokens and saved them again.
      const restored = JSON.parse(await readFile(auth, 'utf8'));
      assert.notEqual(restored.clientToken, saved.clientToken);
      assert.equal(restored.clientId, saved.clientId);
    } finally {
      second.kill();
    }
  }),
);

test('a session the server forgot falls back to a new QR code', { timeout: 30_000 }, () =>
  withTempDir(async (dir) => {
    const auth = join(dir, 'session.json');
    await pairByQr(auth);
    // Without its state file the embedded sandbox starts empty: the saved tokens are unknown (401).
    await rm(join(dir, 'session.sandbox-state.json'));
    const second = run(['--auth', auth]);
    try {
      await second.waitFor(/The saved session is no longer valid \(UNPAIRED\); logging in again with a QR code/);
      await second.waitFor(/Scan this QR code/);
      await second.waitFor(/Logged in as Sandy Sandbox \(15550100001@c\.us\), paired by QR code/);
      second.send('/quit');
      assert.equal((await second.exited).code, 0, second.err);
    } finally {
      second.kill();
    }
  }),
);

test('a session file with a wrong encKey is reported (BAD_KEYS), deleted, and a new QR login follows', { timeout: 30_000 }, () =>
  withTempDir(async (dir) => {
    const auth = join(dir, 'session.json');
    await pairByQr(auth);
    // Tokens the sandbox still knows, keys that are not the session's.
    const saved = JSON.parse(await readFile(auth, 'utf8'));
    await writeFile(auth, JSON.stringify({ ...saved, encKey: Buffer.alloc(32, 7).toString('base64') }));
    const second = run(['--auth', auth]);
    try {
      await second.waitFor(/\(skipped a frame: (UNDECRYPTABLE|UNDECODABLE)\)/);
      await second.waitFor(/⚠ BAD_KEYS: the stored session keys are wrong/);
      await second.waitFor(/The saved session is no longer valid \(BAD_KEYS: its keys cannot read what the server sends\); logging in again with a QR code/);
      await second.waitFor(/Scan this QR code/);
      await second.waitFor(/Logged in as Sandy Sandbox \(15550100001@c\.us\), paired by QR code/);
      await second.waitFor(/^\s+\d+\. Alice\s+15550100002@c\.us/m);
      assert.doesNotMatch(second.out, /restored from/);
      second.send('/quit');
      assert.equal((await second.exited).code, 0, second.err);
    } finally {
      second.kill();
    }
    assert.notEqual(JSON.parse(await readFile(auth, 'utf8')).encKey, Buffer.alloc(32, 7).toString('base64'));
  }),
);

test('with --url it prints the QR code and waits for a real scan; /whois and /logout', { timeout: 30_000 }, () =>
  withTempDir(async (dir) => {
    const sandbox = await startSandbox();
    const auth = join(dir, 'remote.json');
    const child = run(['--url', sandbox.url, '--auth', auth]);
    try {
      const [, qr] = await child.waitFor(/wa-sandbox scan '([^']+)'/);
      assert.equal(sandbox.waitingRefs().length, 1);
      // Nothing logs in until the phone scans what the program printed.
      assert.doesNotMatch(child.out, /Logged in/);
      assert.equal(qr.split(',').length, 3);
      sandbox.phone.scan(qr);
      await child.waitFor(/Logged in as Sandy Sandbox \(15550100001@c\.us\), paired by QR code/);
      await child.waitFor(/^\s+\d+\. Alice\s+15550100002@c\.us/m);
      child.send('/whois 15550100002@c.us');
      await child.waitFor(/on WhatsApp: yes\n\s+status: Hiking somewhere ⛰\n\s+picture: https:\/\/pps\.whatsapp\.net\/v\/sandbox\/alice\.jpg/);
      child.send('/whois 19999999999');
      await child.waitFor(/\+19999999999 19999999999@c\.us\n\s+on WhatsApp: no/);
      // A message from a contact arrives while no chat is open.
      const from = child.out.length;
      sandbox.contact('15550100003@c.us').sendText('Are you there?');
      await child.waitFor(/← \[\d\d:\d\d\] Bob: Are you there\?\n\s+\(\/open 15550100003@c\.us to answer\)/, from);
      sandbox.contact('15550100003@c.us').sendText('Bob here, in the group', { group: '15550100001-1600000000@g.us' });
      await child.waitFor(/← \[\d\d:\d\d\] \[Weekend Trip\] Bob: Bob here, in the group/, from);
      child.send('plain text without an open chat');
      await child.waitFor(/No chat is open/);
      child.send('/logout');
      await child.waitFor(/Logged out/);
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.err);
      await assert.rejects(stat(auth), { code: 'ENOENT' });
      assert.equal(sandbox.sessions().length, 0);
    } finally {
      child.kill();
      await sandbox.close();
    }
  }),
);

test('/send uploads a file to the open chat and /download saves media back, byte for byte', { timeout: 30_000 }, () =>
  withTempDir(async (dir) => {
    const sandbox = await startSandbox();
    const photo = Uint8Array.from({ length: 20_000 }, (_, index) => (index * 7 + (index >> 9)) & 0xff);
    await writeFile(join(dir, 'summit.jpg'), photo);
    const child = run(['--url', sandbox.url, '--auth', join(dir, 'media.json')], { cwd: dir });
    try {
      const [, qr] = await child.waitFor(/wa-sandbox scan '([^']+)'/);
      sandbox.phone.scan(qr);
      await child.waitFor(/^\s+\d+\. Alice\s+15550100002@c\.us/m);
      child.send('/open Alice');
      await child.waitFor(/── Alice \(15550100002@c\.us\) ──/);
      // Opening Alice's chat read her unread message.
      await waitUntil(() => sandbox.world.chat(sandbox.world.requireAccount('15550100001@c.us'), '15550100002@c.us').unread === 0);
      const mark = child.out.length;
      child.send('/send summit.jpg');
      // The size and id belong to the message, the tick comes last.
      const [, id] = await child.waitFor(/→ \[\d\d:\d\d\] You: \[image\] \(20000 bytes, (3EB0[0-9A-F]{16})\) ✓\n/, mark);
      await child.waitFor(/✓✓ read: "\[image summit\.jpg, 20000 bytes\]"/, mark);
      assert.equal(sandbox.sandbox.media.usage.blobs, 1, 'one blob uploaded');
      assert.match(id, /^3EB0/);

      // Alice answers with a document; it shows as media and is the second one of the chat.
      const notes = new TextEncoder().encode('bring water\n');
      const document = sandbox.contact('15550100002@c.us').sendDocument(notes, { fileName: '../../notes.txt', mimetype: 'text/plain' });
      await child.waitFor(/← \[\d\d:\d\d\] Alice: \[document \.\.\/\.\.\/notes\.txt\]/, mark);
      // The chat is open: what arrives in it is read at once (Alice's phone sees blue ticks).
      const account = sandbox.world.requireAccount('15550100001@c.us');
      await waitUntil(() => sandbox.world.chat(account, '15550100002@c.us').messages.find((message) => message.id === document.id)?.status === 'READ');
      assert.equal(sandbox.world.chat(account, '15550100002@c.us').unread, 0);
      child.send('/download');
      await child.waitFor(/1\. image .*20000 bytes, from You\n\s+2\. document \.\.\/\.\.\/notes\.txt .*12 bytes, from Alice/, mark);
      child.send('/download 1');
      await child.waitFor(/saved .*image-3EB0[0-9A-F]{16}\.jpg \(20000 bytes\)/, mark);
      child.send('/download 2');
      await child.waitFor(/saved .*notes\.txt \(12 bytes\)/, mark);
      child.send('/download 2');
      await child.waitFor(/saved .*notes \(1\)\.txt \(12 bytes\)/, mark);
      child.send('/download 9');
      await child.waitFor(/There is no media message 9/, mark);
      child.send('/quit');
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.err);
      assert.deepEqual(new Uint8Array(await readFile(join(dir, `image-${id}.jpg`))), photo);
      // The sender's "../../" is dropped: the file lands in the current directory.
      assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'bring water\n');
      assert.equal(await readFile(join(dir, 'notes (1).txt'), 'utf8'), 'bring water\n');
    } finally {
      child.kill();
      await sandbox.close();
    }
  }),
);

test('mediaKindOf and downloadName', () => {
  assert.deepEqual(mediaKindOf('a/B.JPG'), { type: 'image', mimetype: 'image/jpeg' });
  assert.deepEqual(mediaKindOf('voice.opus'), { type: 'audio', mimetype: 'audio/ogg; codecs=opus' });
  assert.deepEqual(mediaKindOf('clip.mp4'), { type: 'video', mimetype: 'video/mp4' });
  assert.deepEqual(mediaKindOf('sticker.webp'), { type: 'sticker', mimetype: 'image/webp' });
  assert.deepEqual(mediaKindOf('plan'), { type: 'document', mimetype: 'application/octet-stream' });
  assert.equal(downloadName({ type: 'document', fileName: '..\\..\\evil.bat' }, 'X'), 'evil.bat');
  assert.equal(downloadName({ type: 'document', fileName: '..' }, 'X'), 'document-X.bin');
  assert.equal(downloadName({ type: 'image', mimetype: 'image/jpeg' }, '3EB0AA'), 'image-3EB0AA.jpg');
});

test('bad command lines exit 2 with the usage', { timeout: 10_000 }, async () => {
  const child = run(['--url', 'http://example.com']);
  try {
    assert.deepEqual(await child.exited, { code: 2, signal: null });
    assert.match(child.err, /--url must be a ws:\/\/ or wss:\/\/ URL/);
    assert.match(child.err, /Usage:/);
  } finally {
    child.kill();
  }
});

test('parseOptions and parseJid', () => {
  const embedded = parseOptions(['--auth', 'me.json'], { cwd: '/home/u' });
  assert.deepEqual(embedded, { url: undefined, authPath: '/home/u/me.json', sandboxStatePath: '/home/u/me.sandbox-state.json', help: false });
  const remote = parseOptions(['--url', 'wss://web.whatsapp.com/ws'], { cwd: '/home/u', sessionDir: '/s' });
  assert.equal(remote.authPath, '/s/session.json');
  assert.deepEqual(parseOptions([], { sessionDir: '/s' }), { url: undefined, authPath: '/s/sandbox.json', sandboxStatePath: '/s/sandbox.sandbox-state.json', help: false });
  assert.equal(remote.sandboxStatePath, undefined);
  assert.throws(() => parseOptions(['--what']), UsageError);
  assert.throws(() => parseOptions(['--auth']), UsageError);
  assert.equal(parseJid('+1 555-010-0002'), '15550100002@c.us');
  assert.equal(parseJid('15550100002@s.whatsapp.net'), '15550100002@c.us');
  assert.equal(parseJid('15550100001-1600000000@g.us'), '15550100001-1600000000@g.us');
  assert.equal(parseJid('alice'), undefined);
  assert.equal(parseJid('x@c.us'), undefined);
});
