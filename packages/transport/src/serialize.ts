/**
 * Writing frames: text `tag,json`, binary `tag,` [+ metric, flag] + payload, and the two
 * keep-alive frames.
 * @module
 */
import { FrameError } from './errors.js';

/** The two header bytes a client puts between the comma and the sealed payload of a binary frame. */
export interface BinaryHeader {
  /** A {@link Metric} value, 0..255. */
  metric: number;
  /** {@link Flag} bits, 0..255. */
  flag: number;
}

const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * Write a text frame: the tag, a comma, then `value` as JSON. `undefined` writes an empty
 * payload (`tag,`), which is how some acknowledgements look.
 * @throws FrameError `EMPTY_TAG`, `TAG_HAS_COMMA`, `BAD_TAG` for a bad tag; `BAD_JSON` when
 * `value` cannot be written as JSON (a BigInt, a cycle, a function).
 * @example
 * ```ts
 * serializeJson('1600000000.--0', ['admin', 'test']); // '1600000000.--0,["admin","test"]'
 * serializeJson('s1', undefined); // 's1,'
 * ```
 */
export function serializeJson(tag: string, value: unknown): string {
  checkTag(tag);
  if (value === undefined) return `${tag},`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new FrameError('BAD_JSON', `payload of frame ${JSON.stringify(tag)} cannot be written as JSON`, { tag, cause });
  }
  // JSON.stringify returns undefined, not a string, for functions and symbols.
  if (text === undefined) {
    throw new FrameError('BAD_JSON', `payload of frame ${JSON.stringify(tag)} has no JSON form (${typeof value})`, { tag });
  }
  return `${tag},${text}`;
}

/**
 * Write a binary frame: the tag in UTF-8, a comma, the metric and flag bytes when `header` is
 * given (client frames), then `payload` (for sealed frames: HMAC ‖ IV ‖ ciphertext).
 * @throws FrameError `EMPTY_TAG`, `TAG_HAS_COMMA`, `BAD_TAG`; `BAD_HEADER` for a metric or flag
 * outside 0..255; `BAD_DATA` when `payload` is not a Uint8Array.
 * @example
 * ```ts
 * serializeBinary('3EB0C431C26A1916E07E', sealed, { metric: Metric.message, flag: Flag.ignore });
 * serializeBinary('s3', sealed); // what a server sends: no header bytes
 * ```
 */
export function serializeBinary(tag: string, payload: Uint8Array, header?: BinaryHeader): Uint8Array {
  checkTag(tag);
  if (!(payload instanceof Uint8Array)) {
    throw new FrameError('BAD_DATA', 'binary frame payload must be a Uint8Array', { tag });
  }
  if (header !== undefined) {
    checkHeaderByte(tag, 'metric', header.metric);
    checkHeaderByte(tag, 'flag', header.flag);
  }
  const headerLength = header === undefined ? 0 : 2;
  let out: Uint8Array;
  let offset: number;
  if (isAscii(tag)) {
    // Tags are short and almost always ASCII: written char by char, no TextEncoder call per frame.
    out = new Uint8Array(tag.length + 1 + headerLength + payload.length);
    for (let i = 0; i < tag.length; i++) out[i] = tag.charCodeAt(i);
    offset = tag.length;
  } else {
    const tagBytes = utf8.encode(tag);
    out = new Uint8Array(tagBytes.length + 1 + headerLength + payload.length);
    out.set(tagBytes, 0);
    offset = tagBytes.length;
  }
  out[offset++] = 0x2c;
  if (header !== undefined) {
    out[offset++] = header.metric;
    out[offset++] = header.flag;
  }
  out.set(payload, offset);
  return out;
}

/**
 * The client keep-alive frame, the literal `?,,`.
 * @example
 * ```ts
 * socket.send(serializePing()); // '?,,'
 * ```
 */
export function serializePing(): string {
  return '?,,';
}

/**
 * The server's keep-alive answer, `!` followed by its time in milliseconds (no comma).
 * @throws FrameError `BAD_PONG` unless `timeMs` is a non-negative integer of at most 15 digits.
 * @example
 * ```ts
 * serializePong(1600000000123); // '!1600000000123'
 * ```
 */
export function serializePong(timeMs: number): string {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0 || timeMs >= 1e15) {
    throw new FrameError('BAD_PONG', `pong time must be a non-negative integer of milliseconds, got ${String(timeMs)}`);
  }
  return `!${timeMs}`;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function checkTag(tag: unknown): asserts tag is string {
  if (typeof tag !== 'string') throw new FrameError('BAD_TAG', `a tag must be a string, got ${typeof tag}`);
  if (tag.length === 0) throw new FrameError('EMPTY_TAG', 'a tag must not be empty');
  if (tag.includes(',')) {
    throw new FrameError('TAG_HAS_COMMA', `tag ${JSON.stringify(tag)} contains a comma: the tag ends at the first comma`);
  }
}

function checkHeaderByte(tag: string, name: 'metric' | 'flag', value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new FrameError('BAD_HEADER', `${name} of frame ${JSON.stringify(tag)} must be an integer 0..255, got ${String(value)}`, { tag });
  }
}
