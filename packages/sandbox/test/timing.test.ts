import { keyPairFromPrivateKey, toBase64 } from '@wa/crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENCY, LatencyModel, Outbox, resolveLatency } from '../src/delivery.ts';
import { createMemoryLink } from '../src/memory-link.ts';
import { seededRandom } from '../src/random.ts';
import { Sandbox, type SandboxOptions } from '../src/sandbox.ts';
import { eventually, memoryClient } from './support/memory.ts';
import { messagesOf } from './support/mini-client.ts';
import { StrictClient } from './support/strict-client.ts';

/** A strict (Baileys-style) client on an in-memory link. */
function strictClient(sandbox: Sandbox, clientId?: string): StrictClient {
  const { client } = createMemoryLink(sandbox);
  return new StrictClient(client, clientId === undefined ? {} : { clientId });
}

/** A fixed client key pair, so two runs scan the same QR. */
const fixedKeys = keyPairFromPrivateKey(new Uint8Array(32).fill(7));

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('latency settings', () => {
  it('defaults to a few ms for the server and tens of ms for the phone', () => {
    expect(resolveLatency(undefined)).toEqual({ serverMs: 4, phoneMs: 40, jitter: 0.5 });
    expect(resolveLatency(0)).toEqual({ serverMs: 0, phoneMs: 0, jitter: 0.5 });
    expect(resolveLatency({ phoneMs: 100, jitter: 0 })).toEqual({ serverMs: 4, phoneMs: 100, jitter: 0 });
    for (const bad of [-1, Number.NaN, { serverMs: -2 }, { jitter: 1.5 }, { phoneMs: Infinity }]) {
      expect(() => resolveLatency(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => new Sandbox({ latency: { serverMs: -1 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(new Sandbox({ latency: 0 }).latency).toEqual({ serverMs: 0, phoneMs: 0, jitter: DEFAULT_LATENCY.jitter });
  });

  it('draws latencies within base × (1 ± jitter), the same sequence for the same seed', () => {
    const model = new LatencyModel(resolveLatency(undefined), seededRandom('timing'));
    const phone = Array.from({ length: 200 }, () => model.sample('phone'));
    const server = Array.from({ length: 200 }, () => model.sample('server'));
    for (const value of phone) expect(value >= 20 && value <= 60).toBe(true);
    for (const value of server) expect(value >= 2 && value <= 6).toBe(true);
    // Jitter really varies the values, and a second model with the same seed repeats them.
    expect(new Set(phone.map(Math.round)).size).toBeGreaterThan(10);
    const again = new LatencyModel(resolveLatency(undefined), seededRandom('timing'));
    expect(Array.from({ length: 200 }, () => again.sample('phone'))).toEqual(phone);
    expect(new LatencyModel(resolveLatency(0), seededRandom('x')).sample('phone')).toBe(0);
  });
});

describe('Outbox', () => {
  it('delivers in order, one frame per macrotask, even with latency 0', async () => {
    const outbox = new Outbox(new LatencyModel(resolveLatency(0), seededRandom(1)), (error) => {
      throw error;
    });
    const delivered: number[] = [];
    let turn = 0;
    const turns: number[] = [];
    for (let i = 0; i < 20; i++) {
      outbox.enqueue(() => {
        delivered.push(i);
        turns.push(turn);
      });
    }
    // Nothing is written in the tick that queued it.
    expect(delivered).toEqual([]);
    const counter = setInterval(() => (turn += 1), 0);
    await eventually(() => delivered.length === 20);
    clearInterval(counter);
    expect(delivered).toEqual([...Array(20).keys()]);
    expect(outbox.size).toBe(0);
  });

  it('keeps the order when a later frame has the shorter latency, and chains reactions', async () => {
    const outbox = new Outbox(new LatencyModel({ serverMs: 5, phoneMs: 60, jitter: 0 }, seededRandom(1)), () => undefined);
    const start = performance.now();
    const at: Record<string, number> = {};
    outbox.enqueue(() => (at.phone = performance.now() - start), { source: 'phone' });
    outbox.enqueue(() => (at.server = performance.now() - start), { source: 'server' });
    outbox.enqueue(() => (at.chained = performance.now() - start), { source: 'phone', chained: true });
    await eventually(() => at.chained !== undefined);
    expect(Object.keys(at)).toEqual(['phone', 'server', 'chained']);
    expect(at.phone!).toBeGreaterThanOrEqual(50);
    expect(at.server!).toBeGreaterThanOrEqual(at.phone!);
    // A chained frame counts its latency from the frame before: a second phone round trip.
    expect(at.chained! - at.phone!).toBeGreaterThanOrEqual(50);
  });

  it('drops everything not delivered yet when closed, and refuses later frames', async () => {
    const outbox = new Outbox(new LatencyModel(resolveLatency(0), seededRandom(1)), () => undefined);
    const delivered: number[] = [];
    outbox.enqueue(() => delivered.push(1));
    outbox.enqueue(() => delivered.push(2));
    outbox.close();
    expect(outbox.enqueue(() => delivered.push(3))).toBe(false);
    await tick();
    await tick();
    expect(delivered).toEqual([]);
  });

  it('keeps delivering after a frame whose write throws', async () => {
    const errors: unknown[] = [];
    const outbox = new Outbox(new LatencyModel(resolveLatency(0), seededRandom(1)), (error) => errors.push(error));
    const delivered: number[] = [];
    outbox.enqueue(() => {
      throw new Error('socket gone');
    });
    outbox.enqueue(() => delivered.push(2));
    await eventually(() => delivered.length === 1);
    expect(errors).toHaveLength(1);
  });
});

describe('delivery of a whole session', () => {
  for (const latency of [0, undefined] as const) {
    it(`never hands two frames over in one tick (latency ${latency ?? 'default'})`, async () => {
      const sandbox = new Sandbox({ seed: 'ticks', latency });
      const client = strictClient(sandbox);
      await client.qrLogin((qr) => sandbox.phone.scan(qr));
      await client.waitForPushes(3);
      const alice = sandbox.contact('15550100002@c.us');
      for (let i = 0; i < 10; i++) alice.sendText(`burst ${i}`);
      alice.setPresence('composing');
      await client.waitForPushes(13);
      await eventually(() => client.jsonPushes.length >= 1);
      expect(client.fatal).toBeUndefined();
      expect(client.sameTickFrames).toBe(0);
      sandbox.close();
    });
  }

  it('nothing is written in the tick of the request, and latency 0 still answers', async () => {
    const sandbox = new Sandbox({ latency: 0 });
    const { client } = createMemoryLink(sandbox);
    const received: unknown[] = [];
    client.onmessage = (data) => received.push(data);
    client.send('1.--0,["admin","init",[2,2142,12],["A","B"],"Y2xpZW50LWlkLTE2Ynl0ZQ==",true]');
    await Promise.resolve();
    await Promise.resolve();
    expect(received).toEqual([]);
    await eventually(() => received.length === 1);
    sandbox.close();
  });

  it('a QR login: s1 Conn a phone round trip after the scan, then Stream, Props and each push as its own delivery', async () => {
    const sandbox = new Sandbox({ seed: 'qr', latency: { serverMs: 5, phoneMs: 50, jitter: 0 } });
    const { client } = createMemoryLink(sandbox);
    const arrivals: Array<{ tag: string; at: number }> = [];
    client.onmessage = (data) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data.subarray(0, 40));
      arrivals.push({ tag: text.slice(0, text.indexOf(',')), at: performance.now() });
    };
    client.send('1.--0,["admin","init",[2,2142,12],["A","B"],"Y2xpZW50LWlkLTE2Ynl0ZQ==",true]');
    await eventually(() => arrivals.length === 1);
    const ref = (sandbox.waitingRefs()[0] as { ref: string }).ref;
    const scannedAt = performance.now();
    sandbox.phone.scan(`${ref},${toBase64(fixedKeys.publicKey)},Y2xpZW50LWlkLTE2Ynl0ZQ==`);
    await eventually(() => arrivals.length === 7);
    const [, s1, s2, s3, chat, contacts, last] = arrivals;
    expect([s1, s2, s3].map((frame) => frame!.tag)).toEqual(['s1', 's2', 's3']);
    for (const push of [chat, contacts, last]) expect(push!.tag).toMatch(/^preempt-\d+-\d+$/);
    expect(s1!.at - scannedAt).toBeGreaterThanOrEqual(40);
    expect(s2!.at - s1!.at).toBeGreaterThanOrEqual(3);
    expect(chat!.at - s3!.at).toBeGreaterThanOrEqual(40);
    expect(contacts!.at - chat!.at).toBeGreaterThanOrEqual(40);
    expect(last!.at - contacts!.at).toBeGreaterThanOrEqual(40);
    sandbox.close();
  });

  it('is reproducible: the same seed and clock give the same frames in the same order', async () => {
    const run = async (): Promise<string[]> => {
      const sandbox = new Sandbox({ seed: 'repeat', now: 1_700_000_000_000 });
      const { client } = createMemoryLink(sandbox);
      const frames: string[] = [];
      client.onmessage = (data) => frames.push(typeof data === 'string' ? data : Array.from(data).join('.'));
      client.send('1.--0,["admin","init",[2,2142,12],["A","B"],"Y2xpZW50LWlkLTE2Ynl0ZQ==",true]');
      await eventually(() => frames.length === 1);
      sandbox.phone.scan(`${sandbox.waitingRefs()[0]!.ref},${toBase64(fixedKeys.publicKey)},Y2xpZW50LWlkLTE2Ynl0ZQ==`);
      sandbox.contact('15550100002@c.us').sendText('one');
      sandbox.contact('15550100003@c.us').sendText('two');
      await eventually(() => frames.length === 9);
      sandbox.close();
      return frames;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('login sequencing, as a client that listens only after the init answer', () => {
  const options: SandboxOptions = { seed: 'sequencing' };

  it('QR login, restore and a challenged restore never lose a frame', async () => {
    const sandbox = new Sandbox(options);
    const first = strictClient(sandbox);
    const credentials = await first.qrLogin((qr) => sandbox.phone.scan(qr));
    await first.waitForPushes(3);
    expect(first.fatal).toBeUndefined();
    expect(first.unhandled).toEqual([]);

    const second = strictClient(sandbox, credentials.clientId);
    const restored = await second.restore(credentials);
    expect(restored.status).toBe(200);
    expect(restored.conn).toMatchObject({ wid: credentials.wid, connected: true });
    await second.waitForPushes(3);
    expect(second.unhandled).toEqual([]);

    sandbox.faults.forceChallenge();
    const fresh = { ...credentials, clientToken: restored.conn!.clientToken!, serverToken: restored.conn!.serverToken! };
    const third = strictClient(sandbox, credentials.clientId);
    const challenged = await third.restore(fresh);
    expect(challenged.status).toBe(200);
    expect(challenged.conn).toMatchObject({ wid: credentials.wid });
    await third.waitForPushes(3);
    expect(third.fatal).toBeUndefined();
    expect(third.unhandled).toEqual([]);
    sandbox.close();
  });

  it('refusals 401, 403, 405, 409 and 419 reach the client under the login tag', async () => {
    const sandbox = new Sandbox(options);
    const first = strictClient(sandbox);
    const credentials = await first.qrLogin((qr) => sandbox.phone.scan(qr));
    const restored = await strictClient(sandbox, credentials.clientId).restore(credentials);
    // The first tokens were superseded by the restore's new ones.
    expect((await strictClient(sandbox, credentials.clientId).restore(credentials)).status).toBe(419);
    const current = { ...credentials, clientToken: restored.conn!.clientToken!, serverToken: restored.conn!.serverToken! };
    // Another socket holds the session: a reconnect is refused with 409.
    expect((await strictClient(sandbox, credentials.clientId).restore(current, 'reconnect')).status).toBe(409);
    for (const status of [403, 405, 409] as const) {
      sandbox.faults.forceLoginStatus(status);
      expect((await strictClient(sandbox, credentials.clientId).restore(current)).status).toBe(status);
    }
    sandbox.faults.forceLoginStatus(null);
    expect((await strictClient(sandbox, credentials.clientId).restore({ ...current, serverToken: '1@unknown' })).status).toBe(401);
    sandbox.close();
  });

  it('delivers nothing to a connection that was replaced or closed meanwhile', async () => {
    const sandbox = new Sandbox({ seed: 'replaced', latency: { serverMs: 2, phoneMs: 30, jitter: 0 } });
    const old = memoryClient(sandbox);
    await old.init();
    sandbox.phone.scan(old.qr());
    await old.completeQrLogin();
    const credentials = old.credentials();
    await old.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');
    // Messages relayed by the phone are on their way (30 ms) when another client takes over.
    const alice = sandbox.contact('15550100002@c.us');
    for (let i = 0; i < 5; i++) alice.sendText(`late ${i}`);
    const before = old.received.length;
    const next = memoryClient(sandbox, credentials.clientId);
    await next.restore(credentials);
    const close = await old.waitForClose();
    expect(close.code).toBe(4001);
    const after = old.received.slice(before);
    // Only the takeover notice: the relayed messages on their way were dropped with the old
    // socket; the new session has them (they are in the history its login pushes).
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ kind: 'json', json: ['Cmd', { type: 'disconnect', kind: 'replaced' }] });
    const recent = await next.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');
    const texts = messagesOf(recent.node).map((info) => info.message?.conversation);
    for (let i = 0; i < 5; i++) expect(texts).toContain(`late ${i}`);
    expect(next.received.some((frame) => frame.kind === 'node' && frame.node[1]?.add === 'relay')).toBe(false);
    sandbox.close();
  });
});

describe('a login status forced for one form of admin login', () => {
  it('refuses only reconnects with 409 (a half-open old socket); takeover still logs in', async () => {
    const sandbox = new Sandbox({ seed: 'mode', latency: 0 });
    const credentials = await strictClient(sandbox).qrLogin((qr) => sandbox.phone.scan(qr));
    sandbox.faults.forceLoginStatus(409, { mode: 'reconnect' });
    expect(sandbox.faults.loginStatus).toEqual({ status: 409, tos: 2, mode: 'reconnect' });
    expect((await strictClient(sandbox, credentials.clientId).restore(credentials, 'reconnect')).status).toBe(409);
    expect((await strictClient(sandbox, credentials.clientId).restore(credentials, 'takeover')).status).toBe(200);
    expect(() => sandbox.faults.forceLoginStatus(409, { mode: 'other' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    sandbox.faults.forceLoginStatus(null);
    expect(sandbox.faults.loginStatus).toBeUndefined();
    sandbox.close();
  });
});
