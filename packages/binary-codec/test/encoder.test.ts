import { describe, expect, it } from 'vitest';
import { EncodeError, bytesToHex, createAttributes, decode, encode, type EncodeErrorCode, type Node } from '../src/index.ts';

const hex = (node: Node) => bytesToHex(encode(node));
/** Hex of a node "action" (token 9) whose one attribute "jid" (token 45) holds `value`. */
const attributeHex = (value: string) => hex(['action', { jid: value }, null]).slice('f803092d'.length);

function expectEncodeError(node: unknown, code: EncodeErrorCode, path: string): void {
  let caught: unknown;
  try {
    encode(node as Node);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EncodeError);
  expect({ code: (caught as EncodeError).code, path: (caught as EncodeError).path }).toEqual({ code, path });
}

describe('encode: node layout', () => {
  it('writes list size 1 + 2·attributes + content and the tokens', () => {
    expect(hex(['action', { type: 'relay' }, null])).toBe('f803095b4b');
    expect(hex(['action', { type: 'relay' }, []])).toBe('f804095b4b00');
    expect(hex(['action', null, null])).toBe('f80109');
  });

  it('treats {} attributes like null', () => {
    expect(hex(['action', {}, null])).toBe(hex(['action', null, null]));
    expect(decode(encode(['action', {}, null]))).toEqual(['action', null, null]);
  });

  it('keeps attribute order, including index-like names remembered by createAttributes', () => {
    expect(hex(['action', { last: 'true', add: 'before' }, null])).toBe('f805092f5a0a10');
    expect(hex(['action', { add: 'before', last: 'true' }, null])).toBe('f805090a102f5a');
    // A plain object lists "404" first whatever the source order; createAttributes keeps it.
    expect(hex(['action', { type: 'chat', 404: 'x' }, null])).toBe('f8050905fc01785b13');
    expect(hex(['action', createAttributes([['type', 'chat'], ['404', 'x']]), null])).toBe('f805095b1305fc0178');
  });

  it('chooses LIST_EMPTY, LIST_8 and LIST_16 for child lists', () => {
    const child: Node = ['message', null, null];
    expect(hex(['action', null, []])).toBe('f8020900');
    expect(hex(['action', null, Array(255).fill(child)]).slice(0, 10)).toBe('f80209f8ff');
    expect(hex(['action', null, Array(256).fill(child)]).slice(0, 12)).toBe('f80209f90100');
    expect(hex(['action', null, Array(65535).fill(child)]).slice(0, 12)).toBe('f80209f9ffff');
  });

  it('uses a LIST_16 node header past 255', () => {
    const attributes = Object.fromEntries(Array.from({ length: 128 }, (_, i) => [`k${i}`, 'v']));
    // 1 + 2·128 = 257 = 0x0101
    expect(hex(['action', attributes, null]).slice(0, 8)).toBe('f9010109');
    expect(decode(encode(['action', attributes, null]))).toEqual(['action', attributes, null]);
  });

  it('chooses BINARY_8, BINARY_20 and BINARY_32 by length for bytes', () => {
    const sized = (n: number) => hex(['message', null, new Uint8Array(n)]).slice(6, 16);
    expect(sized(0)).toBe('fc00');
    expect(sized(255)).toBe('fcff000000');
    expect(sized(256)).toBe('fd00010000');
    expect(sized(0xfffff)).toBe('fd0fffff00');
    expect(sized(0x100000)).toBe('fe00100000');
  });
});

describe('encode: string forms, in rule order', () => {
  it('1. tokens first, even when the string is digits; c.us as s.whatsapp.net', () => {
    expect(attributeHex('200')).toBe('03');
    expect(attributeHex('409')).toBe('6e');
    expect(attributeHex('recent')).toBe('af');
    expect(attributeHex('c.us')).toBe('50');
    expect(attributeHex('s.whatsapp.net')).toBe('50');
  });

  it('2. JID pairs split at the first @, empty user part as LIST_EMPTY', () => {
    expect(attributeHex('491@c.us')).toBe('faff82491f50');
    expect(attributeHex('status@broadcast')).toBe('fa5412');
    expect(attributeHex('@g.us')).toBe('fa0023');
    expect(attributeHex('user@')).toBe('fa5ffc00');
    expect(attributeHex('a@b@c')).toBe('fafc0161fafc0162fc0163');
    expect(attributeHex('@')).toBe('fa00fc00');
  });

  it('3. NIBBLE_8 for non-empty 0-9 - . strings up to 254 characters', () => {
    expect(attributeHex('1234')).toBe('ff021234');
    expect(attributeHex('12-3.45')).toBe('ff8412a3b45f');
    expect(attributeHex('-')).toBe('ff81af');
    expect(attributeHex('5'.repeat(254)).slice(0, 6)).toBe('ff7f55');
    expect(attributeHex('5'.repeat(255)).slice(0, 6)).toBe('fcff35');
  });

  it('4. HEX_8 for non-empty 0-9A-F strings up to 254 characters', () => {
    expect(attributeHex('3EB0')).toBe('fb023eb0');
    expect(attributeHex('ABC')).toBe('fb82abcf');
    expect(attributeHex('A'.repeat(254)).slice(0, 6)).toBe('fb7faa');
    expect(attributeHex('A'.repeat(255)).slice(0, 6)).toBe('fcff41');
  });

  it('5. otherwise BINARY_8/20/32 by UTF-8 length', () => {
    expect(attributeHex('3eb0')).toBe('fc0433656230');
    expect(attributeHex('1-A')).toBe('fc03312d41');
    expect(attributeHex('')).toBe('fc00');
    expect(attributeHex('héllo')).toBe('fc0668c3a96c6c6f');
    expect(attributeHex('x'.repeat(300)).slice(0, 10)).toBe('fd00012c78');
  });

  it('writes UTF-8 exactly as TextEncoder does, short and long, lone surrogates included', () => {
    const samples = ['\u{1f600}', 'a\ud800b', '\udc00', 'é€\u{10ffff}', 'x\ud800'];
    for (const sample of samples) {
      for (const text of [sample, sample.repeat(40)]) {
        const utf8 = new TextEncoder().encode(text);
        const written = encode(['action', null, text]).subarray(3);
        const headerLength = utf8.length <= 255 ? 2 : 4;
        expect(bytesToHex(written.subarray(headerLength)), JSON.stringify(text)).toBe(bytesToHex(utf8));
      }
    }
  });

  it('writes string content that fits no compact form as bytes, which decode as bytes', () => {
    expect(decode(encode(['text', null, 'hello']))).toEqual(['text', null, new TextEncoder().encode('hello')]);
    expect(decode(encode(['text', null, '1234']))).toEqual(['text', null, '1234']);
  });
});

describe('encode: errors', () => {
  it('rejects values that are not nodes', () => {
    expectEncodeError(null, 'INVALID_NODE', 'root');
    expectEncodeError(['a', null], 'INVALID_NODE', 'root');
    expectEncodeError(['a', null, [['b', null]]], 'INVALID_NODE', 'root.content[0]');
    expectEncodeError([5, null, null], 'INVALID_DESCRIPTION', 'root.description');
  });

  it('rejects attributes that are not a plain object of strings', () => {
    expectEncodeError(['a', [], null], 'INVALID_ATTRIBUTES', 'root.attributes');
    expectEncodeError(['a', new Map([['k', 'v']]), null], 'INVALID_ATTRIBUTES', 'root.attributes');
    expectEncodeError(['a', 'k=v', null], 'INVALID_ATTRIBUTES', 'root.attributes');
    expectEncodeError(['a', null, [['b', { n: 5 }, null]]], 'INVALID_ATTRIBUTES', 'root.content[0].attributes.n');
    expectEncodeError(['a', { u: undefined }, null], 'INVALID_ATTRIBUTES', 'root.attributes.u');
  });

  it('rejects content of other types', () => {
    expectEncodeError(['a', null, 5], 'INVALID_CONTENT', 'root.content');
    expectEncodeError(['a', null, { bytes: '00' }], 'INVALID_CONTENT', 'root.content');
    expectEncodeError(['a', null, new Uint16Array(2)], 'INVALID_CONTENT', 'root.content');
  });

  it('rejects lists and headers the format cannot count', () => {
    expectEncodeError(['a', null, Array(65536).fill(['b', null, null])], 'LIST_TOO_LONG', 'root.content');
    const attributes = Object.fromEntries(Array.from({ length: 32768 }, (_, i) => [`k${i}`, 'v']));
    expectEncodeError(['a', attributes, null], 'TOO_MANY_ATTRIBUTES', 'root.attributes');
    const justFits = Object.fromEntries(Array.from({ length: 32767 }, (_, i) => [`k${i}`, 'v']));
    expect(decode(encode(['a', justFits, null]))[1]).toEqual(justFits);
    expectEncodeError(['a', justFits, []], 'TOO_MANY_ATTRIBUTES', 'root.attributes');
  });

  it('rejects nesting deeper than 256 and nodes that contain themselves', () => {
    let deep: Node = ['leaf', null, null];
    for (let i = 1; i < 256; i++) deep = ['n', null, [deep]];
    expect(decode(encode(deep))).toEqual(deep);
    expectEncodeError(['n', null, [deep]], 'TOO_DEEP', 'root' + '.content[0]'.repeat(256));
    const loop: Node = ['loop', null, []];
    (loop[2] as Node[]).push(loop);
    expect(() => encode(loop)).toThrow(EncodeError);
  });

  it('recovers after an error and never hands out its scratch buffer', () => {
    expect(() => encode(['a', null, 5 as unknown as string])).toThrow(EncodeError);
    const first = encode(['action', { type: 'relay' }, null]);
    const big = encode(['message', null, new Uint8Array(3_000_000).fill(7)]);
    const second = encode(['message', null, new Uint8Array([1, 2])]);
    expect(bytesToHex(first)).toBe('f803095b4b');
    expect(big.length).toBe(3_000_000 + 3 + 5);
    expect(bytesToHex(second)).toBe('f80234fc020102');
  });
});
