import * as crypto from '@wa/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';

// The comparison is observed through the one constant-time primitive: a token compared with `===`
// would take the early exit at the first differing character, and the time an answer takes would
// tell an attacker how much of a guessed token was right.
vi.mock('@wa/crypto', async (original) => {
  const actual = await original<typeof crypto>();
  return { ...actual, constantTimeEqual: vi.fn(actual.constantTimeEqual) };
});

afterEach(() => vi.mocked(crypto.constantTimeEqual).mockClear());

describe('tokens are compared in constant time', () => {
  it('a restore compares the client and server tokens with constantTimeEqual', async () => {
    const sandbox = new Sandbox({ latency: 0 });
    const first = await loggedInClient(sandbox);
    const credentials = first.credentials();
    const compare = vi.mocked(crypto.constantTimeEqual);
    compare.mockClear();
    const restored = await memoryClient(sandbox, credentials.clientId).restore(credentials);
    expect(restored.status).toBe(200);
    const compared = compare.mock.calls.map(([a, b]) => [crypto.utf8Decode(a), crypto.utf8Decode(b)].sort().join(' | '));
    expect(compared).toContain([credentials.clientToken, credentials.clientToken].join(' | '));
    expect(compared).toContain([credentials.serverToken, credentials.serverToken].join(' | '));
    // A wrong token is refused after the same kind of comparison.
    compare.mockClear();
    const wrong = await memoryClient(sandbox, credentials.clientId).restore({ ...credentials, serverToken: `${credentials.serverToken.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(compare).toHaveBeenCalled();
    sandbox.close();
  });
});
