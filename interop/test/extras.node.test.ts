/**
 * Baileys 3.5.3 features beyond the core scenarios. The features FINDINGS F8 listed as pending
 * (groups, profile, blocking, message_info, search, revoke) now run by default in their own files
 * (groups, profile, queries-extra, message-kinds).
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import { ChatModification, MessageType, Mimetype, WA_MESSAGE_STATUS_TYPE, type WAMessage } from '@adiwajshing/baileys';
import { defaultWorld, type WorldSpec } from '@wa/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB, BOB_WA, cleanUp, loggedIn, ME, newClient, nextEvent, sandboxEvent, startWorld, type World } from './harness.ts';

afterEach(cleanUp);

function textOf(message: WAMessage): string | undefined {
  return message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? undefined;
}

async function session(spec?: WorldSpec): Promise<{ world: World; conn: ReturnType<typeof newClient> }> {
  const world = await startWorld(spec ? { world: spec } : {});
  const tls = world.running.tls;
  const conn = newClient(world, tls ? { fetchAgent: new https.Agent({ ca: tls.ca }) } : {});
  await loggedIn(world, conn);
  return { world, conn };
}

/** The stored `WebMessageInfo` of a message a web client relayed, as the sandbox keeps it. */
function storedRaw(world: World, chat: string, id: string): Buffer {
  const account = world.running.world.account(ME)!;
  const message = world.running.world.chat(account, chat)!.messages.find((m) => m.id === id);
  if (!message?.raw) throw new Error(`no stored message ${id}`);
  return Buffer.from(message.raw, 'base64');
}

describe('forward', () => {
  it('relays the copy with isForwarded and a forwarding score', async () => {
    const { world, conn } = await session();
    const arrived = nextEvent<{ messages?: { all(): WAMessage[] } }>(conn, 'chat-update', (u) => !!u.messages?.all().some((m) => textOf(m) === 'pass it on'));
    world.running.contact(ALICE).sendText('pass it on');
    const original = (await arrived).messages!.all().find((m) => textOf(m) === 'pass it on')!;
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === BOB);
    // Baileys turns the original's `conversation` into the copy's `extendedTextMessage` in place
    // (protobufjs `fromObject` returns the same instance, WAConnection/7.MessagesExtra.js:346).
    const copy = await conn.forwardMessage(BOB_WA, original);
    expect(copy.status).toBe(WA_MESSAGE_STATUS_TYPE.SERVER_ACK);
    expect((await relayed).text).toBe('pass it on');
    // The sandbox keeps the exact bytes Baileys sent.
    expect(storedRaw(world, BOB, copy.key.id!).includes(Buffer.from('pass it on', 'utf8'))).toBe(true);
    expect(copy.message!.extendedTextMessage!.contextInfo).toEqual(expect.objectContaining({ isForwarded: true, forwardingScore: 1 }));
  });
});

describe('document upload', () => {
  it('uploads a document over https, relays it and downloads it again', async (context) => {
    const { world, conn } = await session();
    if (!world.running.tls) return context.skip('this sandbox serves no https');
    const previous = https.globalAgent.options.ca;
    https.globalAgent.options.ca = world.running.tls.ca;
    try {
      const bytes = Buffer.from('%PDF-1.4\n% interop test document\n'.repeat(50), 'utf8');
      const sent = await conn.sendMessage(ALICE_WA, bytes, MessageType.document, { mimetype: Mimetype.pdf, filename: 'plan.pdf' });
      const doc = sent.message!.documentMessage!;
      expect(doc.fileName).toBe('plan.pdf');
      expect(Number(doc.fileLength)).toBe(bytes.length);
      const blob = world.running.sandbox.media.download(doc.url!);
      expect(createHash('sha256').update(blob!).digest().equals(Buffer.from(doc.fileEncSha256!))).toBe(true);
      expect(Buffer.compare(await conn.downloadMediaMessage(sent), bytes)).toBe(0);
    } finally {
      https.globalAgent.options.ca = previous;
    }
  });
});

describe('chat modifications', () => {
  it('archive, pin and mute are accepted and Baileys updates its chat', async () => {
    const { conn } = await session();
    expect((await conn.modifyChat(ALICE_WA, ChatModification.archive)).status).toBe(200);
    expect(conn.chats.get(ALICE_WA)!.archive).toBe('true');
    expect((await conn.modifyChat(ALICE_WA, ChatModification.unarchive)).status).toBe(200);
    expect(conn.chats.get(ALICE_WA)!.archive).toBeUndefined();
    expect((await conn.modifyChat(ALICE_WA, ChatModification.pin)).status).toBe(200);
    expect(conn.chats.get(ALICE_WA)!.pin).toMatch(/^\d+$/);
    expect((await conn.modifyChat(ALICE_WA, ChatModification.mute, 8 * 3600 * 1000)).status).toBe(200);
    expect(Number(conn.chats.get(ALICE_WA)!.mute)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('whole conversation, oldest first', () => {
  it('loadAllMessages walks kind:"after" pages from the start of the chat to the end', async () => {
    const spec = defaultWorld();
    spec.accounts[0]!.chats = { ...spec.accounts[0]!.chats, [BOB]: Array.from({ length: 23 }, (_, i) => ({ from: BOB, text: `n${i + 1}`, ago: (23 - i) * 60 })) };
    const { conn } = await session(spec);
    const seen: Array<string | undefined> = [];
    await conn.loadAllMessages(BOB_WA, (message: WAMessage) => void seen.push(textOf(message)), 10, false);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `n${i + 1}`));
  });
});

describe('status list', () => {
  it('getStories answers one entry per contact', async () => {
    const { conn } = await session();
    const stories = await conn.getStories();
    expect(stories).toHaveLength(5);
  });
});
