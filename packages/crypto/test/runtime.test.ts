// Which backend the package's `#backend` import resolved to: the `node` condition in Node, the
// `browser` condition in Chromium (vitest browser mode resolves like a browser bundle).
import { describe, expect, it } from 'vitest';
import { cryptoBackend } from '../src/index.ts';

const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

describe('cryptoBackend', () => {
  it(`is ${inBrowser ? 'noble in the browser' : 'node:crypto in Node'}`, () => {
    expect(cryptoBackend).toBe(inBrowser ? 'noble' : 'node:crypto');
  });
});
