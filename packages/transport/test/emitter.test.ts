import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../src/index.ts';

interface Events {
  data: number;
  done: void;
}

describe('TypedEmitter', () => {
  it('calls listeners in order with the payload, and off() removes them', () => {
    const emitter = new TypedEmitter<Events>();
    const calls: string[] = [];
    const first = (n: number): void => void calls.push(`a${n}`);
    emitter.on('data', first);
    const offSecond = emitter.on('data', (n) => calls.push(`b${n}`));
    emitter.emit('data', 1);
    emitter.off('data', first);
    emitter.emit('data', 2);
    offSecond();
    emitter.emit('data', 3);
    expect(calls).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount('data')).toBe(0);
  });

  it('once() fires a single time', () => {
    const emitter = new TypedEmitter<Events>();
    let count = 0;
    emitter.once('done', () => count++);
    emitter.emit('done', undefined);
    emitter.emit('done', undefined);
    expect(count).toBe(1);
  });

  it('a throwing listener does not stop the others; its error surfaces on a microtask', async () => {
    const emitter = new TypedEmitter<Events>();
    const seen: number[] = [];
    const boom = new Error('listener bug');
    emitter.on('data', () => {
      throw boom;
    });
    emitter.on('data', (n) => seen.push(n));
    const original = globalThis.queueMicrotask;
    const rethrown: unknown[] = [];
    globalThis.queueMicrotask = (callback) => {
      try {
        callback();
      } catch (error) {
        rethrown.push(error);
      }
    };
    try {
      emitter.emit('data', 5);
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(seen).toEqual([5]);
    expect(rethrown).toEqual([boom]);
  });

  it('listeners added during an emit wait for the next one', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    emitter.on('data', (n) => {
      seen.push(`outer${n}`);
      emitter.on('data', (m) => seen.push(`inner${m}`));
    });
    emitter.emit('data', 1);
    expect(seen).toEqual(['outer1']);
  });
});
