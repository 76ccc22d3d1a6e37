import { defaultWorld, startSandbox, type RunningSandbox, type StartSandboxOptions } from '@wa/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestError, WAClient, type HistoryProgress, type RawNodeEvent } from '../src/index.ts';

/**
 * The queries of docs/protocol/queries.md over a real WebSocket and real HTTP (startSandbox on
 * 127.0.0.1): message_info, search, a whole long chat, a media download whose URL expired (410)
 * and is refreshed, last seen.
 */

const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const CAROL = '15550100004@c.us';
const GROUP = '15550100001-1600000000@g.us';
let sandbox: RunningSandbox;
let client: WAClient;

afterEach(async () => {
  await client?.close();
  await sandbox?.close();
});

async function open(options: StartSandboxOptions = {}, fetchImpl?: typeof fetch): Promise<void> {
  sandbox = await startSandbox(options);
  for (const jid of [ALICE, BOB, CAROL]) sandbox.contact(jid).configure({ deliverAfterMs: null, readAfterMs: null });
  client = new WAClient({ url: sandbox.url, requestTimeoutMs: 5_000, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  await client.connect();
}

describe('queries over a real socket', () => {
  it('messageInfo names who got and read a group message; an unknown id is a 404', async () => {
    await open();
    const sent = await client.sendText(GROUP, 'Who brings the map?');
    sandbox.contact(CAROL).receiveMessages({ group: GROUP });
    sandbox.contact(BOB).readMessages({ group: GROUP });
    await client.waitFor('receipt', { filter: (r) => r.id === sent.id && r.ack === 3 && r.participant === BOB });
    const info = await client.messageInfo(GROUP, sent.id);
    expect(info.reads.map((entry) => entry.jid)).toEqual([BOB]);
    expect(info.deliveries.map((entry) => entry.jid).sort()).toEqual([BOB, CAROL]);
    for (const entry of [...info.reads, ...info.deliveries]) expect(entry.timestamp).toBeGreaterThan(1_600_000_000);
    await expect(client.messageInfo(GROUP, '3EB0FFFFFFFFFFFFFFFF')).rejects.toMatchObject({ name: 'RequestError', status: 404 });
  });

  it('searchMessages finds seeded texts across chats', async () => {
    await open();
    const { messages, last } = await client.searchMessages('tickets');
    expect(last).toBe(true);
    expect(messages.map((m) => [m.chat, m.text])).toEqual([[BOB, 'Did you get the tickets?']]);
  });

  it('loadAllMessages reads a chat of 540 messages with progress, and loadMessages({ after }) pages forwards', async () => {
    const world = defaultWorld();
    world.accounts[0]!.chats![CAROL] = Array.from({ length: 540 }, (_, i) => ({ from: i % 2 ? 'me' : CAROL, text: `line ${i + 1}`, ago: (540 - i) * 5 }));
    await open({ world });
    const progress: HistoryProgress[] = [];
    const all = await client.loadAllMessages(CAROL, { pageSize: 120, onProgress: (p) => progress.push(p) });
    expect(all.complete).toBe(true);
    expect(progress.map((p) => p.loaded)).toEqual([120, 240, 360, 480, 540]);
    expect(all.messages.map((m) => m.text)).toEqual(Array.from({ length: 540 }, (_, i) => `line ${i + 1}`));
    const after = await client.loadMessages(CAROL, { after: all.messages[9]!.id, afterFromMe: all.messages[9]!.fromMe, count: 3 });
    expect(after.messages.map((m) => m.text)).toEqual(['line 11', 'line 12', 'line 13']);
  });

  it('a download whose URL answers 410 refreshes it once over the socket and succeeds', async () => {
    const statuses: Array<[string, number]> = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push([String(input), response.status]);
      return response;
    };
    await open({}, recording);
    const nodes: RawNodeEvent[] = [];
    client.on('node', (event) => nodes.push(event));
    const file = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
    const arrived = client.waitFor('message', { filter: (m) => m.source === 'relay' });
    sandbox.contact(ALICE).sendImage(file, { caption: 'expires soon' });
    const event = await arrived;
    const url = event.info.message!.imageMessage!.url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/d\/f\/[0-9a-f]{32}\.enc$/);
    sandbox.sandbox.media.expire(url, 410);
    // Independently of the client: the media host now answers 410 Gone for the old URL.
    const gone = await fetch(url);
    expect([gone.status, (await gone.arrayBuffer()).byteLength]).toEqual([410, 0]);

    expect(await client.downloadMedia(event)).toEqual(file);
    expect(statuses).toEqual([
      [url, 410],
      [`${url}?v=1`, 200],
    ]);
    // The refresh answer was a decrypted node like any other.
    expect(nodes.some(({ node }) => node[0] === 'media' && node[1]?.url === `${url}?v=1`)).toBe(true);
  });

  it('lastSeen reads the Presence push after subscribing', async () => {
    await open();
    const bob = await client.lastSeen(BOB);
    expect(bob.online).toBe(false);
    expect(bob.lastSeen).toBe(sandbox.world.user(BOB)!.lastSeen);
    sandbox.contact(BOB).setPresence('available');
    expect(await client.lastSeen(BOB)).toEqual({ online: true });
    await expect(client.lastSeen('15550100077@c.us', { timeoutMs: 100 })).rejects.toBeInstanceOf(RequestError);
  });
});
