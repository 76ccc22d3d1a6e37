import frames from '@vectors/captured-frames.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { FrameError, frameTag, parseFrame, type FrameErrorCode } from '../src/index.ts';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const hex = (text: string): Uint8Array => new Uint8Array(text.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);

function frameErrorOf(run: () => unknown): FrameError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameError);
    return error as FrameError;
  }
  throw new Error('expected a FrameError, nothing was thrown');
}

function expectFrameError(run: () => unknown, code: FrameErrorCode): FrameError {
  const error = frameErrorOf(run);
  expect(error.code).toBe(code);
  expect(error.name).toBe('FrameError');
  return error;
}

describe('parseFrame: text frames', () => {
  it('splits tag and JSON at the first comma', () => {
    expect(parseFrame('1600000000.--0,{"status":200,"ref":"1@abc,def","ttl":20000}')).toEqual({
      tag: '1600000000.--0',
      kind: 'json',
      json: { status: 200, ref: '1@abc,def', ttl: 20000 },
      text: '{"status":200,"ref":"1@abc,def","ttl":20000}',
    });
  });

  it('reads a server push with an array payload', () => {
    const frame = parseFrame('s1,["Conn",{"ref":"x","wid":"1@c.us"}]');
    expect(frame).toEqual({ tag: 's1', kind: 'json', json: ['Conn', { ref: 'x', wid: '1@c.us' }], text: '["Conn",{"ref":"x","wid":"1@c.us"}]' });
  });

  it('reads scalar JSON payloads (true/false answers to admin test)', () => {
    expect(parseFrame('t1,true')).toMatchObject({ kind: 'json', json: true });
    expect(parseFrame('t1,false')).toMatchObject({ kind: 'json', json: false });
    expect(parseFrame('t1,null')).toMatchObject({ kind: 'json', json: null });
    expect(parseFrame('t1,42')).toMatchObject({ kind: 'json', json: 42 });
  });

  it('gives json undefined for an empty payload', () => {
    expect(parseFrame('preempt-1234,')).toEqual({ tag: 'preempt-1234', kind: 'json', json: undefined, text: '' });
  });

  it('keeps any characters but a comma in the tag', () => {
    expect(parseFrame('a b.--é!,1')).toMatchObject({ tag: 'a b.--é!', json: 1 });
  });

  it('recognises the client keep-alive ?,,', () => {
    expect(parseFrame('?,,')).toEqual({ tag: '?', kind: 'ping' });
  });

  it('treats other ? frames as tagged JSON', () => {
    expect(parseFrame('?,1')).toEqual({ tag: '?', kind: 'json', json: 1, text: '1' });
  });

  it('reads the server keep-alive answer !<ms>', () => {
    expect(parseFrame('!1600000000123')).toEqual({ tag: '!', kind: 'pong', time: 1600000000123 });
    expect(parseFrame('!0')).toEqual({ tag: '!', kind: 'pong', time: 0 });
  });

  it('rejects a text frame without a comma', () => {
    expectFrameError(() => parseFrame('no comma at all'), 'NO_COMMA');
    expectFrameError(() => parseFrame(''), 'NO_COMMA');
  });

  it('rejects an empty tag', () => {
    expectFrameError(() => parseFrame(',{"a":1}'), 'EMPTY_TAG');
    expectFrameError(() => parseFrame(','), 'EMPTY_TAG');
  });

  it('rejects bad JSON and names the tag', () => {
    const error = expectFrameError(() => parseFrame('tag1,{"status":'), 'BAD_JSON');
    expect(error.tag).toBe('tag1');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expectFrameError(() => parseFrame('tag1, '), 'BAD_JSON');
    expectFrameError(() => parseFrame("tag1,{'single':1}"), 'BAD_JSON');
  });

  it('rejects malformed pongs', () => {
    for (const text of ['!', '!abc', '!12a', '!-5', '!1.5', '!1234567890123456']) {
      expectFrameError(() => parseFrame(text), 'BAD_PONG');
    }
  });
});

describe('parseFrame: binary frames from the server', () => {
  it('splits tag and payload at the first comma byte', () => {
    const frame = parseFrame(new Uint8Array([...ascii('s3,'), 1, 2, 0x2c, 3]));
    expect(frame.kind).toBe('binary');
    if (frame.kind !== 'binary') return;
    expect(frame.tag).toBe('s3');
    expect([...frame.payload]).toEqual([1, 2, 0x2c, 3]);
    expect(frame.metric).toBeUndefined();
    expect(frame.flag).toBeUndefined();
  });

  it('accepts an ArrayBuffer, as browsers and ws deliver with binaryType arraybuffer', () => {
    const bytes = new Uint8Array([...ascii('1587.--12,'), 0xff, 0x00]);
    const frame = parseFrame(bytes.buffer);
    expect(frame).toMatchObject({ tag: '1587.--12', kind: 'binary' });
    if (frame.kind === 'binary') expect([...frame.payload]).toEqual([0xff, 0x00]);
  });

  it('hands out a plain Uint8Array payload for a Uint8Array subclass (a Node Buffer), sharing its memory', () => {
    class BufferLike extends Uint8Array {}
    const bytes = new BufferLike([...ascii('s4,'), 5, 6, 7]);
    const frame = parseFrame(bytes);
    if (frame.kind !== 'binary') throw new Error('expected a binary frame');
    expect(frame.payload.constructor).toBe(Uint8Array);
    expect([...frame.payload]).toEqual([5, 6, 7]);
    bytes[3] = 9;
    expect(frame.payload[0]).toBe(9);
    // slice copies, as on any Uint8Array (a Buffer's slice would share the memory).
    const copy = frame.payload.slice();
    bytes[4] = 9;
    expect(copy[1]).toBe(6);
  });

  it('accepts a view into a larger buffer without reading outside it', () => {
    const backing = new Uint8Array([0x2c, ...ascii('ab,'), 7, 8, ...ascii(',zz')]);
    const view = new DataView(backing.buffer, 1, 5);
    const frame = parseFrame(view);
    expect(frame.tag).toBe('ab');
    if (frame.kind === 'binary') expect([...frame.payload]).toEqual([7, 8]);
  });

  it('carries a captured sealed-size payload intact, commas inside included', () => {
    const payload = hex(frames[0]!.hex);
    expect(payload.includes(0x2c)).toBe(true);
    const wire = new Uint8Array([...ascii('s5,'), ...payload]);
    const frame = parseFrame(wire);
    expect(frame.tag).toBe('s5');
    if (frame.kind === 'binary') expect(frame.payload).toEqual(payload);
  });

  it('gives an empty payload for a bare tag', () => {
    const frame = parseFrame(new Uint8Array(ascii('s9,')));
    expect(frame.kind).toBe('binary');
    if (frame.kind === 'binary') expect(frame.payload.length).toBe(0);
  });

  it('decodes a UTF-8 tag', () => {
    const frame = parseFrame(new Uint8Array([...new TextEncoder().encode('tâg'), 0x2c, 1]));
    expect(frame.tag).toBe('tâg');
  });

  it('rejects binary frames without a comma, with an empty tag or a broken UTF-8 tag', () => {
    expectFrameError(() => parseFrame(hex(frames[1]!.hex)), 'NO_COMMA');
    expectFrameError(() => parseFrame(new Uint8Array(0)), 'NO_COMMA');
    expectFrameError(() => parseFrame(new Uint8Array([0x2c, 1, 2])), 'EMPTY_TAG');
    expectFrameError(() => parseFrame(new Uint8Array([0x61, 0xc3, 0x2c, 1])), 'BAD_TAG');
  });
});

describe('parseFrame: binary frames from a client', () => {
  it('reads metric and flag after the comma', () => {
    const frame = parseFrame(new Uint8Array([...ascii('3EB0ABCDEF,'), 16, 0x80, 9, 9, 9]), { from: 'client' });
    expect(frame).toMatchObject({ tag: '3EB0ABCDEF', kind: 'binary', metric: 16, flag: 0x80 });
    if (frame.kind === 'binary') expect([...frame.payload]).toEqual([9, 9, 9]);
  });

  it('accepts a header with an empty payload', () => {
    const frame = parseFrame(new Uint8Array([...ascii('t,'), 5, 0]), { from: 'client' });
    expect(frame).toMatchObject({ metric: 5, flag: 0 });
    if (frame.kind === 'binary') expect(frame.payload.length).toBe(0);
  });

  it('rejects a client frame truncated before its header bytes', () => {
    expect(expectFrameError(() => parseFrame(new Uint8Array([...ascii('t1,'), 16]), { from: 'client' }), 'TRUNCATED').tag).toBe('t1');
    expectFrameError(() => parseFrame(new Uint8Array(ascii('t1,')), { from: 'client' }), 'TRUNCATED');
  });

  it('parses text frames the same way in both directions', () => {
    expect(parseFrame('?,,', { from: 'client' })).toEqual({ tag: '?', kind: 'ping' });
    expect(parseFrame('x,[1]', { from: 'client' })).toMatchObject({ tag: 'x', json: [1] });
  });
});

describe('parseFrame: other input', () => {
  it('throws only FrameError BAD_DATA for values that are not frames', () => {
    for (const value of [null, undefined, 42, {}, [1, 2], new Blob(['x'])]) {
      expectFrameError(() => parseFrame(value as unknown as string), 'BAD_DATA');
    }
  });

  it('never throws anything but FrameError on random input', () => {
    let state = 12345;
    const random = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    const alphabet = ',!?{}[]"01a:.-';
    for (let i = 0; i < 2000; i++) {
      const length = random() % 12;
      const bytes = new Uint8Array(length).map(() => random() & 0xff);
      const text = Array.from({ length }, () => alphabet[random() % alphabet.length]).join('');
      for (const input of [bytes, text]) {
        for (const from of ['server', 'client'] as const) {
          try {
            parseFrame(input, { from });
          } catch (error) {
            expect(error).toBeInstanceOf(FrameError);
          }
        }
      }
    }
  });
});

describe('frameTag', () => {
  it('reads the tag of outgoing frames', () => {
    expect(frameTag('1600000000.--7,["admin","test"]')).toBe('1600000000.--7');
    expect(frameTag('?,,')).toBe('?');
    expect(frameTag('!123')).toBe('!');
    expect(frameTag(new Uint8Array([...ascii('3EB0,'), 16, 128]))).toBe('3EB0');
  });

  it('rejects frames without a readable tag', () => {
    expectFrameError(() => frameTag('nothing'), 'NO_COMMA');
    expectFrameError(() => frameTag(',x'), 'EMPTY_TAG');
    expectFrameError(() => frameTag(new Uint8Array([1, 2])), 'NO_COMMA');
    expectFrameError(() => frameTag(7 as unknown as string), 'BAD_DATA');
  });
});
