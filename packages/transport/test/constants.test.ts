import { describe, expect, it } from 'vitest';
import { CloseCode, Flag, Metric } from '../src/index.ts';

describe('Metric', () => {
  it('has the values both public clients agree on (protocol/FACTS.md)', () => {
    expect(Metric).toEqual({
      debugLog: 1,
      queryResume: 2,
      queryMedia: 4,
      queryChat: 5,
      queryContacts: 6,
      queryMessages: 7,
      presence: 8,
      presenceSubscribe: 9,
      group: 10,
      read: 11,
      chat: 12,
      received: 13,
      picture: 14,
      status: 15,
      message: 16,
      queryActions: 17,
      block: 18,
      queryGroup: 19,
      queryPreview: 20,
      queryEmoji: 21,
    });
    expect(Object.isFrozen(Metric)).toBe(true);
  });
});

describe('Flag', () => {
  it('has the flag bits from protocol/FACTS.md', () => {
    expect(Flag).toEqual({
      ignore: 0x80,
      ackRequest: 0x40,
      available: 0x20,
      unavailable: 0x10,
      expires: 0x08,
      composing: 0x04,
      skipOffline: 0x04,
    });
    expect(Object.isFrozen(Flag)).toBe(true);
  });
});

describe('CloseCode', () => {
  it('puts the keep-alive timeout in the private range browsers may send', () => {
    expect(CloseCode.normal).toBe(1000);
    expect(CloseCode.keepAliveTimeout).toBeGreaterThanOrEqual(3000);
    expect(CloseCode.keepAliveTimeout).toBeLessThanOrEqual(4999);
  });
});
