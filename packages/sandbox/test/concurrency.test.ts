import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/sandbox.ts';
import { defaultWorld } from '../src/world/default-world.ts';
import type { WorldSpec } from '../src/world/types.ts';
import { loggedInClient } from './support/memory.ts';
import { messagesOf } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';

let sandbox: Sandbox;
afterEach(() => sandbox.close());

/** The default world where Alice has a phone too. */
function twoAccountWorld(): WorldSpec {
  const world = defaultWorld();
  world.users = world.users!.filter((user) => user.jid !== alice);
  world.accounts.push({ jid: alice, name: 'Alice', contacts: [me], chats: { [me]: [{ from: me, text: 'Hi! Are we still on?', ago: 60 }] } });
  return world;
}

describe('several accounts and sessions at once', () => {
  it('relays between two accounts with two web sessions each', async () => {
    sandbox = new Sandbox({ world: twoAccountWorld() });
    const [me1, me2, alice1, alice2] = await Promise.all([
      loggedInClient(sandbox),
      loggedInClient(sandbox),
      loggedInClient(sandbox, alice),
      loggedInClient(sandbox, alice),
    ]);
    expect(alice1.conn).toMatchObject({ wid: alice, pushname: 'Alice' });
    expect(sandbox.sessions()).toHaveLength(4);

    const { id } = await me1.sendText(alice, 'Hello from my laptop');
    // My other session sees my message, Alice's two sessions receive it.
    const mine = await me2.waitForNode((node) => node[1]?.add === 'relay');
    expect(messagesOf(mine.node)[0]).toMatchObject({ key: { fromMe: true, id, remoteJid: '15550100002@s.whatsapp.net' } });
    for (const session of [alice1, alice2]) {
      const { node } = await session.waitForNode((n) => n[1]?.add === 'relay');
      expect(messagesOf(node)[0]).toMatchObject({ key: { fromMe: false, id, remoteJid: '15550100001@s.whatsapp.net' }, message: { conversation: 'Hello from my laptop' } });
    }
    expect((await me1.waitForJson('Msg', (body) => (body as { ack: number }).ack === 2))[1]).toMatchObject({ id, from: me, to: alice });

    // Alice reads on one of her sessions: I get ack 3.
    await alice1.query(['action', { type: 'set', epoch: '1' }, [['read', { jid: me, index: id, owner: 'false', count: '1' }, null]]], 11);
    expect((await me1.waitForJson('Msg', (body) => (body as { ack: number }).ack === 3))[1]).toMatchObject({ id, to: alice });
  });

  it('logs in many clients concurrently, each with its own keys', async () => {
    sandbox = new Sandbox();
    const clients = await Promise.all(Array.from({ length: 12 }, () => loggedInClient(sandbox)));
    const chatLists = await Promise.all(clients.map((client) => client.waitForNode((node) => node[1]?.type === 'chat')));
    expect(chatLists.every(({ node }) => (node[2] as unknown[]).length === 6)).toBe(true);
    expect(new Set(clients.map((client) => client.conn!.serverToken)).size).toBe(12);
    sandbox.contact(alice).sendText('to everyone');
    const relays = await Promise.all(clients.map((client) => client.waitForNode((node) => node[1]?.add === 'relay')));
    expect(relays.map(({ node }) => messagesOf(node)[0]!.message?.conversation)).toEqual(Array(12).fill('to everyone'));
    expect(sandbox.stats.connectionsOpen).toBe(12);
  });
});
