import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, WAClient } from '../src/index.ts';

describe('WAClient options', () => {
  it('rejects timings that are not positive', () => {
    for (const name of ['requestTimeoutMs', 'keepAliveIntervalMs', 'initialSyncTimeoutMs'] as const) {
      for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => new WAClient({ [name]: value }), `${name}: ${value}`).toThrow(InvalidArgumentError);
      }
    }
  });

  it('rejects timings a timer cannot hold, which would fire at once (an instant LOGIN_TIMEOUT)', () => {
    const tooLong = 2 ** 31;
    for (const name of ['requestTimeoutMs', 'keepAliveIntervalMs', 'initialSyncTimeoutMs'] as const) {
      expect(() => new WAClient({ [name]: tooLong }), name).toThrow(InvalidArgumentError);
      expect(new WAClient({ [name]: tooLong - 1 }).state, name).toBe('idle');
    }
  });
});

describe('WAClient.waitFor', () => {
  it('waits without a limit for a timeoutMs beyond what a timer holds, instead of timing out at once', async () => {
    const client = new WAClient();
    const outcome: string[] = [];
    const waiting = client.waitFor('phone', { timeoutMs: Number.POSITIVE_INFINITY }).then(
      ({ reachable }) => outcome.push(`event ${reachable}`),
      (error: Error) => outcome.push(`rejected ${error.name}`),
    );
    const waitingLong = client.waitFor('phone', { timeoutMs: 2 ** 31 }).then(
      ({ reachable }) => outcome.push(`event ${reachable}`),
      (error: Error) => outcome.push(`rejected ${error.name}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(outcome).toEqual([]);
    client.emit('phone', { reachable: false });
    await Promise.all([waiting, waitingLong]);
    expect(outcome).toEqual(['event false', 'event false']);
  });

  it('still times out within a finite timeoutMs, and refuses one that is not positive', async () => {
    const client = new WAClient();
    await expect(client.waitFor('phone', { timeoutMs: 10 })).rejects.toMatchObject({ code: 'REQUEST_FAILED' });
    for (const timeoutMs of [0, -5, Number.NaN]) {
      await expect(client.waitFor('phone', { timeoutMs })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
  });
});
