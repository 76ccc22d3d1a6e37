import { encode } from '@wa/binary-codec';
import { FrameAuthError, sealFrame } from '@wa/crypto';
import { serializeBinary } from '@wa/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { memoryLogger } from '../src/logger.ts';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { MiniClient } from './support/mini-client.ts';

let sandbox: Sandbox;
afterEach(() => sandbox.close());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('client frames with a bad HMAC', () => {
  it('are rejected with 400, counted and logged, and the session stays up', async () => {
    const log = memoryLogger();
    sandbox = new Sandbox({ logger: log.logger });
    const client = await loggedInClient(sandbox);
    const sealed = sealFrame(client.keys!, encode(['query', { type: 'chat', epoch: '1' }, null]));
    sealed[5] = sealed[5]! ^ 0x01;
    const tag = MiniClient.tag();
    const reply = client.waitFor((frame) => frame.kind === 'json' && frame.tag === tag);
    client.link.send(serializeBinary(tag, sealed, { metric: 5, flag: 0x80 }));
    expect(await reply).toEqual({ kind: 'json', tag, json: { status: 400 } });
    expect(sandbox.stats.badHmac).toBe(1);
    expect(log.entries.some((entry) => entry.event === 'bad-hmac' && entry.connection === 'c1')).toBe(true);
    const good = await client.query(['query', { type: 'chat', epoch: '2' }, null], 5);
    expect(good.kind).toBe('node');
    expect(client.closed).toBe(false);
  });
});

describe('fault switches', () => {
  it('corruptHmac(n) spoils the next n sealed server frames only', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    await client.waitForNode((node) => node[1]?.add === 'last');
    sandbox.faults.corruptHmac(1);
    sandbox.contact('15550100002@c.us').sendText('first');
    sandbox.contact('15550100002@c.us').sendText('second');
    const bad = await client.waitFor((frame) => frame.kind === 'undecryptable');
    expect(bad.kind === 'undecryptable' && bad.error).toBeInstanceOf(FrameAuthError);
    await client.waitForNode((node) => node[1]?.add === 'relay');
  });

  it('delayFrames holds every server frame back, in order', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    sandbox.faults.delayFrames(150);
    const first = client.request(['query', 'exist', '15550100002@c.us']);
    const second = client.request(['query', 'exist', '4900000@c.us']);
    await sleep(30);
    expect(client.received.filter((frame) => frame.kind === 'json' && (frame.json as { status?: number })?.status === 404)).toEqual([]);
    expect(await first).toMatchObject({ status: 200 });
    expect(await second).toEqual({ status: 404 });
    sandbox.faults.delayFrames(0);
  });

  it('dropSocket closes the socket without logging out; reconnect restores', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    const credentials = client.credentials();
    expect(sandbox.faults.dropSocket({ wid: '15550100001@c.us' })).toBe(1);
    expect((await client.waitForClose()).code).toBe(1006);
    expect(sandbox.sessions()).toEqual([expect.objectContaining({ clientId: credentials.clientId, connected: false })]);
    const again = memoryClient(sandbox);
    expect((await again.restore(credentials, 'reconnect')).status).toBe(200);
  });

  it('refuseRefs answers reref with 429; expireRefs expires waiting refs', async () => {
    const clock = new ManualClock();
    sandbox = new Sandbox({ clock });
    const client = memoryClient(sandbox);
    await client.init();
    expect(sandbox.faults.expireRefs()).toBe(1);
    expect(() => sandbox.phone.scan(client.qr())).toThrow(expect.objectContaining({ code: 'REF_EXPIRED' }));
    sandbox.faults.refuseRefs();
    expect(await client.request(['admin', 'Conn', 'reref'])).toEqual({ status: 429 });
    sandbox.faults.refuseRefs(false);
    const reply = (await client.request(['admin', 'Conn', 'reref'])) as { status: number; ref: string };
    expect(reply.status).toBe(200);
    client.ref = reply.ref;
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
  });

  it('forceChallenge makes a fresh restore go through the challenge', async () => {
    sandbox = new Sandbox();
    const first = await loggedInClient(sandbox);
    const credentials = first.credentials();
    first.close();
    await first.waitForClose();
    sandbox.faults.forceChallenge();
    const result = await memoryClient(sandbox).restore(credentials);
    expect(result).toMatchObject({ status: 200, challenged: true });
  });

  it('refuses bad switch values', () => {
    sandbox = new Sandbox();
    expect(() => sandbox.faults.delayFrames(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sandbox.faults.corruptHmac(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sandbox.faults.forceLoginStatus(500 as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
