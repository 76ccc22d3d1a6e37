import frames from '@vectors/captured-frames.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { decodeWebMessageInfo, encodeWebMessageInfo, UNKNOWN_FIELDS } from '../src/index.ts';
import { fromHex, hex } from './support/wire-builder.ts';

interface VectorNode {
  0: string;
  1: unknown;
  2: { bytes: string } | VectorNode[] | string | null;
}

const history = frames[0]!;
const messageNodes = (history.node[2] as unknown as VectorNode[]).filter((node) => node[0] === 'message');
const payloads = messageNodes.map((node) => (node[2] as { bytes: string }).bytes);

describe('captured-frames.json: the history batch of four messages', () => {
  it('has four message payloads and four expected objects', () => {
    expect(payloads).toHaveLength(4);
    expect(history.webMessageInfo).toHaveLength(4);
  });

  it('decodes every payload to exactly its webMessageInfo', () => {
    payloads.forEach((payload, i) => {
      const decoded = decodeWebMessageInfo(fromHex(payload));
      expect(decoded, `message ${i}`).toStrictEqual(history.webMessageInfo[i]);
      // Same keys in the same order, and nothing hidden: no defaults filled in, no unknown fields.
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(history.webMessageInfo[i]));
      expect(decoded[UNKNOWN_FIELDS]).toBeUndefined();
    });
  });

  it('re-encodes every decoded payload to identical bytes', () => {
    for (const payload of payloads) {
      expect(hex(encodeWebMessageInfo(decodeWebMessageInfo(fromHex(payload))))).toBe(payload);
    }
  });

  it('encodes every expected object (the proto3-JSON form) to its payload', () => {
    history.webMessageInfo.forEach((expected, i) => {
      expect(hex(encodeWebMessageInfo(expected as Parameters<typeof encodeWebMessageInfo>[0]))).toBe(payloads[i]);
    });
  });

  it('finds the payloads inside the frame bytes', () => {
    // The node's `bytes` are the frame's own bytes, not a re-rendering of them.
    for (const payload of payloads) expect(history.hex).toContain(payload);
  });

  it('reads a revoked message as a stub without content', () => {
    const stub = decodeWebMessageInfo(fromHex(payloads[1]!));
    expect(stub.message).toBeUndefined();
    expect(stub.status).toBeUndefined();
    expect(stub.messageStubType).toBe('REVOKE');
  });
});
