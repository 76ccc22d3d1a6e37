import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffDelays, InvalidArgumentError, ReconnectPolicy } from '../src/index.ts';

describe('backoffDelay', () => {
  it('grows by factor from initialMs and stops at maxMs without jitter', () => {
    const options = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 50, 5000].map((n) => backoffDelay(n, options))).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('uses defaults 1000 ms, ×2, capped at 30000 ms', () => {
    expect(backoffDelay(0, { jitter: 0 })).toBe(1000);
    expect(backoffDelay(4, { jitter: 0 })).toBe(16000);
    expect(backoffDelay(5, { jitter: 0 })).toBe(30000);
  });

  it('takes up to jitter × delay off, scaled by random()', () => {
    const base = { initialMs: 1000, maxMs: 60_000, factor: 3, jitter: 0.5 };
    expect(backoffDelay(2, { ...base, random: () => 0 })).toBe(9000);
    expect(backoffDelay(2, { ...base, random: () => 1 })).toBe(4500);
    expect(backoffDelay(2, { ...base, random: () => 0.25 })).toBe(7875);
    expect(backoffDelay(0, { ...base, jitter: 1, random: () => 1 })).toBe(0);
  });

  it('keeps every jittered delay within [base × (1 − jitter), base]', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(20_000, 250 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, { initialMs: 250, maxMs: 20_000, jitter: 0.3, random });
        expect(delay).toBeGreaterThanOrEqual(Math.round(base * 0.7));
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  it('rejects options out of range', () => {
    const bad = [
      { initialMs: -1 },
      { initialMs: Number.NaN },
      { initialMs: 100, maxMs: 50 },
      { factor: 0.5 },
      { jitter: 1.5 },
      { jitter: -0.1 },
      { maxAttempts: -1 },
      { maxAttempts: 1.5 },
    ];
    for (const options of bad) expect(() => backoffDelay(0, options)).toThrow(InvalidArgumentError);
    expect(() => backoffDelay(-1)).toThrow(InvalidArgumentError);
    expect(() => backoffDelay(0, { random: () => 2 })).toThrow(InvalidArgumentError);
  });
});

describe('backoffDelays', () => {
  it('yields the delays of successive attempts and ends after maxAttempts', () => {
    expect([...backoffDelays({ initialMs: 10, maxMs: 50, jitter: 0, maxAttempts: 5 })]).toEqual([10, 20, 40, 50, 50]);
    expect([...backoffDelays({ maxAttempts: 0 })]).toEqual([]);
  });

  it('is endless without maxAttempts', () => {
    const iterator = backoffDelays({ initialMs: 1, maxMs: 4, jitter: 0 });
    const taken: number[] = [];
    for (const delay of iterator) {
      taken.push(delay);
      if (taken.length === 100) break;
    }
    expect(taken.length).toBe(100);
    expect(taken.at(-1)).toBe(4);
  });

  it('draws one random number per delay from the injected source', () => {
    const draws = [0, 0.5, 1];
    const iterator = backoffDelays({ initialMs: 100, factor: 2, jitter: 0.5, random: () => draws.shift() ?? 0, maxAttempts: 3 });
    expect([...iterator]).toEqual([100, 150, 200]);
    expect(draws).toEqual([]);
  });
});

describe('ReconnectPolicy', () => {
  it('hands out growing delays, counts attempts, and starts over after reset', () => {
    const policy = new ReconnectPolicy({ initialMs: 100, maxMs: 1000, jitter: 0, maxAttempts: 3 });
    expect(policy.attempts).toBe(0);
    expect(policy.next()).toBe(100);
    expect(policy.next()).toBe(200);
    expect(policy.next()).toBe(400);
    expect(policy.attempts).toBe(3);
    expect(policy.next()).toBeUndefined();
    policy.reset();
    expect(policy.attempts).toBe(0);
    expect(policy.next()).toBe(100);
  });

  it('applies jitter from the injected random source', () => {
    const policy = new ReconnectPolicy({ initialMs: 1000, jitter: 0.2, random: () => 0.5 });
    expect(policy.next()).toBe(900);
    expect(policy.next()).toBe(1800);
  });

  it('validates options when constructed', () => {
    expect(() => new ReconnectPolicy({ factor: 0 })).toThrow(InvalidArgumentError);
  });
});
