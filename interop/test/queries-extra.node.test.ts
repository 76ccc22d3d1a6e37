/**
 * Baileys 3.5.3's queries about stored messages against the sandbox (docs/protocol/queries.md):
 * `messageInfo` (query type:message_info, metric 22), `searchMessages` (type:search, metric 24) and
 * `updateMediaMessage` (type:media, metric 4). These
 * were FINDINGS F8 rows ("pending sandbox support") until the sandbox answered them.
 */
import https from 'node:https';
import { MessageType, type WAMessage } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, cleanUp, GROUP, loggedIn, ME, newClient, nextEvent, startWorld, waitUntil, type World } from './harness.ts';

afterEach(cleanUp);

function textOf(message: WAMessage): string | undefined {
  return message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? undefined;
}

async function session(): Promise<{ world: World; conn: ReturnType<typeof newClient> }> {
  const world = await startWorld({});
  const tls = world.running.tls;
  const conn = newClient(world, tls ? { fetchAgent: new https.Agent({ ca: tls.ca }) } : {});
  await loggedIn(world, conn);
  return { world, conn };
}

describe('messageInfo', () => {
  it('lists who got and read a group message', async () => {
    const { world, conn } = await session();
    const sent = await conn.sendMessage(GROUP, 'who reads this?', MessageType.text);
    const id = sent.key.id!;
    const stored = () => world.running.world.findMessage(world.running.world.account(ME)!, id)?.message;
    // The group's scripted members get it after 50 ms and read it after 300–1000 ms (the default world).
    await waitUntil(() => (stored()?.receipts ?? []).filter((receipt) => receipt.read !== undefined).length === 3, 'three members to read it');
    const info = await conn.messageInfo(GROUP, id);
    const expected = stored()!.receipts!.map((receipt) => receipt.jid.replace('@c.us', '@s.whatsapp.net')).sort();
    // Baileys hands out the attributes of each entry as they are: `jid` and `t` (unix seconds, a string).
    expect(info.reads.map((entry: { jid: string }) => entry.jid.replace('@c.us', '@s.whatsapp.net')).sort()).toEqual(expected);
    expect(info.deliveries.map((entry: { jid: string }) => entry.jid.replace('@c.us', '@s.whatsapp.net')).sort()).toEqual(expected);
    for (const entry of [...info.reads, ...info.deliveries] as Array<{ t: string }>) expect(Number(entry.t)).toBeGreaterThan(1_600_000_000);
  });
});

describe('searchMessages', () => {
  it('finds a text', async () => {
    const { conn } = await session();
    const result = await conn.searchMessages('station', null as unknown as string, 10, 1);
    expect(result.last).toBe(true);
    expect(result.messages.map(textOf)).toEqual(['Yes, 10am at the station']);
  });

  it('pages with count and page', async () => {
    const { world, conn } = await session();
    for (const text of ['pick 1', 'pick 2', 'pick 3']) world.running.contact(ALICE).sendText(text);
    await waitUntil(() => world.running.world.chat(world.running.world.account(ME)!, ALICE)!.messages.length >= 6, 'the texts stored');
    const first = await conn.searchMessages('pick', null as unknown as string, 2, 1);
    const second = await conn.searchMessages('pick', null as unknown as string, 2, 2);
    expect([first.last, second.last]).toEqual([false, true]);
    expect([...first.messages, ...second.messages].map(textOf).sort()).toEqual(['pick 1', 'pick 2', 'pick 3']);
  });
});

describe('updateMediaMessage', () => {
  it('updateMediaMessage gets the fresh url of an expired image (404), which then downloads', async (context) => {
    const { world, conn } = await session();
    if (!world.running.tls) return context.skip('this sandbox serves no https');
    const previous = https.globalAgent.options.ca;
    https.globalAgent.options.ca = world.running.tls.ca;
    try {
      const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 11) & 0xff));
      const arrived = nextEvent<{ messages?: { all(): WAMessage[] } }>(conn, 'chat-update', (u) => !!u.messages?.all().some((m) => !!m.message?.imageMessage));
      world.running.contact(ALICE).sendImage(file, { caption: 'refresh me' });
      const message = (await arrived).messages!.all().find((m) => !!m.message?.imageMessage)!;
      const oldUrl = message.message!.imageMessage!.url!;
      expect(world.running.sandbox.media.expire(oldUrl)).toBe(true);
      // Baileys' own retry in downloadMediaMessage looks for a BaileysError with status 404, but
      // got 11 rejects first with its HTTPError (FINDINGS N2): the refresh has to be asked for.
      const failed = await conn.downloadMediaMessage(message).catch((error: unknown) => error);
      expect((failed as { response?: { statusCode?: number } }).response?.statusCode).toBe(404);
      await conn.updateMediaMessage(message);
      // Baileys copied the answer's attributes into the message: the fresh url and directPath.
      expect(message.message!.imageMessage!.url).toBe(`${oldUrl}?v=1`);
      expect(message.message!.imageMessage!.directPath).toMatch(/^\/d\/f\/[0-9a-f]{32}\.enc\?v=1$/);
      expect(Buffer.compare(await conn.downloadMediaMessage(message), file)).toBe(0);
    } finally {
      https.globalAgent.options.ca = previous;
    }
  });
});
