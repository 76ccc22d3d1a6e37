import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { MAX_BROWSER_STRING_LENGTH, MAX_CLIENT_ID_LENGTH, MAX_MESSAGES_PER_CHAT, MAX_QUEUED_WHILE_UNREACHABLE } from '../src/protocol/constants.ts';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { BROWSER, messagesOf, VERSION } from './support/mini-client.ts';

const alice = '15550100002@c.us';

let sandbox: Sandbox | undefined;
afterEach(() => {
  sandbox?.close();
  sandbox = undefined;
});

describe('input limits of admin init and admin login', () => {
  it('documents 100-character clientIds and 200-character browser strings', () => {
    expect([MAX_CLIENT_ID_LENGTH, MAX_BROWSER_STRING_LENGTH, MAX_QUEUED_WHILE_UNREACHABLE]).toEqual([100, 200, 1000]);
  });

  it('answers 400 to a clientId over 100 characters and takes one of exactly 100', async () => {
    const box = (sandbox = new Sandbox());
    const client = memoryClient(box);
    expect(await client.request(['admin', 'init', VERSION, BROWSER, 'c'.repeat(101), true])).toEqual({ status: 400 });
    expect(box.waitingRefs()).toEqual([]);
    expect(await client.request(['admin', 'init', VERSION, BROWSER, 'c'.repeat(100), true])).toMatchObject({ status: 200, ref: expect.any(String) });
    expect(box.stats.rejectedFrames).toBe(1);
  });

  it('answers 400 to a browser string over 200 characters or too many strings', async () => {
    const box = (sandbox = new Sandbox());
    const client = memoryClient(box);
    const init = (browser: string[]): Promise<unknown> => client.request(['admin', 'init', VERSION, browser, client.clientId, true]);
    expect(await init(['Chrome', 'x'.repeat(201)])).toEqual({ status: 400 });
    expect(await init(Array.from({ length: 9 }, () => 'Chrome'))).toEqual({ status: 400 });
    const accepted = (await init(['Chrome', 'x'.repeat(200)])) as { status: number; ref: string };
    expect(accepted.status).toBe(200);
    client.ref = accepted.ref;
    box.phone.scan(client.qr());
    expect(box.sessions()[0]!.browser).toEqual(['Chrome', 'x'.repeat(200)]);
  });

  it('answers 400 to admin login with an over-long clientId or token', async () => {
    sandbox = new Sandbox();
    const client = memoryClient(sandbox, 'd'.repeat(100));
    await client.init();
    expect(await client.request(['admin', 'login', 'ct', 'st', 'd'.repeat(101), 'takeover'])).toEqual({ status: 400 });
    expect(await client.request(['admin', 'login', 'c'.repeat(201), 'st', client.clientId, 'takeover'])).toEqual({ status: 400 });
    // Within the limits the same shape gets the ordinary answer: unknown tokens.
    expect(await client.request(['admin', 'login', 'ct', 'st', client.clientId, 'takeover'])).toEqual({ status: 401 });
  });
});

describe('the queue held while the phone is unreachable', () => {
  it('keeps the newest maxQueuedWhileUnreachable tasks, drops the oldest and counts them', async () => {
    const box = (sandbox = new Sandbox({ clock: new ManualClock(1_700_000_000_000), maxQueuedWhileUnreachable: 3 }));
    const client = await loggedInClient(box);
    box.phone.setReachable(false);
    await client.waitForJson('Pong');
    for (let i = 1; i <= 5; i++) box.contact(alice).sendText(`offline ${i}`);
    expect(box.stats.droppedWhileUnreachable).toBe(2);
    box.phone.setReachable(true);
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
      texts.push(messagesOf(node)[0]!.message!.conversation!);
    }
    expect(texts).toEqual(['offline 3', 'offline 4', 'offline 5']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.received.filter((f) => f.kind === 'node' && f.node[1]?.add === 'relay')).toHaveLength(3);
    // The messages themselves are kept: history still has all five.
    const chat = box.world.chat(box.world.requireAccount('15550100001@c.us'), alice)!;
    expect(chat.messages.slice(-5).map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((i) => `offline ${i}`));
  });

  it('refuses a negative bound', () => {
    expect(() => new Sandbox({ maxQueuedWhileUnreachable: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    sandbox = new Sandbox();
  });
});

describe('history per chat', () => {
  it('keeps 10,000 messages per chat by default; a smaller maxMessagesPerChat drops the oldest as a contact writes', () => {
    expect(MAX_MESSAGES_PER_CHAT).toBe(10_000);
    expect(() => new Sandbox({ maxMessagesPerChat: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    sandbox = new Sandbox({ maxMessagesPerChat: 4 });
    for (let i = 1; i <= 6; i++) sandbox.contact(alice).sendText(`line ${i}`);
    const chat = sandbox.world.chat(sandbox.world.requireAccount('15550100001@c.us'), alice)!;
    expect(chat.messages.map((m) => m.text)).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
  });
});
