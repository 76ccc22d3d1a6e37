/**
 * 64-bit integers from the plain-object form (decimal strings, safe numbers, bigints) to what
 * protobufjs writes (anything shaped `{ low, high }`). BigInt does the arithmetic, so values above
 * 2^53 stay exact. (Decoding reads them straight into decimal strings: plain-decoder.ts.)
 * @module
 */

/** The two 32-bit halves protobufjs reads and writes 64-bit values as. */
export interface LongBitsLike {
  readonly low: number;
  readonly high: number;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
// 20 digits hold 2^64 - 1; longer strings are refused before BigInt parses them.
const DECIMAL = /^-?\d{1,20}$/;

/**
 * Parses an {@link Int64Input} and checks its range; returns undefined when it is not one.
 * Numbers must be safe integers: a larger number has already lost precision.
 * @example
 * ```ts
 * parseInt64('18446744073709551615', false); // 18446744073709551615n
 * parseInt64(-1, false);                      // undefined (uint64)
 * parseInt64(2 ** 60, true);                  // undefined (not a safe integer)
 * ```
 */
export function parseInt64(value: unknown, signed: boolean): bigint | undefined {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && DECIMAL.test(value)) big = BigInt(value);
  else return undefined;
  const inRange = signed ? big >= I64_MIN && big <= I64_MAX : big >= 0n && big <= U64_MAX;
  return inRange ? big : undefined;
}

/**
 * The halves protobufjs's writer takes for a 64-bit value (two's complement for negatives).
 * @example
 * ```ts
 * toLongBits(-1n); // { low: -1, high: -1 }
 * ```
 */
export function toLongBits(value: bigint): LongBitsLike {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0 };
}

