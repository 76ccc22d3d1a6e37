/** Connects a MiniClient to a sandbox core over the in-memory link (Node and browsers). */
import { createMemoryLink } from '../../src/memory-link.ts';
import type { Sandbox } from '../../src/sandbox.ts';
import { MiniClient } from './mini-client.ts';

export function memoryClient(sandbox: Sandbox, clientId?: string): MiniClient {
  const { client } = createMemoryLink(sandbox);
  return new MiniClient(client, clientId);
}

/** A client logged in by QR (init, phone scan, Conn, keys); the initial pushes stay unclaimed. */
export async function loggedInClient(sandbox: Sandbox, wid?: string): Promise<MiniClient> {
  const client = memoryClient(sandbox);
  await client.init();
  (wid === undefined ? sandbox.phone : sandbox.phoneOf(wid)).scan(client.qr());
  await client.completeQrLogin();
  return client;
}

/**
 * Resolves once `condition()` holds, checking after every macrotask: frames reach a client one
 * per macrotask, after their latency. Rejects after `timeoutMs`.
 */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
