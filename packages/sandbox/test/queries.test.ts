import type { Node } from '@wa/binary-codec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { eventually, loggedInClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

/**
 * The sealed queries about stored messages (docs/protocol/queries.md): `message_info` (metric 22),
 * `search` (metric 24) and `media` (metric 4), with the answer shapes Baileys 3.5.3 parses
 * (lib/WAConnection/7.MessagesExtra.js messageInfo and searchMessages, 6.MessagesSend.js
 * updateMediaMessage). The frames asserted here are the examples of the protocol page.
 */

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const bob = '15550100003@c.us';
const carol = '15550100004@c.us';
const group = '15550100001-1600000000@g.us';
const T0 = 1_700_000_000;

let sandbox: Sandbox;
let clock: ManualClock;
let client: MiniClient;
let epoch = 10;

beforeEach(async () => {
  clock = new ManualClock(T0 * 1000);
  sandbox = new Sandbox({ clock, latency: 0 });
  // No contact acknowledges by itself: the tests decide who gets and reads what, and when.
  for (const jid of [alice, bob, carol]) sandbox.contact(jid).configure({ deliverAfterMs: null, readAfterMs: null });
  client = await loggedInClient(sandbox);
});

afterEach(() => sandbox.close());

/** A sealed query; the node answer, or the JSON status. */
async function ask(attrs: Record<string, string>, metric: number): Promise<Node | { status: unknown }> {
  epoch += 1;
  const reply = await client.query(['query', { ...attrs, epoch: String(epoch) }, null], metric);
  if (reply.kind === 'node') return reply.node;
  if (reply.kind === 'json') return reply.json as { status: unknown };
  throw new Error(`unexpected ${reply.kind} answer`);
}

function account() {
  return sandbox.world.requireAccount(me);
}

describe('query message_info', () => {
  it('lists who got and who read a group message, each with the time of their ack', async () => {
    const { id } = await client.sendText(group, 'Who is driving?');
    sandbox.contact(bob).receiveMessages({ group });
    clock.advance(5_000);
    sandbox.contact(alice).readMessages({ group });
    await eventually(() => client.received.filter((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'MsgInfo').length >= 2);

    const answer = await ask({ type: 'message_info', index: id, jid: group }, 22);
    expect(answer).toEqual([
      'response',
      { type: 'message_info' },
      [
        ['read', null, [['user', { jid: alice, t: String(T0 + 5) }, null]]],
        [
          'delivery',
          null,
          [
            ['user', { jid: bob, t: String(T0) }, null],
            ['user', { jid: alice, t: String(T0 + 5) }, null],
          ],
        ],
      ],
    ]);
    // What Baileys 3.5.3 makes of it: the attributes of the children of the first read/delivery node.
    const children = (answer as Node)[2] as Node[];
    expect(children.find((node) => node[0] === 'read')![2]).toHaveLength(1);
  });

  it('leaves out a list nobody is in, answers 1:1 messages too, and keeps the first time of each ack', async () => {
    const { id } = await client.sendText(alice, 'Saturday 10am?');
    expect(await ask({ type: 'message_info', index: id, jid: alice }, 22)).toEqual(['response', { type: 'message_info' }, []]);
    sandbox.contact(alice).receiveMessages();
    clock.advance(60_000);
    sandbox.contact(alice).receiveMessages();
    expect(await ask({ type: 'message_info', index: id, jid: alice }, 22)).toEqual([
      'response',
      { type: 'message_info' },
      [['delivery', null, [['user', { jid: alice, t: String(T0) }, null]]]],
    ]);
  });

  it('refuses an unknown message or one the account did not send with 404, a query without index with 400', async () => {
    const incoming = sandbox.contact(alice).sendText('not yours to inspect');
    expect(await ask({ type: 'message_info', index: '3EB0000000000000DEAD', jid: group }, 22)).toEqual({ status: 404 });
    expect(await ask({ type: 'message_info', index: incoming.id, jid: alice }, 22)).toEqual({ status: 404 });
    expect(await ask({ type: 'message_info', jid: group }, 22)).toEqual({ status: 400 });
  });

  it('the receipt times survive a restart with the state file', async () => {
    const { id } = await client.sendText(group, 'Kept?');
    sandbox.contact(carol).readMessages({ group });
    const state = JSON.parse(JSON.stringify(sandbox.exportState())) as SandboxState;
    const message = state.world.accounts[0]!.chats.find((chat) => chat.jid === group)!.messages.find((entry) => entry.id === id)!;
    expect(message.receipts).toEqual([{ jid: carol, delivered: T0, read: T0 }]);
    const second = new Sandbox({ clock, latency: 0, state });
    try {
      expect(second.world.findMessage(second.world.requireAccount(me), id)!.message.receipts).toEqual([{ jid: carol, delivered: T0, read: T0 }]);
    } finally {
      second.close();
    }
    // A hand-edited state with a bad receipt is refused, naming the field.
    message.receipts = [{ jid: 'nobody', delivered: T0 }];
    expect(() => new Sandbox({ state })).toThrow(/receipts\[0\]\.jid/);
  });
});

describe('query search', () => {
  it('finds a stored text in any chat, case-insensitively, as one last page', async () => {
    const answer = (await ask({ type: 'search', search: 'STATION', count: '10', page: '1' }, 24)) as Node;
    expect(answer[0]).toBe('response');
    expect(answer[1]).toEqual({ type: 'search', last: 'true' });
    const found = messagesOf(answer);
    expect(found.map((info) => info.message?.conversation)).toEqual(['Yes, 10am at the station']);
    expect(found[0]!.key).toMatchObject({ remoteJid: '15550100002@s.whatsapp.net', fromMe: true });
  });

  it('pages newest first by count and page, with last:"true" only on the final page', async () => {
    for (let i = 1; i <= 5; i++) {
      clock.advance(1_000);
      sandbox.contact(i % 2 === 0 ? bob : alice).sendText(`apple pie #${i}`);
    }
    const page = async (n: number, count = 2): Promise<{ attrs: unknown; texts: unknown[] }> => {
      const node = (await ask({ type: 'search', search: 'apple', count: String(count), page: String(n) }, 24)) as Node;
      return { attrs: node[1], texts: messagesOf(node).map((info) => info.message?.conversation) };
    };
    expect(await page(1)).toEqual({ attrs: { type: 'search' }, texts: ['apple pie #5', 'apple pie #4'] });
    expect(await page(2)).toEqual({ attrs: { type: 'search' }, texts: ['apple pie #3', 'apple pie #2'] });
    expect(await page(3)).toEqual({ attrs: { type: 'search', last: 'true' }, texts: ['apple pie #1'] });
    expect(await page(4)).toEqual({ attrs: { type: 'search', last: 'true' }, texts: [] });
    expect(await page(1, 5)).toEqual({ attrs: { type: 'search', last: 'true' }, texts: ['apple pie #5', 'apple pie #4', 'apple pie #3', 'apple pie #2', 'apple pie #1'] });
    // jid: only that chat.
    const inBob = (await ask({ type: 'search', search: 'apple', count: '10', page: '1', jid: bob }, 24)) as Node;
    expect(messagesOf(inBob).map((info) => info.message?.conversation)).toEqual(['apple pie #4', 'apple pie #2']);
  });

  it('finds captions of media messages', async () => {
    sandbox.contact(carol).sendImage(new Uint8Array(300).fill(7), { caption: 'The lake at dawn' });
    const node = (await ask({ type: 'search', search: 'lake at', count: '5', page: '1' }, 24)) as Node;
    expect(messagesOf(node).map((info) => info.message?.imageMessage?.caption)).toEqual(['The lake at dawn']);
  });

  it('answers 400 for an empty text or a count or page that is not a positive whole number', async () => {
    expect(await ask({ type: 'search', search: '', count: '10', page: '1' }, 24)).toEqual({ status: 400 });
    expect(await ask({ type: 'search', search: 'x', count: '0', page: '1' }, 24)).toEqual({ status: 400 });
    expect(await ask({ type: 'search', search: 'x', count: 'ten', page: '1' }, 24)).toEqual({ status: 400 });
    expect(await ask({ type: 'search', search: 'x', count: '10', page: '-1' }, 24)).toEqual({ status: 400 });
  });
});

describe('query media', () => {
  it('answers the current url and directPath of a message whose URL expired', async () => {
    const sent = sandbox.contact(alice).sendImage(new Uint8Array(500).fill(3), { caption: 'old photo' });
    const image = messagesOf((await client.waitForNode((node) => node[1]?.add === 'relay')).node)[0]!.message!.imageMessage!;
    const blobId = /\/d\/f\/([0-9a-f]{32})\.enc$/.exec(image.directPath!)![1]!;
    expect(sandbox.media.download(image.url!)).toBeDefined();

    expect(sandbox.media.expire(image.url!, 410)).toBe(true);
    expect(sandbox.media.download(image.url!)).toBeUndefined();
    expect(sandbox.media.expired(image.url!)).toBe(410);
    expect(sandbox.media.expired(image.directPath!)).toBe(410);
    expect(() => sandbox.media.expire(image.url!, 500 as 404)).toThrow(/404 or 410/);

    const answer = await ask({ type: 'media', index: sent.id, owner: 'false', jid: alice }, 4);
    expect(answer).toEqual(['media', { code: '200', url: `http://media.sandbox.invalid/d/f/${blobId}.enc?v=1`, directPath: `/d/f/${blobId}.enc?v=1` }, null]);
    const fresh = (answer as Node)[1]!;
    expect(sandbox.media.download(fresh.url!)).toEqual(sandbox.media.download(fresh.directPath!));
    expect(sandbox.media.download(fresh.url!)!.length).toBeGreaterThan(500);
    // The old URL stays gone; history replays point at the fresh one.
    expect(sandbox.media.download(image.url!)).toBeUndefined();
    expect(sandbox.media.expired(fresh.url!)).toBeUndefined();
    const page = (await ask({ type: 'message', jid: alice, kind: 'before', count: '1' }, 7)) as Node;
    expect(messagesOf(page)[0]!.message!.imageMessage!.url).toBe(fresh.url);
  });

  it('refuses an unknown message with 404 and a message without media with 400', async () => {
    const text = sandbox.contact(alice).sendText('no media here');
    expect(await ask({ type: 'media', index: 'NOPE', owner: 'false', jid: alice }, 4)).toEqual({ status: 404 });
    // owner tells one's own message from the other side's.
    expect(await ask({ type: 'media', index: text.id, owner: 'true', jid: alice }, 4)).toEqual({ status: 404 });
    expect(await ask({ type: 'media', index: text.id, owner: 'false', jid: alice }, 4)).toEqual({ status: 400 });
    expect(account().chats.length).toBeGreaterThan(0);
  });
});
