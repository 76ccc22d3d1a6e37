import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { loggedInClient } from './support/memory.ts';

/** A real state: the default world after a QR login and a message, so every part is filled in. */
async function validState(): Promise<SandboxState> {
  const sandbox = new Sandbox({ seed: 'state', latency: 0 });
  const client = await loggedInClient(sandbox);
  await client.sendText('15550100002@c.us', 'persist me');
  const state = sandbox.exportState();
  sandbox.close();
  return JSON.parse(JSON.stringify(state)) as SandboxState;
}

/** Sets `value` at a dotted path with [index] parts inside a copy of `state`. */
function withField(state: SandboxState, path: string, value: unknown): unknown {
  const copy = structuredClone(state) as unknown as Record<string, unknown>;
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  const last = parts.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe('state validation, field by field', () => {
  it('loads a state it wrote', async () => {
    const state = await validState();
    const sandbox = new Sandbox({ state });
    expect(sandbox.sessions()).toHaveLength(1);
    sandbox.close();
  });

  const cases: Array<[string, unknown]> = [
    ['world.users[0].jid', 'not-a-jid'],
    ['world.users[1].name', 42],
    ['world.users[2].presence', 'sleeping'],
    ['world.users[0].behaviour.deliverAfterMs', -5],
    ['world.users[3].behaviour', undefined],
    ['world.accounts[0].wid', '15559999999@c.us'],
    ['world.accounts[0].phone.device_model', null],
    ['world.accounts[0].battery', 140],
    ['world.accounts[0].reachable', 'yes'],
    ['world.accounts[0].contacts[0].short', undefined],
    ['world.accounts[0].chats[0].jid', 'somebody'],
    ['world.accounts[0].chats[0].unread', 1.5],
    ['world.accounts[0].chats[1].messages[0].status', 'SEEN'],
    ['world.accounts[0].chats[1].messages[0].t', '1600000000'],
    ['world.accounts[0].chats[1].messages[0].id', ''],
    ['world.accounts[0].chats[0].messages', {}],
    ['world.groups[0].id', '123@g.us'],
    ['world.groups[0].participants[1].jid', '15559999999@c.us'],
    ['world.groups[0].participants[0].isAdmin', 'true'],
    ['sessions[0].macKey', 'AAAA'],
    ['sessions[0].encKey', '***'],
    ['sessions[0].clientToken', 7],
    ['sessions[0].wid', '15550100002@c.us'],
    ['sessions[0].retiredTokens', 'x'],
    ['sessions[0].tokensIssuedAt', -1],
  ];
  for (const [path, value] of cases) {
    it(`refuses ${path} = ${JSON.stringify(value) ?? 'missing'} with STATE_INVALID naming it`, async () => {
      const state = withField(await validState(), path, value) as SandboxState;
      let error: unknown;
      try {
        new Sandbox({ state }).close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'SandboxError', code: 'STATE_INVALID' });
      expect((error as Error).message).toContain(path);
    });
  }
});
