/**
 * Pushes the sandbox never sends, or sends only in one form, from a scripted server: `add:unread`
 * history, `received` with null action attributes, and malformed `battery`/`read`/`chat` children,
 * which must be reported as unhandled and change nothing.
 */
import { encodeWebMessageInfo } from '@wa/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WAClient } from '../src/index.ts';
import { answerInit, fakeServer, scan, type FakeServer, type Peer } from './support/fake-server.ts';

let server: FakeServer;
const clients: WAClient[] = [];
beforeEach(async () => {
  server = await fakeServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server.close();
});

const ALICE = '15550100002@c.us';

async function loggedIn(): Promise<{ client: WAClient; peer: Peer }> {
  const client = new WAClient({ url: server.url, requestTimeoutMs: 400, keepAliveIntervalMs: 60_000, initialSyncTimeoutMs: 60_000 });
  clients.push(client);
  const qr = client.waitFor('qr');
  const connecting = client.connect();
  const peer = await server.nextPeer();
  await answerInit(peer);
  scan(peer, (await qr).qr);
  await connecting;
  return { client, peer };
}

const info = (id: string, fromMe: boolean, text: string, timestamp: number) =>
  encodeWebMessageInfo({ key: { remoteJid: '15550100002@s.whatsapp.net', fromMe, id }, message: { conversation: text }, messageTimestamp: timestamp });

describe('add:unread', () => {
  it('is history like before: message events with source "unread", no unread count change', async () => {
    const { client, peer } = await loggedIn();
    peer.sealed('1700000000-1', ['response', { type: 'chat' }, [['chat', { jid: ALICE, count: '2', t: '1700000100' }, null]]]);
    await client.waitFor('chats');
    const events = client.waitFor('message', { filter: (event) => event.id === '3A0000000000000000B2' });
    peer.sealed('1700000000-2', ['action', { add: 'unread' }, [['message', null, info('3A0000000000000000B1', false, 'one', 1700000050)], ['message', null, info('3A0000000000000000B2', false, 'two', 1700000060)]]]);
    expect(await events).toMatchObject({ source: 'unread', text: 'two', chat: ALICE });
    expect(client.messages(ALICE).map((message) => message.key.id)).toEqual(['3A0000000000000000B1', '3A0000000000000000B2']);
    expect(client.chats()[0]!.unreadCount).toBe(2);
  });
});

describe('received', () => {
  it('with null action attributes is a receipt too (type message → ack 2)', async () => {
    const { client, peer } = await loggedIn();
    const receipt = client.waitFor('receipt');
    peer.sealed('1700000000-3', ['action', null, [['received', { jid: ALICE, index: '3EB00000000000000001', owner: 'true', type: 'message' }, null]]]);
    expect(await receipt).toEqual({ id: '3EB00000000000000001', chat: ALICE, ack: 2, status: 'DELIVERY_ACK' });
  });
});

describe('malformed children', () => {
  it('are reported as unhandled and change nothing', async () => {
    const { client, peer } = await loggedIn();
    const unhandled: string[] = [];
    client.on('unhandled', (frame) => {
      if (frame.reason === 'unknown-action-child' && frame.kind === 'binary') unhandled.push(frame.node[0]);
    });
    const battery: unknown[] = [];
    client.on('battery', (event) => battery.push(event));
    const updates: unknown[] = [];
    client.on('chat-update', (event) => updates.push(event));
    peer.sealed('1700000000-4', ['action', null, [['battery', { live: 'true', value: 'lots' }, null]]]);
    peer.sealed('1700000000-5', ['action', null, [['read', {}, null]]]);
    peer.sealed('1700000000-6', ['action', null, [['chat', { jid: ALICE, type: 'explode' }, null]]]);
    peer.sealed('1700000000-7', ['action', null, [['received', { jid: ALICE, index: 'X', type: 'maybe' }, null]]]);
    // Pushes are applied in order: one that works after them shows they were all seen.
    const last = client.waitFor('battery');
    peer.sealed('1700000000-8', ['action', null, [['battery', { live: 'false', value: '55', powersave: 'false' }, null]]]);
    expect(await last).toEqual({ percentage: 55, plugged: false, powersave: false });
    expect(battery).toHaveLength(1);
    expect(updates).toEqual([]);
    expect(unhandled).toEqual(['battery', 'read', 'chat', 'received']);
  });
});
