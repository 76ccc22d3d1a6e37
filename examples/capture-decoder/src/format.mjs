// Prints decoded frames: one JSON object per line (NDJSON, for jq and scripts) or readable text
// (an arrow for the direction, the tag, and binary nodes as indented XML-like text).
import { nodeToString } from '@wa/binary-codec';

const ARROWS = { send: '→', receive: '←' };

/**
 * One record as a line (json) or a block of lines (text).
 * @param {Record<string, unknown>} record a record from decodeSession or the hex decoder
 * @param {'json' | 'text'} format
 * @example
 * console.log(formatRecord({ index: 1, dir: 'send', tag: '1.--0', kind: 'json', json: ['admin', 'test'] }, 'text'));
 * // #1 → 1.--0 ["admin","test"]
 */
export function formatRecord(record, format) {
  if (format === 'json') return JSON.stringify(record);
  const head = [`#${record.index}`];
  if (record.dir) head.push(ARROWS[record.dir] ?? record.dir);
  if (record.tag !== undefined) head.push(record.tag);
  if (record.error) {
    head.push(`✗ ${record.error.code}: ${record.error.message}`);
    return head.join(' ');
  }
  if (record.kind === 'json') head.push(record.json === undefined ? '(empty)' : JSON.stringify(record.json));
  if (record.kind === 'ping') head.push('(keep-alive ping)');
  if (record.kind === 'pong') head.push(`(pong, server time ${new Date(record.time).toISOString()})`);
  if (record.metric !== undefined) head.push(`[${[record.metric, ...(record.flags ?? [])].join(' ')}]`);
  if (record.derivedKeys) head.push('(session keys derived from this Conn)');
  const lines = [head.join(' ')];
  if (record.decodedNode) lines.push(indent(nodeToString(record.decodedNode)));
  for (const message of record.messages ?? []) lines.push(indent(`WebMessageInfo ${JSON.stringify(message)}`));
  return lines.join('\n');
}

function indent(text) {
  return text.replace(/^/gm, '  ');
}
