/**
 * Nodes as readable XML-like text for logs and test failures: attributes in order, child nodes
 * indented, bytes as `0x…` hex, long values cut with their full size noted.
 * @module
 */

import { attributeNames } from './attribute-order.js';
import { bytesToHex } from './hex.js';
import { MAX_DEPTH } from './limits.js';
import type { Node } from './node.js';

/** Options of {@link nodeToString}. */
export interface NodeToStringOptions {
  /** Bytes of binary content shown before cutting; default 32. */
  maxBytes?: number;
  /** Characters of a string (content or attribute value) shown before cutting; default 200. */
  maxStringLength?: number;
  /** Child nodes shown per node before the rest are summarised; default 50. */
  maxChildren?: number;
  /** Indentation per level; default two spaces. */
  indent?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char] as string);
}

function cutString(text: string, max: number): string {
  return text.length <= max ? escape(text) : `${escape(text.slice(0, max))}…(${text.length} chars)`;
}

function cutBytes(bytes: Uint8Array, max: number): string {
  if (bytes.length <= max) return `0x${bytesToHex(bytes)}`;
  return `0x${bytesToHex(bytes.subarray(0, max))}…(${bytes.length} bytes)`;
}

/**
 * Renders a node as indented XML-like text. Strings are escaped, binary content is shown as
 * `0x` + hex, and anything longer than the limits is cut with its full size noted.
 * @example
 * ```ts
 * nodeToString(['action', { add: 'last' }, [['message', null, new Uint8Array([0x0a, 0x35])]]]);
 * // <action add="last">
 * //   <message>0x0a35</message>
 * // </action>
 * ```
 */
export function nodeToString(node: Node, options: NodeToStringOptions = {}): string {
  const settings: Required<NodeToStringOptions> = {
    maxBytes: options.maxBytes ?? 32,
    maxStringLength: options.maxStringLength ?? 200,
    maxChildren: options.maxChildren ?? 50,
    indent: options.indent ?? '  ',
  };
  const lines: string[] = [];
  render(node, 0, settings, lines);
  return lines.join('\n');
}

function render(node: Node, level: number, settings: Required<NodeToStringOptions>, lines: string[]): void {
  const pad = settings.indent.repeat(level);
  if (level >= MAX_DEPTH) {
    lines.push(`${pad}<!-- nested deeper than ${MAX_DEPTH} -->`);
    return;
  }
  const [description, attributes, content] = node;
  let open = `<${escape(description)}`;
  if (attributes !== null) {
    for (const key of attributeNames(attributes)) {
      open += ` ${escape(key)}="${cutString(attributes[key] as string, settings.maxStringLength)}"`;
    }
  }
  if (content === null) {
    lines.push(`${pad}${open}/>`);
  } else if (typeof content === 'string') {
    lines.push(`${pad}${open}>${cutString(content, settings.maxStringLength)}</${escape(description)}>`);
  } else if (content instanceof Uint8Array) {
    lines.push(`${pad}${open}>${cutBytes(content, settings.maxBytes)}</${escape(description)}>`);
  } else if (content.length === 0) {
    lines.push(`${pad}${open}></${escape(description)}>`);
  } else {
    lines.push(`${pad}${open}>`);
    const shown = Math.min(content.length, settings.maxChildren);
    for (let i = 0; i < shown; i++) render(content[i] as Node, level + 1, settings, lines);
    if (shown < content.length) lines.push(`${pad}${settings.indent}<!-- ${content.length - shown} more children -->`);
    lines.push(`${pad}</${escape(description)}>`);
  }
}
