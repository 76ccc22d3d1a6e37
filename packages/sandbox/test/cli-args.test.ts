import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.ts';

describe('wa-sandbox arguments', () => {
  it('parses the serve options', () => {
    expect(parseCliArgs([])).toEqual({ command: 'serve', port: 8080, host: '127.0.0.1', verbose: false });
    expect(parseCliArgs(['--port', '0', '--seed', 'demo', '--state=./s.json', '--allow-origin', 'http://localhost:5173', '-v'])).toEqual({
      command: 'serve',
      port: 0,
      host: '127.0.0.1',
      seed: 'demo',
      statePath: './s.json',
      allowedOrigins: ['http://localhost:5173'],
      verbose: true,
    });
    expect(parseCliArgs(['--any-origin'])).toMatchObject({ allowedOrigins: '*' });
  });

  it('parses scan and status', () => {
    expect(parseCliArgs(['scan', 'ref,key,id', '--port', '9000'])).toEqual({ command: 'scan', qr: 'ref,key,id', port: 9000, host: '127.0.0.1' });
    expect(parseCliArgs(['scan', 'r,k,i', '--wid', '15550100002@c.us'])).toMatchObject({ wid: '15550100002@c.us' });
    expect(parseCliArgs(['status'])).toEqual({ command: 'status', port: 8080, host: '127.0.0.1' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
  });

  it('refuses bad arguments with INVALID_ARGUMENT', () => {
    for (const argv of [['--port', 'x'], ['--port', '70000'], ['--port'], ['--bogus'], ['scan'], ['scan', 'a', 'b'], ['extra']]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
