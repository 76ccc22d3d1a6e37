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
      allowedOrigins: ['https://web.whatsapp.com', 'http://localhost:5173'],
      tls: true,
      verbose: true,
    });
    expect(parseCliArgs(['--any-origin'])).toMatchObject({ allowedOrigins: '*' });
    // --allow-origin adds to the default; --only-origin replaces it.
    expect(parseCliArgs(['--only-origin', 'http://a.test', '--only-origin', 'http://b.test'])).toMatchObject({ allowedOrigins: ['http://a.test', 'http://b.test'] });
    expect(parseCliArgs(['--allow-origin', 'http://a.test', '--any-origin'])).toMatchObject({ allowedOrigins: '*' });
    expect(parseCliArgs([])).not.toHaveProperty('allowedOrigins');
  });

  it('parses the latency and TLS options', () => {
    expect(parseCliArgs(['--latency', '0'])).toMatchObject({ latency: { serverMs: 0, phoneMs: 0 } });
    expect(parseCliArgs(['--latency=10', '--phone-latency', '120', '--jitter', '0.2', '--no-tls'])).toMatchObject({
      latency: { serverMs: 10, phoneMs: 120, jitter: 0.2 },
      tls: false,
    });
    expect(parseCliArgs(['--server-latency', '2.5'])).toMatchObject({ latency: { serverMs: 2.5 } });
    expect(parseCliArgs([])).not.toHaveProperty('latency');
    expect(parseCliArgs(['--max-messages-per-chat', '500'])).toMatchObject({ maxMessagesPerChat: 500 });
    expect(parseCliArgs([])).not.toHaveProperty('maxMessagesPerChat');
    for (const argv of [['--max-messages-per-chat', '0'], ['--max-messages-per-chat', '1.5'], ['--max-messages-per-chat', 'many'], ['--max-messages-per-chat']]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
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

describe('wa-sandbox control subcommands (arguments)', () => {
  const base = { command: 'call', port: 8080, host: '127.0.0.1' };
  it('maps each subcommand to its HTTP request', () => {
    expect(parseCliArgs(['contact', '15550100002@c.us', 'send', 'hi', '--port', '9000'])).toEqual({ ...base, port: 9000, method: 'POST', path: '/contacts/15550100002@c.us/messages', body: { text: 'hi' } });
    expect(parseCliArgs(['contact', '15550100002@c.us', 'send', 'hi', '--to', '15550100001@c.us', '--group', '1-2@g.us'])).toMatchObject({ body: { text: 'hi', to: '15550100001@c.us', group: '1-2@g.us' } });
    expect(parseCliArgs(['contact', 'a@c.us', 'send', '--image', 'x.jpg', '--caption', 'c'])).toMatchObject({ body: { media: { type: 'image', caption: 'c' } }, mediaFile: 'x.jpg' });
    expect(parseCliArgs(['contact', 'a@c.us', 'send', '--location', '1.5,-2', '--name', 'N'])).toMatchObject({ body: { location: { latitude: 1.5, longitude: -2, name: 'N' } } });
    expect(parseCliArgs(['contact', 'a@c.us', 'typing', '--group', 'g@g.us'])).toMatchObject({ path: '/contacts/a@c.us/presence', body: { type: 'composing', group: 'g@g.us' } });
    expect(parseCliArgs(['contact', 'a@c.us', 'offline'])).toMatchObject({ body: { type: 'unavailable' } });
    expect(parseCliArgs(['contact', 'a@c.us', 'read'])).toMatchObject({ path: '/contacts/a@c.us/read', body: {} });
    expect(parseCliArgs(['contact', 'a@c.us', 'configure', '--deliver-after', '10', '--read-after', 'never'])).toMatchObject({ body: { deliverAfterMs: 10, readAfterMs: null } });
    expect(parseCliArgs(['phone', 'offline', '--wid', 'w@c.us'])).toMatchObject({ path: '/phone/reachable', body: { reachable: false, account: 'w@c.us' } });
    expect(parseCliArgs(['phone', 'unpair', '--client-id', 'abc'])).toMatchObject({ path: '/phone/unpair', body: { clientId: 'abc' } });
    expect(parseCliArgs(['fault', 'delay', '250'])).toMatchObject({ path: '/faults/delay-frames', body: { ms: 250 } });
    expect(parseCliArgs(['fault', 'drop', '--client-id', 'c'])).toMatchObject({ path: '/faults/drop-socket', body: { clientId: 'c' } });
    expect(parseCliArgs(['fault', 'refuse-refs', 'off'])).toMatchObject({ body: { on: false } });
    expect(parseCliArgs(['fault', 'login-status', 'off'])).toMatchObject({ body: { status: null } });
    expect(parseCliArgs(['messages', 'a@c.us', '--wid', 'w@c.us', '--limit', '5'])).toMatchObject({ method: 'GET', path: '/chats/a@c.us/messages?account=w%40c.us&limit=5' });
    expect(parseCliArgs(['chats'])).toEqual({ ...base, method: 'GET', path: '/chats' });
    expect(parseCliArgs(['export', '--control-token', 't'])).toEqual({ ...base, method: 'GET', path: '/state', token: 't' });
    expect(parseCliArgs(['--control-token', 't', '--no-control-auth'])).toMatchObject({ command: 'serve', controlToken: 't', controlAuth: false });
  });

  it('refuses wrong subcommands and options with INVALID_ARGUMENT', () => {
    for (const argv of [['contact'], ['contact', 'a@c.us', 'send'], ['contact', 'a@c.us', 'send', 'a', 'b'], ['contact', 'a@c.us', 'online', '--group', 'g@g.us'], ['fault', 'delay', 'soon'], ['fault'], ['phone'], ['chats', 'x'], ['messages', 'a@c.us', '--limit', '1.5'], ['contact', 'a@c.us', 'send', '--location', '1'], ['contact', 'a@c.us', 'configure'], ['scan', 'q', '--to', 'x'], ['accounts', '--wid', 'w@c.us']]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
