/**
 * The server's side of a login, for the server doubles of these tests (`fake-server.ts` over a
 * real `ws` server in Node, `memory-server.ts` in memory in Node and browsers alike).
 */
import { buildSecret, fromBase64, toBase64, type SessionKeys } from '@wa/crypto';

/** What the login steps need of a server double's peer. */
export interface ScriptablePeer {
  keys: SessionKeys | undefined;
  json(tag: string, value: unknown): void;
  /** The next JSON command whose array starts with `words`. */
  command(...words: string[]): Promise<{ tag: string; args: unknown[] }>;
}

/** Answers `admin init` with a ref, as the real server did. */
export async function answerInit(peer: ScriptablePeer, ref = '1@fake-ref'): Promise<{ clientId: string }> {
  const { tag, args } = await peer.command('admin', 'init');
  peer.json(tag, { status: 200, ref, ttl: 20000, update: false, curr: '2.2142.12', time: Date.now() });
  return { clientId: args[4] as string };
}

/**
 * Plays the phone's scan of `qr`: builds the 144-byte secret for its key and pushes `s1` Conn.
 * `tamper` may damage the secret first. Returns the session keys the client should now hold.
 */
export function scan(peer: ScriptablePeer, qr: string, tamper: (secret: Uint8Array) => string = toBase64): SessionKeys {
  const [ref, publicKey] = qr.split(',');
  const built = buildSecret(fromBase64(publicKey!));
  peer.keys = { encKey: built.encKey, macKey: built.macKey };
  peer.json('s1', [
    'Conn',
    {
      ref,
      wid: '15550100001@c.us',
      connected: true,
      isResponse: 'false',
      serverToken: '1@server-token',
      browserToken: '1@browser-token',
      clientToken: 'client-token',
      battery: 80,
      plugged: false,
      platform: 'android',
      pushname: 'Fake',
      phone: { device_manufacturer: 'Fake' },
      secret: tamper(built.secret),
    },
  ]);
  return peer.keys;
}
