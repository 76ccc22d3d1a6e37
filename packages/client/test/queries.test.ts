import { decode, encode, type Node } from '@wa/binary-codec';
import { fromBase64, openFrame, sealFrame } from '@wa/crypto';
import { createMemoryWebSocket, ManualClock, Sandbox, defaultWorld, type WorldSpec } from '@wa/sandbox/core';
import { parseFrame, serializeBinary, type WebSocketConstructor } from '@wa/transport';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MediaError,
  MemoryAuthStore,
  RequestError,
  type HistoryProgress,
  type MessageEvent,
  type RawNodeEvent,
  type UnhandledFrame,
  WAClient,
} from '../src/index.ts';
import { ALICE, BOB, CAROL, collect, GROUP, loggedIn, memoryClient, ME } from './support/harness.ts';
import { sandboxFetch, type FetchCall } from './support/media-fetch.ts';

/**
 * The queries of docs/protocol/queries.md end to end against the in-memory sandbox: message_info,
 * search, history forwards and whole chats, media URL refresh, last seen; and the raw hooks.
 */

const T0 = 1_700_000_000;
let sandbox: Sandbox;
let client: WAClient;
let clock: ManualClock;

afterEach(async () => {
  await client?.close();
  sandbox?.close();
});

async function open(options: { world?: WorldSpec; fetch?: typeof fetch; quiet?: boolean } = {}): Promise<MemoryAuthStore> {
  clock = new ManualClock(T0 * 1000);
  sandbox = new Sandbox({ clock, latency: 0, ...(options.world ? { world: options.world } : {}) });
  // No contact acknowledges by itself unless a test wants it.
  if (options.quiet !== false) for (const jid of [ALICE, BOB, CAROL]) sandbox.contact(jid).configure({ deliverAfterMs: null, readAfterMs: null });
  const opened = await loggedIn(sandbox, options.fetch ? { fetch: options.fetch } : {});
  client = opened.client;
  return opened.auth;
}

describe('messageInfo', () => {
  it('lists who read and who got a group message, with the time of each ack', async () => {
    await open();
    const sent = await client.sendText(GROUP, 'Who is driving?');
    const receipts = collect(client, 'receipt');
    sandbox.contact(BOB).receiveMessages({ group: GROUP });
    clock.advance(5_000);
    sandbox.contact(ALICE).readMessages({ group: GROUP });
    await client.waitFor('receipt', { filter: (r) => r.id === sent.id && r.ack === 3 && r.participant === ALICE });
    expect(receipts.filter((r) => r.id === sent.id).map((r) => [r.participant, r.ack])).toEqual([
      [BOB, 2],
      [ALICE, 3],
    ]);
    expect(await client.messageInfo(GROUP, sent.id)).toEqual({
      reads: [{ jid: ALICE, timestamp: T0 + 5 }],
      deliveries: [
        { jid: BOB, timestamp: T0 },
        { jid: ALICE, timestamp: T0 + 5 },
      ],
    });
  });

  it('answers nobody yet for a fresh message; refuses an unknown one with RequestError 404, bad arguments locally', async () => {
    await open();
    const sent = await client.sendText(ALICE, 'Saturday?');
    expect(await client.messageInfo(ALICE, sent.id)).toEqual({ reads: [], deliveries: [] });
    const refused = await client.messageInfo(GROUP, '3EB0000000000000DEAD').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(404);
    await expect(client.messageInfo(GROUP, '')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.messageInfo('not a jid', sent.id)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('searchMessages', () => {
  it('finds a stored text, newest first, as message events with source "search"', async () => {
    await open();
    const result = await client.searchMessages('station');
    expect(result.last).toBe(true);
    expect(result.messages.map((m) => [m.chat, m.fromMe, m.text, m.source])).toEqual([[ALICE, true, 'Yes, 10am at the station', 'search']]);
    // Search results are not new messages: no message event, the store is unchanged.
    expect(client.messages(ALICE).filter((info) => info.key.id === result.messages[0]!.id)).toHaveLength(1);
  });

  it('pages by count and page, last only on the final page, and filters by chat', async () => {
    await open();
    for (let i = 1; i <= 5; i++) {
      clock.advance(1_000);
      sandbox.contact(i <= 2 ? BOB : ALICE).sendText(`Tickets batch ${i}`);
    }
    const texts = (result: { messages: MessageEvent[] }): Array<string | undefined> => result.messages.map((m) => m.text);
    const first = await client.searchMessages('tickets batch', { count: 2 });
    expect([texts(first), first.last]).toEqual([['Tickets batch 5', 'Tickets batch 4'], false]);
    const third = await client.searchMessages('TICKETS BATCH', { count: 2, page: 3 });
    expect([texts(third), third.last]).toEqual([['Tickets batch 1'], true]);
    const inBob = await client.searchMessages('tickets', { jid: BOB, count: 10 });
    expect(texts(inBob)).toEqual(['Tickets batch 2', 'Tickets batch 1', 'Did you get the tickets?']);
  });

  it('refuses bad arguments with InvalidArgumentError before asking', async () => {
    await open();
    const nodes = collect(client, 'node');
    for (const call of [
      () => client.searchMessages(''),
      () => client.searchMessages('   '),
      () => client.searchMessages('x', { count: 0 }),
      () => client.searchMessages('x', { count: 301 }),
      () => client.searchMessages('x', { page: 0 }),
      () => client.searchMessages('x', { jid: 'nobody' }),
      () => client.searchMessages('x'.repeat(1025)),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(nodes).toHaveLength(0);
  });
});

describe('history', () => {
  it('loadMessages({ after }) pages forwards, oldest first, with reachedEnd on the newest page', async () => {
    const world = defaultWorld();
    world.accounts[0]!.chats![CAROL] = Array.from({ length: 7 }, (_, i) => ({ from: CAROL, text: `c${i + 1}`, ago: (7 - i) * 60 }));
    await open({ world });
    const oldest = await client.loadMessages(CAROL, { count: 2, before: (await client.loadMessages(CAROL, { count: 6 })).messages[0]!.id });
    expect(oldest.messages.map((m) => m.text)).toEqual(['c1']);
    expect(oldest.reachedStart).toBe(true);
    const next = await client.loadMessages(CAROL, { after: oldest.messages[0]!.id, count: 3 });
    expect([next.messages.map((m) => m.text), next.messages[0]!.source, next.reachedEnd, next.reachedStart]).toEqual([['c2', 'c3', 'c4'], 'after', false, false]);
    const rest = await client.loadMessages(CAROL, { after: next.messages.at(-1)!.id, count: 50 });
    expect([rest.messages.map((m) => m.text), rest.reachedEnd]).toEqual([['c5', 'c6', 'c7'], true]);
    await expect(client.loadMessages(CAROL, { before: 'a', after: 'b' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('loadAllMessages walks a chat of 523 messages backwards with progress after every page', async () => {
    const world = defaultWorld();
    const total = 523;
    world.accounts[0]!.chats![BOB] = Array.from({ length: total }, (_, i) => ({ from: i % 3 === 0 ? 'me' : BOB, text: `m${i + 1}`, ago: (total - i) * 10 }));
    await open({ world });
    const progress: HistoryProgress[] = [];
    const all = await client.loadAllMessages(BOB, { pageSize: 100, onProgress: (p) => progress.push(p) });
    expect(all.complete).toBe(true);
    expect(all.pages).toBe(6);
    expect(progress).toEqual([100, 200, 300, 400, 500, 523].map((loaded, i) => ({ loaded, pages: i + 1 })));
    expect(all.messages.map((m) => m.text)).toEqual(Array.from({ length: total }, (_, i) => `m${i + 1}`));
    expect(new Set(all.messages.map((m) => m.id)).size).toBe(total);
  });

  it('stops at maxMessages, and when the signal aborts between pages', async () => {
    const world = defaultWorld();
    world.accounts[0]!.chats![BOB] = Array.from({ length: 250 }, (_, i) => ({ from: BOB, text: `m${i + 1}`, ago: (250 - i) * 10 }));
    await open({ world });
    const capped = await client.loadAllMessages(BOB, { pageSize: 100, maxMessages: 150 });
    expect([capped.complete, capped.pages, capped.messages.length, capped.messages[0]!.text]).toEqual([false, 2, 200, 'm51']);
    const controller = new AbortController();
    const aborted = client.loadAllMessages(BOB, { pageSize: 50, signal: controller.signal, onProgress: () => controller.abort(new Error('enough')) });
    await expect(aborted).rejects.toThrow('enough');
    await expect(client.loadAllMessages(BOB, { pageSize: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('media URL refresh', () => {
  function jpeg(length: number): Uint8Array {
    return Uint8Array.from({ length }, (_, i) => (i * 13 + 5) & 0xff);
  }

  it('downloadMedia gets 404 for an expired URL, asks for a fresh one once, and downloads from it', async () => {
    const calls: FetchCall[] = [];
    sandbox = undefined as unknown as Sandbox;
    await open({ fetch: (input, init) => sandboxFetch(sandbox, calls)(input, init) });
    const arrived = client.waitFor('message', { filter: (m) => m.source === 'relay' });
    const file = jpeg(4000);
    sandbox.contact(ALICE).sendImage(file, { caption: 'the summit' });
    const event = await arrived;
    const oldUrl = event.info.message!.imageMessage!.url!;
    expect(sandbox.media.expire(oldUrl)).toBe(true);

    expect(await client.downloadMedia(event)).toEqual(file);
    expect(calls.map((call) => call.url)).toEqual([oldUrl, `${oldUrl}?v=1`]);
    // The message now carries the fresh location, so the next download goes there at once.
    expect(event.info.message!.imageMessage).toMatchObject({ url: `${oldUrl}?v=1`, directPath: `${new URL(oldUrl).pathname}?v=1` });
    expect(await client.downloadMedia(event)).toEqual(file);
    expect(calls).toHaveLength(3);
  });

  it('refreshMediaUrl answers the fresh location; refusals are typed', async () => {
    await open();
    const arrived = client.waitFor('message', { filter: (m) => m.source === 'relay' });
    sandbox.contact(ALICE).sendImage(jpeg(100));
    const event = await arrived;
    const path = event.info.message!.imageMessage!.directPath!;
    sandbox.media.expire(path);
    expect(await client.refreshMediaUrl(event)).toEqual({ url: `http://media.sandbox.invalid${path}?v=1`, directPath: `${path}?v=1` });
    // A bare Message names no chat or id; a text has no media; an unknown message is the server's 404.
    await expect(client.refreshMediaUrl(event.info.message! as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    const text = (await client.loadMessages(ALICE, { count: 5 })).messages.find((m) => m.text !== undefined)!;
    await expect(client.refreshMediaUrl(text)).rejects.toMatchObject({ code: 'NO_MEDIA' });
    const unknown = { ...event.info, key: { ...event.info.key, id: '3A00000000000000000000' } };
    await expect(client.refreshMediaUrl(unknown)).rejects.toMatchObject({ name: 'RequestError', status: 404 });
  });

  it('a download by a bare Message that gets 404 fails without a refresh', async () => {
    const calls: FetchCall[] = [];
    sandbox = undefined as unknown as Sandbox;
    await open({ fetch: (input, init) => sandboxFetch(sandbox, calls)(input, init) });
    const arrived = client.waitFor('message', { filter: (m) => m.source === 'relay' });
    sandbox.contact(ALICE).sendImage(jpeg(64));
    const event = await arrived;
    sandbox.media.expire(event.info.message!.imageMessage!.url!);
    const error = await client.downloadMedia(event.info.message!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', status: 404 });
    expect(calls).toHaveLength(1);
  });
});

describe('lastSeen', () => {
  it('reads the Presence push that follows a subscription', async () => {
    await open();
    // Bob is away since the world was made (5 minutes before its clock), Carol is online.
    expect(await client.lastSeen(BOB)).toEqual({ online: false, lastSeen: T0 - 300 });
    expect(await client.lastSeen(CAROL)).toEqual({ online: true });
    clock.advance(60_000);
    sandbox.contact(CAROL).setPresence('unavailable');
    expect(await client.lastSeen(CAROL)).toEqual({ online: false, lastSeen: T0 + 60 });
  });

  it('refuses a group or a bad timeout; a user without a presence push times out with RequestError', async () => {
    await open();
    await expect(client.lastSeen(GROUP)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.lastSeen(BOB, { timeoutMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.lastSeen('15550100077@c.us', { timeoutMs: 50 })).rejects.toBeInstanceOf(RequestError);
  });
});

describe('raw hooks', () => {
  /** A memory WebSocket class whose latest socket can be handed frames as if the server sent them. */
  function injectable(target: Sandbox, sent: Array<string | Uint8Array> = []): { WebSocket: WebSocketConstructor; inject: (data: string | Uint8Array) => void } {
    const Base = createMemoryWebSocket(target);
    let latest: InstanceType<typeof Base> | undefined;
    const WebSocket = function (url: string) {
      latest = new Base(url);
      const send = latest.send.bind(latest);
      latest.send = (data) => {
        sent.push(typeof data === 'string' ? data : data.slice());
        send(data);
      };
      return latest;
    };
    const inject = (data: string | Uint8Array): void => {
      latest!.onmessage?.({ type: 'message', data: typeof data === 'string' ? data : data.slice().buffer });
    };
    return { WebSocket: WebSocket as unknown as WebSocketConstructor, inject };
  }

  it('node carries every decrypted node, pushes and answers alike', async () => {
    clock = new ManualClock(T0 * 1000);
    sandbox = new Sandbox({ clock, latency: 0 });
    client = memoryClient(sandbox, { auth: new MemoryAuthStore() });
    client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
    const nodes: RawNodeEvent[] = collect(client, 'node');
    await client.connect();
    await client.waitFor('chats');
    expect(nodes.some(({ node }) => node[0] === 'response' && node[1]?.type === 'chat')).toBe(true);
    await client.searchMessages('station');
    const answer = nodes.at(-1)!;
    expect(answer.node[0]).toBe('response');
    expect(answer.node[1]).toEqual({ type: 'search', last: 'true' });
    expect(answer.tag).toMatch(/\.--\d+$/);
  });

  it('the queries go out as the frames of docs/protocol/queries.md', async () => {
    clock = new ManualClock(T0 * 1000);
    sandbox = new Sandbox({ clock, latency: 0 });
    const sent: Array<string | Uint8Array> = [];
    const link = injectable(sandbox, sent);
    const auth = new MemoryAuthStore();
    client = memoryClient(sandbox, { auth, WebSocket: link.WebSocket });
    client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
    await client.connect();
    await client.waitFor('chats');
    const credentials = (await auth.load())!;
    const keys = { encKey: fromBase64(credentials.encKey), macKey: fromBase64(credentials.macKey) };
    /** The sealed frames sent from now on: metric, flag and the node inside. */
    const from = sent.length;
    const outgoing = (): Array<{ metric: number | undefined; flag: number | undefined; node: Node }> =>
      sent.slice(from).flatMap((data) => {
        const frame = parseFrame(data, { from: 'client' });
        return frame.kind === 'binary' ? [{ metric: frame.metric, flag: frame.flag, node: decode(openFrame(keys, frame.payload)) }] : [];
      });
    const epoch = expect.stringMatching(/^\d+$/);

    const mine = await client.sendText(GROUP, 'Who is driving?');
    await client.messageInfo(GROUP, mine.id);
    await client.searchMessages('station', { jid: ALICE, count: 10, page: 1 });
    const arrived = client.waitFor('message', { filter: (m) => m.source === 'relay' && !m.fromMe });
    const image = sandbox.contact(ALICE).sendImage(new Uint8Array(32).fill(1));
    await client.refreshMediaUrl(await arrived);
    await client.loadMessages(ALICE, { after: image.id, count: 5 });
    expect(outgoing().slice(1)).toEqual([
      { metric: 22, flag: 0x80, node: ['query', { type: 'message_info', index: mine.id, jid: GROUP, epoch }, null] },
      { metric: 24, flag: 0x80, node: ['query', { type: 'search', search: 'station', count: '10', page: '1', jid: ALICE, epoch }, null] },
      { metric: 4, flag: 0x80, node: ['query', { type: 'media', index: image.id, owner: 'false', jid: ALICE, epoch }, null] },
      { metric: 7, flag: 0x80, node: ['query', { type: 'message', epoch, jid: ALICE, kind: 'after', count: '5', index: image.id, owner: 'false' }, null] },
    ]);
    // lastSeen is a presence subscription in JSON, answered by a Presence push.
    const pushes = collect(client, 'presence');
    expect(await client.lastSeen(BOB)).toEqual({ online: false, lastSeen: T0 - 300 });
    const json = sent.slice(from).flatMap((data) => {
      const frame = parseFrame(data, { from: 'client' });
      return frame.kind === 'json' ? [frame.json] : [];
    });
    expect(json.at(-1)).toEqual(['action', 'presence', 'subscribe', BOB]);
    expect(pushes).toEqual([{ jid: BOB, type: 'unavailable', lastSeen: T0 - 300 }]);
  });

  it('unhandled reports unknown JSON pushes, commands, nodes and action children; known ones are not reported', async () => {
    clock = new ManualClock(T0 * 1000);
    sandbox = new Sandbox({ clock, latency: 0 });
    const link = injectable(sandbox);
    const auth = new MemoryAuthStore();
    client = memoryClient(sandbox, { auth, WebSocket: link.WebSocket });
    client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
    await client.connect();
    await client.waitFor('chats');
    const unhandled: UnhandledFrame[] = collect(client, 'unhandled');
    const credentials = (await auth.load())!;
    const keys = { encKey: fromBase64(credentials.encKey), macKey: fromBase64(credentials.macKey) };
    const seal = (tag: string, node: Node): Uint8Array => serializeBinary(tag, sealFrame(keys, encode(node)));

    const last = client.waitFor('unhandled', { filter: (frame) => frame.tag === 's-906' });
    link.inject('s-901,["Weather",{"sunny":true}]');
    link.inject('s-902,["Cmd",{"type":"shrug"}]');
    link.inject('s-903,{"surprise":1}');
    link.inject('s-904,["Pong",true]');
    link.inject(seal('s-905', ['mystery', { a: '1' }, null]));
    link.inject(seal('s-906', ['action', { add: 'relay' }, [['novelty', { x: 'y' }, null]]]));
    await last;
    // (Pushes of the sandbox itself that this client leaves alone may come in between.)
    expect(unhandled.filter((frame) => frame.tag.startsWith('s-90'))).toEqual([
      { tag: 's-901', kind: 'json', json: ['Weather', { sunny: true }], reason: 'unknown-json-push' },
      { tag: 's-902', kind: 'json', json: ['Cmd', { type: 'shrug' }], reason: 'unknown-command' },
      { tag: 's-903', kind: 'json', json: { surprise: 1 }, reason: 'not-a-push' },
      { tag: 's-905', kind: 'binary', node: ['mystery', { a: '1' }, null], reason: 'unknown-node' },
      // The action itself is a message push (add:relay): only its unknown child is reported.
      { tag: 's-906', kind: 'binary', node: ['novelty', { x: 'y' }, null], actionAttrs: { add: 'relay' }, reason: 'unknown-action-child' },
    ]);
    expect(client.me?.wid).toBe(ME);
  });
});
