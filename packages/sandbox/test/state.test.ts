import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import { restoreSessions, type SandboxState } from '../src/state.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { messagesOf } from './support/mini-client.ts';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) sandbox.close();
});

function make(options: ConstructorParameters<typeof Sandbox>[0]): Sandbox {
  const sandbox = new Sandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}

describe('persisted state', () => {
  it('a session restores against a new sandbox built from the exported state', async () => {
    const first = make({});
    const client = await loggedInClient(first);
    await client.sendText('15550100003@c.us', 'kept across restarts');
    const credentials = client.credentials();
    const state = JSON.parse(JSON.stringify(first.exportState())) as SandboxState;
    first.close();

    const second = make({ state });
    const restored = memoryClient(second);
    const result = await restored.restore(credentials);
    expect(result.status).toBe(200);
    const recent = await restored.waitForNode((node) => node[1]?.add === 'last');
    expect(messagesOf(recent.node).map((info) => info.message?.conversation)).toContain('kept across restarts');
  });

  it('refuses a broken state with STATE_INVALID', () => {
    expect(() => make({ state: { version: 2 } as unknown as SandboxState })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    const state = make({}).exportState();
    state.sessions.push({ clientId: 'x', wid: 'y', browser: [], clientToken: 'a', serverToken: 'b', browserToken: 'c', tokensIssuedAt: 0, retiredTokens: [], encKey: 'AAAA', macKey: 'AAAA' });
    expect(() => restoreSessions(state)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});

describe('deterministic mode', () => {
  async function run(seed: string): Promise<{ ref: unknown; clientToken: unknown; ids: string[] }> {
    const sandbox = make({ seed, clock: new ManualClock(1_650_000_000_000) });
    const client = memoryClient(sandbox);
    const reply = await client.init();
    sandbox.phone.scan(client.qr());
    const conn = await client.completeQrLogin();
    const ids = sandbox.world.accounts[0]!.chats.flatMap((chat) => chat.messages.map((message) => message.id));
    return { ref: reply.ref, clientToken: conn.clientToken, ids };
  }

  it('the same seed and clock give the same refs, tokens and ids; another seed does not', async () => {
    const a = await run('seed-1');
    const b = await run('seed-1');
    const c = await run('seed-2');
    expect(b).toEqual(a);
    expect(c.ref).not.toEqual(a.ref);
    expect(c.clientToken).not.toEqual(a.clientToken);
  });
});
