import { describe, expect, it } from 'vitest';
import { DecodeError, TOKENS, Tags, attributeNames, decode, type DecodeErrorCode } from '../src/index.ts';
import { frame } from './support/bytes.ts';

// Token indexes used below, from the seed's table and FACTS.md: action 9, add 10, before 16,
// id 39, image 40, jid 45, last 47, message 52, picture 63, relay 75, s.whatsapp.net 80,
// status 84, true 90, type 91, vname 151, video 174, recent 175.

/** Asserts that decoding `bytes` throws a DecodeError with this code at this offset. */
function expectDecodeError(bytes: Uint8Array, code: DecodeErrorCode, offset: number): DecodeError {
  let caught: unknown;
  try {
    decode(bytes);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  const error = caught as DecodeError;
  expect({ code: error.code, offset: error.offset }).toEqual({ code, offset });
  expect(error.message).toContain(`at byte ${offset}`);
  return error;
}

describe('token table', () => {
  it('has the seed entries, the 25 later ones and three unused slots', () => {
    expect(TOKENS).toHaveLength(176);
    expect(TOKENS.slice(0, 3)).toEqual([null, null, null]);
    expect(TOKENS.filter((t) => t === null)).toHaveLength(3);
    expect(TOKENS[3]).toBe('200');
    expect(TOKENS[150]).toBe('disable');
    expect(TOKENS[151]).toBe('vname');
    expect(TOKENS[174]).toBe('video');
    expect(TOKENS[175]).toBe('recent');
    expect(new Set(TOKENS).size).toBe(174);
  });

  it('names every tag with its seed value', () => {
    expect(Tags).toEqual({
      LIST_EMPTY: 0,
      STREAM_8: 2,
      DICTIONARY_0: 236,
      DICTIONARY_1: 237,
      DICTIONARY_2: 238,
      DICTIONARY_3: 239,
      LIST_8: 248,
      LIST_16: 249,
      JID_PAIR: 250,
      HEX_8: 251,
      BINARY_8: 252,
      BINARY_20: 253,
      BINARY_32: 254,
      NIBBLE_8: 255,
    });
  });
});

describe('decode: nodes', () => {
  it('reads a node with only a description, with null attributes and content', () => {
    expect(decode(frame(0xf8, 1, 9))).toEqual(['action', null, null]);
  });

  it('reads attribute count (a-2 + a%2) >> 1 and content only for even sizes', () => {
    // a = 3: one attribute, no content
    expect(decode(frame(0xf8, 3, 9, 91, 75))).toEqual(['action', { type: 'relay' }, null]);
    // a = 4: one attribute, then content
    expect(decode(frame(0xf8, 4, 9, 91, 75, 0))).toEqual(['action', { type: 'relay' }, []]);
    // a = 2: no attributes, content
    expect(decode(frame(0xf8, 2, 52, 0xfc, 2, 0x0a, 0x35))).toEqual(['message', null, new Uint8Array([0x0a, 0x35])]);
  });

  it('keeps attributes in the order they were written', () => {
    const node = decode(frame(0xf8, 5, 9, 47, 90, 10, 16));
    expect(Object.keys(node[1]!)).toEqual(['last', 'add']);
    expect(node[1]).toEqual({ last: 'true', add: 'before' });
  });

  it('reads LIST_8 and LIST_16 child lists', () => {
    const child = [0xf8, 1, 52];
    expect(decode(frame(0xf8, 2, 9, 0xf8, 2, child, child))).toEqual(['action', null, [['message', null, null], ['message', null, null]]]);
    const many = Array.from({ length: 300 }, () => child).flat();
    const node = decode(frame(0xf8, 2, 9, 0xf9, 0x01, 0x2c, many));
    expect(node[2]).toHaveLength(300);
    expect((node[2] as unknown[])[299]).toEqual(['message', null, null]);
  });

  it('reads a LIST_16 node header', () => {
    expect(decode(frame(0xf9, 0, 3, 9, 91, 75))).toEqual(['action', { type: 'relay' }, null]);
  });

  it('reads BINARY_20 and BINARY_32 content, using the low four bits of the Int20', () => {
    const data = Array.from({ length: 300 }, (_, i) => i & 0xff);
    expect(decode(frame(0xf8, 2, 52, 0xfd, 0x00, 0x01, 0x2c, data))[2]).toEqual(new Uint8Array(data));
    // The seed reads only the low four bits of the Int20's first byte.
    expect(decode(frame(0xf8, 2, 52, 0xfd, 0xf0, 0x01, 0x2c, data))[2]).toEqual(new Uint8Array(data));
    expect(decode(frame(0xf8, 2, 52, 0xfe, 0, 0, 0x01, 0x2c, data))[2]).toEqual(new Uint8Array(data));
  });

  it('returns content bytes that do not alias the input', () => {
    const input = frame(0xf8, 2, 52, 0xfc, 1, 7);
    const content = decode(input)[2] as Uint8Array;
    input[5] = 9;
    expect(content).toEqual(new Uint8Array([7]));
  });

  it('reads string content written as a token, JID, NIBBLE_8 or HEX_8', () => {
    expect(decode(frame(0xf8, 2, 9, 75))[2]).toBe('relay');
    expect(decode(frame(0xf8, 2, 9, 0xff, 0x02, 0x12, 0x34))[2]).toBe('1234');
    expect(decode(frame(0xf8, 2, 9, 0xfb, 0x01, 0x3e))[2]).toBe('3E');
    expect(decode(frame(0xf8, 2, 9, 0xfa, 0xff, 0x81, 0x1f, 80))[2]).toBe('1@c.us');
  });
});

describe('decode: strings', () => {
  const attribute = (...value: (number | string | number[])[]) => decode(frame(0xf8, 3, 9, 45, ...value))[1]!.jid;

  it('reads tokens 151–175 added after the seed', () => {
    expect(attribute(151)).toBe('vname');
    expect(attribute(174)).toBe('video');
    expect(attribute(175)).toBe('recent');
  });

  it('reads s.whatsapp.net as c.us, alone and inside JID pairs', () => {
    expect(attribute(80)).toBe('c.us');
    expect(attribute(0xfa, 0xfc, 3, '491', 80)).toBe('491@c.us');
  });

  it('reads JID pairs, with LIST_EMPTY as an empty user part', () => {
    expect(attribute(0xfa, 84, 18)).toBe('status@broadcast');
    expect(attribute(0xfa, 0, 35)).toBe('@g.us');
    expect(attribute(0xfa, 0xfc, 1, 'a', 0xfa, 0xfc, 1, 'b', 0xfc, 1, 'c')).toBe('a@b@c');
  });

  it('unpacks NIBBLE_8 with -, . and the odd-length bit', () => {
    // 1 2 - 3 . 4 5 pad: count 4 with the odd bit
    expect(attribute(0xff, 0x84, 0x12, 0xa3, 0xb4, 0x5f)).toBe('12-3.45');
    expect(attribute(0xff, 0x01, 0x09)).toBe('09');
  });

  it('unpacks HEX_8 (upper case) with the odd-length bit', () => {
    expect(attribute(0xfb, 0x82, 0x3e, 0xb0)).toBe('3EB');
    expect(attribute(0xfb, 0x02, 0xab, 0xcd)).toBe('ABCD');
  });

  it('reads BINARY strings as UTF-8, keeping a leading byte-order mark', () => {
    expect(attribute(0xfc, 6, [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f])).toBe('héllo');
    expect(attribute(0xfc, 4, [0xf0, 0x9f, 0x98, 0x80])).toBe('\u{1f600}');
    expect(attribute(0xfc, 3, [0xef, 0xbb, 0xbf])).toBe('\ufeff');
    expect(attribute(0xfc, 0)).toBe('');
  });

  it('reads LIST_EMPTY in a string position as the empty string', () => {
    expect(attribute(0)).toBe('');
  });
});

describe('decode: fast paths give the same results as the general ones', () => {
  const attribute = (...value: (number | string | number[])[]) => decode(frame(0xf8, 3, 9, 45, ...value))[1]!.jid;

  it('reads JIDs of every user and server form', () => {
    // packed user + token server (assembled in one piece), NIBBLE_8 and HEX_8, even and odd
    expect(attribute(0xfa, 0xff, 0x02, 0x49, 0x17, 80)).toBe('4917@c.us');
    expect(attribute(0xfa, 0xff, 0x82, 0x49, 0x1f, 35)).toBe('491@g.us');
    expect(attribute(0xfa, 0xfb, 0x02, 0x3e, 0xb0, 18)).toBe('3EB0@broadcast');
    expect(attribute(0xfa, 0xff, 0x83, 0x12, 0xa3, 0xbf, 35)).toBe('12-3.@g.us');
    // packed user + packed or BINARY server, token user, empty user
    expect(attribute(0xfa, 0xff, 0x01, 0x12, 0xff, 0x01, 0x34)).toBe('12@34');
    expect(attribute(0xfa, 0xff, 0x01, 0x12, 0xfc, 3, 'x.y')).toBe('12@x.y');
    expect(attribute(0xfa, 84, 0xff, 0x81, 0x1f)).toBe('status@1');
    expect(attribute(0xfa, 0, 80)).toBe('@c.us');
    // chains after a packed user part
    expect(attribute(0xfa, 0xff, 0x01, 0x12, 0xfa, 0, 35)).toBe('12@@g.us');
    // a 254-digit user part
    const digits = '12'.repeat(127);
    expect(attribute(0xfa, 0xff, 127, Array.from({ length: 127 }, () => 0x12), 80)).toBe(`${digits}@c.us`);
    expect(attribute(0xfa, 0xff, 127, Array.from({ length: 127 }, () => 0x12), 0xff, 127, Array.from({ length: 127 }, () => 0x12))).toBe(
      `${digits}@${digits}`,
    );
  });

  it('reads one-byte packed strings from a table', () => {
    expect(attribute(0xff, 0x81, 0x5f)).toBe('5');
    expect(attribute(0xff, 0x01, 0xab)).toBe('-.');
    expect(attribute(0xfb, 0x81, 0xaf)).toBe('A');
    expect(attribute(0xfb, 0x01, 0xf0)).toBe('F0');
  });

  it('reports bad nibbles and truncation inside JIDs at the same offsets', () => {
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xff, 0x01, 0xc1, 80), 'INVALID_PACKED', 7);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xff, 0x00, 80), 'INVALID_PACKED', 5);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xff, 0x81, 0xc0), 'INVALID_PACKED', 6);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xff, 0x02, 0x12), 'TRUNCATED', 7);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xff, 0x01, 0x12), 'TRUNCATED', 8);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xff, 0x01, 0x12, 1), 'INVALID_TOKEN', 8);
  });

  it('returns large binary values that alias neither the input nor each other', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = Array.from({ length: 300 }, (_, i) => 255 - (i & 0xff));
    const message = (data: number[]) => [0xf8, 2, 52, ...(data.length < 256 ? [0xfc, data.length] : [0xfd, 0, data.length >> 8, data.length & 0xff]), ...data];
    const input = frame(0xf8, 2, 9, 0xf8, 3, message(a), message([7]), message(b));
    const [first, small, second] = (decode(input)[2] as [string, null, Uint8Array][]).map((child) => child[2]);
    expect(first).toEqual(new Uint8Array(a));
    expect(small).toEqual(new Uint8Array([7]));
    expect(second).toEqual(new Uint8Array(b));
    expect(first!.constructor).toBe(Uint8Array);
    input.fill(0);
    first![0] = 42;
    expect(second).toEqual(new Uint8Array(b));
    expect(Array.from(first!.subarray(1))).toEqual(a.slice(1));
  });

  it('records the written order only when JavaScript would enumerate differently', () => {
    // 200 (token 3), 404 (token 5), type (91), add (10); values: true (90)
    const ordered = decode(frame(0xf8, 7, 9, 3, 90, 5, 90, 91, 90))[1]!;
    expect(Object.getOwnPropertySymbols(ordered)).toEqual([]);
    const repeated = decode(frame(0xf8, 7, 9, 3, 90, 91, 90, 3, 75))[1]!;
    expect(Object.getOwnPropertySymbols(repeated)).toEqual([]);
    expect(repeated).toEqual({ 200: 'relay', type: 'true' });
    const late = decode(frame(0xf8, 9, 9, 91, 90, 5, 90, 91, 75, 3, 90))[1]!;
    expect(attributeNames(late)).toEqual(['type', '404', '200']);
    expect(late).toEqual({ type: 'relay', 404: 'true', 200: 'true' });
    const descending = decode(frame(0xf8, 7, 9, 5, 90, 3, 90, 10, 90))[1]!;
    expect(attributeNames(descending)).toEqual(['404', '200', 'add']);
  });
});

describe('decode: errors', () => {
  it('rejects input that is not a Uint8Array', () => {
    expect(() => decode([0xf8, 1, 9] as unknown as Uint8Array)).toThrow(DecodeError);
    try {
      decode('f80109' as unknown as Uint8Array);
    } catch (error) {
      expect((error as DecodeError).code).toBe('INVALID_INPUT');
    }
  });

  it('reports truncation with the offset where the input ended', () => {
    expectDecodeError(frame(), 'TRUNCATED', 0);
    expectDecodeError(frame(0xf8), 'TRUNCATED', 1);
    expectDecodeError(frame(0xf8, 3, 9, 91), 'TRUNCATED', 3);
    expectDecodeError(frame(0xf8, 2, 52, 0xfc, 5, 1, 2), 'TRUNCATED', 5);
    expectDecodeError(frame(0xf8, 2, 52, 0xfd, 0), 'TRUNCATED', 4);
  });

  it('rejects a node of list size 0', () => {
    expectDecodeError(frame(0xf8, 0), 'INVALID_LIST_SIZE', 0);
    expectDecodeError(frame(0), 'INVALID_LIST_SIZE', 0);
  });

  it('rejects a node that does not start with a list tag', () => {
    expectDecodeError(frame(9), 'INVALID_TAG', 0);
    expectDecodeError(frame(0xf8, 2, 9, 0xf8, 1, 0xfc, 0, 0), 'INVALID_TAG', 5);
  });

  it('rejects STREAM_8 as a description and where strings belong', () => {
    expectDecodeError(frame(0xf8, 1, 2), 'INVALID_TAG', 2);
    expectDecodeError(frame(0xf8, 3, 9, 2, 9), 'INVALID_TAG', 3);
    expectDecodeError(frame(0xf8, 2, 9, 2), 'INVALID_TAG', 3);
  });

  it('rejects list tags in string positions and the reserved tags 240–247', () => {
    expectDecodeError(frame(0xf8, 1, 0xf8), 'INVALID_TAG', 2);
    for (let tag = 240; tag <= 247; tag++) expectDecodeError(frame(0xf8, 3, 9, 45, tag), 'INVALID_TAG', 4);
  });

  it('rejects token indexes outside the table (1 and 176–235), naming the index', () => {
    expectDecodeError(frame(0xf8, 1, 1), 'INVALID_TOKEN', 2);
    for (const tag of [176, 200, 235]) {
      const error = expectDecodeError(frame(0xf8, 3, 9, 45, tag), 'INVALID_TOKEN', 4);
      expect(error.message).toContain(String(tag));
    }
  });

  it('rejects the double-byte dictionary tags 236–239', () => {
    for (let tag = 236; tag <= 239; tag++) expectDecodeError(frame(0xf8, 3, 9, 45, tag, 5), 'DICTIONARY_UNSUPPORTED', 4);
    expectDecodeError(frame(0xf8, 2, 9, 236, 1), 'DICTIONARY_UNSUPPORTED', 3);
  });

  it('rejects packed strings that are empty or hold nibbles outside their alphabet', () => {
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xff, 0x00), 'INVALID_PACKED', 4);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xff, 0x80), 'INVALID_PACKED', 4);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xff, 0x01, 0x1c), 'INVALID_PACKED', 6);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xff, 0x01, 0xf1), 'INVALID_PACKED', 6);
  });

  it('rejects a JID pair as the user part of a JID', () => {
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfa, 0xfa), 'INVALID_TAG', 5);
  });

  it('rejects strings that are not UTF-8', () => {
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfc, 2, 0xc3, 0x28), 'INVALID_UTF8', 6);
    expectDecodeError(frame(0xf8, 3, 9, 45, 0xfc, 1, 0xff), 'INVALID_UTF8', 6);
  });

  it('rejects bytes after the root node', () => {
    expectDecodeError(frame(0xf8, 1, 9, 0), 'TRAILING_BYTES', 3);
  });
});

describe('decode: hostile input fails fast', () => {
  it('LIST_16 claiming 65535 children on three bytes', () => {
    expectDecodeError(frame(0xf8, 2, 9, 0xf9, 0xff, 0xff), 'TRUNCATED', 6);
  });

  it('BINARY_32 claiming 4 GB', () => {
    const error = expectDecodeError(frame(0xf8, 2, 52, 0xfe, 0xff, 0xff, 0xff, 0xff, 1, 2), 'TRUNCATED', 8);
    expect(error.message).toContain('4294967295');
  });

  it('a LIST_16 node header claiming 32767 attributes', () => {
    expectDecodeError(frame(0xf9, 0xff, 0xff, 9, 91), 'TRUNCATED', 4);
  });

  it('100 000 nested lists', () => {
    // Each level: a node of size 2 ("action") whose content is a LIST_8 of one node.
    const levels = 100_000;
    const bytes = new Uint8Array(levels * 5);
    for (let level = 0; level < levels; level++) bytes.set([0xf8, 2, 9, 0xf8, 1], level * 5);
    const error = expectDecodeError(bytes, 'TOO_DEEP', 256 * 5);
    expect(error.message).toContain('256');
  });

  it('100 000 chained JID pairs decode without recursion', () => {
    const bytes = new Uint8Array(4 + 100_000 * 2 + 1);
    bytes.set([0xf8, 3, 9, 45]);
    for (let i = 0; i < 100_000; i++) bytes.set([0xfa, 0], 4 + 2 * i);
    bytes[bytes.length - 1] = 35;
    expect(decode(bytes)[1]!.jid).toBe('@'.repeat(100_000) + 'g.us');
  });
});
