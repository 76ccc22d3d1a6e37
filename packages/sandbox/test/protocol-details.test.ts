import type { Node } from '@wa/binary-codec';
import { utf8Decode } from '@wa/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import { eventually, loggedInClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

/**
 * Details independent clients rely on (FACTS.md "History and chat attributes", "Groups"), each
 * checked against what such a client reads.
 */

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const group = '15550100001-1600000000@g.us';

let sandbox: Sandbox;
let client: MiniClient;

beforeEach(async () => {
  sandbox = new Sandbox({ clock: new ManualClock(1_700_000_000_000), latency: 0 });
  client = await loggedInClient(sandbox);
});

afterEach(() => sandbox.close());

/** Alice's chat as a list of texts, oldest first, after adding `extra` messages from her. */
function seedAlice(extra: number): string[] {
  for (let i = 0; i < extra; i++) sandbox.contact(alice).sendText(`more ${i}`);
  return sandbox.world.chat(sandbox.world.requireAccount(me), alice)!.messages.map((message) => message.text!);
}

async function history(attrs: Record<string, string>): Promise<{ attrs: Record<string, string>; texts: string[] }> {
  const reply = await client.query(['query', { type: 'message', jid: alice, epoch: '5', ...attrs }, null], 7);
  const node = (reply as { node: Node }).node;
  return { attrs: node[1] as Record<string, string>, texts: messagesOf(node).map((info) => info.message!.conversation!) };
}

describe('history pages', () => {
  it('kind:"after" returns the messages after index, oldest first, with last at the newest', async () => {
    const all = seedAlice(6);
    const chat = sandbox.world.chat(sandbox.world.requireAccount(me), alice)!;
    const second = chat.messages[1]!;
    const page = await history({ kind: 'after', index: second.id, owner: String(second.fromMe), count: '3' });
    expect(page.attrs).toEqual({ add: 'after' });
    expect(page.texts).toEqual(all.slice(2, 5));
    const tail = await history({ kind: 'after', index: chat.messages[5]!.id, owner: 'false', count: '50' });
    expect(tail.attrs).toEqual({ add: 'after', last: 'true' });
    expect(tail.texts).toEqual(all.slice(6));
    // Without an index the page starts at the beginning of the chat.
    expect((await history({ kind: 'after', count: '2' })).texts).toEqual(all.slice(0, 2));
  });

  it('kind:"before" still pages backwards, oldest first, with last at the start', async () => {
    const all = seedAlice(4);
    const chat = sandbox.world.chat(sandbox.world.requireAccount(me), alice)!;
    const page = await history({ kind: 'before', index: chat.messages[5]!.id, owner: 'false', count: '2' });
    expect(page).toEqual({ attrs: { add: 'before' }, texts: all.slice(3, 5) });
    const start = await history({ kind: 'before', index: chat.messages[2]!.id, owner: 'false', count: '10' });
    expect(start).toEqual({ attrs: { add: 'before', last: 'true' }, texts: all.slice(0, 2) });
  });

  it('owner tells two messages with the same id apart', async () => {
    seedAlice(3);
    const chat = sandbox.world.chat(sandbox.world.requireAccount(me), alice)!;
    // An own message and one of Alice's that share an id (ids are per sender on the real service).
    chat.messages[4]!.id = chat.messages[1]!.id;
    const theirs = await history({ kind: 'after', index: chat.messages[1]!.id, owner: 'false', count: '1' });
    expect(theirs.texts).toEqual([chat.messages[5]!.text]);
    const mine = await history({ kind: 'after', index: chat.messages[1]!.id, owner: 'true', count: '1' });
    expect(mine.texts).toEqual([chat.messages[2]!.text]);
  });
});

describe('the add:last push after login', () => {
  it('lists the newest message first: the most recent chat first, each chat newest first', async () => {
    const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'last');
    // One push with all of it: `last` (clients built in 2020 finish their login on it).
    expect(node[1]).toEqual({ add: 'last', last: 'true' });
    const infos = messagesOf(node);
    const timestamps = infos.map((info) => Number(info.messageTimestamp));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
    // The newest message of the world is Echo Bot's greeting (10 minutes ago).
    expect(infos[0]!.message?.conversation).toBe('Send me anything and I will echo it back.');
    const aliceTexts = infos.filter((info) => info.key.remoteJid === '15550100002@s.whatsapp.net').map((info) => info.message?.conversation);
    expect(aliceTexts).toEqual(['Great, see you there 👋', 'Yes, 10am at the station', 'Hi! Are we still on for Saturday?']);
  });
});

describe('read_only and the binary group query', () => {
  it('read_only appears only on a group the account has left', async () => {
    const chats = async (): Promise<Record<string, Record<string, string>>> => {
      const reply = await client.query(['query', { type: 'chat', epoch: '2' }, null], 5);
      const list = (reply as { node: Node }).node[2] as Array<[string, Record<string, string>, null]>;
      return Object.fromEntries(list.map(([, attrs]) => [attrs.jid, attrs]));
    };
    for (const attrs of Object.values(await chats())) expect(attrs).not.toHaveProperty('read_only');
    const weekend = sandbox.world.requireGroup(group);
    weekend.participants = weekend.participants.filter((participant) => participant.jid !== me);
    const after = await chats();
    expect(after[group]).toMatchObject({ read_only: 'true' });
    expect(after[alice]).not.toHaveProperty('read_only');
  });

  it('answers ["query",{"type":"group","jid"}] with creator, participants and description, also after leaving', async () => {
    const ask = async (): Promise<Node> => ((await client.query(['query', { type: 'group', jid: group, epoch: '3' }, null], 10)) as { node: Node }).node;
    const answer = await ask();
    expect(answer[0]).toBe('response');
    const [description, attrs, children] = (answer[2] as Node[])[0]!;
    expect(description).toBe('group');
    expect(attrs).toMatchObject({ jid: group, creator: me, create: '1600000000', subject: 'Weekend Trip' });
    const parts = (children as Node[]).filter((child) => child[0] === 'participant').map((child) => child[1]);
    expect(parts).toEqual([
      { jid: me, type: 'superadmin' },
      { jid: alice, type: 'admin' },
      { jid: '15550100003@c.us' },
      { jid: '15550100004@c.us' },
    ]);
    const desc = (children as Node[]).find((child) => child[0] === 'description')!;
    expect(desc[1]).toEqual({ id: 'D1600000000' });
    expect(utf8Decode(desc[2] as Uint8Array)).toBe('Planning the trip to the lake');

    const weekend = sandbox.world.requireGroup(group);
    weekend.participants = weekend.participants.filter((participant) => participant.jid !== me);
    // The JSON query is for members; the binary one still answers a former member.
    expect(await client.request(['query', 'GroupMetadata', group])).toEqual({ status: 401 });
    expect(((await ask())[2] as Node[])[0]![1]).toMatchObject({ subject: 'Weekend Trip' });
    expect(await client.query(['query', { type: 'group', jid: '1-1@g.us', epoch: '4' }, null], 10)).toMatchObject({ kind: 'json', json: { status: 404 } });
  });
});

describe('mark unread', () => {
  it('count:"-2" marks the chat unread (count -1) and reads nothing', async () => {
    const account = sandbox.world.requireAccount(me);
    const chat = sandbox.world.chat(account, alice)!;
    chat.unread = 0;
    const last = chat.messages.at(-1)!;
    const statuses = chat.messages.map((message) => message.status);
    const reply = await client.query(['action', { type: 'set', epoch: '6' }, [['read', { jid: alice, index: last.id, owner: 'false', count: '-2' }, null]]], 11);
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect(chat.unread).toBe(-1);
    expect(chat.messages.map((message) => message.status)).toEqual(statuses);
    const listed = (await client.query(['query', { type: 'chat', epoch: '7' }, null], 5)) as { node: Node };
    const attrs = (listed.node[2] as Node[]).map((child) => child[1] as Record<string, string>).find((entry) => entry.jid === alice);
    expect(attrs?.count).toBe('-1');
    // A real read afterwards clears it.
    await client.query(['action', { type: 'set', epoch: '8' }, [['read', { jid: alice, index: last.id, owner: 'false', count: '1' }, null]]], 11);
    await eventually(() => chat.unread === 0);
  });
});
