import { describe, expect, it } from 'vitest';
import {
  MissingAttributeError,
  NodeJSONError,
  attributeNames,
  bytesToHex,
  createAttributes,
  decode,
  encode,
  getAttribute,
  getBytes,
  getChild,
  getChildren,
  hexToBytes,
  nodeFromJSON,
  nodeToJSON,
  nodeToString,
  requireAttribute,
  type Node,
} from '../src/index.ts';
import { capturedFrames } from './support/vectors.ts';

const chat: Node = ['response', { type: 'chat' }, [['chat', { jid: '491@c.us', count: '2' }, null], ['chat', { jid: '1-2@g.us' }, null], ['user', null, new Uint8Array([1, 2])]]];

describe('attributes', () => {
  it('getAttribute reads own attributes only', () => {
    expect(getAttribute(chat, 'type')).toBe('chat');
    expect(getAttribute(chat, 'jid')).toBeUndefined();
    expect(getAttribute(['x', null, null], 'type')).toBeUndefined();
    expect(getAttribute(['x', { a: '1' }, null], 'toString')).toBeUndefined();
    expect(getAttribute(['x', { a: '1' }, null], '__proto__')).toBeUndefined();
  });

  it('requireAttribute throws a MissingAttributeError naming node and attribute', () => {
    expect(requireAttribute(chat, 'type')).toBe('chat');
    let caught: unknown;
    try {
      requireAttribute(chat, 'epoch');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingAttributeError);
    expect(caught).toMatchObject({ code: 'MISSING_ATTRIBUTE', description: 'response', attribute: 'epoch' });
    expect((caught as Error).message).toBe('<response> has no attribute "epoch"');
  });

  it('decodes an attribute named __proto__ as an own attribute, and encodes it again', () => {
    const bytes = encode(['x', createAttributes([['__proto__', 'v']]), null]);
    const node = decode(bytes);
    expect(getAttribute(node, '__proto__')).toBe('v');
    expect(Object.getPrototypeOf(node[1])).toBe(Object.prototype);
    expect(bytesToHex(encode(node))).toBe(bytesToHex(bytes));
  });

  it('createAttributes and decode keep the written order of index-like names', () => {
    const attrs = createAttributes([['type', 'chat'], ['404', 'x'], ['a', 'y']]);
    expect(Object.keys(attrs)).toEqual(['404', 'type', 'a']);
    expect(attributeNames(attrs)).toEqual(['type', '404', 'a']);
    expect(attributeNames(decode(encode(['n', attrs, null]))[1]!)).toEqual(['type', '404', 'a']);
    // After edits: deleted names drop out, new ones follow.
    delete attrs.type;
    attrs.b = 'z';
    expect(attributeNames(attrs)).toEqual(['404', 'a', 'b']);
    expect(attributeNames({ b: '1', 7: '2' })).toEqual(['7', 'b']);
  });

  it('index-like names out of ascending order, up to the largest array index, keep their order', () => {
    const attrs = createAttributes([['500', 'a'], ['404', 'b'], ['4294967294', 'c']]);
    expect(Object.keys(attrs)).toEqual(['404', '500', '4294967294']);
    expect(attributeNames(attrs)).toEqual(['500', '404', '4294967294']);
    const decoded = decode(encode(['n', attrs, null]))[1]!;
    expect(attributeNames(decoded)).toEqual(['500', '404', '4294967294']);
    expect(Object.getOwnPropertyNames(decoded)).toEqual(['404', '500', '4294967294']);
    expect(decoded).toEqual({ 404: 'b', 500: 'a', 4294967294: 'c' });
    // Ascending index-like names ahead of the others are already JavaScript's order: nothing to remember.
    const ascending = decode(encode(['n', createAttributes([['404', 'x'], ['500', 'y'], ['type', 'z']]), null]))[1]!;
    expect(Object.getOwnPropertySymbols(ascending)).toEqual([]);
    expect(attributeNames(ascending)).toEqual(['404', '500', 'type']);
  });

  it('a duplicated name keeps its first position and its last value', () => {
    expect(attributeNames(createAttributes([['type', 'a'], ['404', 'b'], ['type', 'c']]))).toEqual(['type', '404']);
    // Attribute "jid" (45) written twice in one node: last value wins.
    expect(decode(new Uint8Array([0xf8, 5, 9, 45, 91, 45, 75]))[1]).toEqual({ jid: 'relay' });
  });
});

describe('children and bytes', () => {
  it('getChildren returns the node list or an empty one', () => {
    expect(getChildren(chat)).toHaveLength(3);
    expect(getChildren(['x', null, null])).toEqual([]);
    expect(getChildren(['x', null, 'relay'])).toEqual([]);
    expect(getChildren(['x', null, new Uint8Array(1)])).toEqual([]);
  });

  it('getChild finds the first child by description', () => {
    expect(getChild(chat, 'chat')).toEqual(['chat', { jid: '491@c.us', count: '2' }, null]);
    expect(getChild(chat, 'user')?.[0]).toBe('user');
    expect(getChild(chat, 'group')).toBeUndefined();
    expect(getChild(['x', null, 'chat'], 'chat')).toBeUndefined();
  });

  it('getBytes returns binary content only', () => {
    expect(getBytes(getChild(chat, 'user')!)).toEqual(new Uint8Array([1, 2]));
    expect(getBytes(['x', null, '1234'])).toBeUndefined();
    expect(getBytes(chat)).toBeUndefined();
  });
});

describe('JSON form', () => {
  it('round trips the captured frames through nodeToJSON and JSON text', () => {
    for (const frame of capturedFrames()) {
      const json = nodeToJSON(frame.node);
      expect(nodeFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(frame.node);
    }
  });

  it('writes bytes as {"bytes": hex}', () => {
    expect(JSON.stringify(nodeToJSON(['message', null, new Uint8Array([0x0a, 0xff])]))).toBe('["message",null,{"bytes":"0aff"}]');
    expect(nodeToJSON(chat)[2]).toEqual([
      ['chat', { jid: '491@c.us', count: '2' }, null],
      ['chat', { jid: '1-2@g.us' }, null],
      ['user', null, { bytes: '0102' }],
    ]);
  });

  it('accepts upper-case hex and rejects malformed nodes with a path', () => {
    expect(nodeFromJSON(['m', null, { bytes: '0AFF' }])).toEqual(['m', null, new Uint8Array([0x0a, 0xff])]);
    const cases: [unknown, string][] = [
      ['m', 'root'],
      [['m', null], 'root'],
      [[1, null, null], 'root.description'],
      [['m', [], null], 'root.attributes'],
      [['m', { a: 1 }, null], 'root.attributes.a'],
      [['m', null, { bytes: 'abc' }], 'root.content.bytes'],
      [['m', null, { bytes: 'zz' }], 'root.content.bytes'],
      [['m', null, { bytes: '00', extra: 1 }], 'root.content'],
      [['m', null, 5], 'root.content'],
      [['m', null, [['c', null, null], ['d', null]]], 'root.content[1]'],
    ];
    for (const [value, path] of cases) {
      let caught: unknown;
      try {
        nodeFromJSON(value);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(value)).toBeInstanceOf(NodeJSONError);
      expect((caught as NodeJSONError).path, JSON.stringify(value)).toBe(path);
      expect((caught as NodeJSONError).code).toBe('INVALID_JSON_NODE');
    }
  });
});

describe('hex', () => {
  it('converts both ways and rejects non-hex', () => {
    expect(bytesToHex(new Uint8Array([0, 0x0f, 0xf0, 0xff]))).toBe('000ff0ff');
    expect(hexToBytes('000ff0FF')).toEqual(new Uint8Array([0, 0x0f, 0xf0, 0xff]));
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(hexToBytes('0')).toBeUndefined();
    expect(hexToBytes('0g')).toBeUndefined();
  });
});

describe('nodeToString', () => {
  it('renders nested nodes as indented XML-like text', () => {
    expect(nodeToString(chat)).toBe(
      [
        '<response type="chat">',
        '  <chat jid="491@c.us" count="2"/>',
        '  <chat jid="1-2@g.us"/>',
        '  <user>0x0102</user>',
        '</response>',
      ].join('\n'),
    );
  });

  it('escapes text, shows empty lists, cuts long bytes and strings with their size', () => {
    expect(nodeToString(['a', { q: '"<&>' }, []])).toBe('<a q="&quot;&lt;&amp;&gt;"></a>');
    expect(nodeToString(['a', null, new Uint8Array(40).fill(0xab)])).toBe(`<a>0x${'ab'.repeat(32)}…(40 bytes)</a>`);
    expect(nodeToString(['a', null, '1'.repeat(10)], { maxStringLength: 4 })).toBe('<a>1111…(10 chars)</a>');
    const many: Node = ['a', null, Array.from({ length: 5 }, (): Node => ['b', null, null])];
    expect(nodeToString(many, { maxChildren: 2, indent: ' ' })).toBe('<a>\n <b/>\n <b/>\n <!-- 3 more children -->\n</a>');
  });

  it('renders the live history frame readably', () => {
    const text = nodeToString(capturedFrames()[0]!.node);
    expect(text.split('\n')[0]).toBe('<action last="true" add="before">');
    expect(text).toContain('<message>0x0a350a1b');
    expect(text).toContain('…(108 bytes)</message>');
  });

  it('stops at MAX_DEPTH on a node that contains itself', () => {
    const loop: Node = ['loop', null, []];
    (loop[2] as Node[]).push(loop);
    expect(nodeToString(loop)).toContain('<!-- nested deeper than 256 -->');
  });
});

describe('README example', () => {
  it('decodes and prints the frame shown at the top of the README', () => {
    const node = decode(hexToBytes('f806092f5a0a10f801f80234fc020a35')!);
    expect(node).toEqual(['action', { last: 'true', add: 'before' }, [['message', null, new Uint8Array([0x0a, 0x35])]]]);
    expect(nodeToString(node)).toBe('<action last="true" add="before">\n  <message>0x0a35</message>\n</action>');
    expect(getChildren(node).map(getBytes)).toEqual([new Uint8Array([0x0a, 0x35])]);
  });
});
