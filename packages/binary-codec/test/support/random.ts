/**
 * A tiny seeded PRNG (mulberry32) and generators of random nodes, so property tests are
 * reproducible: a failure names its seed and iteration.
 */
import { TOKENS, createAttributes, type Attributes, type Node, type NodeContent } from '../../src/index.ts';

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/** Tokens that read back as themselves (`s.whatsapp.net` reads back as `c.us`). */
const TOKEN_STRINGS = TOKENS.filter((t): t is string => t !== null && t !== 's.whatsapp.net');
const NIBBLE = '0123456789-.';
const HEX = '0123456789ABCDEF';
/** Code points from every UTF-8 length class, including astral ones (surrogate pairs). */
const CODE_POINTS = [0x61, 0x7a, 0x20, 0x40, 0x30, 0x00, 0x7f, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfeff, 0xfffd, 0x4e2d, 0x1f600, 0x10ffff, 0x10000];

function fromAlphabet(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

function text(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += random.chance(0.7) ? String.fromCharCode(random.int(0x20, 0x7e)) : String.fromCodePoint(random.pick(CODE_POINTS));
  }
  return out;
}

/** A string without `@` in one of the forms the encoder distinguishes. */
function plainString(random: Random): string {
  switch (random.int(0, 6)) {
    case 0:
      return random.pick(TOKEN_STRINGS);
    case 1:
      return fromAlphabet(random, NIBBLE, random.chance(0.9) ? random.int(1, 20) : random.int(250, 260));
    case 2:
      return fromAlphabet(random, HEX, random.chance(0.9) ? random.int(1, 40) : random.int(250, 260));
    case 3:
      return text(random, random.int(0, 12)).replace(/@/g, '');
    case 4:
      return text(random, random.chance(0.97) ? random.int(13, 120) : random.int(200, 2000)).replace(/@/g, '');
    case 5:
      return random.chance(0.5) ? '' : 'c.us';
    default:
      return String(random.int(0, 999));
  }
}

/** A JID-like string: one or more `@`, any part possibly empty. */
function jidString(random: Random): string {
  let out = random.chance(0.15) ? '' : plainString(random);
  const parts = random.chance(0.9) ? 1 : random.int(2, 4);
  for (let i = 0; i < parts; i++) out += '@' + (random.chance(0.1) ? '' : random.pick(['c.us', 'g.us', 'broadcast', plainString(random)]));
  return out;
}

/** Any string the encoder accepts and the decoder returns unchanged. */
export function randomString(random: Random): string {
  return random.chance(0.25) ? jidString(random) : plainString(random);
}

/** A string content that round trips as a string: a token, a JID, or packed digits/hex. */
function compactString(random: Random): string {
  switch (random.int(0, 3)) {
    case 0:
      return random.pick(TOKEN_STRINGS);
    case 1:
      return jidString(random);
    case 2:
      return fromAlphabet(random, NIBBLE, random.int(1, 254));
    default:
      return fromAlphabet(random, HEX, random.int(1, 254));
  }
}

function attributes(random: Random): Attributes | null {
  if (random.chance(0.3)) return null;
  const entries: [string, string][] = [];
  const count = random.chance(0.99) ? random.int(1, 6) : random.int(100, 140);
  for (let i = 0; i < count; i++) {
    const key = random.chance(0.1) ? random.pick(['200', '404', '409', '5', '0']) : randomString(random);
    entries.push([key, randomString(random)]);
  }
  return random.chance(0.5) ? createAttributes(entries) : Object.fromEntries(entries);
}

function content(random: Random, depth: number): NodeContent | null {
  const kind = random.int(0, depth >= 4 ? 2 : 3);
  if (kind === 0) return null;
  if (kind === 1) return random.bytes(random.chance(0.99) ? random.int(0, 300) : random.int(0xfff0, 0x10100));
  if (kind === 2) return compactString(random);
  const children: Node[] = [];
  // Long lists (LIST_16) only near the root, so a tree stays small enough for thousands of runs.
  const count = depth === 1 && random.chance(0.05) ? random.int(250, 300) : random.int(0, 4);
  for (let i = 0; i < count; i++) children.push(randomNode(random, depth + 1));
  return children;
}

/** A random node that `decode(encode(node))` must reproduce exactly. */
export function randomNode(random: Random, depth = 1): Node {
  return [randomString(random), attributes(random), content(random, depth)];
}
