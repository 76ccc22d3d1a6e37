/**
 * Loads the conformance vectors. The codec reference is read as text: `JSON.parse` would move
 * index-like attribute names ("404") to the front of every object, losing the written order the
 * reference bytes encode, so such names are masked while parsing and restored in order through
 * `createAttributes`.
 */
import referenceText from '@vectors/codec-reference.json?raw';
import captured from '@vectors/captured-frames.json' with { type: 'json' };
import { attributeNames, bytesToHex, createAttributes, hexToBytes, nodeFromJSON, type Attributes, type Node } from '../../src/index.ts';

export interface Frame {
  name: string;
  bytes: Uint8Array;
  node: Node;
}

/** Prefix that turns an index-like name into an ordinary one while `JSON.parse` runs. */
const MASK = '#index:';

function restoreOrder(node: Node): Node {
  const [description, attributes, content] = node;
  let ordered: Attributes | null = attributes;
  if (attributes !== null) {
    ordered = createAttributes(
      Object.keys(attributes).map((key): [string, string] => [key.startsWith(MASK) ? key.slice(MASK.length) : key, attributes[key] as string]),
    );
  }
  return [description, ordered, Array.isArray(content) ? content.map(restoreOrder) : content];
}

function bytesOf(hex: string): Uint8Array {
  const bytes = hexToBytes(hex);
  if (bytes === undefined) throw new Error(`vector hex is not hex: ${hex.slice(0, 20)}`);
  return bytes;
}

/** Every frame of codec-reference.json, attributes in their written order. */
export function referenceFrames(): Frame[] {
  // Only object keys are followed by a colon, so this touches names, never values.
  const masked = referenceText.replace(/(?<!\\)"((?:0|[1-9][0-9]*))":/g, `"${MASK}$1":`);
  const parsed = JSON.parse(masked) as { hex: string; node: unknown }[];
  return parsed.map((frame, i) => ({ name: `reference #${i}`, bytes: bytesOf(frame.hex), node: restoreOrder(nodeFromJSON(frame.node)) }));
}

/** The frames of captured-frames.json. */
export function capturedFrames(): Frame[] {
  return captured.map((frame) => ({ name: frame.name, bytes: bytesOf(frame.hex), node: nodeFromJSON(frame.node) }));
}

/**
 * The node as JSON text with attributes as [name, value] pairs in written order and bytes as
 * `{"bytes": hex}`, so that a string comparison checks values, types and attribute order.
 */
export function orderedJSON(node: Node): string {
  const plain = (n: Node): unknown => {
    const [description, attributes, content] = n;
    const entries = attributes === null ? null : attributeNames(attributes).map((key) => [key, attributes[key]]);
    let body: unknown = content;
    if (content instanceof Uint8Array) body = { bytes: bytesToHex(content) };
    else if (Array.isArray(content)) body = content.map(plain);
    return [description, entries, body];
  };
  return JSON.stringify(plain(node));
}
