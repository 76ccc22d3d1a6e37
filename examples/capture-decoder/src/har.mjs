// Decodes a whole captured WebSocket session from a Chrome HAR export, frame by frame and in order:
// text frames through @wa/transport's parseFrame, binary frames opened with the session keys and
// decoded as nodes. One bad frame becomes an error record; the rest of the session still decodes.
import { decode, nodeToJSON } from '@wa/binary-codec';
import { deriveSessionKeys, fromBase64, openFrame } from '@wa/crypto';
import { Flag, Metric, parseFrame } from '@wa/transport';
import { collectMessages } from './decode-frame.mjs';

/** A HAR that cannot be read at all (as opposed to one bad frame inside it). */
export class HarError extends Error {
  /** @param {'BAD_HAR' | 'NO_WEBSOCKET'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'HarError';
    this.code = code;
  }
}

/** A binary frame arrived before any keys were known (no --enc-key, --secret or Conn + --private-key). */
export class MissingKeysError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MissingKeysError';
    this.code = 'NO_KEYS';
  }
}

/**
 * Every WebSocket message of a HAR, in capture order: entries in file order (one entry per
 * socket), messages in the order Chrome recorded them.
 * @param {unknown} har the parsed HAR JSON
 * @returns {{ index: number, dir: 'send' | 'receive', time: number | undefined, opcode: number, data: string }[]}
 * @example
 * readHarMessages(JSON.parse(readFileSync('session.har', 'utf8')))[0]; // { index: 1, dir: 'send', … }
 */
export function readHarMessages(har) {
  const entries = har?.log?.entries;
  if (!Array.isArray(entries)) throw new HarError('BAD_HAR', 'not a HAR file: log.entries is missing');
  const messages = [];
  for (const entry of entries) {
    if (!Array.isArray(entry?._webSocketMessages)) continue;
    for (const message of entry._webSocketMessages) {
      messages.push({
        index: messages.length + 1,
        dir: message?.type === 'send' ? 'send' : 'receive',
        time: message?.time,
        opcode: message?.opcode,
        data: message?.data,
      });
    }
  }
  if (messages.length === 0) throw new HarError('NO_WEBSOCKET', 'the HAR holds no _webSocketMessages (export it with the WebSocket frames)');
  return messages;
}

const metricNames = new Map(Object.entries(Metric).map(([name, value]) => [value, name]));

/** The metric byte by name; an unknown value stays a number. */
export function metricName(metric) {
  return metricNames.get(metric) ?? metric;
}

/**
 * The flag byte as the names of its bits. 0x04 means `composing` on presence frames and
 * `skipOffline` on every other frame (the two names share the bit), so the metric decides.
 * Bits without a name show as hex.
 */
export function flagNames(flag, metric) {
  const names = [];
  let rest = flag;
  for (const [name, bit] of Object.entries(Flag)) {
    if ((flag & bit) === 0 || (rest & bit) === 0) continue;
    if (bit === Flag.composing) names.push(metric === Metric.presence ? 'composing' : 'skipOffline');
    else names.push(name);
    rest &= ~bit;
  }
  if (rest !== 0) names.push(`0x${rest.toString(16).padStart(2, '0')}`);
  return names;
}

/**
 * Decodes one session. Keys come from `options.keys`, else from `options.secret` with
 * `options.privateKey`, else from the first `Conn` frame carrying a `secret` once it is seen
 * (with `options.privateKey`). Yields one record per message: `{ index, dir, tag, kind, … }`, or
 * `{ index, dir, tag?, error: { name, code, message } }` for a frame that failed.
 * @param {ReturnType<typeof readHarMessages>} messages
 * @param {{ keys?: { encKey: Uint8Array, macKey: Uint8Array }, secret?: Uint8Array, privateKey?: Uint8Array }} [options]
 * @example
 * for (const record of decodeSession(readHarMessages(har), { privateKey })) console.log(record);
 */
export function* decodeSession(messages, options = {}) {
  let keys = options.keys;
  const fixedKeys = keys !== undefined;
  if (!keys && options.secret) keys = deriveSessionKeys({ secret: options.secret, privateKey: options.privateKey });
  // Explicit keys win; otherwise a Conn carrying a secret (re)keys the session from that frame on.
  const deriveFromConn = !fixedKeys && options.privateKey !== undefined;
  for (const message of messages) {
    const base = { index: message.index, dir: message.dir };
    let frame;
    try {
      frame = parseFrame(toFrameData(message), { from: message.dir === 'send' ? 'client' : 'server' });
      const { decodedNode, ...described } = describeFrame(frame, keys);
      const record = { ...base, ...described };
      // The decoded node rides along for text output without showing up in the JSON.
      if (decodedNode) Object.defineProperty(record, 'decodedNode', { value: decodedNode, enumerable: false });
      const secret = deriveFromConn ? connSecret(frame, message.dir) : undefined;
      if (secret) {
        keys = deriveSessionKeys({ secret: fromBase64(secret), privateKey: options.privateKey });
        record.derivedKeys = true;
      }
      yield record;
    } catch (error) {
      const header = frame?.metric === undefined ? {} : { metric: metricName(frame.metric) };
      yield { ...base, ...(frame?.tag !== undefined && { tag: frame.tag }), ...header, error: describeError(error) };
    }
  }
}

function toFrameData(message) {
  if (message.opcode === 1) {
    if (typeof message.data !== 'string') throw new HarError('BAD_HAR', 'text message without string data');
    return message.data;
  }
  if (message.opcode === 2) {
    if (typeof message.data !== 'string') throw new HarError('BAD_HAR', 'binary message without Base64 data');
    return fromBase64(message.data);
  }
  throw new HarError('BAD_HAR', `unsupported WebSocket opcode ${String(message.opcode)}`);
}

/** The printable part of one parsed frame; binary payloads are opened and decoded. */
function describeFrame(frame, keys) {
  if (frame.kind === 'json') return { tag: frame.tag, kind: 'json', json: frame.json };
  if (frame.kind === 'ping') return { tag: frame.tag, kind: 'ping' };
  if (frame.kind === 'pong') return { tag: frame.tag, kind: 'pong', time: frame.time };
  const header = frame.metric === undefined
    ? {}
    : { metric: metricName(frame.metric), flags: flagNames(frame.flag, frame.metric) };
  if (!keys) throw new MissingKeysError(`binary frame ${JSON.stringify(frame.tag)} is sealed and no session keys are known yet`);
  const node = decode(openFrame(keys, frame.payload));
  return { tag: frame.tag, kind: 'binary', ...header, node: nodeToJSON(node), messages: collectMessages(node), decodedNode: node };
}

/** The Base64 `secret` of a server `["Conn", { secret }]` frame, if this is one. */
function connSecret(frame, dir) {
  if (dir !== 'receive' || frame.kind !== 'json' || !Array.isArray(frame.json)) return undefined;
  const [type, info] = frame.json;
  return type === 'Conn' && typeof info?.secret === 'string' ? info.secret : undefined;
}

/** The error as plain data: its class, stable code and message. */
export function describeError(error) {
  return { name: error?.name ?? 'Error', code: error?.code ?? 'UNKNOWN', message: String(error?.message ?? error) };
}
