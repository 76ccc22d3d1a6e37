import { randomBytes, toBase64 } from '@wa/crypto';
import type { WebSocketConstructor } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import { LoginError, MemoryAuthStore, WAClient } from '../src/index.ts';

/** A scripted server socket: answers admin init, and lets the test push frames. */
function scriptedServer(): { WebSocket: WebSocketConstructor; push(frame: string): void } {
  const sockets: Array<{ onmessage: ((event: { data: string }) => void) | null }> = [];
  class ScriptedSocket {
    binaryType = 'arraybuffer';
    readyState = 0;
    onopen: ((event: object) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: object) => void) | null = null;
    constructor() {
      sockets.push(this);
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.({});
      });
    }
    send(data: string | Uint8Array): void {
      if (typeof data !== 'string') return;
      const tag = data.slice(0, data.indexOf(','));
      const json = JSON.parse(data.slice(tag.length + 1)) as unknown[];
      if (json[0] === 'admin' && json[1] === 'init') {
        queueMicrotask(() => this.onmessage?.({ data: `${tag},{"status":200,"ref":"1@scripted","ttl":20000,"update":false,"curr":"2.2142.12","time":0}` }));
      }
    }
    close(code = 1000, reason = ''): void {
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
  }
  return {
    WebSocket: ScriptedSocket as unknown as WebSocketConstructor,
    push: (frame) => sockets.at(-1)?.onmessage?.({ data: frame }),
  };
}

describe('Conn.secret check', () => {
  it('aborts the login with SECRET_MISMATCH when the secret fails its HMAC check, saving nothing', async () => {
    const server = scriptedServer();
    const auth = new MemoryAuthStore();
    const client = new WAClient({ url: 'ws://scripted.invalid/ws', WebSocket: server.WebSocket, auth });
    client.on('qr', () => {
      const conn = { secret: toBase64(randomBytes(144)), wid: '15550100001@c.us', clientToken: 'c', serverToken: 's' };
      server.push(`s1,${JSON.stringify(['Conn', conn])}`);
    });
    const error = await client.connect().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LoginError);
    expect(error).toMatchObject({ code: 'SECRET_MISMATCH' });
    expect(await auth.load()).toBeUndefined();
    expect(client.state).toBe('closed');
  });
});
