import { describe, expect, it } from 'vitest';
import { DecodeError, bytesToHex, decode, encode, nodeToString, type Node } from '../src/index.ts';
import { Random, randomNode } from './support/random.ts';
import { firstDifference } from './support/equal.ts';
import { capturedFrames, referenceFrames } from './support/vectors.ts';

/** Decodes `bytes`; anything thrown other than a DecodeError fails the test with the input. */
function decodeOrReject(bytes: Uint8Array, label: string): Node | undefined {
  try {
    return decode(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) {
      expect.fail(`${label}: ${String(error)} for ${bytesToHex(bytes.subarray(0, 64))}…`);
    }
    expect(error.offset, label).toBeGreaterThanOrEqual(0);
    expect(error.offset, label).toBeLessThanOrEqual(bytes.length);
    return undefined;
  }
}

/** A decoded node must encode, and encoding must then be stable: decode∘encode is the identity on its output. */
function expectStable(node: Node, label: string): void {
  const once = encode(node);
  const twice = encode(decode(once));
  if (bytesToHex(once) !== bytesToHex(twice)) expect.fail(`${label}: re-encoding is not stable for\n${nodeToString(node)}`);
}

describe('random nodes round trip', () => {
  it('decode(encode(node)) equals node for 3000 seeded random nodes', () => {
    const random = new Random(0x5eed);
    let nodes = 0;
    for (let i = 0; i < 3000; i++) {
      const node = randomNode(random);
      const back = decode(encode(node));
      const difference = firstDifference(node, back);
      if (difference !== undefined) {
        expect.fail(`seed 0x5eed, node ${i} differs at ${difference}:\n${nodeToString(node)}\ncame back as\n${nodeToString(back)}`);
      }
      nodes += 1;
    }
    expect(nodes).toBe(3000);
  });
});

describe('random and mutated bytes only ever give a DecodeError', () => {
  it('5000 random byte strings', () => {
    const random = new Random(0xbad);
    let decoded = 0;
    for (let i = 0; i < 5000; i++) {
      const bytes = random.bytes(random.int(0, 48));
      // Start most of them like a node so the decoder gets past the first byte.
      if (bytes.length > 1 && random.chance(0.8)) {
        bytes[0] = random.pick([0xf8, 0xf9]);
        bytes[1] = random.int(1, 7);
      }
      const node = decodeOrReject(bytes, `random #${i}`);
      if (node) {
        decoded += 1;
        expectStable(node, `random #${i}`);
      }
    }
    // Not a vacuous run: some random strings are valid nodes.
    expect(decoded).toBeGreaterThan(0);
  });

  it('5000 mutations (bit flips, overwrites, truncations, insertions, deletions) of valid frames', () => {
    const random = new Random(0xf1ee);
    const small = referenceFrames().filter((frame) => frame.bytes.length <= 4096);
    const seeds: Uint8Array[] = [
      ...capturedFrames().map((frame) => frame.bytes),
      ...small.map((frame) => frame.bytes),
      ...Array.from({ length: 40 }, () => encode(randomNode(new Random(random.int(0, 2 ** 31))))).filter((b) => b.length <= 4096),
    ];
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 5000; i++) {
      let bytes: Uint8Array = random.pick(seeds).slice();
      const mutations = random.int(1, 4);
      for (let m = 0; m < mutations; m++) bytes = mutate(random, bytes);
      const node = decodeOrReject(bytes, `mutation #${i}`);
      if (node) {
        outcomes.decoded += 1;
        expectStable(node, `mutation #${i}`);
      } else outcomes.rejected += 1;
    }
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});

function mutate(random: Random, bytes: Uint8Array): Uint8Array {
  const at = random.int(0, Math.max(0, bytes.length - 1));
  switch (random.int(0, 5)) {
    case 0: {
      const out = bytes.slice();
      if (out.length > 0) out[at] = (out[at] as number) ^ (1 << random.int(0, 7));
      return out;
    }
    case 1: {
      const out = bytes.slice();
      if (out.length > 0) out[at] = random.pick([0, 1, 2, 0xec, 0xf0, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, random.int(0, 255)]);
      return out;
    }
    case 2:
      return bytes.slice(0, at);
    case 3: {
      const insert = random.bytes(random.int(1, 6));
      const out = new Uint8Array(bytes.length + insert.length);
      out.set(bytes.subarray(0, at));
      out.set(insert, at);
      out.set(bytes.subarray(at), at + insert.length);
      return out;
    }
    case 4: {
      const end = Math.min(bytes.length, at + random.int(1, 6));
      const out = new Uint8Array(bytes.length - (end - at));
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(end), at);
      return out;
    }
    default: {
      // A length field claiming far more than remains.
      const out = bytes.slice();
      out.set([0xfe, 0xff, 0xff, 0xff].slice(0, Math.max(0, out.length - at)), at);
      return out;
    }
  }
}
