/**
 * Lower-case hex for the vectors' JSON form (`{"bytes": "<hex>"}`) and for readable output.
 * @module
 */

const HEX_DIGITS = '0123456789abcdef';

/**
 * Hex-encodes bytes (lower case).
 * @example
 * ```ts
 * bytesToHex(new Uint8Array([0xf8, 0x01, 0x09])); // 'f80109'
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    hex += (HEX_DIGITS[byte >> 4] as string) + (HEX_DIGITS[byte & 0x0f] as string);
  }
  return hex;
}

/** Value of one hex digit (either case), or -1. */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * Parses hex (either case, even length) into bytes, or returns `undefined` when `hex` is not hex.
 * @example
 * ```ts
 * hexToBytes('f80109'); // Uint8Array [0xf8, 0x01, 0x09]
 * hexToBytes('f8x'); // undefined
 * ```
 */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = digitValue(hex.charCodeAt(2 * i));
    const low = digitValue(hex.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}
