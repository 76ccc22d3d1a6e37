import { nodeToString } from '@wa/binary-codec';
import { generateKeyPair, toBase64 } from '@wa/crypto';
import { Connection, parseFrame, serializeJson } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import { SandboxError } from '../src/errors.ts';
import { memoryLogger } from '../src/logger.ts';
import { createMemoryLink, createMemoryWebSocket, type MemoryWebSocket } from '../src/memory-link.ts';
import { chatListNode } from '../src/protocol/nodes.ts';
import { Sandbox } from '../src/sandbox.ts';
import { eventually } from './support/memory.ts';

const clientId = 'Y2xpZW50LWlkLTE2Ynl0ZQ==';
const init = serializeJson('1.--0', ['admin', 'init', [2, 2142, 12], ['Test', 'Test'], clientId, true]);

function opened(socket: MemoryWebSocket): Promise<void> {
  return new Promise((resolve) => {
    socket.onopen = () => resolve();
  });
}

describe('createMemoryWebSocket', () => {
  it("lets @wa/transport's Connection talk to the sandbox without a network", async () => {
    const sandbox = new Sandbox({ now: 1_700_000_000_000 });
    const connection = new Connection({ url: 'ws://sandbox.invalid/ws', WebSocket: createMemoryWebSocket(sandbox) });
    await connection.open();
    const reply = await connection.request(init);
    expect(reply).toMatchObject({ kind: 'json', tag: '1.--0', json: { status: 200, ttl: 20000, time: 1_700_000_000_000 } });
    expect(sandbox.waitingRefs()).toHaveLength(1);
    await connection.close();
    expect(sandbox.stats.connectionsOpen).toBe(0);
    sandbox.close();
  });

  it('hands binary frames over as ArrayBuffers holding exactly the frame', async () => {
    const sandbox = new Sandbox({ now: 1_700_000_000_000 });
    const socket = new (createMemoryWebSocket(sandbox))('ws://sandbox.invalid/ws');
    const messages: Array<string | ArrayBuffer | Uint8Array> = [];
    socket.onmessage = ({ data }) => messages.push(data);
    await opened(socket);
    socket.send(init);
    await eventually(() => messages.length === 1);
    const ref = (parseFrame(messages[0]!) as { json: { ref: string } }).json.ref;
    sandbox.phone.scan(`${ref},${toBase64(generateKeyPair().publicKey)},${clientId}`);
    const binary = (): Array<string | ArrayBuffer | Uint8Array> => messages.filter((data) => typeof data !== 'string');
    await eventually(() => binary().length === 3);
    // The chat list, contacts and recent messages pushed after the login.
    for (const data of binary()) {
      expect(data).toBeInstanceOf(ArrayBuffer);
      const frame = parseFrame(data, { from: 'server' });
      expect(frame).toMatchObject({ kind: 'binary', tag: expect.stringMatching(/^preempt-1700000000-\d+$/) });
      // tag, comma, then HMAC (32 bytes) + IV (16) + at least one AES block.
      expect((data as ArrayBuffer).byteLength).toBeGreaterThanOrEqual((frame as { tag: string }).tag.length + 1 + 32 + 16 + 16);
    }
    socket.close();
    expect(() => socket.send(init)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    sandbox.close();
  });
});

describe('createMemoryLink', () => {
  it('refuses a send after the close with a CLOSED SandboxError', () => {
    const sandbox = new Sandbox();
    const { client } = createMemoryLink(sandbox);
    client.close();
    expect(() => client.send(init)).toThrow(SandboxError);
    expect(() => client.send(init)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    sandbox.close();
  });
});

describe('debug logging', () => {
  it('renders every sealed node it sends as text for the logger', async () => {
    const log = memoryLogger();
    const sandbox = new Sandbox({ logger: log.logger, now: 1_700_000_000_000 });
    const { client } = createMemoryLink(sandbox);
    const replies: Array<string | Uint8Array> = [];
    client.onmessage = (data) => replies.push(data);
    client.send(init);
    await eventually(() => replies.length === 1);
    const ref = (parseFrame(replies[0]!) as { json: { ref: string } }).json.ref;
    sandbox.phone.scan(`${ref},${toBase64(generateKeyPair().publicKey)},${clientId}`);
    const account = sandbox.world.requireAccount(sandbox.phone.wid);
    const sealed = log.entries.filter((entry) => entry.event === 'frame-out' && entry.data?.binary === true);
    expect(sealed).toHaveLength(3);
    expect(sealed[0]!.message).toBe(nodeToString(chatListNode(sandbox.world, account)));
    const json = log.entries.find((entry) => entry.event === 'frame-out' && entry.data?.tag === '1.--0');
    expect(JSON.parse(json!.message)).toMatchObject({ status: 200, ref });
    sandbox.close();
  });
});
