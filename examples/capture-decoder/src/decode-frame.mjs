// Turns one captured frame into a readable object: opens it with the session keys when it is
// sealed, decodes the binary node, and decodes every WebMessageInfo inside `message` nodes.
import { decode, nodeToJSON } from '@wa/binary-codec';
import { fromHex, openFrame, toHex } from '@wa/crypto';
import { decodeWebMessageInfo } from '@wa/proto';

/**
 * @param {Uint8Array} bytes the frame body: plain node bytes, or HMAC ‖ IV ‖ ciphertext when keys are given
 * @param {{ encKey: Uint8Array, macKey: Uint8Array } | undefined} keys
 */
export function decodeFrame(bytes, keys) {
  const plain = keys ? openFrame(keys, bytes) : bytes;
  const node = decode(plain);
  const result = { node: nodeToJSON(node), messages: collectMessages(node) };
  // The decoded node rides along for text output without showing up in the JSON.
  Object.defineProperty(result, 'decodedNode', { value: node, enumerable: false });
  return result;
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
