// Turns one captured frame into a readable object: opens it with the session keys when it is
// sealed, decodes the binary node, and decodes every WebMessageInfo inside `message` nodes.
import { decode, nodeToJSON } from '@wa/binary-codec';
import { fromHex, openFrame, toHex } from '@wa/crypto';
import { decodeWebMessageInfo } from '@wa/proto';
import { parseFrame } from '@wa/transport';

/**
 * @param {Uint8Array} bytes the frame body: plain node bytes, or HMAC ‖ IV ‖ ciphertext when keys are given
 * @param {{ encKey: Uint8Array, macKey: Uint8Array } | undefined} keys
 */
export function decodeFrame(bytes, keys) {
  const wire = splitWireFrame(bytes, keys !== undefined);
  const body = wire?.body ?? bytes;
  const plain = keys ? openFrame(keys, body) : body;
  const node = decode(plain);
  const result = { ...(wire?.header ?? {}), node: nodeToJSON(node), messages: collectMessages(node) };
  // The decoded node rides along for text output without showing up in the JSON.
  Object.defineProperty(result, 'decodedNode', { value: node, enumerable: false });
  return result;
}

/**
 * A whole binary WebSocket frame as captured (`<tag>,` then, from a client, the metric and flag
 * bytes, then the sealed payload) splits into its header fields and the sealed body. Node bytes
 * start with a list tag (0xf8/0xf9), never with printable text, so a frame that begins with
 * printable characters up to a comma is a wire frame. Client and server frames differ in the
 * two header bytes only: a sealed body is HMAC (32) + IV (16) + whole AES blocks, so its length
 * is a multiple of 16, plus 2 for a client frame. Returns undefined for plain or bare sealed bytes.
 * @param {Uint8Array} bytes
 * @param {boolean} sealed whether keys were given (only sealed payloads follow a tag on the wire)
 */
export function splitWireFrame(bytes, sealed) {
  if (!sealed) return undefined;
  let comma = -1;
  for (let i = 0; i < Math.min(bytes.length, 128); i++) {
    const byte = bytes[i];
    if (byte === 0x2c) {
      comma = i;
      break;
    }
    if (byte < 0x21 || byte > 0x7e) return undefined;
  }
  if (comma <= 0) return undefined;
  const rest = bytes.length - comma - 1;
  const fromClient = rest % 16 === 2 && rest >= 66;
  // Bare sealed bytes may begin with printable bytes and a comma by chance (the HMAC is random):
  // only what is left after the tag having a sealed body's length makes it a wire frame.
  if (!fromClient && (rest % 16 !== 0 || rest < 48)) return undefined;
  // The framing itself is @wa/transport's: tag, then (from a client) the metric and flag bytes.
  const frame = parseFrame(bytes, { from: fromClient ? 'client' : 'server' });
  if (frame.kind !== 'binary') return undefined;
  const header = fromClient ? { tag: frame.tag, dir: 'send', metric: frame.metric, flag: frame.flag } : { tag: frame.tag, dir: 'receive' };
  return { header, body: frame.payload };
}

/** Every WebMessageInfo inside `message` nodes of the tree, decoded and printable. */
export function collectMessages(node) {
  const [description, , content] = node;
  if (description === 'message' && content instanceof Uint8Array) {
    return [toPrintable(decodeWebMessageInfo(content))];
  }
  return Array.isArray(content) ? content.flatMap(collectMessages) : [];
}

/** Bytes become hex so the result prints as JSON. */
function toPrintable(value) {
  if (value instanceof Uint8Array) return { bytes: toHex(value) };
  if (Array.isArray(value)) return value.map(toPrintable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toPrintable(inner)]));
  }
  return value;
}

/** Reads hex with optional whitespace and an optional 0x prefix. */
export function parseHexInput(text) {
  const cleaned = text.trim().replace(/^0x/i, '').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})+$/i.test(cleaned)) {
    throw new Error('input is not an even-length hex string');
  }
  return fromHex(cleaned.toLowerCase());
}
