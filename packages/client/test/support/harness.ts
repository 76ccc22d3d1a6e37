/** Runs a WAClient against a sandbox core in memory (Node and browsers alike). */
import { createMemoryWebSocket, Sandbox, type SandboxOptions } from '@wa/sandbox/core';
import type { WebSocketConstructor } from '@wa/transport';
import { MemoryAuthStore, WAClient, type WAClientOptions } from '../../src/index.ts';

export const ME = '15550100001@c.us';
export const ALICE = '15550100002@c.us';
export const BOB = '15550100003@c.us';
export const CAROL = '15550100004@c.us';
export const DAVE = '15550100005@c.us';
export const ECHO = '15550100099@c.us';
export const GROUP = '15550100001-1600000000@g.us';

/** A client whose WebSocket is an in-memory link to `sandbox`. */
export function memoryClient(sandbox: Sandbox, options: WAClientOptions = {}): WAClient {
  return new WAClient({
    url: 'ws://sandbox.invalid/ws',
    WebSocket: createMemoryWebSocket(sandbox) as unknown as WebSocketConstructor,
    requestTimeoutMs: 3_000,
    ...options,
  });
}

/** Lets the sandbox's phone scan every QR the client shows. */
export function autoScan(sandbox: Sandbox, client: WAClient): () => void {
  return client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
}

/** A client logged in by QR, with its auth store. */
export async function loggedIn(sandbox: Sandbox, options: WAClientOptions = {}): Promise<{ client: WAClient; auth: MemoryAuthStore }> {
  const auth = (options.auth as MemoryAuthStore | undefined) ?? new MemoryAuthStore();
  const client = memoryClient(sandbox, { ...options, auth });
  autoScan(sandbox, client);
  await client.connect();
  // The chat list is the phone's push after the login, a phone round trip after the Conn that
  // settles connect(): tests that read the chats start from the synced state.
  if (client.chats().length === 0) await client.waitFor('chats');
  return { client, auth };
}

export function newSandbox(options: SandboxOptions = {}): Sandbox {
  return new Sandbox(options);
}

/** Collects every payload of `event` from now on. */
export function collect<K extends keyof import('../../src/index.ts').ClientEvents>(
  client: WAClient,
  event: K,
): Array<import('../../src/index.ts').ClientEvents[K]> {
  const list: Array<import('../../src/index.ts').ClientEvents[K]> = [];
  client.on(event, (payload) => list.push(payload));
  return list;
}
