/**
 * Parsing frames as they arrive: text `tag,json`, binary `tag,` + payload, the client keep-alive
 * `?,,` and the server's `!<ms>` answer.
 * @module
 */
import { FrameError } from './errors.js';

/** A text frame: `tag,` followed by JSON (or by nothing). */
export interface JsonFrame {
  tag: string;
  kind: 'json';
  /** The parsed payload; `undefined` when the frame ends right after the comma. */
  json: unknown;
  /** The payload as received, for callers that want to re-read or hash it. */
  text: string;
}

/** A binary frame: `tag,` in bytes, then the payload (for client frames: metric, flag, payload). */
export interface BinaryFrame {
  tag: string;
  kind: 'binary';
  /** The bytes after the comma (and after the two header bytes of a client frame). A view into the received buffer, not a copy. */
  payload: Uint8Array;
  /** The metric byte; present only when parsed with `from: 'client'`. */
  metric?: number;
  /** The flag byte; present only when parsed with `from: 'client'`. */
  flag?: number;
}

/** The client keep-alive, the literal text `?,,`. */
export interface PingFrame {
  tag: '?';
  kind: 'ping';
}

/** The server's keep-alive answer `!<server time in ms>` (no comma). */
export interface PongFrame {
  tag: '!';
  kind: 'pong';
  /** Server time in milliseconds since the Unix epoch. */
  time: number;
}

/** Any frame {@link parseFrame} can return; switch on `kind`. */
export type ParsedFrame = JsonFrame | BinaryFrame | PingFrame | PongFrame;

/** Options of {@link parseFrame}. */
export interface ParseFrameOptions {
  /**
   * Who sent the frame. Client binary frames carry two header bytes (metric, flag) after the
   * comma, server binary frames do not, and nothing in the bytes tells them apart, so a server
   * parsing what clients send says `'client'`. Default `'server'`.
   */
  from?: 'server' | 'client';
}

/** The raw frame types a WebSocket hands out (with `binaryType = 'arraybuffer'`), plus any typed-array view. */
export type FrameData = string | Uint8Array | ArrayBuffer | ArrayBufferView;

const COMMA = 0x2c;
const PING_TEXT = '?,,';
/** Up to 15 digits: current times have 13, and 15 stays far inside the exact integer range of a double. */
const PONG_PATTERN = /^!(\d{1,15})$/;
const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/**
 * Parse one WebSocket message into a {@link ParsedFrame}.
 *
 * The tag is everything before the first comma (tags never contain one, payloads may). A text
 * payload is JSON or empty. Only ever throws {@link FrameError}, so one bad frame can be
 * reported and skipped without touching the connection.
 *
 * @param data - the message: a string for text frames, bytes for binary frames.
 * @param options - `from: 'client'` to read the metric and flag bytes of client binary frames.
 * @throws FrameError `NO_COMMA`, `EMPTY_TAG`, `BAD_JSON`, `BAD_PONG`, `BAD_TAG`, `TRUNCATED`, `BAD_DATA`.
 * @example
 * ```ts
 * parseFrame('1600000000.--0,{"status":200}');
 * // { tag: '1600000000.--0', kind: 'json', json: { status: 200 }, text: '{"status":200}' }
 * parseFrame('!1600000000123'); // { tag: '!', kind: 'pong', time: 1600000000123 }
 * parseFrame(new Uint8Array([0x73, 0x31, 0x2c, 1, 2]));
 * // { tag: 's1', kind: 'binary', payload: Uint8Array [1, 2] }
 * ```
 */
export function parseFrame(data: FrameData, options: ParseFrameOptions = {}): ParsedFrame {
  if (typeof data === 'string') return parseText(data);
  return parseBinary(requireBytes(data), options.from === 'client');
}

/**
 * The tag of a frame about to be sent (everything before its first comma), read without
 * parsing the payload. `'!'` for a pong, which has no comma.
 * @throws FrameError `NO_COMMA`, `EMPTY_TAG`, `BAD_TAG`, `BAD_DATA`.
 * @example
 * ```ts
 * frameTag(serializeJson('1600000000.--3', ['admin', 'test'])); // '1600000000.--3'
 * ```
 */
export function frameTag(frame: FrameData): string {
  if (typeof frame === 'string') {
    const comma = frame.indexOf(',');
    if (comma < 0) {
      if (PONG_PATTERN.test(frame)) return '!';
      throw new FrameError('NO_COMMA', 'frame has no comma after its tag');
    }
    if (comma === 0) throw new FrameError('EMPTY_TAG', 'frame starts with a comma: its tag is empty');
    return frame.slice(0, comma);
  }
  return readBinaryTag(requireBytes(frame)).tag;
}

function parseText(data: string): ParsedFrame {
  const comma = data.indexOf(',');
  if (comma < 0) {
    if (data.charCodeAt(0) === 0x21) return parsePong(data);
    throw new FrameError('NO_COMMA', `text frame of ${data.length} chars has no comma after its tag`);
  }
  if (comma === 0) throw new FrameError('EMPTY_TAG', 'text frame starts with a comma: its tag is empty');
  if (data === PING_TEXT) return { tag: '?', kind: 'ping' };
  const tag = data.slice(0, comma);
  const text = data.slice(comma + 1);
  if (text.length === 0) return { tag, kind: 'json', json: undefined, text };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FrameError('BAD_JSON', `payload of frame ${JSON.stringify(tag)} is not JSON`, { tag, cause });
  }
  return { tag, kind: 'json', json, text };
}

function parsePong(data: string): PongFrame {
  const match = PONG_PATTERN.exec(data);
  if (!match?.[1]) throw new FrameError('BAD_PONG', 'a "!" frame must be followed by the server time in ms');
  return { tag: '!', kind: 'pong', time: Number(match[1]) };
}

function parseBinary(bytes: Uint8Array, fromClient: boolean): BinaryFrame {
  const { tag, comma } = readBinaryTag(bytes);
  if (!fromClient) return { tag, kind: 'binary', payload: bytes.subarray(comma + 1) };
  if (bytes.length < comma + 3) {
    throw new FrameError('TRUNCATED', `client binary frame ${JSON.stringify(tag)} ends before its metric and flag bytes`, { tag });
  }
  return {
    tag,
    kind: 'binary',
    metric: bytes[comma + 1],
    flag: bytes[comma + 2],
    payload: bytes.subarray(comma + 3),
  };
}

function readBinaryTag(bytes: Uint8Array): { tag: string; comma: number } {
  const comma = bytes.indexOf(COMMA);
  if (comma < 0) throw new FrameError('NO_COMMA', `binary frame of ${bytes.length} bytes has no comma after its tag`);
  if (comma === 0) throw new FrameError('EMPTY_TAG', 'binary frame starts with a comma: its tag is empty');
  return { tag: decodeTag(bytes, comma), comma };
}

/** Tags are short and almost always ASCII: a hand loop avoids a TextDecoder call per frame. */
function decodeTag(bytes: Uint8Array, end: number): string {
  let tag = '';
  for (let i = 0; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) {
      try {
        return strictUtf8.decode(bytes.subarray(0, end));
      } catch (cause) {
        throw new FrameError('BAD_TAG', 'binary frame tag is not valid UTF-8', { cause });
      }
    }
    tag += String.fromCharCode(byte);
  }
  return tag;
}

/** The bytes of a binary frame, viewed without copying. */
function requireBytes(data: unknown): Uint8Array {
  // A Node Buffer (what `ws` hands out) as a plain view of the same memory: payloads are
  // Uint8Arrays whose `slice` copies, whatever the socket gave.
  if (data instanceof Uint8Array) return data.constructor === Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new FrameError('BAD_DATA', `a frame must be a string or bytes, got ${describe(data)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
