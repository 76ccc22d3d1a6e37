import { Connection, serializeJson } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import { createMemoryWebSocket } from '../src/memory-link.ts';
import { Sandbox } from '../src/sandbox.ts';

describe('createMemoryWebSocket', () => {
  it("lets @wa/transport's Connection talk to the sandbox without a network", async () => {
    const sandbox = new Sandbox({ now: 1_700_000_000_000 });
    const connection = new Connection({ url: 'ws://sandbox.invalid/ws', WebSocket: createMemoryWebSocket(sandbox) });
    await connection.open();
    const reply = await connection.request(serializeJson('1.--0', ['admin', 'init', [2, 2142, 12], ['Test', 'Test'], 'Y2xpZW50LWlkLTE2Ynl0ZQ==', true]));
    expect(reply).toMatchObject({ kind: 'json', tag: '1.--0', json: { status: 200, ttl: 20000, time: 1_700_000_000_000 } });
    expect(sandbox.waitingRefs()).toHaveLength(1);
    await connection.close();
    expect(sandbox.stats.connectionsOpen).toBe(0);
    sandbox.close();
  });
});
