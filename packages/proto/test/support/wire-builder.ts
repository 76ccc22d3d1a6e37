/**
 * An independent, deliberately naive protobuf writer for expected bytes: tests spell out field
 * numbers and wire types from protocol/FACTS.md with it, so they check the .proto and the
 * generated code instead of trusting them.
 */

export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || /[^0-9a-f]/i.test(text)) throw new Error(`not hex: ${text.slice(0, 20)}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** Base-128 varint of a non-negative value below 2^64 (negatives: pass their two's complement). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Uint8Array.from(out);
}

export function tag(field: number, wireType: number): Uint8Array {
  return varint(field * 8 + wireType);
}

/** A varint field (bool, enum, uint32, uint64, int64). */
export function vint(field: number, value: number | bigint | boolean): Uint8Array {
  return concat(tag(field, 0), varint(typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/** A length-delimited field from raw bytes. */
export function len(field: number, payload: Uint8Array): Uint8Array {
  return concat(tag(field, 2), varint(payload.length), payload);
}

export function str(field: number, text: string): Uint8Array {
  return len(field, new TextEncoder().encode(text));
}

/** A nested message field from its already-encoded fields. */
export function msg(field: number, ...fields: Uint8Array[]): Uint8Array {
  return len(field, concat(...fields));
}

export function fixed32(field: number, value: number): Uint8Array {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setUint32(0, value, true);
  return concat(tag(field, 5), body);
}

export function double(field: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value, true);
  return concat(tag(field, 1), body);
}

/** Seeded PRNG (mulberry32) so fuzz failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
