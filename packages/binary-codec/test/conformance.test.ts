import { describe, expect, it } from 'vitest';
import { attributeNames, bytesToHex, decode, encode, type Node } from '../src/index.ts';
import { capturedFrames, orderedJSON, referenceFrames } from './support/vectors.ts';

const reference = referenceFrames();
const captured = capturedFrames();

/**
 * Captured frames whose bytes the encoding rules do not reproduce, with the reason. Decoding
 * them must still give exactly the expected node.
 */
const ENCODE_EXCEPTIONS: Record<string, string> = {
  'picture-with-image-child':
    'hand-made frame that writes the digit strings "12345678" and "1234" as BINARY_8; the rules pack them as NIBBLE_8',
};

describe('codec-reference.json', () => {
  it('holds 150 frames, some with index-like attribute names after others', () => {
    expect(reference).toHaveLength(150);
    // Those frames are why attribute order is tracked: a plain object would list "404" first.
    const reordered = reference.filter((frame) => hasReorderedAttributes(frame.node));
    expect(reordered.length).toBeGreaterThan(0);
  });

  it('decodes every frame to exactly its node', () => {
    for (const frame of reference) {
      // Compared as JSON text in written attribute order: toEqual would ignore that order.
      expect(orderedJSON(decode(frame.bytes)), frame.name).toBe(orderedJSON(frame.node));
    }
  });

  it('encodes every node to exactly its bytes', () => {
    for (const frame of reference) {
      expect(bytesToHex(encode(frame.node)), frame.name).toBe(bytesToHex(frame.bytes));
    }
  });

  it('re-encodes every decoded frame to the same bytes', () => {
    for (const frame of reference) {
      expect(bytesToHex(encode(decode(frame.bytes))), frame.name).toBe(bytesToHex(frame.bytes));
    }
  });
});

describe('captured-frames.json', () => {
  it('decodes every frame to exactly its node', () => {
    expect(captured.length).toBeGreaterThanOrEqual(2);
    for (const frame of captured) {
      expect(decode(frame.bytes), frame.name).toEqual(frame.node);
      expect(orderedJSON(decode(frame.bytes)), frame.name).toBe(orderedJSON(frame.node));
    }
  });

  it('re-encodes every frame to the captured bytes, except the listed ones', () => {
    for (const frame of captured) {
      const reencoded = bytesToHex(encode(decode(frame.bytes)));
      if (frame.name in ENCODE_EXCEPTIONS) expect(reencoded, frame.name).not.toBe(bytesToHex(frame.bytes));
      else expect(reencoded, frame.name).toBe(bytesToHex(frame.bytes));
    }
  });

  it('packs the digit strings of the exception frame, and the result decodes to the same node', () => {
    const frame = captured.find((f) => f.name === 'picture-with-image-child');
    expect(frame).toBeDefined();
    const reencoded = encode(frame!.node);
    // f8 06 'picture'(3f) 'jid'(2d) JID_PAIR NIBBLE_8 4 bytes 12 34 56 78 'c.us'(50) 'id'(27) NIBBLE_8 2 bytes 12 34 ...
    expect(bytesToHex(reencoded)).toBe('f8063f2dfaff04123456785027ff021234f801f80228fc0701020304050607');
    expect(decode(reencoded)).toEqual(frame!.node);
  });

  it('finds the four protobuf messages of the live history batch', () => {
    const [description, attributes, content] = decode(captured[0]!.bytes);
    expect(description).toBe('action');
    expect(attributes).toEqual({ last: 'true', add: 'before' });
    expect(Array.isArray(content) && content.map((child) => child[0])).toEqual(['message', 'message', 'message', 'message']);
  });
});

function hasReorderedAttributes(node: Node): boolean {
  const [, attributes, content] = node;
  if (attributes !== null && attributeNames(attributes).join() !== Object.keys(attributes).join()) return true;
  return Array.isArray(content) && content.some(hasReorderedAttributes);
}
