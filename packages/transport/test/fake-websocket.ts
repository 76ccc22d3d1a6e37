import type { WebSocketClientOptions } from '../src/index.ts';

/**
 * A WebSocket double driven by the test: it records what the connection sends and lets the
 * test play the server (open, messages, errors, closes). Lets the Connection logic run in
 * Chromium too, where no server can be started.
 */
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];

  static last(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (!socket) throw new Error('no FakeWebSocket was created');
    return socket;
  }

  /** Binary types this socket takes; others are ignored, as browsers do. `ws` also takes 'nodebuffer'. */
  static binaryTypes: readonly string[] = ['blob', 'arraybuffer'];
  #binaryType = 'blob';
  readyState = 0;
  onopen: ((event: object) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: { message?: string; error?: unknown }) => void) | null = null;
  readonly sent: (string | Uint8Array)[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | undefined;
  terminated = false;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    readonly options?: WebSocketClientOptions,
  ) {
    FakeWebSocket.instances.push(this);
  }

  get binaryType(): string {
    return this.#binaryType;
  }

  set binaryType(value: string) {
    if ((this.constructor as typeof FakeWebSocket).binaryTypes.includes(value)) this.#binaryType = value;
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) throw new Error('fake socket is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    this.closedWith = { code, reason };
    this.readyState = 2;
    // Like a real socket: the close event comes later, after the handshake.
    setTimeout(() => this.serverClose(code ?? 1005, reason ?? ''), 1);
  }

  terminate(): void {
    this.terminated = true;
    this.serverClose(1006, '');
  }

  // --- the test plays the server with these ---

  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(data: string | Uint8Array | ArrayBuffer): void {
    this.onmessage?.({ data });
  }

  fail(message: string): void {
    this.onerror?.({ message, error: new Error(message) });
    this.serverClose(1006, '');
  }

  serverClose(code: number, reason: string): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }

  sentTexts(): string[] {
    return this.sent.filter((frame): frame is string => typeof frame === 'string');
  }
}
