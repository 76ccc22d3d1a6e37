import { utf8Encode } from '@wa/crypto';
import { serializeJson } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import { createMemoryLink } from '../src/memory-link.ts';
import { Sandbox } from '../src/sandbox.ts';
import { eventually } from './support/memory.ts';
import { messageSize } from '../src/stats.ts';

describe('messageSize', () => {
  it('counts UTF-8 bytes of text and the bytes of binary messages', () => {
    expect(messageSize('')).toBe(0);
    expect(messageSize('abc')).toBe(3);
    expect(messageSize('é')).toBe(2); // U+00E9
    expect(messageSize('߿')).toBe(2); // U+07FF, the last 2-byte code point
    expect(messageSize('ࠀ')).toBe(3); // U+0800
    expect(messageSize('⛰')).toBe(3); // U+26F0
    expect(messageSize('👋')).toBe(4); // a surrogate pair
    expect(messageSize('\uffff')).toBe(3);
    const mixed = 'Great, see you there 👋 ⛰ é';
    expect(messageSize(mixed)).toBe(utf8Encode(mixed).length);
    expect(messageSize(new Uint8Array(7))).toBe(7);
  });
});

describe('sandbox byte counters', () => {
  it('count text frames in UTF-8 bytes, both ways', async () => {
    const sandbox = new Sandbox({ now: 1_700_000_000_000 });
    const { client } = createMemoryLink(sandbox);
    const received: string[] = [];
    client.onmessage = (data) => received.push(data as string);
    const sent = serializeJson('1.--0', ['admin', 'init', [2, 2142, 12], ['Tëst 👋', 'Chrome'], 'Y2xpZW50LWlkLTE2Ynl0ZQ==', true]);
    client.send(sent);
    await eventually(() => received.length === 1);
    expect(sandbox.stats.bytesIn).toBe(utf8Encode(sent).length);
    expect(sandbox.stats.bytesOut).toBe(utf8Encode(received[0]!).length);
    sandbox.close();
  });
});
