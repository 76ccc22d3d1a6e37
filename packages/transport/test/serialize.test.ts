import { describe, expect, it } from 'vitest';
import { Flag, FrameError, Metric, parseFrame, serializeBinary, serializeJson, serializePing, serializePong, type FrameErrorCode } from '../src/index.ts';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

function expectFrameError(run: () => unknown, code: FrameErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FrameError);
  expect((caught as FrameError).code).toBe(code);
}

describe('serializeJson', () => {
  it('writes tag, comma, JSON', () => {
    expect(serializeJson('1600000000.--0', ['admin', 'init', [2, 2142, 12], ['Mac', 'Chrome'], 'id', true])).toBe(
      '1600000000.--0,["admin","init",[2,2142,12],["Mac","Chrome"],"id",true]',
    );
    expect(serializeJson('s2', { status: 200 })).toBe('s2,{"status":200}');
    expect(serializeJson('t', false)).toBe('t,false');
    expect(serializeJson('t', null)).toBe('t,null');
  });

  it('writes an empty payload for undefined', () => {
    expect(serializeJson('s1', undefined)).toBe('s1,');
  });

  it('round-trips through parseFrame, commas in the payload included', () => {
    const value = { ref: '1@a,b,c', list: [1, 'x,y'], nested: { ok: true } };
    const frame = parseFrame(serializeJson('tag.--1', value));
    expect(frame).toEqual({ tag: 'tag.--1', kind: 'json', json: value, text: JSON.stringify(value) });
  });

  it('rejects tags with a comma, empty tags and non-string tags', () => {
    expectFrameError(() => serializeJson('a,b', 1), 'TAG_HAS_COMMA');
    expectFrameError(() => serializeJson(',', 1), 'TAG_HAS_COMMA');
    expectFrameError(() => serializeJson('', 1), 'EMPTY_TAG');
    expectFrameError(() => serializeJson(12 as unknown as string, 1), 'BAD_TAG');
  });

  it('rejects values with no JSON form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectFrameError(() => serializeJson('t', cyclic), 'BAD_JSON');
    expectFrameError(() => serializeJson('t', 10n), 'BAD_JSON');
    expectFrameError(() => serializeJson('t', () => 1), 'BAD_JSON');
    expectFrameError(() => serializeJson('t', Symbol('s')), 'BAD_JSON');
  });
});

describe('serializeBinary', () => {
  it('writes tag, comma, payload for server frames', () => {
    expect([...serializeBinary('s3', new Uint8Array([1, 2, 3]))]).toEqual([...ascii('s3,'), 1, 2, 3]);
  });

  it('writes metric and flag bytes for client frames', () => {
    const bytes = serializeBinary('3EB0C431C26A1916E07E', new Uint8Array([0xaa, 0xbb]), { metric: Metric.message, flag: Flag.ignore });
    expect([...bytes]).toEqual([...ascii('3EB0C431C26A1916E07E,'), 16, 0x80, 0xaa, 0xbb]);
  });

  it('round-trips client frames through parseFrame({ from: "client" })', () => {
    const payload = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
    const frame = parseFrame(serializeBinary('1600000000.--5', payload, { metric: Metric.queryContacts, flag: Flag.ignore | Flag.ackRequest }), { from: 'client' });
    expect(frame).toMatchObject({ tag: '1600000000.--5', kind: 'binary', metric: 6, flag: 0xc0 });
    if (frame.kind === 'binary') expect(frame.payload).toEqual(payload);
  });

  it('round-trips server frames through parseFrame', () => {
    const payload = new Uint8Array([0x2c, 0x2c, 0]);
    const frame = parseFrame(serializeBinary('preempt-1', payload));
    expect(frame.tag).toBe('preempt-1');
    if (frame.kind === 'binary') expect(frame.payload).toEqual(payload);
  });

  it('writes non-ASCII tags as UTF-8', () => {
    expect([...serializeBinary('é', new Uint8Array([1]))]).toEqual([0xc3, 0xa9, 0x2c, 1]);
  });

  it('rejects bad tags, payloads and header bytes', () => {
    const payload = new Uint8Array([1]);
    expectFrameError(() => serializeBinary('a,b', payload), 'TAG_HAS_COMMA');
    expectFrameError(() => serializeBinary('', payload), 'EMPTY_TAG');
    expectFrameError(() => serializeBinary('t', [1, 2] as unknown as Uint8Array), 'BAD_DATA');
    expectFrameError(() => serializeBinary('t', payload, { metric: 256, flag: 0 }), 'BAD_HEADER');
    expectFrameError(() => serializeBinary('t', payload, { metric: 1, flag: -1 }), 'BAD_HEADER');
    expectFrameError(() => serializeBinary('t', payload, { metric: 1.5, flag: 0 }), 'BAD_HEADER');
  });
});

describe('keep-alive frames', () => {
  it('writes the client ping as ?,, and parses it back', () => {
    expect(serializePing()).toBe('?,,');
    expect(parseFrame(serializePing())).toEqual({ tag: '?', kind: 'ping' });
  });

  it('writes the server pong as !<ms> and parses it back', () => {
    expect(serializePong(1600000000123)).toBe('!1600000000123');
    expect(parseFrame(serializePong(0))).toEqual({ tag: '!', kind: 'pong', time: 0 });
  });

  it('rejects pong times that are not non-negative integers', () => {
    for (const time of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e15]) {
      expectFrameError(() => serializePong(time), 'BAD_PONG');
    }
  });
});
