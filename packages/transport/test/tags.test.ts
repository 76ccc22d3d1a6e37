import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, TagGenerator } from '../src/index.ts';

describe('TagGenerator', () => {
  it('writes <unix seconds>.--<n> from the injected clock, counting up from 0', () => {
    let now = 1_600_000_000_999;
    const tags = new TagGenerator({ now: () => now });
    expect(tags.next()).toBe('1600000000.--0');
    expect(tags.next()).toBe('1600000000.--1');
    now = 1_600_000_001_000;
    expect(tags.next()).toBe('1600000001.--2');
  });

  it('starts the counter where asked', () => {
    const tags = new TagGenerator({ now: () => 0, start: 41 });
    expect(tags.next()).toBe('0.--41');
    expect(tags.next()).toBe('0.--42');
  });

  it('uses the real clock by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const tag = new TagGenerator().next();
    const after = Math.floor(Date.now() / 1000);
    const match = /^(\d+)\.--0$/.exec(tag);
    expect(match).not.toBeNull();
    const seconds = Number(match?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
  });

  it('never repeats a tag within a second', () => {
    const tags = new TagGenerator({ now: () => 1_000 });
    const seen = new Set(Array.from({ length: 1000 }, () => tags.next()));
    expect(seen.size).toBe(1000);
  });

  it('writes server-style short tags s1, s2, … with their own counter', () => {
    const tags = new TagGenerator({ now: () => 0 });
    expect(tags.short()).toBe('s1');
    expect(tags.next()).toBe('0.--0');
    expect(tags.short()).toBe('s2');
    expect(tags.short()).toBe('s3');
  });

  it('rejects a bad start value', () => {
    expect(() => new TagGenerator({ start: -1 })).toThrow(InvalidArgumentError);
    expect(() => new TagGenerator({ start: 1.5 })).toThrow(InvalidArgumentError);
  });
});
