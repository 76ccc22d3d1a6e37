/**
 * The core's answers to hostile frames, over the in-memory link (so in browsers too); the
 * socket-level cases are in hostile.node.test.ts.
 */
import { encodeWebMessageInfo } from '@wa/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

async function answerTo(client: ReturnType<typeof memoryClient>, tag: string, frame: string | Uint8Array): Promise<unknown> {
  const reply = client.waitFor((entry) => entry.kind === 'json' && entry.tag === tag);
  client.link.send(frame);
  return ((await reply) as { json: unknown }).json;
}

describe('hostile frames (core)', () => {
  it('answers deep nesting, bad JSON and headerless binary frames with a status instead of throwing', async () => {
    sandbox = new Sandbox();
    const client = memoryClient(sandbox);
    // As deep as fits the 64 KiB a frame may have before login.
    const deep = '['.repeat(15_000) + ']'.repeat(15_000);
    expect(await answerTo(client, 'n1', `n1,["admin",${deep}]`)).toEqual({ status: 404 });
    expect(await answerTo(client, 'n2', `n2,["nonsense",${deep}]`)).toEqual({ status: 401 });
    expect(await answerTo(client, 'n3', 'n3,{"unterminated":')).toEqual({ status: 400 });
    expect(await answerTo(client, 'n4', new TextEncoder().encode('n4,'))).toEqual({ status: 400 });
    expect(sandbox.stats.rejectedFrames).toBe(4);
    expect(await client.request(['admin', 'test'])).toBe(false);
  });

  it('refuses a relayed message to an invalid chat id or an unknown group, storing nothing', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    const account = sandbox.world.account('15550100001@c.us')!;
    const before = account.chats.length;
    const relay = async (remoteJid: string, id: string): Promise<unknown> => {
      const info = encodeWebMessageInfo({ key: { remoteJid, fromMe: true, id }, message: { conversation: 'x' } });
      const reply = await client.query(['action', { type: 'relay', epoch: '1' }, [['message', null, info]]], 16, 0x80, id);
      return reply.kind === 'json' ? reply.json : reply.kind;
    };
    expect(await relay('hello', '3EB0000000000000000A')).toEqual({ status: 400 });
    expect(await relay('15550100002@example.org', '3EB0000000000000000B')).toEqual({ status: 400 });
    expect(await relay('15550100009-1@g.us', '3EB0000000000000000C')).toEqual({ status: 404 });
    expect(account.chats.length).toBe(before);
    expect(await relay('15550100002@s.whatsapp.net', '3EB0000000000000000D')).toEqual({ status: 200 });
  });

  it('keeps the ref table bounded: a new admin init drops the refs of the previous one', async () => {
    sandbox = new Sandbox();
    const client = memoryClient(sandbox);
    await client.init();
    const first = client.qr();
    for (let i = 0; i < 10; i++) await client.init();
    expect(sandbox.faults.expireRefs()).toBe(1);
    expect(() => sandbox.phone.scan(first)).toThrow(expect.objectContaining({ code: 'REF_UNKNOWN' }));
  });
});
