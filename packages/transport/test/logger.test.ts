import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, silentLogger } from '../src/index.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('loggers', () => {
  it('consoleLogger writes each level to the console method of that level, prefixed', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      // Spied after the logger was created: the console method is looked up per call.
      const spy = vi.spyOn(console, level).mockImplementation(() => {});
      consoleLogger[level]('opened', { code: 1000 });
      consoleLogger[level]('no data');
      expect(spy.mock.calls).toEqual([
        ['[wa/transport] opened', { code: 1000 }],
        ['[wa/transport] no data', ''],
      ]);
    }
  });

  it('silentLogger writes nothing', () => {
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => {}));
    silentLogger.info('opened', { code: 1000 });
    silentLogger.error('failed');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
