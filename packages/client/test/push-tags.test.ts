/**
 * Pushes under the tags requests wait on. Replies are matched by tag alone and the server picks
 * the tags of its pushes, so a push may carry exactly the tag of a pending request (the sandbox
 * once numbered its pushes like client requests). A push must be handled as a push (its event
 * emitted) and must never settle the request, which keeps waiting for its real answer.
 */
import { decode, type Node } from '@wa/binary-codec';
import { openFrame, randomBytes, signChallenge, toBase64, fromBase64 } from '@wa/crypto';
import { encodeWebMessageInfo, textMessage } from '@wa/proto';
import type { ParsedFrame } from '@wa/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { isJsonAnswer, isJsonPush, isResponseOf } from '../src/answers.ts';
import { MemoryAuthStore, WAClient, type ClientEvents, type Credentials, type WAClientOptions } from '../src/index.ts';
import { answerInit, MemoryServer, scan, type MemoryPeer } from './support/memory-server.ts';

const ME = '15550100001@c.us';
const GROUP = '15550100001-1600000000@g.us';
const proto = (jid: string): string => jid.replace(/@c\.us$/, '@s.whatsapp.net');
/** A user of its own for request `k`, so every answer can be told apart. */
const userOf = (k: number): string => `15550200${String(k).padStart(3, '0')}@c.us`;
const groupOf = (k: number): string => `15550100001-16000000${String(k).padStart(2, '0')}@g.us`;

const clients: WAClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function newClient(server: MemoryServer, options: WAClientOptions = {}): WAClient {
  const client = new WAClient({
    url: 'ws://memory.invalid/ws',
    WebSocket: server.WebSocket,
    requestTimeoutMs: 5_000,
    keepAliveIntervalMs: 60_000,
    initialSyncTimeoutMs: 60_000,
    ...options,
  });
  clients.push(client);
  return client;
}

/** A client logged in by QR against a fresh in-memory server; the server side of it is `peer`. */
async function loggedInByQr(): Promise<{ client: WAClient; peer: MemoryPeer }> {
  const server = new MemoryServer();
  const client = newClient(server);
  const qr = client.waitFor('qr');
  const connecting = client.connect();
  const peer = await server.nextPeer();
  await answerInit(peer);
  scan(peer, (await qr).qr);
  await connecting;
  return { client, peer };
}

function record<K extends keyof ClientEvents>(client: WAClient, event: K): Array<ClientEvents[K]> {
  const list: Array<ClientEvents[K]> = [];
  client.on(event, (payload) => list.push(payload));
  return list;
}

function messageNode(add: string | null, id: string, chat: string, text: string, extra: Record<string, string> = {}): Node {
  const bytes = encodeWebMessageInfo(textMessage({ remoteJid: proto(chat), fromMe: false, id, text, timestamp: 1_600_000_000 }));
  return ['action', add === null ? null : { add, ...extra }, [['message', null, bytes]]];
}

/** What the client sent, as the server reads it: a JSON command or an opened sealed node. */
type Request = { tag: string; json: unknown[] } | { tag: string; node: Node };

function readRequest(peer: MemoryPeer, frame: ParsedFrame): Request | undefined {
  if (frame.kind === 'json' && Array.isArray(frame.json)) return { tag: frame.tag, json: frame.json as unknown[] };
  if (frame.kind === 'binary') return { tag: frame.tag, node: decode(openFrame(peer.keys!, frame.payload)) };
  return undefined;
}

/** The real answer to a request, as a well-behaved server gives it. */
function answer(peer: MemoryPeer, request: Request): void {
  if ('json' in request) {
    const [verb, what, target] = request.json as [string, string, string];
    if (verb === 'admin' && what === 'test') return peer.json(request.tag, true);
    if (verb === 'action') return peer.json(request.tag, { status: 200 }); // presence subscribe
    if (what === 'exist') return peer.json(request.tag, { status: Number(target.slice(8, 11)) % 4 === 0 ? 200 : 404 });
    if (what === 'Status') return peer.json(request.tag, { status: `about ${target}` });
    if (what === 'ProfilePicThumb') return peer.json(request.tag, { eurl: `https://pps.test/${target}` });
    if (what === 'GroupMetadata') {
      return peer.json(request.tag, { id: target, subject: `subject of ${target}`, owner: ME, participants: [{ id: ME, isAdmin: true }] });
    }
    throw new Error(`unexpected command ${JSON.stringify(request.json)}`);
  }
  const [description, attrs] = request.node;
  if (description === 'query' && attrs?.type === 'message') {
    return peer.sealed(request.tag, messageNode('before', `HIST-${attrs.jid}`, attrs.jid!, 'an old one', { last: 'true' }));
  }
  if (description === 'action') return peer.json(request.tag, { status: 200 }); // relay, set read, set presence
  throw new Error(`unexpected node ${description}`);
}

const jsonPushes: Array<(k: number) => unknown[]> = [
  (k) => ['Presence', { id: userOf(k), type: 'available' }],
  (k) => ['Msg', { cmd: 'ack', ack: 2, id: `ACK-${k}`, from: ME, to: userOf(k), t: 1_600_000_000 }],
  (k) => ['MsgInfo', { cmd: 'ack', ack: 3, id: `INFO-${k}`, from: ME, to: GROUP, participant: userOf(k), t: 1_600_000_001 }],
  () => ['Pong', true],
  () => ['Stream', 'update', false, '2.2142.12'],
  () => ['Props', { imageMaxKBytes: 1024 }],
  () => ['Cmd', { type: 'not-a-command-the-client-knows' }],
];
const sealedPushes: Array<(k: number) => Node> = [
  (k) => messageNode('relay', `RELAY-${k}`, userOf(k), 'a new one'),
  // Older history of another chat, pushed unasked: the same shape as a history page.
  (k) => messageNode('before', `BEFORE-${k}`, userOf(k + 100), 'older'),
  (k) => messageNode('last', `LAST-${k}`, userOf(k), 'recent'),
  (k) => messageNode('update', `UPDATE-${k}`, userOf(k), 'edited'),
  (k) => ['action', null, [['read', { jid: userOf(k), type: 'false' }, null]]],
  (k) => ['response', { type: 'contacts' }, [['user', { jid: userOf(k), notify: `User ${k}` }, null]]],
];

describe('pushes under the tags of pending requests', () => {
  it('50 requests in flight each get their real answer; every push is handled as a push', async () => {
    const { client, peer } = await loggedInByQr();
    const presences = record(client, 'presence');
    const receipts = record(client, 'receipt');
    const messages = record(client, 'message');
    const phone = record(client, 'phone');
    const contacts = record(client, 'contacts');
    const frameErrors = record(client, 'frame-error');

    // The server holds every request until all 50 are in flight, then pushes under their tags.
    const requests: Request[] = [];
    const allIn = new Promise<void>((resolve) => {
      peer.onFrame((frame) => {
        const request = readRequest(peer, frame);
        if (request) requests.push(request);
        if (requests.length === 50) resolve();
      });
    });

    const calls: Array<Promise<unknown>> = [];
    const expected: unknown[] = [];
    for (let k = 0; k < 50; k += 1) {
      const user = userOf(k);
      switch (k % 10) {
        case 0:
          calls.push(client.exists(user));
          expected.push(k % 4 === 0);
          break;
        case 1:
          calls.push(client.status(user));
          expected.push(`about ${user}`);
          break;
        case 2:
          calls.push(client.profilePicture(user));
          expected.push(`https://pps.test/${user}`);
          break;
        case 3:
          calls.push(client.subscribePresence(user));
          expected.push(undefined);
          break;
        case 4:
          calls.push(client.isPhoneReachable());
          expected.push(true);
          break;
        case 5:
          calls.push(client.groupMetadata(groupOf(k)).then(({ id, subject }) => ({ id, subject })));
          expected.push({ id: groupOf(k), subject: `subject of ${groupOf(k)}` });
          break;
        case 6:
          calls.push(
            client.loadMessages(user, { count: 5 }).then(({ messages: page, reachedStart }) => ({ ids: page.map((event) => event.id), reachedStart })),
          );
          expected.push({ ids: [`HIST-${user}`], reachedStart: true });
          break;
        case 7:
          calls.push(client.markRead(user, `3EB0${String(k).padStart(16, '0')}`));
          expected.push(undefined);
          break;
        case 8:
          calls.push(client.setPresence('composing', user));
          expected.push(undefined);
          break;
        default:
          calls.push(client.sendText(user, `message ${k}`).then(({ chat, status, info }) => ({ chat, status, text: info.message?.conversation })));
          expected.push({ chat: user, status: 'SERVER_ACK', text: `message ${k}` });
      }
    }
    const settled = Promise.allSettled(calls);
    await allIn;

    // Every tag gets a JSON push and a sealed push (in either order); history queries also get
    // another chat's page. Only then come the answers, last request first.
    const wanted = { presences: [] as string[], receipts: [] as string[], messages: [] as string[], phone: 0, contacts: 0 };
    requests.forEach((request, k) => {
      const json = jsonPushes[k % jsonPushes.length]!(k);
      const sealed = sealedPushes[k % sealedPushes.length]!(k);
      const pushes = [() => peer.json(request.tag, json), () => peer.sealed(request.tag, sealed)];
      for (const push of k % 2 === 0 ? pushes : pushes.reverse()) push();
      if ('node' in request && request.node[0] === 'query') {
        peer.sealed(request.tag, messageNode('before', `OTHER-${k}`, userOf(k + 200), 'not this chat'));
        wanted.messages.push(`before:OTHER-${k}`);
      }
      if (json[0] === 'Presence') wanted.presences.push(userOf(k));
      if (json[0] === 'Msg') wanted.receipts.push(`ACK-${k}:2`);
      if (json[0] === 'MsgInfo') wanted.receipts.push(`INFO-${k}:3`);
      if (json[0] === 'Pong') wanted.phone += 1;
      if (sealed[0] === 'response') wanted.contacts += 1;
      const add = sealed[1]?.add;
      if (add !== undefined) wanted.messages.push(`${add}:${add.toUpperCase()}-${k}`);
    });
    for (const request of [...requests].reverse()) answer(peer, request);

    const results = await settled;
    const values = results.map((result) => (result.status === 'fulfilled' ? result.value : `rejected: ${String(result.reason)}`));
    expect(values).toEqual(expected);
    expect(presences.map(({ jid }) => jid).sort()).toEqual(wanted.presences.sort());
    expect(receipts.map(({ id, ack }) => `${id}:${ack}`).sort()).toEqual(wanted.receipts.sort());
    expect(messages.map(({ source, id }) => `${source}:${id}`).sort()).toEqual(wanted.messages.sort());
    expect(phone).toHaveLength(wanted.phone);
    expect(contacts).toHaveLength(wanted.contacts);
    expect(frameErrors).toEqual([]);
    expect(client.state).toBe('open');
    // The sanity of the scenario itself: every kind of push was there.
    expect(wanted.presences.length * wanted.receipts.length * wanted.phone * wanted.contacts).toBeGreaterThan(0);
    expect(new Set(wanted.messages.map((entry) => entry.split(':')[0]))).toEqual(new Set(['relay', 'before', 'last', 'update']));
  });

  it('a sealed answer that cannot be opened still fails its query, reported once (it is not taken for a push)', async () => {
    const { client, peer } = await loggedInByQr();
    const frameErrors = record(client, 'frame-error');
    const loading = client.loadMessages('15550100002@c.us');
    const query = await peer.waitFor((frame) => frame.kind === 'binary');
    peer.sealed(query.tag, ['action', { add: 'before' }, []], { encKey: randomBytes(32), macKey: randomBytes(32) });
    await expect(loading).rejects.toMatchObject({ name: 'FrameError', code: 'UNDECODABLE' });
    expect(frameErrors.map(({ code, tag }) => [code, tag])).toEqual([['BAD_HMAC', query.tag]]);
  });

  it('a push under the tag of the challenge answer does not fail the restore', async () => {
    const macKey = randomBytes(32);
    const stored: Credentials = {
      clientId: toBase64(randomBytes(16)),
      clientToken: 'client-token',
      serverToken: '1@server-token',
      encKey: toBase64(randomBytes(32)),
      macKey: toBase64(macKey),
      wid: ME,
      browser: ['Test', 'Chrome', '1'],
    };
    const server = new MemoryServer();
    const auth = new MemoryAuthStore(stored);
    const client = newClient(server, { auth });
    const presences = record(client, 'presence');
    const connecting = client.connect();
    const peer = await server.nextPeer();
    await answerInit(peer);
    const login = await peer.command('admin', 'login');
    const challenge = randomBytes(32);
    peer.json('s1', ['Cmd', { type: 'challenge', challenge: toBase64(challenge) }]);
    peer.json(login.tag, { status: 200 });
    const { tag, args } = await peer.command('admin', 'challenge');
    expect(fromBase64(args[2] as string)).toEqual(signChallenge(macKey, challenge));
    peer.json(tag, ['Presence', { id: '15550100002@c.us', type: 'available' }]);
    peer.json(tag, { status: 200 });
    peer.json('s2', ['Conn', { wid: ME, pushname: 'Me', clientToken: 'client-token-2', serverToken: '1@server-token-2' }]);
    await connecting;
    expect(client.me).toMatchObject({ wid: ME, challenged: true });
    expect(presences).toEqual([{ jid: '15550100002@c.us', type: 'available' }]);
    expect(await auth.load()).toMatchObject({ clientToken: 'client-token-2' });
  });
});

describe('which frames answer which request', () => {
  const json = (value: unknown): ParsedFrame => ({ tag: 't', kind: 'json', json: value, text: JSON.stringify(value) ?? '' });

  it('JSON pushes are never answers; objects, booleans and malformed values are', () => {
    for (const push of [['Conn', {}], ['Cmd', { type: 'disconnect' }], ['Msg', {}], ['MsgInfo', {}], ['Presence', {}], ['Pong', false], ['Stream', 'update'], ['Props', {}], ['Chat', {}], ['Status', {}], ['Blocklist', {}], ['Battery', {}]]) {
      expect(isJsonPush(push), JSON.stringify(push)).toBe(true);
      expect(isJsonAnswer(json(push))).toBe(false);
    }
    for (const reply of [{ status: 200 }, { status: 'about me' }, { eurl: 'x' }, true, false, null, undefined, [1, 2], ['query', 'exist'], [], 'text']) {
      expect(isJsonPush(reply), JSON.stringify(reply)).toBe(false);
      expect(isJsonAnswer(json(reply))).toBe(true);
    }
    expect(isJsonAnswer({ tag: 't', kind: 'binary', payload: new Uint8Array(1) })).toBe(false);
  });

  it('a sealed query expects the response of its own type', () => {
    expect(isResponseOf('chat')(['response', { type: 'chat' }, []])).toBe(true);
    expect(isResponseOf('chat')(['response', { type: 'contacts' }, []])).toBe(false);
    expect(isResponseOf('chat')(['action', { add: 'last' }, []])).toBe(false);
    expect(isResponseOf('contacts')(['response', null, null])).toBe(false);
  });
});
