// End to end against a sandbox server of the test's own (`--url`): the /group commands and the
// system lines of group changes, by this account and by scripted contacts; locations, contact
// cards, messages deleted for everyone and starred; chat actions and their markers in /chats;
// search, blocking and the own profile. What the program prints is checked against the world
// the sandbox keeps, not against the program's own notion.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '@wa/sandbox';
import { groupSentence } from '@wa/client';
import { nameOf } from '../src/system-lines.mjs';
import { specialContent, vcardName } from '../src/format.mjs';
import { splitArguments } from '../src/group-commands.mjs';
import { run, waitUntil, withTempDir } from './support.mjs';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const CAROL = '15550100004@c.us';
const DAVE = '15550100005@c.us';

/** Starts the program against `sandbox`, scans its QR code, waits for the chat list. */
async function loggedIn(sandbox, dir) {
  const child = run(['--url', sandbox.url, '--auth', join(dir, 'session.json')]);
  const [, qr] = await child.waitFor(/wa-sandbox scan '([^']+)'/);
  sandbox.phone.scan(qr);
  await child.waitFor(/^\s+\d+\. Alice\s+15550100002@c\.us/m);
  return child;
}

test('/group commands, and group changes by others, as system lines; history shows them too', { timeout: 60_000 }, () =>
  withTempDir(async (dir) => {
    const sandbox = await startSandbox();
    const child = await loggedIn(sandbox, dir);
    try {
      let mark = child.out.length;
      child.send('/group create "Book club" alice 15550100003');
      const [, gid] = await child.waitFor(/created "Book club" (15550100001-\d+@g\.us)/, mark);
      await child.waitFor(/\[\d\d:\d\d\] • You created group "Book club"/, mark);
      // The program opened the new group.
      await child.waitFor(new RegExp(`── Book club \\(${gid.replace('.', '\\.')}\\) ──`), mark);
      const group = () => sandbox.world.requireGroup(gid);
      assert.deepEqual(group().participants.map((participant) => participant.jid).sort(), [ME, ALICE, BOB].sort());

      mark = child.out.length;
      child.send('/group subject Reading club');
      await child.waitFor(/• You changed the subject to "Reading club"/, mark);
      assert.equal(group().subject, 'Reading club');

      mark = child.out.length;
      child.send('/group add carol nobody-like-this');
      await child.waitFor(/nobody matches "nobody-like-this"/, mark);
      await child.waitFor(/• You added Carol/, mark);
      child.send('/group add carol');
      // Carol is in it already: the server's per-participant code, 409.
      await child.waitFor(/✗ Carol: 409 \(already in the group\)/, mark);
      child.send('/group promote alice');
      await child.waitFor(/• You made Alice an admin/, mark);
      assert.equal(group().participants.find((participant) => participant.jid === ALICE)?.isAdmin, true);

      // Changes by scripted contacts arrive as system lines as well.
      mark = child.out.length;
      sandbox.contact(ALICE).removeFromGroup(gid, [CAROL]);
      await child.waitFor(/• Alice removed Carol/, mark);
      sandbox.contact(BOB).leaveGroup(gid);
      await child.waitFor(/• Bob left/, mark);
      sandbox.contact(ALICE).setGroupSubject(gid, 'Readers');
      await child.waitFor(/• Alice changed the subject to "Readers"/, mark);

      mark = child.out.length;
      child.send('/group description Monthly books, first Friday');
      await child.waitFor(/• You changed the group description/, mark);
      assert.equal(group().desc, 'Monthly books, first Friday');

      mark = child.out.length;
      child.send('/group info');
      await child.waitFor(/Readers 15550100001-\d+@g\.us\n\s+created by You on \d{4}-\d\d-\d\d at \d\d:\d\d\n\s+description: Monthly books, first Friday\n\s+2 participants:/, mark);
      await child.waitFor(/Alice \(admin\) 15550100002@c\.us/, mark);
      await child.waitFor(/You \(creator, admin\) 15550100001@c\.us/, mark);

      child.send('/group invite');
      const [, code] = await child.waitFor(/invite link: https:\/\/chat\.whatsapp\.com\/([A-Za-z0-9]+)/, mark);
      assert.ok(code.length >= 6);

      // A group change elsewhere carries the group's name.
      mark = child.out.length;
      child.send('/open Alice');
      await child.waitFor(/── Alice \(15550100002@c\.us\) ──/, mark);
      sandbox.contact(ALICE).addToGroup(gid, [DAVE]);
      await child.waitFor(/\[Readers\] • Alice added Dave \(work\)/, mark);

      // The history of the group tells the same story, stub by stub.
      mark = child.out.length;
      child.send(`/open ${gid}`);
      await child.waitFor(/• Alice added Dave \(work\)/, mark);
      const history = child.out.slice(mark);
      const order = ['You created group "Book club"', 'You changed the subject to "Reading club"', 'You added Carol', 'Alice removed Carol', 'Bob left', 'Alice changed the subject to "Readers"'];
      const positions = order.map((line) => history.indexOf(`• ${line}`));
      assert.ok(positions.every((at) => at >= 0), `${order} in\n${history}`);
      assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'oldest first');

      mark = child.out.length;
      child.send('/group demote alice');
      await child.waitFor(/• You dismissed Alice as admin/, mark);
      assert.equal(group().participants.find((participant) => participant.jid === ALICE)?.isAdmin, false);
      child.send('/group add carol');
      await child.waitFor(/• You added Carol/, mark);
      child.send('/group remove carol');
      await child.waitFor(/• You removed Carol/, mark);
      child.send('/group leave');
      await child.waitFor(/• You left/, mark);
      assert.equal(group().participants.some((participant) => participant.jid === ME), false);
      child.send('/chats');
      await child.waitFor(/Readers\s+15550100001-\d+@g\.us \(left\)/, mark);
      child.send('/group subject Again');
      // The server's refusal for someone who left.
      await child.waitFor(/⚠ .*40[13]/, mark);

      // The invite code brings one back.
      mark = child.out.length;
      child.send(`/group join https://chat.whatsapp.com/${code}`);
      await child.waitFor(new RegExp(`joined ${gid.replace('.', '\\.')}`), mark);
      await child.waitFor(/• You joined using this group's invite link/, mark);
      assert.equal(group().participants.some((participant) => participant.jid === ME), true);

      child.send('/quit');
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.err);
    } finally {
      child.kill();
      await sandbox.close();
    }
  }),
);

test('locations, contact cards, deletes for everyone, stars; chat actions, search, blocking, profile', { timeout: 60_000 }, () =>
  withTempDir(async (dir) => {
    const sandbox = await startSandbox();
    const child = await loggedIn(sandbox, dir);
    const account = sandbox.world.requireAccount(ME);
    const aliceChat = () => sandbox.world.chat(account, ALICE);
    try {
      let mark = child.out.length;
      child.send('/open Alice');
      // Her history is there (so what she sends next is new).
      await child.waitFor(/── Alice \(15550100002@c\.us\) ──\n(.*\n)*.*Alice: Great, see you there/, mark);
      mark = child.out.length;
      const alice = sandbox.contact(ALICE);
      alice.sendLocation({ latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor' });
      await child.waitFor(/← \[\d\d:\d\d\] Alice: 📍 Location: Brandenburger Tor \(52\.5163, 13\.3777\) https:\/\/maps\.google\.com\/maps\?q=52\.5163,13\.3777/, mark);
      alice.sendContact('BEGIN:VCARD\nVERSION:3.0\nFN:Zed Zero\nTEL;type=CELL;waid=15550100009:+1 555 010 0009\nEND:VCARD');
      await child.waitFor(/← \[\d\d:\d\d\] Alice: 👤 Contact: Zed Zero/, mark);
      const oops = alice.sendText('oops, wrong chat');
      await child.waitFor(/Alice: oops, wrong chat/, mark);
      alice.revoke(oops.id);
      await child.waitFor(/🚫 Alice: This message was deleted/, mark);

      // Delete one's own message for everyone.
      mark = child.out.length;
      child.send('sent by mistake');
      const [, mine] = await child.waitFor(/You: sent by mistake ✓ (3EB0[0-9A-F]{16})/, mark);
      child.send('/delete everyone');
      await child.waitFor(/🚫 You: This message was deleted/, mark);
      // On the server the message kept its key and lost its content.
      const stored = () => aliceChat().messages.find((message) => message.id === mine);
      await waitUntil(() => !Buffer.from(stored()?.raw ?? '', 'base64').toString('latin1').includes('sent by mistake'));
      assert.ok(stored() !== undefined);

      // Star the newest message there is (the contact card).
      mark = child.out.length;
      child.send('/star');
      await child.waitFor(/⭐ Starred: \[\d\d:\d\d\] Alice: 👤 Contact: Zed Zero ⭐/, mark);
      await waitUntil(() => aliceChat().messages.some((message) => message.starred === true));

      // Reopening shows the history: the location, the card (starred) and both deleted messages.
      mark = child.out.length;
      child.send('/open Alice');
      await child.waitFor(/Alice: 👤 Contact: Zed Zero ⭐\n.*Alice: 🚫 This message was deleted\n.*You: 🚫 This message was deleted/, mark);
      const history = child.out.slice(mark);
      assert.match(history, /Alice: 📍 Location: Brandenburger Tor/);
      assert.equal(history.match(/This message was deleted/g)?.length, 2, history);

      // Chat actions: the confirmations, the markers in /chats, the sandbox's chat list.
      mark = child.out.length;
      child.send('/archive');
      await child.waitFor(/📦 Archived Alice/, mark);
      child.send('/open Bob');
      child.send('/pin');
      await child.waitFor(/📌 Pinned Bob/, mark);
      child.send('/mute 60');
      await child.waitFor(/🔕 Muted Bob until/, mark);
      assert.equal(aliceChat().archived, true);
      await waitUntil(() => sandbox.world.chat(account, BOB).pin !== undefined && sandbox.world.chat(account, BOB).mute > 0);
      child.send('/chats');
      await child.waitFor(/1\. Bob\s+15550100003@c\.us 📌 🔕/, mark);
      await child.waitFor(/Archived:\n\s+\d+\. Alice\s+15550100002@c\.us 📦/, mark);
      child.send('/mute off');
      await child.waitFor(/🔔 Unmuted Bob/, mark);
      // The phone does it: a push, told as such.
      sandbox.phone.archiveChat(CAROL);
      await child.waitFor(/📦 Archived Carol \(on another device\)/, mark);

      mark = child.out.length;
      child.send('/search Saturday');
      await child.waitFor(/\[Alice\] \[\d\d:\d\d\] Alice: Hi! Are we still on for Saturday\?/, mark);
      child.send('/search no such words anywhere');
      await child.waitFor(/Nothing found for "no such words anywhere"/, mark);

      mark = child.out.length;
      child.send('/block dave');
      await child.waitFor(/⛔ Blocked Dave \(work\)/, mark);
      assert.deepEqual(sandbox.phone.blocklist(), [DAVE]);
      child.send('/chats');
      await child.waitFor(/Dave \(work\)\s+15550100005@c\.us ⛔/, mark);
      child.send('/unblock 15550100005');
      await child.waitFor(/✅ Unblocked Dave \(work\)/, mark);
      assert.deepEqual(sandbox.phone.blocklist(), []);

      mark = child.out.length;
      child.send('/name Sandy S.');
      await child.waitFor(/your name is now "Sandy S\."/, mark);
      child.send('/about Testing the terminal');
      await child.waitFor(/your about is now "Testing the terminal"/, mark);
      await waitUntil(() => sandbox.world.requireUser(ME).status === 'Testing the terminal');
      assert.equal(sandbox.world.requireUser(ME).name, 'Sandy S.');

      // A location of one's own.
      child.send('/location 48.8584 2.2945 Tour Eiffel');
      await child.waitFor(/→ \[\d\d:\d\d\] You: 📍 Location: Tour Eiffel \(48\.8584, 2\.2945\)/, mark);
      await waitUntil(() => Buffer.from(sandbox.world.chat(account, BOB).messages.at(-1)?.raw ?? '', 'base64').toString('latin1').includes('Tour Eiffel'));

      child.send('/quit');
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.err);
    } finally {
      child.kill();
      await sandbox.close();
    }
  }),
);

test('group lines in the terminal\'s names, vCard names, special content', () => {
  const names = { of: (jid) => ({ [ME]: 'You', [ALICE]: 'Alice', [BOB]: 'Bob', [CAROL]: 'Carol' })[jid] ?? jid };
  // The sentences are @wa/client's (its group-sentences test has every action); here, that the
  // terminal's name book reaches them.
  const at = { timestamp: 0, gid: 'x@g.us' };
  assert.equal(groupSentence({ ...at, action: 'add', actor: ALICE, participants: [BOB, ME] }, nameOf(names)), 'Alice added Bob and you');
  assert.equal(vcardName('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed\\, the\r\n  Second\r\nEND:VCARD'), 'Zed, the Second');
  assert.equal(vcardName('BEGIN:VCARD\nEND:VCARD'), undefined);
  const plain = { dim: (text) => text };
  assert.equal(specialContent({ kind: 'contacts', contacts: [{ vcard: 'FN:A' }, { displayName: 'B', vcard: '' }] }, plain), '👤 2 contacts: A, B');
  assert.equal(specialContent({ kind: 'stub', stubType: 'REVOKE' }, plain), '🚫 This message was deleted');
  assert.equal(specialContent({ kind: 'text' }, plain), undefined);
  assert.deepEqual(splitArguments(`"Book club" alice 'Dave (work)'`), ['Book club', 'alice', 'Dave (work)']);
});
