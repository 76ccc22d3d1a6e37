import { fromBase64, signChallenge, toBase64, toHex } from '@wa/crypto';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../src/logger.ts';
import { redactFrame, REDACTED } from '../src/redact.ts';
import { Sandbox } from '../src/sandbox.ts';
import { memoryClient } from './support/memory.ts';

describe('logs never hold credentials', () => {
  it('redacts Conn tokens and secret, challenges, admin login tokens and media auth', () => {
    expect(redactFrame(['Conn', { ref: 'r', wid: 'w', secret: 's', serverToken: 'a', clientToken: 'b', browserToken: 'c' }])).toEqual([
      'Conn',
      { ref: 'r', wid: 'w', secret: REDACTED, serverToken: REDACTED, clientToken: REDACTED, browserToken: REDACTED },
    ]);
    expect(redactFrame(['admin', 'login', 'ct', 'st', 'id', 'reconnect', 'w@c.us'])).toEqual(['admin', 'login', REDACTED, REDACTED, 'id', 'reconnect', 'w@c.us']);
    expect(redactFrame(['admin', 'challenge', 'answer', 'st', 'id'])).toEqual(['admin', 'challenge', REDACTED, REDACTED, 'id']);
    expect(redactFrame({ status: 200, media_conn: { auth: 'x', ttl: 300 } })).toEqual({ status: 200, media_conn: { auth: REDACTED, ttl: 300 } });
    expect(redactFrame(['admin', 'init', [2, 2142, 12], ['a', 'b'], 'id', true])).toEqual(['admin', 'init', [2, 2142, 12], ['a', 'b'], 'id', true]);
  });

  it('no log line of a whole session at debug level contains a secret', async () => {
    const log = memoryLogger();
    const sandbox = new Sandbox({ latency: 0, logger: log.logger });
    const secrets = new Set<string>();
    const remember = (value: unknown): void => {
      if (typeof value === 'string' && value.length >= 8) secrets.add(value);
    };
    // QR login.
    const first = memoryClient(sandbox);
    await first.init();
    sandbox.phone.scan(first.qr());
    const conn = await first.completeQrLogin();
    for (const key of ['secret', 'clientToken', 'serverToken', 'browserToken'] as const) remember(conn[key]);
    for (const key of [first.keys!.encKey, first.keys!.macKey]) {
      remember(toBase64(key));
      remember(toHex(key));
    }
    const media = await first.mediaConn();
    remember(media.media_conn.auth);
    await first.sendText('15550100002@c.us', 'hello');
    // A challenged restore: the challenge and its answer.
    const credentials = first.credentials();
    sandbox.faults.forceChallenge();
    const second = memoryClient(sandbox, credentials.clientId);
    const restored = await second.restore(credentials);
    expect(restored).toMatchObject({ status: 200, challenged: true });
    const challengeFrame = second.received.find((frame) => frame.kind === 'json' && frame.tag === 's1') as { json: [string, { challenge: string }] };
    remember(challengeFrame.json[1].challenge);
    remember(toBase64(signChallenge(credentials.macKey, fromBase64(challengeFrame.json[1].challenge))));
    for (const key of ['clientToken', 'serverToken', 'browserToken'] as const) remember(restored.conn![key]);
    expect(await second.request(['admin', 'Conn', 'disconnect'])).toEqual({ status: 200 });
    sandbox.close();

    expect(secrets.size).toBeGreaterThanOrEqual(12);
    const lines = log.entries.map((entry) => JSON.stringify(entry));
    expect(lines.some((line) => line.includes('"frame-in"'))).toBe(true);
    expect(lines.some((line) => line.includes(REDACTED))).toBe(true);
    for (const secret of secrets) {
      const leaking = lines.filter((line) => line.includes(secret) || line.includes(JSON.stringify(secret).slice(1, -1)));
      expect(leaking, `a log line holds ${secret.slice(0, 12)}…`).toEqual([]);
    }
  });
});
