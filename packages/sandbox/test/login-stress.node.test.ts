import { describe, expect, it } from 'vitest';
import type { Credentials } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { StrictClient } from './support/strict-client.ts';
import { openWebSocket } from './support/ws-link.ts';

const start = trackedSandboxes();

/** A strict client over a real WebSocket that handles one frame per macrotask. */
async function strictWsClient(url: string, clientId?: string): Promise<{ client: StrictClient; close: () => void }> {
  const socket = await openWebSocket(url);
  const link = { onmessage: null as ((data: string | Uint8Array) => void) | null, onclose: null, send: (data: string | Uint8Array) => socket.send(data), close: () => socket.close() };
  socket.on('message', (data: Buffer, isBinary: boolean) => link.onmessage?.(isBinary ? new Uint8Array(data) : data.toString()));
  const options = clientId === undefined ? { handling: 'per-macrotask' as const } : { handling: 'per-macrotask' as const, clientId };
  return { client: new StrictClient(link, options), close: () => socket.terminate() };
}

/** Runs `task` for 0…count-1, at most `parallel` at a time. */
async function inBatches<T>(count: number, parallel: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

describe('logins under load, default latency, real sockets', () => {
  it('200 QR logins and 200 restores never lose a push or a login answer', { timeout: 120_000 }, async () => {
    const sandbox = await start();
    expect(sandbox.sandbox.latency).toEqual({ serverMs: 4, phoneMs: 40, jitter: 0.5 });
    const logins = await inBatches(200, 25, async () => {
      const { client, close } = await strictWsClient(sandbox.url);
      const credentials = await client.qrLogin((qr) => sandbox.phone.scan(qr));
      await client.waitForPushes(3, 20_000);
      const outcome = { credentials, fatal: client.fatal, unhandled: client.unhandled.length, pushes: client.pushes.map((push) => push.node[1]) };
      close();
      return outcome;
    });
    for (const login of logins) {
      expect(login.fatal).toBeUndefined();
      expect(login.unhandled).toBe(0);
      expect(login.pushes).toEqual([{ type: 'chat' }, { type: 'contacts' }, { add: 'last', last: 'true' }]);
    }
    const restore = async (index: number): Promise<Record<string, unknown>> => {
      const credentials: Credentials = logins[index]!.credentials;
      const { client, close } = await strictWsClient(sandbox.url, credentials.clientId);
      const result = await client.restore(credentials, index % 2 === 0 ? 'takeover' : 'reconnect');
      await client.waitForPushes(3, 20_000);
      const outcome = { status: result.status, conn: result.conn, fatal: client.fatal, unhandled: client.unhandled.length, pushes: client.pushes.length };
      close();
      return outcome;
    };
    // The first hundred are let in at once, the second hundred answer a challenge first.
    const restores = await inBatches(100, 25, restore);
    sandbox.faults.forceChallenge();
    restores.push(...(await inBatches(100, 25, (index) => restore(index + 100))));
    for (const outcome of restores) {
      expect(outcome).toMatchObject({ status: 200, fatal: undefined, unhandled: 0, pushes: 3 });
      expect(outcome.conn).toMatchObject({ connected: true, clientToken: expect.any(String) });
    }
    expect(sandbox.stats).toMatchObject({ qrLogins: 200, restores: 200, rejectedFrames: 0 });
  });
});
