/**
 * The timing contract Baileys 3.5.3 needs (FACTS "Timing"): every frame in its own network read.
 * With `latency: 0` the sandbox still delivers one frame per macrotask; that alone must be enough.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE_WA, cleanUp, loggedIn, ME_WA, newClient, nextEvent, pairedCredentials, startWorld } from './harness.ts';

afterEach(cleanUp);

describe('latency 0 (one frame per macrotask, no delay)', () => {
  it('QR login with the chat list, then a challenged restore', async () => {
    const world = await startWorld({ latency: 0 });
    const conn = newClient(world);
    await loggedIn(world, conn);
    expect(conn.user.jid).toBe(ME_WA);
    expect(conn.chats.get(ALICE_WA)).toBeDefined();
    conn.close();

    const saved = await pairedCredentials(world);
    world.running.faults.forceChallenge();
    const restored = newClient(world, { auth: saved });
    const chats = nextEvent(restored, 'chats-received');
    const result = await restored.connect();
    expect(result.user.jid).toBe(ME_WA);
    await chats;
    expect(restored.chats.all()).toHaveLength(6);
    expect(world.running.stats.badHmac).toBe(0);
  });
});
