/**
 * PKCS#7 padding for a 16-byte block cipher. Internal; free of other imports so both backends
 * and the shared code can use it.
 * @module
 */

/** Cipher block size in bytes. */
export const BLOCK = 16;

/**
 * Length of the data in `padded` once its PKCS#7 padding is removed, or -1 when the padding is
 * malformed. Inspects all 16 candidate bytes whatever the pad length, so the time taken does not
 * say how many were right. (Callers verify a MAC first; this is a second line, not the defence.)
 */
export function unpaddedLength(padded: Uint8Array): number {
  const length = padded.length;
  if (length === 0 || length % BLOCK !== 0) return -1;
  const padLength = padded[length - 1] as number;
  let bad = padLength === 0 || padLength > BLOCK ? 1 : 0;
  for (let i = 1; i <= BLOCK; i++) {
    const inPad = i <= padLength ? 1 : 0;
    bad |= inPad & ((padded[length - i] as number) !== padLength ? 1 : 0);
  }
  return bad ? -1 : length - padLength;
}

/** Length of the PKCS#7-padded form of `length` bytes: always 1–16 padding bytes. */
export function paddedLength(length: number): number {
  return length - (length % BLOCK) + BLOCK;
}
