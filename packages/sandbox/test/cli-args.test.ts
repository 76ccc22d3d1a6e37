import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.ts';

describe('wa-sandbox arguments', () => {
  it('parses the serve options', () => {
    expect(parseCliArgs([])).toEqual({ command: 'serve', port: 8080, host: '127.0.0.1', tls: true, verbose: false });
    expect(parseCliArgs(['--port', '0', '--seed', 'demo', '--state=./s.json', '--allow-origin', 'http://localhost:5173', '-v'])).toEqual({
      command: 'serve',
      port: 0,
      host: '127.0.0.1',
      seed: 'demo',
      statePath: './s.json',
      allowedOrigins: ['http://localhost:5173'],
      tls: true,
      verbose: true,
    });
    expect(parseCliArgs(['--any-origin'])).toMatchObject({ allowedOrigins: '*' });
  });

  it('parses the latency and TLS options', () => {
    expect(parseCliArgs(['--latency', '0'])).toMatchObject({ latency: { serverMs: 0, phoneMs: 0 } });
    expect(parseCliArgs(['--latency=10', '--phone-latency', '120', '--jitter', '0.2', '--no-tls'])).toMatchObject({
      latency: { serverMs: 10, phoneMs: 120, jitter: 0.2 },
      tls: false,
    });
    expect(parseCliArgs(['--server-latency', '2.5'])).toMatchObject({ latency: { serverMs: 2.5 } });
    expect(parseCliArgs([])).not.toHaveProperty('latency');
    for (const argv of [['--latency', '-1'], ['--latency', 'fast'], ['--jitter', '2'], ['--phone-latency', ''], ['--server-latency', '70000']]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
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
