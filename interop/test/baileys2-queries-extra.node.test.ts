/**
 * Baileys 2.3.1's queries about stored messages (lib/WAClient/Messages.js): `messageInfo`
 * (type:message_info, metric 22), `searchMessages` (type:search, sent with metric 10) and
 * `updateMediaMessage` (type:media, metric 4), which its `downloadMediaMessage` calls by itself
 * when a download comes back (nearly) empty. See docs/protocol/queries.md.
 */
import { MessageType, type WAMessage } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, cleanUpV2, GROUP, login, ME, newV2Client, startWorld, textOf, waitUntil, within } from './baileys2-harness.ts';

afterEach(cleanUpV2);

async function session() {
  const world = await startWorld();
  const v2 = newV2Client(world);
  const incoming: WAMessage[] = [];
  v2.client.setOnUnreadMessage(false, (message: WAMessage) => incoming.push(message));
  await login(v2);
  return { world, client: v2.client, incoming };
}

describe('messageInfo', () => {
  it('lists who got and read a group message', async () => {
    const { world, client } = await session();
    const sent = await within(client.sendMessage(GROUP, 'who reads this, 2.3.1?', MessageType.text), 5_000, 'send');
    const id = sent.messageID as string;
    const stored = () => world.running.world.findMessage(world.running.world.account(ME)!, id)?.message;
    await waitUntil(() => (stored()?.receipts ?? []).filter((receipt) => receipt.read !== undefined).length === 3, 'three members to read it');
    const info = await within(client.messageInfo(GROUP, id), 5_000, 'messageInfo');
    const expected = stored()!.receipts!.map((receipt) => receipt.jid).sort();
    expect(info.reads.map((entry: { jid: string }) => entry.jid).sort()).toEqual(expected);
    expect(info.deliveries.map((entry: { jid: string }) => entry.jid).sort()).toEqual(expected);
  });
});

describe('searchMessages', () => {
  it('finds a text, one last page', async () => {
    const { client } = await session();
    const result = await within(client.searchMessages('station', null as unknown as string, 10, 1), 5_000, 'search');
    expect(result.last).toBe(true);
    expect((result.messages as WAMessage[]).map(textOf)).toEqual(['Yes, 10am at the station']);
  });
});

describe('updateMediaMessage', () => {
  it('downloadMediaMessage refreshes an expired URL by itself and decrypts the image', async () => {
    const { world, client, incoming } = await session();
    const file = Buffer.from(Array.from({ length: 2500 }, (_, i) => (i * 17) & 0xff));
    world.running.contact(ALICE).sendImage(file, { caption: 'old link' });
    await waitUntil(() => incoming.some((m) => m.message?.imageMessage), 'the image message');
    const message = incoming.find((m) => m.message?.imageMessage)!;
    const oldUrl = message.message!.imageMessage!.url!;
    expect(world.running.sandbox.media.expire(oldUrl)).toBe(true);
    const downloaded = await within(client.downloadMediaMessage(message), 5_000, 'download');
    expect(Buffer.compare(downloaded, file)).toBe(0);
    expect(message.message!.imageMessage!.url).toBe(`${oldUrl}?v=1`);
  });

  it('a message the phone does not have is refused (a JSON 404, which 2.3.1 cannot read)', async () => {
    const { client, incoming, world } = await session();
    world.running.contact(ALICE).sendImage(Buffer.alloc(100, 1));
    await waitUntil(() => incoming.some((m) => m.message?.imageMessage), 'the image message');
    const message = incoming.find((m) => m.message?.imageMessage)!;
    const stranger = { ...message, key: { ...message.key, id: '3A00000000000000000000' } } as WAMessage;
    // The sandbox refuses as it does every sealed query, {"status":404}; 2.3.1 reads `response[1].code`
    // of a node only, so it fails on reading `code` of nothing (docs/protocol/queries.md).
    await expect(within(client.updateMediaMessage(stranger), 5_000, 'refresh')).rejects.toThrow(/code/);
  });
});
